// Prints how long parsing ha.cf and haresources takes, for a typical file and a large generated one.
// Run: node --import tsx bench/config-parse.ts  (figures only; nothing is asserted)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseHaCf } from '../src/config/hacf.js';
import { parseHaresources } from '../src/config/haresources.js';

function time(label: string, runs: number, fn: () => void): void {
  for (let i = 0; i < Math.min(runs, 50); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const per = (performance.now() - t0) / runs;
  console.log(`${label.padEnd(48)} ${(per * 1000).toFixed(1).padStart(9)} us/parse`);
}

const seed = readFileSync(new URL('../examples/web-server/ha.cf', import.meta.url), 'utf8');
time('ha.cf, seed 001 web server (13 lines)', 20_000, () => parseHaCf(seed, 'ha.cf', 'node1.example.com'));

const nodes = Array.from({ length: 100 }, (_, i) => `node${i}`);
const big = ['keepalive 500ms', 'deadtime 5', 'warntime 2', 'initdead 20', 'auto_failback on', 'use_logd on',
  ...nodes.map((n) => `node ${n}`), ...Array.from({ length: 60 }, (_, i) => `ucast eth${i % 4} 10.0.${i >> 8}.${i & 255}`)].join('\n');
time('ha.cf, 100 nodes + 60 ucast media (166 lines)', 2_000, () => parseHaCf(big, 'ha.cf', 'node0'));

const groups = Array.from({ length: 1000 }, (_, i) => `${nodes[i % 100]} 10.${i >> 8}.${i & 255}.1/24/eth0 Filesystem::/dev/sd${i}::/srv/${i}::ext4 svc${i}`).join('\n');
time('haresources, 1000 groups', 200, () => parseHaresources(groups, 'haresources', nodes));
