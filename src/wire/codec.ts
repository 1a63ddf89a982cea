// One heartbeat datagram in and out: decode(bytes) → WirePacket (message + outer auth), encode(packet) → the same bytes.
// Hostile input comes back as a Result carrying a diagnostic with an LL_WIRE_* code; nothing here throws on bad bytes.

import { isUtf8 } from 'node:buffer';
import { diag, type Diagnostic } from '../errors.js';
import { ok, err, type Result } from '../types.js';
import type { HaMessage } from './message.js';
import { MAXDEPTH, MAXLIST, MAXMSG } from './limits.js';
import { decodeAuthNetstring, decodeNetstringMessage, encodeNetstringMessage, isNetstringStart, netstringLength } from './netstring.js';
import { isClassicStart, parseClassic, renderClassic } from './classic.js';
import { asBuffer, excerpt } from './text.js';

/** A decoded datagram: the message, plus what travels around it in its format. */
export interface WirePacket {
  /** `netstring` ("###\n"…"%%%\n" + auth netstring: what heartbeat 3.0.6 sends) or `classic` (">>>\n"…"<<<\n"). */
  readonly format: 'netstring' | 'classic';
  readonly message: HaMessage;
  /** netstring only: the text of the outer authentication netstring, `N DIGEST`, exactly as sent (absent if none). */
  readonly outerAuth?: string;
  /**
   * netstring only, on decoded packets: the bytes the outer digest covers (from "###\n" through "%%%\n"), a view into
   * the datagram. Verification hashes these directly instead of re-encoding.
   */
  readonly signed?: Uint8Array;
  /** classic only: the datagram ended with a NUL after "<<<\n" (heartbeat's msg2string sends strlen+1 bytes). */
  readonly nul?: boolean;
}

/**
 * Decodes one datagram. Accepts exactly what `encode` produces, so for any accepted input encode(decode(x)) == x
 * for the netstring format. Checks size (MAXMSG), markers, every netstring length and terminator, field types,
 * UTF-8 and NUL-free text, list syntax and nesting depth (MAXDEPTH), in one linear pass. `maxSize` is raised
 * only for decompressed content (MAXUNCOMPRESSED).
 */
export function decode(bytes: Uint8Array, maxSize: number = MAXMSG): Result<WirePacket, Diagnostic> {
  const n = bytes.length;
  if (n === 0) return err(diag('LL_WIRE_EMPTY'));
  if (n > maxSize) return err(diag('LL_WIRE_TOO_LARGE', { size: n, max: maxSize }));
  const b = asBuffer(bytes);
  if (isNetstringStart(b)) {
    const r = decodeNetstringMessage(b, 0, n);
    if (!('next' in r)) return err(r);
    const signed = b.subarray(0, r.next);
    if (r.next === n) return ok({ format: 'netstring', message: r.message, signed });
    const auth = decodeAuthNetstring(b, r.next, n);
    if (typeof auth !== 'string') return err(auth);
    return ok({ format: 'netstring', message: r.message, outerAuth: auth, signed });
  }
  if (isClassicStart(b)) {
    const nul = b[n - 1] === 0;
    const end = nul ? n - 1 : n;
    for (let i = 0; i < end; i++) {
      if (b[i] === 0) return err(diag('LL_WIRE_NUL_IN_STRING', { offset: i }, { found: excerpt(b, i) }));
    }
    const part = b.subarray(0, end);
    if (!isUtf8Text(part)) return err(diag('LL_WIRE_BAD_UTF8', { offset: 0 }, { found: excerpt(b, 0), expected: 'UTF-8 text' }));
    const m = parseClassic(part.toString('utf8'));
    return m.ok ? ok({ format: 'classic', message: m.value, nul }) : m;
  }
  return err(diag('LL_WIRE_NO_START', { offset: 0 }, { found: excerpt(b, 0), expected: '"###\\n" (netstring) or ">>>\\n" (classic)' }));
}

function isUtf8Text(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return isUtf8(b);
  return true;
}

/**
 * Encodes a packet: the reverse of decode, byte for byte. Netstring encoding never fails; a classic packet fails when
 * its message has no classic form (a type-5 field, or nested text already holding its depth's newline symbol).
 */
export function encode(p: WirePacket): Result<Uint8Array, Diagnostic> {
  if (p.format === 'classic') {
    const text = renderClassic(p.message, { head: true });
    if (!text.ok) return text;
    return ok(Buffer.from(p.nul ? text.value + '\0' : text.value, 'utf8'));
  }
  const body = encodeNetstringMessage(p.message);
  if (p.outerAuth === undefined) return ok(body);
  const authLen = Buffer.byteLength(p.outerAuth);
  const head = `${authLen}:`;
  const out = Buffer.allocUnsafe(body.length + head.length + authLen + 1);
  body.copy(out, 0);
  let pos = body.length + out.write(head, body.length, 'latin1');
  pos += out.write(p.outerAuth, pos, 'utf8');
  out[pos] = 0x2c;
  return ok(out);
}

/** Netstring encoding of a bare message ("###\n"…"%%%\n", no outer auth): nested, compressed and signed content. */
export { encodeNetstringMessage, netstringLength } from './netstring.js';
/** Classic rendering (`head: true` for a message, `head: false` for the text the inner digest covers). */
export { renderClassic, parseClassic } from './classic.js';

/**
 * Checks that heartbeat could send `m` and read it back unchanged: non-empty names without "=", newline or NUL, and
 * not starting with "(" (heartbeat parses that as a type prefix); text without NUL or 0x13; lists non-empty, of non-empty elements, packed
 * shorter than MAXLIST; nesting within MAXDEPTH; the whole within MAXMSG. The signer refuses messages that fail.
 */
export function validateMessage(m: HaMessage, depth = 0): Result<HaMessage, Diagnostic> {
  const bad = (name: string, reason: string) => err(diag('LL_WIRE_INVALID_MESSAGE', { name, reason }, { found: name }));
  for (const f of m.fields) {
    if (f.name === '' || /[=\n\0]/.test(f.name) || f.name.startsWith('(')) return bad(f.name, 'a name must be non-empty, without "=", newline or NUL, and not start with "("');
    switch (f.type) {
      case 0:
        if (f.value.includes('\0')) return bad(f.name, 'text may not contain NUL');
        // heartbeat's add_string_field turns byte 0x13 (its newline symbol) into "\n" in every string it reads,
        // netstring or classic, so a heartbeat peer would not receive such a value as sent.
        if (f.value.includes('\x13')) return bad(f.name, 'heartbeat reads byte 0x13 in text as a newline');
        break;
      case 2:
      case 5: {
        if (depth >= MAXDEPTH) return bad(f.name, `messages nest at most ${MAXDEPTH} levels`);
        const r = validateMessage(f.value, depth + 1);
        if (!r.ok) return r;
        break;
      }
      case 3: {
        if (f.value.length === 0) return bad(f.name, 'a list needs at least one element');
        let packed = 0;
        for (const el of f.value) {
          if (el === '' || el.includes('\0')) return bad(f.name, 'list elements must be non-empty text without NUL');
          const n = Buffer.byteLength(el);
          packed += String(n).length + n + 2;
        }
        if (packed >= MAXLIST) return bad(f.name, `a packed list must be shorter than ${MAXLIST} bytes`);
        break;
      }
      default:
        break;
    }
  }
  if (depth === 0) {
    const size = netstringLength(m);
    if (size >= MAXMSG) return err(diag('LL_WIRE_TOO_LARGE', { size, max: MAXMSG }));
  }
  return ok(m);
}
