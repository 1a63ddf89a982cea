// The fencer's pure core (Pacemaker's pacemaker-fenced): requests in; host checks, topology levels, delays, retries,
// timeouts and one operation per target out, as launches, kills, log lines and results, on an injected clock.

import { readableMs } from '../executor/core.js';
import { agentCommand, DEFAULT_PATHS, type AgentPaths } from './agent.js';
import { eligibility, eligibilityLine, listDecides, statusDecides, type ListCache } from './eligibility.js';
import { actionRetries, actionTimeoutMs, delayBaseS, delayMaxS, parseTargets, type Device, type FencerConfig, DEFAULT_OPTIONS } from './registry.js';
import { levelsFor, type NodeAttrs } from './topology.js';
import { HISTORY_MAX, RETRY_PAUSE_MS, TIMEOUT_FACTOR, type Attempt, type LaunchOwner, type Op } from './op.js';
import type { ExecStatus, FenceAction, FenceRequest, FenceResult, FencerEffect, HistoryEntry, LogLevel, Millis, ProcessExit, Random } from './types.js';

export interface FencerCoreOptions {
  /** This node's name: the delegate of its operations; it never fences itself. */
  readonly nodeName: string;
  readonly paths?: AgentPaths;
  readonly random?: Random;
  readonly nodeAttrs?: NodeAttrs;
}

export class FencerCore {
  private cfg: FencerConfig = { devices: [], topology: { levels: [] }, options: DEFAULT_OPTIONS, problems: [] };
  private ops: Op[] = [];
  private readonly history: HistoryEntry[] = [];
  private readonly launches = new Map<number, LaunchOwner>();
  private readonly lists = new Map<string, ListCache>();
  private readonly checkOverride = new Map<string, string>();
  private nextRequest = 1;
  private nextLaunch = 1;
  private nextOp = 1;
  private readonly random: Random;

  constructor(private readonly o: FencerCoreOptions) {
    this.random = o.random ?? ((n) => Math.floor(Math.random() * n));
  }

  /** Replaces the registry (a new CIB): devices, topology, options. Problems are logged by resource id. */
  configure(cfg: FencerConfig): FencerEffect[] {
    const fx: FencerEffect[] = [];
    const before = new Set(this.cfg.devices.map((d) => d.id));
    this.cfg = cfg;
    for (const d of cfg.devices) if (!before.has(d.id)) fx.push(log('info', `Added '${d.id}' to device list (${cfg.devices.length} active device${cfg.devices.length === 1 ? '' : 's'})`));
    for (const id of before) if (!cfg.devices.some((d) => d.id === id)) { fx.push(log('info', `Removed '${id}' from device list`)); this.lists.delete(id); this.checkOverride.delete(id); }
    for (const p of cfg.problems) fx.push(log('error', `${p.id}: ${p.text}`));
    return fx;
  }

  get config(): FencerConfig { return this.cfg; }

  /** Accepts a fencing request (or a --list query); the answer comes later as a `result` effect. */
  submit(req: FenceRequest, now: Millis, queryOnly = false): { requestId: number; effects: FencerEffect[] } {
    const fx: FencerEffect[] = [];
    const requestId = this.nextRequest++;
    if (!queryOnly) {
      fx.push(log('notice', `Client ${req.client} wants to fence (${req.action}) ${req.target} using ${req.device ?? 'any device'}`));
      // An identical request already in flight from another client: piggyback on it (fenced's merge_duplicates).
      const same = this.ops.find((x) => !x.queryOnly && x.state !== 'queued' && x.req.target.toLowerCase() === req.target.toLowerCase() && x.req.action === req.action && x.req.client !== req.client);
      if (same) {
        same.requests.push({ id: requestId, client: req.client, origin: req.origin });
        fx.push(log('notice', `Merging fencing action '${req.action}' targeting ${req.target} originating from client ${req.client} with identical request from ${same.req.client}@${same.req.origin} | original=${same.id.slice(0, 8)}`));
        return { requestId, effects: fx };
      }
    }
    const op: Op = {
      id: `${(this.nextOp++).toString(16).padStart(8, '0')}-${this.o.nodeName}`, req, requests: [{ id: requestId, client: req.client, origin: req.origin }], created: now, state: 'queued',
      pending: new Set(), capable: new Set(), steps: [], step: 0, dev: 0, phase: 'requested', delayUsed: false, used: [], queryOnly,
    };
    this.ops.push(op);
    if (!queryOnly) this.record({ id: op.id, target: req.target, action: req.action, state: 'pending', client: req.client, origin: req.origin, created: now });
    // One operation per target at a time: a different action (or the same client again) waits its turn.
    if (queryOnly || !this.ops.some((x) => x !== op && !x.queryOnly && x.state !== 'queued' && x.req.target.toLowerCase() === req.target.toLowerCase())) this.begin(op, now, fx);
    else fx.push(log('notice', `Fencing (${req.action}) of ${req.target} for ${req.client} waits for the operation already running on it`));
    return { requestId, effects: fx };
  }

