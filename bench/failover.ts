// Failover benchmark: heartbeat 3.0.6, keepalived and (once its daemon exists) Lifeline on the same three-namespace rig.
// Runs are interleaved across kinds. Usage: node --import tsx bench/failover.ts [--runs N] [--kinds heartbeat,keepalived,lifeline] [--profile ka1dt5|aggr] [--crash kill|linkdown] [--subnet-base N] [--prefix llb-fo] [--net 10.230]
import { availableKinds, measureFailover, summary, type BenchKind, type CrashMode, type FailoverSample, type Profile } from './failover-rig.js';
import { repoRoot } from '../src/harness/daemon.js';
import { cpus, loadavg } from 'node:os';

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * Lifeline's failover targets (issue 4), per profile: takeover (death declared → VIP up) median ≤ 50 ms and ≤ half
 * of heartbeat's, and crash → first client reply median ≤ deadtime + 100 ms. Returns one line per check.
 */
function targetLines(all: ReadonlyMap<string, FailoverSample[]>, profiles: readonly Profile[], crash: CrashMode): string[] {
  const out: string[] = [];
  const med = (xs: number[]): number => summary(xs).median;
  for (const p of profiles) {
    const ll = all.get(`lifeline ${p} ${crash}`);
    if (!ll || ll.length === 0) continue;
    const take = med(ll.map((s) => s.vip - s.detect));
    const total = med(ll.map((s) => s.client));
    const dt = ll[0]!.deadtimeMs;
    const mark = (b: boolean): string => (b ? 'met' : 'MISSED');
    out.push(`${p} ${crash}: lifeline takeover median ${take.toFixed(0)} ms ≤ 50 ms: ${mark(take <= 50)}`);
    const hb = all.get(`heartbeat ${p} ${crash}`);
    if (hb && hb.length > 0) {
      const hbTake = med(hb.map((s) => s.vip - s.detect));
      out.push(`${p} ${crash}: lifeline takeover median ${take.toFixed(0)} ms ≤ half of heartbeat's ${hbTake.toFixed(0)} ms: ${mark(take <= hbTake / 2)}`);
    }
    out.push(`${p} ${crash}: lifeline crash → client reply median ${total.toFixed(0)} ms ≤ deadtime + 100 = ${dt + 100} ms: ${mark(total <= dt + 100)}`);
  }
  return out;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

async function main(): Promise<number> {
  const runs = Number(arg('runs', '10'));
  const profiles = arg('profile', 'ka1dt5,aggr').split(',') as Profile[];
  const crashes = arg('crash', 'kill').split(',') as CrashMode[];
  const prefix = arg('prefix', 'llb-fo');
  const net = arg('net', '10.230');
  let subnet = Number(arg('subnet-base', '1'));
  const { kinds, notes } = availableKinds(repoRoot(), arg('kinds', 'heartbeat,keepalived,lifeline').split(',') as BenchKind[]);
  for (const n of notes) console.log(n);
  console.log(`${new Date().toISOString()}: ${cpus().length} cores, load average at start ${load()}`);
  const rows: string[] = [];
  const all = new Map<string, FailoverSample[]>();
  // Interleaved (run i of every kind, then run i+1): the shared machine's load drifts, and should hit every kind alike.
  for (const profile of profiles) for (const crash of crashes) {
    for (const kind of kinds) all.set(`${kind} ${profile} ${crash}`, []);
    for (let i = 0; i < runs; i++) for (const kind of kinds) {
      try {
        const s = await measureFailover({ kind, profile, crash, prefix, subnet, net });
        all.get(`${kind} ${profile} ${crash}`)!.push(s);
        console.log(`${kind} ${profile} ${crash} run ${i + 1}: detect ${s.detect.toFixed(0)} vip ${s.vip.toFixed(0)} client ${s.client.toFixed(0)} takeover ${(s.vip - s.detect).toFixed(0)}${s.vipOnStandbyOnly ? '' : ' (VIP NOT on standby only!)'} [load ${load()}]`);
      } catch (e) {
        console.log(`${kind} ${profile} ${crash} run ${i + 1}: FAILED ${(e as Error).message.split('\n')[0]}`);
      }
      subnet = subnet >= 250 ? 1 : subnet + 1;
    }
  }
  const f = (xs: number[]): string => { const m = summary(xs); return `${m.min.toFixed(0)} / ${m.median.toFixed(0)} / ${m.max.toFixed(0)}`; };
  for (const kind of kinds) for (const profile of profiles) for (const crash of crashes) {
    const samples = all.get(`${kind} ${profile} ${crash}`) ?? [];
    if (samples.length === 0) { rows.push(`| ${kind} | ${profile} | ${crash} | 0 | – | – | – | – |`); continue; }
    rows.push(`| ${kind} | ${profile} | ${crash} | ${samples.length} | ${f(samples.map((s) => s.detect))} | ${f(samples.map((s) => s.vip))} | ${f(samples.map((s) => s.client))} | ${f(samples.map((s) => s.vip - s.detect))} |`);
  }
  console.log('\n| kind | profile | crash | runs | detect | VIP on standby | client reply | takeover (VIP − detect) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('(ms from the crash, min / median / max)');
  for (const crash of crashes) for (const l of targetLines(all, profiles, crash)) console.log(l);
  console.log(`${new Date().toISOString()}: load average at end ${load()}`);
  return 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
