// Binds the pure fencing machine to the world: its `run` effects become `stonith` processes (or any runner a test
// gives it), its timers real timers, its results events; `fenced` is handed to the resource layer.

import type { Millis, NodeName } from '../types.js';
import {
  fenceStep, initialFenceState, nextFenceDeadline,
  type FenceConfig, type FenceEffect, type FenceEvent, type FenceOutcome, type FenceState,
} from '../fencing/machine.js';

/** Runs one plugin operation; resolves with its outcome (never rejects). */
export type FenceRunner = (op: 'reset' | 'status', node: NodeName | undefined, timeoutMs: Millis) => Promise<{ outcome: FenceOutcome; detail?: string }>;

export interface FenceDriverOptions {
  readonly config: FenceConfig;
  readonly run: FenceRunner;
  readonly now: () => Millis;
  readonly log: (level: 'info' | 'warn' | 'error', text: string) => void;
  /** heartbeat's send_stonith_msg. */
  readonly send: (node: NodeName, result: 'OK' | 'badhost' | 'bad') => void;
  /** The node is reset: its groups may be taken over. */
  readonly fenced: (node: NodeName, attempts: number, elapsed: Millis) => void;
}

/** Carries out the fencing machine's effects. */
export class FenceDriver {
  private stateNow: FenceState;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly o: FenceDriverOptions) {
    this.stateNow = initialFenceState(o.config);
  }

  get state(): FenceState { return this.stateNow; }

  feed(ev: FenceEvent): void {
    if (this.closed) return;
    const r = fenceStep(this.stateNow, ev, this.o.now());
    this.stateNow = r.state;
    for (const fx of r.effects) this.apply(fx);
    this.arm();
  }

  /** Stops timers; running plugin processes finish (their results are dropped). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when no plugin process is running (tests). */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const at = nextFenceDeadline(this.stateNow);
    if (at === undefined || this.closed) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.feed({ type: 'tick' }); }, Math.max(0, at - this.o.now() + 1));
    // The hourly status check alone must not keep a process alive.
    this.timer.unref();
  }

  private apply(fx: FenceEffect): void {
    switch (fx.type) {
      case 'log': this.o.log(fx.level, fx.text); break;
      case 'send': this.o.send(fx.node, fx.result); break;
      case 'fenced': this.o.fenced(fx.node, fx.attempts, fx.elapsed); break;
      case 'run': {
        const p = this.o.run(fx.op, fx.node, fx.timeoutMs)
          .catch((e: unknown) => ({ outcome: 'failed' as const, detail: String(e) }))
          .then((r) => { this.feed({ type: 'done', opId: fx.opId, outcome: r.outcome, ...(r.detail ? { detail: r.detail } : {}) }); });
        const tracked = p.finally(() => this.inflight.delete(tracked));
        this.inflight.add(tracked);
        break;
      }
    }
  }
}
