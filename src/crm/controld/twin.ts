// In-memory twin of the whole CRM: per node a controller (cluster layer + DC duties), an executor with scripted
// agents on its own host state, a lossy broadcast bus and membership views that follow deadtime, on one fake clock.
import type { HaMessage } from '../../wire/message.js';
import type { DriverClock } from '../executor/driver.js';
import { Executor, TwinHostState, TwinLauncher, dummyAgent, ipAddrAgent, type ScriptedAgent } from '../executor/index.js';
import { emptyCib, type CibAnswer, type CibChange } from '../cib-store/index.js';
import type { XEl } from '../xml-lite.js';
import { Crmd } from './controller.js';
import type { CrmdEffect } from './types.js';

/** A clock with a binary heap of timers: thousands of messages in flight cost log n each. */
export class HeapClock implements DriverClock {
  t: number;
  private seq = 0;
  private heap: Array<{ at: number; seq: number; fn: () => void; dead?: boolean }> = [];
  private byId = new Map<number, { dead?: boolean }>();
  constructor(start = Date.UTC(2026, 0, 1)) { this.t = start; }
  now(): number { return this.t; }
  setTimer(fn: () => void, ms: number): unknown {
    const e: { at: number; seq: number; fn: () => void; dead?: boolean } = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    this.byId.set(e.seq, e);
    const h = this.heap;
    let i = h.push(e) - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (!less(e, h[p]!)) break; h[i] = h[p]!; i = p; }
    h[i] = e;
    return e.seq;
  }
  clearTimer(id: unknown): void { const e = this.byId.get(id as number); if (e) e.dead = true; this.byId.delete(id as number); }
  /** The time of the next live timer. */
  peek(): number | undefined { while (this.heap[0]?.dead) this.pop(); return this.heap[0]?.at; }
  /** Runs the next timer if it is due by `until`; false when none is. */
  runNext(until: number): boolean {
    const at = this.peek();
    if (at === undefined || at > until) return false;
    const e = this.pop();
    this.byId.delete(e.seq);
    this.t = Math.max(this.t, e.at);
    e.fn();
    return true;
  }
  private pop() {
    const h = this.heap, top = h[0]!, last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        const v = (k: number) => (k === i ? last : h[k]!);
        if (l < h.length && less(h[l]!, v(m))) m = l;
        if (r < h.length && less(h[r]!, v(m))) m = r;
        if (m === i) break;
        h[i] = h[m]!; i = m;
      }
      h[i] = last;
    }
    return top;
  }
}
const less = (a: { at: number; seq: number }, b: { at: number; seq: number }) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

interface TwinNode {
  crmd?: Crmd;
  exec?: Executor;
  host: TwinHostState;
  running: boolean;
  side: number;
  inc: number;
  logs: string[];
}

export interface CrmdTwinOptions {
  readonly deadtimeMs?: number;
  readonly tickMs?: number;
  readonly latencyMs?: number;
  /** Agent run time (ms), default 10. */
  readonly execMs?: number;
  /** The CIB a node starts with (default: empty). */
  readonly cib?: (name: string) => XEl | undefined;
  /** Keep every log line (default: warnings and the controller's notable lines only). */
  readonly verbose?: boolean;
  /** The fake fence device: how a Fence action ends (default: fails, "No fence device"). A success powers the
   *  target off (as a BMC's power off: the machine stops at once). */
  readonly fence?: (target: string, action: string) => { ok: boolean; ms: number };
}

/** One Fence action the twin's fake device received. */
export interface TwinFence { readonly by: string; readonly target: string; readonly action: string; readonly at: number; ok?: boolean; doneAt?: number }

export interface TwinPacket { readonly from: string; readonly to: string; readonly message: HaMessage }

const OCF = '/usr/lib/ocf/resource.d';

export class CrmdTwin {
  readonly clock = new HeapClock();
  readonly nodes = new Map<string, TwinNode>();
  readonly answers = new Map<string, CibAnswer>();
  /** Return true to lose a packet. */
  lose: (p: TwinPacket) => boolean = () => false;
  packets = 0;
  readonly fences: TwinFence[] = [];
  readonly deadtime: number;
  readonly tick: number;
  readonly latency: number;

