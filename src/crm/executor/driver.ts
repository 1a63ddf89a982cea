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

/**
 * Launches a core's process and keeps it in `running` under its launch id until it exits. Returns the handle while
 * it runs, or undefined when the exit was reported at once (a spawn failure): then there is nothing to track.
 */
export function launchTracked(
  launcher: Launcher, running: Map<number, Launched>, id: number,
  argv: readonly string[], env: Readonly<Record<string, string>>, stdin: string | undefined, onExit: (exit: ProcessExit) => void,
): Launched | undefined {
  let ended = false;
  const h = launcher.launch(argv, env, stdin, (exit) => {
    ended = true;
    running.delete(id);
    onExit(exit);
  });
  if (ended) return undefined;
  running.set(id, h);
  return h;
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

/** One timer kept at a pure core's next deadline: re-armed only when the deadline moves, fired at most once. */
export class DeadlineTimer {
  private timer: unknown;
  private at: Millis | undefined;

  constructor(private readonly clock: DriverClock, private readonly fire: () => void) {}

  /** Keeps the timer at `at` (undefined: no deadline). */
  arm(at: Millis | undefined): void {
    if (at === this.at && this.timer !== undefined) return;
    this.stop();
    this.at = at;
    if (at === undefined) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.at = undefined;
      this.fire();
    }, Math.max(0, at - this.clock.now()));
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}

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
  private readonly deadline: DeadlineTimer;

  constructor(opts: ExecutorOptions = {}) {
    this.core = new ExecutorCore(defaultInvocationConfig({ baseEnv: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }, ...opts.config }));
    this.launcher = opts.launcher ?? processLauncher();
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    this.deadline = new DeadlineTimer(this.clock, () => this.apply(this.core.tick(this.clock.now())));
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
    this.deadline.stop();
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
          const h = launchTracked(this.launcher, this.running, id, e.argv, e.env, e.stdin, (exit) => this.apply(this.core.exited(id, exit, this.clock.now())));
          if (h?.pid !== undefined) this.core.spawned(id, h.pid);
          break;
        }
      }
    }
    this.arm();
  }

  /** One timer, at the core's next deadline. */
  private arm(): void {
    this.deadline.arm(this.core.nextDeadline());
  }
}
