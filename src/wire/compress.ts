// heartbeat's compressed fields: a nested message stored as zlib bytes (type 4) beside `_compression_algorithm`.
// Decompression is explicit and bounded by MAXUNCOMPRESSED, so a small hostile packet cannot inflate without limit.

import { deflateSync, inflateSync } from 'node:zlib';
import { diag, type Diagnostic } from '../errors.js';
import { ok, err, type Result } from '../types.js';
import { F, getBinary, getString, setString, type HaMessage } from './message.js';
import { decode } from './codec.js';
import { encodeNetstringMessage } from './netstring.js';
import { renderClassic } from './classic.js';
import { MAXUNCOMPRESSED } from './limits.js';
import { mustUseNetstring } from './auth.js';

/** Inflates zlib bytes and decodes the message inside (netstring, or classic as heartbeat's msg2wirefmt_noac writes it). */
function inflateMessage(m: HaMessage, name: string, bytes: Uint8Array): Result<HaMessage, Diagnostic> {
  const algorithm = getString(m, F.compressionAlgorithm) ?? '(none)';
  if (algorithm !== 'zlib') return err(diag('LL_WIRE_COMPRESSION_UNSUPPORTED', { algorithm }, { found: algorithm, expected: 'zlib' }));
  let raw: Buffer;
  try {
    raw = inflateSync(bytes, { maxOutputLength: MAXUNCOMPRESSED });
  } catch (e) {
    // zlib reports corrupt data and the size bound by throwing; turn that into data here.
    return err(diag('LL_WIRE_DECOMPRESS_FAILED', { name, reason: (e as Error).message }));
  }
  const inner = decode(raw, MAXUNCOMPRESSED);
  return inner.ok ? ok(inner.value.message) : inner;
}

/** The nested message of compressed field `name` (type 4) of `m`. */
export function decompressField(m: HaMessage, name: string): Result<HaMessage, Diagnostic> {
  const f = m.fields.find((x) => x.name === name && x.type === 4);
  if (!f || f.type !== 4) return err(diag('LL_WIRE_DECOMPRESS_FAILED', { name, reason: 'no compressed field of that name' }));
  return inflateMessage(m, name, f.value);
}

/**
 * heartbeat's older whole-message compression: a message holding only `_compressed_payload` (binary) and
 * `_compression_algorithm`. Returns the message inside, or `m` itself when it is not such a wrapper.
 */
export function expandCompressedMessage(m: HaMessage): Result<HaMessage, Diagnostic> {
  const payload = getBinary(m, F.compressedPayload);
  return payload === undefined ? ok(m) : inflateMessage(m, F.compressedPayload, payload);
}

/**
 * Adds `child` to `m` as compressed field `name`, the way heartbeat's ha_msg_addstruct_compress + msg2wirefmt do:
 * the child in wire form (classic text with its NUL unless it needs netstrings), zlib-compressed, and
 * `_compression_algorithm=zlib` set on `m`.
 */
export function addCompressedStruct(m: HaMessage, name: string, child: HaMessage): Result<HaMessage, Diagnostic> {
  let wire: Buffer;
  if (mustUseNetstring(child)) {
    wire = encodeNetstringMessage(child);
  } else {
    const text = renderClassic(child, { head: true });
    if (!text.ok) return text;
    wire = Buffer.from(text.value + '\0', 'utf8');
  }
  const z = deflateSync(wire);
  const withField: HaMessage = { fields: [...m.fields, { name, type: 4, value: new Uint8Array(z.buffer, z.byteOffset, z.byteLength) }] };
  return ok(setString(withField, F.compressionAlgorithm, 'zlib'));
}
