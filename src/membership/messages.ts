// The membership protocol's message shapes: field names, the order heartbeat writes them, and number formats.
// Building and reading fields happens here only, so the state machine speaks in typed values.
import type { Field, HaMessage } from '../wire/message.js';
import { F as WireF, getString } from '../wire/message.js';

/** Message types (`t`) the membership layer produces or consumes. The `NS_` ones carry no sequence number. */
export const MsgType = {
  Status: 'status',
  Ack: 'NS_ackmsg',
  Rexmit: 'NS_rexmit',
  NakRexmit: 'NS_nak_rexmit',
  ReqNodes: 'reqnodes',
  RepNodes: 'repnodes',
  ShutDone: 'shutdone',
} as const;

/** heartbeat's prefix for messages outside the sequence/retransmission protocol. */
export const NOSEQ_PREFIX = 'NS_';

/** Field names: the wire layer's (heartbeat's F_* constants), plus the node list ones only membership uses. */
export const F = { ...WireF, nodelist: 'nodelist', delnodelist: 'delnodelist' } as const;

/** The `protocol` value heartbeat 3.0.6 puts in status messages; its absence disables flow control (acks). */
export const PROTOCOL_VERSION = '1';
/** `ttl` heartbeat puts on every message (ring topologies; we never forward). */
export const DEFAULT_TTL = '3';

/** A string field. */
export const str = (name: string, value: string): Field => ({ name, type: 0, value });
/** A binary field (uuids). */
export const bin = (name: string, value: Uint8Array): Field => ({ name, type: 1, value });

/** Lower-case hex, as heartbeat prints seq, hg, ts, dt, ackseq (`%lx`). */
export const hex = (n: number): string => Math.floor(n).toString(16);

/** Parses heartbeat's hex integers strictly; undefined when the text is not one. */
export function parseHex(s: string | undefined): number | undefined {
  if (s === undefined || !/^[0-9a-fA-F]{1,13}$/.test(s)) return undefined;
  return parseInt(s, 16);
}

/** Parses decimal integers the way atoi() does for firstseq/lastseq (heartbeat writes them with %d). */
export function parseDec(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([+-]?\d{1,15})/.exec(s);
  return m ? parseInt(m[1]!, 10) : undefined;
}

/** Byte equality of two uuids. */
export function sameUuid(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The control fields heartbeat appends to every outgoing message (add_control_msg_fields), in its order. */
export interface ControlFields {
  readonly src: string;
  readonly srcuuid: Uint8Array;
  /** Absent for `NS_` messages. */
  readonly seq?: number;
  readonly generation: number;
  /** Wall-clock seconds. */
  readonly ts: number;
  /** The sender's /proc/loadavg line; absent for `NS_` messages. */
  readonly ld?: string;
  /** The addressee's uuid when the message has `dest` and we know it. */
  readonly destuuid?: Uint8Array;
}

/** Appends control fields after the message's own ones: destuuid, src, srcuuid, seq, hg, ts, ld, ttl. */
export function withControlFields(body: readonly Field[], c: ControlFields): HaMessage {
  const fields: Field[] = [...body];
  if (c.destuuid) fields.push(bin(F.toUuid, c.destuuid));
  fields.push(str(F.orig, c.src), bin(F.origUuid, c.srcuuid));
  if (c.seq !== undefined) fields.push(str(F.seq, hex(c.seq)));
  fields.push(str(F.generation, hex(c.generation)), str(F.time, hex(c.ts)));
  if (c.ld !== undefined) fields.push(str(F.load, c.ld));
  fields.push(str(F.ttl, DEFAULT_TTL));
  return { fields };
}

/** Lifeline's own status field: the digest of the sender's /etc/ha.d files (config/digest.ts). */
export const CONFIG_DIGEST_FIELD = 'llcfg';

/** Body of a status message: t, st, dt, protocol, and Lifeline's `llcfg` last when there is a digest. */
export const statusBody = (status: string, deadtimeMs: number, configDigest?: string): Field[] => [
  str(F.type, MsgType.Status),
  str(F.status, status),
  str(F.deadtime, hex(deadtimeMs)),
  str(F.protocol, PROTOCOL_VERSION),
  ...(configDigest === undefined ? [] : [str(CONFIG_DIGEST_FIELD, configDigest)]),
];

/** Body of an ack: t, dest, ackseq. */
export const ackBody = (to: string, ackseq: number): Field[] => [str(F.type, MsgType.Ack), str(F.to, to), str(F.ackseq, hex(ackseq))];

/** Body of a retransmission request for one sequence number (heartbeat asks one at a time, in decimal). */
export const rexmitBody = (to: string, seq: number): Field[] => [
  str(F.type, MsgType.Rexmit),
  str(F.to, to),
  str(F.firstseq, String(seq)),
  str(F.lastseq, String(seq)),
];

/** Body of a negative answer to a retransmission request: t, firstseq (hex), dest, info (reason). */
export const nakBody = (to: string, seq: number, reason: string): Field[] => [
  str(F.type, MsgType.NakRexmit),
  str(F.firstseq, hex(seq)),
  str(F.to, to),
  str(F.info, reason),
];

/** Body of a node list request: t, dest. */
export const reqnodesBody = (to: string): Field[] => [str(F.type, MsgType.ReqNodes), str(F.to, to)];

/** Body of a node list answer: dest first (heartbeat adds it first), t, nodelist, delnodelist — each name followed by a space. */
export const repnodesBody = (to: string, nodes: readonly string[], deleted: readonly string[]): Field[] => [
  str(F.to, to),
  str(F.type, MsgType.RepNodes),
  str(F.nodelist, nodes.map((n) => `${n} `).join('')),
  str(F.delnodelist, deleted.length ? deleted.map((n) => `${n} `).join('') : ' '),
];

/** Splits a nodelist field ("a b ") into names. */
export const splitNodeList = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter((x) => x.length > 0);

/** The message's type, or undefined. */
export const msgType = (m: HaMessage): string | undefined => getString(m, F.type);
