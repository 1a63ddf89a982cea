// Measures the crm language on a large configuration: parse, XML out, XML in, show, verify (ms per pass).
// Run: node --import tsx bench/crm/lang.bench.ts [resources]   — prints figures, asserts nothing.

import { performance } from 'node:perf_hooks';
import { cibXml, parseCibXml, parseCrm, renderCrm, verifyConfig } from '../../src/crm/lang/index.js';

const n = Number(process.argv[2] ?? 2000);
const lines: string[] = ['node 1: node1', 'node 2: node2', 'property stonith-enabled=false'];
for (let i = 0; i < n; i++) {
  lines.push(`primitive p${i} ocf:pacemaker:Dummy params state=/run/p${i} meta migration-threshold=3 \\\n  op monitor interval=10s timeout=20s op start interval=0 timeout=20s`);
}
for (let i = 0; i + 1 < n; i += 2) lines.push(`group g${i} p${i} p${i + 1}`);
for (let i = 0; i + 1 < n; i += 2) {
  lines.push(`location l${i} g${i} ${i % 7}: node${1 + (i % 2)}`);
  lines.push(`location r${i} g${i} rule -inf: not_defined pingd or pingd lte 0`);
  if (i >= 2) lines.push(`order o${i} Mandatory: g${i - 2} g${i}`);
}
const text = `${lines.join('\n')}\n`;

function time<T>(label: string, f: () => T, runs = 5): T {
  let out!: T;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) out = f();
  const ms = (performance.now() - t0) / runs;
  process.stdout.write(`${label.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms\n`);
  return out;
}

process.stdout.write(`configuration: ${n} primitives, ${n / 2} groups, ${Math.floor(n * 1.5)} constraints, ${text.length} bytes of crm text\n`);
const parsed = time('parse crm text', () => parseCrm(text, { file: 'bench.crm' }));
const xml = time('write CIB XML', () => cibXml(parsed.config));
const back = time('read CIB XML', () => parseCibXml(xml, 'bench.xml'));
time('show (render crm text)', () => renderCrm(back.config));
time('verify (no agent catalogue)', () => verifyConfig(back.config, { file: 'bench.xml' }));
process.stdout.write(`CIB XML size: ${xml.length} bytes; diagnostics: ${parsed.diagnostics.length + back.diagnostics.length}\n`);
