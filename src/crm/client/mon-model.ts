// Pure: what crm_mon shows, taken from a CIB (and, live, the daemon's crm_status): the header, nodes, resources
// with where they run (the scheduler's own reading of the status section), fail counts, failed actions, history.
import { parseCib, parseScore, INFINITY, type Cib, type PrimitiveDef, type ResourceDef } from '../cib.js';
import { schedule } from '../scheduler.js';
import { printXml } from '../cib-store/index.js';
import { getAttr, type XEl } from '../xml-lite.js';

/** What the daemon's crm_status adds to a CIB read live (the DC and quorum as the controller holds them). */
export interface LiveStatus { readonly dc: string | null; readonly quorum: boolean }

export interface MonNode {
  readonly name: string; readonly id: string; readonly online: boolean; readonly standby: boolean; readonly standbyOnFail: boolean;
  readonly maintenance: boolean; readonly expectedUp: boolean; readonly isDc: boolean; readonly running: number; readonly featureSet?: string;
}
export interface MonPrimitive {
  readonly kind: 'primitive'; readonly id: string; readonly agent: string; readonly node: string | null;
  /** Every node it is active on (several: multiple-active). */
  readonly nodes: readonly string[];
  readonly failed: boolean; readonly managed: boolean; readonly disabled: boolean;
  /** The configured target-role (own, else the group's or clone's). */
  readonly targetRole?: string;
}
export interface MonGroup { readonly kind: 'group'; readonly id: string; readonly members: readonly MonPrimitive[]; readonly disabled: boolean }
export interface MonClone { readonly kind: 'clone'; readonly id: string; readonly child: string; readonly unique: boolean; readonly instances: readonly MonPrimitive[] }
export type MonResource = MonPrimitive | MonGroup | MonClone;

/** One resource's fail count on a node (Migration Summary). */
export interface MonFailCount { readonly rsc: string; readonly threshold: number; readonly count: number; readonly lastFailure: number }
/** One lrm_rsc_op as crm_mon's history and failure lists use it. */
export interface MonOp {
  readonly rsc: string; readonly node: string; readonly id: string; readonly key: string; readonly task: string; readonly intervalMs: number;
  readonly call: number; readonly rc: number; readonly opStatus: number; readonly exitReason: string;
  readonly lastRcChange?: number; readonly execMs?: number; readonly queueMs?: number;
}
export interface MonHistory { readonly node: string; readonly rscs: ReadonlyArray<{ rsc: string; threshold: number; count: number; lastFailure: number; ops: readonly MonOp[] }> }
export interface MonBan { readonly id: string; readonly rsc: string; readonly node: string; readonly weight: number }

export interface MonModel {
  readonly stack: string;
  readonly dc: { readonly name: string; readonly id: string; readonly version: string; readonly quorum: boolean } | null;
  readonly lastChange: { readonly time: string; readonly user?: string; readonly client?: string; readonly origin?: string };
  readonly nodesConfigured: number;
  readonly instances: number;
  readonly disabledCount: number;
  readonly options: ReadonlyMap<string, string>;
  readonly nodes: readonly MonNode[];
  readonly resources: readonly MonResource[];
  /** The primitives in configuration order (the by-node view lists them so). */
  readonly primitives: readonly MonPrimitive[];
  readonly failCounts: ReadonlyArray<{ node: string; rscs: readonly MonFailCount[] }>;
  readonly failures: readonly MonOp[];
  readonly history: readonly MonHistory[];
  readonly bans: readonly MonBan[];
}

const kid = (e: XEl | undefined, tag: string) => e?.kids.find((k) => k.tagName === tag);
const agentOf = (p: PrimitiveDef) => (p.provider ? `${p.cls}:${p.provider}:${p.type}` : `${p.cls}:${p.type}`);
const num = (s: string | undefined) => (s === undefined || s === '' || !/^-?\d+$/.test(s) ? undefined : parseInt(s, 10));

