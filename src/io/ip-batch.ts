// One long-lived `ip -j -4 -force -batch -` child per daemon for the native address agent: commands are framed by a
// sentinel line, a failure is attributed by ip's own "Command failed -:LINE"; one `ip` process per command if it breaks.

import { spawn } from 'node:child_process';
import { runProcess, type Exec, type ProcResult } from './process.js';

/** The child as the channel uses it (a fake in unit tests, `ip -batch` in production). */
export interface BatchChild {
  /** Writes to the child's stdin; false when the pipe is closed. */
  write(text: string): boolean;
  /** stdout and stderr merged, in the order ip wrote them. */
  onData(cb: (text: string) => void): void;
  /** The child exited or could not be started. */
  onExit(cb: (why: string) => void): void;
  kill(): void;
}

/** What `run` hands back: the shape of one `ip` process's result, so callers need not know which path ran. */
export type IpResult = ProcResult & { readonly via: 'batch' | 'process' };

export interface IpChannelOptions {
  /** Starts the batch child; default `ip [-n NETNS] -j -4 -force -batch -` with stderr merged into stdout. */
  readonly spawnChild?: () => BatchChild;
  /** Runs one command when the channel is broken; default `ip [-n NETNS] -j -4 ARGS` through runProcess. */
  readonly fallback?: Exec;
  /** Network namespace to run in (tests); the daemon runs in its own and passes none. */
  readonly netns?: string;
  /** Child deaths within `brokenWindowMs` after which the channel is given up for that long. Default 3 in 10 s. */
  readonly maxDeaths?: number;
  readonly brokenWindowMs?: number;
  readonly now?: () => number;
}

/**
 * An object ip does not know: it fails at once with a line naming it, touching no state. (`link show dev NOSUCH` would
 * not do: in batch mode ip keeps link-show's flag set, and every later `addr show` prints links without addresses.)
 */
export const SENTINEL = 'll-batch-end';
/** Words a command may contain: ip's batch reader splits on blanks and knows quotes, so nothing else is framed safely. */
const SAFE_WORD = /^[A-Za-z0-9_.:/+-]+$/;

interface Pending {
  readonly args: readonly string[];
  readonly line: number;
  readonly resolve: (r: IpResult) => void;
  readonly timer: NodeJS.Timeout;
  readonly readOnly: boolean;
}

/** The production child: `sh -c 'exec "$@" 2>&1'` merges stderr into stdout in write order, then becomes ip. */
export function spawnIpBatch(netns?: string): BatchChild {
  const argv = ['ip', ...(netns ? ['-n', netns] : []), '-j', '-4', '-force', '-batch', '-'];
  const env = { ...process.env, PATH: `/usr/sbin:/sbin:/usr/bin:/bin:${process.env.PATH ?? ''}` };
  const c = spawn('sh', ['-c', 'exec "$@" 2>&1', 'sh', ...argv], { stdio: ['pipe', 'pipe', 'ignore'], env });
  // The channel must not keep the daemon (or a test) alive; pending requests hold their own timers.
  c.unref();
  (c.stdin as unknown as { unref?: () => void }).unref?.();
  (c.stdout as unknown as { unref?: () => void }).unref?.();
  c.stdin.on('error', () => { /* reported through exit */ });
  c.stdout.setEncoding('utf8');
  return {
    write: (t) => c.stdin.writable && c.stdin.write(t),
    onData: (cb) => { c.stdout.on('data', cb); },
    onExit: (cb) => {
      c.on('error', (e) => cb(`cannot start ip -batch: ${e.message}`));
      c.on('exit', (code, sig) => cb(`ip -batch exited (${sig ?? `rc=${code}`})`));
    },
    kill: () => { try { c.kill('SIGKILL'); } catch { /* gone */ } },
  };
}

/** The channel: `run(['addr', 'show'], t)` answers like `ip -j -4 addr show` would. */
export class IpChannel {
  private child: BatchChild | undefined;
  private buf = '';
  private lines = 0;
  private queue: Pending[] = [];
  private deaths: number[] = [];
  private brokenUntil = 0;
  private closed = false;
  private readonly fallback: Exec;
  private readonly now: () => number;

  constructor(private readonly o: IpChannelOptions = {}) {
    this.fallback = o.fallback ?? runProcess;
    this.now = o.now ?? (() => performance.now());
  }

  /** True while commands go through the batch child (not broken, not closed). */
  get live(): boolean { return !this.closed && this.now() >= this.brokenUntil; }

  /** Starts the child now, so the first takeover does not pay for the spawn. */
  warm(): void { if (this.live) this.ensure(); }

