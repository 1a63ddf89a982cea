// Runs an OS command for the harness and collects its output; the one place the harness shells out.
// Async for normal use, sync for exit handlers (which cannot wait for promises).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';

/** What a finished command left: its exit code (null if a signal ended it), signal and output. */
export interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for `run`: a timeout so that a hung command cannot hang a test, and text for stdin. */
export interface RunOptions {
  /** Kill the command (SIGKILL) after this many ms; default 30 s. */
  readonly timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** A PATH with the sbin directories, since `ip`, `tc` and heartbeat live there and a test runner's PATH may lack them. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Environment for child commands: the caller's, with a PATH that finds system tools and a C locale for stable output. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${SYSTEM_PATH}:${process.env.PATH ?? ''}`, LC_ALL: 'C', ...extra };
}

/** Runs argv to completion and returns its result; never rejects for a non-zero exit (see `mustRun`). */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) { reject(new Error('run: empty command')); return; }
    const so: SpawnOptions = { env: opts.env ?? childEnv(), stdio: ['pipe', 'pipe', 'pipe'] };
    if (opts.cwd) (so as { cwd?: string }).cwd = opts.cwd;
    const child = spawn(cmd, args, so);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); stderr += `\n[run: killed after ${opts.timeoutMs ?? 30000} ms]`; }, opts.timeoutMs ?? 30000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    child.stdin?.on('error', () => { /* the command may exit before reading its input */ });
    child.stdin?.end(opts.input ?? '');
  });
}

/** Runs argv and throws with the command line and its stderr when it does not exit 0. */
export async function mustRun(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`command failed (${r.code ?? r.signal}): ${argv.join(' ')}\n${r.stderr.trim()}`);
  return r.stdout;
}

/** Synchronous `run`, for cleanup from exit handlers. */
export function runSync(argv: readonly string[], timeoutMs = 10000): ExecResult {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd ?? 'true', args, { env: childEnv(), encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
