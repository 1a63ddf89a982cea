// Shared pieces of the `lifeline daemon` namespace tests: configs, starting daemons, running the CLI on a host.
// Each test file owns its prefix (lld-*) and one /24 of 10.240.0.0/16.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lifelineKind, startDaemon, type Host, type RunningDaemon } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

/** The timing every daemon test uses: detection within deadtime (2 s) plus a keepalive. */
export const KEEPALIVE_MS = 200;
export const DEADTIME_MS = 2000;

export const AUTHKEYS = 'auth 1\n1 sha1 lifeline-daemon-test\n';

/** An ha.cf with our timing, the given media lines and nodes. */
export function haCf(media: string, nodes: readonly string[]): string {
  return `keepalive ${KEEPALIVE_MS}ms\ndeadtime ${DEADTIME_MS / 1000}\nwarntime 1\ninitdead 10\nudpport 694\n${media}\nauto_failback on\nnode ${nodes.join(' ')}\n`;
}

/** Starts `lifeline daemon --foreground` on the host with this ha.cf (harness adds logfile). */
export function startLifeline(h: Host, cf: string, authkeys = AUTHKEYS): Promise<RunningDaemon> {
  return startDaemon(h, { haCf: cf, authkeys, haresources: '' }, lifelineKind());
}

/** Runs `lifeline ARGS` (the built CLI) inside the host. */
export function lifeline(h: Host, args: readonly string[]) {
  return h.exec([process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), ...args], { timeoutMs: 20000 });
}

/** Waits until every host logged an active status for every other host. */
export async function waitAllActive(hosts: readonly Host[], timeoutMs = 20000): Promise<void> {
  for (const h of hosts) {
    for (const o of hosts) {
      if (o === h) continue;
      await h.waitForLog(new RegExp(`Link ${o.hostname}:eth0 up`), { timeoutMs });
      await h.waitForLog(new RegExp(`Status update for node ${o.hostname}: status active`), { timeoutMs });
    }
  }
}

/**
 * Crashes `victim` and waits for each survivor to log it dead; returns the delays (ms, crash → line seen).
 * Waits first until past the start-up dead time boost (deadtime + 2 s advertised during the first 5 s).
 */
export async function crashAndMeasure(victim: Host, survivors: readonly Host[]): Promise<number[]> {
  const marks = await Promise.all(survivors.map((s) => s.logMark()));
  const t = performance.now();
  await victim.crash();
  const seen = await Promise.all(survivors.map((s, i) => s.waitForLog(new RegExp(`node ${victim.hostname}: is dead`), { since: marks[i]!, timeoutMs: 15000 })));
  return seen.map((m) => Math.round(m.seenAt - t));
}
