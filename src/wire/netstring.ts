// heartbeat's netstring message format: "###\n", one netstring `LEN:(T)name=value,` per field, "%%%\n".
// Decoding is one forward pass over the bytes (nested messages parse their own sub-range), so time and memory stay linear.

import { diag, type Diagnostic } from '../errors.js';
import type { Field, HaMessage } from './message.js';
import { MAXDEPTH, MAX_LENGTH_DIGITS } from './limits.js';
import { excerpt, textOf } from './text.js';

const HASH = 0x23; // '#'
const PCT = 0x25; // '%'
const NL = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;
const EQ = 0x3d;
const LPAREN = 0x28;
const RPAREN = 0x29;
const ZERO = 0x30;

/** The start and end markers of a netstring-format message. */
export const NETSTRING_START = '###\n';
export const NETSTRING_END = '%%%\n';

/** Decoder state: the bytes and the first error met (decoding stops at it). */
interface Ctx {
  readonly b: Buffer;
  error: Diagnostic | undefined;
}

function fail(ctx: Ctx, code: Parameters<typeof diag>[0], offset: number, vars: Record<string, string | number> = {}, expected?: string): undefined {
  ctx.error = diag(code, { offset, ...vars }, { found: excerpt(ctx.b, offset), ...(expected ? { expected } : {}) });
  return undefined;
}

/** True when `b[at..]` starts with the 4-byte marker c c c \n. */
function marker(b: Buffer, at: number, end: number, c: number): boolean {
  return at + 4 <= end && b[at] === c && b[at + 1] === c && b[at + 2] === c && b[at + 3] === NL;
}

/** Whether `b` starts a netstring-format message. */
export function isNetstringStart(b: Uint8Array, at = 0): boolean {
  return at + 4 <= b.length && b[at] === HASH && b[at + 1] === HASH && b[at + 2] === HASH && b[at + 3] === NL;
}

/**
 * Reads a netstring length at `pos`: canonical decimal (no sign, no leading zero), then ':'.
 * Returns the position after ':' and stores the length in `out[0]`, or -1 with ctx.error set.
 */
function readLength(ctx: Ctx, pos: number, end: number, out: number[]): number {
  const b = ctx.b;
  const start = pos;
  let n = 0;
  while (pos < end) {
    const d = b[pos]! - ZERO;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    pos++;
    if (pos - start > MAX_LENGTH_DIGITS) {
      fail(ctx, 'LL_WIRE_BAD_LENGTH', start, {}, `at most ${MAX_LENGTH_DIGITS} digits`);
      return -1;
    }
  }
  if (pos === start || pos >= end || b[pos] !== COLON || (b[start] === ZERO && pos - start > 1)) {
    if (pos >= end && pos > start) fail(ctx, 'LL_WIRE_NO_END', start, {}, 'LEN:DATA, before the end of the message');
    else fail(ctx, 'LL_WIRE_BAD_LENGTH', start, {}, 'a decimal length without leading zeros followed by ":"');
    return -1;
  }
  out[0] = n;
  return pos + 1;
}

/**
 * Decodes the message that starts at `start` and must end (with "%%%\n") at or before `end`.
 * Returns the message and the position after its end marker, or undefined with ctx.error set.
 */
function readMessage(ctx: Ctx, start: number, end: number, depth: number): { message: HaMessage; next: number } | undefined {
  const b = ctx.b;
  if (!marker(b, start, end, HASH)) return fail(ctx, 'LL_WIRE_NO_START', start, {}, '"###\\n"');
  let pos = start + 4;
  const fields: Field[] = [];
  const len = [0];
  for (;;) {
    if (marker(b, pos, end, PCT)) return { message: { fields }, next: pos + 4 };
    if (pos >= end) return fail(ctx, 'LL_WIRE_NO_END', start, {}, '"%%%\\n" after the last field');
    const vs = readLength(ctx, pos, end, len);
    if (vs < 0) return undefined;
    const n = len[0]!;
    if (n > end - vs - 1) return fail(ctx, 'LL_WIRE_LENGTH_OVERRUN', pos, { length: n, available: Math.max(0, end - vs - 1) });
    const ve = vs + n;
    if (b[ve] !== COMMA) return fail(ctx, 'LL_WIRE_NO_COMMA', ve, {}, '","');
    const field = readField(ctx, vs, ve, depth);
    if (!field) return undefined;
    fields.push(field);
    pos = ve + 1;
  }
}

