// A fake clock and an in-memory network for membership scenarios: machines exchange HaMessages, no sockets.
// Time only moves when the simulator jumps to the next packet or wake-up, so runs are exact to the millisecond.
import type { HaMessage } from '../../src/wire/message.js';
import { getString } from '../../src/wire/message.js';
import type { MembershipConfigInput, MembershipEffect, MembershipEvent, MembershipState } from '../../src/membership/index.js';
import { initialState, membershipConfig, step } from '../../src/membership/index.js';
import { generation, millis, nodeName } from '../../src/types.js';

/** One packet on the fake wire. */
export interface Packet {
  readonly from: string;
  readonly to: string;
  readonly medium: string;
  readonly message: HaMessage;
}

/** A line the machine logged, with the simulated time. */
export interface LogLine {
  readonly t: number;
  readonly level: string;
  readonly text: string;
}

interface SimNode {
  name: string;
  input: MembershipConfigInput;
  state: MembershipState | undefined;
  running: boolean;
  /** A paused node does not step; packets for it wait (as in a socket buffer) until it resumes. */
  paused: boolean;
  wakeAt: number | undefined;
  buffered: { packet: Packet; at: number }[];
  log: LogLine[];
  effects: { t: number; effect: MembershipEffect }[];
}

interface Queued {
  at: number;
  order: number;
  packet: Packet;
}

/** A uuid from a name, so tests need not spell 16 bytes. */
export function uuidOf(name: string): Uint8Array {
  const u = new Uint8Array(16);
  for (let i = 0; i < 16; i++) u[i] = (name.charCodeAt(i % name.length) * (i + 7)) & 0xff;
  return u;
}

/** Default cluster settings for scenarios: the "aggressive" profile of the failover measurements. */
export const FAST = { keepalive: millis(100), deadtime: millis(500), warntime: millis(300), initdead: millis(2000), wallClockOffset: millis(1795572151000) };

export class Sim {
  now = 0;
  readonly nodes = new Map<string, SimNode>();
  private queue: Queued[] = [];
  private order = 0;
  /** Media cut for one sender: `${node}:${medium}` → packets sent on it vanish. */
  readonly cut = new Set<string>();
  /** Return true to lose a packet. */
  lose: (p: Packet, at: number) => boolean = () => false;
  /** Every packet that left a node, with its time. */
  readonly wire: { t: number; packet: Packet }[] = [];
  /** Every packet handed to a node (after loss), with its time. */
  readonly delivered: { t: number; packet: Packet }[] = [];

  constructor(readonly latency = 1) {}

  add(name: string, input: Partial<Omit<MembershipConfigInput, 'nodes'>> & { nodes: string[] }): void {
    const full: MembershipConfigInput = {
      self: nodeName(name),
      uuid: uuidOf(name),
      generation: generation(1000),
      media: ['eth0'],
      ...FAST,
      ...input,
      nodes: input.nodes.map(nodeName),
    };
    this.nodes.set(name, { name, input: full, state: undefined, running: false, paused: false, wakeAt: undefined, buffered: [], log: [], effects: [] });
  }

  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  state(name: string): MembershipState {
    const s = this.node(name).state;
    if (!s) throw new Error(`${name} not started`);
    return s;
  }

  /** Starts (or restarts, with a new generation) a node at the current time. */
  start(name: string, gen?: number): void {
    const n = this.node(name);
    const input = gen === undefined ? n.input : { ...n.input, generation: generation(gen) };
    n.input = input;
    const r = membershipConfig(input);
    if (!r.ok) throw new Error(r.error.map((d) => d.message).join('; '));
    n.state = initialState(r.value.config);
    n.running = true;
    n.paused = false;
    n.buffered = [];
    this.apply(n, { kind: 'start' });
  }

  /** A crash: the node stops at once, without a word. */
  kill(name: string): void {
    const n = this.node(name);
    n.running = false;
    n.wakeAt = undefined;
  }

  pause(name: string): void {
    this.node(name).paused = true;
  }

  /** Resumes a paused node: first its timer fires (late), then the packets that waited for it. */
  resume(name: string): void {
    const n = this.node(name);
    n.paused = false;
    this.apply(n, { kind: 'tick' });
    const waiting = n.buffered;
    n.buffered = [];
    for (const w of waiting) this.apply(n, { kind: 'receive', message: w.packet.message, medium: w.packet.medium, address: w.packet.from });
  }

