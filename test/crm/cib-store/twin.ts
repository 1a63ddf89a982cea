// An in-memory twin of the CIB store across nodes: replicas, a message network with per-link FIFO order and
// partitions, a fake clock, and clients' answers. Messages pass through JSON as they would on the wire.
import {
  stepReplica, initialReplica, emptyCib, digestOf, DEFAULT_REPLICA_CONFIG,
  type ReplicaState, type ReplicaEvent, type CibAnswer, type CibMessage, type CibValidator, type CibChange,
} from '../../../src/crm/cib-store/index.js';
import type { XEl } from '../../../src/crm/xml-lite.js';
import type { Millis } from '../../../src/types.js';

export interface InFlight { readonly from: string; readonly to: string; readonly msg: CibMessage }

export class Twin {
  readonly nodes = new Map<string, ReplicaState>();
  readonly answers = new Map<string, CibAnswer>();
  readonly persisted = new Map<string, number>();
  readonly logs: string[] = [];
  inflight: InFlight[] = [];
  now = 0;
  private joinId = 0;
  /** Which partition each node is in; nodes in different partitions cannot reach each other. */
  readonly side = new Map<string, number>();

  constructor(names: readonly string[], cib: (name: string) => XEl = () => emptyCib(), private readonly validate?: CibValidator) {
    for (const n of names) { this.nodes.set(n, initialReplica(n, cib(n))); this.side.set(n, 0); }
  }

  state(n: string): ReplicaState { return this.nodes.get(n)!; }
  digests(ns: readonly string[] = [...this.nodes.keys()]): Set<string> { return new Set(ns.map((n) => digestOf(this.state(n).cib))); }

  dispatch(node: string, ev: ReplicaEvent): void {
    const s = this.state(node);
    const { state, effects } = stepReplica(s, ev, this.now as Millis, DEFAULT_REPLICA_CONFIG, this.validate);
    this.nodes.set(node, state);
    for (const e of effects) {
      switch (e.kind) {
        case 'send': this.inflight.push({ from: node, to: e.to, msg: wire(e.msg) }); break;
        case 'broadcast':
          for (const n of this.nodes.keys()) if (n !== node && this.side.get(n) === this.side.get(node)) this.inflight.push({ from: node, to: n, msg: wire(e.msg) });
          break;
        case 'reply': this.answers.set(e.client, e.answer); break;
        case 'persist': this.persisted.set(node, (this.persisted.get(node) ?? 0) + 1); break;
        case 'log': this.logs.push(`${node}: ${e.text}`); break;
        case 'changed': break;
      }
    }
  }

  client(node: string, client: string, change: CibChange): void { this.dispatch(node, { type: 'client', client, change }); }

  /** Elects `dc` for the nodes of its partition (what the election module reports). */
  elect(dc: string): void {
    const members = [...this.nodes.keys()].filter((n) => this.side.get(n) === this.side.get(dc));
    const join = ++this.joinId;
    for (const m of members) this.dispatch(m, { type: 'dc', dc, members, join });
  }

  /** Splits the cluster: each node's partition number; messages in flight across the cut are lost. */
  partition(sides: Record<string, number>): void {
    for (const [n, s] of Object.entries(sides)) this.side.set(n, s);
    this.inflight = this.inflight.filter((m) => this.side.get(m.from) === this.side.get(m.to));
  }

  /** Delivers one message: the oldest of the link `pick` chooses (per-link FIFO, any order between links). */
  deliverOne(pick = 0): boolean {
    if (!this.inflight.length) return false;
    const links = [...new Set(this.inflight.map((m) => `${m.from}>${m.to}`))];
    const link = links[pick % links.length]!;
    const i = this.inflight.findIndex((m) => `${m.from}>${m.to}` === link);
    const [m] = this.inflight.splice(i, 1);
    if (this.side.get(m!.from) === this.side.get(m!.to)) this.dispatch(m!.to, { type: 'message', from: m!.from, msg: m!.msg });
    return true;
  }

  /** Delivers until quiet (FIFO overall), at most `limit` messages. */
  settle(limit = 10_000): void { while (limit-- > 0 && this.deliverOne(0)); }

  tick(ms: number): void { this.now += ms; for (const n of this.nodes.keys()) this.dispatch(n, { type: 'tick' }); }
}

const wire = (m: CibMessage): CibMessage => JSON.parse(JSON.stringify(m)) as CibMessage;
