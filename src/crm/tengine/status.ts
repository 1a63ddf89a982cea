// Writes what the transition engine learns into the CIB status section, in Pacemaker's layout: node_state
// membership fields, lrm_rsc_op history (last_0, last_failure_0, recurring monitors) and fail-count attributes.
import type { XEl } from '../xml-lite.js';
import { getAttr } from '../xml-lite.js';
import { el, withAttrs, withKids, sectionPath, updateAt } from '../cib-store/tree.js';
import { EXEC_STATUS, opKey } from '../contract.js';

/** One finished operation as the status section records it (the executor's OpResult, flattened). */
export interface OpRecord {
  readonly node: string;
  readonly rsc: string;
  readonly cls: string;
  readonly provider?: string;
  readonly type: string;
  readonly task: string;
  readonly intervalMs: number;
  readonly callId: number;
  readonly rc: number;
  readonly execStatus: number;
  readonly transitionKey: string;
  /** Epoch seconds. */
  readonly lastRcChange: number;
  readonly execTimeMs: number;
  readonly opDigest: string;
}

const kidIndex = (e: XEl, tag: string, id?: string) => e.kids.findIndex((k) => k.tagName === tag && (id === undefined || getAttr(k, 'id') === id));

/** The child `tag` (with `id`) of `e` replaced by `fn` of it (created from `make` when missing; undefined removes it). */
function editKid(e: XEl, tag: string, id: string | undefined, make: () => XEl, fn: (k: XEl) => XEl | undefined): XEl {
  const i = kidIndex(e, tag, id);
  const kids = e.kids.slice();
  const next = fn(i < 0 ? make() : kids[i]!);
  if (i < 0) { if (next) kids.push(next); } else if (next) kids[i] = next; else kids.splice(i, 1);
  return withKids(e, kids);
}

/** The node's id in <nodes> (node_state carries it), or the uname when the node is not configured. */
function nodeId(cib: XEl, uname: string): string {
  const nodes = cib.kids.find((k) => k.tagName === 'configuration')?.kids.find((k) => k.tagName === 'nodes');
  const n = nodes?.kids.find((k) => getAttr(k, 'uname') === uname);
  return (n && getAttr(n, 'id')) ?? uname;
}

/** Applies `fn` to the node_state of `uname` (created with the node's id when missing). */
export function editNodeState(cib: XEl, uname: string, fn: (ns: XEl) => XEl): XEl {
  const sec = sectionPath(cib, 'status', true)!;
  const id = nodeId(cib, uname);
  return updateAt(sec.root, sec.path, (status) => {
    const i = status.kids.findIndex((k) => k.tagName === 'node_state' && (getAttr(k, 'uname') === uname || getAttr(k, 'id') === id));
    const kids = status.kids.slice();
    const cur = i < 0 ? el('node_state', ['id', id, 'uname', uname]) : kids[i]!;
    if (i < 0) kids.push(fn(cur)); else kids[i] = fn(cur);
    return withKids(status, kids);
  })!;
}

/** Membership as the controller writes it: online member, or lost (its operation history then no longer counts). */
export function setNodeMembership(cib: XEl, uname: string, online: boolean): XEl {
  return editNodeState(cib, uname, (ns) => withAttrs(ns, online
    ? { in_ccm: 'true', crmd: 'online', join: 'member', expected: 'member' }
    : { in_ccm: 'false', crmd: 'offline', join: 'down', expected: 'down' }));
}

/** Drops a node's operation history (the DC does this when a node (re)joins: its executor starts empty). */
export function eraseNodeHistory(cib: XEl, uname: string): XEl {
  return editNodeState(cib, uname, (ns) => withKids(ns, ns.kids.filter((k) => k.tagName !== 'lrm')));
}

function lrmResources(ns: XEl, fn: (lr: XEl) => XEl): XEl {
  const id = getAttr(ns, 'id') ?? '';
  return editKid(ns, 'lrm', undefined, () => el('lrm', ['id', id]), (lrm) =>
    editKid(lrm, 'lrm_resources', undefined, () => el('lrm_resources'), fn));
}

/** An lrm_rsc_op element for `r` under the history id `id`. */
function opElement(id: string, r: OpRecord): XEl {
  const magic = `${r.execStatus}:${r.rc};${r.transitionKey}`;
  return el('lrm_rsc_op', ['id', id, 'operation_key', opKey(r.rsc, r.task, r.intervalMs), 'operation', r.task,
    'crm-debug-origin', 'do_update_resource', 'crm_feature_set', '3.16.1', 'transition-key', r.transitionKey,
    'transition-magic', magic, 'exit-reason', '', 'on_node', r.node, 'call-id', String(r.callId), 'rc-code', String(r.rc),
    'op-status', String(r.execStatus), 'interval', String(r.intervalMs), 'last-rc-change', String(r.lastRcChange),
    'exec-time', String(r.execTimeMs), 'queue-time', '0', 'op-digest', r.opDigest]);
}

/** Expected rc encoded in a transition key (`action:transition:target-rc:dc`). */
export const expectedRcOf = (key: string): number => parseInt(key.split(':')[2] ?? '0', 10);