  /** stonith_admin --confirm: the administrator says the node is down (fenced_handle_manual_confirmation). */
  confirm(target: string, client: string, origin: string, now: Millis): FencerEffect[] {
    const id = `${(this.nextOp++).toString(16).padStart(8, '0')}-${this.o.nodeName}`;
    const fx: FencerEffect[] = [log('notice', `Received manual confirmation that ${target} has been fenced`)];
    this.record({ id, target, action: 'off', state: 'done', client, origin, delegate: 'a human', created: now, completed: now });
    fx.push(log('notice', `Operation 'off' targeting ${target} by a human for ${client}@${origin}: OK (complete) | id=${id.slice(0, 8)}`));
    const result: FenceResult = { id, target, action: 'off', client, origin, ok: true, exitStatus: 0, execStatus: 'complete', delegate: 'a human', devices: [], completedAt: now, merged: false };
    fx.push({ kind: 'result', requestId: this.nextRequest++, result });
    return fx;
  }

  /** The adapter tells the pid of a launch (for the log lines). */
  spawned(launchId: number, pid: number): void {
    const o = this.launches.get(launchId);
    if (o?.kind === 'attempt' && o.op.attempt?.launchId === launchId) o.op.attempt.pid = pid;
  }

  /** A launched agent ended. */
  exited(launchId: number, exit: ProcessExit, now: Millis): FencerEffect[] {
    const owner = this.launches.get(launchId);
    const fx: FencerEffect[] = [];
    if (!owner) return fx;
    this.launches.delete(launchId);
    if (owner.kind === 'check') this.checkDone(owner, exit, now, fx);
    else {
      const device = owner.op.attempt?.device.id;
      if (owner.op.attempt?.launchId === launchId) this.attemptDone(owner.op, exit, now, fx);
      if (device !== undefined) this.unblock(device, now, fx);
    }
    return fx;
  }

  /** Advances time: ends what passed its timeout, launches what finished its delay. */
  tick(now: Millis): FencerEffect[] {
    const fx: FencerEffect[] = [];
    for (const [id, owner] of this.launches) {
      if (owner.kind === 'check' && !owner.timedOut && now >= owner.deadline) { owner.timedOut = true; fx.push({ kind: 'kill', launchId: id }); }
    }
    for (const op of [...this.ops]) {
      const a = op.attempt;
      if (op.deadline !== undefined && now >= op.deadline && op.state === 'exec') {
        if (a?.launchId !== undefined) { this.launches.delete(a.launchId); fx.push({ kind: 'kill', launchId: a.launchId }); }
        this.finish(op, false, 'Timed Out', 'Fencing did not complete within a total timeout based on the configured timeout and retries for any devices attempted', now, fx);
        if (a) this.unblock(a.device.id, now, fx);
        continue;
      }
      if (!a) continue;
      if (a.launchId !== undefined && !a.timedOut && now >= a.deadline) {
        a.timedOut = true;
        fx.push(log('info', `Fence agent ${a.device.agent}_${a.action}_${a.tries}of${actionRetries(a.device, a.action)}[${a.pid ?? '?'}] timed out after ${readableMs(a.timeoutMs)}`));
        fx.push({ kind: 'kill', launchId: a.launchId });
      } else if (a.launchId === undefined && !a.blocked && a.waitUntil !== undefined && now >= a.waitUntil) {
        this.launch(op, a, now, fx);
      }
    }
    return fx;
  }

