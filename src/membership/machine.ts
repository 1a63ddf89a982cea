// heartbeat 3.0.6's membership as a pure state machine: status messages, sequence tracking, retransmission,
// acks, node lists, deadtime/warntime/initdead, links and generations. `step` never reads a clock or a socket.
import type { Field, HaMessage } from '../wire/message.js';
import { getBinary, getString } from '../wire/message.js';
import type { Generation, Millis, NodeName } from '../types.js';
import { generation as asGeneration, millis, nodeName } from '../types.js';
import type { MembershipConfig } from './config.js';
import {
  F,
  MsgType,
  NOSEQ_PREFIX,
  ackBody,
  nakBody,
  parseDec,
  parseHex,
  repnodesBody,
  reqnodesBody,
  rexmitBody,
  sameUuid,
  splitNodeList,
  statusBody,
  CONFIG_DIGEST_FIELD,
  withControlFields,
} from './messages.js';
import type { DropReason, LinkStatus, LogLevel, MembershipEffect, MembershipEvent, NodeStatus, StepResult } from './types.js';

/** heartbeat acks every ACK_MSG_DIV-th message of each sender. */
export const ACK_MSG_DIV = 10;
/** A gap bigger than this is not worth retransmitting: tracking starts over (heartbeat: MAXMSGHIST/2). */
export const FLOWCONTROL_LIMIT = 250;
/** At most this many packets are retransmitted for one request (heartbeat's MAX_REXMIT_BATCH). */
export const MAX_REXMIT_BATCH = 50;

const NODE_STATUSES: readonly string[] = ['init', 'up', 'active', 'dead'];

/** One medium towards one node. */
export interface LinkTrack {
  status: LinkStatus;
  /** Monotonic time of the last packet on this link (start time until the first one). */
  lastUpdate: number;
  /** Transport address the last packet came from (diagnostics only). */
  address?: string;
}

/** What we know about one node (ourselves included: our own packets are looped back, as heartbeat does). */
export interface PeerTrack {
  name: NodeName;
  uuid?: Uint8Array;
  status: NodeStatus;
  /** Its generation (`hg`) as last seen in a status message; 0 before any. */
  generation: number;
  /** Highest sequence number seen in its current run; undefined after a reset (heartbeat's NOSEQUENCE). */
  lastSeq: number | undefined;
  /** Sequence numbers skipped over and not yet received, ascending. */
  missing: number[];
  /** Lowest missing sequence number, 0 when none (acks stop at a gap). */
  firstMissing: number;
  /** We ack its messages whose seq % 10 equals this (heartbeat picks it at random per node). */
  ackTrigger: number;
  /** Highest of OUR sequence numbers it has acked: below it we need not keep or retransmit. */
  ackseq: number;
  /** Monotonic time of its last status message; undefined right after a restart was detected. */
  localLastUpdate: number | undefined;
  /** Its own wall-clock `ts` of that status (seconds), to ignore older statuses arriving late. */
  rmtLastUpdate: number;
  /** Sequence number of that status. */
  statusSeqno: number;
  /** Dead time it asks for (`dt`), used for it once communication is up. */
  deadtime: number;
  /** Whether anything came from it since start or its last death (comm-up needs every node heard once). */
  anyPacketsYet: boolean;
  links: Record<string, LinkTrack>;
  /** The `llcfg` digest of its files in its last status; null before any status, undefined when it sends none. */
  configDigest: string | undefined | null;
}

/** A message we sent with a sequence number, kept to answer retransmission requests. */
export interface HistoryEntry {
  readonly seq: number;
  readonly message: HaMessage;
  /** When it was last retransmitted: heartbeat does not resend the same packet within rexmitDelayMax-10 ms. */
  readonly lastRexmit: number | undefined;
}

/** A pending request to ask `node` again for packet `seq` at `due`. */
export interface RexmitRequest {
  readonly node: NodeName;
  readonly seq: number;
  readonly due: number;
}

/** Counters an operator (and the tests) read: every dropped packet is counted by reason. */
export interface MembershipCounters {
  dropped: Record<DropReason, number>;
  /** Our own packets heard back from a medium (expected: they only prove the medium works). */
  ownEchoes: number;
  /** Packets seen missing in peers' sequences. */
  lostPackets: number;
  rexmitRequestsSent: number;
  rexmitsSent: number;
  naksSent: number;
  naksReceived: number;
  /** Times a step came much later than the wake-up we asked for. */
  stalls: number;
}

/**
 * The whole membership state. Treat as immutable: `step` copies what it changes and never mutates its input,
 * so any earlier state can be kept and replayed.
 */
export interface MembershipState {
  config: MembershipConfig;
  started: boolean;
  stopped: boolean;
  startAt: number;
  /** Last `now` seen: the clock must not go back. */
  lastNow: number;
  /** The wake-up we last asked for: a step far past it reveals a stall. */
  wakeAt: number;
  /** Last sequence number we used. */
  seq: number;
  history: HistoryEntry[];
  /** Node names in configuration order (ha.cf order, then joiners). */
  nodeOrder: NodeName[];
  peers: Record<string, PeerTrack>;
  /** Nodes deleted from the cluster as told by a repnodes message. */
  deletedNodes: NodeName[];
  /** Every node heard from once (heartbeat's COMM_LINKSUP): deadtime instead of initdead from now on. */
  linksUp: boolean;
  /** Comm_now_up() ran: we went active. */
  commNowUp: boolean;
  gotReqnodesReply: boolean;
  reqnodesAt: number | undefined;
  reqnodesIndex: number;
  /** heartbeat's enable_flow_control: acks and reqnodes, off once a peer without `protocol` is seen. */
  flowControl: boolean;
  nextStatusAt: number;
  /** End of the start-up dead time boost, undefined once over. */
  boostUntil: number | undefined;
  rexmitRequests: RexmitRequest[];
  /** When we last resumed from a stall, and how late that step was: silences spanning it prove nothing. */
  stallAt: number | undefined;
  stallLength: number;
  /** No node or link is declared dead before this time (set on a stall). */
  stallGraceUntil: number | undefined;
  rng: number;
  loadavg: string;
  counters: MembershipCounters;
}

