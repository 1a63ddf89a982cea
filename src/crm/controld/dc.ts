// The DC's duties (Pacemaker's controld on the DC): the join that brings every member's history into the status
// section, then scheduler → graph → engine on the live CIB after every relevant change, results written back.
import type { XEl } from '../xml-lite.js';
import { getAttr } from '../xml-lite.js';
import { parseCib, isTrue, primitivesOf } from '../cib.js';
import { schedule, unsupportedFeatures } from '../scheduler.js';
import { printXml } from '../cib-store/index.js';
import { EXEC_STATUS, OCF_RC } from '../contract.js';
import { buildGraph, type GraphAction } from '../tengine/graph.js';
import { startTransition, stepEngine, nextDeadline, type EngineEvent, type EngineState, type Step } from '../tengine/engine.js';
import { countFailure, expectedRcOf, recordOp, type OpRecord } from '../tengine/status.js';
import { nodeIdOf, setNodeDown, setNodeHistory, setNodeLost, writeMembership } from './lrm.js';
import { parseTransitionKey } from './types.js';
import { recheckAt } from './recheck.js';

/** After a failed fence, the next transition (which fences again) waits this long: the fencer already retried. */
export const FENCE_RETRY_MS = 2_000;

/** What the DC's duties need from the node's controller. */
export interface DcHost {
  readonly self: string;
  cib(): XEl;
  quorate(): boolean;
  /** A status write through the CIB (held while the CIB's own join runs). */
  edit(op: string, fn: (cib: XEl) => XEl): void;
  /** Runs a graph action on its node (locally or as a message to it). */
  dispatch(a: GraphAction): void;
  /** Asks the fencer to carry out a Fence action; the answer comes back through DcDuty.fenceResult. */
  fence(a: GraphAction): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', text: string): void;
}

/** Whether a record is a failure (a probe's running/stopped answer is information). */
export function isFailedRecord(r: OpRecord): boolean {
  const probeState = r.task === 'monitor' && r.intervalMs === 0 && r.execStatus === EXEC_STATUS.DONE && (r.rc === OCF_RC.OK || r.rc === OCF_RC.NOT_RUNNING || r.rc === OCF_RC.RUNNING_PROMOTED);
  return !probeState && (r.execStatus !== EXEC_STATUS.DONE || r.rc !== expectedRcOf(r.transitionKey));
}

export class DcDuty {
  engine: EngineState | undefined;
  /** Something happened that the scheduler has not seen yet. */
  needSchedule = true;
  /** The join is done: every member's history is in the status section. */
  ready = false;
  join: number;
  members: string[];
  transitions = 0;
  /** Scheduler runs, actions fired, and results that came outside the graph (for crm_status and tests). */
  readonly counters = { schedules: 0, fired: 0, unexpected: 0, aborted: 0 };
  private histories = new Map<string, { lrm: XEl; fresh: boolean }>();
  /** Results that came after a member's join history and before the join ended (applied after the history). */
  private late: OpRecord[] = [];
  private deadline: number;
  private recheckAt = Infinity;
  private refusal: string | undefined;
  private firedThisGraph = 0;
  private fenceRetryAt = -Infinity;
  /** Fence actions sent and their outcomes (crm_status and tests). */
  readonly fencing = { requested: 0, ok: 0, failed: 0 };

  constructor(private readonly host: DcHost, join: number, members: readonly string[], now: number, private readonly joinTimeoutMs: number) {
    this.join = join;
    this.members = [...members];
    this.deadline = now + joinTimeoutMs;
    host.log('info', `State transition S_ELECTION -> S_INTEGRATION | join-${join}: ${members.join(', ')}`);
  }

  /** A new join with the same DC (a node came): histories are collected again, the running transition stops. */
  rejoin(join: number, members: readonly string[], now: number): void {
    this.join = join;
    this.members = [...members];
    this.ready = false;
    this.histories.clear();
    this.late = [];
    this.deadline = now + this.joinTimeoutMs;
    this.abort(`join-${join}`, now);
    this.host.log('info', `State transition S_IDLE -> S_INTEGRATION | join-${join}: ${members.join(', ')}`);
  }

  /** A member's history for a join (the DC's own included). */
  history(from: string, lrm: XEl, fresh: boolean, join: number): void {
    if (join !== this.join) return;
    this.histories.set(from, { lrm, fresh });
  }

