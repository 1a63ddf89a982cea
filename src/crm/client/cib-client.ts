// The operator tools' way to the CIB: a CibRequest to the local daemon's control socket, or, when CIB_file is set
// (Pacemaker's convention), the same request applied to that file through cib-store's pure operations.
import { readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import type { CibRequest } from '../contract.js';
import { parseXml, type XEl } from '../xml-lite.js';
import { CIB_RC, performChange, printXml, type CibAnswer, type CibVersion } from '../cib-store/index.js';
import { controlRequest } from '../../daemon/client.js';

/** Pacemaker's CRM_EX_NOT_CONNECTED: the tool could not reach the CIB manager. */
export const RC_NOT_CONNECTED = 102;

/** Where the tools find the CIB: a file (CIB_file) or the daemon of a run directory. */
export type CibTarget = { readonly file: string } | { readonly runDir: string };

/** The target of the environment and arguments, as Pacemaker's tools choose: CIB_file wins, else the run dir. */
export function cibTarget(env: NodeJS.ProcessEnv, runDir?: string): CibTarget {
  if (env.CIB_file) return { file: env.CIB_file };
  return { runDir: runDir ?? env.LIFELINE_RUN_DIR ?? '/var/run/heartbeat' };
}

/** Reads the CIB of a file; a failure is an answer with cibadmin's exit code. */
function readFileCib(file: string): XEl | CibAnswer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, rc: RC_NOT_CONNECTED, error: `Could not connect to the CIB: ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const r = parseXml(text);
  if (!r.ok) return { ok: false, rc: CIB_RC.DATAERR, error: `${file} is not a readable CIB: ${r.reason}` };
  return r.root;
}

/** Writes a CIB file atomically: temp file, fsync, rename (a reader never sees half a CIB). */
function writeFileCib(file: string, cib: XEl): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, printXml(cib));
  const fd = openSync(tmp, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(tmp, file);
}

/** Sends one request to the CIB of `target`; never throws. `base`: the version the edit was made on (an older
 *  one than the CIB's is refused as a conflict, rc 103, naming both). */
export async function cibRequest(target: CibTarget, req: CibRequest, base?: CibVersion): Promise<CibAnswer> {
  if ('file' in target) {
    const cib = readFileCib(target.file);
    if ('ok' in cib) return cib;
    const done = performChange(cib, { req, ...(base ? { base } : {}) }, { origin: 'cib_file' });
    if (done.answer.ok && done.cib !== cib) writeFileCib(target.file, done.cib);
    return done.answer;
  }
  const a = await controlRequest(target.runDir, { ...req, ...(base ? { base } : {}) }, 30_000);
  if (!a) return { ok: false, rc: RC_NOT_CONNECTED, error: 'Could not connect to the CIB: Transport endpoint is not connected' };
  if (a.ok && typeof a.xml === 'string') return { ok: true, xml: a.xml };
  if (a.ok) return { ok: true, epoch: Number(a.epoch), numUpdates: Number(a.numUpdates), adminEpoch: Number(a.adminEpoch) };
  return { ok: false, rc: typeof a.rc === 'number' ? a.rc : CIB_RC.PROTOCOL, error: a.error ?? 'the daemon refused the request' };
}

/** The whole CIB (or a section) as a tree; a failure keeps its exit code. */
export async function queryCib(target: CibTarget, section?: string): Promise<XEl | Extract<CibAnswer, { ok: false }>> {
  const a = await cibRequest(target, { cmd: 'cib_query', ...(section ? { section } : {}) });
  if (!a.ok) return a;
  if (!('xml' in a)) return { ok: false, rc: CIB_RC.PROTOCOL, error: 'the CIB answered a query without XML' };
  const r = parseXml(a.xml);
  return r.ok ? r.root : { ok: false, rc: CIB_RC.DATAERR, error: `the CIB's answer is not XML: ${r.reason}` };
}

/** Whether a query result is a failure. */
export const isFailure = (x: XEl | CibAnswer): x is Extract<CibAnswer, { ok: false }> => 'ok' in x && x.ok === false;
