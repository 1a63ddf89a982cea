// Prints the configuration model as crm configure text, in crmsh's `show` layout (`\` + tab continuations).
// Objects come out in CIB order, children before their group or clone, so loading the text rebuilds the same XML.

import { isGeneratedFrom } from './ids.js';
import { quoteValue } from './lexer.js';
import type { Constraint, CrmConfig, CrmNode, Expression, NvSet, Op, OptionSet, Primitive, Resource, Rule } from './model.js';
import { displayScore } from './values.js';

/** Options of `renderCrm`. */
export interface RenderOptions {
  /**
   * Attribute names whose values are printed as `******` (crmsh's obscure_pattern `passw*`).
   * Off by default so that the text reloads exactly; `show` turns it on.
   */
  readonly obscure?: (name: string) => boolean;
}

/** crmsh's default obscure pattern: parameter names starting with `passw`. */
export const obscurePasswords = (name: string): boolean => /^passw/i.test(name);

const CONT = ' \\\n\t';

/** Renders the whole configuration, one statement per object, ending with a newline (empty string if empty). */
export function renderCrm(config: CrmConfig, opts: RenderOptions = {}): string {
  const out: string[] = [];
  for (const n of config.nodes) out.push(renderNode(n, opts));
  for (const r of config.resources) out.push(renderResource(r, opts));
  for (const c of config.constraints) out.push(renderConstraint(c));
  for (const o of config.options) out.push(renderOptionSet(o, opts));
  return out.map((s) => `${s}\n`).join('');
}

function pairs(s: NvSet, opts: RenderOptions): string[] {
  return s.pairs.map((p) => `${p.name}=${opts.obscure?.(p.name) ? '******' : quoteValue(p.value)}`);
}

/** `params|meta|… [$id=X] a=b …`, printing `$id` only when it is not the one the parser would generate. */
function setClause(keyword: string, s: NvSet, owner: string, opts: RenderOptions): string {
  const idPart = isGeneratedFrom(s.id, `${owner}-${s.tag}`) ? '' : `$id=${s.id} `;
  return `${keyword} ${idPart}${pairs(s, opts).join(' ')}`;
}

const SET_KEYWORD: Record<string, string> = { instance_attributes: 'params', meta_attributes: 'meta', utilization: 'utilization' };

function renderNode(n: CrmNode, opts: RenderOptions): string {
  const name = n.type ? `${n.uname}:${n.type}` : n.uname;
  let head = n.id === n.uname ? `node ${name}` : `node ${n.id}: ${name}`;
  if (n.description !== undefined) head += ` description=${quoteValue(n.description)}`;
  const parts = [head];
  for (const s of n.sets) parts.push(setClause(s.tag === 'utilization' ? 'utilization' : 'attributes', s, n.uname, opts));
  return parts.join(CONT);
}

/** The agent as crmsh shows it: `ocf:heartbeat:X` shortened to `X`. */
export function agentName(p: Primitive): string {
  if (p.class === 'ocf' && p.provider === 'heartbeat') return p.type;
  return p.provider !== undefined ? `${p.class}:${p.provider}:${p.type}` : `${p.class}:${p.type}`;
}

function renderOp(rsc: string, o: Op, opts: RenderOptions): string[] {
  const interval = o.attrs.find(([k]) => k === 'interval')?.[1] ?? '0';
  const words = [`op ${o.name}`, ...o.attrs.map(([k, v]) => `${k}=${quoteValue(v)}`)];
  if (!isGeneratedFrom(o.id, `${rsc}-${o.name}-${interval}`)) words.push(`id=${o.id}`);
  const lines = [words.join(' ')];
  if (o.params) lines.push(`op_params ${pairs(o.params, opts).join(' ')}`);
  if (o.meta) lines.push(`op_meta ${pairs(o.meta, opts).join(' ')}`);
  return lines;
}

function renderResource(r: Resource, opts: RenderOptions): string {
  const desc = r.description !== undefined ? ` description=${quoteValue(r.description)}` : '';
  const sets = r.sets.map((s) => setClause(SET_KEYWORD[s.tag] ?? 'params', s, r.id, opts));
  switch (r.kind) {
    case 'primitive':
      return [`primitive ${r.id} ${agentName(r)}${desc}`, ...sets, ...r.ops.flatMap((o) => renderOp(r.id, o, opts))].join(CONT);
    case 'group':
      return [`group ${r.id} ${r.members.join(' ')}${desc}`, ...sets].join(CONT);
    case 'clone':
      return [`clone ${r.id} ${r.child}${desc}`, ...sets].join(CONT);
  }
}

function renderExpression(x: Expression): string {
  if (x.operation === 'defined' || x.operation === 'not_defined') return `${x.operation} ${x.attribute}`;
  const op = x.type ? `${x.type}:${x.operation}` : x.operation;
  return `${x.attribute} ${op} ${quoteValue(x.value ?? '')}`;
}

function renderRule(owner: string, r: Rule): string {
  const words = ['rule'];
  if (!isGeneratedFrom(r.id, `${owner}-rule`)) words.push(`$id=${r.id}`);
  if (r.role) words.push(`$role=${r.role}`);
  if (r.score !== undefined) words.push(`${displayScore(r.score)}:`);
  else if (r.scoreAttribute !== undefined) words.push(`${r.scoreAttribute}:`);
  words.push(r.expressions.map(renderExpression).join(` ${r.booleanOp ?? 'and'} `));
  return words.join(' ');
}

const withSuffix = (rsc: string | undefined, suffix: string | undefined): string => (suffix ? `${rsc ?? ''}:${suffix}` : rsc ?? '');

function renderConstraint(c: Constraint): string {
  switch (c.kind) {
    case 'location': {
      const head = [`location ${c.id} ${c.rsc}`];
      if (c.role) head.push(`role=${c.role}`);
      if (c.resourceDiscovery) head.push(`resource-discovery=${c.resourceDiscovery}`);
      if (c.rules.length === 0) return `${head.join(' ')} ${displayScore(c.score ?? '0')}: ${c.node ?? ''}`;
      return [head.join(' '), ...c.rules.map((r) => renderRule(c.id, r))].join(CONT);
    }
    case 'colocation': {
      const rscs = c.sets.length ? c.sets.flatMap((s) => s.refs) : [withSuffix(c.rsc, c.rscRole), withSuffix(c.withRsc, c.withRscRole)];
      const tail = c.nodeAttribute ? ` node-attribute=${c.nodeAttribute}` : '';
      return `colocation ${c.id} ${displayScore(c.score)}: ${rscs.join(' ')}${tail}`;
    }
    case 'order': {
      const kind = c.orderKind ? `${c.orderKind}: ` : c.score !== undefined ? `${displayScore(c.score)}: ` : '';
      const rscs = c.sets.length ? c.sets.flatMap((s) => s.refs) : [withSuffix(c.first, c.firstAction), withSuffix(c.then, c.thenAction)];
      const tail = c.symmetrical !== undefined ? ` symmetrical=${c.symmetrical}` : '';
      return `order ${c.id} ${kind}${rscs.join(' ')}${tail}`;
    }
  }
}

function renderOptionSet(o: OptionSet, opts: RenderOptions): string {
  return [`${o.kind} ${o.set.id}:`, ...pairs(o.set, opts)].join(CONT);
}
