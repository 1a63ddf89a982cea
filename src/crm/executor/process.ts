// The executor's process adapter: spawns one agent in its own process group with exactly the environment the
// core built, feeds stdin (fence agents), captures stdout/stderr, and SIGKILLs the whole group when asked.

import { spawn } from 'node:child_process';
import type { ProcessExit } from './types.js';

/** Output kept per stream. */
const MAX_OUTPUT = 64 * 1024;

/** A running agent process. */
export interface Launched {
  readonly pid?: number;
  /** SIGKILL to the process group (the agent and everything it forked). */
  killGroup(): void;
}

/** Turns an agent's argv into the argv actually run (tests run agents "on a host" in a namespace). */
export type ArgvWrapper = (argv: readonly string[]) => readonly string[];

/** Spawns a launch; `onExit` is called exactly once, after stdout and stderr are drained. */
export function launchProcess(argv: readonly string[], env: Readonly<Record<string, string>>, stdin: string | undefined,
  onExit: (exit: ProcessExit) => void, wrap?: ArgvWrapper): Launched {
  const [cmd, ...args] = wrap ? wrap(argv) : argv;
  let stdout = '', stderr = '', spawnError: string | undefined, done = false;
  const finish = (exit: ProcessExit) => { if (!done) { done = true; onExit(exit); } };
  if (!cmd) { finish({ code: null, signal: null, stdout, stderr, spawnError: 'empty command' }); return { killGroup() {} }; }
  // detached: the child leads a new process group, so a hung agent's own children die with it at the timeout.
  const child = spawn(cmd, args, { env: { ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (b: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += b.toString('utf8'); });
  child.stderr?.on('data', (b: Buffer) => { if (stderr.length < MAX_OUTPUT) stderr += b.toString('utf8'); });
  if (stdin !== undefined && child.stdin) { child.stdin.on('error', () => { /* agent did not read it */ }); child.stdin.end(stdin); }
  child.on('error', (e: NodeJS.ErrnoException) => {
    spawnError = e.code === 'ENOENT' ? `${argv[0] ?? ''}: No such file or directory` : e.message;
    // A child that never started emits no 'close' on every Node version: finish here.
    if (child.pid === undefined) finish({ code: null, signal: null, stdout, stderr, spawnError });
  });
  let killed = false;
  const killGroup = () => { try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
  child.on('close', (code, signal) => {
    // Leftovers of a killed agent (children that kept the pipes open are gone with the group) must not linger.
    if (killed) killGroup();
    finish({ code, signal, stdout, stderr, ...(spawnError !== undefined ? { spawnError } : {}) });
  });
  return { ...(child.pid !== undefined ? { pid: child.pid } : {}), killGroup: () => { killed = true; killGroup(); } };
}
