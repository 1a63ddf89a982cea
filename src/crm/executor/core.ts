// The executor's pure core (Pacemaker's execd): operations in, process launches, kills and results out, on an
// injected clock. One operation at a time per resource, recurring monitors, start-delay, timeouts, cancellation.

import { invocationFor, type InvocationConfig } from './invocation.js';
import { EXEC, OCF, execStatusText, ocfRcText } from './rc.js';
import { opKey, type ExecEffect, type Millis, type OpRequest, type OpResult, type ProcessExit } from './types.js';

/** Where an operation is in its life. */
type Phase = 'delayed' | 'queued' | 'running' | 'idle';

/** One requested operation (a recurring one lives until cancelled). */
interface Op {
  readonly req: OpRequest;
  readonly callId: number;
  phase: Phase;
  /** When a delayed or idle recurring op is due to be queued. */
  dueAt: Millis;
  queuedAt: Millis;
  startedAt: Millis;
  launchId: number;
  /** Kill time of the running process. */
  deadline: Millis;
  timedOut: boolean;
  cancelled: boolean;
  pid?: number;
  mapRc: (code: number) => number;
  /** rc and status of the previous run (recurring ops report only changes as "changed"). */
  last?: { rc: number; status: number };
}

/** What `submit` answers: the call id, and the effects to carry out now. */
export interface Submitted {
  readonly callId: number;
  readonly effects: ExecEffect[];
}

/** Pacemaker's default-action-timeout (20s). */
export const DEFAULT_TIMEOUT_MS = 20_000;

/** Output kept per run (Pacemaker keeps the agent's output for meta-data and logs the rest). */
const MAX_OUTPUT = 64 * 1024;

/** `1.005s` / `250ms`, as Pacemaker's `pcmk__readable_interval` prints execution times. */
export function readableMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** The last `ocf-exit-reason:` line an agent wrote on stderr. */
export function exitReasonOf(stderr: string): string | undefined {
  let reason: string | undefined;
  for (const line of stderr.split('\n')) {
    const i = line.indexOf('ocf-exit-reason:');
    if (i >= 0) reason = line.slice(i + 'ocf-exit-reason:'.length).trim();
  }
  return reason || undefined;
}

export class ExecutorCore {
  private nextCallId = 1;
  private nextLaunchId = 1;
  private readonly ops = new Map<number, Op>();
  private readonly byLaunch = new Map<number, Op>();
  /** FIFO of queued call ids per resource, and the call id running on it. */
  private readonly queues = new Map<string, number[]>();
  private readonly active = new Map<string, number>();

  constructor(private readonly cfg: InvocationConfig) {}