/** Builds the model of a CIB (a tree from cib_query or a file); `now` in epoch seconds. A CIB that does not parse is a string. */
export function monModel(xml: XEl, now: number, live?: LiveStatus): MonModel | string {
  const parsed = parseCib(printXml(xml));
  if (!parsed.ok) return parsed.error.message;
  const cib = parsed.value;
  let current: ReadonlyMap<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean; runningOn: readonly string[] }>;
  let nodeStates: ReadonlyArray<{ uname: string; online: boolean; standby: boolean; maintenance: boolean; standbyOnFail?: boolean }>;
  try {
    const t = schedule(cib, { now, scores: false });
    current = t.current;
    nodeStates = [...t.nodes].sort((a, b) => naturalCompare(a.uname, b.uname));
  } catch {
    current = new Map();
    nodeStates = cib.nodes.map((n) => ({ uname: n.uname, online: n.state?.crmd === 'online', standby: false, maintenance: false })).sort((a, b) => naturalCompare(a.uname, b.uname));
  }
  const dcUuid = live ? undefined : cib.dcUuid;
  const dcNode = live?.dc ? cib.nodes.find((n) => n.uname === live.dc) : cib.nodes.find((n) => n.id === dcUuid);
  const dcName = live?.dc ?? dcNode?.uname;
  const quorum = live ? live.quorum : cib.haveQuorum;
  const prim = (p: PrimitiveDef, id = p.id, parent?: ResourceDef): MonPrimitive => {
    const c = current.get(id);
    const role = p.meta.get('target-role') ?? parent?.meta.get('target-role');
    const node = c?.node ?? null;
    return { kind: 'primitive', id, agent: agentOf(p), node, nodes: c?.runningOn.length ? c.runningOn : node ? [node] : [], failed: c?.failed ?? false,
      managed: c?.managed ?? true, disabled: c?.disabled ?? false, ...(role !== undefined ? { targetRole: role } : {}) };
  };
  // Pacemaker lists resources by priority, highest first (a stable sort of the configuration order).
  const prio = (r: ResourceDef) => parseScore(r.meta.get('priority') ?? cib.rscDefaults.get('priority') ?? '0');
  const sorted = cib.resources.map((r, i) => ({ r, i })).sort((a, b) => prio(b.r) - prio(a.r) || a.i - b.i).map((x) => x.r);
  const resources: MonResource[] = sorted.map((r): MonResource => {
    if (r.kind === 'primitive') return prim(r);
    if (r.kind === 'group') {
      const members = r.members.map((m) => prim(m, m.id, r));
      return { kind: 'group', id: r.id, members, disabled: (r.meta.get('target-role') ?? '').toLowerCase() === 'stopped' };
    }
    const ids = [...current.keys()].filter((k) => k.startsWith(`${r.child.id}:`));
    const unique = /^(true|yes|1|on)$/i.test(r.meta.get('globally-unique') ?? '');
    // Instances of an anonymous clone go by the primitive's id, as crm_mon shows them.
    return { kind: 'clone', id: r.id, child: r.child.id, unique, instances: ids.map((i) => ({ ...prim(r.child, i, r), ...(unique ? {} : { id: r.child.id }) })) };
  });
  const allPrims = resources.flatMap((r) => (r.kind === 'primitive' ? [r] : r.kind === 'group' ? r.members : r.instances));
  const nodes: MonNode[] = nodeStates.map((s) => {
    const def = cib.nodes.find((n) => n.uname === s.uname);
    const st = statusOf(xml, s.uname);
    const fs = st ? getAttr(st, 'feature_set') : undefined;
    return {
      name: s.uname, id: def?.id ?? s.uname, online: s.online, standby: s.standby, standbyOnFail: s.standbyOnFail ?? false, maintenance: s.maintenance,
      expectedUp: def?.state?.expected === 'member', isDc: s.uname === dcName, running: allPrims.filter((p) => p.nodes.includes(s.uname)).length,
      ...(s.online ? { featureSet: fs ?? '<3.15.1' } : {}),
    };
  });
  const history = nodeHistory(xml, cib, nodes);
  const failures = history.flatMap((h) => h.rscs.flatMap((r) => r.ops.filter((o) => o.id.endsWith('_last_failure_0') && !expired(cib, r.rsc, o, now))));
  return {
    stack: cib.options.get('cluster-infrastructure') ?? (live ? 'heartbeat' : 'unknown'),
    dc: dcName ? { name: dcName, id: dcNode?.id ?? dcName, version: cib.options.get('dc-version') ?? '', quorum } : null,
    lastChange: {
      time: getAttr(xml, 'cib-last-written') ?? '',
      ...opt('user', getAttr(xml, 'update-user')), ...opt('client', getAttr(xml, 'update-client')), ...opt('origin', getAttr(xml, 'update-origin')),
    },
    nodesConfigured: cib.nodes.length,
    instances: allPrims.length,
    disabledCount: allPrims.filter((p) => p.disabled).length,
    options: cib.options,
    nodes, resources,
    primitives: cib.resources.flatMap((r) => (r.kind === 'primitive' ? [r.id] : r.kind === 'group' ? r.members.map((m) => m.id) : [])).map((id) => allPrims.find((p) => p.id === id)!).filter((p) => p !== undefined)
      .concat(resources.flatMap((r) => (r.kind === 'clone' ? r.instances : []))),
    failCounts: history.filter((h) => nodes.find((n) => n.name === h.node)?.online)
      .map((h) => ({ node: h.node, rscs: h.rscs.filter((r) => r.count > 0).map(({ rsc, threshold, count, lastFailure }) => ({ rsc, threshold, count, lastFailure })) }))
      .filter((x) => x.rscs.length > 0),
    failures, history, bans: bans(cib),
  };
}

