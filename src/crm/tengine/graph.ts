// Builds the transition graph (Pacemaker's synapses) from the scheduler's result: its start/stop actions and group
// pseudo-actions with their orderings, plus the probes and recurring monitors the controller must also run.
import type { Cib, PrimitiveDef, OpDef } from '../cib.js';
import { isTrue, parseIntervalMs, primitivesOf } from '../cib.js';
import type { Transition } from '../scheduler.js';
import { paramsDigest } from '../scheduler.js';
import { OCF_RC } from '../contract.js';
import { createHash } from 'node:crypto';

/** The op-digest of a recurring operation: the parameters plus CRM_meta_timeout (pcmk__filter_op_for_digest keeps
 *  only that meta attribute when the interval is not 0). A wrong one makes Pacemaker clear the fail count. */
export function recurringDigest(params: ReadonlyMap<string, string>, timeoutMs: number): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const all = [...params].filter(([k]) => !k.startsWith('CRM_meta_'));
  all.push(['CRM_meta_timeout', String(timeoutMs)]);
  const attrs = all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return createHash('md5').update(` <parameters${attrs}/>\n`).digest('hex');
}

/** One synapse: an action and the actions (by id) it waits for. */
export interface GraphAction {
  readonly id: number;
  readonly rsc: string;
  /** start, stop, monitor; for pseudo-actions also running/stopped. */
  readonly task: string;
  /** Node that runs it; null for a pseudo-action (completes as soon as its inputs have). */
  readonly node: string | null;
  readonly pseudo: boolean;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly startDelayMs: number;
  /** rc that counts as success: 7 for a probe (the resource should not be running there), 0 otherwise. */
  readonly expectedRc: number;
  /** What a failure of this operation means (Pacemaker's on-fail, defaults resolved). */
  readonly onFail: string;
  readonly inputs: readonly number[];
  /** Pacemaker's transition key `action:transition:target-rc:dc-uuid`. */
  readonly transitionKey: string;
  readonly agent: { readonly cls: string; readonly provider?: string; readonly type: string };
  readonly params: ReadonlyMap<string, string>;
  readonly opDigest: string;
  /** A Fence action (task 'stonith'): the fencer, not an executor, carries it out; `node` is the target. */
  readonly fence?: { readonly target: string; readonly action: string };
}

/** A transition ready for the engine. */
export interface TransitionGraph {
  readonly id: number;
  readonly actions: readonly GraphAction[];
  /** The cluster options the engine times actions with. */
  readonly batchLimit: number;
  readonly clusterDelayMs: number;
  readonly startFailureIsFatal: boolean;
}

/** Pacemaker's defaults: 20 s operation timeout, 60 s cluster-delay, batch-limit 0 (no fixed limit). */
export const DEFAULT_OP_TIMEOUT_MS = 20_000;
export const DEFAULT_CLUSTER_DELAY_MS = 60_000;

function findOp(p: PrimitiveDef, task: string, intervalMs: number): OpDef | undefined {
  return p.ops.find((o) => o.name === task && o.intervalMs === intervalMs);
}

/** on-fail as Pacemaker defaults it: stop failures fence (with stonith) or block; everything else restarts. */
export function effectiveOnFail(cib: Cib, p: PrimitiveDef, task: string, intervalMs: number): string {
  const own = findOp(p, task, intervalMs)?.onFail;
  if (own) return own;
  if (task === 'stop') return isTrue(cib.options.get('stonith-enabled') ?? 'true') ? 'fence' : 'block';
  return 'restart';
}

/**
 * The graph for one scheduler run. `transitionId` numbers transitions as the DC does; `dcUuid` ends the keys.
 * Adds: a probe (monitor interval 0, expected "not running") of each resource on each online node without
 * history of it, ordered before every start of that resource; and each enabled recurring monitor of a resource
 * where it will run, after its start, or alone when it already runs there without an active monitor.
 */