  /** Hands an event to a node now (tests inject packets and local requests with it). */
  inject(name: string, event: MembershipEvent): MembershipEffect[] {
    return this.apply(this.node(name), event);
  }

  private apply(n: SimNode, event: MembershipEvent): MembershipEffect[] {
    if (!n.state || !n.running) return [];
    const r = step(n.state, event, millis(this.now));
    n.state = r.state;
    for (const e of r.effects) {
      n.effects.push({ t: this.now, effect: e });
      if (e.kind === 'log') n.log.push({ t: this.now, level: e.level, text: e.text });
      else if (e.kind === 'wake-at') n.wakeAt = e.at;
      else if (e.kind === 'send') this.broadcast(n, e.message);
    }
    return [...r.effects];
  }

  private broadcast(n: SimNode, message: HaMessage): void {
    for (const medium of n.input.media) {
      if (this.cut.has(`${n.name}:${medium}`)) continue;
      for (const other of this.nodes.values()) {
        if (!other.input.media.includes(medium)) continue;
        const packet: Packet = { from: n.name, to: other.name, medium, message };
        this.wire.push({ t: this.now, packet });
        if (this.lose(packet, this.now)) continue;
        this.queue.push({ at: this.now + this.latency, order: this.order++, packet });
      }
    }
  }

  /** Runs the cluster until simulated time `until` (inclusive). */
  runUntil(until: number): void {
    for (;;) {
      let next = Infinity;
      for (const q of this.queue) next = Math.min(next, q.at);
      for (const n of this.nodes.values()) if (n.running && !n.paused && n.wakeAt !== undefined) next = Math.min(next, n.wakeAt);
      if (next > until) break;
      this.now = Math.max(this.now, next);
      const due = this.queue.filter((q) => q.at <= this.now).sort((a, b) => a.at - b.at || a.order - b.order);
      if (due.length) {
        this.queue = this.queue.filter((q) => q.at > this.now);
        for (const q of due) {
          const to = this.node(q.packet.to);
          if (!to.running) continue;
          if (to.paused) {
            to.buffered.push({ packet: q.packet, at: this.now });
            continue;
          }
          this.delivered.push({ t: this.now, packet: q.packet });
          this.apply(to, { kind: 'receive', message: q.packet.message, medium: q.packet.medium, address: q.packet.from });
        }
        continue;
      }
      for (const n of this.nodes.values()) {
        if (n.running && !n.paused && n.wakeAt !== undefined && n.wakeAt <= this.now) {
          n.wakeAt = undefined;
          this.apply(n, { kind: 'tick' });
        }
      }
    }
    this.now = Math.max(this.now, until);
  }

  /** Log lines of `name` matching `re`. */
  logs(name: string, re: RegExp): LogLine[] {
    return this.node(name).log.filter((l) => re.test(l.text));
  }

  /** The first time `name` logged a line matching `re`. */
  firstLog(name: string, re: RegExp): LogLine | undefined {
    return this.logs(name, re)[0];
  }

  /** Effects of one kind emitted by `name`. */
  effectsOf<K extends MembershipEffect['kind']>(name: string, kind: K): { t: number; effect: Extract<MembershipEffect, { kind: K }> }[] {
    return this.node(name).effects.filter((e) => e.effect.kind === kind) as { t: number; effect: Extract<MembershipEffect, { kind: K }> }[];
  }

  /** Times `to` received a status message from `from`. */
  statusArrivals(from: string, to: string): number[] {
    return this.delivered.filter((d) => d.packet.from === from && d.packet.to === to && getString(d.packet.message, 't') === 'status').map((d) => d.t);
  }
}

/** The two node names of the captured cluster. */
export const TWO_NODES = ['nodea', 'nodeb'];

/** nodea starts at 0, nodeb 26 ms later (as in the heartbeat capture); both run until `until` ms. */
export function twoNodeCluster(until: number, extra: Parameters<Sim['add']>[1] | object = {}): Sim {
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES, ...extra });
  sim.add('nodeb', { nodes: TWO_NODES, ...extra });
  sim.start('nodea');
  sim.runUntil(26);
  sim.start('nodeb');
  sim.runUntil(until);
  return sim;
}
