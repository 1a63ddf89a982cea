// A two-node in-memory cluster for the ownership machine: messages go between the nodes, agent effects act on
// a per-node set of running resources (with injectable failures), and a fake clock fires the machines' deadlines.

import { millis, nodeName, type Millis, type NodeName } from '../../src/types.js';
import type { ResourceGroup } from '../../src/config/haresources-model.js';
import {
  initialResourceState, nextDeadline, step,
  type AutoFailback, type ResourceEffect, type ResourceEvent, type ResourceState,
} from '../../src/resources/machine.js';
import type { ResourceMessage } from '../../src/resources/messages.js';
import { resourceSpecFromWord } from '../../src/resources/agents/lookup.js';

export const A = nodeName('nodea');
export const B = nodeName('nodeb');

/** Builds a group from haresources words, the way the config parser would. */
export function group(node: string, ...words: string[]): ResourceGroup {
  return {
    preferredNode: nodeName(node), line: 1,
    resources: words.map(resourceSpecFromWord),
  };
}

export interface SimNode {
  name: NodeName;
  state: ResourceState;
  up: boolean;
  running: Set<string>;
  log: string[];
  sent: ResourceMessage[];
  /** Every agent call, as `action resource`. */
  calls: string[];
  failStart: Set<string>;
  /** agent effects waiting for completion (delivered by settle unless held). */
  pending: Array<Extract<ResourceEffect, { type: 'agent' }>>;
  shutdownComplete: boolean;
  /** While true, agent calls stay pending (a slow script). */
  paused: boolean;
}

export class Sim {
  now: Millis = millis(0);
  linked = true;
  /** While true the link is slow: messages wait in order (nothing is lost) until it is false again. */
  delayed = false;
  readonly nodes: Record<string, SimNode>;
  /** Messages in flight: [from, msg]. */
  wire: Array<[NodeName, ResourceMessage]> = [];
  /** Effects are logged as `node: text` in order, for scenario assertions. */
  readonly trace: string[] = [];

  constructor(groups: ResourceGroup[], mode: AutoFailback, opts: { stonith?: boolean } = {}) {
    const mk = (me: NodeName, peer: NodeName): SimNode => ({
      name: me, up: false, running: new Set(), log: [], sent: [], calls: [], failStart: new Set(), pending: [],
      shutdownComplete: false, paused: false,
      state: initialResourceState({ me, peer, groups, autoFailback: mode, stonith: opts.stonith ?? false, pid: 1 }),
    });
    this.nodes = { nodea: mk(A, B), nodeb: mk(B, A) };
  }

  node(n: NodeName): SimNode { return this.nodes[n]!; }
  other(n: NodeName): SimNode { return this.node(n === A ? B : A); }

  /** Feeds one event to a node and carries out its effects (messages queued, agent calls queued). */
  feed(n: NodeName, ev: ResourceEvent): void {
    const node = this.node(n);
    if (!node.up && ev.type !== 'comm-up') return;
    const r = step(node.state, ev, this.now);
    node.state = r.state;
    for (const fx of r.effects) this.apply(node, fx);
  }

  private apply(node: SimNode, fx: ResourceEffect): void {
    switch (fx.type) {
      case 'log': node.log.push(fx.text); this.trace.push(`${node.name}: ${fx.text}`); break;
      case 'send': node.sent.push(fx.msg); this.wire.push([node.name, fx.msg]); break;
      case 'agent': node.calls.push(`${fx.action} ${fx.resource.text}`); node.pending.push(fx); break;
      case 'shutdown-complete': node.shutdownComplete = true; break;
      case 'stonith': this.trace.push(`${node.name}: STONITH ${fx.node}`); break;
      case 'reboot-required': this.trace.push(`${node.name}: REBOOT ${fx.resource}`); break;
    }
  }

  private runAgent(node: SimNode, fx: Extract<ResourceEffect, { type: 'agent' }>): boolean {
    const t = fx.resource.text;
    if (fx.action === 'status') return node.running.has(t);
    if (fx.action === 'start') {
      if (node.failStart.has(t)) return false;
      node.running.add(t);
      return true;
    }
    node.running.delete(t);
    return true;
  }

  /** Delivers messages and agent results until nothing is left at the current instant. */
  flush(): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const m = this.delayed ? undefined : this.wire.shift();
      if (m) {
        const [from, msg] = m;
        const to = this.other(from);
        if (this.linked && to.up && this.node(from).up) this.feed(to.name, { type: 'message', from, msg });
        continue;
      }
      const n = [A, B].map((x) => this.node(x)).find((x) => x.pending.length > 0 && x.up && !x.paused);
      if (!n) return;
      const fx = n.pending.shift()!;
      this.feed(n.name, { type: 'agent-done', opId: fx.opId, ok: this.runAgent(n, fx) });
    }
    throw new Error('simulation did not settle');
  }

  /** Advances the clock to `until`, firing each node's deadlines in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    this.flush();
    for (;;) {
      const due = [A, B].map((x) => this.node(x)).filter((x) => x.up)
        .map((x) => ({ x, at: nextDeadline(x.state) })).filter((d) => d.at !== undefined && d.at <= until)
        .sort((p, q) => p.at! - q.at!)[0];
      if (!due) break;
      this.now = millis(Math.max(this.now, due.at! + 1));
      this.feed(due.x.name, { type: 'tick' });
      this.flush();
    }
    this.now = millis(until);
  }

  start(n: NodeName, peerDead = false): void {
    const node = this.node(n);
    node.up = true;
    this.feed(n, { type: 'comm-up', peerDead });
  }

  /** Crash: the node stops at once, its resources die with it. */
  crash(n: NodeName): void {
    const node = this.node(n);
    node.up = false;
    node.running.clear();
    node.pending = [];
    // Its packets in flight and those on their way to it are lost with the process (two nodes: all of them).
    this.wire = [];
  }

  /** Restarts a crashed node with a fresh machine; the survivor sees a new generation. */
  restart(n: NodeName, groups: ResourceGroup[], mode: AutoFailback): void {
    const node = this.node(n);
    node.state = initialResourceState({ ...node.state.cfg, groups, autoFailback: mode });
    node.shutdownComplete = false;
    const other = this.other(n);
    if (other.up) this.feed(other.name, { type: 'peer-restarted' });
    this.start(n, !other.up);
  }

  /** Who runs resource `text` now. */
  owners(text: string): string[] {
    return [A, B].filter((x) => this.node(x).running.has(text));
  }
}
