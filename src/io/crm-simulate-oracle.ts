// Runs the real crm_simulate (Pacemaker 2.1.5) on CIB files and extracts what we compare: summary lines and placements.
// The only place that spawns crm_simulate; used by the differential test, the conformance and campaign scripts and the bench.
import { execFile } from 'node:child_process';

/** What crm_simulate decided for one CIB. */
export interface OracleResult {
  /** Transition Summary lines with whitespace collapsed, e.g. "* Move ip ( node1 -> node2 )". */
  readonly summary: string[];
  /** Primitive id → node after the transition (null = stopped), from "Revised Cluster Status". */
  readonly placements: Map<string, string | null>;
  readonly raw: string;
  readonly ok: boolean;
  /** crm_simulate could not execute its own transition ("An invalid transition was produced"): the revised
   *  state then shows a half-run graph, not the scheduler's placements, so only the summary is comparable. */
  readonly transitionFailed: boolean;
}

/** Collapses runs of whitespace, the form summaries are compared in (column padding is not semantics). */
export const normalizeLine = (s: string): string => s.trim().replace(/\s+/g, ' ');

/** Extracts the summary and revised placements from `crm_simulate -S` text output. */
export function parseSimulateOutput(out: string): { summary: string[]; placements: Map<string, string | null> } {
  const lines = out.split('\n');
  const summary: string[] = [];
  const ts = lines.indexOf('Transition Summary:');
  if (ts >= 0) for (let i = ts + 1; i < lines.length && lines[i]!.trim() !== ''; i++) summary.push(normalizeLine(lines[i]!));
  const placements = new Map<string, string | null>();
  const rev = lines.indexOf('Revised Cluster Status:');
  if (rev >= 0) {
    for (let i = rev + 1; i < lines.length; i++) {
      const m = /^\s*\* (\S+)\t\([^)]*\):\t\s*(\S+)(?: (\S+))?(?: (\S+))?/.exec(lines[i]!);
      if (!m) continue;
      // States: Started/FAILED NODE, the roles of promotable instances (Promoted/Unpromoted, older Master/Slave),
      // and FAILED ROLE NODE.
      const roles = ['Promoted', 'Unpromoted', 'Master', 'Slave'];
      const state = m[2]!;
      const node = state === 'FAILED' && roles.includes(m[3] ?? '') ? m[4] : m[3];
      placements.set(m[1]!, state === 'Started' || state === 'FAILED' || roles.includes(state) ? (node ?? null) : null);
    }
  }
  return { summary, placements };
}

/** Runs `crm_simulate -x FILE -S [-t DATE]`. */
export function runCrmSimulate(file: string, date?: string, extra: readonly string[] = []): Promise<OracleResult> {
  const args = ['-x', file, '-S', ...(date ? ['-t', date] : []), ...extra];
  return new Promise((resolve) => {
    execFile('crm_simulate', args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const raw = stdout + stderr;
      resolve({ ...parseSimulateOutput(stdout), raw, ok: !error, transitionFailed: raw.includes('An invalid transition was produced') });
    });
  });
}

/** Maps `fn` over `items` with at most `limit` running at once (crm_simulate batches). */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]!, i); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