  /** Runs `ip -j -4 ARGS`; never throws. */
  run(args: readonly string[], timeoutMs: number): Promise<IpResult> {
    if (!this.live || !args.every((a) => SAFE_WORD.test(a))) return this.viaProcess(args, timeoutMs);
    const child = this.ensure();
    if (!child) return this.viaProcess(args, timeoutMs);
    return new Promise((resolve) => {
      const line = this.lines + 1;
      this.lines += 2;
      const p: Pending = { args, line, resolve, timer: setTimeout(() => this.onTimeout(p), timeoutMs), readOnly: args.includes('show') || args.includes('list') };
      this.queue.push(p);
      if (!child.write(`${args.join(' ')}\n${SENTINEL}\n`)) this.died('ip -batch stdin closed');
    });
  }

  /** Ends the child (daemon exit, tests). Later calls run one process per command. */
  close(): void {
    this.closed = true;
    const c = this.child;
    this.child = undefined;
    c?.kill();
    this.failAll('ip -batch channel closed');
  }

  private viaProcess(args: readonly string[], timeoutMs: number): Promise<IpResult> {
    const argv = ['ip', ...(this.o.netns ? ['-n', this.o.netns] : []), '-j', '-4', ...args];
    return this.fallback(argv, { timeoutMs }).then((r) => ({ ...r, via: 'process' as const }));
  }

  private ensure(): BatchChild | undefined {
    if (this.child) return this.child;
    let c: BatchChild;
    try { c = (this.o.spawnChild ?? (() => spawnIpBatch(this.o.netns)))(); } catch (e) { this.noteDeath(); void e; return undefined; }
    this.child = c;
    this.buf = '';
    this.lines = 0;
    c.onData((t) => { if (this.child === c) { this.buf += t; this.drain(); } });
    c.onExit((why) => { if (this.child === c) this.died(why); });
    return c;
  }

  /** Resolves every request whose sentinel has answered, in order. */
  private drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) { this.buf = ''; return; }
      const endMark = `Command failed -:${head.line + 1}\n`;
      const at = this.buf.indexOf(endMark);
      if (at < 0) return;
      let chunk = this.buf.slice(0, at);
      this.buf = this.buf.slice(at + endMark.length);
      // The sentinel's own complaint is the last line before its mark.
      const cut = chunk.lastIndexOf(`"${SENTINEL}"`);
      if (cut >= 0) chunk = chunk.slice(0, chunk.lastIndexOf('\n', cut) + 1);
      const failMark = `Command failed -:${head.line}\n`;
      const failed = chunk.includes(failMark);
      const output = failed ? chunk.replace(failMark, '') : chunk;
      this.queue.shift();
      clearTimeout(head.timer);
      head.resolve({ code: failed ? 1 : 0, signal: null, timedOut: false, output, stdout: failed ? '' : output, via: 'batch' });
    }
  }

  /** A request did not answer in time: it fails as timed out, and the child (stuck) is restarted for the rest. */
  private onTimeout(p: Pending): void {
    const i = this.queue.indexOf(p);
    if (i < 0) return;
    this.queue.splice(i, 1);
    p.resolve({ code: -1, signal: null, timedOut: true, output: `ip ${p.args.join(' ')}: no answer from ip -batch`, stdout: '', via: 'batch' });
    this.died('ip -batch did not answer in time');
  }

  private died(why: string): void {
    const c = this.child;
    this.child = undefined;
    c?.kill();
    this.noteDeath();
    this.failAll(why);
  }

  private noteDeath(): void {
    const t = this.now();
    const window = this.o.brokenWindowMs ?? 10_000;
    this.deaths = [...this.deaths.filter((d) => t - d < window), t];
    if (this.deaths.length >= (this.o.maxDeaths ?? 3)) { this.brokenUntil = t + window; this.deaths = []; }
  }

  /**
   * Requests still waiting when the child went away: a read is asked again of a fresh `ip` process; a change may or
   * may not have been made, so it fails with the reason rather than being applied twice.
   */
  private failAll(why: string): void {
    const q = this.queue;
    this.queue = [];
    for (const p of q) {
      clearTimeout(p.timer);
      if (p.readOnly && !this.closed) { void this.viaProcess(p.args, 10_000).then(p.resolve); continue; }
      p.resolve({ code: -1, signal: null, timedOut: false, output: `ip ${p.args.join(' ')}: ${why}`, stdout: '', via: 'batch', spawnError: why });
    }
  }
}

let shared: IpChannel | undefined;
/** The daemon's one channel (every agent context of the process shares it); started on first use or warm(). */
export function sharedIpChannel(): IpChannel {
  shared ??= new IpChannel();
  return shared;
}
