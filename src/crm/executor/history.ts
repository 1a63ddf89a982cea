// Operation history and failure accounting of one node, as Pacemaker's controller records them in the CIB status
// section: lrm_rsc_op entries (last op, recurring ops, last failure) and the fail-count / last-failure attributes.

import { createHash } from 'node:crypto';
import { paramsDigest } from '../scheduler.js';
import { CRM_FEATURE_SET } from './invocation.js';
import { EXEC, OCF } from './rc.js';
import { opKey, type AgentRef, type OpRequest, type OpResult } from './types.js';

/** One lrm_rsc_op entry, with the attribute values Pacemaker writes. */
export interface HistoryEntry {
  readonly id: string;
  readonly operationKey: string;
  readonly operation: string;
  readonly transitionKey: string;
  readonly callId: number;
  readonly rc: number;
  readonly opStatus: number;
  readonly intervalMs: number;
  /** Epoch seconds. */
  readonly lastRcChange: number;
  readonly execMs: number;
  readonly queueMs: number;
  readonly digest: string;
  readonly exitReason?: string;
}

/** What recording a result did. */
export interface Recorded {
  /** The status section changed (false for a recurring monitor that repeated itself). */
  readonly changed: boolean;
  /** The result counts as a failure: fail-count and last-failure were updated. */
  readonly failed: boolean;
}

/** How failures count (cluster options and the resource's on-fail). */
export interface FailurePolicy {
  /** start-failure-is-fatal (default true): a failed start sets the fail count to INFINITY. */
  readonly startFailureIsFatal?: boolean;
  /** on-fail=ignore: failures are recorded in history but not counted. */
  readonly ignore?: boolean;
}

export const INFINITY = 1_000_000;
/** rc-code of a pending operation (Pacemaker's PCMK_OCF_UNKNOWN). */
export const PENDING_RC = 193;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The op-digest of an operation: Pacemaker's digest of the instance parameters (the scheduler's paramsDigest) for
 * one-shot operations; recurring ones add CRM_meta_timeout, which paramsDigest leaves out, in the same form.
 */
export function opDigest(params: Readonly<Record<string, string>>, intervalMs: number, timeoutMs: number): string {
  const map = new Map(Object.entries(params));
  if (intervalMs === 0) return paramsDigest(map);
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const pairs = [...map.entries(), ['CRM_meta_timeout', String(timeoutMs)] as [string, string]].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash('md5').update(` <parameters${pairs.map(([k, v]) => ` ${k}="${esc(v)}"`).join('')}/>\n`).digest('hex');
}

/** The rc the controller expected: the transition key's, else 7 for probes and 0 for everything else. */
export function expectedRcOf(r: OpResult): number {
  const q = r.request;
  if (q.expectedRc !== undefined) return q.expectedRc;
  const fromKey = q.transitionKey ? parseInt(q.transitionKey.split(':')[2] ?? '', 10) : NaN;
  if (!Number.isNaN(fromKey)) return fromKey;
  return q.action === 'monitor' && q.intervalMs === 0 ? OCF.NOT_RUNNING : OCF.OK;
}

/** Failure as the controller counts it: wrong rc or not executed; a probe answering running/stopped is information. */
export function isFailure(r: OpResult): boolean {
  if (r.opStatus === EXEC.CANCELLED || r.opStatus === EXEC.PENDING) return false;
  const probe = r.request.action === 'monitor' && r.request.intervalMs === 0;
  if (probe && r.opStatus === EXEC.DONE && (r.rc === OCF.OK || r.rc === OCF.NOT_RUNNING || r.rc === OCF.RUNNING_PROMOTED)) return false;
  return r.opStatus !== EXEC.DONE || r.rc !== expectedRcOf(r);
}

interface RscHistory {
  readonly agent: AgentRef;
  readonly ops: Map<string, HistoryEntry>;
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The history of one node's resources. */
export class NodeHistory {
  private readonly rscs = new Map<string, RscHistory>();
  /** `fail-count-RSC#OP_INTERVAL` and `last-failure-RSC#OP_INTERVAL` → value, as attrd holds them. */
  readonly attrs = new Map<string, string>();

