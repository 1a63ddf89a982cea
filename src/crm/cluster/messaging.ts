// CRM messaging as a pure state machine: per-sender sequence numbers, in-order delivery, retransmission requests,
// compressed payloads split into fragments and reassembled within bounds. Bad frames are dropped and counted.
import type { Millis } from '../../types.js';
import { packPayload, unpackPayload, type CrmFrame, type DataFrame } from './frame.js';

/** Tunables, defaults in DEFAULT_MESSAGING_CONFIG. */
export interface MessagingConfig {
  /** Largest compressed slice per fragment: far below heartbeat's MAXMSG (256 KiB) and one UDP datagram (64 KiB). */
  readonly fragmentBytes: number;
  /** Fragments a sender keeps for retransmission (heartbeat keeps MAXMSGHIST = 500 messages). */
  readonly historySize: number;
  /** Out-of-order fragments a receiver holds per sender; a gap wider than this starts the stream over. */
  readonly maxBuffered: number;
  /** Largest payload after decompression: a bigger (or hostile) message is dropped, never inflated past it. */
  readonly maxMessageBytes: number;
  /** How long a receiver waits before asking again for the same missing fragments. */
  readonly rexmitIntervalMs: number;
  /** For how long after its last data a sender announces its next sequence number (a lost tail is noticed). */
  readonly announceForMs: number;
}

export const DEFAULT_MESSAGING_CONFIG: MessagingConfig = {
  fragmentBytes: 32 * 1024, historySize: 1024, maxBuffered: 1024, maxMessageBytes: 32 * 1024 * 1024, rexmitIntervalMs: 200, announceForMs: 2_000,
};

/** One sender's stream as a receiver tracks it. */
interface Stream {
  readonly inc: number;
  /** The next sequence number to deliver. */
  readonly expected: number;
  /** Fragments that arrived ahead of `expected`. */
  readonly ahead: ReadonlyMap<number, DataFrame>;
  /** The fragments of the message being reassembled, in order. */
  readonly partial: readonly DataFrame[];
  /** When missing fragments were last asked for. */
  readonly askedAt?: Millis;
}

/** Why frames were dropped, each counted (`lifeline status` shows them as crm.dropped.*). */
export type MessagingDrop = 'malformed' | 'stale-incarnation' | 'duplicate' | 'orphan-fragment' | 'too-large' | 'undecodable' | 'lost' | 'gap-too-wide';

export interface MessagingCounters {
  sent: number;
  fragmentsSent: number;
  delivered: number;
  retransmitted: number;
  rexmitRequests: number;
  readonly dropped: Partial<Record<MessagingDrop, number>>;
}

export interface MessagingState {
  readonly self: string;
  /** This process's incarnation (the heartbeat generation): a restarted sender begins a fresh stream. */
  readonly inc: number;
  readonly nextSeq: number;
  /** The last fragments sent, oldest first, for retransmission. */
  readonly history: readonly DataFrame[];
  readonly streams: ReadonlyMap<string, Stream>;
  /** Time of the last data sent (announces run for announceForMs after it). */
  readonly lastDataAt?: Millis;
  readonly counters: MessagingCounters;
}

export type MessagingEvent =
  /** Send `payload` to `to` (one node) or to every node. */
  | { readonly type: 'send'; readonly to?: string; readonly payload: unknown }
  /** A frame from `from` (already authenticated by the wire layer); a string is a frame that did not parse. */
  | { readonly type: 'frame'; readonly from: string; readonly frame: CrmFrame | string }
  /** `node` left this partition (dead or restarted): its stream starts over when it talks again. */
  | { readonly type: 'forget'; readonly node: string }
  | { readonly type: 'tick' };

export type MessagingEffect =
  | { readonly kind: 'transmit'; readonly frame: CrmFrame }
  /** A whole message for this node, in its sender's order. */
  | { readonly kind: 'deliver'; readonly from: string; readonly payload: unknown }
  /** Messages of `from` were lost for good (not kept any more, or bad): the layer above resynchronises. */
  | { readonly kind: 'lost'; readonly from: string; readonly count: number }
  | { readonly kind: 'log'; readonly level: 'debug' | 'info' | 'warn'; readonly text: string };

export function initialMessaging(self: string, inc: number): MessagingState {
  return { self, inc, nextSeq: 1, history: [], streams: new Map(), counters: { sent: 0, fragmentsSent: 0, delivered: 0, retransmitted: 0, rexmitRequests: 0, dropped: {} } };
}

interface Out { s: MessagingState; fx: MessagingEffect[] }

function drop(o: Out, why: MessagingDrop, n = 1): void {
  const d = o.s.counters.dropped;
  o.s = { ...o.s, counters: { ...o.s.counters, dropped: { ...d, [why]: (d[why] ?? 0) + n } } };
}
const count = (o: Out, k: 'sent' | 'fragmentsSent' | 'delivered' | 'retransmitted' | 'rexmitRequests', n = 1) => {
  o.s = { ...o.s, counters: { ...o.s.counters, [k]: o.s.counters[k] + n } };
};