  /** Accepts an operation: it runs now if its resource is idle, after its start-delay, or after the ones before it. */
  submit(input: OpRequest, now: Millis): Submitted {
    const effects: ExecEffect[] = [];
    let req = input;
    // A missing or nonsensical timeout would kill the agent at once: Pacemaker's default-action-timeout applies.
    if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) {
      effects.push({ kind: 'log', level: 'warning', text: `${opKey(req.rscId, req.action, req.intervalMs)}: invalid timeout ${String(req.timeoutMs)}, using ${DEFAULT_TIMEOUT_MS}ms` });
      req = { ...req, timeoutMs: DEFAULT_TIMEOUT_MS };
    }
    if (!Number.isFinite(req.intervalMs) || req.intervalMs < 0) req = { ...req, intervalMs: 0 };
    const op: Op = {
      req, callId: this.nextCallId++, phase: 'delayed', dueAt: now + (req.startDelayMs ?? 0), queuedAt: now, startedAt: 0,
      launchId: 0, deadline: 0, timedOut: false, cancelled: false, mapRc: (c) => c,
    };
    this.ops.set(op.callId, op);
    if ((req.startDelayMs ?? 0) > 0) {
      effects.push({ kind: 'log', level: 'debug', text: `${opKey(req.rscId, req.action, req.intervalMs)} delayed ${readableMs(req.startDelayMs!)} (start-delay)` });
    } else this.enqueue(op, now, effects);
    return { callId: op.callId, effects };
  }

  /** Cancels a recurring operation (rsc, action, interval); false when there is none. A running one is killed. */
  cancel(rscId: string, action: string, intervalMs: Millis, now: Millis): { found: boolean; effects: ExecEffect[] } {
    const op = [...this.ops.values()].find((o) => o.req.rscId === rscId && o.req.action === action && o.req.intervalMs === intervalMs && !o.cancelled);
    const effects: ExecEffect[] = [];
    if (!op) return { found: false, effects };
    this.cancelOp(op, now, effects);
    return { found: true, effects };
  }

  /** Cancels every operation of a resource that has not run yet and every recurring one (resource removed). */
  cancelAll(rscId: string, now: Millis): ExecEffect[] {
    const effects: ExecEffect[] = [];
    for (const op of [...this.ops.values()]) if (op.req.rscId === rscId && !op.cancelled && (op.req.intervalMs > 0 || op.phase !== 'running')) this.cancelOp(op, now, effects);
    return effects;
  }

  /** The adapter tells the pid of a launch (for logs and results). */
  spawned(launchId: number, pid: number): void {
    const op = this.byLaunch.get(launchId);
    if (op) op.pid = pid;
  }

  /** A launched process ended: its result, and the next operation of the resource. */
  exited(launchId: number, exit: ProcessExit, now: Millis): ExecEffect[] {
    const op = this.byLaunch.get(launchId);
    const effects: ExecEffect[] = [];
    if (!op) return effects;
    this.byLaunch.delete(launchId);
    const key = opKey(op.req.rscId, op.req.action, op.req.intervalMs);
    const tag = `${key}[${op.pid ?? '?'}]`;
    let rc: number, status: number, reason: string | undefined;
    if (op.timedOut) {
      rc = OCF.UNKNOWN_ERROR; status = EXEC.TIMEOUT; reason = 'Process did not exit within specified timeout';
    } else if (op.cancelled) {
      effects.push({ kind: 'log', level: 'info', text: `${tag} terminated with signal ${exit.signal ?? 'SIGKILL'}` });
      rc = OCF.OK; status = EXEC.CANCELLED;
    } else if (exit.spawnError !== undefined) {
      rc = OCF.NOT_INSTALLED; status = EXEC.NOT_INSTALLED; reason = exit.spawnError;
    } else if (exit.code === null) {
      effects.push({ kind: 'log', level: 'warning', text: `${tag} terminated with signal ${exit.signal ?? '?'}` });
      rc = OCF.UNKNOWN_ERROR; status = EXEC.ERROR; reason = `terminated with signal ${exit.signal ?? '?'}`;
    } else {
      effects.push({ kind: 'log', level: 'debug', text: `${tag} exited with status ${exit.code}` });
      rc = op.mapRc(exit.code); status = EXEC.DONE; reason = exitReasonOf(exit.stderr);
    }
    this.finish(op, rc, status, reason, exit.stdout.slice(0, MAX_OUTPUT), exit.stderr.slice(0, MAX_OUTPUT), now, effects);
    return effects;
  }

  /** Advances time: kills what ran past its timeout, queues recurring runs and start-delayed ops that came due. */
  tick(now: Millis): ExecEffect[] {
    const effects: ExecEffect[] = [];
    for (const op of [...this.ops.values()].sort((a, b) => a.callId - b.callId)) {
      if (op.phase === 'running' && !op.timedOut && !op.cancelled && now >= op.deadline) {
        op.timedOut = true;
        effects.push({ kind: 'log', level: 'warning', text: `${opKey(op.req.rscId, op.req.action, op.req.intervalMs)}[${op.pid ?? '?'}] timed out after ${op.req.timeoutMs}ms` });
        effects.push({ kind: 'kill', launchId: op.launchId });
      } else if ((op.phase === 'delayed' || op.phase === 'idle') && now >= op.dueAt) {
        this.enqueue(op, now, effects);
      }
    }
    return effects;
  }

  /** The next time `tick` has something to do, if any. */
  nextDeadline(): Millis | undefined {
    let t: Millis | undefined;
    for (const op of this.ops.values()) {
      const at = op.phase === 'running' ? (op.timedOut || op.cancelled ? undefined : op.deadline) : op.phase === 'queued' ? undefined : op.dueAt;
      if (at !== undefined && (t === undefined || at < t)) t = at;
    }
    return t;
  }

  /** Operations a resource has: running, queued, waiting (for `crm_resource`-style listings and tests). */
  operations(rscId?: string): Array<{ callId: number; key: string; phase: Phase }> {
    return [...this.ops.values()].filter((o) => rscId === undefined || o.req.rscId === rscId)
      .map((o) => ({ callId: o.callId, key: opKey(o.req.rscId, o.req.action, o.req.intervalMs), phase: o.phase }));
  }

  private enqueue(op: Op, now: Millis, effects: ExecEffect[]): void {
    op.phase = 'queued';
    op.queuedAt = now;
    const q = this.queues.get(op.req.rscId) ?? [];
    q.push(op.callId);
    this.queues.set(op.req.rscId, q);
    this.pump(op.req.rscId, now, effects);
  }

  /** Starts the first queued operation of an idle resource (execd serializes per resource). */
  private pump(rscId: string, now: Millis, effects: ExecEffect[]): void {
    while (!this.active.has(rscId)) {
      const q = this.queues.get(rscId);
      const callId = q?.shift();
      if (callId === undefined) { this.queues.delete(rscId); return; }
      const op = this.ops.get(callId);
      if (!op || op.phase !== 'queued') continue;
      this.start(op, now, effects);
    }
  }

  private start(op: Op, now: Millis, effects: ExecEffect[]): void {
    const { req } = op;
    op.startedAt = now;
    op.timedOut = false;
    op.pid = undefined;
    effects.push({ kind: 'log', level: 'info', text: `executing - rsc:${req.rscId} action:${req.action} call_id:${op.callId}` });
    const inv = invocationFor(req, this.cfg);
    if (inv.kind === 'answer') {
      const status = inv.rc === OCF.OK ? EXEC.DONE : inv.rc === OCF.UNIMPLEMENT_FEATURE ? EXEC.NOT_SUPPORTED : inv.rc === OCF.NOT_INSTALLED ? EXEC.NOT_INSTALLED : EXEC.ERROR;
      this.finish(op, inv.rc, status, inv.reason, '', '', now, effects);
      return;
    }
    op.phase = 'running';
    op.launchId = this.nextLaunchId++;
    op.deadline = now + req.timeoutMs;
    op.mapRc = inv.mapRc;
    this.active.set(req.rscId, op.callId);
    this.byLaunch.set(op.launchId, op);
    effects.push({ kind: 'launch', launchId: op.launchId, argv: inv.argv, env: inv.env, ...(inv.stdin !== undefined ? { stdin: inv.stdin } : {}) });
  }

  private finish(op: Op, rc: number, status: number, reason: string | undefined, stdout: string, stderr: string, now: Millis, effects: ExecEffect[]): void {
    const { req } = op;
    const execMs = Math.max(0, now - op.startedAt), queueMs = Math.max(0, op.startedAt - op.queuedAt);
    const changed = !op.last || op.last.rc !== rc || op.last.status !== status;
    op.last = { rc, status };
    const result: OpResult = {
      request: req, callId: op.callId, rc, opStatus: status, ...(reason !== undefined ? { exitReason: reason } : {}),
      stdout, stderr, startedAt: op.startedAt, execMs, queueMs, ...(op.pid !== undefined ? { pid: op.pid } : {}), changed,
    };
    // execd's log_finished, then the controller's "Result of" line (monitors at debug unless something changed).
    const pid = op.pid !== undefined ? `, PID ${op.pid}` : '';
    const how = status === EXEC.DONE ? `exited with status ${rc}` : `could not be executed: ${execStatusText(status)}`;
    const queued = queueMs > 0 ? ` after being queued ${readableMs(queueMs)}` : '';
    const quiet = req.action === 'monitor' && !changed;
    effects.push({ kind: 'log', level: req.action === 'monitor' ? 'debug' : 'info', text: `${req.rscId} ${req.action} (call ${op.callId}${pid}) ${how}${reason ? ` (${reason})` : ''} (execution time ${readableMs(execMs)}${queued})` });
    if (!quiet && status !== EXEC.CANCELLED) {
      const text = status === EXEC.DONE ? ocfRcText(rc) : execStatusText(status);
      const level = status === EXEC.DONE && (rc === (req.expectedRc ?? (req.action === 'monitor' && req.intervalMs === 0 ? OCF.NOT_RUNNING : OCF.OK)) || (req.action === 'monitor' && req.intervalMs === 0 && rc === OCF.OK)) ? 'notice' : 'error';
      effects.push({ kind: 'log', level, text: `Result of ${req.action} operation for ${req.rscId} on ${this.cfg.nodeName ?? 'localhost'}: ${text}${reason ? ` (${reason})` : ''} | call=${op.callId} key=${opKey(req.rscId, req.action, req.intervalMs)} rc=${rc}` });
    }
    effects.push({ kind: 'result', result });
    if (this.active.get(req.rscId) === op.callId) this.active.delete(req.rscId);
    if (req.intervalMs > 0 && !op.cancelled) { op.phase = 'idle'; op.dueAt = now + req.intervalMs; }
    else this.ops.delete(op.callId);
    this.pump(req.rscId, now, effects);
  }

  private cancelOp(op: Op, now: Millis, effects: ExecEffect[]): void {
    op.cancelled = true;
    if (op.phase === 'running') { effects.push({ kind: 'kill', launchId: op.launchId }); return; }
    if (op.phase === 'queued') { const q = this.queues.get(op.req.rscId); if (q) q.splice(q.indexOf(op.callId), 1); }
    op.startedAt = now;
    op.queuedAt = now;
    this.finish(op, OCF.OK, EXEC.CANCELLED, undefined, '', '', now, effects);
  }
}
