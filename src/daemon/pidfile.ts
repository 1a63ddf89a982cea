// The run directory's pid file: one daemon per run directory, found again by `--stop`, `--reload` and `status`.
// A pid file whose process is gone (crash, kill -9) is stale and taken over; a live one refuses the second start.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../errors.js';
import { err, ok, type Result } from '../types.js';

/** File names inside the run directory. */
export const PID_FILE = 'lifeline.pid';
export const CONTROL_SOCKET = 'lifeline.sock';

export function pidFilePath(runDir: string): string {
  return join(runDir, PID_FILE);
}

/**
 * Whether a process with this pid runs (EPERM means it exists but is not ours). A zombie does not count: a daemon
 * killed with -9 whose parent has not reaped it yet must not block the next start.
 */
export function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** The pid recorded in the run directory, if the file holds one. */
export function readPid(runDir: string): number | undefined {
  try {
    const n = Number(readFileSync(pidFilePath(runDir), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the live daemon of this run directory, or undefined. */
export function runningPid(runDir: string): number | undefined {
  const pid = readPid(runDir);
  return pid !== undefined && processAlive(pid) ? pid : undefined;
}

/**
 * Takes the run directory for `pid`: creates the pid file exclusively (O_EXCL, so two starting daemons cannot both
 * win); a file naming a dead process is removed and the creation retried once.
 */
export function acquirePidFile(runDir: string, pid = process.pid): Result<void, Diagnostic> {
  const path = pidFilePath(runDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try { writeSync(fd, `${pid}\n`); } finally { closeSync(fd); }
      return ok(undefined);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        return err(diag('LL_IO_READ_FAILED', { file: path, reason: (e as Error).message }, { location: { file: path } }));
      }
      const other = readPid(runDir);
      if (other !== undefined && other !== pid && processAlive(other)) {
        return err(diag('LL_DAEMON_ALREADY_RUNNING', { pid: other, dir: runDir }, { location: { file: path } }));
      }
      try { unlinkSync(path); } catch { /* raced with another remover: retry decides */ }
    }
  }
  return err(diag('LL_DAEMON_ALREADY_RUNNING', { pid: readPid(runDir) ?? '?', dir: runDir }, { location: { file: path } }));
}

/** Removes the pid file if it still names `pid` (a successor's file is left alone). */
export function releasePidFile(runDir: string, pid = process.pid): void {
  if (readPid(runDir) === pid) {
    try { unlinkSync(pidFilePath(runDir)); } catch { /* already gone */ }
  }
}