export function buildGraph(cib: Cib, t: Transition, transitionId: number, dcUuid: string): TransitionGraph {
  const prims = new Map<string, PrimitiveDef>();
  for (const r of cib.resources) for (const p of primitivesOf(r)) prims.set(p.id, p);
  // A clone instance (CHILD:N) runs its child's agent with its child's operations; its probes are the child's.
  const cloneChild = new Set(cib.resources.flatMap((r) => (r.kind === 'clone' ? [r.child.id] : [])));
  const baseOf = (rid: string) => { const i = rid.lastIndexOf(':'); return i > 0 && cloneChild.has(rid.slice(0, i)) && /^\d+$/.test(rid.slice(i + 1)) ? rid.slice(0, i) : rid; };
  const primOf = (rid: string) => prims.get(rid) ?? prims.get(baseOf(rid));
  const opTimeout = parseIntervalMs(cib.opDefaults.get('timeout')) || DEFAULT_OP_TIMEOUT_MS;
  const raw: Array<Omit<GraphAction, 'id' | 'transitionKey' | 'inputs'> & { inputs: number[] }> = [];
  const add = (p: PrimitiveDef | undefined, rsc: string, task: string, node: string | null, pseudo: boolean, intervalMs: number, expectedRc: number, inputs: number[], fence?: { target: string; action: string }) => {
    if (fence) {
      // stonith-timeout bounds the whole fencing operation (the fencer enforces its own per-device timeouts).
      raw.push({ rsc, task, node, pseudo: false, intervalMs: 0, expectedRc: 0, inputs, timeoutMs: parseIntervalMs(cib.options.get('stonith-timeout')) || 60_000,
        startDelayMs: 0, onFail: 'restart', agent: { cls: 'stonith', type: 'fence' }, params: new Map(), opDigest: '', fence });
      return raw.length - 1;
    }
    const op = p ? findOp(p, task, intervalMs) : undefined;
    const timeoutMs = op?.timeoutMs || opTimeout;
    raw.push({ rsc, task, node, pseudo, intervalMs, expectedRc, inputs, timeoutMs, startDelayMs: op?.startDelayMs ?? 0,
      onFail: p ? effectiveOnFail(cib, p, task, intervalMs) : 'restart',
      agent: p ? { cls: p.cls, ...(p.provider ? { provider: p.provider } : {}), type: p.type } : { cls: 'pseudo', type: task },
      params: p?.params ?? new Map(), opDigest: !p ? '' : intervalMs > 0 ? recurringDigest(p.params, timeoutMs) : paramsDigest(p.params) });
    return raw.length - 1;
  };
  // Probes first: everything else may depend on them.
  const probes = new Map<string, number[]>();
  for (const n of t.nodes) {
    if (!n.online || n.unclean) continue;
    const def = cib.nodes.find((d) => d.uname === n.uname);
    for (const p of prims.values()) {
      if (def?.history.has(p.id) || (cloneChild.has(p.id) && [...def?.history.keys() ?? []].some((k) => baseOf(k) === p.id))) continue;
      const id = add(p, p.id, 'monitor', n.uname, false, 0, OCF_RC.NOT_RUNNING, []);
      probes.set(p.id, [...(probes.get(p.id) ?? []), id]);
    }
  }
  const base = raw.length;
  for (const g of t.graph) {
    const p = g.pseudo ? undefined : primOf(g.rsc);
    const inputs = g.inputs.map((i) => i + base);
    if (g.task === 'start' && !g.pseudo) inputs.push(...(probes.get(g.rsc) ?? probes.get(baseOf(g.rsc)) ?? []));
    add(p, g.rsc, g.task, g.node, g.pseudo, 0, OCF_RC.OK, inputs, g.fence);
  }
  // Recurring monitors where each resource runs after the transition.
  for (const [rid, node] of t.placements) {
    const p = primOf(rid);
    const cur = t.current.get(rid);
    if (!p || node === null || !cur?.managed) continue;
    // A promotable instance runs the monitors of its next role, after the action that gives it that role.
    const role = t.roles.get(rid);
    const roleIdx = raw.findIndex((a, i) => i >= base && a.rsc === rid && (a.task === 'promote' || a.task === 'demote') && a.node === node);
    const startIdx = roleIdx >= 0 ? roleIdx : raw.findIndex((a, i) => i >= base && a.rsc === rid && a.task === 'start' && a.node === node);
    const history = cib.nodes.find((d) => d.uname === node)?.history.get(rid) ?? [];
    for (const op of p.ops) {
      if (op.name !== 'monitor' || op.intervalMs <= 0 || !op.enabled) continue;
      if (op.role !== undefined && op.role !== (role ?? 'Started')) continue;
      const rc = role === 'Promoted' ? OCF_RC.RUNNING_PROMOTED : OCF_RC.OK;
      if (startIdx >= 0) { add(p, rid, 'monitor', node, false, op.intervalMs, rc, [startIdx]); continue; }
      const active = history.some((h) => h.operation === 'monitor' && h.intervalMs === op.intervalMs);
      if (!active && cur.node === node) add(p, rid, 'monitor', node, false, op.intervalMs, rc, []);
    }
  }
  addProbeOrderings(t, raw, base, probes);
  const actions: GraphAction[] = raw.map((a, id) => ({ ...a, id, inputs: [...new Set(a.inputs)].sort((x, y) => x - y),
    transitionKey: `${id}:${transitionId}:${a.expectedRc}:${dcUuid}` }));
  return {
    id: transitionId, actions,
    batchLimit: parseInt(cib.options.get('batch-limit') ?? '0', 10) || 0,
    clusterDelayMs: parseIntervalMs(cib.options.get('cluster-delay')) || DEFAULT_CLUSTER_DELAY_MS,
    startFailureIsFatal: isTrue(cib.options.get('start-failure-is-fatal') ?? 'true'),
  };
}

/**
 * Pacemaker's extra probe orderings (pcmk_sched_probes.c): the probes of X come before every action ordered after
 * a stop of X at resource level (add_probe_orderings_for_stops), and before the stops of each other primitive whose
 * start a start of X makes required (add_restart_orderings_for_probe), so nothing is stopped on a guess.
 */
function addProbeOrderings(t: Transition, raw: Array<{ rsc: string; task: string; pseudo: boolean; inputs: number[] }>, base: number, probes: ReadonlyMap<string, number[]>): void {
  const order = (probe: number, then: number) => { if (!raw[then]!.inputs.includes(probe)) raw[then]!.inputs.push(probe); };
  for (const o of t.orderings) {
    if (o.first === o.then || o.firstTask !== 'stop') continue;
    for (const p of probes.get(o.first) ?? []) {
      raw.forEach((a, i) => { if (i >= base && a.rsc === o.then && a.task === o.thenTask) order(p, i); });
    }
  }
  for (const [rsc, ps] of probes) {
    for (const p of ps) {
      const seen = new Set<number>();
      const walk = (i: number) => {
        if (seen.has(i)) return;
        seen.add(i);
        const a = raw[i]!;
        if (a.rsc !== rsc && a.task === 'start' && !a.pseudo) {
          raw.forEach((b, j) => { if (j >= base && b.rsc === a.rsc && b.task === 'stop' && !b.pseudo) order(p, j); });
        }
        for (const next of t.graph[i - base]?.impliesThen ?? []) walk(next + base);
      };
      raw.forEach((a, i) => { if (i >= base && a.inputs.includes(p)) walk(i); });
    }
  }
}