/** Decodes `(T)name=value` occupying exactly `b[s, e)`. */
function readField(ctx: Ctx, s: number, e: number, depth: number): Field | undefined {
  const b = ctx.b;
  if (e - s < 4 || b[s] !== LPAREN || b[s + 2] !== RPAREN) return fail(ctx, 'LL_WIRE_BAD_TYPE', s, {}, '"(T)" with T from 0 to 5');
  const type = b[s + 1]! - ZERO;
  if (type < 0 || type > 5) return fail(ctx, 'LL_WIRE_BAD_TYPE', s, {}, '"(T)" with T from 0 to 5');
  const ns = s + 3;
  let eq = ns;
  while (eq < e && b[eq] !== EQ) eq++;
  if (eq === ns || eq >= e) return fail(ctx, 'LL_WIRE_BAD_FIELD', ns, {}, 'a non-empty name followed by "="');
  const name = textOf(b, ns, eq);
  if (name === 'nul' || name === 'utf8') return textFail(ctx, name, ns);
  const vs = eq + 1;
  switch (type) {
    case 0: {
      const value = textOf(b, vs, e);
      if (value === 'nul' || value === 'utf8') return textFail(ctx, value, vs);
      return { name, type, value };
    }
    case 1:
    case 4: {
      const value = new Uint8Array(e - vs);
      value.set(b.subarray(vs, e));
      return { name, type, value };
    }
    case 2:
    case 5: {
      if (depth >= MAXDEPTH) return fail(ctx, 'LL_WIRE_TOO_DEEP', vs, { max: MAXDEPTH });
      const inner = readMessage(ctx, vs, e, depth + 1);
      if (!inner) return undefined;
      if (inner.next !== e) return fail(ctx, 'LL_WIRE_NESTED_TRAILING', inner.next, {}, '"," right after the nested "%%%\\n"');
      return { name, type, value: inner.message };
    }
    default: {
      const value = readList(ctx, vs, e);
      return value ? { name, type: 3, value } : undefined;
    }
  }
}

/** Decodes a packed string list `LEN:elem,LEN:elem,` filling exactly `b[s, e)`; heartbeat refuses empty elements and lists. */
function readList(ctx: Ctx, s: number, e: number): string[] | undefined {
  const b = ctx.b;
  if (s === e) return fail(ctx, 'LL_WIRE_BAD_LIST', s, {}, 'at least one element');
  const out: string[] = [];
  const len = [0];
  let pos = s;
  while (pos < e) {
    const vs = readLength(ctx, pos, e, len);
    if (vs < 0) {
      ctx.error = diag('LL_WIRE_BAD_LIST', { offset: pos }, { found: excerpt(b, pos), expected: 'LEN:element, with LEN > 0' });
      return undefined;
    }
    const n = len[0]!;
    if (n === 0 || n > e - vs - 1 || b[vs + n] !== COMMA) {
      return fail(ctx, 'LL_WIRE_BAD_LIST', pos, {}, 'LEN:element, with LEN > 0 inside the field');
    }
    const t = textOf(b, vs, vs + n);
    if (t === 'nul' || t === 'utf8') return textFail(ctx, t, vs);
    out.push(t);
    pos = vs + n + 1;
  }
  return out;
}

function textFail(ctx: Ctx, problem: 'nul' | 'utf8', offset: number): undefined {
  return fail(ctx, problem === 'nul' ? 'LL_WIRE_NUL_IN_STRING' : 'LL_WIRE_BAD_UTF8', offset, {}, problem === 'nul' ? 'text without NUL bytes' : 'UTF-8 text');
}

