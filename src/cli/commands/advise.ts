// `lifeline advise`: asks the running daemon for the silences it measured per node and link and prints FAQ 10's
// tuning advice from them: keepalive, warntime, deadtime, initdead, and what the current settings cost or risk.
import { controlRequest } from '../../daemon/client.js';
import { advise, formatMs, mergeHistograms, quantile, type GapHistogram, type Timing } from '../../config/deadtime-advisor.js';

export const summary = 'recommend keepalive, warntime, deadtime and initdead from the heartbeat gaps the daemon measured';

interface GapsAnswer { ok: true; observedMs: number; timing: Timing; links: Array<{ node: string; link: string; hist: GapHistogram }> }

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = '/var/run/heartbeat';
  let margin = 2;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '--json') json = true;
    else if (a === '--run-dir' && v !== undefined) { runDir = v; i++; }
    else if (a === '--margin' && v !== undefined && Number(v) >= 1) { margin = Number(v); i++; }
    else { process.stderr.write(`lifeline advise: bad argument "${a}" (usage: lifeline advise [--run-dir DIR] [--margin F>=1] [--json])\n`); return 2; }
  }
  const r = (await controlRequest(runDir, { cmd: 'gaps' })) as GapsAnswer | undefined;
  if (!r?.ok) { process.stderr.write(`lifeline advise: no daemon answers in ${runDir}\n`); return 1; }
  const all = mergeHistograms(r.links.map((l) => l.hist));
  const a = advise(all, r.timing, margin);
  if (json) { process.stdout.write(`${JSON.stringify({ ...r, advice: a })}\n`); return 0; }
  const out = [`Silences between packets seen over ${Math.round(r.observedMs / 1000)} s (keepalive ${formatMs(r.timing.keepalive)}):`];
  out.push(`  ${'node'.padEnd(16)} ${'link'.padEnd(14)} ${'gaps'.padStart(8)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'p99.9'.padStart(7)} ${'p99.99'.padStart(7)} ${'max'.padStart(7)}`);
  for (const l of r.links) {
    const q = (x: number) => `${quantile(l.hist, x)}ms`.padStart(7);
    out.push(`  ${l.node.padEnd(16)} ${l.link.padEnd(14)} ${String(l.hist.count).padStart(8)} ${q(0.5)} ${q(0.99)} ${q(0.999)} ${q(0.9999)} ${`${Math.ceil(l.hist.maxMs)}ms`.padStart(7)}`);
  }
  if (!r.links.length) out.push('  (no packet from another node yet)');
  out.push('', `Recommended (deadtime ${margin}x over the ${a.basis} of ${a.basisMs} ms; ha.cf syntax):`);
  for (const k of ['keepalive', 'warntime', 'deadtime', 'initdead'] as const) {
    const now = r.timing[k];
    const rec = a.recommended[k];
    out.push(`  ${k.padEnd(9)} ${formatMs(rec).padEnd(8)} ${rec === now ? '(as now)' : `(now ${formatMs(now)})`}`);
  }
  if (a.notes.length) out.push('', ...a.notes);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
