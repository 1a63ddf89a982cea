// `crm on` benchmark: Lifeline against real Pacemaker 2.1.5 + corosync 3 on the same 3-node namespace rig (group
// IPaddr2 + Dummy), kinds interleaved, plus the 32-node × 1,000-resource controller twin. Figures printed, not asserted.
// Usage: node --import tsx bench/crm.ts [--runs 3] [--kinds lifeline,pacemaker,pacemaker-t500] [--monitor 2] [--idle 10]
//        [--twin 32x100] [--dc-resources 1000] [--no-rig] [--no-twin] [--keep-logs DIR] [--prefix hbc-crm] [--net 10.228] [--subnet-base 1]
// The whole twin converges from cold at NODESxRESOURCES (32 × 1,000 takes hours here: every probe result is a CIB
// change replicated to 31 replicas); the DC's scheduler run is then timed on its live CIB scaled to --dc-resources.
import { cpus, loadavg } from 'node:os';
import { CRM_KINDS, LL_DEADTIME_MS, LL_KEEPALIVE_MS, measureCrm, type CrmKind, type CrmSample } from './crm-rig.js';
import { dcRunCosts, formatAccounts, twinScale } from './crm-twin.js';
import { summary } from './failover-rig.js';

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

const f = (xs: readonly (number | undefined)[]): string => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) return '–';
  const m = summary(v);
  return `${m.min.toFixed(0)} / ${m.median.toFixed(0)} / ${m.max.toFixed(0)} (${v.length})`;
};
const med = (xs: readonly (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? summary(v).median : undefined;
};
const mark = (b: boolean): string => (b ? 'met' : 'MISSED');

async function rig(runs: number, kinds: readonly CrmKind[], monitorS: number, idleS: number): Promise<void> {
  const prefix = arg('prefix', 'hbc-crm');
  const net = arg('net', '10.228');
  let subnet = Number(arg('subnet-base', '1'));
  const all = new Map<CrmKind, CrmSample[]>(kinds.map((k) => [k, []]));
  // Interleaved (run i of every kind, then run i+1): the shared machine's load drifts, and should hit every kind alike.
  for (let i = 0; i < runs; i++) for (const kind of kinds) {
    const l0 = load();
    try {
      const s = await measureCrm({ kind, prefix, net, subnet, monitorS, idleWindowS: idleS, ...(arg('keep-logs', '') ? { keepLogs: arg('keep-logs', '') } : {}), log: (t) => console.log(`  ${t}`) });
      all.get(kind)!.push(s);
      const idle = s.idle.map((x) => `${x.procs}p RSS ${(x.rssKb / 1024).toFixed(1)} PSS ${(x.pssKb / 1024).toFixed(1)} MiB ${x.cpuPct.toFixed(1)}%`).join(', ');
      const n = (x?: number) => (x === undefined ? '–' : x.toFixed(0));
      console.log(`${kind} run ${i + 1}: kill→detect ${n(s.killDetect)} kill→VIP ${n(s.killVip)} kill→client ${n(s.killClient)} monitor→restarted ${n(s.monitorRestart)} DC kill→new DC ${n(s.newDc)} ms; idle ${idle}${s.notes.length ? `; ${s.notes.join('; ')}` : ''} [load ${l0} → ${load()}]`);
    } catch (e) {
      console.log(`${kind} run ${i + 1}: FAILED ${(e as Error).message.split('\n')[0]} [load ${l0} → ${load()}]`);
    }
    subnet = subnet >= 250 ? 1 : subnet + 1;
  }
  console.log('\n| stack | node kill → survivor logs it lost | node kill → VIP on survivor | node kill → client reply | monitor failure → restarted | DC kill → new DC | idle RSS per node MiB | idle PSS per node MiB | idle CPU per node % |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const kind of kinds) {
    const ss = all.get(kind)!;
    const idle = ss.flatMap((s) => s.idle);
    const fm = (xs: number[], d: number) => { if (!xs.length) return '–'; const m = summary(xs); return `${m.min.toFixed(d)} / ${m.median.toFixed(d)} / ${m.max.toFixed(d)}`; };
    console.log(`| ${kind} | ${f(ss.map((s) => s.killDetect))} | ${f(ss.map((s) => s.killVip))} | ${f(ss.map((s) => s.killClient))} | ${f(ss.map((s) => s.monitorRestart))} | ${f(ss.map((s) => s.newDc))} | ${fm(idle.map((x) => x.rssKb / 1024), 1)} | ${fm(idle.map((x) => x.pssKb / 1024), 1)} | ${fm(idle.map((x) => x.cpuPct), 2)} |`);
  }
  console.log(`(ms from the fault, min / median / max (runs); idle over ${idleS} s, all processes of each node's namespace, min / median / max over nodes and runs)`);
  console.log(`lifeline: keepalive ${LL_KEEPALIVE_MS} ms / deadtime ${LL_DEADTIME_MS} ms; pacemaker: corosync 3 defaults (token 3000 ms + 650 ms per node above 2, consensus 1.2 × token); pacemaker-t500: corosync token 500 ms; monitor interval ${monitorS} s for all`);
  const ll = all.get('lifeline') ?? [];
  const llKill = med(ll.map((s) => s.killClient));
  const llMon = med(ll.map((s) => s.monitorRestart));
  if (llKill !== undefined) {
    console.log(`target: lifeline node kill → client reply median ${llKill.toFixed(0)} ms ≤ deadtime + 100 = ${LL_DEADTIME_MS + 100} ms: ${mark(llKill <= LL_DEADTIME_MS + 100)}`);
    const pm = med((all.get('pacemaker') ?? []).map((s) => s.killClient));
    if (pm !== undefined) console.log(`target: ≥ 3× faster than pacemaker + corosync at defaults (${pm.toFixed(0)} ms): ${(pm / llKill).toFixed(1)}× ${mark(pm >= 3 * llKill)}`);
    const pt = med((all.get('pacemaker-t500') ?? []).map((s) => s.killClient));
    if (pt !== undefined) console.log(`(for information: pacemaker at token 500 ms: ${pt.toFixed(0)} ms, ${(pt / llKill).toFixed(1)}× lifeline's)`);
  }
  if (llMon !== undefined) console.log(`target: lifeline monitor failure → restarted median ${llMon.toFixed(0)} ms ≤ monitor interval + 50 = ${monitorS * 1000 + 50} ms: ${mark(llMon <= monitorS * 1000 + 50)}`);
}

function twin(spec: string, dcResources: number): void {
  const [nodes, resources] = spec.split('x').map(Number) as [number, number];
  console.log(`\ncontroller twin (src/crm/controld/twin.ts): ${nodes} nodes × ${resources} Dummies, monitor 10 s, agents 10 ms simulated, deadtime 500 ms [load ${load()}]`);
  const r = twinScale(nodes, resources, { log: (s) => console.log(`  ${s}`) });
  const acc = (a: typeof r.deathAcc, k: string) => a[k] ?? { ms: NaN, calls: 0 };
  const RUN = 'DcDuty.run (print+parse+schedule+graph)';
  console.log('\n| twin event | simulated ms | wall ms, whole twin | wall ms, DC controller only | DC scheduler runs | wall ms per scheduler run |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| converge from cold (${nodes * resources} probes + ${resources} starts) | ${r.convergeSimMs} | ${r.convergeWallMs.toFixed(0)} | – | – | – |`);
  const row = (what: string, sim: string, wall: number, a: typeof r.deathAcc) => {
    const s = acc(a, RUN);
    console.log(`| ${what} | ${sim} | ${wall.toFixed(0)} | ${acc(a, 'controller step (DC only)').ms.toFixed(0)} | ${s.calls} | ${s.calls ? (s.ms / s.calls).toFixed(1) : '–'} |`);
  };
  row(`node death (${r.victim}, ${r.lost} resources) → transition complete`, `${r.deathRecoveredSimMs} all restarted, ${r.deathCompleteSimMs} complete`, r.deathWallMs, r.deathAcc);
  row('monitor failure (1 Dummy) → restarted, DC idle', `${r.monitorRestartSimMs} (interval ${r.monitorIntervalMs})`, r.monitorWallMs, r.monitorAcc);
  for (const l of formatAccounts(r.deathAcc)) console.log(`  node death: ${l}`);
  for (const l of formatAccounts(r.monitorAcc)) console.log(`  monitor failure: ${l}`);
  const victim = `node${nodes}` === r.dcName ? `node${nodes - 1}` : `node${nodes}`;
  console.log(`\nDC scheduler run (DcDuty.run's steps, best of 3) on the twin's live CIB scaled to ${dcResources} resources (copies keep their originals' histories, resource-stickiness 100):`);
  console.log('| resources | CIB KiB | event | printXml ms | parseCib ms | unsupportedFeatures ms | schedule ms | buildGraph ms | total ms | CPU ms | actions |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const totals: number[] = [];
  const cpus: number[] = [];
  for (const size of [...new Set([resources, dcResources])]) {
    const c = dcRunCosts(r.liveCib, r.dcName, size, victim);
    for (const [what, x] of Object.entries(c)) {
      console.log(`| ${size} | ${x.kib.toFixed(0)} | ${what === 'idle' ? 'nothing changed' : `${victim} lost`} | ${x.print.toFixed(0)} | ${x.parse.toFixed(0)} | ${x.check.toFixed(0)} | ${x.schedule.toFixed(0)} | ${x.graph.toFixed(0)} | ${x.total.toFixed(0)} | ${x.cpu.toFixed(0)} | ${x.actions} |`);
      if (size === dcResources) { totals.push(x.total); cpus.push(x.cpu); }
    }
  }
  const perRun = Math.min(...totals);
  const runsPerEvent = acc(r.monitorAcc, RUN).calls || 1;
  const perCpu = Math.min(...cpus);
  console.log(`target: scheduler + transition overhead ≤ 20 ms per event at ${dcResources} resources: one scheduler run ${perRun.toFixed(0)} ms wall (${perCpu.toFixed(0)} ms CPU) × ${runsPerEvent} runs per monitor-failure event ≈ ${(perRun * runsPerEvent).toFixed(0)} ms wall, ${(perCpu * runsPerEvent).toFixed(0)} ms CPU: ${mark(perCpu * runsPerEvent <= 20)}`);
}

async function main(): Promise<number> {
  const runs = Number(arg('runs', '3'));
  const kinds = arg('kinds', CRM_KINDS.join(',')).split(',') as CrmKind[];
  const monitorS = Number(arg('monitor', '2'));
  const idleS = Number(arg('idle', '10'));
  console.log(`${new Date().toISOString()}: ${cpus().length} cores, load average at start ${load()}`);
  if (!process.argv.includes('--no-rig')) await rig(runs, kinds, monitorS, idleS);
  if (!process.argv.includes('--no-twin')) twin(arg('twin', '32x100'), Number(arg('dc-resources', '1000')));
  console.log(`${new Date().toISOString()}: load average at end ${load()}`);
  return 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
