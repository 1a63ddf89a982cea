// The executor as the daemon runs it: the pure core on the real clock, its launches carried out by the process
// adapter (or by the in-memory agents of twin.ts), its timers as one setTimeout, results to a callback.

import { ExecutorCore } from './core.js';
import { defaultInvocationConfig, type InvocationConfig } from './invocation.js';
import { launchProcess, type ArgvWrapper, type Launched } from './process.js';
import type { ExecEffect, LogLevel, Millis, OpRequest, OpResult, ProcessExit } from './types.js';

/** Something that runs a launch: real processes here, scripted agents in the twin. */
export interface Launcher {
  launch(argv: readonly string[], env: Readonly<Record<string, string>>, stdin: string | undefined, onExit: (exit: ProcessExit) => void): Launched;
}

/** The real launcher, optionally wrapping argv (e.g. to run on a namespace host). */
export function processLauncher(wrap?: ArgvWrapper): Launcher {
  return { launch: (argv, env, stdin, onExit) => launchProcess(argv, env, stdin, onExit, wrap) };
}

/** Clock and timer the driver uses (a fake pair in tests). */
export interface DriverClock {
  now(): Millis;
  setTimer(fn: () => void, ms: Millis): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: DriverClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ExecutorOptions {
  readonly config?: Partial<InvocationConfig>;
  readonly launcher?: Launcher;
  readonly clock?: DriverClock;
  readonly log?: (level: LogLevel, text: string) => void;
}

export class Executor {
  readonly core: ExecutorCore;
  private readonly launcher: Launcher;
  private readonly clock: DriverClock;
  private readonly log: (level: LogLevel, text: string) => void;
  private readonly running = new Map<number, Launched>();
  private readonly listeners = new Map<number, (r: OpResult) => void>();
  private timer: unknown;
  private timerAt: Millis | undefined;

  constructor(opts: ExecutorOptions = {}) {
    this.core = new ExecutorCore(defaultInvocationConfig({ baseEnv: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }, ...opts.config }));
    this.launcher = opts.launcher ?? processLauncher();
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
  }

  /** Submits an operation; `onResult` gets every run's result (one for one-shot ops). Returns the call id. */
  submit(req: OpRequest, onResult: (r: OpResult) => void): number {
    const s = this.core.submit(req, this.clock.now());
    this.listeners.set(s.callId, onResult);
    this.apply(s.effects);
    return s.callId;
  }

  /** Runs a one-shot operation to its result. */
  run(req: OpRequest): Promise<OpResult> {
    return new Promise((resolve) => this.submit({ ...req, intervalMs: 0 }, resolve));
  }

  cancel(rscId: string, action: string, intervalMs: Millis): boolean {
    const c = this.core.cancel(rscId, action, intervalMs, this.clock.now());
    this.apply(c.effects);
    return c.found;
  }

  cancelAll(rscId: string): void {
    this.apply(this.core.cancelAll(rscId, this.clock.now()));
  }

  /** Stops the timer (daemon shutdown); running agents are left to finish. */
  close(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private apply(effects: readonly ExecEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'log': this.log(e.level, e.text); break;
        case 'kill': this.running.get(e.launchId)?.killGroup(); break;
        case 'result': {
          const l = this.listeners.get(e.result.callId);
          if (e.result.request.intervalMs === 0 || e.result.opStatus === 1) this.listeners.delete(e.result.callId);
          // A listener's bug must not stop the executor (the daemon keeps running other resources).
          try { l?.(e.result); } catch (err) { this.log('error', `result handler for call ${e.result.callId} failed: ${(err as Error).message}`); }
          break;
        }
        case 'launch': {
          const id = e.launchId;
          let ended = false;
          const h = this.launcher.launch(e.argv, e.env, e.stdin, (exit) => {
            ended = true;
            this.running.delete(id);
            this.apply(this.core.exited(id, exit, this.clock.now()));
          });
          // The exit may already have been reported (spawn failure): then there is nothing to track.
          if (!ended) {
            if (h.pid !== undefined) this.core.spawned(id, h.pid);
            this.running.set(id, h);
          }
          break;
        }
      }
    }
    this.arm();
  }

  /** One timer, at the core's next deadline. */
  private arm(): void {
    const at = this.core.nextDeadline();
    if (at === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === undefined) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.apply(this.core.tick(this.clock.now()));
    }, Math.max(0, at - this.clock.now()));
  }
}
