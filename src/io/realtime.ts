// ha.cf `realtime on` (heartbeat's default): the daemon's threads run SCHED_RR so a loaded machine cannot delay heartbeats.
// Node has no sched_setscheduler, so util-linux `chrt` sets it; reset-on-fork keeps resource scripts at normal priority.

import { runProcess } from './process.js';

/** heartbeat's realtime priority for its processes (low in the RR range: above every normal task, below kernel threads). */
export const REALTIME_PRIORITY = 1;

/**
 * Puts every thread of `pid` under SCHED_RR at REALTIME_PRIORITY with SCHED_RESET_ON_FORK, so children (agents,
 * scripts, logger) start as normal tasks, as heartbeat resets its children. Resolves to undefined on success, or to
 * the reason it failed (no chrt, no CAP_SYS_NICE, RT throttled in a container): the daemon then runs at normal priority.
 */
export async function makeRealtime(pid: number): Promise<string | undefined> {
  const r = await runProcess(['chrt', '--all-tasks', '--reset-on-fork', '--rr', '--pid', String(REALTIME_PRIORITY), String(pid)], { timeoutMs: 5000 });
  if (r.code === 0) return undefined;
  return r.spawnError ?? (r.output.trim() || `chrt exited with ${r.code}`);
}
