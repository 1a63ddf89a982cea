// Network namespaces as the harness's unit of ownership: list their processes, kill them all, delete them.
// Teardown is synchronous so that it also works from process exit and signal handlers.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { run, runSync } from './run.js';

/** Root of every harness temp dir; one sub-directory per cluster prefix, so a sweep can find leftovers. */
export const HARNESS_TMP = join(tmpdir(), 'lifeline-harness');

/** Names of all network namespaces on the machine (`ip netns list`). */
export function listNamespaces(): string[] {
  const r = runSync(['ip', 'netns', 'list']);
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter((n) => n !== '');
}

/** Pids of every process whose network namespace is `ns` (including daemons that forked away from us). */
export async function namespacePids(ns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', ns], { timeoutMs: 5000 });
  return parsePids(r.stdout);
}

/** Synchronous `namespacePids`. */
export function namespacePidsSync(ns: string): number[] {
  return parsePids(runSync(['ip', 'netns', 'pids', ns]).stdout);
}

function parsePids(text: string): number[] {
  return text.split('\n').map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0 && n !== process.pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

/**
 * Crashes a namespace's processes the way a power cut would: first SIGSTOP every one (repeating until no new
 * process appears, so a fork in flight is caught too), then SIGKILL them all. Killing one by one would let the
 * survivors notice and react (heartbeat and keepalived do), which is not a crash.
 */
export async function crashNamespace(ns: string): Promise<number[]> {
  const stopped = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const pids = (await namespacePids(ns)).filter((p) => !stopped.has(p));
    if (pids.length === 0) break;
    for (const p of pids) { signal(p, 'SIGSTOP'); stopped.add(p); }
  }
  for (const p of stopped) signal(p, 'SIGKILL');
  // Stopped processes still receive SIGKILL; wait until the kernel has let them all go.
  for (let i = 0; i < 200; i++) {
    const left = await namespacePids(ns);
    if (left.length === 0) break;
    for (const p of left) { signal(p, 'SIGKILL'); }
    await new Promise((r) => setTimeout(r, 10));
  }
  return [...stopped];
}

/** Synchronous freeze-then-kill of every process of `ns`, for teardown. */
export function killNamespaceSync(ns: string): void {
  const stopped = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const pids = namespacePidsSync(ns).filter((p) => !stopped.has(p));
    if (pids.length === 0) break;
    for (const p of pids) { signal(p, 'SIGSTOP'); stopped.add(p); }
  }
  for (const p of stopped) signal(p, 'SIGKILL');
  for (let i = 0; i < 100 && namespacePidsSync(ns).length > 0; i++) {
    for (const p of namespacePidsSync(ns)) signal(p, 'SIGKILL');
    runSync(['sleep', '0.02']);
  }
}

/** Kills every process of each namespace, then deletes the namespaces (their veths go with them). */
export function destroyNamespacesSync(names: readonly string[]): void {
  const existing = new Set(listNamespaces());
  for (const ns of names) if (existing.has(ns)) killNamespaceSync(ns);
  for (const ns of names) if (existing.has(ns)) runSync(['ip', 'netns', 'del', ns]);
}

/**
 * Removes what a previous, crashed run left under `prefix`: namespaces named `prefix` or `prefix-*` (with all
 * their processes) and the temp dirs of those clusters. Call it before building a cluster with that prefix.
 */
export function sweepStale(prefix: string): { namespaces: string[]; dirs: string[] } {
  const ns = listNamespaces().filter((n) => n === prefix || n.startsWith(`${prefix}-`));
  destroyNamespacesSync(ns);
  const dirs: string[] = [];
  let entries: string[] = [];
  try { entries = readdirSync(HARNESS_TMP); } catch { /* nothing there yet */ }
  for (const e of entries) {
    if (e === prefix || e.startsWith(`${prefix}-`)) {
      const d = join(HARNESS_TMP, e);
      rmSync(d, { recursive: true, force: true });
      dirs.push(d);
    }
  }
  return { namespaces: ns, dirs };
}

// --- process-exit safety net -------------------------------------------------------------------------------

const liveTeardowns = new Map<string, () => void>();
let handlersInstalled = false;

/**
 * Registers a synchronous teardown to run if the process exits (normally, by uncaught error, or on
 * SIGINT/SIGTERM/SIGHUP) before `unregisterTeardown(key)` is called.
 */
export function registerTeardown(key: string, fn: () => void): void {
  liveTeardowns.set(key, fn);
  if (handlersInstalled) return;
  handlersInstalled = true;
  const runAll = (): void => {
    for (const [k, f] of [...liveTeardowns]) {
      liveTeardowns.delete(k);
      try { f(); } catch { /* keep cleaning the others */ }
    }
  };
  process.on('exit', runAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => { runAll(); process.kill(process.pid, sig); });
  }
}

/** Removes a teardown registered with `registerTeardown` (after it ran normally). */
export function unregisterTeardown(key: string): void {
  liveTeardowns.delete(key);
}

/** Whether a process still runs: false when it is gone or only a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Process state letter from /proc (R, S, D, T, Z…), or undefined when the process is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Waits (up to `timeoutMs`) until every pid is stopped (T/t) or gone: SIGSTOP is delivered asynchronously. */
export async function waitStopped(pids: readonly number[], timeoutMs = 2000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const running = pids.filter((p) => { const s = processState(p); return s !== undefined && s !== 'T' && s !== 't' && s !== 'Z'; });
    if (running.length === 0) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
}
