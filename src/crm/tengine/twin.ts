// In-memory twin of the controller loop (CIB → scheduler → graph → engine → executor → status → reschedule) with
// stateful in-memory agents and a fake clock, so whole failure scenarios run in one process in milliseconds.
import type { XEl } from '../xml-lite.js';
import { parseXml, getAttr } from '../xml-lite.js';
import { parseCib, primitivesOf, type Cib } from '../cib.js';
import { schedule, unsupportedFeatures, type Transition } from '../scheduler.js';
import { printXml, withAttrs } from '../cib-store/tree.js';
import { EXEC_STATUS, OCF_RC } from '../contract.js';
import { buildGraph, effectiveOnFail, type GraphAction } from './graph.js';
import { startTransition, stepEngine, nextDeadline, type EngineState, type EngineEvent, type Step } from './engine.js';
import { recordOp, countFailure, setNodeMembership, eraseNodeHistory, expectedRcOf } from './status.js';

/** A timed happening of the simulation. `life` ties executor events to one life of their node (a crash ends it). */
type Timed =
  | { at: number; seq: number; kind: 'complete'; node: string; life: number; transition: number; action: GraphAction; rc: number }
  | { at: number; seq: number; kind: 'monitor'; node: string; life: number; action: GraphAction; lastRc: number | null; transition: number };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface TwinOptions {
  /** The CIB to start from (configuration; status may be empty). */
  readonly cibXml: string;
  /** Nodes up at the start (default: every configured node). */
  readonly online?: readonly string[];
  /** Fake clock start, epoch ms. */
  readonly startMs?: number;
  /** How long every agent call takes (ms). */
  readonly execMs?: number;
}

/** One scheduler run the twin made: when, on which CIB, and what it decided (for differential checks). */
export interface ScheduleRecord { readonly now: number; readonly xml: string; readonly actions: number }

export class ControllerTwin {
  cib: XEl;
  now: number;
  readonly execMs: number;
  /** Agents' state: which resources really run on each node. */
  readonly running = new Map<string, Set<string>>();
  /** Which running resources are promoted on each node (Stateful agents). */
  readonly promoted = new Map<string, Set<string>>();
  readonly online = new Set<string>();
  /** Resources whose next start fails on a node (`node/rsc`). */
  readonly startFaults = new Set<string>();
  readonly log: string[] = [];
  readonly schedules: ScheduleRecord[] = [];
  readonly fenceRequests: string[] = [];
  transitions = 0;
  aborted = 0;
  private queue: Timed[] = [];
  private seq = 0;
  private engine: EngineState | undefined;
  private needSchedule = true;
  private lives = new Map<string, number>();
  private callIds = new Map<string, number>();
  private lastGraphEmpty = false;

  constructor(opts: TwinOptions) {
    const doc = parseXml(opts.cibXml);
    if (!doc.ok) throw new Error(`twin: CIB does not parse: ${doc.reason}`);
    this.cib = doc.root;
    this.now = opts.startMs ?? Date.parse('2026-01-01T00:00:00Z');
    this.execMs = opts.execMs ?? 10;
    const cib = this.parsed();
    for (const n of opts.online ?? cib.nodes.map((x) => x.uname)) this.nodeUp(n);
  }

