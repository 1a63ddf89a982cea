// An in-memory twin of the CRM cluster layer: N nodes in one process, a fake clock, a broadcast network with
// partitions and scripted loss, duplication and reordering, and membership views that follow deadtime.
import { initialCrmNode, stepCrmNode, crmStatus, type CrmNodeEvent, type CrmNodeState, type MessagingConfig } from '../../../src/crm/cluster/index.js';
import { emptyCib, type CibAnswer, type CibChange } from '../../../src/crm/cib-store/index.js';
import type { XEl } from '../../../src/crm/xml-lite.js';
import type { HaMessage } from '../../../src/wire/message.js';
import type { Millis } from '../../../src/types.js';

export interface TwinPacket { readonly from: string; readonly to: string; readonly message: HaMessage }
interface Queued { at: number; order: number; run: () => void }

interface TwinNode {
  state: CrmNodeState | undefined;
  running: boolean;
  side: number;
  inc: number;
  persisted: XEl[];
  logs: string[];
}

export interface TwinOptions {
  /** Membership's deadtime: a node's death or a cut is seen this long after it happens. */
  readonly deadtimeMs?: number;
  readonly tickMs?: number;
  readonly latencyMs?: number;
  readonly messaging?: MessagingConfig;
  /** Start times (election "Uptime") by node; default: all at the same second, names decide. */
  readonly born?: (name: string) => number;
  readonly cib?: (name: string) => XEl;
}

export class CrmTwin {
  now = 0;
  readonly nodes = new Map<string, TwinNode>();
  readonly answers = new Map<string, CibAnswer>();
  /** Return true to lose a packet; `dup` to deliver it twice; `delay` adds latency (reordering). */
  lose: (p: TwinPacket) => boolean = () => false;
  dup: (p: TwinPacket) => boolean = () => false;
  delay: (p: TwinPacket) => number = () => 0;
  packets = 0;
  private queue: Queued[] = [];
  private order = 0;
  readonly deadtime: number;
  readonly tick: number;
  readonly latency: number;

  constructor(readonly names: readonly string[], private readonly o: TwinOptions = {}) {
    this.deadtime = o.deadtimeMs ?? 500;
    this.tick = o.tickMs ?? 100;
    this.latency = o.latencyMs ?? 1;
    for (const n of names) this.nodes.set(n, { state: undefined, running: false, side: 0, inc: 0, persisted: [], logs: [] });
  }

  node(n: string): TwinNode { return this.nodes.get(n)!; }
  state(n: string): CrmNodeState { return this.node(n).state!; }
  status(n: string) { return crmStatus(this.state(n)); }
  running(): string[] { return [...this.nodes.keys()].filter((n) => this.node(n).running); }

  private at(t: number, run: () => void): void { this.queue.push({ at: t, order: this.order++, run }); }

  /** Starts (or restarts with a new incarnation) a node; its peers see it at once (membership's first heartbeat). */
  start(name: string, cib?: XEl): void {
    const n = this.node(name);
    n.inc++;
    n.running = true;
    const born = this.o.born?.(name) ?? 1_800_000_000_000;
    const r = initialCrmNode({ self: name, configured: this.names, inc: n.inc, born, ...(this.o.messaging ? { messaging: this.o.messaging } : {}) },
      cib ?? this.o.cib?.(name) ?? emptyCib(), this.now as Millis);
    n.state = r.state;
    this.carry(name, r.effects);
    const ticker = (inc: number) => () => { if (n.running && n.inc === inc) { this.dispatch(name, { type: 'tick' }); this.at(this.now + this.tick, ticker(inc)); } };
    this.at(this.now + this.tick, ticker(n.inc));
    this.refreshViews(this.latency);
  }

  startAll(): void { for (const n of this.names) this.start(n); }

  /** kill -9: silent at once, seen dead by the others after deadtime. */
  kill(name: string): void {
    this.node(name).running = false;
    this.refreshViews(this.deadtime);
  }

