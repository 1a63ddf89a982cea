// Differential check of our scheduler against the real crm_simulate on the same CIB file.
// Writes each CIB to a temporary directory, runs both, and reports the first difference in placements or summary.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCib } from '../crm/cib.js';
import { schedule, unsupportedFeatures } from '../crm/scheduler.js';
import { formatTransitionSummary } from '../crm/scheduler-output.js';
import { runCrmSimulate, normalizeLine, pool } from './crm-simulate-oracle.js';

/** Outcome of one comparison. */
export interface DiffOutcome {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly detail?: string;
}

/** Our side of a comparison: normalized summary lines and placements. */
export function ours(xml: string, now: number): { summary: string[]; placements: Map<string, string | null> } | { unsupported: string[] } {
  const cib = parseCib(xml);
  if (!cib.ok) return { unsupported: [cib.error.message] };
  const u = unsupportedFeatures(cib.value);
  if (u.length) return { unsupported: u };
  const t = schedule(cib.value, { now });
  return { summary: formatTransitionSummary(t).map(normalizeLine), placements: new Map(t.placements) };
}

/** Compares one CIB file (already on disk) against crm_simulate. */
export async function compareFile(name: string, file: string, xml: string, now: number, date?: string): Promise<DiffOutcome> {
  const mine = ours(xml, now);
  if ('unsupported' in mine) return { name, status: 'skip', detail: mine.unsupported.join('; ') };
  const theirs = await runCrmSimulate(file, date);
  if (!theirs.ok && theirs.summary.length === 0) return { name, status: 'skip', detail: `crm_simulate failed: ${theirs.raw.split('\n').slice(-3).join(' ')}` };
  const a = [...mine.summary].join('\n'), b = [...theirs.summary].join('\n');
  if (a !== b) return { name, status: 'fail', detail: `summary differs\n  ours:   ${mine.summary.join('\n          ') || '(none)'}\n  theirs: ${theirs.summary.join('\n          ') || '(none)'}` };
  if (theirs.transitionFailed) return { name, status: 'pass' };
  for (const [rsc, node] of theirs.placements) {
    if (mine.placements.has(rsc) && mine.placements.get(rsc) !== node) return { name, status: 'fail', detail: `placement of ${rsc}: ours ${mine.placements.get(rsc)}, theirs ${node}` };
  }
  return { name, status: 'pass' };
}

/** Runs a batch of generated CIBs through both schedulers, `parallel` crm_simulate processes at a time. */
export async function compareGenerated(cases: ReadonlyArray<{ name: string; xml: string }>, now: number, date: string, parallel = 2): Promise<DiffOutcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-crmdiff-'));
  try {
    return await pool(cases, parallel, async (c, i) => {
      const file = join(dir, `case${i}.xml`);
      writeFileSync(file, c.xml);
      return compareFile(c.name, file, c.xml, now, date);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
