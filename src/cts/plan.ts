// The fault campaign's pure core: the faults of a two-node haresources cluster, a seeded planner choosing the next
// one from what the cluster is doing, and the model of where the group must be once the cluster has settled.
import { mulberry32 } from '../random.js';
import type { Impl } from '../harness/ha-commands.js';

/** The two nodes: `nodea` is the group's preferred node in haresources (auto_failback on), `nodeb` the other. */
export type NodeName = 'nodea' | 'nodeb';
export const NODES: readonly NodeName[] = ['nodea', 'nodeb'];
export const PREFERRED: NodeName = 'nodea';
export const other = (n: NodeName): NodeName => (n === 'nodea' ? 'nodeb' : 'nodea');

/** One fault and its random parameters. Durations are how long the fault lasts before it is undone. */
export type Fault =
  | { readonly kind: 'crash'; readonly node: NodeName }
  | { readonly kind: 'stop'; readonly node: NodeName }
  | { readonly kind: 'start'; readonly node: NodeName }
  | { readonly kind: 'restart'; readonly node: NodeName }
  | { readonly kind: 'pause'; readonly node: NodeName; readonly ms: number }
  | { readonly kind: 'link-down'; readonly node: NodeName; readonly media: 'one' | 'all'; readonly ms: number }
  | { readonly kind: 'loss'; readonly node: NodeName; readonly pct: number; readonly ms: number }
  | { readonly kind: 'one-way'; readonly node: NodeName; readonly ms: number }
  | { readonly kind: 'partition'; readonly ms: number; readonly flaps: number }
  | { readonly kind: 'monitor-fail'; readonly node: NodeName }
  | { readonly kind: 'standby'; readonly node: NodeName }
  | { readonly kind: 'takeover'; readonly node: NodeName }
  | { readonly kind: 'standby-in-failover'; readonly node: NodeName }
  | { readonly kind: 'reload'; readonly node: NodeName; readonly broken: boolean; readonly inFailover: boolean }
  /** Broadcast on the eth0 LAN (what a `bcast` medium listens to): every node hears them. */
  | { readonly kind: 'bad-packets'; readonly count: number }
  | { readonly kind: 'restart-in-partition'; readonly node: NodeName; readonly ms: number };

export type FaultKind = Fault['kind'];

/** The timing of the campaign's cluster (ha.cf), from which durations and bounds are derived. */
export interface Timing {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly initdeadMs: number;
}

/** What the campaign knows of the cluster between faults. */
export interface Model {
  readonly impl: Readonly<Record<NodeName, Impl>>;
  /** Whether a daemon runs on the node (started and neither crashed nor stopped since). */
  readonly up: Readonly<Record<NodeName, boolean>>;
  /** Who holds the group once settled; null: nobody (no daemon runs). */
  readonly owner: NodeName | null;
  /** Monitor failures of the group on its current owner (they count again from zero once it left). */
  readonly monitorFailures: number;
  /** In-place restarts the monitors file allows before the group is handed over. */
  readonly monitorRestarts: number;
  /** ha.cf's deadtime: a pause longer than this is a death. */
  readonly deadtimeMs: number;
}

/** What a fault means for the audits: the model after it, whether two owners may be seen while it lasts. */
export interface Expectation {
  /** The model after the fault, with the first of `owners` as its owner. */
  readonly model: Model;
  /**
   * Who may hold the group once settled. One entry where the behaviour is certain; two where it depends on timing
   * the campaign does not control (heavy loss may or may not cause a false death).
   */
  readonly owners: readonly (NodeName | null)[];
  /** Both nodes may hold the VIP while the fault lasts and until the cluster settled (a split brain, no fencing). */
  readonly splitBrain: boolean;
  /** Log lines at ERROR level the fault causes on a node, so they are not audit failures. */
  readonly expectedErrors: Readonly<Partial<Record<NodeName, readonly RegExp[]>>>;
}

export function initialModel(impl: Readonly<Record<NodeName, Impl>>, t: Timing, monitorRestarts = 1): Model {
  return { impl, up: { nodea: false, nodeb: false }, owner: null, monitorFailures: 0, monitorRestarts, deadtimeMs: t.deadtimeMs };
}

const both = (m: Model) => m.up.nodea && m.up.nodeb;

/** The owner once a split brain is over: one side gives up and restarts, auto_failback brings the group home. */
const afterSplit = (m: Model): NodeName | null => (m.up[PREFERRED] ? PREFERRED : m.up.nodeb ? 'nodeb' : null);

/** The owner after `n`'s daemon went away (crash or stop): its peer if it runs. */
function withoutNode(m: Model, n: NodeName): Model {
  const up = { ...m.up, [n]: false };
  if (m.owner !== n) return { ...m, up };
  return { ...m, up, owner: up[other(n)] ? other(n) : null, monitorFailures: 0 };
}

/** The owner after `n`'s daemon started: alone it takes the group; the preferred node takes it back (auto_failback). */
function withNode(m: Model, n: NodeName): Model {
  const up = { ...m.up, [n]: true };
  if (!m.up[other(n)]) return { ...m, up, owner: n, monitorFailures: 0 };
  if (n === PREFERRED) return { ...m, up, owner: n, monitorFailures: 0 };
  return { ...m, up };
}

