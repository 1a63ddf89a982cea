// Binds the pure ownership machine to the world: agent effects run through the adapters one at a time, their
// results and timer ticks are fed back, messages and log lines go to callbacks. The daemon owns one of these.

import type { Millis, NodeName } from '../types.js';
import type { AgentContext } from './agents/agent.js';
import type { ArpOptions } from './agents/ipaddr.js';
import { agentFor } from './agents/lookup.js';
import type { Agent } from './agents/agent.js';
import {
  initialResourceState, nextDeadline, step,
  type ResourceConfig, type ResourceEffect, type ResourceEvent, type ResourceState,
} from './machine.js';
import type { ResourceMessage } from './messages.js';

/** What the driver needs from the daemon. */
export interface DriverOptions {
  readonly config: ResourceConfig;
  readonly agents: AgentContext;
  /** Monotonic clock in ms. */
  readonly now: () => Millis;
  /** Broadcast a resource message to the cluster (the wire layer adds the envelope). */
  readonly send: (msg: ResourceMessage) => void;
  /** heartbeat-style log line. */
  readonly log: (level: 'info' | 'warn' | 'error' | 'crit', text: string) => void;
  /** STONITH request; answer with driver.feed({ type: 'stonith-done', … }). */
  readonly stonith?: (node: NodeName) => void;
  /** Called once everything is released after a shutdown (restart = healed partition). */
  readonly onShutdownComplete?: (restart: boolean) => void;
  /** Called when a stop failed for good on a running resource. heartbeat reboots here; the daemon decides. */
  readonly onRebootRequired?: (resource: string) => void;
  /** Each agent run's result and duration (the daemon's event ring records it). */
  readonly onOp?: (resource: string, action: string, ok: boolean, ms: number) => void;
  /** Per-action timeout for agents. Default 60 s (heartbeat has none; a hung script would block failover forever). */
  readonly agentTimeoutMs?: number;
  readonly arp?: ArpOptions;
}

/** Runs the machine: feed it events, it carries out the effects. */
export class ResourceDriver {
  private stateNow: ResourceState;
  private timer: NodeJS.Timeout | undefined;
  private readonly agents = new Map<string, Agent | null>();
  private idleWaiters: Array<() => void> = [];
  private busy = false;

  constructor(private readonly o: DriverOptions) {
    this.stateNow = initialResourceState(o.config);
    // The ip -batch channel and the ARP helper start now, so a takeover does not wait for them to be spawned.
    if (o.config.groups.some((g) => g.resources.some((r) => r.type === 'IPaddr' || r.type === 'IPaddr2'))) {
      o.agents.ip?.warm();
      o.agents.arp?.warm();
    }
  }

  /** The machine's current state (read-only). */
  get state(): ResourceState { return this.stateNow; }

  /** Feeds one event and carries out the resulting effects. */
  feed(ev: ResourceEvent): void {
    const r = step(this.stateNow, ev, this.o.now());
    this.stateNow = r.state;
    for (const fx of r.effects) this.apply(fx);
    this.arm();
    this.checkIdle();
  }

  /** Resolves when no agent action is running and none is queued. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Stops timers (tests and daemon exit). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private isIdle(): boolean {
    return !this.busy && this.stateNow.running === undefined && this.stateNow.queue.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const at = nextDeadline(this.stateNow);
    if (at === undefined) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.feed({ type: 'tick' }); }, Math.max(0, at - this.o.now() + 1));
  }

  private agent(text: string, fx: Extract<ResourceEffect, { type: 'agent' }>): Agent | null {
    let a = this.agents.get(text);
    if (a === undefined) {
      const r = agentFor(fx.resource, this.o.agents, this.o.arp ? { arp: this.o.arp } : {});
      if (!r.ok) this.o.log('error', r.error.message);
      a = r.ok ? r.value : null;
      this.agents.set(text, a);
    }
    return a;
  }

  private apply(fx: ResourceEffect): void {
    switch (fx.type) {
      case 'log': this.o.log(fx.level, fx.text); break;
      case 'send': this.o.send(fx.msg); break;
      case 'stonith': this.o.stonith?.(fx.node); break;
      case 'reboot-required': this.o.onRebootRequired?.(fx.resource); break;
      case 'shutdown-complete': this.o.onShutdownComplete?.(fx.restart); break;
      case 'agent': {
        const agent = this.agent(fx.resource.text, fx);
        this.busy = true;
        const t0 = this.o.now();
        const done = (ok: boolean): void => {
          this.busy = false;
          this.o.onOp?.(fx.resource.text, fx.action, ok, this.o.now() - t0);
          this.feed({ type: 'agent-done', opId: fx.opId, ok });
        };
        if (!agent) { queueMicrotask(() => done(false)); break; }
        agent.run(fx.action, { timeoutMs: this.o.agentTimeoutMs ?? 60_000 })
          .then((r) => done(r.ok), (e: unknown) => { this.o.log('error', `agent ${fx.resource.text} ${fx.action}: ${String(e)}`); done(false); });
        break;
      }
    }
  }
}
