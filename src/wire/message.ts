// The in-memory form of one heartbeat message: an ordered list of typed fields, exactly as on the wire.
// Order and types are kept so that encode(decode(packet)) reproduces the packet byte for byte.

import { diag, type Diagnostic } from '../errors.js';
import { ok, err, generation, nodeName, seqNo, type Generation, type NodeName, type Result, type SeqNo } from '../types.js';

/** heartbeat's field types (`(T)` in the netstring format). Only the ones heartbeat 3.0.6 puts on the wire matter. */
export const FieldType = {
  /** Printable text (`seq`, `src`, `t`...). No NUL bytes: heartbeat keeps strings as C strings. */
  String: 0,
  /** Raw bytes (`srcuuid`, `destuuid`: 16-byte uuids; `_compressed_payload`). */
  Binary: 1,
  /** A nested message. */
  Struct: 2,
  /** A list of non-empty strings, packed as `LEN:elem,` netstrings. */
  List: 3,
  /** A nested message compressed by the plugin named in the sibling `_compression_algorithm` field. Kept as bytes. */
  Compressed: 4,
  /** A nested message that the sender meant to compress; on the wire it looks exactly like a Struct. */
  Uncompressed: 5,
} as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/**
 * One field. The value's form follows the type: text, bytes, a nested message or a list of strings.
 * Compressed fields keep their compressed bytes so that a relayed packet stays byte-identical; see decompressField.
 */
export type Field =
  | { readonly name: string; readonly type: 0; readonly value: string }
  | { readonly name: string; readonly type: 1; readonly value: Uint8Array }
  | { readonly name: string; readonly type: 2 | 5; readonly value: HaMessage }
  | { readonly name: string; readonly type: 3; readonly value: readonly string[] }
  | { readonly name: string; readonly type: 4; readonly value: Uint8Array };

/** One message: its fields in wire order. Lookup helpers live beside the codec. */
export interface HaMessage {
  readonly fields: readonly Field[];
}

/** heartbeat's common field names (ha_msg.h), so callers spell them once. */
export const F = {
  type: 't',
  orig: 'src',
  origUuid: 'srcuuid',
  to: 'dest',
  toUuid: 'destuuid',
  seq: 'seq',
  generation: 'hg',
  time: 'ts',
  load: 'ld',
  ttl: 'ttl',
  auth: 'auth',
  status: 'st',
  deadtime: 'dt',
  protocol: 'protocol',
  ackseq: 'ackseq',
  node: 'node',
  info: 'info',
  resources: 'rsc_hold',
  firstseq: 'firstseq',
  lastseq: 'lastseq',
  compressedPayload: '_compressed_payload',
  compressionAlgorithm: '_compression_algorithm',
} as const;

/** First string value of field `name`, or undefined. The accessor every layer above the codec uses. */
export function getString(m: HaMessage, name: string): string | undefined {
  for (const f of m.fields) if (f.name === name && f.type === 0) return f.value;
  return undefined;
}

/** First binary value of field `name` (type 1), or undefined; uuids come back as their 16 raw bytes. */
export function getBinary(m: HaMessage, name: string): Uint8Array | undefined {
  for (const f of m.fields) if (f.name === name && f.type === 1) return f.value;
  return undefined;
}

/** First nested message of field `name` (struct or uncompressed), or undefined. Compressed fields need decompressField. */
export function getStruct(m: HaMessage, name: string): HaMessage | undefined {
  for (const f of m.fields) if (f.name === name && (f.type === 2 || f.type === 5)) return f.value;
  return undefined;
}

/** First list value of field `name`, or undefined. */
export function getList(m: HaMessage, name: string): readonly string[] | undefined {
  for (const f of m.fields) if (f.name === name && f.type === 3) return f.value;
  return undefined;
}

/**
 * Returns a copy of `m` with string field `name` set to `value`: the first field of that name is replaced in place,
 * or the field is appended — what heartbeat's ha_msg_mod does, which fixes where `auth` lands in a signed message.
 */
export function setString(m: HaMessage, name: string, value: string): HaMessage {
  const i = m.fields.findIndex((f) => f.name === name);
  const field: Field = { name, type: 0, value };
  if (i < 0) return { fields: [...m.fields, field] };
  const fields = m.fields.slice();
  fields[i] = field;
  return { fields };
}

/** Builds a message of string fields from `[name, value]` pairs, in order: the common case for tests and senders. */
export function messageOf(pairs: ReadonlyArray<readonly [string, string]>): HaMessage {
  return { fields: pairs.map(([name, value]) => ({ name, type: 0 as const, value })) };
}

/** Formats 16 bytes as a uuid (`8-4-4-4-12` lowercase hex), as heartbeat's cl_uuid_unparse prints them. */
export function uuidString(b: Uint8Array): string | undefined {
  if (b.length !== 16) return undefined;
  const h = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The fields every heartbeat message carries, read once into typed form for the layers above the codec. */
export interface MessageHeader {
  /** `t`: status, NS_ackmsg, resource, ... */
  readonly type: string;
  /** `src`: the sending node. */
  readonly from?: NodeName;
  /** `dest`: the addressed node, for messages to one node. */
  readonly to?: NodeName;
  /** `seq`: absent on NS_* messages, which heartbeat never retransmits. */
  readonly seq?: SeqNo;
  /** `hg`: the sender's generation (bumped on every start). */
  readonly generation?: Generation;
  /** `ts`: the sender's clock in seconds (informational: clocks differ between nodes). */
  readonly ts?: number;
  /** `ttl`: hops left. */
  readonly ttl?: number;
}

/** heartbeat writes these integers with "%lx"; 13 hex digits keep them exact as JavaScript numbers. */
const HEX = /^[0-9a-f]{1,13}$/;

/**
 * Reads the header fields of `m`: `t` is required; `seq`, `hg`, `ts` must be lowercase hex and `ttl` decimal when
 * present. A message failing this is malformed even if it authenticated.
 */
export function readHeader(m: HaMessage): Result<MessageHeader, Diagnostic> {
  const bad = (name: string, problem: string, found?: string) =>
    err(diag('LL_WIRE_BAD_HEADER', { name, problem }, found === undefined ? {} : { found }));
  const type = getString(m, F.type);
  if (type === undefined || type === '') return bad(F.type, 'missing: every message needs a type');
  const hex = (name: string): number | undefined | false => {
    const v = getString(m, name);
    if (v === undefined) return undefined;
    return HEX.test(v) ? parseInt(v, 16) : false;
  };
  const seq = hex(F.seq);
  if (seq === false) return bad(F.seq, 'not lowercase hexadecimal', getString(m, F.seq));
  const hg = hex(F.generation);
  if (hg === false) return bad(F.generation, 'not lowercase hexadecimal', getString(m, F.generation));
  const ts = hex(F.time);
  if (ts === false) return bad(F.time, 'not lowercase hexadecimal', getString(m, F.time));
  const ttlText = getString(m, F.ttl);
  if (ttlText !== undefined && !/^[0-9]{1,4}$/.test(ttlText)) return bad(F.ttl, 'not a small decimal number', ttlText);
  const from = getString(m, F.orig);
  const to = getString(m, F.to);
  return ok({
    type,
    ...(from !== undefined ? { from: nodeName(from) } : {}),
    ...(to !== undefined ? { to: nodeName(to) } : {}),
    ...(seq !== undefined ? { seq: seqNo(seq) } : {}),
    ...(hg !== undefined ? { generation: generation(hg) } : {}),
    ...(ts !== undefined ? { ts } : {}),
    ...(ttlText !== undefined ? { ttl: Number(ttlText) } : {}),
  });
}