  constructor(readonly names: readonly string[], private readonly o: CrmdTwinOptions = {}) {
    this.deadtime = o.deadtimeMs ?? 500;
    this.tick = o.tickMs ?? 100;
    this.latency = o.latencyMs ?? 1;
    for (const n of names) this.nodes.set(n, { host: new TwinHostState(), running: false, side: 0, inc: 0, logs: [] });
  }

  get now(): number { return this.clock.now(); }
  node(n: string): TwinNode { return this.nodes.get(n)!; }
  crmd(n: string): Crmd { return this.node(n).crmd!; }
  running(): string[] { return [...this.nodes.keys()].filter((n) => this.node(n).running); }

  /** Starts (or restarts, with an empty host: a crashed machine's agents are gone) a node. */
  start(name: string): void {
    const n = this.node(name);
    n.inc++;
    n.running = true;
    const inc = n.inc;
    const agent = (a: ScriptedAgent): ScriptedAgent => (call) => ({ ...a(call), durationMs: this.o.execMs ?? 10 });
    const launcher = new TwinLauncher(this.clock, n.host)
      .install(`${OCF}/pacemaker/Dummy`, agent(dummyAgent())).install(`${OCF}/heartbeat/Dummy`, agent(dummyAgent()))
      .install(`${OCF}/heartbeat/IPaddr2`, agent(ipAddrAgent()))
      // A fence device's start and monitor (the fencer's registration check) answer "on"; fencing itself is o.fence.
      .install('/usr/sbin/fence_dummy', agent(() => ({ code: 0 })));
    n.exec = new Executor({ launcher, clock: this.clock, config: { nodeName: name }, log: (level, text) => { if (this.o.verbose || level === 'error') n.logs.push(`${this.now} ${level}: ${text}`); } });
    n.crmd = new Crmd({ self: name, configured: this.names, inc, born: 1_800_000_000_000 + inc }, this.o.cib?.(name) ?? emptyCib(), this.now);
    this.carry(name, inc, n.crmd.takeEffects());
    const ticker = () => { if (n.running && n.inc === inc) { this.dispatch(name, inc, { type: 'tick' }); this.clock.setTimer(ticker, this.tick); } };
    this.clock.setTimer(ticker, this.tick);
    this.refreshViews(this.latency);
  }

  startAll(): void { for (const n of this.names) this.start(n); }

  /** kill -9 of the machine: silent at once (its resources die with it), seen dead by the others after deadtime. */
  kill(name: string): void {
    const n = this.node(name);
    n.running = false;
    n.exec?.close();
    n.host = new TwinHostState();
    this.refreshViews(this.deadtime);
  }

  partition(...groups: string[][]): void {
    groups.forEach((g, i) => { for (const n of g) this.node(n).side = i; });
    this.refreshViews(this.deadtime);
  }

  heal(): void { for (const n of this.nodes.values()) n.side = 0; this.refreshViews(this.tick); }

  private refreshViews(after: number): void {
    this.clock.setTimer(() => {
      for (const [name, n] of this.nodes) {
        if (!n.running) continue;
        this.dispatch(name, n.inc, { type: 'members', members: this.running().filter((m) => this.node(m).side === n.side) });
      }
    }, after);
  }

  client(node: string, client: string, change: CibChange): void { this.dispatch(node, this.node(node).inc, { type: 'client', client, change }); }

  /** Makes `from` send `payload` to `to` as a controller message (garbage tests). */
  sendRaw(from: string, to: string, payload: unknown): void { this.carry(from, this.node(from).inc, this.crmd(from).sendRaw(to, payload, this.now)); }

  /** Injects a raw message as if `from` had sent it to `to`. */
  inject(to: string, from: string, message: HaMessage): void { this.dispatch(to, this.node(to).inc, { type: 'message', from, message }); }

  private dispatch(name: string, inc: number, ev: Parameters<Crmd['step']>[0]): void {
    const n = this.node(name);
    if (!n.running || n.inc !== inc || !n.crmd) return;
    this.carry(name, inc, n.crmd.step(ev, this.now));
  }