function setStream(o: Out, from: string, st: Stream | undefined): void {
  const streams = new Map(o.s.streams);
  if (st) streams.set(from, st); else streams.delete(from);
  o.s = { ...o.s, streams };
}

/** One step. Pure; `now` is the injected clock. */
export function stepMessaging(s: MessagingState, ev: MessagingEvent, now: Millis, cfg: MessagingConfig = DEFAULT_MESSAGING_CONFIG): { state: MessagingState; effects: MessagingEffect[] } {
  const o: Out = { s, fx: [] };
  switch (ev.type) {
    case 'send': send(o, ev.to, ev.payload, now, cfg); break;
    case 'forget': setStream(o, ev.node, undefined); break;
    case 'tick': tick(o, now, cfg); break;
    case 'frame':
      if (ev.from === s.self) break; // our own frames looped back by membership
      if (typeof ev.frame === 'string') {
        drop(o, 'malformed');
        o.fx.push({ kind: 'log', level: 'warn', text: `dropped CRM message from ${ev.from}: ${ev.frame}` });
      } else onFrame(o, ev.from, ev.frame, now, cfg);
      break;
  }
  return { state: o.s, effects: o.fx };
}

function send(o: Out, to: string | undefined, payload: unknown, now: Millis, cfg: MessagingConfig): void {
  const slices = packPayload(payload, cfg.fragmentBytes);
  let seq = o.s.nextSeq;
  const frames: DataFrame[] = slices.map((data, frag) => ({ kind: 'data', inc: o.s.inc, seq: seq++, frag, nfrag: slices.length, data, ...(to !== undefined ? { to } : {}) }));
  const history = [...o.s.history, ...frames];
  if (history.length > cfg.historySize) history.splice(0, history.length - cfg.historySize);
  o.s = { ...o.s, nextSeq: seq, history, lastDataAt: now };
  for (const f of frames) o.fx.push({ kind: 'transmit', frame: f });
  count(o, 'sent');
  count(o, 'fragmentsSent', frames.length);
}

function tick(o: Out, now: Millis, cfg: MessagingConfig): void {
  if (o.s.lastDataAt !== undefined && now - o.s.lastDataAt <= cfg.announceForMs) o.fx.push({ kind: 'transmit', frame: { kind: 'announce', inc: o.s.inc, next: o.s.nextSeq } });
  for (const [from, st] of o.s.streams) {
    const missing = firstGap(st);
    if (missing && (st.askedAt === undefined || now - st.askedAt >= cfg.rexmitIntervalMs)) ask(o, from, st, missing, now);
  }
}

/** The first run of missing sequence numbers below the highest fragment held ahead, if any. */
function firstGap(st: Stream): { first: number; last: number } | undefined {
  if (!st.ahead.size) return undefined;
  let last = st.expected;
  while (!st.ahead.has(last)) last++;
  return { first: st.expected, last: last - 1 };
}

function ask(o: Out, from: string, st: Stream, gap: { first: number; last: number }, now: Millis): void {
  o.fx.push({ kind: 'transmit', frame: { kind: 'rexmit', of: from, inc: st.inc, first: gap.first, last: gap.last } });
  count(o, 'rexmitRequests');
  setStream(o, from, { ...st, askedAt: now });
}

