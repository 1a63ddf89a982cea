// Conformance run over Pacemaker 2.1.5's scheduler regression cases (used in place, never copied into the repo).
// Usage: node --import tsx scripts/crm-conformance.ts [CASES_DIR] [--verbose]   (default ../shared/pacemaker-2.1.5-scheduler or $LIFELINE_PCMK_CASES)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCib } from '../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../src/crm/scheduler.js';
import { formatTransitionSummary } from '../src/crm/scheduler-output.js';
import { parseSimulateOutput, normalizeLine } from '../src/io/crm-simulate-oracle.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
// ../shared from the main checkout; ../../shared from a worktree under /work/wt.
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? process.env.LIFELINE_PCMK_CASES
  ?? ['../shared/pacemaker-2.1.5-scheduler', '../../shared/pacemaker-2.1.5-scheduler'].find((d) => existsSync(join(d, 'xml'))) ?? '../shared/pacemaker-2.1.5-scheduler');
if (!existsSync(join(dir, 'xml'))) {
  console.error(`crm-conformance: no xml/ directory under ${dir} (pass the case directory or set LIFELINE_PCMK_CASES)`);
  process.exit(2);
}
const names = readdirSync(join(dir, 'xml')).filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -4)).sort();
let ran = 0, passed = 0, scoreCases = 0, scorePassed = 0, fenceRan = 0, fencePassed = 0;
const skipped = new Map<string, number>();
const failed: string[] = [];
const now = Math.floor(Date.now() / 1000);
for (const name of names) {
  const summaryFile = join(dir, 'summary', `${name}.summary`);
  if (!existsSync(summaryFile)) { skipped.set('no expected summary', (skipped.get('no expected summary') ?? 0) + 1); continue; }
  const cib = parseCib(readFileSync(join(dir, 'xml', `${name}.xml`), 'utf8'), name);
  if (!cib.ok) { skipped.set('unparseable', (skipped.get('unparseable') ?? 0) + 1); continue; }
  const u = unsupportedFeatures(cib.value);
  if (u.length) {
    const key = u[0]!.replace(/\s*\(.*\)$/, '');
    skipped.set(key, (skipped.get(key) ?? 0) + 1);
    if (verbose) console.log(`SKIP ${name}: ${u.join('; ')}`);
    continue;
  }
  ran++;
  let t;
  try { t = schedule(cib.value, { now }); } catch (e) { failed.push(`${name}: crashed: ${(e as Error).message}`); continue; }
  const expected = parseSimulateOutput(readFileSync(summaryFile, 'utf8'));
  const ours = formatTransitionSummary(t).map(normalizeLine);
  let ok = ours.join('\n') === expected.summary.join('\n');
  let why = ok ? '' : `summary\n    ours:   ${ours.join('\n            ') || '(none)'}\n    theirs: ${expected.summary.join('\n            ') || '(none)'}`;
  if (ok) {
    for (const [rsc, node] of expected.placements) {
      if (t.placements.has(rsc) && t.placements.get(rsc) !== node) { ok = false; why = `placement of ${rsc}: ours ${t.placements.get(rsc)}, theirs ${node}`; break; }
    }
  }
  if (ok) passed++; else failed.push(`${name}: ${why}`);
  if (expected.summary.some((l) => l.startsWith('* Fence ('))) { fenceRan++; if (ok) fencePassed++; }
  const scoresFile = join(dir, 'scores', `${name}.scores`);
  if (existsSync(scoresFile)) {
    const exp = readFileSync(scoresFile, 'utf8').split('\n').filter((l) => l.startsWith('pcmk__primitive_assign:')).sort();
    const mine = t.scores.filter((l) => l.startsWith('pcmk__primitive_assign:')).sort();
    scoreCases++;
    if (exp.join('\n') === mine.join('\n')) scorePassed++;
  }
}
if (verbose) for (const f of failed) console.log(`FAIL ${f}`);
else for (const f of failed.slice(0, 5)) console.log(`FAIL ${f.split('\n')[0]}`);
console.log('skipped by reason:');
for (const [k, v] of [...skipped].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(4)}  ${k}`);
const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
console.log(`crm conformance: cases=${names.length} ran=${ran} passed=${passed} failed=${ran - passed} skipped=${skippedTotal}; primitive scores identical in ${scorePassed}/${scoreCases} ran cases; with Fence actions: ${fencePassed}/${fenceRan}`);
