// Scheduler benchmark: generated CIBs of 10/100/1000 resources on 2/8/32 nodes with constraints; our time vs
// crm_simulate's on the same files in one run, and whether both decide the same transition. Run: npm run bench:scheduler
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { generateCib, GEN_NOW, GEN_NOW_TEXT } from '../src/crm/cib-random.js';
import { parseCib } from '../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../src/crm/scheduler.js';
import { formatSummary } from '../src/crm/scheduler-output.js';
import { parseSimulateOutput, normalizeLine } from '../src/io/crm-simulate-oracle.js';

const RESOURCES = [10, 100, 1000];
const NODES = [2, 8, 32];
/** Constraints per resource: 0.6 locations, 0.3 colocations, 0.3 orderings. */
const CONSTRAINTS_PER_RESOURCE = 0.6;
const CLI = join(import.meta.dirname, '..', 'bin', 'lifeline.js');

/** Wall time of one child process run, in milliseconds, and its stdout. */
function timed(cmd: string, args: string[]): Promise<{ ms: number; out: string; ok: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(cmd, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => {
      resolve({ ms: performance.now() - t0, out: stdout, ok: !error });
    });
  });
}

if (spawnSync('crm_simulate', ['--version']).status !== 0) {
  console.error('bench/scheduler: crm_simulate (pacemaker-cli-utils) is not installed');
  process.exit(2);
}
// The CLI column needs the compiled bin; skip it rather than time tsc output that is not there.
const haveCli = existsSync(CLI) && existsSync(join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js'));
const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
console.log('Lifeline scheduler vs crm_simulate 2.1.5 (same generated CIB files, best of several runs)');
console.log('  in-process = parseCib + unsupportedFeatures + schedule + summary, warm;  CLI = `lifeline crm simulate` process;');
console.log('  crm_simulate = `crm_simulate -x FILE -R` process (scheduler and summary, no simulated execution)\n');
const header = ['resources', 'nodes', 'CIB KiB', 'in-process ms', 'CLI ms', 'crm_simulate ms', 'speed-up (CLI)', 'transition'];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((h) => '-'.repeat(h.length + 2)).join('|')}|`);
let allSame = true;
try {
  for (const res of RESOURCES) {
    for (const nodes of NODES) {
      const xml = generateCib(7000 + res + nodes, { resources: res, nodes, constraintsPerResource: CONSTRAINTS_PER_RESOURCE });
      const file = join(dir, `b${res}x${nodes}.xml`);
      writeFileSync(file, xml);
      const reps = res >= 1000 ? 3 : 10;
      let inProc = Infinity;
      let summary: string[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const cib = parseCib(xml);
        if (!cib.ok) throw new Error(cib.error.message);
        const u = unsupportedFeatures(cib.value);
        if (u.length) throw new Error(u.join('; '));
        summary = formatSummary(schedule(cib.value, { now: GEN_NOW, scores: false }).summary);
        inProc = Math.min(inProc, performance.now() - t0);
      }
      let cli = Infinity;
      if (haveCli) {
        for (let i = 0; i < (res >= 1000 ? 2 : 3); i++) {
          const r = await timed(process.execPath, [CLI, 'crm', 'simulate', '--xml-file', file, '--date', String(GEN_NOW)]);
          if (!r.ok) throw new Error(`lifeline crm simulate failed on ${file}`);
          cli = Math.min(cli, r.ms);
        }
      }
      let theirs = Infinity;
      let theirSummary: string[] = [];
      for (let i = 0; i < (res >= 1000 ? 2 : 3); i++) {
        const r = await timed('crm_simulate', ['-x', file, '-R', '-t', GEN_NOW_TEXT]);
        theirs = Math.min(theirs, r.ms);
        theirSummary = parseSimulateOutput(r.out).summary;
      }
      const ours = summary.map(normalizeLine);
      const same = ours.join('\n') === theirSummary.join('\n');
      if (!same) allSame = false;
      const differ = ours.filter((l, i) => l !== theirSummary[i]).length + Math.max(0, theirSummary.length - ours.length);
      const row = [String(res), String(nodes), (xml.length / 1024).toFixed(0), inProc.toFixed(1), haveCli ? cli.toFixed(0) : 'n/a',
        theirs.toFixed(0), haveCli ? `${(theirs / cli).toFixed(1)}x` : 'n/a', same ? `identical (${ours.length} changes)` : `${differ} lines differ`];
      console.log(`| ${row.join(' | ')} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = allSame ? 0 : 1;