  /** The next instant `tick` has work, if any. */
  nextDeadline(): Millis | undefined {
    const at: number[] = [];
    for (const o of this.launches.values()) if (o.kind === 'check' && !o.timedOut) at.push(o.deadline);
    for (const op of this.ops) {
      if (op.deadline !== undefined) at.push(op.deadline);
      const a = op.attempt;
      if (a?.launchId !== undefined && !a.timedOut) at.push(a.deadline);
      if (a && a.launchId === undefined && !a.blocked && a.waitUntil !== undefined) at.push(a.waitUntil);
    }
    return at.length ? Math.min(...at) : undefined;
  }

  /** The fence history, newest last; only entries for `target` when given. */
  historyOf(target?: string): HistoryEntry[] {
    return this.history.filter((h) => target === undefined || h.target.toLowerCase() === target.toLowerCase());
  }

  /** Operations in flight (tests and `stonith_admin --history` pending lines come from the history). */
  inFlight(): Array<{ id: string; target: string; action: FenceAction; state: string }> {
    return this.ops.filter((o) => !o.queryOnly).map((o) => ({ id: o.id, target: o.req.target, action: o.req.action, state: o.state }));
  }

  private record(h: HistoryEntry): void {
    const i = this.history.findIndex((x) => x.id === h.id);
    if (i >= 0) this.history[i] = h; else this.history.push(h);
    if (this.history.length > HISTORY_MAX) this.history.splice(0, this.history.length - HISTORY_MAX);
  }

  private baseTimeout(op: Op): Millis {
    return op.req.timeoutMs !== undefined && op.req.timeoutMs > 0 ? op.req.timeoutMs : this.cfg.options.timeoutMs;
  }