const opt = <K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> => (v === undefined ? {} : { [k]: v } as Record<K, string>);

function statusOf(xml: XEl, uname: string): XEl | undefined {
  return kid(xml, 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname);
}

function findDef(cib: Cib, id: string): { def: PrimitiveDef; parent?: ResourceDef } | undefined {
  const base = id.replace(/:\d+$/, '');
  for (const r of cib.resources) {
    if (r.kind === 'primitive' && r.id === base) return { def: r };
    if (r.kind === 'group') { const m = r.members.find((x) => x.id === base); if (m) return { def: m, parent: r }; }
    if (r.kind === 'clone' && r.child.id === base) return { def: r.child, parent: r };
  }
  return undefined;
}

/** A meta attribute as the resource sees it: its own, its parent's, then rsc_defaults. */
function metaOf(cib: Cib, rsc: string, name: string): string | undefined {
  const f = findDef(cib, rsc);
  return f?.def.meta.get(name) ?? f?.parent?.meta.get(name) ?? cib.rscDefaults.get(name);
}

/** migration-threshold as crm_mon prints it (INFINITY is 1000000). */
export function thresholdOf(cib: Cib, rsc: string): number {
  const v = metaOf(cib, rsc, 'migration-threshold');
  return v === undefined ? INFINITY : Math.min(INFINITY, Math.max(0, parseScore(v)));
}

function expired(cib: Cib, rsc: string, op: MonOp, now: number): boolean {
  const ft = metaOf(cib, rsc, 'failure-timeout');
  const sec = ft ? Math.floor(parseMs(ft) / 1000) : 0;
  return sec > 0 && op.lastRcChange !== undefined && now > op.lastRcChange + sec;
}

const parseMs = (s: string): number => {
  const m = /^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(s);
  if (!m) return 0;
  const n = parseInt(m[1]!, 10);
  return m[2] === 'ms' || m[2] === 'msec' ? n : m[2] === 'm' || m[2] === 'min' ? n * 60_000 : m[2] === 'h' || m[2] === 'hr' ? n * 3_600_000 : n * 1000;
};

/** Per online node with history: each lrm_resource (CIB order) with its fail count and its operations by call id. */
function nodeHistory(xml: XEl, cib: Cib, nodes: readonly MonNode[]): MonHistory[] {
  const out: MonHistory[] = [];
  for (const n of nodes) {
    if (!n.online) continue;
    const st = statusOf(xml, n.name);
    const lrms = kid(kid(st, 'lrm'), 'lrm_resources')?.kids.filter((k) => k.tagName === 'lrm_resource') ?? [];
    if (!lrms.length) continue;
    const attrs = new Map<string, string>();
    for (const set of kid(st, 'transient_attributes')?.kids ?? []) for (const nv of set.kids) if (nv.tagName === 'nvpair') attrs.set(getAttr(nv, 'name') ?? '', getAttr(nv, 'value') ?? '');
    const rscs = lrms.map((l) => {
      const rsc = getAttr(l, 'id') ?? '';
      const fc = failCountOf(attrs, rsc);
      const ops: MonOp[] = l.kids.filter((o) => o.tagName === 'lrm_rsc_op').map((o) => {
        const lrc = num(getAttr(o, 'last-rc-change')), ex = num(getAttr(o, 'exec-time')), q = num(getAttr(o, 'queue-time'));
        return {
          rsc, node: n.name, id: getAttr(o, 'id') ?? '', key: getAttr(o, 'operation_key') ?? '', task: getAttr(o, 'operation') ?? '',
          intervalMs: num(getAttr(o, 'interval')) ?? 0, call: num(getAttr(o, 'call-id')) ?? -1, rc: num(getAttr(o, 'rc-code')) ?? 0,
          opStatus: num(getAttr(o, 'op-status')) ?? 0, exitReason: getAttr(o, 'exit-reason') ?? '',
          ...(lrc !== undefined ? { lastRcChange: lrc } : {}), ...(ex !== undefined ? { execMs: ex } : {}), ...(q !== undefined ? { queueMs: q } : {}),
        };
      })
        // Probes that found the resource stopped and pending operations are not history crm_mon shows.
        .filter((o) => !(o.task === 'monitor' && o.intervalMs === 0 && o.rc === 7) && o.opStatus !== -1)
        .sort((a, b) => a.call - b.call);
      return { rsc, threshold: thresholdOf(cib, rsc), count: fc.count, lastFailure: fc.last, ops };
    }).filter((r) => r.ops.length > 0 || r.count > 0);
    if (rscs.length) out.push({ node: n.name, rscs });
  }
  return out;
}

