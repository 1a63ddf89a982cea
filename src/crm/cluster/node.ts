// One node's CRM cluster layer as a pure machine: messaging, the DC election with quorum, and the CIB replica
// (src/crm/cib-store) composed; its effects are frames to send, CIB writes, client answers and log lines.
import type { Millis } from '../../types.js';
import type { HaMessage } from '../../wire/message.js';
import {
  stepReplica, initialReplica, isCibMessage, DEFAULT_REPLICA_CONFIG, formatVersion, versionOf,
  type CibAnswer, type CibChange, type CibEffect, type CibValidator, type ReplicaConfig, type ReplicaEvent, type ReplicaState,
} from '../cib-store/index.js';
import type { XEl } from '../xml-lite.js';
import {
  initialElection, isElectionPayload, stepElection, CRM_FEATURE_SET, DEFAULT_ELECTION_CONFIG,
  type ElectionConfig, type ElectionEffect, type ElectionEvent, type ElectionState,
} from './election.js';
import { frameFromHa, frameToHa } from './frame.js';
import { DEFAULT_MESSAGING_CONFIG, initialMessaging, stepMessaging, type MessagingConfig, type MessagingEffect, type MessagingEvent, type MessagingState } from './messaging.js';

/** Everything a CRM node is built from. */
export interface CrmNodeConfig {
  readonly self: string;
  /** ha.cf's nodes: the votes quorum counts. */
  readonly configured: readonly string[];
  /** Incarnation of this process (heartbeat's generation; the twin counts restarts). */
  readonly inc: number;
  /** Start time of the CRM in ms since the epoch (the election's "Uptime"). */
  readonly born: number;
  readonly messaging?: MessagingConfig;
  readonly election?: ElectionConfig;
  readonly replica?: ReplicaConfig;
  readonly validate?: CibValidator;
}

export interface CrmNodeState {
  readonly cfg: CrmNodeConfig;
  readonly messaging: MessagingState;
  readonly election: ElectionState;
  readonly replica: ReplicaState;
  /** CRM payloads dropped above messaging: unknown types, shapes that do not check. */
  readonly dropped: number;
}

export type CrmNodeEvent =
  /** This node's partition as membership sees it (live nodes, itself included). */
  | { readonly type: 'members'; readonly members: readonly string[] }
  /** A CRM-typed message delivered by membership (signature checked by the wire layer). */
  | { readonly type: 'message'; readonly from: string; readonly message: HaMessage }
  /** A local client's CIB request (control socket). */
  | { readonly type: 'client'; readonly client: string; readonly change: CibChange }
  /** The controller's own payload (`t` starting with `crmd-`), to one node or to every member. */
  | { readonly type: 'send'; readonly to?: string; readonly payload: unknown }
  /** The DC's controller writes into the CIB (see the replica's `edit`). */
  | { readonly type: 'edit'; readonly op: string; readonly edit: (cib: XEl) => XEl }
  | { readonly type: 'tick' };

export type CrmNodeEffect =
  /** Send this message through membership (it numbers, signs and sends it on every medium). */
  | { readonly kind: 'transmit'; readonly message: HaMessage }
  | { readonly kind: 'persist'; readonly cib: XEl }
  | { readonly kind: 'reply'; readonly client: string; readonly answer: CibAnswer }
  | { readonly kind: 'dc'; readonly dc: string | undefined }
  | { readonly kind: 'quorum'; readonly quorate: boolean }
  | { readonly kind: 'cib-changed'; readonly configChanged: boolean }
  /** A controller payload (`t` starting with `crmd-`) from a member, ordered per sender; its shape is unchecked. */
  | { readonly kind: 'deliver'; readonly from: string; readonly payload: unknown }
  | { readonly kind: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly text: string };

