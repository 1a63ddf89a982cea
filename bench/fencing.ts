// Fencing benchmark, haresources mode, real BMCs (ipmi_sim) and cluster-glue's external/ipmi: kill -9 of the owner's
// daemon, then crash → BMC power off → VIP on the survivor → client hears it; Lifeline pairs vs heartbeat 3.0.6 pairs,
// interleaved. Usage: node dist/bench/fencing.js [--runs N] [--kinds lifeline,heartbeat] [--net 10.232.7]
import { loadavg } from 'node:os';
import { withCluster, type Impl } from '../src/harness/index.js';
import { playKillOwner, rig, startBoth } from '../test/cluster/fencing-rig.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };

async function main(): Promise<number> {
  const runs = Number(arg('runs', '5'));
  const kinds = arg('kinds', 'lifeline,heartbeat').split(',') as Impl[];
  const net = arg('net', '10.232.7');
  const samples = new Map<Impl, { offMs: number; vipMs: number; answeredMs: number }[]>(kinds.map((k) => [k, []]));
  const failures: string[] = [];
  for (let i = 0; i < runs; i++) {
    for (const k of kinds) {
      try {
        await withCluster({ prefix: 'hf-bench', networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
          const r = await rig(c, net, { nodea: k, nodeb: k });
          await startBoth(r);
          samples.get(k)!.push(await playKillOwner(r, (m) => console.log(`run ${i + 1}: ${m}`)));
        });
      } catch (e) {
        failures.push(`${k} run ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  console.log(`\nkeepalive 200 ms, deadtime 2 s, external/ipmi against ipmi_sim; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('pair        runs  crash->power off  crash->VIP up  crash->client hears (medians, ms)');
  for (const [k, xs] of samples) {
    console.log(`${k.padEnd(10)}  ${String(xs.length).padStart(4)}  ${String(median(xs.map((x) => x.offMs))).padStart(16)}  ${String(median(xs.map((x) => x.vipMs))).padStart(13)}  ${String(median(xs.map((x) => x.answeredMs))).padStart(19)}`);
  }
  for (const f of failures) console.log(`FAILED ${f}`);
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
