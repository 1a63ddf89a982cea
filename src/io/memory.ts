// An in-memory network for whole-cluster tests in one process: loss, delay, jitter, partitions, all deterministic.
// Time comes from an injected Clock; packets are delivered only when the test calls deliverDue(), never by timers.
import { mulberry32 } from '../random.js';
import { millis, type Clock, type Millis } from '../types.js';
import { TransportEvents, type ReceivedPacket, type Transport, type TransportStats } from './transport.js';

/** Conditions of the path from one node to another. */
export interface PathConditions {
  /** Percentage (0–100) of packets lost. */
  readonly lossPct?: number;
  /** Fixed delay in ms (default: the network's `delayMs`). */
  readonly delayMs?: number;
  /** Extra uniformly random delay in [0, jitterMs) ms, from the seeded generator. */
  readonly jitterMs?: number;
  /** Nothing passes (a cut cable in one direction). */
  readonly down?: boolean;
}

/** Options of a MemoryNetwork. */
export interface MemoryNetworkOptions {
  readonly clock: Clock;
  /** Seed of the loss/jitter generator: the same seed gives the same run. Default 1. */
  readonly seed?: number;
  /** Default one-way delay in ms. Default 0 (delivered at the next deliverDue()). */
  readonly delayMs?: number;
}

/** Options of one endpoint. */
export interface AttachOptions {
  /** Link name (medium); endpoints only hear endpoints on the same link. Default `mem0`. */
  readonly link?: string;
  /** Send only to this node (a `ucast` medium); default: every node on the link (bcast). */
  readonly unicastTo?: string;
  /** Hear our own packets, as heartbeat's bcast does. Default true. */
  readonly loopback?: boolean;
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): Millis { return millis(this.t); }
  /** Moves time forward by `ms`. */
  advance(ms: number): Millis { this.t += ms; return millis(this.t); }
  /** Sets the time (must not go backwards: the clock is monotonic). */
  set(t: number): void { if (t < this.t) throw new Error('ManualClock: time cannot go backwards'); this.t = t; }
}

interface Endpoint {
  readonly node: string;
  readonly link: string;
  readonly unicastTo: string | undefined;
  readonly loopback: boolean;
  readonly events: TransportEvents;
  closed: boolean;
}

interface InFlight {
  readonly dueAt: number;
  readonly order: number;
  readonly to: Endpoint;
  readonly packet: ReceivedPacket;
}

/** Network-wide counters. */
export interface MemoryNetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  /** Not delivered because of a partition or a `down` path. */
  blocked: number;
}

/** The fake network. Attach one Transport per node and link, then drive time with the clock and `deliverDue()`. */
export class MemoryNetwork {
  private readonly endpoints: Endpoint[] = [];
  private readonly paths = new Map<string, PathConditions>();
  private groups: Map<string, number> | undefined;
  private inFlight: InFlight[] = [];
  private order = 0;
  private readonly rng: () => number;
  readonly counters: MemoryNetworkStats = { sent: 0, delivered: 0, lost: 0, blocked: 0 };

  constructor(private readonly opts: MemoryNetworkOptions) {
    this.rng = mulberry32(opts.seed ?? 1);
  }

  /** A Transport for `node` on a link. */
  attach(node: string, o: AttachOptions = {}): Transport {
    const ep: Endpoint = { node, link: o.link ?? 'mem0', unicastTo: o.unicastTo, loopback: o.loopback ?? true, events: new TransportEvents(), closed: false };
    this.endpoints.push(ep);
    const net = this;
    return {
      kind: 'memory',
      link: ep.link,
      description: `in-memory ${ep.unicastTo ? `unicast to ${ep.unicastTo}` : 'broadcast'} link ${ep.link} of ${node}`,
      send: (data) => net.send(ep, data),
      onPacket: (l) => ep.events.onPacket(l),
      onError: (l) => ep.events.onError(l),
      stats: (): TransportStats => ep.events.stats(),
      close: async () => { ep.closed = true; },
    };
  }

  /** Sets the conditions of the path `from` → `to` (one direction; call twice for both). */
  setPath(from: string, to: string, c: PathConditions): void {
    this.paths.set(`${from}\u0000${to}`, c);
  }

  /** Sets the conditions in both directions between two nodes. */
  setLink(a: string, b: string, c: PathConditions): void {
    this.setPath(a, b, c);
    this.setPath(b, a, c);
  }

  /** Splits the nodes into groups that hear only each other; nodes not named form one more group. */
  partition(groups: readonly (readonly string[])[]): void {
    this.groups = new Map();
    groups.forEach((g, i) => g.forEach((n) => this.groups?.set(n, i + 1)));
  }

  /** Ends a partition and clears every path condition. */
  heal(): void {
    this.groups = undefined;
    this.paths.clear();
  }

  /** Delivers, in time order, every packet due at or before clock.now(); returns how many were delivered. */
  deliverDue(): number {
    const now = this.opts.clock.now();
    let n = 0;
    for (;;) {
      const next = this.inFlight[0];
      if (!next || next.dueAt > now) break;
      this.inFlight.shift();
      if (next.to.closed) continue;
      this.counters.delivered++;
      next.to.events.deliver(next.packet);
      n++;
    }
    return n;
  }

  /** When the next packet is due, or undefined when none is in flight (lets a simulation jump time). */
  nextDueAt(): Millis | undefined {
    const f = this.inFlight[0];
    return f ? millis(f.dueAt) : undefined;
  }

  /** Packets in flight. */
  pending(): number { return this.inFlight.length; }

  stats(): MemoryNetworkStats { return { ...this.counters }; }

  private send(from: Endpoint, data: Uint8Array): void {
    if (from.closed) { from.events.sendFailed(new Error(`${from.node}: send after close`)); return; }
    from.events.counters.sent++;
    this.counters.sent++;
    const copy = data.slice();
    const now = this.opts.clock.now();
    for (const to of this.endpoints) {
      if (to.closed || to.link !== from.link) continue;
      if (to === from ? !from.loopback : (from.unicastTo !== undefined && from.unicastTo !== to.node)) continue;
      if (to.node !== from.node) {
        const c = this.paths.get(`${from.node}\u0000${to.node}`) ?? {};
        if (c.down || this.groupOf(from.node) !== this.groupOf(to.node)) { this.counters.blocked++; continue; }
        if ((c.lossPct ?? 0) > 0 && this.random() * 100 < (c.lossPct ?? 0)) { this.counters.lost++; continue; }
        const delay = (c.delayMs ?? this.opts.delayMs ?? 0) + ((c.jitterMs ?? 0) > 0 ? this.random() * (c.jitterMs ?? 0) : 0);
        this.enqueue(now + delay, to, { data: copy, from: from.node, fromPort: 0, link: from.link, kind: 'memory' });
      } else {
        this.enqueue(now, to, { data: copy, from: from.node, fromPort: 0, link: from.link, kind: 'memory' });
      }
    }
  }

  private groupOf(node: string): number {
    return this.groups?.get(node) ?? 0;
  }

  private enqueue(dueAt: number, to: Endpoint, packet: ReceivedPacket): void {
    const f: InFlight = { dueAt, order: this.order++, to, packet };
    // Keep in (dueAt, order) order; equal times keep send order, so runs are deterministic.
    let i = this.inFlight.length;
    while (i > 0 && (this.inFlight[i - 1] as InFlight).dueAt > dueAt) i--;
    this.inFlight.splice(i, 0, f);
  }

  /** Loss and delay draws: seeded, so a simulated run replays exactly. */
  private random(): number {
    return this.rng();
  }
}