function emptyCounters(): MembershipCounters {
  return {
    dropped: { malformed: 0, 'unknown-node': 0, replay: 0, duplicate: 0, 'not-for-us': 0, 'stale-status': 0, 'after-shutdown': 0 },
    ownEchoes: 0,
    lostPackets: 0,
    rexmitRequestsSent: 0,
    rexmitsSent: 0,
    naksSent: 0,
    naksReceived: 0,
    stalls: 0,
  };
}

/** xorshift32: small, seeded, good enough for jitter and ack triggers. */
function nextRandom(s: MembershipState): number {
  let x = s.rng | 0 || 0x9e3779b9;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  s.rng = x >>> 0;
  return s.rng / 0x100000000;
}

function newPeer(s: MembershipState, name: NodeName, now: number): PeerTrack {
  const links: Record<string, LinkTrack> = {};
  for (const m of s.config.media) links[m] = { status: 'init', lastUpdate: now };
  return {
    name,
    status: 'init',
    generation: 0,
    lastSeq: undefined,
    missing: [],
    firstMissing: 0,
    ackTrigger: Math.floor(nextRandom(s) * ACK_MSG_DIV),
    ackseq: 0,
    localLastUpdate: now,
    rmtLastUpdate: 0,
    statusSeqno: 0,
    deadtime: s.config.deadtime,
    anyPacketsYet: false,
    links,
    configDigest: null,
  };
}

/** The state before `start`: every configured node in `init`, nothing sent. */
export function initialState(config: MembershipConfig): MembershipState {
  const s: MembershipState = {
    config,
    started: false,
    stopped: false,
    startAt: 0,
    lastNow: 0,
    wakeAt: 0,
    seq: 0,
    history: [],
    nodeOrder: [],
    peers: {},
    deletedNodes: [],
    linksUp: false,
    commNowUp: false,
    gotReqnodesReply: false,
    reqnodesAt: undefined,
    reqnodesIndex: 0,
    flowControl: true,
    nextStatusAt: 0,
    boostUntil: undefined,
    rexmitRequests: [],
    stallAt: undefined,
    stallLength: 0,
    stallGraceUntil: undefined,
    rng: (config.seed >>> 0) || 1,
    loadavg: '0.00 0.00 0.00 1/1 1',
    counters: emptyCounters(),
  };
  const names = config.nodes.includes(config.self) ? config.nodes : [...config.nodes, config.self];
  for (const n of names) {
    s.nodeOrder.push(n);
    s.peers[n] = newPeer(s, n, 0);
  }
  s.peers[config.self]!.uuid = config.uuid;
  return s;
}

/** Copies everything `step` may change, so the caller's state stays untouched. */
/**
 * Peers copied in the step that made a draft: the draft shares every other peer with the input state, and `mut`
 * copies one before its first change. A packet changes its sender's entry, not all 32 (this copy was 65 % of a
 * 32-node cluster's membership CPU).
 */
const copiedPeers = new WeakMap<MembershipState, Set<PeerTrack>>();

/** The entry of `name` in a draft, ready to change (copied the first time in this step), or undefined. */
function mut(s: MembershipState, name: string): PeerTrack | undefined {
  const p = s.peers[name];
  if (!p) return undefined;
  let copied = copiedPeers.get(s);
  if (!copied) { copied = new Set(); copiedPeers.set(s, copied); }
  if (copied.has(p)) return p;
  const links: Record<string, LinkTrack> = {};
  for (const [m, l] of Object.entries(p.links)) links[m] = { ...l };
  const q: PeerTrack = { ...p, missing: [...p.missing], links };
  copied.add(q);
  s.peers[name] = q;
  return q;
}

function draft(s: MembershipState): MembershipState {
  return {
    ...s,
    peers: { ...s.peers },
    nodeOrder: [...s.nodeOrder],
    deletedNodes: [...s.deletedNodes],
    history: [...s.history],
    rexmitRequests: [...s.rexmitRequests],
    counters: { ...s.counters, dropped: { ...s.counters.dropped } },
  };
}

/** Collects effects during one step. */
class Ctx {
  readonly fx: MembershipEffect[] = [];
  constructor(
    readonly s: MembershipState,
    readonly now: number,
  ) {}
  log(level: LogLevel, text: string): void {
    this.fx.push({ kind: 'log', level, text });
  }
}

// ---------------------------------------------------------------- sending

function advertisedDeadtime(s: MembershipState): number {
  return s.boostUntil !== undefined ? s.config.deadtime + s.config.deadtimeBoost : s.config.deadtime;
}

