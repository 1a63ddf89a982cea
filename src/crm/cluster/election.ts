// DC election as a pure state machine: every CRM node's vote (feature set, start time, name) compared by
// Pacemaker's rule, the winner announced with a join id, quorum of the partition, re-election on any change.
import type { Millis } from '../../types.js';
import { hasQuorum } from './quorum.js';

/** The CRM feature set this implementation speaks (Pacemaker 2.1.5's), compared first in an election. */
export const CRM_FEATURE_SET = '3.16.1';

/** A node's vote: what the comparison needs to know of it. */
export interface Vote {
  readonly version: string;
  /** When the node's CRM started (ms since the epoch): the older one wins, as Pacemaker's "Uptime" comparison. */
  readonly born: number;
  /** The sender's incarnation: a restarted node's votes replace the old ones. */
  readonly inc: number;
}

/** The election's messages (carried by CRM messaging, ordered per sender). */
export type ElectionMessage =
  /** `noDc`: the sender has had no DC for an election timeout (its winner's announce was lost or never came):
   *  the DC answers with a fresh join, as Pacemaker's DC answers a node's I_ELECTION with a new join offer. */
  | { readonly t: 'crm-vote'; readonly from: string; readonly vote: Vote; readonly noDc?: boolean }
  /** The winner takes charge: "join-N" with the members it will join. */
  | { readonly t: 'crm-dc'; readonly from: string; readonly join: number; readonly members: readonly string[] };

export interface ElectionConfig {
  /** How long an election waits for the votes of all members before deciding among those it has. */
  readonly electionTimeoutMs: number;
  /** How long the partition must have gained no node before a DC is chosen (default 1 s): a heal reaches the
   *  membership node by node, and a join of the first few would start resources that the others still run. */
  readonly settleMs?: number;
}
export const DEFAULT_ELECTION_CONFIG: ElectionConfig = { electionTimeoutMs: 2_000 };
const DEFAULT_SETTLE_MS = 1_000;

export interface ElectionState {
  readonly self: string;
  readonly configured: readonly string[];
  readonly me: Vote;
  /** The last vote of every node heard from (kept across partitions: a node's vote does not change). */
  readonly votes: ReadonlyMap<string, Vote>;
  /** This node's partition (itself included), lower-case and sorted, and since when it is so. */
  readonly members: readonly string[];
  readonly membersSince: Millis;
  readonly dc?: string;
  /** Highest join id seen: a new DC takes the next one, so every join of the cluster has its own id. */
  readonly join: number;
  /** The CRM members the DC joined last (a newcomer among them calls for a new join). */
  readonly joined: readonly string[];
  readonly quorate: boolean;
  readonly seenAll: boolean;
  readonly dropped: number;
  /** When this node last asked for a DC (a `noDc` vote); -Infinity when never. */
  readonly askedAt: number;
  /** When the partition last gained a node (start-up counts: a fresh node hears its peers before it elects itself
   *  and writes a CIB of its own whose epoch might then beat the cluster's newer one). */
  readonly gainedAt: number;
}

export type ElectionEvent =
  | { readonly type: 'members'; readonly members: readonly string[] }
  | { readonly type: 'message'; readonly from: string; readonly msg: ElectionMessage }
  | { readonly type: 'tick' };

export type ElectionEffect =
  | { readonly kind: 'broadcast'; readonly msg: ElectionMessage }
  /** The DC of this partition changed (undefined while electing): the CIB replica starts its join. */
  | { readonly kind: 'dc'; readonly dc: string | undefined; readonly members: readonly string[]; readonly join: number }
  | { readonly kind: 'quorum'; readonly quorate: boolean }
  | { readonly kind: 'log'; readonly level: 'debug' | 'info' | 'warn'; readonly text: string };

/** A node's election state at start; its first step should be `members`. Broadcasts its vote. */
export function initialElection(self: string, configured: readonly string[], me: Vote, now: Millis): { state: ElectionState; effects: ElectionEffect[] } {
  const s = self.toLowerCase();
  const state: ElectionState = {
    self: s, configured: configured.map((n) => n.toLowerCase()), me, votes: new Map([[s, me]]), members: [s], membersSince: now,
    join: 0, joined: [], quorate: false, seenAll: configured.length <= 1, dropped: 0, askedAt: -Infinity, gainedAt: now,
  };
  return { state, effects: [{ kind: 'broadcast', msg: { t: 'crm-vote', from: s, vote: me } }] };
}

