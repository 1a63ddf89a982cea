// The controller's vocabulary: its messages between nodes (operation requests, results, join histories), the
// events a node's controller takes and the effects it asks its shell (daemon or twin) to carry out.
import type { HaMessage } from '../../wire/message.js';
import type { CibAnswer, CibChange } from '../cib-store/index.js';
import type { OpRequest, OpResult } from '../executor/index.js';
import type { XEl } from '../xml-lite.js';
import type { OpRecord } from '../tengine/status.js';

/** What a node needs to know beyond the executor's request to report a result the way the DC records it. */
export interface OpInfo {
  readonly onFail: string;
  readonly opDigest: string;
}

/** The controller's messages (carried by CRM messaging: signed, ordered per sender, split when large). */
export type CrmdMessage =
  /** The DC asks a node to run one operation of transition `transition` (Pacemaker's do_lrm_rsc_op request). */
  | { readonly t: 'crmd-exec'; readonly req: OpRequest; readonly info: OpInfo }
  /** A node's result for the DC (every one-shot result, a recurring monitor's first result and every change). */
  | { readonly t: 'crmd-result'; readonly record: OpRecord; readonly onFail: string }
  /** A node's operation history for the DC of join `join` (Pacemaker's join_confirm with the lrm section).
   *  `fresh`: the node's controller just started (its transient attributes are gone too). */
  | { readonly t: 'crmd-join'; readonly join: number; readonly lrm: XEl; readonly fresh: boolean };

export type CrmdEvent =
  | { readonly type: 'members'; readonly members: readonly string[] }
  | { readonly type: 'message'; readonly from: string; readonly message: HaMessage }
  | { readonly type: 'client'; readonly client: string; readonly change: CibChange }
  /** A result of the local executor (every run of a recurring operation). */
  | { readonly type: 'exec-result'; readonly result: OpResult }
  /** The fencer's answer to a `fence` effect. */
  | { readonly type: 'fence-result'; readonly target: string; readonly transitionKey: string; readonly ok: boolean; readonly detail: string }
  | { readonly type: 'tick' };

export type CrmdEffect =
  | { readonly kind: 'transmit'; readonly message: HaMessage }
  | { readonly kind: 'persist'; readonly cib: XEl }
  | { readonly kind: 'reply'; readonly client: string; readonly answer: CibAnswer }
  /** Submit to the local executor (its results come back as `exec-result`). */
  | { readonly kind: 'exec'; readonly req: OpRequest }
  /** Cancel a recurring operation of the local executor. */
  /** The DC's Fence action: the shell's fencer (its own, or one that reaches the target's device) carries it out. */
  | { readonly kind: 'fence'; readonly target: string; readonly action: string; readonly transitionKey: string; readonly timeoutMs: number }
  | { readonly kind: 'cancel'; readonly rscId: string; readonly action: string; readonly intervalMs: number }
  | { readonly kind: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly text: string };

/** Checks a controller message's shape (what the network hands over is untrusted JSON). */
export function isCrmdMessage(m: unknown): m is CrmdMessage {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  const str = (v: unknown) => typeof v === 'string';
  const int = (v: unknown) => Number.isInteger(v);
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const xel = (v: unknown): boolean => obj(v) && str(v.tagName) && Array.isArray(v.attrs) && (v.attrs as unknown[]).every(str)
    && Array.isArray(v.kids) && (v.kids as unknown[]).every(xel);
  switch (x.t) {
    case 'crmd-exec': {
      const r = x.req, i = x.info;
      return obj(r) && str(r.rscId) && str(r.action) && int(r.intervalMs) && typeof r.timeoutMs === 'number' && obj(r.agent)
        && str((r.agent as Record<string, unknown>).cls) && str((r.agent as Record<string, unknown>).type) && obj(r.params)
        && Object.values(r.params).every(str) && (r.transitionKey === undefined || str(r.transitionKey))
        && obj(i) && str(i.onFail) && str(i.opDigest);
    }
    case 'crmd-result': {
      const r = x.record;
      return obj(r) && ['node', 'rsc', 'cls', 'type', 'task', 'transitionKey', 'opDigest'].every((k) => str(r[k]))
        && ['intervalMs', 'callId', 'rc', 'execStatus', 'lastRcChange', 'execTimeMs'].every((k) => int(r[k])) && str(x.onFail);
    }
    case 'crmd-join': return int(x.join) && xel(x.lrm) && typeof x.fresh === 'boolean';
    default: return false;
  }
}

/** Transition key fields (`action:transition:target-rc:dc-uuid`). */
export function parseTransitionKey(key: string): { action: number; transition: number; rc: number; dc: string } | undefined {
  const m = /^(\d+):(\d+):(\d+):(.*)$/.exec(key);
  return m ? { action: Number(m[1]), transition: Number(m[2]), rc: Number(m[3]), dc: m[4]! } : undefined;
}
