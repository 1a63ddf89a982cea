// The transition engine (Pacemaker's controld te_*): a pure state machine that fires graph actions whose inputs
// completed, at most batch-limit at a time, times them out, and aborts the transition on anything unexpected.
import type { GraphAction, TransitionGraph } from './graph.js';
import { EXEC_STATUS, OCF_RC } from '../contract.js';

/** Where each action stands. */
export type ActionStatus = 'pending' | 'running' | 'confirmed' | 'failed';

export interface EngineState {
  readonly graph: TransitionGraph;
  readonly status: readonly ActionStatus[];
  /** Fake-clock deadline (ms) of each running action: timeout + start-delay + cluster-delay after it was sent. */
  readonly deadlines: ReadonlyMap<number, number>;
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
  const s: EngineState = { graph, status: graph.actions.map(() => 'pending'), deadlines: new Map(), finished: false };
  return dispatch(s, [], now);
}

function withStatus(s: EngineState, changes: ReadonlyMap<number, ActionStatus>, deadlines?: Map<number, number>): EngineState {
  const status = s.status.slice();
  for (const [i, st] of changes) status[i] = st;
  return { ...s, status, deadlines: deadlines ?? s.deadlines };
}

const abort = (s: EngineState, reason: string): EngineState => (s.abortReason !== undefined ? s : { ...s, abortReason: reason });

/** Fires ready actions (pseudo ones complete at once), then reports the end of the transition when nothing runs. */
function dispatch(s0: EngineState, effects: EngineEffect[], now: number): Step {
  let s = s0;
  const status = s.status.slice();
  const deadlines = new Map(s.deadlines);
  let running = status.filter((x, i) => x === 'running' && !s.graph.actions[i]!.pseudo).length;
  const limit = s.graph.batchLimit > 0 ? s.graph.batchLimit : Infinity;
  if (s.abortReason === undefined) {
    let progress = true;
    while (progress) {
      progress = false;
      for (const a of s.graph.actions) {
        if (status[a.id] !== 'pending' || !a.inputs.every((i) => status[i] === 'confirmed')) continue;
        if (a.pseudo) { status[a.id] = 'confirmed'; progress = true; continue; }
        if (running >= limit) continue;
        status[a.id] = 'running';
        running++;
        deadlines.set(a.id, now + a.timeoutMs + a.startDelayMs + s.graph.clusterDelayMs);
        effects.push({ kind: 'execute', action: a });
      }
    }
  }
  s = { ...s, status, deadlines };
  if (!s.finished && running === 0) {
    const stuck = status.some((x) => x === 'pending');
    if (s.abortReason !== undefined || !stuck) {
      effects.push({ kind: 'finished', aborted: s.abortReason !== undefined, ...(s.abortReason !== undefined ? { reason: s.abortReason } : {}) });
      s = { ...s, finished: true };
    } else {
      // Pending actions whose inputs can never complete: Pacemaker reports the transition as incomplete.
      s = abort(s, 'actions could not run');
      effects.push({ kind: 'finished', aborted: true, reason: s.abortReason! });
      s = { ...s, finished: true };
    }
  }
  return { state: s, effects };
}

/** One event. Results of actions not running (stale, from an older transition) are ignored. */
export function stepEngine(s: EngineState, ev: EngineEvent, now: number): Step {
  if (s.finished) return { state: s, effects: [] };
  const effects: EngineEffect[] = [];
  switch (ev.kind) {
    case 'result': {
      const a = s.graph.actions[ev.actionId];
      if (!a || s.status[a.id] !== 'running') return { state: s, effects };
      const deadlines = new Map(s.deadlines);
      deadlines.delete(a.id);
      if (succeeded(a, ev.rc, ev.execStatus)) return dispatch(withStatus(s, new Map([[a.id, 'confirmed']]), deadlines), effects, now);
      // A probe that finds the resource running is news, not a failure: replan with it.
      const probe = a.task === 'monitor' && a.intervalMs === 0;
      const probeState = probe && ev.execStatus === EXEC_STATUS.DONE && (ev.rc === OCF_RC.OK || ev.rc === OCF_RC.NOT_RUNNING);
      if (!probeState && a.onFail === 'ignore') return dispatch(withStatus(s, new Map([[a.id, 'confirmed']]), deadlines), effects, now);
      if (!probeState) {
        effects.push({ kind: 'count-failure', action: a, fatal: a.task === 'start' && s.graph.startFailureIsFatal });
        if (a.onFail === 'fence' && a.node) effects.push({ kind: 'fence', node: a.node, reason: `${a.rsc} ${a.task} failed` });
      }
      const reason = probeState ? `probe of ${a.rsc} on ${a.node} found it running` : `${a.rsc}_${a.task}_${a.intervalMs} on ${a.node} failed (rc=${ev.rc}, status=${ev.execStatus})`;
      return dispatch(abort(withStatus(s, new Map([[a.id, 'failed']]), deadlines), reason), effects, now);
    }
    case 'node-lost': {
      const changes = new Map<number, ActionStatus>();
      const deadlines = new Map(s.deadlines);
      for (const a of s.graph.actions) {
        if (a.node !== ev.node || (s.status[a.id] !== 'running' && s.status[a.id] !== 'pending')) continue;
        changes.set(a.id, 'failed');
        deadlines.delete(a.id);
      }
      return dispatch(abort(withStatus(s, changes, deadlines), `node ${ev.node} lost`), effects, now);
    }
    case 'abort':
      return dispatch(abort(s, ev.reason), effects, now);
    case 'tick': {
      const changes = new Map<number, ActionStatus>();
      const deadlines = new Map(s.deadlines);
      for (const [id, at] of s.deadlines) {
        if (now < at) continue;
        const a = s.graph.actions[id]!;
        changes.set(id, 'failed');
        deadlines.delete(id);
        effects.push({ kind: 'timed-out', action: a }, { kind: 'count-failure', action: a, fatal: a.task === 'start' && s.graph.startFailureIsFatal });
      }
      if (changes.size === 0) return { state: s, effects };
      return dispatch(abort(withStatus(s, changes, deadlines), 'action timed out'), effects, now);
    }
  }
}

/** The earliest action deadline, for the shell's timer (undefined when nothing runs). */
export function nextDeadline(s: EngineState): number | undefined {
  let min: number | undefined;
  for (const at of s.deadlines.values()) if (min === undefined || at < min) min = at;
  return min;
}