/**
 * Decodes one netstring-format message starting at `start` within `b[start, end)`.
 * On success `next` is the offset just after "%%%\n" (where the outer auth netstring begins).
 */
export function decodeNetstringMessage(b: Buffer, start: number, end: number): { message: HaMessage; next: number } | Diagnostic {
  const ctx: Ctx = { b, error: undefined };
  const r = readMessage(ctx, start, end, 0);
  return r ?? ctx.error!;
}

/**
 * Reads the outer authentication netstring `LEN:N DIGEST,` at `start`; it must end exactly at `end`.
 * Returns the text between ':' and ',' or a diagnostic.
 */
export function decodeAuthNetstring(b: Buffer, start: number, end: number): string | Diagnostic {
  const ctx: Ctx = { b, error: undefined };
  const len = [0];
  const vs = readLength(ctx, start, end, len);
  if (vs < 0) return ctx.error!;
  const n = len[0]!;
  if (n > end - vs - 1) return diag('LL_WIRE_LENGTH_OVERRUN', { offset: start, length: n, available: Math.max(0, end - vs - 1) }, { found: excerpt(b, start) });
  if (b[vs + n] !== COMMA) return diag('LL_WIRE_NO_COMMA', { offset: vs + n }, { found: excerpt(b, vs + n), expected: '","' });
  if (vs + n + 1 !== end) return diag('LL_WIRE_TRAILING_BYTES', { offset: vs + n + 1, count: end - vs - n - 1 }, { found: excerpt(b, vs + n + 1) });
  const t = textOf(b, vs, vs + n);
  if (t === 'nul' || t === 'utf8') return diag(t === 'nul' ? 'LL_WIRE_NUL_IN_STRING' : 'LL_WIRE_BAD_UTF8', { offset: vs }, { found: excerpt(b, vs) });
  return t;
}

/** Byte length of the netstring encoding of `m`, computed without building it (heartbeat's get_netstringlen). */
export function netstringLength(m: HaMessage): number {
  let total = 8;
  for (const f of m.fields) total += netstringExtra(fieldLength(f));
  return total;
}

function digits(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : String(n).length;
}

function netstringExtra(n: number): number {
  return digits(n) + n + 2;
}

/** Length of `(T)name=value` for one field. */
function fieldLength(f: Field): number {
  const head = 4 + Buffer.byteLength(f.name);
  switch (f.type) {
    case 0: return head + Buffer.byteLength(f.value);
    case 1:
    case 4: return head + f.value.length;
    case 2:
    case 5: return head + netstringLength(f.value);
    case 3: {
      let n = 0;
      for (const el of f.value) n += netstringExtra(Buffer.byteLength(el));
      return head + n;
    }
  }
}

/**
 * Encodes `m` in netstring format ("###\n" ... "%%%\n", without the outer auth netstring). Total for any message;
 * validateMessage says whether heartbeat would accept the result.
 */
export function encodeNetstringMessage(m: HaMessage): Buffer {
  const out = Buffer.allocUnsafe(netstringLength(m));
  const end = writeMessage(out, 0, m);
  return end === out.length ? out : out.subarray(0, end);
}

function writeMessage(out: Buffer, pos: number, m: HaMessage): number {
  pos += out.write(NETSTRING_START, pos, 'latin1');
  for (const f of m.fields) {
    pos += out.write(`${fieldLength(f)}:(${f.type})`, pos, 'latin1');
    pos += out.write(f.name, pos, 'utf8');
    out[pos++] = EQ;
    switch (f.type) {
      case 0: pos += out.write(f.value, pos, 'utf8'); break;
      case 1:
      case 4: out.set(f.value, pos); pos += f.value.length; break;
      case 2:
      case 5: pos = writeMessage(out, pos, f.value); break;
      case 3:
        for (const el of f.value) {
          pos += out.write(`${Buffer.byteLength(el)}:`, pos, 'latin1');
          pos += out.write(el, pos, 'utf8');
          out[pos++] = COMMA;
        }
        break;
    }
    out[pos++] = COMMA;
  }
  pos += out.write(NETSTRING_END, pos, 'latin1');
  return pos;
}
