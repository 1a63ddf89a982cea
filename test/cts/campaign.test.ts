// The short fault campaign of `npm test`: 30 seeded faults on two Lifeline nodes in namespaces, every audit after
// each one (see docs/cts.md; long campaigns run by hand with scripts/cts.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCampaign } from '../../src/cts/runner.js';

const canRun = process.getuid?.() === 0 && spawnSync('tcpdump', ['--version']).status === 0 && spawnSync('arping', ['-V']).status === 0;
const SEED = Number(process.env.LIFELINE_CTS_SEED ?? 20261206);

test(`fault campaign: 30 faults on Lifeline + Lifeline, seed ${SEED}`, { skip: canRun ? false : 'needs root, tcpdump and arping', timeout: 900_000 }, async (t) => {
  const r = await runCampaign({
    seed: SEED, faults: 30, impl: { nodea: 'lifeline', nodeb: 'lifeline' }, prefix: 'ctst-', subnet: 10,
    artefacts: join(tmpdir(), 'lifeline-cts', `test-${SEED}`), log: (l) => t.diagnostic(l),
  });
  t.diagnostic(`by kind: ${Object.entries(r.countsByKind).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  assert.deepEqual(r.failures, [], `seed ${SEED}: replay with node --import tsx scripts/cts.ts --replay ${join(r.artefacts, 'faults.txt')}; logs in ${r.artefacts}`);
  assert.equal(r.records.length, 32, 'the two starts and 30 faults');
});
