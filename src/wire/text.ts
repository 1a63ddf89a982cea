// Byte-range to string conversion for the decoders: ASCII takes a fast path, anything else must be strict UTF-8.
// Strict so that every accepted string re-encodes to the very bytes it came from (the round-trip guarantee).

import { isUtf8 } from 'node:buffer';

/** Why a byte range is not acceptable text: it holds a NUL (heartbeat strings are C strings) or invalid UTF-8. */
export type TextProblem = 'nul' | 'utf8';

/**
 * Returns the text of `b[s, e)`, or the problem that prevents it. Pure ASCII (the common case: every field of every
 * captured packet) is sliced as latin1, which V8 does without a decoder; other bytes go through a UTF-8 validation.
 */
export function textOf(b: Buffer, s: number, e: number): string | TextProblem {
  let high = false;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 0) return 'nul';
    if (c >= 0x80) high = true;
  }
  if (!high) return b.toString('latin1', s, e);
  const part = b.subarray(s, e);
  return isUtf8(part) ? part.toString('utf8') : 'utf8';
}

/** A short printable excerpt of bytes at `offset`, for the `found` part of a diagnostic. */
export function excerpt(b: Uint8Array, offset: number, n = 24): string {
  let out = '';
  for (let i = offset; i < Math.min(b.length, offset + n); i++) {
    const c = b[i]!;
    out += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : c === 0x0a ? '\\n' : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return offset + n < b.length ? out + '...' : out;
}

/** A Buffer view of any Uint8Array without copying. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