/** Sum of `fail-count-RSC#op_interval` (and the bare `fail-count-RSC`) and the latest last-failure. */
export function failCountOf(attrs: ReadonlyMap<string, string>, rsc: string): { count: number; last: number } {
  let count = 0, last = 0;
  for (const [k, v] of attrs) {
    if (k === `fail-count-${rsc}` || k.startsWith(`fail-count-${rsc}#`)) count = Math.min(INFINITY, count + parseScore(v));
    else if (k === `last-failure-${rsc}` || k.startsWith(`last-failure-${rsc}#`)) last = Math.max(last, parseInt(v, 10) || 0);
  }
  return { count, last };
}

/** Negative node scores of rsc_location constraints, last first (Pacemaker prepends each to its list): crm_mon's <bans>. */
function bans(cib: Cib): MonBan[] {
  return cib.locations.filter((l) => l.node !== undefined && l.score < 0 && l.rules.length === 0)
    .map((l) => ({ id: l.id, rsc: l.rsc, node: l.node!, weight: Math.max(l.score, -INFINITY) })).reverse();
}

/** Pacemaker's node name order (sort_node_uname): case-insensitive, runs of digits compared as numbers. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.toLowerCase().match(re) ?? [], pb = b.toLowerCase().match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!, y = pb[i]!;
    const nx = /^\d/.test(x), ny = /^\d/.test(y);
    if (nx && ny) { const d = parseInt(x, 10) - parseInt(y, 10); if (d) return d; } else if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Pacemaker's ctime-like date ("Thu Jan  1 00:00:00 2026") of epoch seconds, in local time. */
export function ctime(sec: number): string {
  const d = new Date(sec * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]!;
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]!;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

/** pcmk__readable_interval: 90000 → "1m30s", 1534 → "1.534s". */
export function readableInterval(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  const parts: string[] = [];
  const take = (unit: number, sfx: string) => { const n = Math.floor(rest / unit); if (n > 0) { parts.push(`${n}${sfx}`); rest -= n * unit; } };
  take(86_400_000, 'd'); take(3_600_000, 'h'); take(60_000, 'm');
  const s = Math.floor(rest / 1000), msPart = rest % 1000;
  if (msPart > 0 && s === 0 && parts.length === 0) parts.push(`${msPart}ms`);
  else if (msPart > 0) parts.push(`${s}.${String(msPart).padStart(3, '0')}s`);
  else if (s > 0) parts.push(`${s}s`);
  return parts.join('');
}

/** services_ocf_exitcode_str. */
export function rcText(rc: number): string {
  return ['ok', 'error', 'invalid parameter', 'unimplemented feature', 'insufficient privileges', 'not installed', 'not configured',
    'not running', 'promoted', 'promoted (failed)'][rc] ?? (rc === 190 ? 'degraded' : rc === 191 ? 'degraded promoted' : 'unknown');
}

/** pcmk_exec_status_str. */
export function execStatusText(s: number): string {
  return { [-1]: 'pending', 0: 'complete', 1: 'Cancelled', 2: 'Timed Out', 3: 'NOT SUPPORTED', 4: 'Error', 5: 'Hard error', 6: 'Fatal error',
    7: 'Not installed', 8: 'Not connected', 9: 'Invalid' }[s] ?? 'UNKNOWN';
}
