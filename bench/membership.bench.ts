// How much CPU the pure membership machine costs: whole clusters on the in-memory network, simulated time.
// Prints steps per simulated node-second and microseconds per step; run with `node --import tsx bench/membership.bench.ts`.
import { performance } from 'node:perf_hooks';
import { Sim } from '../test/membership/sim.js';

function run(nodes: number, seconds: number): void {
  const names = Array.from({ length: nodes }, (_, i) => (nodes <= 26 ? `node${String.fromCharCode(97 + i)}` : `node${String(i + 1).padStart(2, '0')}`));
  const sim = new Sim();
  for (const n of names) sim.add(n, { nodes: names });
  for (const n of names) sim.start(n);
  let steps = 0;
  const t0 = performance.now();
  sim.runUntil(seconds * 1000);
  const wall = performance.now() - t0;
  for (const n of names) steps += sim.node(n).effects.filter((e) => e.effect.kind === 'wake-at').length;
  const deaths = names.reduce((a, n) => a + sim.logs(n, /is dead/).length, 0);
  console.log(
    `${nodes} nodes, keepalive 100 ms, ${seconds} s simulated: ${steps} steps in ${wall.toFixed(0)} ms ` +
      `= ${((wall * 1000) / steps).toFixed(1)} µs/step, ${(steps / nodes / seconds).toFixed(1)} steps per node-second, ` +
      `${((wall / (nodes * seconds * 1000)) * 100).toFixed(3)} % of one core per node, ` +
      `${((wall * 1000) / Math.max(1, sim.delivered.length)).toFixed(1)} µs per received packet (${sim.delivered.length}); false deaths: ${deaths}`,
  );
}

run(2, 600);
run(8, 120);
run(32, Number(process.env.LL_BENCH_32_SECONDS ?? 20));
