// The transition engine (Pacemaker's controld te_*): a pure state machine that fires graph actions whose inputs
// completed, at most batch-limit at a time, times them out, and aborts the transition on anything unexpected.
import type { GraphAction, TransitionGraph } from './graph.js';
import { EXEC_STATUS, OCF_RC } from '../contract.js';

/** Where each action stands. */
export type ActionStatus = 'pending' | 'running' | 'confirmed' | 'failed';

export interface EngineState {
  readonly graph: TransitionGraph;
  readonly status: readonly ActionStatus[];
  /** Per action, how many of its inputs are not confirmed yet (0: it may run). */
  readonly remaining: readonly number[];
  /** Pending actions whose inputs all completed but that wait for a batch slot, in graph order. */
  readonly ready: readonly number[];
  /** Actions each action is an input of (computed once per graph). */
  readonly dependents: readonly (readonly number[])[];
  readonly runningCount: number;
  /** Fake-clock deadline (ms) of each running action (timeout + start-delay + cluster-delay after it was sent),
   *  -1 for actions not running. An array: it is copied on every event, a Map of thousands would dominate. */
  readonly deadlines: readonly number[];
  /** Set once the transition is aborted: no new action starts, running ones are waited for. */
  readonly abortReason?: string;
  /** Set once the `finished` effect went out. */
  readonly finished: boolean;
}

/** What reaches the engine. */
export type EngineEvent =
  | { readonly kind: 'result'; readonly actionId: number; readonly rc: number; readonly execStatus: number }
  | { readonly kind: 'node-lost'; readonly node: string }
  /** Something the graph did not plan for happened (a CIB change, a monitor failure outside the graph). */
  | { readonly kind: 'abort'; readonly reason: string }
  | { readonly kind: 'tick' };

/** What the engine asks its shell to do. */
export type EngineEffect =
  | { readonly kind: 'execute'; readonly action: GraphAction }
  /** A failure to count (fail-count-<rsc>#<op>): `fatal` sets it to INFINITY (start-failure-is-fatal). */
  | { readonly kind: 'count-failure'; readonly action: GraphAction; readonly fatal: boolean }
  /** The action's timer expired: the shell records it as timed out (op-status 2). */
  | { readonly kind: 'timed-out'; readonly action: GraphAction }
  /** on-fail=fence: the node must be fenced (request only; the fencer carries it out). */
  | { readonly kind: 'fence'; readonly node: string; readonly reason: string }
  /** The transition is over: complete, or aborted (then the caller runs the scheduler again). */
  | { readonly kind: 'finished'; readonly aborted: boolean; readonly reason?: string };

export interface Step { readonly state: EngineState; readonly effects: EngineEffect[] }

/** Whether `rc`/`execStatus` is what the graph expected of `a`. */
export function succeeded(a: GraphAction, rc: number, execStatus: number): boolean {
  return execStatus === EXEC_STATUS.DONE && rc === a.expectedRc;
}

/** Starts a transition at `now`: fires what can run. */
export function startTransition(graph: TransitionGraph, now: number): Step {
  const dependents: number[][] = graph.actions.map(() => []);
  for (const a of graph.actions) for (const i of a.inputs) dependents[i]!.push(a.id);
  const s: EngineState = { graph, status: graph.actions.map(() => 'pending'), remaining: graph.actions.map((a) => a.inputs.length),
    ready: graph.actions.filter((a) => a.inputs.length === 0).map((a) => a.id), dependents, runningCount: 0, deadlines: graph.actions.map(() => -1), finished: false };
  return dispatch(s, [], [], [], now);
}

const abort = (s: EngineState, reason: string): EngineState => (s.abortReason !== undefined ? s : { ...s, abortReason: reason });

/**
 * Marks `confirmed` and `failed` actions, fires ready actions (pseudo ones complete at once) up to the batch
 * limit, then reports the end of the transition when nothing runs any more. O(changes) per event.
 */
