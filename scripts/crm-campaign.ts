// Large differential campaign: random CIBs through our scheduler and the real crm_simulate; prints count, seed and failures.
// Usage: node --import tsx scripts/crm-campaign.ts [COUNT] [SEED]   (defaults 2000, random seed)
import { generateCib, GEN_NOW, GEN_NOW_TEXT } from '../src/crm/cib-random.js';
import { compareGenerated } from '../src/io/crm-differential.js';

const count = parseInt(process.argv[2] ?? '2000', 10);
const seed = parseInt(process.argv[3] ?? String(Math.floor(Math.random() * 2 ** 31)), 10);
const cases = Array.from({ length: count }, (_, i) => ({ name: `seed ${seed + i}`, xml: generateCib(seed + i) }));
const t0 = Date.now();
const res = await compareGenerated(cases, GEN_NOW, GEN_NOW_TEXT, 2);
const fails = res.filter((r) => r.status === 'fail');
const skips = res.filter((r) => r.status === 'skip');
for (const f of fails.slice(0, Number(process.env.SHOW ?? 10))) console.log(`FAIL ${f.name}: ${f.detail}`);
for (const s of skips.slice(0, 3)) console.log(`SKIP ${s.name}: ${s.detail}`);
console.log(`crm campaign: seed=${seed} count=${count} passed=${res.length - fails.length - skips.length} failed=${fails.length} skipped=${skips.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exitCode = fails.length ? 1 : 0;