  /** Cuts the network into groups (every node not named stays in group 0 with the first). */
  partition(...groups: string[][]): void {
    groups.forEach((g, i) => { for (const n of g) this.node(n).side = i; });
    this.refreshViews(this.deadtime);
  }

  /** Undoes `partition`; `lag` delays some nodes' new view (membership does not see a heal everywhere at once). */
  heal(lag: (name: string) => number = () => 0): void {
    for (const n of this.nodes.values()) n.side = 0;
    this.refreshViews(this.tick, lag);
  }

  /** Membership's view of every running node after `after` (+ its lag) ms: the running nodes it can reach. */
  private refreshViews(after: number, lag: (name: string) => number = () => 0): void {
    for (const name of this.nodes.keys()) {
      this.at(this.now + after + lag(name), () => {
        const n = this.node(name);
        if (n.running) this.dispatch(name, { type: 'members', members: this.running().filter((m) => this.node(m).side === n.side) });
      });
    }
  }

  client(node: string, client: string, change: CibChange): void { this.dispatch(node, { type: 'client', client, change }); }

  /** Injects a raw message as if `from` had sent it to `to` (garbage tests). */
  inject(to: string, from: string, message: HaMessage): void { this.dispatch(to, { type: 'message', from, message }); }

  dispatch(name: string, ev: CrmNodeEvent): void {
    const n = this.node(name);
    if (!n.running || !n.state) return;
    const r = stepCrmNode(n.state, ev, this.now as Millis);
    n.state = r.state;
    this.carry(name, r.effects);
  }

  private carry(name: string, effects: ReturnType<typeof stepCrmNode>['effects']): void {
    const n = this.node(name);
    for (const e of effects) {
      switch (e.kind) {
        case 'transmit':
          for (const [to, peer] of this.nodes) {
            if (to === name || !peer.running || peer.side !== n.side) continue;
            const p: TwinPacket = { from: name, to, message: e.message };
            this.packets++;
            if (this.lose(p)) continue;
            const copies = this.dup(p) ? 2 : 1;
            for (let i = 0; i < copies; i++) {
              this.at(this.now + this.latency + this.delay(p), () => {
                if (this.node(to).side === this.node(name).side) this.dispatch(to, { type: 'message', from: name, message: e.message });
              });
            }
          }
          break;
        case 'persist': n.persisted.push(e.cib); break;
        case 'reply': this.answers.set(e.client, e.answer); break;
        case 'log': n.logs.push(`${this.now} ${e.level}: ${e.text}`); break;
        default: break;
      }
    }
  }

  /** Runs the fake clock until `until` (absolute ms). */
  runUntil(until: number): void {
    for (;;) {
      let best: Queued | undefined;
      for (const q of this.queue) if (!best || q.at < best.at || (q.at === best.at && q.order < best.order)) best = q;
      if (!best || best.at > until) break;
      this.queue.splice(this.queue.indexOf(best), 1);
      this.now = Math.max(this.now, best.at);
      best.run();
    }
    this.now = Math.max(this.now, until);
  }

  run(ms: number): void { this.runUntil(this.now + ms); }

  /** Runs until `pred` holds (checked after each event), at most `limit` ms; returns the time it took or undefined. */
  runUntilTrue(pred: () => boolean, limit = 10_000): number | undefined {
    const t0 = this.now;
    for (;;) {
      if (pred()) return this.now - t0;
      let best: Queued | undefined;
      for (const q of this.queue) if (!best || q.at < best.at || (q.at === best.at && q.order < best.order)) best = q;
      if (!best || best.at > t0 + limit) return undefined;
      this.queue.splice(this.queue.indexOf(best), 1);
      this.now = Math.max(this.now, best.at);
      best.run();
    }
  }

  /** The DC every running node of `names` believes in (a set: one element when they agree). */
  dcs(names: readonly string[] = this.running()): Set<string | null> { return new Set(names.map((n) => this.status(n).dc)); }
}
