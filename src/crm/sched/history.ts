// Status stage: replays one resource's operation history on one node (unpack_rsc_op, update_resource_state) into
// "running now" and the unresolved failure with its on-fail; model.ts applies the consequences.
import type { OpHistory, PrimitiveDef } from '../cib.js';
import type { Rsc } from './types.js';

/** What one node's history says about one resource. */
export interface Replayed { running: boolean; ignored: boolean; pending: string | null; promoted: boolean }

/** enum action_fail_response's order: a more severe on-fail wins when several operations failed on a node. */
const ON_FAIL_SEVERITY: Readonly<Record<string, number>> = { ignore: 0, demote: 1, restart: 2, block: 4, stop: 5, standby: 6, fence: 7 };
/** on-fail values whose failure a later completed start or stop clears. */
const CLEARED_BY_STOP: ReadonlySet<string> = new Set(['ignore', 'demote', 'restart', 'block']);

/** Replays `opsIn` (any order; sorted by call id) for `r`, whose definition is `def`, at time `now`. */
export function replayHistory(r: Rsc, def: PrimitiveDef, opsIn: readonly OpHistory[], now: number, stonithEnabled = false): Replayed {
  const ops = [...opsIn].sort((a, b) => a.callId - b.callId);
  const st: Replayed = { running: false, ignored: false, pending: null, promoted: false };
  // The unresolved failure on this node and its on-fail (Pacemaker keeps the most severe one; a later successful
  // start or stop clears restart/ignore/block, never stop/standby/fence: unpack.c's clear_past_failure).
  for (const op of ops) {
    // A probe that finds the resource running (0) or stopped (7) reports state, not a failure.
    // So does "not running" (7) from any monitor that expected it, or of an unmanaged resource (determine_op_status).
    const failed = op.opStatus === 4 || op.rc !== op.expectedRc && !(op.operation === 'monitor' && op.intervalMs === 0 && (op.rc === 0 || op.rc === 7 || op.rc === 8))
      && !(op.operation === 'monitor' && op.rc === 7 && !r.managed);
    const cfg = def.ops.find((o) => o.name === op.operation && o.intervalMs === op.intervalMs);
    // failure-timeout expires a failure, except one with on-fail=block (a blocked resource waits for the admin).
    if (failed && r.failureTimeout > 0 && op.lastRcChange !== undefined && now > op.lastRcChange + r.failureTimeout && cfg?.onFail !== 'block') continue;
    if (!failed) {
      // Roles (update_resource_state, determine_op_status): promote and rc 8 (running promoted) make it
      // promoted; start, stop, demote and rc 7 end that.
      if (op.operation === 'start' || op.operation === 'promote' || op.operation === 'demote') st.running = true;
      else if (op.operation === 'stop') st.running = false;
      else if (op.operation === 'monitor') st.running = op.rc === 0 || op.rc === 8 ? true : op.rc === 7 ? false : st.running;
      if (op.rc === 8 || op.operation === 'promote') st.promoted = true;
      else if (op.operation !== 'monitor' || op.rc === 7) st.promoted = false;
      if ((op.operation === 'start' || op.operation === 'stop' || op.operation === 'promote') && st.pending !== null && CLEARED_BY_STOP.has(st.pending)) st.pending = null;
      continue;
    }
    if (op.rc === 8 || op.rc === 9 || op.operation === 'promote') st.promoted = true;
    // A failed stop's on-fail defaults to fence (block without fencing), every other operation's to restart.
    const onFail = cfg?.onFail ?? (op.operation === 'stop' ? (stonithEnabled ? 'fence' : 'block') : 'restart');
    if (onFail === 'ignore') { st.ignored = true; st.running = op.operation === 'stop' ? st.running : (op.rc === 7 && op.intervalMs === 0 ? false : true); continue; }
    if (op.operation === 'monitor' && op.intervalMs === 0 && op.rc === 7) { st.running = false; continue; }
    st.running = true;
    if (st.pending === null || (ON_FAIL_SEVERITY[onFail] ?? 2) > (ON_FAIL_SEVERITY[st.pending] ?? 2)) st.pending = onFail;
  }
  return st;
}
