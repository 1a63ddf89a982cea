// What a namespace test does to either daemon the same way: the daemon kind of an implementation, hb_standby /
// hb_takeover and `cl_status rscstatus` as Lifeline and heartbeat 3.0.6 each ship them, and the recording service.
import { join } from 'node:path';
import type { Host } from './cluster.js';
import { heartbeatKind, lifelineKind, repoRoot, type DaemonKind } from './daemon.js';
import type { ExecResult } from './run.js';

/** Which daemon runs on a node: Lifeline, or heartbeat 3.0.6 as Debian installs it. */
export type Impl = 'lifeline' | 'heartbeat';

/** How `startDaemon` starts the implementation. */
export const kindOf = (impl: Impl): DaemonKind => (impl === 'lifeline' ? lifelineKind() : heartbeatKind);

/** `hb_standby WHICH` / `hb_takeover WHICH` on the node: Lifeline's command, or heartbeat's own script. */
export function handCommand(h: Host, impl: Impl, cmd: 'hb_standby' | 'hb_takeover', which: string): Promise<ExecResult> {
  return impl === 'lifeline'
    ? h.exec([process.execPath, join(repoRoot(), 'bin', `${cmd}.js`), which], { timeoutMs: 10000 })
    : h.exec(['env', 'HA_FIFO=/var/lib/heartbeat/fifo', `/usr/share/heartbeat/${cmd}`, which], { timeoutMs: 10000 });
}

/**
 * `cl_status rscstatus` on the node (Lifeline's, or heartbeat's own /usr/bin/cl_status): its word (`none`, `local`,
 * `foreign`, `all`, `transition`), followed by ` (exit N)` when the command failed.
 */
export async function rscstatus(h: Host, impl: Impl): Promise<string> {
  const argv = impl === 'lifeline' ? [process.execPath, join(repoRoot(), 'bin', 'cl_status.js'), 'rscstatus'] : ['/usr/bin/cl_status', 'rscstatus'];
  const r = await h.exec(argv, { timeoutMs: 10000 });
  return `${r.stdout.trim()}${r.code === 0 ? '' : ` (exit ${r.code})`}`;
}

export interface RecordingScriptOptions {
  /**
   * `status` exits 3 when stopped (LSB's "not running"), so a monitor sees the service die; otherwise it exits 0
   * and only says `stopped`, as heartbeat's resource.d scripts in the interop captures do.
   */
  readonly statusExit3WhenStopped?: boolean;
}

/**
 * A resource.d script NAME that appends every call to /var/lib/heartbeat/NAME.calls (survives a crash) and keeps its
 * state in /var/run/NAME.running (a crashed machine reboots with an empty /var/run).
 */
export function recordingScript(name = 'recsvc', o: RecordingScriptOptions = {}): string {
  return `#!/bin/sh
echo "$1" >> /var/lib/heartbeat/${name}.calls
case "$1" in
  start) touch /var/run/${name}.running ;;
  stop) rm -f /var/run/${name}.running ;;
  status) if [ -e /var/run/${name}.running ]; then echo running; else echo stopped;${o.statusExit3WhenStopped ? ' exit 3;' : ''} fi ;;
esac
exit 0
`;
}