/** Numbers, completes, records, loops back and emits one of our messages (send_cluster_msg). */
function sendLocal(c: Ctx, body: readonly Field[]): void {
  const s = c.s;
  const type = body.find((f) => f.name === F.type);
  const noseq = type?.type === 0 && type.value.startsWith(NOSEQ_PREFIX);
  const seq = noseq ? undefined : ++s.seq;
  const destField = body.find((f) => f.name === F.to);
  const dest = destField?.type === 0 ? destField.value : undefined;
  const destuuid = dest !== undefined ? s.peers[dest]?.uuid : undefined;
  const message = withControlFields(body, {
    src: s.config.self,
    srcuuid: s.config.uuid,
    ...(seq !== undefined ? { seq } : {}),
    generation: s.config.generation,
    ts: Math.floor((s.config.wallClockOffset + c.now) / 1000),
    ...(noseq ? {} : { ld: s.loadavg }),
    ...(destuuid ? { destuuid } : {}),
  });
  if (seq !== undefined) {
    s.history.push({ seq, message, lastRexmit: undefined });
    if (s.history.length > s.config.historySize) s.history.splice(0, s.history.length - s.config.historySize);
  }
  // heartbeat feeds its own packet to its handlers before putting it on the wire, so an ack it triggers goes first.
  receive(c, message, undefined, undefined, true);
  c.fx.push({ kind: 'send', message });
}

function sendStatus(c: Ctx): void {
  const self = c.s.peers[c.s.config.self]!;
  sendLocal(c, statusBody(self.status, advertisedDeadtime(c.s), c.s.config.configDigest));
}

function setLocalStatus(c: Ctx, status: NodeStatus): void {
  const self = mut(c.s, c.s.config.self)!;
  if (self.status === status) return;
  const previous = self.status;
  self.status = status;
  sendStatus(c);
  c.log('info', `Local status now set to: '${status}'`);
  c.fx.push({ kind: 'node-status', node: self.name, status, previous });
}

function commNowUp(c: Ctx): void {
  if (c.s.commNowUp) return;
  c.s.commNowUp = true;
  c.log('info', 'Comm_now_up(): updating status to active');
  setLocalStatus(c, 'active');
  c.fx.push({ kind: 'comm-up' });
}

/** Asks the first live peer (from `start`) for the node list; with none left, communication is up. */
function sendReqnodes(c: Ctx, start: number): void {
  const s = c.s;
  if (s.gotReqnodesReply) return;
  if (start >= s.nodeOrder.length) start = 0;
  let i = start;
  let dest: NodeName | undefined;
  for (; i < s.nodeOrder.length; i++) {
    const p = s.peers[s.nodeOrder[i]!]!;
    if (p.status !== 'dead' && p.name !== s.config.self) {
      dest = p.name;
      break;
    }
  }
  if (dest === undefined) {
    s.gotReqnodesReply = true;
    s.reqnodesAt = undefined;
    commNowUp(c);
    return;
  }
  sendLocal(c, reqnodesBody(dest));
  s.reqnodesAt = c.now + s.config.reqnodesInterval;
  s.reqnodesIndex = i;
}

function checkCommIsUp(c: Ctx): void {
  const s = c.s;
  if (s.linksUp) return;
  if (s.config.autojoin !== 'none' && c.now - s.startAt < s.config.initdead) return;
  const heard = s.nodeOrder.filter((n) => s.peers[n]!.anyPacketsYet || s.peers[n]!.status === 'dead').length;
  if (heard >= s.nodeOrder.length) {
    s.linksUp = true;
    // From here peers are judged by deadtime instead of initdead. One whose first packet was not a status (its
    // statuses were lost) still carries our start time: give it a full deadtime from now rather than killing it
    // on the spot, which heartbeat would do and then see it "return after partition".
    for (const n of s.nodeOrder) {
      const p = s.peers[n]!;
      if (p.status !== 'dead' && p.statusSeqno === 0 && n !== s.config.self) mut(s, n)!.localLastUpdate = c.now;
    }
    if (s.flowControl) sendReqnodes(c, 0);
    else commNowUp(c);
  }
}

// ---------------------------------------------------------------- sequence tracking

function removeRexmitRequests(s: MembershipState, node: NodeName, seq?: number): void {
  s.rexmitRequests = s.rexmitRequests.filter((r) => !(r.node === node && (seq === undefined || r.seq === seq)));
}

function resetSeqtrack(s: MembershipState, p: PeerTrack): void {
  removeRexmitRequests(s, p.name);
  p.missing = [];
  p.firstMissing = 0;
  p.lastSeq = undefined;
  p.ackseq = 0;
}

function sendAckIfNeeded(c: Ctx, p: PeerTrack, seq: number): void {
  if (!c.s.flowControl) return;
  if ((p.firstMissing !== 0 && seq > p.firstMissing) || seq % ACK_MSG_DIV !== p.ackTrigger) return;
  sendLocal(c, ackBody(p.name, seq));
}

/** If `seq` is one we were missing from `p`, forget it (and maybe ack past the filled gap). heartbeat's is_lost_packet. */
function isLostPacket(c: Ctx, p: PeerTrack, seq: number): boolean {
  const idx = p.missing.indexOf(seq);
  if (idx < 0) return false;
  removeRexmitRequests(c.s, p.name, seq);
  p.missing.splice(idx, 1);
  if (p.missing.length === 0) {
    c.log('info', `No pkts missing from ${p.name}!`);
    p.firstMissing = 0;
  }
  if (c.s.flowControl && seq === p.firstMissing) {
    const oldFirst = p.firstMissing;
    p.firstMissing = p.missing.length ? Math.min(...p.missing) : 0;
    const last = p.firstMissing === 0 ? (p.lastSeq ?? 0) : p.firstMissing - 1;
    const base = Math.floor(last / ACK_MSG_DIV);
    const ackSeq = last % ACK_MSG_DIV >= p.ackTrigger ? base * ACK_MSG_DIV + p.ackTrigger : (base - 1) * ACK_MSG_DIV + p.ackTrigger;
    if (ackSeq >= oldFirst) sendAckIfNeeded(c, p, ackSeq);
  }
  return true;
}

