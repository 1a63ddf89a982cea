// Differential test: 300 random CIBs (fixed seed) through our scheduler and the real crm_simulate 2.1.5;
// placements and transition summaries must be identical. The larger campaign is scripts/crm-campaign.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateCib, GEN_NOW, GEN_NOW_TEXT } from '../../src/crm/cib-random.js';
import { compareGenerated } from '../../src/io/crm-differential.js';

/** Fixed so a failure is reproducible: `node --import tsx scripts/crm-campaign.ts 1 <seed>` replays one case. */
export const DIFF_SEED = 20261125;
export const DIFF_CASES = 300;

test(`${DIFF_CASES} generated CIBs from seed ${DIFF_SEED}: identical placements and transition summary to crm_simulate`, { timeout: 600_000 }, async (t) => {
  if (spawnSync('crm_simulate', ['--version']).status !== 0) { t.skip('crm_simulate (pacemaker-cli-utils) is not installed'); return; }
  const cases = Array.from({ length: DIFF_CASES }, (_, i) => ({ name: `seed ${DIFF_SEED + i}`, xml: generateCib(DIFF_SEED + i) }));
  const res = await compareGenerated(cases, GEN_NOW, GEN_NOW_TEXT, 2);
  const failed = res.filter((r) => r.status === 'fail');
  const skipped = res.filter((r) => r.status === 'skip');
  t.diagnostic(`differential: seed=${DIFF_SEED} cases=${res.length} passed=${res.length - failed.length - skipped.length} failed=${failed.length} skipped=${skipped.length}`);
  // The generator stays within the supported feature set, so nothing may be skipped either.
  assert.equal(skipped.length, 0, skipped.map((s) => `${s.name}: ${s.detail}`).join('\n'));
  assert.equal(failed.length, 0, failed.slice(0, 5).map((f) => `${f.name}: ${f.detail}`).join('\n'));
});