  private carry(name: string, inc: number, effects: readonly CrmdEffect[]): void {
    const n = this.node(name);
    for (const e of effects) {
      switch (e.kind) {
        case 'transmit':
          for (const [to, peer] of this.nodes) {
            if (to === name || !peer.running || peer.side !== n.side) continue;
            this.packets++;
            if (this.lose({ from: name, to, message: e.message })) continue;
            const toInc = peer.inc;
            this.clock.setTimer(() => { if (this.node(to).side === this.node(name).side) this.dispatch(to, toInc, { type: 'message', from: name, message: e.message }); }, this.latency);
          }
          break;
        case 'exec':
          // Results come back through the clock, not from inside the executor's own call.
          n.exec!.submit(e.req, (result) => this.clock.setTimer(() => this.dispatch(name, inc, { type: 'exec-result', result }), 0));
          break;
        case 'cancel': n.exec!.cancel(e.rscId, e.action, e.intervalMs); break;
        case 'fence': {
          const f: TwinFence = { by: name, target: e.target, action: e.action, at: this.now };
          this.fences.push(f);
          const r = this.o.fence?.(e.target, e.action) ?? { ok: false, ms: 10 };
          this.clock.setTimer(() => {
            f.ok = r.ok; f.doneAt = this.now;
            if (r.ok && this.node(e.target).running) this.kill(e.target);
            this.dispatch(name, inc, { type: 'fence-result', target: e.target, transitionKey: e.transitionKey, ok: r.ok, detail: r.ok ? 'OK' : 'No fence device' });
          }, r.ms);
          break;
        }
        case 'reply': this.answers.set(e.client, e.answer); break;
        case 'log': if (this.o.verbose || e.level !== 'debug') n.logs.push(`${this.now} ${e.level}: ${e.text}`); break;
        case 'persist': break;
      }
    }
  }

  /** Runs the clock `ms` further. */
  run(ms: number): void {
    const until = this.now + ms;
    while (this.clock.runNext(until));
    this.clock.t = Math.max(this.clock.t, until);
  }

  /** Runs until `pred` holds (checked after each event), at most `limit` ms; the time it took, or undefined. */
  runUntil(pred: () => boolean, limit = 60_000): number | undefined {
    const t0 = this.now;
    for (;;) {
      if (pred()) return this.now - t0;
      if (!this.clock.runNext(t0 + limit)) return undefined;
    }
  }

  /** Every running node's controller is idle on the DC's side and agrees on one DC. */
  settled(): boolean {
    const run = this.running();
    const dcs = new Set(run.map((n) => this.crmd(n).node.replica.dc));
    if (dcs.size !== 1) return false;
    const dc = [...dcs][0];
    const duty = dc && run.includes(dc) ? this.crmd(dc).dc : undefined;
    return !!duty && duty.ready && !duty.engine && !duty.needSchedule;
  }

  /** Runs until settled (throws when it never gets there). */
  settle(limit = 60_000): number {
    const t = this.runUntil(() => this.settled(), limit);
    if (t === undefined) throw new Error(`twin: not settled after ${limit} ms\n${this.tail()}`);
    return t;
  }

  /** The nodes whose agents run `rsc` (by each host's journal: the last start or stop). */
  where(rsc: string): string[] {
    return this.running().filter((n) => {
      const j = this.node(n).host.journal.filter((l) => l === `${rsc} start` || l === `${rsc} stop`);
      return j.at(-1) === `${rsc} start`;
    }).sort();
  }

  /** How many times `rsc` was started, on all nodes and lives (hosts replaced on kill count from then on). */
  starts(rsc: string): number {
    let k = 0;
    for (const n of this.nodes.values()) k += n.host.journal.filter((l) => l === `${rsc} start`).length;
    return k;
  }

  dc(): string | undefined { const r = this.running(); return r.length ? this.crmd(r[0]!).node.replica.dc : undefined; }

  /** The last log lines of every node (for failure messages). */
  tail(lines = 15): string {
    return [...this.nodes].map(([name, n]) => `--- ${name}\n${n.logs.slice(-lines).join('\n')}`).join('\n');
  }
}
