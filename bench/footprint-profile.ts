// CPU profile of an idle Lifeline node: a 2-node cluster at keepalive 100 ms, nodea run with --cpu-prof, stopped
// gracefully after S seconds; prints the self time per function (top 25). Usage: bench/footprint-profile.ts [S] [--net 10.230]
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster, startDaemon, lifelineKind, type Host } from '../src/harness/index.js';
import { DUMMYSVC } from './failover-rig.js';

const seconds = Number(process.argv[2] ?? 20);
const net = (() => { const i = process.argv.indexOf('--net'); return i > 0 ? process.argv[i + 1]! : '10.230'; })() + '.241';
const dir = `/tmp/lifeline-footprint-prof-${process.pid}`;
mkdirSync(dir, { recursive: true });

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

await withCluster({ prefix: 'llb-fp', networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb'] }, async (c) => {
  const [a, b] = [c.host('nodea'), c.host('nodeb')] as [Host, Host];
  const base = lifelineKind();
  const cfg = {
    haCf: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n',
    authkeys: 'auth 1\n1 sha1 benchkey\n', haresources: `nodea ${net}.100/24/eth0 dummysvc\n`, resourceScripts: { dummysvc: DUMMYSVC },
  };
  const prof = { ...base, command: (h: Host) => { const [node, ...rest] = base.command(h); return [node!, '--cpu-prof', `--cpu-prof-dir=${dir}`, ...rest]; } };
  const da = await startDaemon(a, cfg, prof);
  await startDaemon(b, cfg, base);
  await new Promise((r) => setTimeout(r, 8000 + seconds * 1000));
  await da.stop();
});
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!file) { console.error(`no profile in ${dir}`); process.exit(1); }
const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
const self = new Map<string, number>();
const dt = new Map<number, number>();
// Only the idle window: the first 8 s (start-up, initdead, the resource start) are left out.
let at = 0;
const skipUs = 8e6;
p.samples.forEach((id, i) => { at += p.timeDeltas[i] ?? 0; if (at >= skipUs) dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)); });
let total = 0;
for (const n of p.nodes) {
  const us = dt.get(n.id) ?? 0;
  if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') continue;
  const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '')}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us);
  total += us;
}
const wall = (p.endTime - p.startTime - skipUs) / 1e6;
console.log(`profile ${join(dir, file)}: ${wall.toFixed(1)} s idle (after 8 s), JavaScript + GC ${(total / 1e3).toFixed(0)} ms = ${(total / 1e4 / wall).toFixed(2)} % of a core (profiler overhead included)`);
for (const [k, us] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`${(us / 1e3).toFixed(1).padStart(8)} ms  ${k}`);