/** A node starting with `cib` (from disk, or emptyCib()); the effects carry its first vote. */
export function initialCrmNode(cfg: CrmNodeConfig, cib: XEl, now: Millis): { state: CrmNodeState; effects: CrmNodeEffect[] } {
  const e = initialElection(cfg.self, cfg.configured, { version: CRM_FEATURE_SET, born: cfg.born, inc: cfg.inc }, now);
  let state: CrmNodeState = { cfg, messaging: initialMessaging(cfg.self.toLowerCase(), cfg.inc), election: e.state, replica: initialReplica(cfg.self.toLowerCase(), cib), dropped: 0 };
  const fx: CrmNodeEffect[] = [];
  state = onElectionEffects(state, e.effects, now, fx);
  return { state, effects: fx };
}

/** One step of the node. Never throws on bad input: what does not check is dropped and counted. */
export function stepCrmNode(s: CrmNodeState, ev: CrmNodeEvent, now: Millis): { state: CrmNodeState; effects: CrmNodeEffect[] } {
  const fx: CrmNodeEffect[] = [];
  let st = s;
  switch (ev.type) {
    case 'members': {
      const members = ev.members.map((m) => m.toLowerCase());
      for (const gone of st.election.members.filter((m) => !members.includes(m))) st = msg(st, { type: 'forget', node: gone }, now, fx);
      st = elect(st, { type: 'members', members }, now, fx);
      break;
    }
    case 'message':
      st = msg(st, { type: 'frame', from: ev.from.toLowerCase(), frame: frameFromHa(ev.message) }, now, fx);
      break;
    case 'client':
      st = cib(st, { type: 'client', client: ev.client, change: ev.change }, now, fx);
      break;
    case 'send':
      st = send(st, ev.to, ev.payload, now, fx);
      break;
    case 'edit':
      st = cib(st, { type: 'edit', origin: st.replica.self, op: ev.op, edit: ev.edit }, now, fx);
      break;
    case 'tick':
      st = msg(st, { type: 'tick' }, now, fx);
      st = elect(st, { type: 'tick' }, now, fx);
      st = cib(st, { type: 'tick' }, now, fx);
      break;
  }
  return { state: st, effects: fx };
}

function msg(s: CrmNodeState, ev: MessagingEvent, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  const r = stepMessaging(s.messaging, ev, now, s.cfg.messaging ?? DEFAULT_MESSAGING_CONFIG);
  let st: CrmNodeState = { ...s, messaging: r.state };
  for (const e of r.effects) st = onMessagingEffect(st, e, now, fx);
  return st;
}

function onMessagingEffect(s: CrmNodeState, e: MessagingEffect, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  switch (e.kind) {
    case 'transmit': fx.push({ kind: 'transmit', message: frameToHa(e.frame) }); return s;
    case 'log': fx.push({ kind: 'log', level: e.level, text: e.text }); return s;
    case 'lost':
      // Whatever the DC sent us may be among the lost: ask it for the whole CIB.
      if (e.from === s.replica.dc && s.replica.dc !== s.replica.self) {
        return send(s, e.from, { t: 'cib-sync-request', from: s.replica.self, reason: `lost ${e.count} CRM fragments` }, now, fx);
      }
      return s;
    case 'deliver': {
      const p = e.payload;
      if (isElectionPayload(p)) return elect(s, { type: 'message', from: e.from, msg: p }, now, fx);
      if (isCibMessage(p)) {
        // Only the partition's members' CIB traffic counts (a healed side's stragglers are not ours yet).
        if (!s.election.members.includes(e.from)) return { ...s, dropped: s.dropped + 1 };
        return cib(s, { type: 'message', from: e.from, msg: p }, now, fx);
      }
      if (isControllerPayload(p)) {
        if (!s.election.members.includes(e.from)) return { ...s, dropped: s.dropped + 1 };
        fx.push({ kind: 'deliver', from: e.from, payload: p });
        return s;
      }
      fx.push({ kind: 'log', level: 'warn', text: `dropped CRM message from ${e.from}: unknown type ${JSON.stringify((p as { t?: unknown } | null)?.t ?? null)}` });
      return { ...s, dropped: s.dropped + 1 };
    }
  }
}