function rexmitDelay(s: MembershipState): number {
  const max = s.config.rexmitDelayMax;
  const min = max < 100 ? 0 : 50;
  return min + Math.round(nextRandom(s) * (max - min));
}

type Verdict = { action: 'keep' | 'duplicate' | 'consumed' } | { action: 'drop'; reason: DropReason };

/** heartbeat's should_drop_message: sequence, generation and addressing checks for one packet. */
function shouldDropMessage(c: Ctx, p: PeerTrack, m: HaMessage, type: string): Verdict {
  const s = c.s;
  const self = s.config.self;
  const to = getString(m, F.to);
  if (type.startsWith(NOSEQ_PREFIX)) {
    if (type === MsgType.NakRexmit) {
      const nseq = parseHex(getString(m, F.firstseq));
      if (nseq === undefined || nseq <= 0) {
        c.log('error', 'should_drop_message: bad nak seq number');
        return { action: 'drop', reason: 'malformed' };
      }
      if (to === undefined || to === self) {
        c.log('error', `Irretrievably lost packet: node ${p.name} seq ${nseq}`);
        s.counters.naksReceived++;
      }
      isLostPacket(c, p, nseq);
      return { action: 'consumed' };
    }
    return to === undefined || to === self ? { action: 'keep' } : { action: 'drop', reason: 'not-for-us' };
  }
  const isStatus = type === MsgType.Status;
  const seq = parseHex(getString(m, F.seq));
  if (seq === undefined || seq <= 0) {
    c.log('error', 'should_drop_message: bad sequence number');
    return { action: 'drop', reason: 'malformed' };
  }
  const cgen = getString(m, F.generation);
  const gen = cgen === undefined ? 0 : parseHex(cgen);
  if (gen === undefined) {
    c.log('error', 'should_drop_message: bad generation number');
    return { action: 'drop', reason: 'malformed' };
  }
  const touuid = getBinary(m, F.toUuid);
  const isToUs = touuid ? sameUuid(touuid, s.config.uuid) : to === undefined || to === self;
  const mine = (): Verdict => (isToUs ? { action: 'keep' } : { action: 'drop', reason: 'not-for-us' });
  let isRestart = false;
  let isHealed = false;

  if (gen < p.generation) {
    c.log('error', `should_drop_message: attempted replay attack [${p.name}]? [gen = ${gen}, curgen = ${p.generation}]`);
    return { action: 'drop', reason: 'replay' };
  } else if (isStatus) {
    if (gen === p.generation && gen > 0) {
      if (p.status === 'dead') {
        if (seq <= p.statusSeqno) return { action: 'drop', reason: 'stale-status' };
        c.log('crit', `Cluster node ${p.name} returning after partition.`);
        c.log('info', 'For information on cluster partitions, See URL: http://linux-ha.org/wiki/Split_Brain');
        c.log('warn', 'Deadtime value may be too small.');
        c.log('info', 'See FAQ for information on tuning deadtime.');
        c.log('info', 'URL: http://linux-ha.org/wiki/FAQ#Heavy_Load');
        c.fx.push({ kind: 'partition-healed', node: p.name });
        isHealed = true;
      }
    } else if (gen > p.generation) {
      isRestart = true;
      if (p.generation > 0) {
        c.log('info', `Heartbeat restart on node ${p.name}`);
        c.fx.push({ kind: 'node-restarted', node: p.name, generation: asGeneration(gen) });
      }
      resetSeqtrack(s, p);
      p.rmtLastUpdate = 0;
      p.localLastUpdate = undefined;
      p.statusSeqno = 0;
    }
    p.generation = gen;
  }

  if (p.lastSeq === undefined || seq === p.lastSeq + 1) {
    p.lastSeq = seq;
    sendAckIfNeeded(c, p, seq);
    return mine();
  }
  if (seq === p.lastSeq) return { action: 'duplicate' };
  if (seq > p.lastSeq) {
    const nlost = seq - (p.lastSeq + 1);
    c.log('warn', `${nlost} lost packet(s) for [${p.name}] [${p.lastSeq}:${seq}]`);
    s.counters.lostPackets += nlost;
    if (nlost > FLOWCONTROL_LIMIT) {
      resetSeqtrack(s, p);
      p.lastSeq = seq;
      c.log('error', 'lost a lot of packets!');
      return mine();
    }
    for (let k = p.lastSeq + 1; k < seq; k++) {
      s.rexmitRequests.push({ node: p.name, seq: k, due: c.now + rexmitDelay(s) });
      if (!p.missing.includes(k)) p.missing.push(k);
    }
    p.missing.sort((a, b) => a - b);
    if (p.missing.length > s.config.historySize) {
      // Forget the oldest gaps (heartbeat overwrites the lowest missing number) and stop asking for them.
      const forgotten = new Set(p.missing.splice(0, p.missing.length - s.config.historySize));
      s.rexmitRequests = s.rexmitRequests.filter((r) => !(r.node === p.name && forgotten.has(r.seq)));
    }
    if (p.firstMissing === 0 || p.firstMissing > p.lastSeq + 1) p.firstMissing = p.lastSeq + 1;
    p.lastSeq = seq;
    return mine();
  }
  // Older than the newest we have: a packet we were missing (a retransmission), or a duplicate.
  if (isLostPacket(c, p, seq)) return mine();
  if (isHealed || isRestart) {
    sendAckIfNeeded(c, p, seq);
    p.rmtLastUpdate = parseHex(getString(m, F.time)) ?? 0;
    resetSeqtrack(s, p);
    p.lastSeq = seq;
    return mine();
  }
  return { action: 'duplicate' };
}

