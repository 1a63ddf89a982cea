// Runs one child process with a deadline: output goes line by line to a log callback, and a process that
// outlives its timeout is killed with its whole process group (SIGTERM, then SIGKILL after a grace period).

import { spawn } from 'node:child_process';

/** How a child process ended. */
export interface ProcResult {
  /** Exit code; -1 when it was killed by a signal or could not be started. */
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  /** True when we killed it because it ran past its timeout. */
  readonly timedOut: boolean;
  /** stdout and stderr interleaved as received, capped at 64 KiB (for error messages). */
  readonly output: string;
  /** stdout alone, capped at 64 KiB: what heartbeat's backquotes capture when it reads a status answer. */
  readonly stdout: string;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: string;
}

/** Options for one run. */
export interface RunOptions {
  /** Environment for the child; defaults to ours. */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process group after this many milliseconds. */
  readonly timeoutMs: number;
  /** Time between SIGTERM and SIGKILL for a timed-out child. Default 2000 ms. */
  readonly killGraceMs?: number;
  /** Receives each output line (without the newline). */
  readonly onLine?: (line: string) => void;
}

/** Signature of a command runner: the adapters take one, so tests can prefix `ip netns exec NS`. */
export type Exec = (argv: readonly string[], opts: RunOptions) => Promise<ProcResult>;

const MAX_OUTPUT = 64 * 1024;

/** Runs argv[0] with the rest as arguments, in its own process group, and resolves when it has exited. */
export const runProcess: Exec = (argv, opts) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (!cmd) { resolve({ code: -1, signal: null, timedOut: false, output: '', stdout: '', spawnError: 'empty command' }); return; }
    // detached: the child leads a new process group, so a hung script's own children die with it.
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let stdout = '';
    let partial = '';
    let timedOut = false;
    let spawnError: string | undefined;
    const onData = (b: Buffer): void => {
      const text = b.toString('utf8');
      if (output.length < MAX_OUTPUT) output += text.slice(0, MAX_OUTPUT - output.length);
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        opts.onLine?.(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    };
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += b.toString('utf8').slice(0, MAX_OUTPUT - stdout.length);
      onData(b);
    });
    child.stderr.on('data', onData);
    const killGroup = (sig: NodeJS.Signals): void => {
      try { if (child.pid) process.kill(-child.pid, sig); } catch { /* already gone */ }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), opts.killGraceMs ?? 2000);
    }, opts.timeoutMs);
    child.on('error', (e) => { spawnError = e.message; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // Leftover children of a killed script would keep holding resources: finish them off.
      if (timedOut) killGroup('SIGKILL');
      if (partial) opts.onLine?.(partial);
      resolve({ code: code ?? -1, signal, timedOut, output, stdout, ...(spawnError ? { spawnError } : {}) });
    });
  });

/** A runner that executes every command inside network namespace `ns` (used by tests and the demo rig). */
export function netnsExec(ns: string, inner: Exec = runProcess): Exec {
  return (argv, opts) => inner(['ip', 'netns', 'exec', ns, ...argv], opts);
}