/** Payloads the controller (src/crm/controld) owns: `{ t: 'crmd-…' }`. */
function isControllerPayload(p: unknown): boolean {
  return typeof p === 'object' && p !== null && typeof (p as { t?: unknown }).t === 'string' && (p as { t: string }).t.startsWith('crmd-');
}

function send(s: CrmNodeState, to: string | undefined, payload: unknown, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  return msg(s, to === undefined ? { type: 'send', payload } : { type: 'send', to, payload }, now, fx);
}

function elect(s: CrmNodeState, ev: ElectionEvent, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  const r = stepElection(s.election, ev, now, s.cfg.election ?? DEFAULT_ELECTION_CONFIG);
  return onElectionEffects({ ...s, election: r.state }, r.effects, now, fx);
}

function onElectionEffects(s: CrmNodeState, effects: readonly ElectionEffect[], now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  let st = s;
  for (const e of effects) {
    switch (e.kind) {
      case 'broadcast': st = send(st, undefined, e.msg, now, fx); break;
      case 'log': fx.push({ kind: 'log', level: e.level, text: e.text }); break;
      case 'quorum': fx.push({ kind: 'quorum', quorate: e.quorate }); break;
      case 'dc':
        fx.push({ kind: 'dc', dc: e.dc });
        st = cib(st, { type: 'dc', dc: e.dc, members: e.members, join: e.join }, now, fx);
        break;
    }
  }
  return st;
}

function cib(s: CrmNodeState, ev: ReplicaEvent, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  const r = stepReplica(s.replica, ev, now, s.cfg.replica ?? DEFAULT_REPLICA_CONFIG, s.cfg.validate);
  let st: CrmNodeState = { ...s, replica: r.state };
  for (const e of r.effects) st = onCibEffect(st, e, now, fx);
  return st;
}

const LEVEL = { info: 'info', notice: 'info', warning: 'warn', error: 'error' } as const;

function onCibEffect(s: CrmNodeState, e: CibEffect, now: Millis, fx: CrmNodeEffect[]): CrmNodeState {
  switch (e.kind) {
    case 'send': return send(s, e.to, e.msg, now, fx);
    case 'broadcast': return send(s, undefined, e.msg, now, fx);
    case 'persist': fx.push({ kind: 'persist', cib: e.cib }); return s;
    case 'reply': fx.push({ kind: 'reply', client: e.client, answer: e.answer }); return s;
    case 'changed': fx.push({ kind: 'cib-changed', configChanged: e.configChanged }); return s;
    case 'log': fx.push({ kind: 'log', level: LEVEL[e.level], text: e.text }); return s;
  }
}

/** What `lifeline status` shows of the CRM. */
export interface CrmStatus {
  readonly dc: string | null;
  readonly quorum: boolean;
  readonly members: readonly string[];
  readonly configured: number;
  readonly join: number;
  readonly cibVersion: string;
  readonly counters: Record<string, number>;
}

export function crmStatus(s: CrmNodeState): CrmStatus {
  const c = s.messaging.counters;
  const counters: Record<string, number> = {
    sent: c.sent, fragmentsSent: c.fragmentsSent, delivered: c.delivered, retransmitted: c.retransmitted, rexmitRequests: c.rexmitRequests,
    'dropped.payload': s.dropped, 'dropped.election': s.election.dropped, 'dropped.cib': s.replica.dropped,
  };
  for (const [k, v] of Object.entries(c.dropped)) counters[`dropped.${k}`] = v ?? 0;
  return {
    dc: s.election.dc ?? null, quorum: s.election.quorate, members: s.election.members, configured: s.election.configured.length,
    join: s.election.join, cibVersion: formatVersion(versionOf(s.replica.cib)), counters,
  };
}
