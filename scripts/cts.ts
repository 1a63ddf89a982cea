// Runs a seeded fault campaign on a two-node haresources cluster, or a three-node `crm on` one, in namespaces (docs/cts.md).
// Usage: node --import tsx scripts/cts.ts [--seed N] [--faults N] [--mode ll|lh|hl|crm] [--only kind,kind]
//        [--replay FILE] [--artefacts DIR] [--subnet N] [--prefix P]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCampaign } from '../src/cts/runner.js';
import { parseFaultLine } from '../src/cts/plan.js';
import { runCrmCampaign } from '../src/cts/crm-runner.js';
import { parseCrmFaultLine, type CrmFaultKind } from '../src/cts/crm-plan.js';
import type { FaultKind } from '../src/cts/plan.js';
import type { Impl } from '../src/harness/index.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] ?? dflt : dflt; };
const seed = Number(arg('seed', String(Math.floor(Math.random() * 2 ** 31))));
const mode = arg('mode', 'll');
const impl = (c: string): Impl => (c === 'h' ? 'heartbeat' : 'lifeline');
const onlyArg = arg('only', '');
const replayFile = arg('replay', '');
const artefacts = arg('artefacts', join(tmpdir(), 'lifeline-cts', `${mode}-${seed}`));

if (!existsSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js'))) {
  console.error('cts: the daemons run the built CLI: run `npx tsc -p tsconfig.json` first (dist/src/cli/main.js is missing)');
  process.exit(2);
}
const replayLines = replayFile ? readFileSync(replayFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('seed ')) : [];
const t0 = Date.now();
if (mode === 'crm') {
  const r = await runCrmCampaign({
    seed, faults: Number(arg('faults', '30')), prefix: arg('prefix', 'cts-crm'), subnet: Number(arg('subnet', '2')), artefacts,
    ...(onlyArg ? { only: new Set(onlyArg.split(',') as CrmFaultKind[]) } : {}),
    ...(replayFile ? { replay: replayLines.map(parseCrmFaultLine) } : {}),
    log: (l) => console.log(l),
  });
  const load = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(`\nseed ${seed}, mode crm: ${r.records.length} faults, ${r.failures.length} audit failure(s), ${r.committed} CIB changes committed and kept; wall ${Math.round((Date.now() - t0) / 1000)} s; load ${load}`);
  console.log(`by kind: ${Object.entries(r.countsByKind).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const f of r.failures) console.log(`FAIL ${f}`);
  console.log(`artefacts (logs, fault list): ${r.artefacts}; replay: --mode crm --replay ${join(r.artefacts, 'faults.txt')}`);
  process.exit(r.failures.length ? 1 : 0);
}
const result = await runCampaign({
  seed, faults: Number(arg('faults', '30')), impl: { nodea: impl(mode[0]!), nodeb: impl(mode[1]!) },
  prefix: arg('prefix', 'cts-'), subnet: Number(arg('subnet', '1')), artefacts,
  ...(onlyArg ? { only: new Set(onlyArg.split(',') as FaultKind[]) } : {}),
  ...(replayFile ? { replay: replayLines.map(parseFaultLine) } : {}),
  log: (l) => console.log(l),
});
const load = readFileSync('/proc/loadavg', 'utf8').trim();
console.log(`\nseed ${seed}, mode ${mode}: ${result.records.length} faults, ${result.failures.length} audit failure(s); wall ${Math.round((Date.now() - t0) / 1000)} s; load ${load}`);
console.log(`by kind: ${Object.entries(result.countsByKind).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
const ms = result.records.map((r) => r.settledMs).sort((a, b) => a - b);
if (ms.length) console.log(`settled after a fault: median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms[ms.length - 1]} ms`);
for (const f of result.failures) console.log(`FAIL ${f}`);
console.log(`artefacts (logs, fault list): ${result.artefacts}; replay: --replay ${join(result.artefacts, 'faults.txt')}`);
process.exit(result.failures.length ? 1 : 0);
