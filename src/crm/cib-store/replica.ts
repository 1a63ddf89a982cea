// The CIB replica on every node as a pure state machine: changes go to the DC, which orders them into updates
// every replica applies in the same order; a replica out of step asks for a full sync; a join makes the newest CIB win.
import type { Millis } from '../../types.js';
import type { XEl } from '../xml-lite.js';
import { applyPatch, configurationChanged } from './patch.js';
import { digestOf, performChange, performEdit } from './store.js';
import { el } from './tree.js';
import { CIB_RC, type CibAnswer, type CibChange, type CibEffect, type CibMessage } from './types.js';
import type { CibValidator } from './validate.js';
import { compareVersions, formatVersion, newestOffer, versionOf, type VersionOffer } from './version.js';

/** Tunables of the replica, with their defaults in DEFAULT_REPLICA_CONFIG. */
export interface ReplicaConfig {
  /** How long a new DC waits for the members' offers before choosing among those it has (join-integration-timeout). */
  readonly joinTimeoutMs: number;
  /** How long a member waits for the DC's answer to a forwarded change before telling the client it timed out. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_REPLICA_CONFIG: ReplicaConfig = { joinTimeoutMs: 3_000, requestTimeoutMs: 30_000 };

/** A new DC's join: who has offered which version, who is still awaited, and whose CIB is being fetched. */
export interface JoinState {
  readonly id: number;
  readonly offers: readonly VersionOffer[];
  readonly awaited: readonly string[];
  readonly deadline: Millis;
  /** The member with the newest CIB, asked for it; undefined while offers are collected. */
  readonly fetching?: string;
}

export interface ReplicaState {
  readonly self: string;
  readonly cib: XEl;
  /** The DC of this node's partition, when one is elected. */
  readonly dc?: string;
  readonly joinId: number;
  /** Set on the DC while it joins its members (changes are queued until it is done). */
  readonly join?: JoinState;
  /** A member waiting for a full CIB (after an update it could not apply, or the DC's join sync). */
  readonly syncing: boolean;
  /** Changes the DC holds back until its join is complete. */
  readonly queued: ReadonlyArray<{ readonly origin: string; readonly client: string; readonly change: CibChange }>;
  /** Changes this member forwarded to the DC, by client, with the time they are given up. */
  readonly pending: ReadonlyMap<string, Millis>;
  /** Messages dropped because they were malformed or came from a node that is not the DC. */
  readonly dropped: number;
}

export type ReplicaEvent =
  /** A local client's request (control socket): queries are answered from the local replica. */
  | { readonly type: 'client'; readonly client: string; readonly change: CibChange }
  | { readonly type: 'message'; readonly from: string; readonly msg: CibMessage }
  /** The election's outcome for this partition: its DC and members (self included); dc undefined while electing. */
  | { readonly type: 'dc'; readonly dc: string | undefined; readonly members: readonly string[]; readonly join: number }
  /** The DC's controller writes into the CIB (status, node entries): applied and broadcast like a change; refused
   *  (logged, nothing changes) on a node that is not the DC or while the DC's join runs. */
  | { readonly type: 'edit'; readonly origin: string; readonly op: string; readonly edit: (cib: XEl) => XEl }
  | { readonly type: 'tick' };

/** A replica starting from `cib` (loaded from disk, or empty). */
export function initialReplica(self: string, cib: XEl): ReplicaState {
  return { self, cib, joinId: 0, syncing: false, queued: [], pending: new Map(), dropped: 0 };
}

/** `cibadmin --empty`'s document (createEmptyCib): what a node without any CIB starts from. */
export function emptyCib(epoch = 0): XEl {
  return el('cib', ['crm_feature_set', '3.16.1', 'validate-with', 'pacemaker-3.9', 'epoch', String(epoch), 'num_updates', '0', 'admin_epoch', '0'], [
    el('configuration', [], [el('crm_config'), el('nodes'), el('resources'), el('constraints')]), el('status'),
  ]);
}

/** Step result: the next state and what to do. */
export interface Step { readonly state: ReplicaState; readonly effects: CibEffect[] }

const isDc = (s: ReplicaState) => s.dc === s.self;

/** Adopts a new CIB locally: persist it and tell the watchers. */
function adopt(s: ReplicaState, cib: XEl, configChanged: boolean, fx: CibEffect[]): ReplicaState {
  fx.push({ kind: 'persist', cib }, { kind: 'changed', version: versionOf(cib), configChanged });
  return { ...s, cib };
}

/** The DC performs one change and broadcasts the update; the answer goes to the client directly or via its node. */
function performOnDc(s: ReplicaState, origin: string, client: string, change: CibChange, validate: CibValidator | undefined, fx: CibEffect[]): ReplicaState {
  const r = performChange(s.cib, change, { origin, ...(validate ? { validate } : {}) });
  let next = s;
  if (r.update) {
    next = adopt(s, r.cib, r.update.configChanged, fx);
    fx.push({ kind: 'broadcast', msg: { t: 'cib-update', update: r.update } });
    fx.push({ kind: 'log', level: 'info', text: `Completed ${change.req.cmd} operation for ${origin}: OK (version ${formatVersion(r.update.from)} -> ${formatVersion(r.update.to)})` });
  } else if (!r.answer.ok) {
    fx.push({ kind: 'log', level: 'warning', text: `Completed ${change.req.cmd} operation for ${origin}: rc=${r.answer.rc}: ${r.answer.error.split('\n')[0]}` });
  }
  answer(s, origin, client, r.answer, fx);
  return next;
}

function answer(s: ReplicaState, origin: string, client: string, a: CibAnswer, fx: CibEffect[]): void {
  if (origin === s.self) fx.push({ kind: 'reply', client, answer: a });
  else fx.push({ kind: 'send', to: origin, msg: { t: 'cib-reply', client, answer: a } });
}

/** The DC ends its join: its own CIB wins if newest (ties included), else it fetches the newest member's. */
function finishJoin(s: ReplicaState, now: Millis, cfg: ReplicaConfig, fx: CibEffect[], validate?: CibValidator): ReplicaState {
  const j = s.join!;
  const best = newestOffer(j.offers, s.self);
  if (!best || best.node === s.self) return completeJoin(s, fx, validate);
  fx.push({ kind: 'log', level: 'notice', text: `join-${j.id}: ${best.node} has the newest CIB (${formatVersion(best.version)}, ours is ${formatVersion(versionOf(s.cib))}): fetching it` });
  fx.push({ kind: 'send', to: best.node, msg: { t: 'cib-sync-request', from: s.self, reason: `join-${j.id}` } });
  return { ...s, join: { ...j, fetching: best.node, deadline: (now + cfg.joinTimeoutMs) as Millis } };
}

/** The DC's CIB is the cluster's: every member receives it whole, then queued changes run in order. */
function completeJoin(s: ReplicaState, fx: CibEffect[], validate?: CibValidator): ReplicaState {
  fx.push({ kind: 'broadcast', msg: { t: 'cib-full', from: s.self, cib: s.cib, digest: digestOf(s.cib), join: s.join!.id } });
  fx.push({ kind: 'log', level: 'info', text: `join-${s.join!.id} complete: the cluster's CIB is version ${formatVersion(versionOf(s.cib))}` });
  let next: ReplicaState = { ...s, join: undefined, queued: [] };
  for (const q of s.queued) next = performOnDc(next, q.origin, q.client, q.change, validate, fx);
  return next;
}

/** Checks the shape of a message from the network (the messaging layer hands over parsed JSON). */
export function isCibMessage(m: unknown): m is CibMessage {
  if (typeof m !== 'object' || m === null) return false;
  const x = m as Record<string, unknown>;
  const str = (v: unknown) => typeof v === 'string';
  const ver = (v: unknown) => typeof v === 'object' && v !== null && ['adminEpoch', 'epoch', 'numUpdates'].every((k) => Number.isInteger((v as Record<string, unknown>)[k]));
  const xel = (v: unknown): boolean => typeof v === 'object' && v !== null && str((v as XEl).tagName) && Array.isArray((v as XEl).attrs)
    && (v as XEl).attrs.every(str) && Array.isArray((v as XEl).kids) && (v as XEl).kids.every(xel);
  switch (x.t) {
    case 'cib-request': return str(x.origin) && str(x.client) && typeof x.change === 'object' && x.change !== null && typeof (x.change as CibChange).req === 'object';
    case 'cib-reply': return str(x.client) && typeof x.answer === 'object' && x.answer !== null;
    case 'cib-update': { const u = x.update as Record<string, unknown> | undefined; return !!u && ver(u.from) && ver(u.to) && str(u.fromDigest) && str(u.toDigest) && typeof u.patch === 'object'; }
    case 'cib-sync-request': return str(x.from);
    case 'cib-full': return str(x.from) && xel(x.cib) && str(x.digest);
    case 'cib-offer': return str(x.from) && Number.isInteger(x.join) && ver(x.version);
    default: return false;
  }
}

/** One step of the replica. `now` is the injected clock; `validate` checks configuration changes on the DC. */
export function stepReplica(s: ReplicaState, ev: ReplicaEvent, now: Millis, cfg: ReplicaConfig = DEFAULT_REPLICA_CONFIG,
  validate?: CibValidator): Step {
  const fx: CibEffect[] = [];
  switch (ev.type) {
    case 'client': {
      if (ev.change.req.cmd === 'cib_query') {
        return { state: s, effects: [{ kind: 'reply', client: ev.client, answer: performChange(s.cib, ev.change, { origin: s.self }).answer }] };
      }
      if (s.dc === undefined) {
        fx.push({ kind: 'reply', client: ev.client, answer: { ok: false, rc: CIB_RC.UNSATISFIED, error: 'Resource temporarily unavailable: no DC is elected yet, try again' } });
        return { state: s, effects: fx };
      }
      if (isDc(s)) {
        if (s.join) return { state: { ...s, queued: [...s.queued, { origin: s.self, client: ev.client, change: ev.change }] }, effects: fx };
        return { state: performOnDc(s, s.self, ev.client, ev.change, validate, fx), effects: fx };
      }
      fx.push({ kind: 'send', to: s.dc, msg: { t: 'cib-request', origin: s.self, client: ev.client, change: ev.change } });
      const pending = new Map(s.pending);
      pending.set(ev.client, (now + cfg.requestTimeoutMs) as Millis);
      return { state: { ...s, pending }, effects: fx };
    }
    case 'edit': {
      if (!isDc(s) || s.join) {
        fx.push({ kind: 'log', level: 'warning', text: `${ev.op} not applied: ${isDc(s) ? 'the join is running' : 'this node is not the DC'}` });
        return { state: s, effects: fx };
      }
      const r = performEdit(s.cib, ev.edit, ev.origin, ev.op);
      if (!r.update) return { state: s, effects: fx };
      const next = adopt(s, r.cib, r.update.configChanged, fx);
      fx.push({ kind: 'broadcast', msg: { t: 'cib-update', update: r.update } });
      return { state: next, effects: fx };
    }
    case 'dc': {
      // Changes forwarded to a DC that is gone have an unknown fate: say so now rather than at the timeout.
      if (ev.dc !== s.dc) {
        for (const client of s.pending.keys()) {
          fx.push({ kind: 'reply', client, answer: { ok: false, rc: CIB_RC.TIMEOUT,
            error: `Timer expired: the DC changed (${s.dc ?? 'none'} -> ${ev.dc ?? 'none'}) before answering; query the CIB to see whether the change is in it` } });
        }
      }
      const base: ReplicaState = { ...s, dc: ev.dc, joinId: ev.join, join: undefined, syncing: false, pending: ev.dc !== s.dc ? new Map() : s.pending };
      if (ev.dc === undefined) return { state: { ...base, queued: [] }, effects: fx };
      if (ev.dc !== s.self) {
        fx.push({ kind: 'send', to: ev.dc, msg: { t: 'cib-offer', from: s.self, join: ev.join, version: versionOf(s.cib) } });
        return { state: { ...base, queued: [], syncing: true }, effects: fx };
      }
      const join: JoinState = { id: ev.join, offers: [{ node: s.self, version: versionOf(s.cib) }], awaited: ev.members.filter((m) => m !== s.self), deadline: (now + cfg.joinTimeoutMs) as Millis };
      const next = { ...base, join };
      return { state: join.awaited.length ? next : completeJoin(next, fx, validate), effects: fx };
    }
    case 'tick': {
      let next = s;
      if (s.pending.size) {
        const pending = new Map(s.pending);
        for (const [client, deadline] of s.pending) {
          if (now < deadline) continue;
          pending.delete(client);
          fx.push({ kind: 'reply', client, answer: { ok: false, rc: CIB_RC.TIMEOUT, error: `Timer expired: the DC (${s.dc ?? 'none'}) did not answer` } });
        }
        next = { ...next, pending };
      }
      if (next.join && now >= next.join.deadline) {
        if (next.join.fetching) {
          // The newest holder did not send its CIB: choose again without it.
          const gone = next.join.fetching;
          fx.push({ kind: 'log', level: 'warning', text: `join-${next.join.id}: ${gone} did not send its CIB in time; choosing among the other offers` });
          next = { ...next, join: { ...next.join, fetching: undefined, offers: next.join.offers.filter((o) => o.node !== gone) } };
        } else if (next.join.awaited.length) {
          fx.push({ kind: 'log', level: 'warning', text: `join-${next.join.id}: no CIB offer from ${next.join.awaited.join(', ')} in time` });
        }
        next = finishJoin(next, now, cfg, fx, validate);
      }
      return { state: next, effects: fx };
    }
    case 'message':
      try {
        return onMessage(s, ev.from, ev.msg, now, cfg, validate, fx);
      } catch (e) {
        // A message that passed the shape check but breaks deeper (a bad patch or tree) is dropped, never fatal.
        return { state: { ...s, dropped: s.dropped + 1 }, effects: [{ kind: 'log', level: 'warning', text: `dropped message from ${ev.from}: ${(e as Error).message}` }] };
      }
  }
}

function onMessage(s: ReplicaState, from: string, msg: CibMessage, now: Millis, cfg: ReplicaConfig, validate: CibValidator | undefined, fx: CibEffect[]): Step {
  const drop = (why: string): Step => {
    const what = typeof msg === 'object' && msg !== null && typeof msg.t === 'string' ? msg.t : 'message';
    fx.push({ kind: 'log', level: 'warning', text: `dropped ${what} from ${from}: ${why}` });
    return { state: { ...s, dropped: s.dropped + 1 }, effects: fx };
  };
  if (!isCibMessage(msg)) return drop('malformed message');
  switch (msg.t) {
    case 'cib-request': {
      if (!isDc(s)) return drop('this node is not the DC');
      if (s.join) return { state: { ...s, queued: [...s.queued, { origin: from, client: msg.client, change: msg.change }] }, effects: fx };
      return { state: performOnDc(s, from, msg.client, msg.change, validate, fx), effects: fx };
    }
    case 'cib-reply': {
      if (!s.pending.has(msg.client)) return drop(`no request of client ${msg.client} is pending`);
      const pending = new Map(s.pending);
      pending.delete(msg.client);
      fx.push({ kind: 'reply', client: msg.client, answer: msg.answer });
      return { state: { ...s, pending }, effects: fx };
    }
    case 'cib-update': {
      if (from !== s.dc || isDc(s)) return drop(`updates come from the DC (${s.dc ?? 'none'})`);
      if (s.syncing) return { state: s, effects: fx }; // the full CIB on its way covers this update
      const u = msg.update;
      const mine = versionOf(s.cib);
      if (compareVersions(u.from, mine) === 0 && u.fromDigest === digestOf(s.cib)) {
        const r = applyPatch(s.cib, u.patch);
        if (typeof r !== 'string' && digestOf(r) === u.toDigest) return { state: adopt(s, r, u.configChanged, fx), effects: fx };
        fx.push({ kind: 'log', level: 'warning', text: `update ${formatVersion(u.from)} -> ${formatVersion(u.to)} did not apply (${typeof r === 'string' ? r : 'digest mismatch'}): requesting a full CIB` });
      } else if (compareVersions(u.to, mine) <= 0) {
        return { state: s, effects: fx }; // already have it
      } else {
        fx.push({ kind: 'log', level: 'notice', text: `update ${formatVersion(u.from)} -> ${formatVersion(u.to)} does not follow our version ${formatVersion(mine)}: requesting a full CIB` });
      }
      fx.push({ kind: 'send', to: from, msg: { t: 'cib-sync-request', from: s.self, reason: `out of step at ${formatVersion(mine)}` } });
      return { state: { ...s, syncing: true }, effects: fx };
    }
    case 'cib-sync-request':
      fx.push({ kind: 'send', to: from, msg: { t: 'cib-full', from: s.self, cib: s.cib, digest: digestOf(s.cib), join: s.joinId } });
      return { state: s, effects: fx };
    case 'cib-offer': {
      const j = s.join;
      if (!isDc(s) || !j || msg.join !== j.id || j.fetching) return drop(`no join-${msg.join} is collecting offers`);
      const join: JoinState = { ...j, offers: [...j.offers.filter((o) => o.node !== from), { node: from, version: msg.version }], awaited: j.awaited.filter((n) => n !== from) };
      const next = { ...s, join };
      return { state: join.awaited.length ? next : finishJoin(next, now, cfg, fx, validate), effects: fx };
    }
    case 'cib-full': {
      if (digestOf(msg.cib) !== msg.digest) return drop('digest mismatch');
      if (isDc(s)) {
        if (!s.join || s.join.fetching !== from) return drop('no CIB was asked of it');
        const next = compareVersions(versionOf(msg.cib), versionOf(s.cib)) > 0 ? adopt(s, msg.cib, configurationChanged(s.cib, msg.cib), fx) : s;
        return { state: completeJoin(next, fx, validate), effects: fx };
      }
      if (from !== s.dc) return drop(`a whole CIB is taken only from the DC (${s.dc ?? 'none'})`);
      const changed = digestOf(msg.cib) !== digestOf(s.cib);
      const next = changed ? adopt(s, msg.cib, configurationChanged(s.cib, msg.cib), fx) : s;
      return { state: { ...next, syncing: false }, effects: fx };
    }
  }
}