function onFrame(o: Out, from: string, f: CrmFrame, now: Millis, cfg: MessagingConfig): void {
  switch (f.kind) {
    case 'rexmit': {
      if (f.of !== o.s.self || f.inc !== o.s.inc) return; // another sender's, or our previous life's
      // At most one history's worth per request: a hostile range cannot make us send without end.
      const held = new Map(o.s.history.map((h) => [h.seq, h]));
      const last = Math.min(f.last, f.first + cfg.historySize - 1, o.s.nextSeq - 1);
      let nakFirst: number | undefined;
      for (let q = f.first; q <= last; q++) {
        const h = held.get(q);
        if (h) { o.fx.push({ kind: 'transmit', frame: h }); count(o, 'retransmitted'); } else nakFirst ??= q;
        if (h && nakFirst !== undefined) { o.fx.push({ kind: 'transmit', frame: { kind: 'nak', inc: o.s.inc, first: nakFirst, last: q - 1 } }); nakFirst = undefined; }
      }
      if (nakFirst !== undefined) o.fx.push({ kind: 'transmit', frame: { kind: 'nak', inc: o.s.inc, first: nakFirst, last } });
      return;
    }
    case 'nak': {
      const st = o.s.streams.get(from);
      if (!st || st.inc !== f.inc || f.last < st.expected) return;
      // The sender does not keep them: skip the gap, dropping the message it cut into.
      const lostFrom = st.expected;
      const lost = f.last - lostFrom + 1;
      drop(o, 'lost', lost);
      o.fx.push({ kind: 'lost', from, count: lost });
      o.fx.push({ kind: 'log', level: 'warn', text: `CRM messages ${lostFrom}-${f.last} of ${from} are lost (no longer kept by ${from})` });
      const ahead = new Map([...st.ahead].filter(([q]) => q > f.last));
      advance(o, from, { ...st, expected: f.last + 1, ahead, partial: [], askedAt: undefined }, cfg);
      return;
    }
    case 'announce': {
      const st = streamFor(o, from, f.inc, f.next);
      if (!st) return;
      // Everything below `next` should have arrived: a lost tail shows as a gap up to it.
      if (f.next > st.expected && !st.ahead.has(f.next - 1)) {
        if (st.askedAt === undefined || now - st.askedAt >= cfg.rexmitIntervalMs) ask(o, from, st, { first: st.expected, last: f.next - 1 }, now);
      }
      return;
    }
    case 'data': {
      const st = streamFor(o, from, f.inc, f.seq - f.frag);
      if (!st) return;
      if (f.seq < st.expected || st.ahead.has(f.seq)) { drop(o, 'duplicate'); return; }
      if ((f.nfrag - 1) * cfg.fragmentBytes > cfg.maxMessageBytes || f.data.length > cfg.fragmentBytes) {
        drop(o, 'too-large');
        o.fx.push({ kind: 'log', level: 'warn', text: `dropped CRM fragment ${f.seq} from ${from}: ${f.nfrag} fragments of up to ${f.data.length} bytes exceed the bound` });
        return;
      }
      if (f.seq - st.expected >= cfg.maxBuffered) {
        // Too far ahead to hold the gap: start over at the message this fragment belongs to.
        drop(o, 'gap-too-wide', f.seq - st.expected);
        o.fx.push({ kind: 'lost', from, count: f.seq - st.expected });
        advance(o, from, { inc: st.inc, expected: f.seq - f.frag, ahead: new Map([[f.seq, f]]), partial: [] }, cfg);
        return;
      }
      const ahead = new Map(st.ahead);
      ahead.set(f.seq, f);
      const before = firstGap(st);
      const next = advance(o, from, { ...st, ahead }, cfg);
      const gap = next && firstGap(next);
      // A new gap is asked for at once; an old one waits for its retransmission interval.
      if (gap && (!before || gap.first !== before.first || next.askedAt === undefined || now - next.askedAt >= cfg.rexmitIntervalMs)) ask(o, from, next, gap, now);
      return;
    }
  }
}

/** The stream of `from` for incarnation `inc` (a new one for a node not heard before, or restarted); undefined for a stale one. */
function streamFor(o: Out, from: string, inc: number, startAt: number): Stream | undefined {
  const st = o.s.streams.get(from);
  if (st && st.inc === inc) return st;
  if (st && inc < st.inc) { drop(o, 'stale-incarnation'); return undefined; }
  const fresh: Stream = { inc, expected: Math.max(1, startAt), ahead: new Map(), partial: [] };
  setStream(o, from, fresh);
  return fresh;
}

/** Delivers whatever is now in order; returns the stream as left. */
function advance(o: Out, from: string, st: Stream, cfg: MessagingConfig): Stream {
  let { expected, partial } = st;
  const ahead = new Map(st.ahead);
  for (let f = ahead.get(expected); f; f = ahead.get(expected)) {
    ahead.delete(expected);
    expected++;
    if (f.frag !== partial.length || (partial.length && partial[0]!.nfrag !== f.nfrag)) {
      // A fragment whose predecessors were skipped (a nak, a fresh stream met mid-message): its message is gone.
      if (f.frag === 0) partial = [];
      else { drop(o, 'orphan-fragment'); partial = []; continue; }
    }
    partial = [...partial, f];
    if (partial.length < f.nfrag) continue;
    const whole = partial;
    partial = [];
    if (whole[0]!.to !== undefined && whole[0]!.to !== o.s.self) continue; // someone else's: numbered for order only
    if (whole.length * cfg.fragmentBytes > cfg.maxMessageBytes + cfg.fragmentBytes) { drop(o, 'too-large'); continue; }
    const p = unpackPayload(whole.map((x) => x.data), cfg.maxMessageBytes);
    if (!p.ok) {
      drop(o, 'undecodable');
      o.fx.push({ kind: 'log', level: 'warn', text: `dropped CRM message ${whole[0]!.seq} from ${from}: ${p.error}` });
      o.fx.push({ kind: 'lost', from, count: 1 });
      continue;
    }
    count(o, 'delivered');
    o.fx.push({ kind: 'deliver', from, payload: p.value });
  }
  const next: Stream = { inc: st.inc, expected, ahead, partial, ...(ahead.size && st.askedAt !== undefined ? { askedAt: st.askedAt } : {}) };
  setStream(o, from, next);
  return next;
}