// ---------------------------------------------------------------- receiving

function changeLink(c: Ctx, p: PeerTrack, medium: string, status: LinkStatus): void {
  p.links[medium]!.status = status;
  c.log('info', `Link ${p.name}:${medium} ${status}.`);
  c.fx.push({ kind: 'link-status', node: p.name, medium, status });
}

function markNodeDead(c: Ctx, p: PeerTrack): void {
  c.log('warn', `node ${p.name}: is dead`);
  const previous = p.status;
  p.status = 'dead';
  c.fx.push({ kind: 'node-status', node: p.name, status: 'dead', previous });
  p.rmtLastUpdate = 0;
  p.anyPacketsYet = false;
  resetSeqtrack(c.s, p);
}

function drop(c: Ctx, p: PeerTrack | undefined, reason: DropReason): void {
  if (p && p.name === c.s.config.self && (reason === 'duplicate' || reason === 'not-for-us')) c.s.counters.ownEchoes++;
  else c.s.counters.dropped[reason]++;
}

/** heartbeat's process_clustermsg: one packet, from a medium or looped back from ourselves (medium undefined). */
function receive(c: Ctx, m: HaMessage, medium: string | undefined, address: string | undefined, loopback: boolean): void {
  const s = c.s;
  const iface = medium ?? '?';
  const type = getString(m, F.type);
  const from = getString(m, F.orig);
  const ts = getString(m, F.time);
  if (from === undefined || ts === undefined || type === undefined) {
    c.log('error', `process_clustermsg: missing from/ts/type: iface ${iface}, from ${from ?? '<?>'}`);
    return drop(c, undefined, 'malformed');
  }
  const cseq = getString(m, F.seq);
  let seqno = 0;
  if (cseq !== undefined) {
    const v = parseHex(cseq);
    if (v === undefined) {
      c.log('error', `process_clustermsg: has bad cseq: iface ${iface}, from ${from}`);
      return drop(c, undefined, 'malformed');
    }
    seqno = v;
  } else if (!type.startsWith(NOSEQ_PREFIX)) {
    c.log('error', `process_clustermsg: missing seqno: iface ${iface}, from ${from}`);
    return drop(c, undefined, 'malformed');
  }
  const msgtime = parseHex(ts);
  if (!msgtime) return drop(c, undefined, 'malformed');

  let p = mut(s, from);
  if (!p) {
    if (s.config.autojoin === 'none') {
      c.log('error', `process_status_message: bad node [${from}] in message`);
      return drop(c, undefined, 'unknown-node');
    }
    // heartbeat adds the node and ignores this first packet; its next one is processed normally.
    c.log('info', `process_clustermsg: Adding new node [${from}] to configuration.`);
    addNode(c, nodeName(from));
    const np = mut(s, from)!;
    const uuid = getBinary(m, F.origUuid);
    if (uuid) np.uuid = uuid;
    return;
  }
  p.anyPacketsYet = true;

  const v = shouldDropMessage(c, p, m, type);
  if (v.action === 'drop') return drop(c, p, v.reason);
  // After the replay check: a replayed packet from before a uuid change must not flip the uuid back.
  const uuid = getBinary(m, F.origUuid);
  if (uuid && uuid.length === 16) noteUuid(c, p, uuid);
  if (v.action === 'consumed') return;
  if (medium !== undefined) {
    const link = p.links[medium];
    if (link) {
      link.lastUpdate = c.now;
      if (address !== undefined) link.address = address;
      if (link.status !== 'up') changeLink(c, p, medium, 'up');
    }
  }
  if (v.action === 'duplicate') return drop(c, p, 'duplicate');

  dispatch(c, p, m, type, msgtime, seqno, loopback);
  if (!s.linksUp) checkCommIsUp(c);
}

function addNode(c: Ctx, name: NodeName): void {
  const s = c.s;
  if (s.peers[name]) return;
  s.nodeOrder.push(name);
  s.peers[name] = newPeer(s, name, c.now);
  s.deletedNodes = s.deletedNodes.filter((n) => n !== name);
  c.fx.push({ kind: 'node-added', node: name });
}

function dispatch(c: Ctx, p: PeerTrack, m: HaMessage, type: string, msgtime: number, seqno: number, loopback: boolean): void {
  const self = c.s.config.self;
  switch (type) {
    case MsgType.Status:
      return handleStatus(c, p, m, msgtime, seqno);
    case MsgType.Ack:
      return handleAck(c, p, m);
    case MsgType.ReqNodes:
      if (p.name === self) return c.log('error', 'HBDoMsg_T_REQNODES: get reqnodes msg from myself!');
      return sendLocal(c, repnodesBody(p.name, c.s.nodeOrder, c.s.deletedNodes));
    case MsgType.RepNodes:
      if (p.name === self) return;
      return handleRepnodes(c, m);
    case MsgType.Rexmit:
      if (p.name === self) return;
      return handleRexmit(c, p, m);
    default:
      if (type === MsgType.ShutDone && p.name !== self) c.fx.push({ kind: 'node-shutdown', node: p.name });
      c.fx.push({ kind: 'deliver', message: m, from: p.name, loopback });
  }
}

