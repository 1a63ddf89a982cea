// `crm configure load update|replace`: merges parsed crm text into an existing configuration as crmsh does,
// and the `crm_resource --move/--ban/--clear` constraint edits; pure functions over the model.

import type { Diagnostic } from '../../errors.js';
import type { Constraint, CrmConfig, CrmNode, NvSet, OptionSet, Resource } from './model.js';
import { parseCrm } from './parse.js';

/** `update` merges objects by id into the CIB; `replace` makes the text the whole configuration. */
export type LoadMode = 'update' | 'replace';

function setIds(s: NvSet): string[] {
  return [s.id, ...s.pairs.map((p) => p.id)];
}

/** Every element id an object owns (its own, attribute sets, nvpairs, ops, rules, expressions, sets). */
function objectIds(o: Resource | Constraint | OptionSet | CrmNode): string[] {
  switch (o.kind) {
    case 'primitive':
      return [o.id, ...o.sets.flatMap(setIds), ...o.ops.flatMap((op) => [op.id, ...(op.params ? setIds(op.params) : []), ...(op.meta ? setIds(op.meta) : [])])];
    case 'group': case 'clone':
      return [o.id, ...o.sets.flatMap(setIds)];
    case 'location':
      return [o.id, ...o.rules.flatMap((r) => [r.id, ...r.expressions.map((x) => x.id)])];
    case 'colocation': case 'order':
      return [o.id, ...o.sets.map((s) => s.id)];
    case 'property': case 'rsc_defaults': case 'op_defaults':
      return setIds(o.set);
    case 'node':
      return o.sets.flatMap(setIds);
  }
}

/** All element ids of a configuration (node ids excluded: they are not XML IDs). */
export function configIds(config: CrmConfig): Set<string> {
  const ids = new Set<string>();
  for (const o of [...config.nodes, ...config.resources, ...config.constraints, ...config.options]) for (const id of objectIds(o)) ids.add(id);
  return ids;
}

const mark = <T extends { file?: string }>(o: T, file: string | undefined): T => (file !== undefined && o.file === undefined ? { ...o, file } : o);

/**
 * Parses `text` and loads it into `base`. In `update` mode objects with an id already present replace it in place,
 * option sets with the same id merge name by name, and generated ids avoid every id the kept objects use.
 * `baseFile` is recorded on kept objects so later diagnostics name the CIB rather than the crm file.
 */
export function loadCrmText(base: CrmConfig | undefined, text: string,
  opts: { file: string; mode: LoadMode; baseFile?: string }): { config: CrmConfig; diagnostics: Diagnostic[] } {
  if (!base || opts.mode === 'replace') {
    const r = parseCrm(text, { file: opts.file });
    return { config: r.config, diagnostics: r.diagnostics };
  }
  // First pass: which objects does the text define? Their old ids are free to be generated again.
  const draft = parseCrm(text, { file: opts.file }).config;
  const redefined = new Set([...draft.resources, ...draft.constraints].map((o) => o.id));
  const redefinedNodes = new Set(draft.nodes.map((n) => n.uname));
  const kept: Array<Resource | Constraint | CrmNode | OptionSet> = [
    ...base.nodes.filter((n) => !redefinedNodes.has(n.uname)),
    ...base.resources.filter((r) => !redefined.has(r.id)),
    ...base.constraints.filter((c) => !redefined.has(c.id)),
    ...base.options,
  ];
  const reserved = new Set(kept.flatMap(objectIds));
  const parsed = parseCrm(text, { file: opts.file, reservedIds: reserved });
  const inc = parsed.config;
  const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x] as const));

  const incRes = byId(inc.resources);
  const resources: Resource[] = base.resources.map((r) => incRes.get(r.id) ?? mark(r, opts.baseFile));
  for (const r of inc.resources) if (!base.resources.some((b) => b.id === r.id)) resources.push(r);

  const incCons = byId(inc.constraints);
  const constraints: Constraint[] = base.constraints.map((c) => incCons.get(c.id) ?? mark(c, opts.baseFile));
  for (const c of inc.constraints) if (!base.constraints.some((b) => b.id === c.id)) constraints.push(c);

  const nodes: CrmNode[] = base.nodes.map((n) => inc.nodes.find((x) => x.uname === n.uname) ?? mark(n, opts.baseFile));
  for (const n of inc.nodes) if (!base.nodes.some((b) => b.uname === n.uname)) nodes.push(n);

  const options: OptionSet[] = base.options.map((o) => mark(o, opts.baseFile));
  for (const o of inc.options) {
    const i = options.findIndex((x) => x.kind === o.kind && x.set.id === o.set.id);
    if (i < 0) { options.push(o); continue; }
    const old = options[i]!;
    const pairs = [...old.set.pairs];
    for (const p of o.set.pairs) {
      const j = pairs.findIndex((x) => x.name === p.name);
      // The kept nvpair keeps its id; the parser's fresh id for it is dropped.
      if (j >= 0) pairs[j] = { ...pairs[j]!, value: p.value, ...(p.line !== undefined ? { line: p.line } : {}) };
      else pairs.push(p);
    }
    options[i] = { ...old, set: { ...old.set, pairs } };
  }
  return { config: { nodes, resources, constraints, options }, diagnostics: parsed.diagnostics };
}

/** Resource roles crm_resource writes on its constraints. */
const CLI_ROLE = 'Started';

/**
 * `crm_resource --move -r RSC -N NODE`: replaces any earlier cli-prefer constraint of RSC with
 * `<rsc_location id="cli-prefer-RSC" rsc="RSC" role="Started" node="NODE" score="INFINITY"/>` (repeated moves replace).
 */
export function moveResource(config: CrmConfig, rsc: string, node: string): CrmConfig {
  const id = `cli-prefer-${rsc}`;
  const c: Constraint = { kind: 'location', id, rsc, role: CLI_ROLE, score: 'INFINITY', node, rules: [] };
  return upsertConstraint(config, c);
}

/** `crm_resource --ban -r RSC -N NODE`: adds `cli-ban-RSC-on-NODE`, score -INFINITY, role Started. */
export function banResource(config: CrmConfig, rsc: string, node: string): CrmConfig {
  const c: Constraint = { kind: 'location', id: `cli-ban-${rsc}-on-${node}`, rsc, role: CLI_ROLE, score: '-INFINITY', node, rules: [] };
  return upsertConstraint(config, c);
}

/**
 * `crm_resource --clear -r RSC [-N NODE]`: removes the cli-prefer and cli-ban constraints of RSC (only the ban on
 * NODE when given). Returns the new configuration and the ids removed, which crm_resource prints.
 */
export function clearResource(config: CrmConfig, rsc: string, node?: string): { config: CrmConfig; removed: string[] } {
  const doomed = (c: Constraint) => c.kind === 'location' && c.rsc === rsc &&
    (node === undefined ? c.id === `cli-prefer-${rsc}` || c.id.startsWith(`cli-ban-${rsc}-on-`)
      : c.id === `cli-ban-${rsc}-on-${node}` || (c.id === `cli-prefer-${rsc}` && c.node === node));
  const removed = config.constraints.filter(doomed).map((c) => c.id);
  return { config: { ...config, constraints: config.constraints.filter((c) => !doomed(c)) }, removed };
}

function upsertConstraint(config: CrmConfig, c: Constraint): CrmConfig {
  const i = config.constraints.findIndex((x) => x.id === c.id);
  const constraints = [...config.constraints];
  if (i >= 0) constraints[i] = c;
  else constraints.push(c);
  return { ...config, constraints };
}
