// `lifeline events [--follow] [--json] [--since N] [--run-dir DIR]`: the daemon's ring of structured events
// (node/link changes, late heartbeats, drops, takeovers with durations, commands, resource operations).
import { controlRequest } from '../../daemon/client.js';
import type { ClusterEvent } from '../../events/ring.js';

export const summary = 'show the daemon\'s recent cluster events (--follow to keep watching, --json for machines)';

/** How often `--follow` asks the daemon for new events: well inside the 1 s a watcher expects. */
const FOLLOW_MS = 250;

/** One event as a line: wall time, code, text, and the durations that make a failover readable. */
export function formatEvent(e: ClusterEvent): string {
  const extra: string[] = [];
  if (e.detectionMs !== undefined) extra.push(`detection ${e.detectionMs} ms`);
  if (e.durationMs !== undefined && e.kind !== 'late-heartbeat') extra.push(`duration ${e.durationMs} ms`);
  if (e.sinceDeathMs !== undefined) extra.push(`since death ${e.sinceDeathMs} ms`);
  return `${new Date(e.at).toISOString()} ${e.code} ${e.text}${extra.length ? ` [${extra.join(', ')}]` : ''}`;
}

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = process.env.LIFELINE_RUN_DIR ?? '/var/run/heartbeat';
  let json = false;
  let follow = false;
  let since = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--follow' || a === '-f') follow = true;
    else if (a === '--run-dir' && argv[i + 1] !== undefined) runDir = argv[++i]!;
    else if (a === '--since' && /^\d+$/.test(argv[i + 1] ?? '')) since = Number(argv[++i]);
    else { process.stderr.write(`lifeline events: unknown argument "${a}" (usage: lifeline events [--follow] [--json] [--since N] [--run-dir DIR])\n`); return 2; }
  }
  let stop = false;
  const onSig = () => { stop = true; };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  try {
    for (;;) {
      const a = await controlRequest(runDir, { cmd: 'events', since, limit: 1000 });
      if (!a?.ok) {
        process.stderr.write(`lifeline events: no Lifeline daemon answers in ${runDir}\n`);
        return 1;
      }
      const evs = a.events as ClusterEvent[];
      for (const e of evs) process.stdout.write(`${json ? JSON.stringify(e) : formatEvent(e)}\n`);
      // A restarted daemon numbers from 1 again: start over from its first event.
      since = evs.length ? evs[evs.length - 1]!.seq : Math.min(since, a.last as number);
      if (!follow || stop) return 0;
      await new Promise((r) => setTimeout(r, FOLLOW_MS));
      if (stop) return 0;
    }
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  }
}
