// One node's controller (Pacemaker's crmd): the CRM cluster node (messaging, election, CIB replica) plus the
// node's side of operations (runs what the DC asks, keeps its history, reports results) and, on the DC, DcDuty.
import type { XEl } from '../xml-lite.js';
import type { Millis } from '../../types.js';
import { initialCrmNode, stepCrmNode, crmStatus, type CrmNodeConfig, type CrmNodeEffect, type CrmNodeEvent, type CrmNodeState, type CrmStatus } from '../cluster/index.js';
import { opKey, type OpRequest, type OpResult } from '../executor/index.js';
import { EXEC_STATUS } from '../contract.js';
import type { GraphAction } from '../tengine/graph.js';
import type { OpRecord } from '../tengine/status.js';
import { DcDuty, type DcHost } from './dc.js';
import { LocalLrm } from './lrm.js';
import { isCrmdMessage, type CrmdEffect, type CrmdEvent, type CrmdMessage, type OpInfo } from './types.js';

export interface CrmdConfig extends CrmNodeConfig {
  /** How long the DC waits for the members' histories (Pacemaker's join-finalization-timeout, shortened). */
  readonly historyTimeoutMs?: number;
}

/** What `crm_status` and `lifeline status` show of the CRM. */
export interface CrmdStatus extends CrmStatus {
  readonly transitions: number;
  readonly idle: boolean;
  readonly controllerDropped: number;
}

export class Crmd implements DcHost {
  node: CrmNodeState;
  readonly self: string;
  readonly lrm: LocalLrm;
  dc: DcDuty | undefined;
  /** Controller messages dropped: malformed, or from a node that may not send them. */
  dropped = 0;
  private fresh = true;
  private sentJoin = -1;
  private readonly info = new Map<string, OpInfo>();
  /** Recurring operations live in the local executor, per resource. */
  private readonly recurring = new Map<string, Set<number>>();
  private pendingEdits: Array<{ op: string; fn: (cib: XEl) => XEl }> = [];
  private out: CrmdEffect[] = [];
  private ownEdit = false;
  private now = 0;
  private transitions = 0;

  constructor(readonly cfg: CrmdConfig, cib: XEl, now: number) {
    this.self = cfg.self.toLowerCase();
    this.lrm = new LocalLrm(this.self);
    this.now = now;
    const r = initialCrmNode(cfg, cib, now as Millis);
    this.node = r.state;
    this.onNodeEffects(r.effects);
  }

  /** The effects of construction (the first vote). */
  takeEffects(): CrmdEffect[] { const o = this.out; this.out = []; return o; }

  step(ev: CrmdEvent, now: number): CrmdEffect[] {
    this.now = now;
    try {
      switch (ev.type) {
        case 'members':
          this.drive({ type: 'members', members: ev.members });
          this.dc?.membersChanged(this.node.election.members, now);
          break;
        case 'message': this.drive({ type: 'message', from: ev.from, message: ev.message }); break;
        case 'client': this.drive({ type: 'client', client: ev.client, change: ev.change }); break;
        case 'exec-result': this.onExecResult(ev.result); break;
        case 'fence-result': this.dc?.fenceResult(ev.target, ev.transitionKey, ev.ok, ev.detail, now); break;
        case 'tick':
          this.drive({ type: 'tick' });
          this.dc?.tick(now);
          break;
      }
      this.settle();
    } catch (e) {
      // No input may stop the controller: log it, keep the state reached so far.
      this.out.push({ kind: 'log', level: 'error', text: `controller: ${ev.type} failed: ${(e as Error).stack ?? String(e)}` });
    }
    return this.takeEffects();
  }