  /** The partition shrank: the lost nodes' actions fail and their status goes (no fencing: assumed stopped). */
  membersChanged(members: readonly string[], now: number): void {
    const lost = this.members.filter((m) => !members.includes(m));
    this.members = this.members.filter((m) => members.includes(m));
    const fencing = this.fencingEnabled();
    for (const n of lost) {
      this.host.log('info', `Node ${n} state is now lost`);
      this.histories.delete(n);
      if (this.engine) this.feed({ kind: 'node-lost', node: n }, now);
      // With fencing the lost node's history stays: the scheduler fences it before anything it ran starts elsewhere.
      this.host.edit(`node ${n} lost`, (cib) => (fencing ? setNodeDown(cib, n) : setNodeLost(cib, n)));
      this.needSchedule = true;
    }
  }

  /** The CIB changed other than by us (an operator, a forwarded request, a join): recompute. */
  cibChanged(configChanged: boolean, now: number): void {
    this.needSchedule = true;
    // A replaced configuration may lack the members' <node> entries (or the DC's attributes): put them back.
    if (configChanged) this.host.edit('node entries', (cib) => writeMembership(cib, this.host.self, this.members, this.host.quorate()));
    this.abort(configChanged ? 'Configuration change' : 'Status change', now);
  }

  quorum(quorate: boolean): void {
    if (!this.ready) return;
    this.host.edit('have-quorum', (cib) => writeMembership(cib, this.host.self, this.members, quorate));
    this.needSchedule = true;
  }

  /** A node's operation result: written to the status section, then given to the engine or acted on. */
  result(r: OpRecord, onFail: string, now: number): void {
    const failed = isFailedRecord(r);
    if (!this.ready && this.histories.has(r.node)) this.late.push(r);
    else if (this.ready) this.host.edit(`${r.rsc}_${r.task}_${r.intervalMs} on ${r.node}`, (cib) => recordOp(cib, r));
    const k = parseTransitionKey(r.transitionKey);
    const e = this.engine;
    const a = e && k && k.transition === e.graph.id && k.dc === this.dcUuid() ? e.graph.actions[k.action] : undefined;
    if (e && a && e.status[a.id] === 'running' && a.rsc === r.rsc && a.task === r.task && a.intervalMs === r.intervalMs && a.node === r.node) {
      this.feed({ kind: 'result', actionId: a.id, rc: r.rc, execStatus: r.execStatus }, now);
      return;
    }
    this.counters.unexpected++;
    if (failed) {
      if (onFail !== 'ignore') {
        this.host.log('info', `Updating failcount for ${r.rsc} on ${r.node} after failed ${r.task}: rc=${r.rc} (update=value++, time=${Math.floor(now / 1000)})`);
        this.host.edit(`fail-count-${r.rsc}`, (cib) => countFailure(cib, r.node, r.rsc, r.task, r.intervalMs, Math.floor(now / 1000), false));
      }
      this.abort(`${r.rsc}_${r.task}_${r.intervalMs} on ${r.node}: Event failed (rc=${r.rc})`, now);
    } else this.abort(`${r.rsc}_${r.task}_${r.intervalMs} on ${r.node}: Foreign event`, now);
    this.needSchedule = true;
  }

  /** stonith-enabled (default true) and a fence device configured: lost nodes are fenced, not assumed stopped. */
  private fencingEnabled(): boolean {
    const parsed = parseCib(printXml(this.host.cib()));
    if (!parsed.ok) return false;
    const c = parsed.value;
    return isTrue(c.options.get('stonith-enabled') ?? 'true') && c.resources.some((r) => primitivesOf(r).some((p) => p.cls === 'stonith'));
  }

