// Pure: what crm_resource reads from a CIB (does a resource or node exist, where a resource runs, from its
// lrm_rsc_op history) and the constraints -M/-B/-U create and remove, with Pacemaker's ids (cli-prefer-R, cli-ban-R-on-N).
import { getAttr, type XEl } from '../xml-lite.js';

const kid = (e: XEl | undefined, tag: string): XEl | undefined => e?.kids.find((k) => k.tagName === tag);
const RSC_TAGS = new Set(['primitive', 'group', 'clone', 'master', 'bundle']);

/** The configuration element of resource `id` (primitive, group, clone…), searched at any depth. */
export function findResource(cib: XEl, id: string): XEl | undefined {
  const walk = (e: XEl): XEl | undefined => {
    for (const k of e.kids) {
      if (RSC_TAGS.has(k.tagName) && getAttr(k, 'id') === id) return k;
      const f = RSC_TAGS.has(k.tagName) ? walk(k) : undefined;
      if (f) return f;
    }
    return undefined;
  };
  const res = kid(kid(cib, 'configuration'), 'resources');
  return res ? walk(res) : undefined;
}

/** Whether `name` is a node of the cluster (nodes section or status). */
export function nodeExists(cib: XEl, name: string): boolean {
  const nodes = kid(kid(cib, 'configuration'), 'nodes')?.kids ?? [];
  if (nodes.some((n) => n.tagName === 'node' && getAttr(n, 'uname') === name)) return true;
  return (kid(cib, 'status')?.kids ?? []).some((s) => s.tagName === 'node_state' && getAttr(s, 'uname') === name);
}

/** The primitives below a resource (itself for a primitive). */
function primitives(rsc: XEl): XEl[] {
  if (rsc.tagName === 'primitive') return [rsc];
  return rsc.kids.filter((k) => RSC_TAGS.has(k.tagName)).flatMap(primitives);
}

/** Whether the last operation of an lrm_resource leaves it active (start/promote/monitor with rc 0 or 8, not a stop). */
function activeFromHistory(lrm: XEl): boolean {
  let last: XEl | undefined;
  let lastCall = -Infinity;
  for (const op of lrm.kids) {
    if (op.tagName !== 'lrm_rsc_op') continue;
    const call = Number(getAttr(op, 'call-id') ?? -1);
    if (call >= lastCall) { lastCall = call; last = op; }
  }
  if (!last) return false;
  const task = getAttr(last, 'operation');
  const rc = getAttr(last, 'rc-code');
  if (getAttr(last, 'op-status') === '-1') return task !== 'start'; // pending: a pending start is not active yet
  if (task === 'stop') return rc !== '0';
  if (task === 'monitor') return rc === '0' || rc === '8';
  if (task === 'start' || task === 'promote' || task === 'demote' || task === 'migrate_from') return rc === '0' || rc === '8';
  return false;
}

/** The nodes a resource is active on (for a group: where its first member is), in status order. Online nodes only. */
export function locate(cib: XEl, rsc: XEl): string[] {
  const prims = primitives(rsc).map((p) => getAttr(p, 'id')!);
  const first = rsc.tagName === 'group' ? prims.slice(0, 1) : prims;
  const out: string[] = [];
  for (const st of kid(cib, 'status')?.kids ?? []) {
    if (st.tagName !== 'node_state' || getAttr(st, 'crmd') !== 'online') continue;
    const lrms = kid(kid(st, 'lrm'), 'lrm_resources')?.kids ?? [];
    if (lrms.some((l) => first.includes(getAttr(l, 'id') ?? '') && activeFromHistory(l))) out.push(getAttr(st, 'uname') ?? getAttr(st, 'id') ?? '');
  }
  return out;
}