  constructor(readonly nodeId: string, readonly nodeName: string = nodeId) {}

  /** Records a result as the controller's do_update_resource does; `nowSec` stamps last-failure. */
  record(r: OpResult, policy: FailurePolicy = {}): Recorded {
    const q = r.request;
    const rsc = this.rscs.get(q.rscId) ?? { agent: q.agent, ops: new Map<string, HistoryEntry>() };
    this.rscs.set(q.rscId, rsc);
    const key = opKey(q.rscId, q.action, q.intervalMs);
    const recurringId = key;
    if (r.opStatus === EXEC.CANCELLED) {
      // A cancelled recurring op's entry is deleted (the controller's delete_op_entry).
      return { changed: rsc.ops.delete(recurringId), failed: false };
    }
    const id = q.intervalMs > 0 ? recurringId : `${q.rscId}_last_0`;
    const endSec = Math.floor((r.startedAt + r.execMs) / 1000);
    const prev = rsc.ops.get(id);
    const sameRc = prev !== undefined && prev.callId === r.callId && prev.rc === r.rc && prev.opStatus === r.opStatus;
    const expected = expectedRcOf(r);
    const entry: HistoryEntry = {
      id, operationKey: key, operation: q.action,
      transitionKey: q.transitionKey ?? `0:0:${expected}:${ZERO_UUID}`,
      callId: r.callId, rc: r.rc, opStatus: r.opStatus, intervalMs: q.intervalMs,
      lastRcChange: sameRc ? prev.lastRcChange : endSec, execMs: r.execMs, queueMs: r.queueMs,
      digest: opDigest(q.params, q.intervalMs, q.timeoutMs), ...(r.exitReason ? { exitReason: r.exitReason } : {}),
    };
    if (sameRc && q.intervalMs > 0) return { changed: false, failed: false };
    rsc.ops.set(id, entry);
    // A successful stop ends the resource here: its recurring entries were cancelled before it, drop leftovers.
    if (q.action === 'stop' && r.rc === OCF.OK && r.opStatus === EXEC.DONE) for (const k of [...rsc.ops.keys()]) if (rsc.ops.get(k)!.intervalMs > 0) rsc.ops.delete(k);
    if (!isFailure(r)) return { changed: true, failed: false };
    rsc.ops.set(`${q.rscId}_last_failure_0`, { ...entry, id: `${q.rscId}_last_failure_0` });
    if (policy.ignore) return { changed: true, failed: true };
    const attr = `${q.rscId}#${q.action}_${q.intervalMs}`;
    const before = this.failCount(q.rscId, q.action, q.intervalMs);
    const fatal = q.action === 'stop' || (q.action === 'start' && (policy.startFailureIsFatal ?? true));
    const value = fatal ? INFINITY : Math.min(INFINITY, before + 1);
    this.attrs.set(`fail-count-${attr}`, value >= INFINITY ? 'INFINITY' : String(value));
    this.attrs.set(`last-failure-${attr}`, String(endSec));
    return { changed: true, failed: true };
  }

  /**
   * Records an operation as pending before it runs (record-pending, Pacemaker's default): rc 193, op-status -1,
   * call-id -1, replaced by the result. Recurring runs and meta-data are not recorded pending.
   */
  recordPending(q: OpRequest, nowMs: number): boolean {
    if (q.intervalMs > 0 || q.action === 'meta-data') return false;
    const rsc = this.rscs.get(q.rscId) ?? { agent: q.agent, ops: new Map<string, HistoryEntry>() };
    this.rscs.set(q.rscId, rsc);
    const expected = q.expectedRc ?? (q.action === 'monitor' ? OCF.NOT_RUNNING : OCF.OK);
    rsc.ops.set(`${q.rscId}_last_0`, {
      id: `${q.rscId}_last_0`, operationKey: opKey(q.rscId, q.action, 0), operation: q.action,
      transitionKey: q.transitionKey ?? `0:0:${expected}:${ZERO_UUID}`, callId: -1, rc: PENDING_RC, opStatus: EXEC.PENDING,
      intervalMs: 0, lastRcChange: Math.floor(nowMs / 1000), execMs: 0, queueMs: 0, digest: opDigest(q.params, 0, q.timeoutMs),
    });
    return true;
  }