function dispatch(s0: EngineState, confirmed: readonly number[], failed: readonly number[], effects: EngineEffect[], now: number): Step {
  let s = s0;
  // Consumed state: its arrays are updated in place (see stepEngine).
  const status = s.status as ActionStatus[];
  const remaining = s.remaining as number[];
  // A min-heap of ready action ids: Pacemaker fires synapses in graph order.
  const heap = s.ready.slice();
  const push = (id: number) => {
    let i = heap.push(id) - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (heap[p]! <= id) break; heap[i] = heap[p]!; i = p; }
    heap[i] = id;
  };
  const pop = (): number => {
    const top = heap[0]!, last = heap.pop()!;
    if (heap.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        const v = (k: number) => (k === i ? last : heap[k]!);
        if (l < heap.length && heap[l]! < v(m)) m = l;
        if (r < heap.length && heap[r]! < v(m)) m = r;
        if (m === i) break;
        heap[i] = heap[m]!; i = m;
      }
      heap[i] = last;
    }
    return top;
  };
  const deadlines = s.deadlines as number[];
  let running = s.runningCount;
  const settle = (id: number, to: ActionStatus) => {
    if (status[id] === 'running') running--;
    status[id] = to;
    deadlines[id] = -1;
    if (to !== 'confirmed') return;
    for (const d of s.dependents[id]!) if (--remaining[d]! === 0 && status[d] === 'pending') push(d);
  };
  for (const id of failed) settle(id, 'failed');
  for (const id of confirmed) settle(id, 'confirmed');
  const limit = s.graph.batchLimit > 0 ? s.graph.batchLimit : Infinity;
  if (s.abortReason === undefined) {
    const throttled: number[] = [];
    while (heap.length) {
      const id = pop();
      const a = s.graph.actions[id]!;
      if (status[id] !== 'pending') continue;
      if (a.pseudo) { settle(id, 'confirmed'); continue; }
      if (running >= limit) { throttled.push(id); continue; }
      status[id] = 'running';
      running++;
      deadlines[id] = now + a.timeoutMs + a.startDelayMs + s.graph.clusterDelayMs;
      effects.push({ kind: 'execute', action: a });
    }
    for (const id of throttled) push(id);
  }
  s = { ...s, status, remaining, ready: heap.sort((x, y) => x - y), deadlines, runningCount: running };
  if (!s.finished && running === 0) {
    if (s.abortReason === undefined && status.some((x) => x === 'pending')) s = abort(s, 'actions could not run');
    effects.push({ kind: 'finished', aborted: s.abortReason !== undefined, ...(s.abortReason !== undefined ? { reason: s.abortReason } : {}) });
    s = { ...s, finished: true };
  }
  return { state: s, effects };
}

/**
 * One event. Results of actions not running (stale, from an older transition) are ignored. The step consumes
 * `s`: its per-action arrays are updated in place and belong to the returned state (copying them would make a
 * transition of 34,000 actions cost 10^9 element copies); keep no reference to a previous state.
 */
export function stepEngine(s: EngineState, ev: EngineEvent, now: number): Step {
  if (s.finished) return { state: s, effects: [] };
  const effects: EngineEffect[] = [];
  switch (ev.kind) {
    case 'result': {
      const a = s.graph.actions[ev.actionId];
      if (!a || s.status[a.id] !== 'running') return { state: s, effects };
      if (succeeded(a, ev.rc, ev.execStatus)) return dispatch(s, [a.id], [], effects, now);
      // A probe that finds the resource running is news, not a failure: replan with it.
      const probe = a.task === 'monitor' && a.intervalMs === 0;
      const probeState = probe && ev.execStatus === EXEC_STATUS.DONE && (ev.rc === OCF_RC.OK || ev.rc === OCF_RC.NOT_RUNNING || ev.rc === OCF_RC.RUNNING_PROMOTED);
      if (!probeState && a.onFail === 'ignore') return dispatch(s, [a.id], [], effects, now);
      // A failed fence counts no failure: the transition stops and the next one fences again (recoveries wait).
      if (a.fence) return dispatch(abort(s, `Fencing of ${a.fence.target} failed`), [], [a.id], effects, now);
      if (!probeState) {
        effects.push({ kind: 'count-failure', action: a, fatal: a.task === 'start' && s.graph.startFailureIsFatal });
        if (a.onFail === 'fence' && a.node) effects.push({ kind: 'fence', node: a.node, reason: `${a.rsc} ${a.task} failed` });
      }
      const reason = probeState ? `probe of ${a.rsc} on ${a.node} found it running` : `${a.rsc}_${a.task}_${a.intervalMs} on ${a.node} failed (rc=${ev.rc}, status=${ev.execStatus})`;
      return dispatch(abort(s, reason), [], [a.id], effects, now);
    }
    case 'node-lost': {
      // The Fence action of a lost node is what makes it safe: it goes on.
      const lost = s.graph.actions.filter((a) => a.node === ev.node && !a.fence && (s.status[a.id] === 'running' || s.status[a.id] === 'pending')).map((a) => a.id);
      return dispatch(abort(s, `node ${ev.node} lost`), [], lost, effects, now);
    }
    case 'abort':
      return dispatch(abort(s, ev.reason), [], [], effects, now);
    case 'tick': {
      const expired: number[] = [];
      for (const [id, at] of s.deadlines.entries()) {
        if (at < 0 || now < at) continue;
        const a = s.graph.actions[id]!;
        expired.push(id);
        if (a.fence) continue;
        effects.push({ kind: 'timed-out', action: a }, { kind: 'count-failure', action: a, fatal: a.task === 'start' && s.graph.startFailureIsFatal });
      }
      if (expired.length === 0) return { state: s, effects };
      return dispatch(abort(s, 'action timed out'), [], expired, effects, now);
    }
  }
}

/** The earliest action deadline, for the shell's timer (undefined when nothing runs). */
export function nextDeadline(s: EngineState): number | undefined {
  let min: number | undefined;
  for (const at of s.deadlines) if (at >= 0 && (min === undefined || at < min)) min = at;
  return min;
}
