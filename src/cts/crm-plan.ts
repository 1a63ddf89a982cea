// The `crm on` campaign's pure core: the faults of a three-node CRM cluster, a seeded planner choosing the next one
// from which daemons run, and what the audits expect once the cluster settled (where the group may run, quorum).
import { mulberry32 } from '../random.js';

export type CrmNode = 'c1' | 'c2' | 'c3';
export const CRM_NODES: readonly CrmNode[] = ['c1', 'c2', 'c3'];

/** One fault and its parameters; `monitor-fail` hits whichever node runs the group when it is injected. */
export type CrmFault =
  | { readonly kind: 'start'; readonly node: CrmNode }
  | { readonly kind: 'crash'; readonly node: CrmNode }
  | { readonly kind: 'restart'; readonly node: CrmNode }
  /** The node alone on one side (2|1), the client with the other two. */
  | { readonly kind: 'partition'; readonly node: CrmNode; readonly ms: number }
  | { readonly kind: 'link-down'; readonly node: CrmNode; readonly ms: number }
  | { readonly kind: 'monitor-fail' }
  | { readonly kind: 'pause'; readonly node: CrmNode; readonly ms: number };

export type CrmFaultKind = CrmFault['kind'];

export interface CrmModel {
  /** Whether a daemon runs on the node (started, not crashed since). */
  readonly up: Readonly<Record<CrmNode, boolean>>;
  readonly deadtimeMs: number;
}

/** What the audits accept for a fault. */
export interface CrmExpectation {
  readonly model: CrmModel;
  /** Copies of the group once settled: 1 while a quorate partition exists, else 0 (no-quorum-policy=stop). */
  readonly copies: 0 | 1;
  /** The fault splits the cluster without fencing: two copies may be seen until it settled. */
  readonly unfencedPartition: boolean;
}

export const initialCrmModel = (deadtimeMs: number): CrmModel => ({ up: { c1: false, c2: false, c3: false }, deadtimeMs });

export const upNodes = (m: CrmModel): CrmNode[] => CRM_NODES.filter((n) => m.up[n]);
const quorate = (m: CrmModel) => upNodes(m).length * 2 > CRM_NODES.length;

/** The model after `f`, and what the audits allow. Pure. */
export function expectCrm(m: CrmModel, f: CrmFault): CrmExpectation {
  let up = m.up;
  if (f.kind === 'start') up = { ...up, [f.node]: true };
  if (f.kind === 'crash') up = { ...up, [f.node]: false };
  const model = { ...m, up };
  const long = 'ms' in f && f.ms > m.deadtimeMs;
  const unfenced = (f.kind === 'partition' || f.kind === 'link-down' || (f.kind === 'pause' && long)) && upNodes(m).length >= 2;
  return { model, copies: quorate(model) ? 1 : 0, unfencedPartition: unfenced };
}

const WEIGHTS: Record<CrmFaultKind, number> = { start: 0, crash: 3, restart: 2, partition: 3, 'link-down': 2, 'monitor-fail': 3, pause: 3 };

/** The next fault from `rnd`. A crashed node comes back before the next fault 3 times in 4; never two down at once. */
export function nextCrmFault(m: CrmModel, rnd: () => number, only?: ReadonlySet<CrmFaultKind>): CrmFault {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => Math.round(lo + rnd() * (hi - lo));
  const up = upNodes(m);
  const down = CRM_NODES.filter((n) => !m.up[n]);
  if (up.length < 2 || (down.length > 0 && rnd() < 0.75)) return { kind: 'start', node: pick(down) };
  const kinds = (Object.keys(WEIGHTS) as CrmFaultKind[]).filter((k) => WEIGHTS[k] > 0 && (!only || only.has(k)));
  if (kinds.length === 0) return { kind: 'start', node: pick(down.length ? down : up) };
  const total = kinds.reduce((s, k) => s + WEIGHTS[k], 0);
  let r = rnd() * total;
  let kind = kinds[0]!;
  for (const k of kinds) { r -= WEIGHTS[k]; if (r < 0) { kind = k; break; } }
  const node = pick(up);
  const d = m.deadtimeMs;
  switch (kind) {
    // With a node already down a crash leaves one node without quorum: drawn rarely.
    case 'crash': return up.length === 3 || rnd() < 0.2 ? { kind, node } : { kind: 'start', node: pick(down) };
    case 'restart': return { kind, node };
    case 'partition': case 'link-down': return { kind, node, ms: between(d + 1000, d + 4000) };
    case 'monitor-fail': return { kind };
    case 'pause': return { kind, node, ms: rnd() < 0.5 ? between(d / 5, d / 2) : between(d + 1000, d + 3000) };
    default: return { kind: 'start', node: pick(down.length ? down : up) };
  }
}

/** A campaign's faults from its seed: the three starts, then `count` faults. */
export function planCrmCampaign(seed: number, count: number, deadtimeMs: number, only?: ReadonlySet<CrmFaultKind>): CrmFault[] {
  const rnd = mulberry32(seed);
  let m = initialCrmModel(deadtimeMs);
  const out: CrmFault[] = CRM_NODES.map((node) => ({ kind: 'start', node }));
  for (const f of out) m = expectCrm(m, f).model;
  while (out.length < count + 3) {
    const f = nextCrmFault(m, rnd, only);
    out.push(f);
    m = expectCrm(m, f).model;
  }
  return out;
}

export function describeCrmFault(f: CrmFault): string {
  return [f.kind, ...('node' in f ? [f.node] : []), ...('ms' in f ? [`${f.ms}ms`] : [])].join(' ');
}

export function parseCrmFaultLine(line: string): CrmFault {
  const [kind, ...rest] = line.trim().split(/\s+/);
  const node = rest.find((x): x is CrmNode => (CRM_NODES as readonly string[]).includes(x));
  const msx = rest.map((x) => /^(\d+)ms$/.exec(x)).find(Boolean);
  const ms = msx ? Number(msx[1]) : undefined;
  switch (kind) {
    case 'monitor-fail': return { kind };
    case 'start': case 'crash': case 'restart': if (node) return { kind, node }; break;
    case 'partition': case 'link-down': case 'pause': if (node && ms !== undefined) return { kind, node, ms }; break;
    default: break;
  }
  throw new Error(`cts: cannot read crm fault line "${line}"`);
}