  /** Starts the host checks of every device that might serve the request. */
  private begin(op: Op, now: Millis, fx: FencerEffect[]): void {
    op.state = 'query';
    if (!op.queryOnly) fx.push(log('notice', `Requesting peer fencing (${op.req.action}) targeting ${op.req.target} | id=${op.id.slice(0, 8)} state=querying base_timeout=${Math.round(this.baseTimeout(op) / 1000)}`));
    const devices = this.cfg.devices.filter((d) => op.req.device === undefined || d.id === op.req.device);
    for (const d of devices) {
      const e = eligibility(d, op.req.target, op.req.action, this.o.nodeName, now, this.lists.get(d.id), this.checkOverride.get(d.id));
      if (e.decided) {
        if (e.log) fx.push(log(e.logLevel ?? 'info', e.log));
        fx.push(log('info', eligibilityLine(d.id, e.can, op.req.action, op.req.target, e.alias, e.checkType)));
        if (e.can) op.capable.add(d.id);
        continue;
      }
      op.pending.add(d.id);
      const timeoutMs = actionTimeoutMs(d, e.run, this.baseTimeout(op));
      const launchId = this.nextLaunch++;
      this.launches.set(launchId, { kind: 'check', op, device: d, run: e.run, deadline: now + timeoutMs, timedOut: false });
      const cmd = agentCommand(d, e.run, e.run === 'status' ? op.req.target : undefined, this.o.paths ?? DEFAULT_PATHS);
      fx.push({ kind: 'launch', launchId, argv: cmd.argv, ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}) });
    }
    if (op.pending.size === 0) this.plan(op, now, fx);
  }

  private checkDone(o: Extract<LaunchOwner, { kind: 'check' }>, exit: ProcessExit, now: Millis, fx: FencerEffect[]): void {
    const { op, device: d } = o;
    const notRun = o.timedOut ? 'Timed Out' : exit.spawnError !== undefined ? 'Not installed' : exit.code === null ? 'Error' : undefined;
    let can: boolean;
    if (o.run === 'status') {
      const r = statusDecides(d.id, op.req.target, exit.code ?? undefined, notRun);
      if (r.log) fx.push(log('warning', r.log));
      can = r.can;
    } else {
      const failure = notRun !== undefined ? `could not be executed: ${notRun}` : `returned error code ${exit.code ?? '?'}`;
      const r = listDecides(d, op.req.target, notRun === undefined && exit.code === 0, failure, exit.code === 0 ? parseTargets(exit.stdout) : undefined, this.lists.get(d.id));
      for (const [l, t] of r.logs) fx.push(log(l, t));
      if (r.cacheTargets) this.lists.set(d.id, { targets: r.cacheTargets, at: now });
      if (r.switchToStatus) this.checkOverride.set(d.id, 'status');
      can = r.can;
    }
    fx.push(log('info', eligibilityLine(d.id, can, op.req.action, op.req.target, d.aliases.get(op.req.target.toLowerCase()), o.run === 'list' ? 'dynamic-list' : 'status')));
    if (can) op.capable.add(d.id);
    op.pending.delete(d.id);
    if (op.pending.size === 0 && op.state === 'query') this.plan(op, now, fx);
  }

  /** The devices to try, in order: the target's topology levels, else each capable device by priority. */
  private plan(op: Op, now: Millis, fx: FencerEffect[]): void {
    const capable = this.cfg.devices.filter((d) => op.capable.has(d.id)).sort((a, b) => b.priority - a.priority);
    if (op.queryOnly) { this.answerQuery(op, capable.map((d) => d.id), now, fx); return; }
    const levels = op.req.device === undefined ? levelsFor(this.cfg.topology, op.req.target, this.o.nodeAttrs) : [];
    if (levels.length > 0) {
      for (const l of levels) {
        const missing = l.devices.filter((id) => !op.capable.has(id));
        if (missing.length) fx.push(log('info', `Fencing level ${l.index} targeting ${op.req.target} skipped: ${missing.join(', ')} cannot fence it`));
        else op.steps.push({ level: l.index, devices: [...l.devices] });
      }
    } else {
      fx.push(log('info', `Found ${capable.length} matching device${capable.length === 1 ? '' : 's'} for target '${op.req.target}'`));
      op.steps = capable.map((d) => ({ devices: [d.id] }));
    }
    if (op.steps.length === 0) {
      fx.push(log('notice', `Couldn't find anyone to fence (${op.req.action}) ${op.req.target} using ${op.req.device ?? 'any device'}`));
      this.finish(op, false, 'No fence device', undefined, now, fx);
      return;
    }
    op.state = 'exec';
    // The whole operation's bound: every device it may try, with its own timeout and largest delay.
    let total = 0;
    for (const s of op.steps) for (const id of s.devices) { const d = this.device(id)!; total += actionTimeoutMs(d, op.req.action, this.baseTimeout(op)) + delayMaxS(d, op.req.action) * 1000 + Math.max(0, op.req.delayMs ?? 0); }
    op.deadline = now + Math.round(TIMEOUT_FACTOR * (total || this.baseTimeout(op)));
    this.enterStep(op, now, fx);
  }

  private answerQuery(op: Op, devices: string[], now: Millis, fx: FencerEffect[]): void {
    this.ops = this.ops.filter((x) => x !== op);
    const result: FenceResult = { id: op.id, target: op.req.target, action: op.req.action, client: op.req.client, origin: op.req.origin, ok: true, exitStatus: 0, execStatus: 'complete', devices, completedAt: now, merged: false };
    fx.push({ kind: 'result', requestId: op.requests[0]!.id, result });
  }

  private device(id: string): Device | undefined { return this.cfg.devices.find((d) => d.id === id); }

  /** A new level (or device, without topology): a multi-device reboot becomes off for all, then on for all. */
  private enterStep(op: Op, now: Millis, fx: FencerEffect[]): void {
    const s = op.steps[op.step]!;
    op.dev = 0;
    op.phase = 'requested';
    if (s.devices.length > 1 && op.req.action === 'reboot') {
      fx.push(log('info', `Remapping multiple-device reboot targeting ${op.req.target} to 'off' | id=${op.id.slice(0, 8)}`));
      op.phase = 'off';
    }
    this.runDevice(op, now, fx);
  }

  private runDevice(op: Op, now: Millis, fx: FencerEffect[]): void {
    const d = this.device(op.steps[op.step]!.devices[op.dev]!)!;
    let action: string = op.phase === 'requested' ? op.req.action : op.phase;
    const timeoutMs = actionTimeoutMs(d, action, this.baseTimeout(op));
    if (action === 'reboot' && !d.caps.reboot) {
      fx.push(log('notice', `Remapping 'reboot' action targeting ${op.req.target} using ${d.id} to 'off' because agent '${d.agent}' does not support reboot`));
      action = 'off';
    }
    // schedule_stonith_command: the requested delay (first device only) plus a random pcmk_delay_* one.
    const requested = op.delayUsed ? 0 : Math.round((op.req.delayMs ?? 0) / 1000);
    op.delayUsed = true;
    let delay = Math.max(0, requested);
    if (requested >= 0) {
      let max = delayMaxS(d, action);
      let base = delayBaseS(d, action, op.req.target);
      if (max === 0) max = base;
      if (max < base) { fx.push(log('warning', `pcmk_delay_base (${base}s) is larger than pcmk_delay_max (${max}s) for ${action} using ${d.id} (limiting to maximum delay)`)); base = max; }
      if (max > 0) delay += (max !== base ? this.random(max - base) : 0) + base;
    }
    const a: Attempt = { device: d, action, tries: 0, firstStart: now, timeoutMs, deadline: 0, timedOut: false };
    op.attempt = a;
    if (delay > 0) {
      fx.push(log('notice', `Delaying '${action}' action targeting ${op.req.target} using ${d.id} for ${delay}s | timeout=${Math.round(timeoutMs / 1000)}s requested_delay=${requested}s base=${delayBaseS(d, action, op.req.target)}s max=${delayMaxS(d, action)}s`));
      a.waitUntil = now + delay * 1000;
      return;
    }
    this.launch(op, a, now, fx);
  }

  /** Agents running on a device now (get_active_cmds). */
  private active(deviceId: string): number {
    let n = 0;
    for (const o of this.launches.values()) if (o.kind === 'attempt' && o.op.attempt?.device.id === deviceId) n++;
    return n;
  }

  /** A device finished a run: the first operation blocked on it (in arrival order) may start. */
  private unblock(deviceId: string, now: Millis, fx: FencerEffect[]): void {
    const next = this.ops.find((x) => x.attempt?.blocked && x.attempt.device.id === deviceId);
    if (next) this.launch(next, next.attempt!, now, fx);
  }

  private launch(op: Op, a: Attempt, now: Millis, fx: FencerEffect[]): void {
    // pcmk_action_limit (default 1, -1 unlimited): one agent per device at a time, the others wait their turn.
    const limit = parseInt(a.device.params.get('pcmk_action_limit') ?? '1', 10) || 1;
    if (limit > -1 && this.active(a.device.id) >= limit) { a.blocked = true; a.waitUntil = undefined; return; }
    a.blocked = false;
    a.tries++;
    a.waitUntil = undefined;
    a.timedOut = false;
    const remaining = a.tries === 1 ? a.timeoutMs : a.timeoutMs - (now - a.firstStart);
    if (a.tries > 1) fx.push(log('info', `Attempt ${a.tries} to execute ${a.device.agent} (${a.action}). remaining timeout is ${Math.round(remaining / 1000)}`));
    a.deadline = now + remaining;
    const launchId = this.nextLaunch++;
    a.launchId = launchId;
    a.pid = undefined;
    this.launches.set(launchId, { kind: 'attempt', op });
    const cmd = agentCommand(a.device, a.action, op.req.target, this.o.paths ?? DEFAULT_PATHS);
    fx.push({ kind: 'launch', launchId, argv: cmd.argv, ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}) });
  }

  private attemptDone(op: Op, exit: ProcessExit, now: Millis, fx: FencerEffect[]): void {
    const a = op.attempt!;
    a.launchId = undefined;
    const pid = a.pid;
    const ok = !a.timedOut && exit.spawnError === undefined && exit.code === 0;
    const status: ExecStatus = a.timedOut ? 'Timed Out' : exit.spawnError !== undefined ? 'Not installed' : exit.code === null ? 'Error' : 'complete';
    const reason = a.timedOut ? `Fence agent did not complete within ${readableMs(a.timeoutMs)}` : exit.spawnError ?? (exit.code === null ? `terminated with signal ${exit.signal ?? '?'}` : undefined);
    // log_action: the agent's stderr, line by line, at warning.
    for (const line of exit.stderr.split('\n').map((l) => l.trim()).filter(Boolean)) fx.push(log('warning', `${a.device.agent}[${pid ?? '?'}] stderr: [ ${line} ]`));
    // stonith__execute's retry: not after a timeout, and only with 30 % of the time left.
    if (!ok && !a.timedOut && a.tries < actionRetries(a.device, a.action) && now - a.firstStart < a.timeoutMs * 0.7) {
      a.waitUntil = now + RETRY_PAUSE_MS;
      return;
    }
    const s = op.steps[op.step]!;
    const desc = `Operation '${a.action}' ${pid !== undefined ? `[${pid}] ` : ''}targeting ${op.req.target} using ${a.device.id} ${status === 'complete' ? `returned ${exit.code}` : `could not be executed: ${status}`}${reason ? ` (${reason})` : ''}`;
    if (ok || op.phase === 'on') {
      if (!ok) fx.push(log('warning', `Ignoring ${a.device.id} 'on' failure (${status}) targeting ${op.req.target} after successful 'off'`));
      else fx.push(log('notice', `${desc} | call ${op.requests[0]!.id} from ${op.req.client}`));
      if (ok && !op.used.includes(a.device.id)) op.used.push(a.device.id);
      op.dev++;
      if (op.dev < s.devices.length) { this.runDevice(op, now, fx); return; }
      if (op.phase === 'off') {
        fx.push(log('info', `Remapped 'off' targeting ${op.req.target} complete, remapping to 'on' for ${op.req.client} | id=${op.id.slice(0, 8)}`));
        op.phase = 'on';
        // Devices that unfence automatically are left to the cluster when the node rejoins.
        s.devices = s.devices.filter((id) => !this.device(id)?.caps.automaticUnfencing);
        op.dev = 0;
        if (s.devices.length) { this.runDevice(op, now, fx); return; }
      }
      this.finish(op, true, 'complete', undefined, now, fx);
      return;
    }
    const next = op.steps[op.step + 1];
    const nextName = next ? (next.level !== undefined ? `level ${next.level}` : next.devices[0]) : undefined;
    const left = op.steps.slice(op.step + 1).reduce((n, x) => n + x.devices.length, 0);
    fx.push(log('error', `${desc}${nextName ? `, retrying with ${nextName}` : ''}${left ? ` (${left} device${left === 1 ? '' : 's'} remaining)` : ''} | call ${op.requests[0]!.id} from ${op.req.client}`));
    op.step++;
    if (op.step < op.steps.length) { this.enterStep(op, now, fx); return; }
    fx.push(log('info', `All fencing options targeting ${op.req.target} for client ${op.req.client}@${op.req.origin} failed | id=${op.id.slice(0, 8)}`));
    this.finish(op, false, status, reason, now, fx);
  }

  /** finalize_op: history, fenced's result line, one result per merged request, then the target's next op. */
  private finish(op: Op, ok: boolean, status: ExecStatus, reason: string | undefined, now: Millis, fx: FencerEffect[]): void {
    this.ops = this.ops.filter((x) => x !== op);
    op.attempt = undefined;
    const delegate = ok || status !== 'No fence device' ? this.o.nodeName : undefined;
    this.record({ id: op.id, target: op.req.target, action: op.req.action, state: ok ? 'done' : 'failed', client: op.req.client, origin: op.req.origin,
      ...(delegate ? { delegate } : {}), created: op.created, completed: now, ...(reason ? { exitReason: reason } : {}) });
    const words = `${ok ? 'OK' : 'Error occurred'} (${status}${reason ? `: ${reason}` : ''})`;
    fx.push(log(ok ? 'notice' : 'error', `Operation '${op.req.action}' targeting ${op.req.target} by ${delegate ?? 'unknown node'} for ${op.req.client}@${op.req.origin}: ${words} | id=${op.id.slice(0, 8)}`));
    op.requests.forEach(({ id: requestId, client, origin }, i) => {
      const result: FenceResult = { id: op.id, target: op.req.target, action: op.req.action, client, origin, ok, exitStatus: ok ? 0 : 1, execStatus: status,
        ...(reason ? { exitReason: reason } : {}), ...(delegate ? { delegate } : {}), devices: ok ? [...op.used] : [], completedAt: now, merged: i > 0 };
      fx.push({ kind: 'result', requestId, result });
    });
    const next = this.ops.find((x) => !x.queryOnly && x.state === 'queued' && x.req.target.toLowerCase() === op.req.target.toLowerCase());
    if (next) this.begin(next, now, fx);
  }
}

function log(level: LogLevel, text: string): FencerEffect {
  return { kind: 'log', level, text };
}
