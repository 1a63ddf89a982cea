// `lifeline crm simulate --xml-file CIB [--show-scores] [--json] [--date TIME]`: runs the scheduler on a CIB file offline.
// Prints the layout of `crm_simulate -x CIB -S`; refuses CIBs that use features the scheduler does not implement.
import { readFileSync } from 'node:fs';
import { parseCib } from '../../crm/cib.js';
import { schedule, unsupportedFeatures } from '../../crm/scheduler.js';
import { formatSimulation, toJson } from '../../crm/scheduler-output.js';
import { diag, formatDiagnostic } from '../../errors.js';

export const summary = 'simulate the Pacemaker-style scheduler on a CIB XML file (like crm_simulate -x FILE -S)';

/** Parses "2026-01-01 00:01:00Z" / ISO dates / epoch seconds into epoch seconds. */
function parseDate(s: string): number | undefined {
  if (/^\d+$/.test(s)) return parseInt(s, 10);
  const ms = Date.parse(s.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export async function run(argv: readonly string[]): Promise<number> {
  let file: string | undefined;
  let json = false, scores = false;
  let now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--xml-file' || a === '-x') file = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '--show-scores' || a === '-s') scores = true;
    else if (a === '--date' || a === '-t') {
      const d = argv[++i] ?? '';
      const v = parseDate(d);
      if (v === undefined) { process.stderr.write(formatDiagnostic(diag('LL_USAGE', { message: `bad --date value "${d}", expected e.g. "2026-01-01 00:01:00Z"` })) + '\n'); return 2; }
      now = v;
    } else { process.stderr.write(formatDiagnostic(diag('LL_USAGE', { message: `unknown argument "${a}"; usage: lifeline crm simulate --xml-file CIB [--show-scores] [--json] [--date TIME]` })) + '\n'); return 2; }
  }
  if (!file) { process.stderr.write(formatDiagnostic(diag('LL_USAGE', { message: 'missing --xml-file CIB' })) + '\n'); return 2; }
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    process.stderr.write(formatDiagnostic(diag('LL_IO_READ_FAILED', { file, reason: (e as Error).message })) + '\n');
    return 1;
  }
  const cib = parseCib(text, file);
  if (!cib.ok) { process.stderr.write(formatDiagnostic(cib.error) + '\n'); return 1; }
  const unsupported = unsupportedFeatures(cib.value);
  if (unsupported.length) {
    for (const f of unsupported) process.stderr.write(formatDiagnostic(diag('LL_SCHED_UNSUPPORTED', { file, feature: f }, { location: { file } })) + '\n');
    return 3;
  }
  const t = schedule(cib.value, { now, scores });
  for (const w of t.warnings) process.stderr.write(`error: ${w}\n`);
  process.stdout.write(json ? JSON.stringify(toJson(t), null, 2) + '\n' : formatSimulation(cib.value, t, scores));
  return 0;
}