/**
 * Records one operation result as Pacemaker's controller does: a one-shot op replaces `<rsc>_last_0`, a recurring
 * monitor its own `<rsc>_monitor_<ms>` entry, a failure also `<rsc>_last_failure_0`; a completed stop cancels
 * (removes) the resource's recurring monitor entries on that node.
 */
export function recordOp(cib: XEl, r: OpRecord): XEl {
  const failed = r.execStatus !== EXEC_STATUS.DONE || r.rc !== expectedRcOf(r.transitionKey);
  // A probe that finds the resource stopped or running reports state; it is no failure entry.
  const probeState = r.task === 'monitor' && r.intervalMs === 0 && (r.rc === 0 || r.rc === 7 || r.rc === 8) && r.execStatus === EXEC_STATUS.DONE;
  return editNodeState(cib, r.node, (ns) => lrmResources(ns, (lrs) => editKid(lrs, 'lrm_resource', r.rsc,
    () => el('lrm_resource', ['id', r.rsc, 'type', r.type, 'class', r.cls, ...(r.provider ? ['provider', r.provider] : [])]),
    (lr) => {
      let kids = lr.kids.slice();
      const put = (id: string) => {
        const i = kids.findIndex((k) => getAttr(k, 'id') === id);
        if (i < 0) kids.push(opElement(id, r)); else kids[i] = opElement(id, r);
      };
      // The stop cancelled the recurring monitors, as a promote or demote cancels those of the old role: their
      // entries go (the last failure stays, it may still count).
      if ((r.task === 'stop' || r.task === 'promote' || r.task === 'demote') && !failed) kids = kids.filter((k) => getAttr(k, 'id') === `${r.rsc}_last_failure_0` || (parseInt(getAttr(k, 'interval') ?? '0', 10) || 0) === 0);
      put(r.intervalMs > 0 ? opKey(r.rsc, r.task, r.intervalMs) : `${r.rsc}_last_0`);
      if (failed && !probeState) put(`${r.rsc}_last_failure_0`);
      return withKids(lr, kids);
    })));
}

/** The transient attribute `name` of node `uname` (fail counts, last failures), or undefined. */
export function transientAttr(cib: XEl, uname: string, name: string): string | undefined {
  const status = cib.kids.find((k) => k.tagName === 'status');
  const ns = status?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname);
  const set = ns?.kids.find((k) => k.tagName === 'transient_attributes')?.kids.find((k) => k.tagName === 'instance_attributes');
  const nv = set?.kids.find((k) => getAttr(k, 'name') === name);
  return nv ? getAttr(nv, 'value') : undefined;
}

/** Sets (or with undefined removes) a transient node attribute, as attrd writes it into the status section. */
export function setTransientAttr(cib: XEl, uname: string, name: string, value: string | undefined): XEl {
  return editNodeState(cib, uname, (ns) => {
    const id = getAttr(ns, 'id') ?? uname;
    return editKid(ns, 'transient_attributes', undefined, () => el('transient_attributes', ['id', id]), (ta) =>
      editKid(ta, 'instance_attributes', undefined, () => el('instance_attributes', ['id', `status-${id}`]), (set) =>
        editKid(set, 'nvpair', `status-${id}-${name}`, () => el('nvpair', ['id', `status-${id}-${name}`, 'name', name, 'value', '']),
          (nv) => (value === undefined ? undefined : withAttrs(nv, { value })))));
  });
}

/**
 * Counts a failure of `rsc`'s `task`/`intervalMs` on `node` as the controller does through attrd:
 * `fail-count-<rsc>#<task>_<ms>` grows by one (or becomes INFINITY for a fatal start failure) and
 * `last-failure-<rsc>#<task>_<ms>` is set to `now` (epoch seconds).
 */
export function countFailure(cib: XEl, node: string, rsc: string, task: string, intervalMs: number, now: number, fatal: boolean): XEl {
  const suffix = `${rsc}#${task}_${intervalMs}`;
  const cur = transientAttr(cib, node, `fail-count-${suffix}`);
  const n = cur === 'INFINITY' ? Infinity : parseInt(cur ?? '0', 10) || 0;
  const next = fatal || n + 1 >= 1_000_000 ? 'INFINITY' : String(n + 1);
  return setTransientAttr(setTransientAttr(cib, node, `fail-count-${suffix}`, next), node, `last-failure-${suffix}`, String(now));
}

/** Removes `rsc`'s expired fail counts on `node` (the scheduler's clear_failcount op, carried out by the DC). */
export function clearFailures(cib: XEl, node: string, rsc: string): XEl {
  const status = cib.kids.find((k) => k.tagName === 'status');
  const ns = status?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === node);
  const set = ns?.kids.find((k) => k.tagName === 'transient_attributes')?.kids.find((k) => k.tagName === 'instance_attributes');
  let out = cib;
  for (const nv of set?.kids ?? []) {
    const name = getAttr(nv, 'name') ?? '';
    if (name.startsWith(`fail-count-${rsc}#`) || name.startsWith(`last-failure-${rsc}#`)) out = setTransientAttr(out, node, name, undefined);
  }
  return out;
}