function handleStatus(c: Ctx, p: PeerTrack, m: HaMessage, msgtime: number, seqno: number): void {
  const s = c.s;
  const isSelf = p.name === s.config.self;
  const status = getString(m, F.status);
  if (status === undefined) return c.log('error', 'HBDoMsg_T_STATUS: status update without st field');
  // heartbeat ignores an older status only when its `ts` is older too; a retransmitted status from the same second
  // would set the node back (active -> up -> active). The sequence number alone decides here.
  if (seqno < p.statusSeqno) return drop(c, p, 'stale-status');
  if (!isSelf && s.flowControl && getString(m, F.protocol) === undefined) {
    c.log('info', 'flow control disabled due to different version heartbeat');
    s.flowControl = false;
  }
  if (p.localLastUpdate !== undefined && !isSelf) {
    const interval = c.now - p.localLastUpdate;
    if (s.stallAt !== undefined && p.localLastUpdate < s.stallAt && interval > s.config.warntime) {
      // The silence spans our own stall: we could not read, it proves nothing about the peer (heartbeat would
      // declare it dead here when above deadtime).
      c.log('warn', `Late heartbeat: Node ${p.name}: interval ${interval} ms (we were stopped ${s.stallLength} ms)`);
    } else if (interval > s.config.deadtime) {
      c.log('crit', `Late heartbeat: Node ${p.name}: interval ${interval} ms (> deadtime)`);
      if (p.status !== 'dead') markNodeDead(c, p);
    } else if (interval > s.config.warntime) {
      c.log('warn', `Late heartbeat: Node ${p.name}: interval ${interval} ms`);
    }
  }
  if (!isSelf && p.status !== status) {
    if (!NODE_STATUSES.includes(status)) return c.log('error', `HBDoMsg_T_STATUS: unknown status [${status}] from ${p.name}`);
    c.log('info', `Status update for node ${p.name}: status ${status}`);
    const previous = p.status;
    p.status = status as NodeStatus;
    c.fx.push({ kind: 'node-status', node: p.name, status: p.status, previous });
  }
  const digest = getString(m, CONFIG_DIGEST_FIELD);
  if (!isSelf && digest !== p.configDigest) {
    c.fx.push({ kind: 'peer-config', node: p.name, digest, previous: p.configDigest });
    p.configDigest = digest;
  }
  const dt = parseHex(getString(m, F.deadtime));
  if (dt !== undefined && dt > 0) p.deadtime = dt;
  p.rmtLastUpdate = msgtime;
  p.localLastUpdate = c.now;
  p.statusSeqno = seqno;
}

function handleAck(c: Ctx, p: PeerTrack, m: HaMessage): void {
  const s = c.s;
  if (getString(m, F.to) !== s.config.self) return;
  const ackseq = parseHex(getString(m, F.ackseq));
  if (ackseq === undefined || ackseq <= p.ackseq) return;
  if (ackseq > s.seq) {
    return c.log('error', `HBDoMsg_T_ACK: corrupted ackseq current hiseq = ${s.seq} ackseq =${ackseq} in this message`);
  }
  p.ackseq = ackseq;
  // Keep what some live node has not acked yet; heartbeat's flow control frees the rest.
  const live = s.nodeOrder.map((n) => s.peers[n]!).filter((x) => x.status !== 'dead');
  const minAck = Math.min(...live.map((x) => x.ackseq));
  if (live.length >= 2 && minAck > 0) {
    const keepFrom = s.history.findIndex((e) => e.seq >= minAck);
    if (keepFrom > 0) s.history.splice(0, keepFrom);
  }
}

function handleRepnodes(c: Ctx, m: HaMessage): void {
  const s = c.s;
  const listed = getString(m, F.nodelist);
  if (listed !== undefined) {
    const names = splitNodeList(listed);
    for (const n of names) {
      if (!s.peers[n]) {
        c.log('info', `hb_add_one_node: Adding new node[${n}] to configuration.`);
        addNode(c, nodeName(n));
      }
    }
    for (const n of [...s.nodeOrder]) {
      if (n === s.config.self || names.includes(n)) continue;
      c.log('info', `Removing node [${n}] from configuration.`);
      s.nodeOrder = s.nodeOrder.filter((x) => x !== n);
      removeRexmitRequests(s, n);
      delete s.peers[n];
      c.fx.push({ kind: 'node-removed', node: n });
    }
    s.gotReqnodesReply = true;
    s.reqnodesAt = undefined;
  }
  const del = getString(m, F.delnodelist);
  if (del !== undefined) {
    s.deletedNodes = splitNodeList(del).map(nodeName);
    s.gotReqnodesReply = true;
    s.reqnodesAt = undefined;
  }
  commNowUp(c);
}

function nak(c: Ctx, to: NodeName, seq: number, reason: string): void {
  c.log('error', `Cannot rexmit pkt ${seq} for ${to}: ${reason}`);
  c.s.counters.naksSent++;
  sendLocal(c, nakBody(to, seq, reason));
}