  /** The fencer's answer to a Fence action: on success the node's status is what Pacemaker's DC writes after
   *  fencing (down, expected down, no history), and the transition goes on; a failure stops it, and the next
   *  one (FENCE_RETRY_MS later) fences again: nothing of the node's starts elsewhere meanwhile. */
  fenceResult(target: string, transitionKey: string, ok: boolean, detail: string, now: number): void {
    const k = parseTransitionKey(transitionKey);
    const e = this.engine;
    const a = e && k && k.transition === e.graph.id ? e.graph.actions[k.action] : undefined;
    if (ok) {
      this.fencing.ok++;
      this.host.log('info', `Peer ${target} was terminated (${a?.fence?.action ?? 'reboot'}) by ${this.host.self} on behalf of pacemaker-controld: OK`);
      this.host.edit(`fenced ${target}`, (cib) => setNodeLost(cib, target));
    } else {
      this.fencing.failed++;
      this.fenceRetryAt = now + FENCE_RETRY_MS;
      this.host.log('error', `Fencing of ${target} failed (${detail}): its resources stay where they were until it is fenced`);
    }
    if (e && a?.fence?.target === target && e.status[a.id] === 'running') {
      this.feed({ kind: 'result', actionId: a.id, rc: ok ? OCF_RC.OK : OCF_RC.ERR_GENERIC, execStatus: ok ? EXEC_STATUS.DONE : EXEC_STATUS.ERROR }, now);
    }
    this.needSchedule = true;
  }

  tick(now: number): void {
    if (this.engine) {
      const d = nextDeadline(this.engine);
      if (d !== undefined && d <= now) this.feed({ kind: 'tick' }, now);
    }
    if (now >= this.recheckAt && !this.engine) {
      this.host.log('info', 'State transition S_IDLE -> S_POLICY_ENGINE | cause=C_TIMER_POPPED (recheck)');
      this.recheckAt = Infinity;
      this.needSchedule = true;
    }
  }

  /** Moves on: ends the join when every member's history is in (or at the timeout), then schedules when due. */
  pump(now: number): void {
    if (!this.ready) {
      const missing = this.members.filter((m) => !this.histories.has(m));
      if (missing.length && now < this.deadline) return;
      if (missing.length) this.host.log('warn', `join-${this.join}: no history from ${missing.join(', ')} in time`);
      this.finishJoin();
    }
    if (now < this.fenceRetryAt) return;
    for (let i = 0; i < 3 && this.needSchedule && !this.engine; i++) this.run(now);
  }

  private finishJoin(): void {
    const hs = [...this.histories], late = this.late, members = this.members, self = this.host.self, quorate = this.host.quorate();
    const fencing = this.fencingEnabled();
    this.host.edit(`join-${this.join}`, (cib0) => {
      let cib = cib0;
      for (const [n, h] of hs) cib = setNodeHistory(cib, n, h.lrm, h.fresh);
      cib = writeMembership(cib, self, members, quorate);
      const status = cib.kids.find((k) => k.tagName === 'status');
      for (const ns of status?.kids ?? []) {
        const u = getAttr(ns, 'uname');
        if (ns.tagName === 'node_state' && u && !members.includes(u) && getAttr(ns, 'in_ccm') !== 'false') cib = fencing ? setNodeDown(cib, u) : setNodeLost(cib, u);
      }
      for (const r of late) cib = recordOp(cib, r);
      return cib;
    });
    this.late = [];
    this.ready = true;
    this.needSchedule = true;
    this.host.log('info', `State transition S_FINALIZE_JOIN -> S_POLICY_ENGINE | join-${this.join} complete, ${members.length} member(s)`);
  }

  private dcUuid(): string { return nodeIdOf(this.host.cib(), this.host.self); }

  /** Runs the scheduler on the live CIB and starts its transition (nothing to do: the cluster is idle). */
  private run(now: number): void {
    this.needSchedule = false;
    const cibXml = this.host.cib();
    const parsed = parseCib(printXml(cibXml));
    if (!parsed.ok) { this.refuse(`the CIB does not parse: ${parsed.error.message}`); return; }
    const cib = parsed.value;
    const u = unsupportedFeatures(cib);
    if (u.length) { this.refuse(`the scheduler refuses this CIB: ${u.join('; ')}`); return; }
    this.refusal = undefined;
    const t = schedule(cib, { now: Math.floor(now / 1000), scores: false });
    const graph = buildGraph(cib, t, ++this.transitions, this.dcUuid());
    this.counters.schedules++;
    this.recheckAt = recheckAt(cib, now);
    if (this.recheckAt < now + 60_000) this.host.log('debug', `Recheck in ${this.recheckAt - now} ms (failure-timeout expiry or cluster-recheck-interval)`);
    if (graph.actions.length === 0) {
      this.host.log('debug', `Transition ${graph.id} (Complete=0, Pending=0, Fired=0, Skipped=0, Incomplete=0): Complete`);
      this.host.log('debug', 'State transition S_TRANSITION_ENGINE -> S_IDLE');
      return;
    }
    this.host.log('info', `State transition S_POLICY_ENGINE -> S_TRANSITION_ENGINE | transition ${graph.id}: ${graph.actions.filter((a) => !a.pseudo).length} action(s)`);
    this.firedThisGraph = 0;
    this.onStep(startTransition(graph, now), now);
  }