/** The ids of the cli- constraints of `rsc` (`node` limits bans to that node), as --clear removes them. */
export function cliConstraints(cib: XEl, rsc: string, node?: string): string[] {
  const cons = kid(kid(cib, 'configuration'), 'constraints')?.kids ?? [];
  const want = (id: string) => id === `cli-prefer-${rsc}` || (node === undefined ? id.startsWith(`cli-ban-${rsc}-on-`) : id === `cli-ban-${rsc}-on-${node}`);
  return cons.filter((c) => c.tagName === 'rsc_location' && want(getAttr(c, 'id') ?? '')).map((c) => getAttr(c, 'id')!);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Pacemaker's date form for a lifetime's end: `YYYY-MM-DD HH:MM:SSZ`. */
export function lifetimeEnd(nowSec: number, lifetimeSec: number): string {
  return new Date((nowSec + lifetimeSec) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** ISO 8601 durations as crm_resource --lifetime takes them (PT1H, P1D, PT30M…); undefined when not one. */
export function parseDuration(s: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return n(1) * 365 * 86400 + n(2) * 30 * 86400 + n(3) * 7 * 86400 + n(4) * 86400 + n(5) * 3600 + n(6) * 60 + n(7);
}

/** The rsc_location of a move (`prefer`, score INFINITY) or a ban (-INFINITY), with a lifetime rule when `end` is given. */
export function cliLocation(kind: 'prefer' | 'ban', rsc: string, node: string, end?: string): { id: string; xml: string } {
  const id = kind === 'prefer' ? `cli-prefer-${rsc}` : `cli-ban-${rsc}-on-${node}`;
  const score = kind === 'prefer' ? 'INFINITY' : '-INFINITY';
  if (end === undefined) return { id, xml: `<rsc_location id="${esc(id)}" rsc="${esc(rsc)}" role="Started" node="${esc(node)}" score="${score}"/>` };
  // Pacemaker names the rule's parts differently for the two: cli-prefer-rule-R, but cli-ban-R-on-N-rule.
  const part = (what: string) => (kind === 'prefer' ? `cli-prefer-${what}-${rsc}` : `${id}-${what === 'lifetime-end' ? 'lifetime' : what}`);
  return {
    id,
    xml: `<rsc_location id="${esc(id)}" rsc="${esc(rsc)}" role="Started"><rule id="${esc(part('rule'))}" score="${score}" boolean-op="and">`
      + `<expression id="${esc(part('expr'))}" attribute="#uname" operation="eq" value="${esc(node)}" type="string"/>`
      + `<date_expression id="${esc(part('lifetime-end'))}" operation="lt" end="${end}"/></rule></rsc_location>`,
  };
}

/** A resource's attribute sets of one kind (instance_attributes or meta_attributes) and the nvpair `name` in them. */
export function rscAttr(rsc: XEl, setTag: string, name: string): { id: string; setId: string; value?: string } | undefined {
  for (const set of rsc.kids) {
    if (set.tagName !== setTag) continue;
    for (const nv of set.kids) {
      if (nv.tagName === 'nvpair' && getAttr(nv, 'name') === name) {
        const value = getAttr(nv, 'value');
        return { id: getAttr(nv, 'id') ?? '', setId: getAttr(set, 'id') ?? '', ...(value !== undefined ? { value } : {}) };
      }
    }
  }
  return undefined;
}

/** The cib_modify XML that sets a resource's parameter or meta attribute (the set `R-instance_attributes` when new). */
export function rscAttrXml(rsc: XEl, setTag: string, name: string, value: string): { xml: string; id: string; setId: string } {
  const rid = getAttr(rsc, 'id')!;
  const found = rscAttr(rsc, setTag, name);
  const setId = found?.setId ?? `${rid}-${setTag}`;
  const id = found?.id ?? `${setId}-${name}`;
  return { id, setId, xml: `<${rsc.tagName} id="${esc(rid)}"><${setTag} id="${esc(setId)}"><nvpair id="${esc(id)}" name="${esc(name)}" value="${esc(value)}"/></${setTag}></${rsc.tagName}>` };
}

/** Whether the constraints section holds a constraint of this id. */
export function hasConstraint(cib: XEl, id: string): boolean {
  return (kid(kid(cib, 'configuration'), 'constraints')?.kids ?? []).some((c) => getAttr(c, 'id') === id);
}