/** heartbeat's process_rexmit: resend what a peer missed, from our history, at most 50 at a time. */
function handleRexmit(c: Ctx, p: PeerTrack, m: HaMessage): void {
  const s = c.s;
  if (getString(m, F.to) !== undefined && getString(m, F.to) !== s.config.self) return;
  const first = parseDec(getString(m, F.firstseq));
  const last = parseDec(getString(m, F.lastseq));
  if (first === undefined || last === undefined || first <= 0 || last <= 0 || first > last) {
    return c.log('error', 'Invalid rexmit seqnos');
  }
  let sent = 0;
  let naks = 0;
  for (let seq = Math.max(first, p.ackseq + 1); seq <= last; seq++) {
    const lowest = s.history[0]?.seq ?? s.seq + 1;
    if (seq < lowest) {
      if (++naks > MAX_REXMIT_BATCH) return;
      nak(c, p.name, seq, 'seqno too low');
      continue;
    }
    if (seq > s.seq) {
      c.log('warn', `Rexmit of seq ${seq} requested. ${s.seq} is max.`);
      return;
    }
    const idx = s.history.findIndex((e) => e.seq === seq);
    const entry = s.history[idx];
    if (!entry) {
      if (++naks > MAX_REXMIT_BATCH) return;
      nak(c, p.name, seq, 'seqno not found');
      continue;
    }
    if (entry.lastRexmit !== undefined && c.now - entry.lastRexmit < s.config.rexmitDelayMax - 10) continue;
    if (++sent > MAX_REXMIT_BATCH) return;
    s.history[idx] = { ...entry, lastRexmit: c.now };
    s.counters.rexmitsSent++;
    // heartbeat's wording, which it logs only with debugging on: ours goes to the debugfile.
    c.log('debug', `Retransmitting pkt ${seq}`);
    c.fx.push({ kind: 'send', message: entry.message });
  }
}

/**
 * heartbeat's update_tables (hb_uuid.c), run on every packet's `srcuuid`. A uuid we knew under another name means that
 * node was renamed but kept its hb_uuid (the seeds' "changing the hostname": delete hb_uuid and restart): heartbeat's
 * warning, and the old name loses the uuid so nothing addressed to it goes to the renamed node. A known name with a new
 * uuid is a node whose hb_uuid was deleted or replaced: heartbeat's error, and the new uuid is used from now on.
 */
function noteUuid(c: Ctx, p: PeerTrack, uuid: Uint8Array): void {
  const s = c.s;
  if (p.uuid && sameUuid(p.uuid, uuid)) return;
  for (const n of s.nodeOrder) {
    const other = s.peers[n]!;
    if (other === p || !other.uuid || !sameUuid(other.uuid, uuid)) continue;
    c.log('warn', `nodename ${other.name} uuid changed to ${p.name}`);
    if (other.name !== s.config.self) mut(s, n)!.uuid = undefined;
  }
  if (p.uuid) c.log('error', `node ${p.name} changed its uuid`);
  p.uuid = uuid;
}

// ---------------------------------------------------------------- timers

/** Dead time that applies to `p` now: initdead until every node has been heard once, then what it asked for. */
function deadlineFor(s: MembershipState, p: PeerTrack): number {
  return s.linksUp ? p.deadtime : s.config.initdead;
}

/** heartbeat's check_for_timeouts: nodes first, then links. A node is dead after exactly its dead time of silence. */
function checkForTimeouts(c: Ctx): void {
  const s = c.s;
  if (s.stallGraceUntil !== undefined && c.now < s.stallGraceUntil) return;
  const others = s.nodeOrder.filter((n) => n !== s.config.self);
  for (const n of others) {
    const p = s.peers[n]!;
    if (p.status === 'dead') continue;
    const last = p.localLastUpdate ?? -Infinity;
    if (c.now - last >= deadlineFor(s, p)) markNodeDead(c, mut(s, n)!);
  }
  for (const n of others) {
    for (const medium of s.config.media) {
      const p = s.peers[n]!;
      const l = p.links[medium]!;
      if (l.status === 'dead') continue;
      if (c.now - l.lastUpdate >= deadlineFor(s, p)) changeLink(c, mut(s, n)!, medium, 'dead');
    }
  }
}

function runRexmitRequests(c: Ctx): void {
  const s = c.s;
  const due = s.rexmitRequests.filter((r) => r.due <= c.now);
  if (!due.length) return;
  s.rexmitRequests = s.rexmitRequests.filter((r) => r.due > c.now);
  for (const r of due) {
    const p = s.peers[r.node];
    // No point asking a node that is not up; heartbeat drops the request then.
    if (!p || (p.status !== 'up' && p.status !== 'active')) continue;
    s.counters.rexmitRequestsSent++;
    // heartbeat logs no line here; ours (debugfile only) pairs with the sender's "Retransmitting pkt N".
    c.log('debug', `Requesting retransmission of pkt ${r.seq} from ${p.name}`);
    sendLocal(c, rexmitBody(p.name, r.seq));
    s.rexmitRequests.push({ node: r.node, seq: r.seq, due: c.now + s.config.rexmitDelayMax });
  }
}

function runTimers(c: Ctx): void {
  const s = c.s;
  if (c.now >= s.nextStatusAt) {
    sendStatus(c);
    s.nextStatusAt += s.config.keepalive;
    if (s.nextStatusAt <= c.now) s.nextStatusAt = c.now + s.config.keepalive;
  }
  if (s.boostUntil !== undefined && c.now >= s.boostUntil) {
    s.boostUntil = undefined;
    sendStatus(c);
  }
  checkForTimeouts(c);
  if (!s.linksUp) checkCommIsUp(c);
  if (s.reqnodesAt !== undefined && c.now >= s.reqnodesAt) sendReqnodes(c, s.reqnodesIndex);
  runRexmitRequests(c);
}