/** Dotted version comparison (compare_version): 3.16.1 > 3.9.0. */
export function compareFeatureSets(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/**
 * Pacemaker's vote comparison (election_count_vote): the higher feature set wins, then the longer-running node
 * (start times compared to the second, so a vote's transit time never decides), then the name that sorts first
 * ignoring case. Positive: `a` beats `b`.
 */
export function compareCandidates(a: readonly [string, Vote], b: readonly [string, Vote]): number {
  const v = compareFeatureSets(a[1].version, b[1].version);
  if (v) return v;
  const age = Math.floor(b[1].born / 1000) - Math.floor(a[1].born / 1000);
  if (age) return Math.sign(age);
  const an = a[0].toLowerCase(), bn = b[0].toLowerCase();
  return an < bn ? 1 : an > bn ? -1 : 0;
}

/** The CRM members (those whose vote we hold), and the best of them; undefined while votes are awaited. */
export function winner(s: ElectionState, now: Millis, cfg: ElectionConfig): { best: string; candidates: string[] } | undefined {
  if (now - s.gainedAt < (cfg.settleMs ?? DEFAULT_SETTLE_MS)) return undefined;
  const candidates = s.members.filter((m) => s.votes.has(m));
  if (candidates.length < s.members.length && now - s.membersSince < cfg.electionTimeoutMs) return undefined;
  let best = s.self;
  for (const c of candidates) if (compareCandidates([c, s.votes.get(c)!], [best, s.votes.get(best)!]) > 0) best = c;
  return { best, candidates };
}

const ELECTION_TYPES = new Set(['crm-vote', 'crm-dc']);
/** True for a payload the election handles (its shape is checked by stepElection). */
export const isElectionPayload = (p: unknown): p is ElectionMessage => typeof p === 'object' && p !== null && ELECTION_TYPES.has((p as { t?: unknown }).t as string);

function validVote(v: unknown): v is Vote {
  const x = v as Record<string, unknown> | null;
  return typeof x === 'object' && x !== null && typeof x.version === 'string' && /^\d+(\.\d+)*$/.test(x.version) && Number.isFinite(x.born) && Number.isInteger(x.inc);
}

/** One step of the election. */
export function stepElection(s: ElectionState, ev: ElectionEvent, now: Millis, cfg: ElectionConfig = DEFAULT_ELECTION_CONFIG): { state: ElectionState; effects: ElectionEffect[] } {
  const fx: ElectionEffect[] = [];
  let st = s;
  switch (ev.type) {
    case 'members': {
      const members = [...new Set([st.self, ...ev.members.map((m) => m.toLowerCase())])].sort();
      if (members.join(' ') === st.members.join(' ')) break;
      const gained = members.some((m) => !st.members.includes(m));
      st = { ...st, members, membersSince: now, ...(gained ? { gainedAt: now } : {}), seenAll: st.seenAll || st.configured.every((c) => members.includes(c)) };
      // A newcomer (started while we were apart, or new) may not have our vote yet.
      if (gained) fx.push({ kind: 'broadcast', msg: { t: 'crm-vote', from: st.self, vote: st.me } });
      if (st.dc !== undefined && !members.includes(st.dc)) st = unsetDc(st, fx, `the DC ${st.dc} left the partition`);
      break;
    }
    case 'message': {
      const m = ev.msg;
      if (m.t === 'crm-vote') {
        if (!validVote(m.vote) || m.from.toLowerCase() !== ev.from.toLowerCase()) { st = { ...st, dropped: st.dropped + 1 }; break; }
        const from = ev.from.toLowerCase();
        const old = st.votes.get(from);
        const votes = new Map(st.votes);
        votes.set(from, m.vote);
        st = { ...st, votes };
        if (!old || old.inc !== m.vote.inc) fx.push({ kind: 'broadcast', msg: { t: 'crm-vote', from: st.self, vote: st.me } });
        // A member without a DC while we are it: join everyone again (evaluate sees no one joined).
        if (m.noDc === true && st.dc === st.self && st.members.includes(from)) {
          fx.push({ kind: 'log', level: 'info', text: `${from} has no DC: a new join` });
          st = { ...st, joined: [] };
        }
      } else if (m.t === 'crm-dc') {
        if (!Number.isInteger(m.join) || !Array.isArray(m.members) || m.from.toLowerCase() !== ev.from.toLowerCase()) { st = { ...st, dropped: st.dropped + 1 }; break; }
        const from = ev.from.toLowerCase();
        st = { ...st, join: Math.max(st.join, m.join) };
        if (!st.members.includes(from)) { fx.push({ kind: 'log', level: 'debug', text: `ignoring DC announce of ${from}: not a member of this partition` }); break; }
        const w = winner(st, now, cfg);
        if (w && w.best === st.self && st.members.every((x) => st.votes.has(x))) {
          // We beat it: announce again (a fresh join) so that it yields to us.
          st = { ...st, joined: [] };
          break;
        }
        if (st.dc === st.self) st = unsetDc(st, fx, `${from} is the better DC`);
        st = { ...st, dc: from, joined: [] };
        fx.push({ kind: 'log', level: 'info', text: `Set DC to ${from} (${CRM_FEATURE_SET})` });
        fx.push({ kind: 'dc', dc: from, members: m.members.filter((x): x is string => typeof x === 'string'), join: m.join });
      }
      break;
    }
    case 'tick': break;
  }
  st = evaluate(st, now, cfg, fx);
  return { state: st, effects: fx };
}

function unsetDc(s: ElectionState, fx: ElectionEffect[], why: string): ElectionState {
  fx.push({ kind: 'log', level: 'info', text: `Unset DC. Was ${s.dc} (${why})` });
  fx.push({ kind: 'dc', dc: undefined, members: s.members, join: s.join });
  return { ...s, dc: undefined, joined: [] };
}

/** Takes charge when this node is the winner, yields when it is not, and tracks quorum. */
function evaluate(s: ElectionState, now: Millis, cfg: ElectionConfig, fx: ElectionEffect[]): ElectionState {
  let st = s;
  // Quorum is lost at once but gained only once the partition stopped growing: a DC of the old partition would
  // otherwise act with the quorum of nodes it has not joined yet (and start what they still run).
  const settling = now - st.gainedAt < (cfg.settleMs ?? DEFAULT_SETTLE_MS);
  const quorate = hasQuorum({ configured: st.configured, members: st.members, seenAll: st.seenAll }) && !(settling && !st.quorate);
  if (quorate !== st.quorate) {
    fx.push({ kind: 'log', level: quorate ? 'info' : 'warn', text: quorate ? `Quorum acquired (${st.members.length} of ${st.configured.length} nodes)` : `Quorum lost (${st.members.length} of ${st.configured.length} nodes)` });
    fx.push({ kind: 'quorum', quorate });
    st = { ...st, quorate };
  }
  const w = winner(st, now, cfg);
  if (!w) return st;
  if (w.best !== st.self) {
    if (st.dc === st.self) st = unsetDc(st, fx, `${w.best} wins the election`);
    // The winner's announce never came (lost, or it arrived before its sender was in our view): ask for a DC.
    if (st.dc === undefined && now - st.membersSince >= cfg.electionTimeoutMs && now - st.askedAt >= cfg.electionTimeoutMs) {
      fx.push({ kind: 'log', level: 'info', text: `no DC after ${now - st.membersSince} ms with ${st.members.length} member(s): asking for one` });
      fx.push({ kind: 'broadcast', msg: { t: 'crm-vote', from: st.self, vote: st.me, noDc: true } });
      st = { ...st, askedAt: now };
    }
    return st;
  }
  const newcomer = w.candidates.some((c) => !st.joined.includes(c));
  if (st.dc === st.self && !newcomer) return st.joined.length === w.candidates.length ? st : { ...st, joined: w.candidates };
  const join = st.join + 1;
  if (st.dc !== st.self) {
    fx.push({ kind: 'log', level: 'info', text: `Election won by local node: ${st.self} (${w.candidates.length} of ${st.members.length} members voted)` });
    fx.push({ kind: 'log', level: 'info', text: `Set DC to ${st.self} (${CRM_FEATURE_SET})` });
  }
  fx.push({ kind: 'log', level: 'info', text: `join-${join}: offering membership to ${w.candidates.join(', ')}` });
  fx.push({ kind: 'broadcast', msg: { t: 'crm-dc', from: st.self, join, members: w.candidates } });
  fx.push({ kind: 'dc', dc: st.self, members: w.candidates, join });
  return { ...st, dc: st.self, join, joined: w.candidates };
}