  cib(): XEl { return this.node.replica.cib; }
  quorate(): boolean { return this.node.election.quorate; }
  get isDc(): boolean { return this.node.replica.dc === this.self; }
  status(): CrmdStatus {
    return { ...crmStatus(this.node), transitions: this.dc?.counters.schedules ?? 0, idle: !!this.dc && this.dc.ready && !this.dc.engine && !this.dc.needSchedule, controllerDropped: this.dropped };
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', text: string): void { this.out.push({ kind: 'log', level, text }); }

  edit(op: string, fn: (cib: XEl) => XEl): void {
    const r = this.node.replica;
    if (r.dc !== this.self) return; // no longer DC: the next DC rebuilds the status from the members' histories
    if (r.join) { this.pendingEdits.push({ op, fn }); return; }
    this.ownEdit = true;
    try { this.drive({ type: 'edit', op, edit: fn }); } finally { this.ownEdit = false; }
  }

  dispatch(a: GraphAction): void {
    const node = a.node!;
    const req: OpRequest = {
      rscId: a.rsc, agent: { cls: a.agent.cls as OpRequest['agent']['cls'], ...(a.agent.provider ? { provider: a.agent.provider } : {}), type: a.agent.type },
      action: a.task, intervalMs: a.intervalMs, timeoutMs: a.timeoutMs, ...(a.startDelayMs ? { startDelayMs: a.startDelayMs } : {}),
      params: Object.fromEntries(a.params), expectedRc: a.expectedRc, transitionKey: a.transitionKey,
    };
    const info: OpInfo = { onFail: a.onFail, opDigest: a.opDigest };
    this.log('info', `Initiating ${a.task} operation ${opKey(a.rsc, a.task, a.intervalMs)} ${node === this.self ? 'locally ' : ''}on ${node}`);
    if (node === this.self) this.runLocal(req, info);
    else this.send(node, { t: 'crmd-exec', req, info });
  }

  /** A Fence action for the shell's fencer (its answer comes back as a `fence-result` event). */
  fence(a: GraphAction): void {
    this.out.push({ kind: 'fence', target: a.fence!.target, action: a.fence!.action, transitionKey: a.transitionKey, timeoutMs: a.timeoutMs });
  }

  /** Fault injection: sends any payload as a controller message (tests of what peers do with garbage). */
  sendRaw(to: string, payload: unknown, now: number): CrmdEffect[] {
    this.now = now;
    this.drive({ type: 'send', to, payload });
    return this.takeEffects();
  }

  private send(to: string | undefined, payload: CrmdMessage): void {
    this.drive(to === undefined ? { type: 'send', payload } : { type: 'send', to, payload });
  }

  private drive(ev: CrmNodeEvent): void {
    const r = stepCrmNode(this.node, ev, this.now as Millis);
    this.node = r.state;
    this.onNodeEffects(r.effects);
  }

  private onNodeEffects(effects: readonly CrmNodeEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'transmit': case 'persist': case 'reply': case 'log': this.out.push(e); break;
        case 'quorum': this.dc?.quorum(e.quorate); break;
        case 'cib-changed': if (this.dc && !this.ownEdit && this.dc.ready) this.dc.cibChanged(e.configChanged, this.now); break;
        case 'deliver': this.onPayload(e.from, e.payload); break;
        case 'dc': break;
      }
    }
  }

  private onPayload(from: string, p: unknown): void {
    if (!isCrmdMessage(p)) return this.drop(from, 'malformed controller message');
    switch (p.t) {
      case 'crmd-exec':
        if (from !== this.node.replica.dc) return this.drop(from, `operations come from the DC (${this.node.replica.dc ?? 'none'})`);
        this.runLocal(p.req, p.info);
        return;
      case 'crmd-result':
        if (!this.dc) return this.drop(from, 'results go to the DC');
        if (p.record.node !== from) return this.drop(from, `a result for ${p.record.node}`);
        this.dc.result(p.record, p.onFail, this.now);
        return;
      case 'crmd-join':
        if (!this.dc) return this.drop(from, 'histories go to the DC');
        this.dc.history(from, p.lrm, p.fresh, p.join);
        return;
    }
  }

  private drop(from: string, why: string): void {
    this.dropped++;
    this.log('warn', `dropped controller message from ${from}: ${why}`);
  }

  /** Runs an operation on this node's executor: a stop or start first cancels the resource's recurring ops. */
  private runLocal(req: OpRequest, info: OpInfo): void {
    const key = opKey(req.rscId, req.action, req.intervalMs);
    this.info.set(key, info);
    const rec = this.recurring.get(req.rscId) ?? new Set<number>();
    if (req.action === 'stop' || req.action === 'start') {
      for (const iv of rec) this.out.push({ kind: 'cancel', rscId: req.rscId, action: 'monitor', intervalMs: iv });
      rec.clear();
    }
    if (req.intervalMs > 0) {
      if (rec.has(req.intervalMs)) this.out.push({ kind: 'cancel', rscId: req.rscId, action: req.action, intervalMs: req.intervalMs });
      rec.add(req.intervalMs);
    }
    this.recurring.set(req.rscId, rec);
    this.out.push({ kind: 'exec', req });
  }

  private onExecResult(r: OpResult): void {
    const q = r.request;
    if (r.opStatus === EXEC_STATUS.CANCELLED) return;
    if (q.intervalMs > 0 && !r.changed) return;
    const info = this.info.get(opKey(q.rscId, q.action, q.intervalMs)) ?? { onFail: 'restart', opDigest: '' };
    const expected = q.expectedRc ?? (q.action === 'monitor' && q.intervalMs === 0 ? 7 : 0);
    const record: OpRecord = {
      node: this.self, rsc: q.rscId, cls: q.agent.cls, ...(q.agent.provider ? { provider: q.agent.provider } : {}), type: q.agent.type,
      task: q.action, intervalMs: q.intervalMs, callId: r.callId, rc: r.rc, execStatus: r.opStatus,
      transitionKey: q.transitionKey ?? `0:0:${expected}:local`, lastRcChange: Math.floor((r.startedAt + r.execMs) / 1000),
      execTimeMs: Math.round(r.execMs), opDigest: info.opDigest,
    };
    this.lrm.record(record);
    if (this.dc) this.dc.result(record, info.onFail, this.now);
    else if (this.node.replica.dc) this.send(this.node.replica.dc, { t: 'crmd-result', record, onFail: info.onFail });
  }

  /** After every event: follow the DC role, send the history to a new DC, flush held edits, let the DC move on. */
  private settle(): void {
    const r = this.node.replica;
    if (r.dc !== this.self && this.dc) {
      this.transitions = Math.max(this.transitions, this.dc.transitions);
      this.log('info', 'State transition S_IDLE -> S_NOT_DC');
      this.dc = undefined;
      this.pendingEdits = [];
    }
    if (r.dc && r.dc !== this.self && this.sentJoin !== r.joinId) {
      this.sentJoin = r.joinId;
      this.send(r.dc, { t: 'crmd-join', join: r.joinId, lrm: this.lrm.lrm(), fresh: this.fresh });
      this.fresh = false;
    }
    if (r.dc !== this.self) return;
    const members = this.node.election.members;
    if (!this.dc) {
      this.dc = new DcDuty(this, r.joinId, members, this.now, this.cfg.historyTimeoutMs ?? 3_000);
      this.dc.transitions = this.transitions;
    } else if (this.dc.join !== r.joinId) this.dc.rejoin(r.joinId, members, this.now);
    else if (this.sentJoin === r.joinId) { this.flush(); this.pump(); return; }
    this.sentJoin = r.joinId;
    this.dc.history(this.self, this.lrm.lrm(), this.fresh, r.joinId);
    this.fresh = false;
    this.flush();
    this.pump();
  }

  /** The DC's duties move on only once the CIB's own join is over: until then its writes are held, and a
   *  transition computed on the CIB without them would start what was just started, again and again. */
  private pump(): void {
    if (!this.node.replica.join) this.dc?.pump(this.now);
  }

  private flush(): void {
    if (this.node.replica.join || !this.pendingEdits.length) return;
    const held = this.pendingEdits;
    this.pendingEdits = [];
    for (const e of held) this.edit(e.op, e.fn);
  }
}