/** The earliest moment something is due: our next status, a death or link deadline, a request to repeat. */
function nextWake(s: MembershipState, now: number): number {
  let at = s.nextStatusAt;
  const consider = (t: number | undefined): void => {
    if (t !== undefined && t < at) at = t;
  };
  const grace = s.stallGraceUntil !== undefined && s.stallGraceUntil > now ? s.stallGraceUntil : -Infinity;
  const deadline = (t: number): void => consider(Math.max(t, grace));
  consider(s.boostUntil);
  consider(s.reqnodesAt);
  for (const r of s.rexmitRequests) consider(r.due);
  if (!s.linksUp && s.config.autojoin !== 'none' && s.startAt + s.config.initdead > now) consider(s.startAt + s.config.initdead);
  for (const n of s.nodeOrder) {
    const p = s.peers[n]!;
    if (p.name === s.config.self) continue;
    const d = deadlineFor(s, p);
    if (p.status !== 'dead') deadline((p.localLastUpdate ?? now) + d);
    for (const l of Object.values(p.links)) if (l.status !== 'dead') deadline(l.lastUpdate + d);
  }
  // Whatever was due at `now` has just been handled; never ask to be woken in the past (a busy loop).
  return at > now ? at : now + 1;
}

/**
 * A step far later than the wake-up we asked for means we could not run (SIGSTOP, swap, starved CPU): we also
 * could not read peers' packets, so their silence proves nothing yet. No one is declared dead for `stallGrace`,
 * time for the packets waiting in our socket and the peers' next heartbeats to arrive.
 */
function handleStall(c: Ctx, late: number): void {
  const s = c.s;
  s.counters.stalls++;
  s.stallAt = c.now;
  s.stallLength = Math.round(late);
  s.stallGraceUntil = c.now + s.config.stallGrace;
  c.log('warn', `Membership timers ran ${Math.round(late)} ms late (process stopped or starved?): peers get ${s.config.stallGrace} ms to be heard before any is declared dead`);
}

function start(c: Ctx): void {
  const s = c.s;
  s.started = true;
  s.startAt = c.now;
  s.nextStatusAt = c.now + s.config.keepalive;
  s.boostUntil = c.now + s.config.deadtimeBoostFor;
  for (const n of s.nodeOrder) {
    const p = mut(s, n)!;
    p.localLastUpdate = c.now;
    for (const l of Object.values(p.links)) l.lastUpdate = c.now;
  }
  // As heartbeat's master_control_process: raise our advertised dead time (status still init), go up, send again.
  sendStatus(c);
  setLocalStatus(c, 'up');
  sendStatus(c);
}

/**
 * The membership machine: applies one event at monotonic time `now` and returns the new state and the effects
 * to carry out, in order. Pure: the input state is not modified. Every step ends with a `wake-at` effect
 * (unless stopped) telling when to call again with a tick.
 */
export function step(state: MembershipState, event: MembershipEvent, now: Millis): StepResult<MembershipState> {
  const s = draft(state);
  const t = Math.max(now, s.lastNow);
  const c = new Ctx(s, t);
  if (s.stopped) {
    if (event.kind === 'receive') s.counters.dropped['after-shutdown']++;
    return { state: s, effects: [] };
  }
  if (event.kind === 'shutdown') {
    s.stopped = true;
    s.lastNow = t;
    return { state: s, effects: [{ kind: 'node-shutdown', node: s.config.self }] };
  }
  if (!s.started) {
    start(c);
  } else {
    const late = t - s.wakeAt;
    if (late > s.config.stallThreshold) handleStall(c, late);
  }
  s.lastNow = t;
  // Timers first: a packet processed at `now` must not hide a deadline that passed before it arrived.
  if (event.kind !== 'start') runTimers(c);
  switch (event.kind) {
    case 'tick':
      if (event.loadavg !== undefined) s.loadavg = event.loadavg;
      break;
    case 'receive':
      receive(c, event.message, event.medium, event.address, false);
      break;
    case 'send':
      if (getString(event.message, F.type) === undefined) c.log('error', 'send_cluster_msg: Invalid message (no type)');
      else sendLocal(c, event.message.fields);
      break;
    case 'config-digest':
      s.config = { ...s.config, configDigest: event.digest };
      break;
    case 'start':
      break;
  }
  s.wakeAt = nextWake(s, t);
  c.fx.push({ kind: 'wake-at', at: millis(s.wakeAt) });
  return { state: s, effects: c.fx };
}

// ---------------------------------------------------------------- queries

/** A node's current status, or undefined if it is not in the configuration. */
export function nodeStatus(s: MembershipState, node: string): NodeStatus | undefined {
  return s.peers[node]?.status;
}

/** One link's current status. */
export function linkStatus(s: MembershipState, node: string, medium: string): LinkStatus | undefined {
  return s.peers[node]?.links[medium]?.status;
}

/** The generation we last saw from `node` (0 if none yet). */
export function nodeGeneration(s: MembershipState, node: string): Generation | undefined {
  const p = s.peers[node];
  return p ? asGeneration(p.generation) : undefined;
}

/** Nodes currently up or active, ourselves included, in configuration order. */
export function liveNodes(s: MembershipState): NodeName[] {
  return s.nodeOrder.filter((n) => {
    const st = s.peers[n]!.status;
    return st === 'up' || st === 'active';
  });
}