  private refuse(why: string): void {
    if (this.refusal !== why) this.host.log('error', `Cannot run the scheduler: ${why}`);
    this.refusal = why;
  }

  private abort(reason: string, now: number): void {
    if (!this.ready) return;
    // Pacemaker's abort_transition_graph names the last transition, running or not.
    if (!this.engine) { this.host.log('info', `Transition ${this.transitions} aborted: ${reason}`); return; }
    if (this.engine.abortReason !== undefined) return;
    this.host.log('info', `Transition ${this.engine.graph.id} aborted: ${reason}`);
    this.counters.aborted++;
    this.feed({ kind: 'abort', reason }, now);
  }

  private feed(ev: EngineEvent, now: number): void {
    if (this.engine) this.onStep(stepEngine(this.engine, ev, now), now);
  }

  private onStep(step: Step, now: number): void {
    this.engine = step.state;
    const sec = Math.floor(now / 1000);
    for (const e of step.effects) {
      switch (e.kind) {
        case 'execute':
          this.counters.fired++;
          this.firedThisGraph++;
          if (e.action.fence) {
            this.fencing.requested++;
            this.host.log('info', `Requesting fencing (${e.action.fence.action}) of node ${e.action.fence.target} | action=${e.action.id} timeout=${e.action.timeoutMs}`);
            this.host.fence(e.action);
          } else this.host.dispatch(e.action);
          break;
        case 'count-failure': {
          const a = e.action;
          if (!a.node) break;
          this.host.log('info', `Updating failcount for ${a.rsc} on ${a.node} after failed ${a.task}: (update=${e.fatal ? 'INFINITY' : 'value++'}, time=${sec})`);
          this.host.edit(`fail-count-${a.rsc}`, (cib) => countFailure(cib, a.node!, a.rsc, a.task, a.intervalMs, sec, e.fatal));
          break;
        }
        case 'timed-out': {
          const a = e.action;
          this.host.log('error', `Action ${a.id} (${a.rsc}_${a.task}_${a.intervalMs}) on ${a.node} timed out`);
          this.host.edit(`${a.rsc} timed out`, (cib) => recordOp(cib, { node: a.node!, rsc: a.rsc, cls: a.agent.cls, ...(a.agent.provider ? { provider: a.agent.provider } : {}),
            type: a.agent.type, task: a.task, intervalMs: a.intervalMs, callId: -1, rc: OCF_RC.ERR_GENERIC, execStatus: EXEC_STATUS.TIMEOUT,
            transitionKey: a.transitionKey, lastRcChange: sec, execTimeMs: a.timeoutMs, opDigest: a.opDigest }));
          break;
        }
        case 'fence': this.host.log('warn', `Node ${e.node} should be fenced (${e.reason}); the controller does not fence`); break;
        case 'finished': {
          const st = step.state.status;
          const n = (x: string) => st.filter((s) => s === x).length;
          const how = e.aborted ? 'Stopped' : 'Complete';
          this.host.log('info', `Transition ${step.state.graph.id} (Complete=${n('confirmed')}, Pending=${n('pending')}, Fired=${n('running')}, Skipped=${e.aborted ? n('pending') : 0}, Incomplete=${n('failed')}): ${how}`);
          this.engine = undefined;
          // A graph of pseudo-actions alone changes nothing: running the scheduler again would give it again.
          if (e.aborted || this.firedThisGraph > 0) this.needSchedule = true;
          this.host.log('info', `State transition S_TRANSITION_ENGINE -> ${this.needSchedule ? 'S_POLICY_ENGINE' : 'S_IDLE'}`);
          break;
        }
      }
    }
  }
}