  /** Fail count of one operation, or of the whole resource when action is omitted (the sum, capped). */
  failCount(rscId: string, action?: string, intervalMs?: number): number {
    let sum = 0;
    for (const [k, v] of this.attrs) {
      if (!k.startsWith(`fail-count-${rscId}#`)) continue;
      if (action !== undefined && k !== `fail-count-${rscId}#${action}_${intervalMs ?? 0}`) continue;
      sum += v === 'INFINITY' ? INFINITY : parseInt(v, 10) || 0;
    }
    return Math.min(sum, INFINITY);
  }

  /** Latest last-failure time (epoch seconds) of a resource, if it ever failed here. */
  lastFailure(rscId: string): number | undefined {
    let t: number | undefined;
    for (const [k, v] of this.attrs) if (k.startsWith(`last-failure-${rscId}#`)) t = Math.max(t ?? 0, parseInt(v, 10));
    return t;
  }

  /** The entries of a resource (last op, recurring ops, last failure). */
  entries(rscId: string): HistoryEntry[] {
    return [...(this.rscs.get(rscId)?.ops.values() ?? [])];
  }

  /** `crm_resource --cleanup`: forgets a resource's history and fail counts here. */
  cleanup(rscId: string): void {
    this.rscs.delete(rscId);
    for (const k of [...this.attrs.keys()]) if (k.startsWith(`fail-count-${rscId}#`) || k.startsWith(`last-failure-${rscId}#`)) this.attrs.delete(k);
  }

  /** `<lrm id=NODE><lrm_resources>…</lrm_resources></lrm>` as it goes under this node's node_state. */
  lrmXml(indent = ''): string {
    const out = [`${indent}<lrm id="${esc(this.nodeId)}">`, `${indent}  <lrm_resources>`];
    for (const [rid, h] of this.rscs) {
      const a = h.agent;
      out.push(`${indent}    <lrm_resource id="${esc(rid)}" class="${a.cls}"${a.provider ? ` provider="${esc(a.provider)}"` : ''} type="${esc(a.type)}">`);
      for (const e of h.ops.values()) out.push(`${indent}      ${this.opXml(e)}`);
      out.push(`${indent}    </lrm_resource>`);
    }
    out.push(`${indent}  </lrm_resources>`, `${indent}</lrm>`);
    return out.join('\n');
  }

  /** `<transient_attributes>` with the fail counts, as attrd writes them (`#` becomes `.` in the nvpair ids). */
  transientXml(indent = ''): string {
    const nv = [...this.attrs].map(([k, v]) => `${indent}    <nvpair id="status-${esc(this.nodeId)}-${esc(k.replace(/#/g, '.'))}" name="${esc(k)}" value="${esc(v)}"/>`);
    return [`${indent}<transient_attributes id="${esc(this.nodeId)}">`, `${indent}  <instance_attributes id="status-${esc(this.nodeId)}">`, ...nv,
      `${indent}  </instance_attributes>`, `${indent}</transient_attributes>`].join('\n');
  }

  private opXml(e: HistoryEntry): string {
    return `<lrm_rsc_op id="${esc(e.id)}" operation_key="${esc(e.operationKey)}" operation="${esc(e.operation)}" crm-debug-origin="do_update_resource"`
      + ` crm_feature_set="${CRM_FEATURE_SET}" transition-key="${esc(e.transitionKey)}" transition-magic="${e.opStatus}:${e.rc};${esc(e.transitionKey)}"`
      + `${e.exitReason ? ` exit-reason="${esc(e.exitReason)}"` : ''} on_node="${esc(this.nodeName)}" call-id="${e.callId}" rc-code="${e.rc}" op-status="${e.opStatus}"`
      + ` interval="${e.intervalMs}" last-rc-change="${e.lastRcChange}" exec-time="${e.execMs}" queue-time="${e.queueMs}" op-digest="${e.digest}"/>`;
  }
}