  private parsed(xml = printXml(this.cib)): Cib {
    const c = parseCib(xml);
    if (!c.ok) throw new Error(`twin: CIB no longer parses: ${c.error.message}`);
    return c.value;
  }
  private nodeUp(n: string) {
    this.online.add(n);
    this.running.set(n, new Set());
    this.promoted.set(n, new Set());
    this.lives.set(n, (this.lives.get(n) ?? 0) + 1);
    this.cib = setNodeMembership(eraseNodeHistory(this.cib, n), n, true);
    this.updateQuorum();
  }
  /** Configured node ids by name (the twin's configuration does not change). */
  private nodeIds: Map<string, string> | undefined;
  private updateQuorum() {
    this.nodeIds ??= new Map(this.parsed().nodes.map((x) => [x.uname, x.id]));
    const total = this.nodeIds.size;
    const dc = [...this.online].sort()[0];
    const dcId = dc ? (this.nodeIds.get(dc) ?? dc) : undefined;
    this.cib = withAttrs(this.cib, { 'have-quorum': this.online.size * 2 > total ? '1' : '0', 'dc-uuid': dcId });
  }
  /** Inserts in (time, sequence) order: the queue stays sorted, so the next event is always the first. */
  private push(e: DistributiveOmit<Timed, 'seq'>) {
    const t = { ...e, seq: this.seq++ } as Timed;
    let lo = 0, hi = this.queue.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.queue[mid]!.at <= t.at) lo = mid + 1; else hi = mid; }
    this.queue.splice(lo, 0, t);
  }
  private feed(ev: EngineEvent) { if (this.engine) this.apply(stepEngine(this.engine, ev, this.now)); }
  private nowSec() { return Math.floor(this.now / 1000); }

  /** Carries out the engine's effects. */
  private apply(step: Step) {
    this.engine = step.state;
    for (const e of step.effects) {
      switch (e.kind) {
        case 'execute': this.execute(e.action); break;
        case 'count-failure':
          if (e.action.node) this.cib = countFailure(this.cib, e.action.node, e.action.rsc, e.action.task, e.action.intervalMs, this.nowSec(), e.fatal);
          break;
        case 'timed-out': this.record(e.action, e.action.node!, OCF_RC.ERR_GENERIC, EXEC_STATUS.TIMEOUT); break;
        case 'fence': this.fenceRequests.push(e.node); this.log.push(`fence request: ${e.node} (${e.reason})`); break;
        case 'finished':
          this.log.push(`transition ${step.state.graph.id} ${e.aborted ? `aborted: ${e.reason}` : 'complete'}`);
          if (e.aborted) this.aborted++;
          this.engine = undefined;
          this.needSchedule = true;
          break;
      }
    }
  }

  /** The in-memory agent: start sets running (unless a fault is injected), stop clears it, monitor reports it. */
  private agentCall(node: string, a: GraphAction): number {
    const set = this.running.get(node)!;
    if (a.task === 'start') {
      if (this.startFaults.delete(`${node}/${a.rsc}`)) return OCF_RC.ERR_GENERIC;
      set.add(a.rsc);
      return OCF_RC.OK;
    }
    const promoted = this.promoted.get(node)!;
    if (a.task === 'stop' || a.task === 'promote' || a.task === 'demote') {
      // Stop ends the recurring monitors; promote and demote end those of the old role (the graph starts the new ones).
      this.queue = this.queue.filter((q) => !(q.kind === 'monitor' && q.node === node && q.action.rsc === a.rsc));
      if (a.task === 'stop') { set.delete(a.rsc); promoted.delete(a.rsc); return OCF_RC.OK; }
      if (!set.has(a.rsc)) return OCF_RC.NOT_RUNNING;
      if (a.task === 'promote') promoted.add(a.rsc); else promoted.delete(a.rsc);
      return OCF_RC.OK;
    }
    return !set.has(a.rsc) ? OCF_RC.NOT_RUNNING : promoted.has(a.rsc) ? OCF_RC.RUNNING_PROMOTED : OCF_RC.OK;
  }

  private execute(a: GraphAction) {
    const node = a.node!;
    if (!this.online.has(node)) return;
    const life = this.lives.get(node)!;
    const transition = this.engine!.graph.id;
    if (a.task === 'monitor' && a.intervalMs > 0) {
      this.push({ at: this.now + a.startDelayMs + this.execMs, kind: 'monitor', node, life, action: a, lastRc: null, transition });
    } else {
      this.push({ at: this.now + this.execMs, kind: 'complete', node, life, transition, action: a, rc: -1 });
    }
  }

  private record(a: GraphAction, node: string, rc: number, execStatus: number) {
    const callId = (this.callIds.get(node) ?? 0) + 1;
    this.callIds.set(node, callId);
    this.cib = recordOp(this.cib, { node, rsc: a.rsc, cls: a.agent.cls, ...(a.agent.provider ? { provider: a.agent.provider } : {}), type: a.agent.type,
      task: a.task, intervalMs: a.intervalMs, callId, rc, execStatus, transitionKey: a.transitionKey, lastRcChange: this.nowSec(),
      execTimeMs: this.execMs, opDigest: a.opDigest });
  }

  private handle(t: Timed) {
    if (this.lives.get(t.node) !== t.life || !this.online.has(t.node)) return;
    const rc = this.agentCall(t.node, t.action);
    if (t.kind === 'complete') {
      this.record(t.action, t.node, rc, EXEC_STATUS.DONE);
      if (this.engine && this.engine.graph.id === t.transition) this.feed({ kind: 'result', actionId: t.action.id, rc, execStatus: EXEC_STATUS.DONE });
      return;
    }
    // A recurring monitor reports on its first run and whenever its result changes (as the executor does).
    if (rc !== t.lastRc) {
      this.record(t.action, t.node, rc, EXEC_STATUS.DONE);
      if (t.lastRc === null && this.engine && this.engine.graph.id === t.transition) {
        this.feed({ kind: 'result', actionId: t.action.id, rc, execStatus: EXEC_STATUS.DONE });
      } else if (rc !== expectedRcOf(t.action.transitionKey)) {
        if (t.action.onFail !== 'ignore') this.cib = countFailure(this.cib, t.node, t.action.rsc, 'monitor', t.action.intervalMs, this.nowSec(), false);
        this.log.push(`${t.action.rsc} monitor on ${t.node} failed (rc=${rc})`);
        this.feed({ kind: 'abort', reason: `${t.action.rsc} monitor failed on ${t.node}` });
        this.needSchedule = true;
      }
    }
    if (rc === expectedRcOf(t.action.transitionKey) || t.action.onFail === 'ignore') this.push({ ...t, at: this.now + t.action.intervalMs, lastRc: rc });
  }

  /** Runs the scheduler on the current CIB and starts the transition it plans (unless it plans nothing). */
  private reschedule() {
    this.needSchedule = false;
    const xml = printXml(this.cib);
    const cib = this.parsed(xml);
    const u = unsupportedFeatures(cib);
    if (u.length) throw new Error(`twin: the scheduler refuses this CIB: ${u.join('; ')}`);
    const t: Transition = schedule(cib, { now: this.nowSec(), scores: false });
    const dc = getAttr(this.cib, 'dc-uuid') ?? 'dc';
    const graph = buildGraph(cib, t, ++this.transitions, dc);
    this.schedules.push({ now: this.nowSec(), xml, actions: graph.actions.length });
    this.lastGraphEmpty = graph.actions.length === 0;
    if (this.lastGraphEmpty) { this.transitions--; return; }
    this.log.push(`transition ${graph.id}: ${graph.actions.filter((a) => !a.pseudo).map((a) => `${a.rsc}_${a.task}_${a.intervalMs}@${a.node}`).join(' ')}`);
    this.apply(startTransition(graph, this.now));
  }

  /** Whether the cluster is at rest: no transition running and the scheduler has nothing to do. */
  get stable(): boolean { return !this.engine && !this.needSchedule && this.lastGraphEmpty; }

  /** Processes events until `until` (ms) or, with `untilStable`, until the cluster is at rest. */
  private run(until: number, untilStable: boolean, maxSteps: number) {
    for (let i = 0; i < maxSteps; i++) {
      if (!this.engine && this.needSchedule) { this.reschedule(); continue; }
      if (untilStable && this.stable) return;
      const next = this.queue[0];
      const deadline = this.engine ? nextDeadline(this.engine) : undefined;
      const at = Math.min(next?.at ?? Infinity, deadline ?? Infinity);
      if (at === Infinity || at > until) { if (until !== Infinity) this.now = until; return; }
      this.now = Math.max(this.now, at);
      if (deadline !== undefined && deadline <= (next?.at ?? Infinity)) { this.feed({ kind: 'tick' }); continue; }
      this.queue.shift();
      this.handle(next!);
    }
    throw new Error(`twin: no rest after ${maxSteps} steps`);
  }

  /** Runs until the cluster is at rest (throws when it never gets there). */
  settle(maxSteps = 10_000): this { this.run(Infinity, true, maxSteps); return this; }

  /** Lets `ms` pass and stops there, even in the middle of a transition. */
  runFor(ms: number, maxSteps = 100_000): this { this.run(this.now + ms, false, maxSteps); return this; }

  /** Lets `ms` pass (monitors keep running, failures are acted on), then rechecks as cluster-recheck-interval does. */
  advance(ms: number, maxSteps = 100_000): this {
    this.run(this.now + ms, false, maxSteps);
    if (!this.engine) this.needSchedule = true;
    return this.settle(maxSteps);
  }

  /** Fault injection: the resource dies on `node` (its next monitor reports "not running"). */
  kill(node: string, rsc: string): void { this.running.get(node)?.delete(rsc); }

  /** The node crashes: its agents are gone, its pending operations lost; the DC learns it from membership. */
  loseNode(node: string): void {
    this.online.delete(node);
    this.running.set(node, new Set());
    this.promoted.set(node, new Set());
    this.lives.set(node, (this.lives.get(node) ?? 0) + 1);
    // Its executor died with it: the history no longer describes anything (rejoining starts from probes).
    this.cib = setNodeMembership(eraseNodeHistory(this.cib, node), node, false);
    this.updateQuorum();
    this.log.push(`node ${node} lost`);
    this.feed({ kind: 'node-lost', node });
    this.needSchedule = true;
  }

  /** The node (re)joins with an empty executor: its history is erased and probes find out what runs there. */
  joinNode(node: string): void {
    this.nodeUp(node);
    this.feed({ kind: 'abort', reason: `node ${node} joined` });
    this.needSchedule = true;
  }

  /** Where each resource really runs now (agents' truth, not the CIB's). */
  where(rsc: string): string[] {
    return [...this.running].filter(([n, s]) => this.online.has(n) && s.has(rsc)).map(([n]) => n).sort();
  }

  /** Where each resource really runs promoted now. */
  promotedOn(rsc: string): string[] {
    return [...this.promoted].filter(([n, s]) => this.online.has(n) && s.has(rsc)).map(([n]) => n).sort();
  }

  /** The on-fail in force for an operation (for tests and logs). */
  onFail(rsc: string, task: string, intervalMs: number): string {
    const cib = this.parsed();
    for (const r of cib.resources) for (const p of primitivesOf(r)) if (p.id === rsc) return effectiveOnFail(cib, p, task, intervalMs);
    return 'restart';
  }
}