const none: Expectation['expectedErrors'] = {};
/** Lifeline's and heartbeat's lines for a bad packet (dropped, counted) and for a refused reload. */
const BAD_PACKET = [/dropped packet from/, /Bad (?:message|packet)|string2msg|msgfromstream|NV failure|netstring/i];
const BROKEN_RELOAD = [/reload/i, /keepalive/i, /Configuration error|ha\.cf/i];

/** The model after `f`, and what the audits allow while it lasts. Pure. */
export function expect(m: Model, f: Fault): Expectation {
  const plain = (model: Model, expectedErrors = none): Expectation => ({ model, owners: [model.owner], splitBrain: false, expectedErrors });
  /** A split brain for certain: both sides hold the group, then one gives up and restarts. */
  const split = (model: Model): Expectation => {
    const owner = afterSplit(model);
    return { model: settle(model, owner), owners: [owner], splitBrain: true, expectedErrors: none };
  };
  /** Perhaps a split brain (a false death under loss, a one-way cut): either nothing changes or the split ends as above. */
  const maybeSplit = (model: Model): Expectation => {
    const owner = afterSplit(model);
    return { model, owners: owner === model.owner ? [owner] : [model.owner, owner], splitBrain: true, expectedErrors: none };
  };
  switch (f.kind) {
    case 'crash': case 'stop': return plain(withoutNode(m, f.node));
    case 'start': return plain(withNode(m, f.node));
    case 'restart': return plain(withNode(withoutNode(m, f.node), f.node));
    case 'pause': return both(m) && f.ms > m.deadtimeMs ? split(m) : plain(m);
    case 'partition': return both(m) ? split(m) : plain(m);
    case 'one-way': return both(m) ? maybeSplit(m) : plain(m);
    case 'link-down': return f.media === 'all' && both(m) ? split(m) : plain(m);
    case 'loss': return f.pct >= 30 && both(m) ? maybeSplit(m) : plain(m);
    case 'restart-in-partition': return split(withNode(withoutNode(m, f.node), f.node));
    case 'monitor-fail': {
      const failures = m.monitorFailures + 1;
      if (failures <= m.monitorRestarts || !both(m)) return plain({ ...m, monitorFailures: failures });
      return plain({ ...m, owner: other(f.node), monitorFailures: 0 });
    }
    case 'standby': return plain({ ...m, owner: other(f.node), monitorFailures: 0 });
    case 'takeover': return plain({ ...m, owner: f.node, monitorFailures: 0 });
    case 'standby-in-failover': return plain(withoutNode(m, other(f.node)));
    case 'reload': {
      const model = f.inFailover ? withoutNode(m, other(f.node)) : m;
      return plain(model, f.broken ? { [f.node]: BROKEN_RELOAD } : none);
    }
    case 'bad-packets': return plain(m, { nodea: BAD_PACKET, nodeb: BAD_PACKET });
  }
}

/** The model once the cluster settled with `owner` holding the group (monitor failures count per stay). */
export function settle(m: Model, owner: NodeName | null): Model {
  return owner === m.owner ? m : { ...m, owner, monitorFailures: 0 };
}

/** Relative weights of the fault kinds; a kind is drawn only where it applies to the cluster's state. */
export const WEIGHTS: Readonly<Record<FaultKind, number>> = {
  'crash': 6, 'stop': 3, 'start': 0, 'restart': 3, 'pause': 4, 'link-down': 4, 'loss': 3, 'one-way': 2,
  'partition': 4, 'monitor-fail': 4, 'standby': 3, 'takeover': 3, 'standby-in-failover': 2, 'reload': 3,
  'bad-packets': 2, 'restart-in-partition': 2,
};

/** The kinds of faults that apply to the model's state, each with the nodes it may hit. */
function candidates(m: Model, only?: ReadonlySet<FaultKind>): [FaultKind, NodeName[]][] {
  const upNodes = NODES.filter((n) => m.up[n]);
  const lifelineUp = upNodes.filter((n) => m.impl[n] === 'lifeline');
  const owner = m.owner ? [m.owner] : [];
  const list: [FaultKind, NodeName[]][] = [
    ['crash', upNodes], ['stop', upNodes], ['restart', upNodes], ['pause', upNodes],
    ['link-down', upNodes], ['loss', upNodes], ['one-way', both(m) ? upNodes : []], ['partition', both(m) ? ['nodea'] : []],
    // The monitors file is Lifeline's: only a Lifeline owner monitors.
    ['monitor-fail', both(m) ? owner.filter((n) => m.impl[n] === 'lifeline') : []],
    ['standby', both(m) ? owner : []], ['takeover', both(m) && m.owner ? [other(m.owner)] : []],
    ['standby-in-failover', both(m) && m.owner ? [other(m.owner)] : []],
    // Bad packets reach every node; a Lifeline node up counts them (heartbeat has no counter to read).
    ['reload', lifelineUp], ['bad-packets', lifelineUp], ['restart-in-partition', both(m) ? upNodes : []],
  ];
  return list.filter(([k, ns]) => ns.length > 0 && (!only || only.has(k)));
}

