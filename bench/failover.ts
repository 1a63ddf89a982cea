// Failover benchmark: heartbeat 3.0.6, keepalived and (once its daemon exists) Lifeline on the same three-namespace rig.
// Usage: node --import tsx bench/failover.ts [--runs N] [--kinds heartbeat,keepalived,lifeline] [--profile ka1dt5|aggr] [--crash kill|linkdown] [--subnet-base N] [--prefix llb-fo] [--net 10.230]
import { availableKinds, measureFailover, summary, type BenchKind, type CrashMode, type FailoverSample, type Profile } from './failover-rig.js';
import { repoRoot } from '../src/harness/daemon.js';

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
  const rows: string[] = [];
  for (const kind of kinds) for (const profile of profiles) for (const crash of crashes) {
    const samples: FailoverSample[] = [];
    for (let i = 0; i < runs; i++) {
      try {
        const s = await measureFailover({ kind, profile, crash, prefix, subnet, net });
        samples.push(s);
        console.log(`${kind} ${profile} ${crash} run ${i + 1}: detect ${s.detect.toFixed(0)} vip ${s.vip.toFixed(0)} client ${s.client.toFixed(0)}${s.vipOnStandbyOnly ? '' : ' (VIP NOT on standby only!)'}`);
      } catch (e) {
        console.log(`${kind} ${profile} ${crash} run ${i + 1}: FAILED ${(e as Error).message.split('\n')[0]}`);
      }
      subnet = subnet >= 250 ? 1 : subnet + 1;
    }
    if (samples.length === 0) { rows.push(`| ${kind} | ${profile} | ${crash} | 0 | – | – | – | – |`); continue; }
    const f = (xs: number[]) => { const m = summary(xs); return `${m.min.toFixed(0)} / ${m.median.toFixed(0)} / ${m.max.toFixed(0)}`; };
    rows.push(`| ${kind} | ${profile} | ${crash} | ${samples.length} | ${f(samples.map((s) => s.detect))} | ${f(samples.map((s) => s.vip))} | ${f(samples.map((s) => s.client))} | ${f(samples.map((s) => s.vip - s.detect))} |`);
  }
  console.log('\n| kind | profile | crash | runs | detect | VIP on standby | client reply | takeover (VIP − detect) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('(ms from the crash, min / median / max)');
  return 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