/** Draws the next fault from `rnd` (a [0,1) generator). A node that is down is started again first, mostly. */
export function nextFault(m: Model, t: Timing, rnd: () => number, only?: ReadonlySet<FaultKind>): Fault {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => Math.round(lo + rnd() * (hi - lo));
  const down = NODES.filter((n) => !m.up[n]);
  // A down node comes back before the next fault 3 times in 4, and always when both are down.
  if (down.length === 2 || (down.length === 1 && rnd() < 0.75) || (down.length > 0 && candidates(m, only).length === 0)) {
    return { kind: 'start', node: pick(down) };
  }
  const cands = candidates(m, only);
  const total = cands.reduce((s, [k]) => s + WEIGHTS[k], 0);
  let r = rnd() * total;
  let chosen = cands[0]!;
  for (const c of cands) { r -= WEIGHTS[c[0]]; if (r < 0) { chosen = c; break; } }
  const [kind, nodes] = chosen;
  const node = pick(nodes);
  const d = t.deadtimeMs;
  switch (kind) {
    case 'pause': return { kind, node, ms: rnd() < 0.5 ? between(d / 5, d / 2) : between(d + 1000, d + 3000) };
    case 'link-down': return { kind, node, media: rnd() < 0.5 ? 'one' : 'all', ms: between(d + 1000, d + 3000) };
    case 'loss': return { kind, node, pct: between(10, 50), ms: between(2000, 6000) };
    case 'one-way': return { kind, node, ms: between(d + 1000, d + 3000) };
    case 'partition': return { kind, ms: between(d + 1000, d + 4000), flaps: rnd() < 0.3 ? between(2, 4) : 1 };
    case 'reload': return { kind, node, broken: rnd() < 0.5, inFailover: both(m) && m.owner === other(node) && rnd() < 0.4 };
    case 'bad-packets': return { kind, count: between(1, 20) };
    case 'restart-in-partition': return { kind, node, ms: between(d + 1000, d + 3000) };
    default: return { kind, node } as Fault;
  }
}

/** A campaign's faults from its seed alone: the same seed, the same faults, as long as the model evolves alike. */
export function planCampaign(seed: number, count: number, impl: Readonly<Record<NodeName, Impl>>, t: Timing, only?: ReadonlySet<FaultKind>): Fault[] {
  const rnd = mulberry32(seed);
  let m = initialModel(impl, t);
  const out: Fault[] = [{ kind: 'start', node: 'nodea' }, { kind: 'start', node: 'nodeb' }];
  for (const f of out) m = expect(m, f).model;
  while (out.length < count) {
    const f = nextFault(m, t, rnd, only);
    out.push(f);
    m = expect(m, f).model;
  }
  return out;
}

/** One line per fault, as the campaign prints it and a replay reads it. */
export function describeFault(f: Fault): string {
  const parts: string[] = [f.kind];
  if ('node' in f) parts.push(f.node);
  if (f.kind === 'link-down') parts.push(`media=${f.media}`);
  if (f.kind === 'loss') parts.push(`${f.pct}%`);
  if ('ms' in f) parts.push(`${f.ms}ms`);
  if (f.kind === 'partition' && f.flaps > 1) parts.push(`flaps=${f.flaps}`);
  if (f.kind === 'reload') parts.push(f.broken ? 'broken' : 'valid', ...(f.inFailover ? ['in-failover'] : []));
  if (f.kind === 'bad-packets') parts.push(`count=${f.count}`);
  return parts.join(' ');
}

/** Reads a line written by `describeFault` back into the fault (a replay). Throws on a line it cannot read. */
export function parseFaultLine(line: string): Fault {
  const [kind, ...rest] = line.trim().split(/\s+/);
  const node = (rest.find((x) => x === 'nodea' || x === 'nodeb') ?? 'nodea') as NodeName;
  const num = (re: RegExp, dflt: number) => { for (const x of rest) { const m = re.exec(x); if (m) return Number(m[1]); } return dflt; };
  const ms = num(/^(\d+)ms$/, 0);
  switch (kind) {
    case 'crash': case 'stop': case 'start': case 'restart': case 'monitor-fail': case 'standby': case 'takeover': case 'standby-in-failover':
      return { kind, node };
    case 'pause': case 'one-way': case 'restart-in-partition': return { kind, node, ms };
    case 'link-down': return { kind, node, ms, media: rest.includes('media=all') ? 'all' : 'one' };
    case 'loss': return { kind, node, ms, pct: num(/^(\d+)%$/, 30) };
    case 'partition': return { kind, ms, flaps: num(/^flaps=(\d+)$/, 1) };
    case 'reload': return { kind, node, broken: rest.includes('broken'), inFailover: rest.includes('in-failover') };
    case 'bad-packets': return { kind, count: num(/^count=(\d+)$/, 1) };
    default: throw new Error(`cts: cannot read fault line "${line}"`);
  }
}
