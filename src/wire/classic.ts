// heartbeat's classic text format: ">>>\n", one `name=value\n` line per field (`(T)name=` for non-strings), "<<<\n".
// It is also what the inner `auth` field signs (without the markers and without `auth`), so rendering must match exactly.

import { diag, type Diagnostic } from '../errors.js';
import { ok, err, type Result } from '../types.js';
import type { Field, HaMessage } from './message.js';
import { MAXDEPTH } from './limits.js';

/** Markers of a classic message. */
export const CLASSIC_START = '>>>\n';
export const CLASSIC_END = '<<<\n';

/** heartbeat writes a newline inside a string value as this control character (SPECIAL_SYM). */
const STRING_NL = '\x13';
/**
 * A nested message is written on one line: its newlines become this per-depth symbol (SPECIAL_SYMS), so nested
 * messages at different depths never confuse each other's line ends.
 */
const NEST_SYMS = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 15, 16, 17, 18].map((c) => String.fromCharCode(c));

/** How to render: with the markers (a message) or without them and without `auth` (the text the inner digest covers). */
export interface ClassicOptions {
  readonly head: boolean;
}

/**
 * Renders `m` in classic format as text (encode it as UTF-8 to get the bytes). Fails where heartbeat's msg2string
 * fails: an uncompressed-struct field (type 5) has no classic form, and a nested message may not already contain
 * the newline symbol of its depth.
 */
export function renderClassic(m: HaMessage, opts: ClassicOptions, depth = 0): Result<string, Diagnostic> {
  let out = opts.head ? CLASSIC_START : '';
  for (const f of m.fields) {
    if (!opts.head && f.name === 'auth') continue;
    if (f.type !== 0) out += `(${f.type})`;
    out += f.name;
    out += '=';
    switch (f.type) {
      case 0:
        out += f.value.includes('\n') ? f.value.replaceAll('\n', STRING_NL) : f.value;
        break;
      case 1:
      case 4:
        out += Buffer.from(f.value.buffer, f.value.byteOffset, f.value.byteLength).toString('base64');
        break;
      case 2: {
        if (depth >= MAXDEPTH) return err(diag('LL_WIRE_INVALID_MESSAGE', { name: f.name, reason: `nested deeper than ${MAXDEPTH} levels` }));
        const inner = renderClassic(f.value, { head: true }, depth + 1);
        if (!inner.ok) return inner;
        const sym = NEST_SYMS[depth]!;
        if (inner.value.includes(sym)) {
          return err(diag('LL_WIRE_INVALID_MESSAGE', { name: f.name, reason: `nested text contains the depth-${depth} newline symbol 0x${sym.charCodeAt(0).toString(16)}` }));
        }
        out += inner.value.replaceAll('\n', sym);
        break;
      }
      case 3:
        for (const el of f.value) out += `${Buffer.byteLength(el)}:${el},`;
        break;
      case 5:
        return err(diag('LL_WIRE_INVALID_MESSAGE', { name: f.name, reason: 'an uncompressed struct (type 5) has no classic form' }));
    }
    out += '\n';
  }
  if (opts.head) out += CLASSIC_END;
  return ok(out);
}

/** Whether `b` starts a classic-format message. */
export function isClassicStart(b: Uint8Array, at = 0): boolean {
  return at + 4 <= b.length && b[at] === 0x3e && b[at + 1] === 0x3e && b[at + 2] === 0x3e && b[at + 3] === 0x0a;
}

/**
 * Parses classic text that must be exactly one message (">>>\n" ... "<<<\n"). `base` is the byte offset of `s` in the
 * packet, for error positions. Lines are split on "\n" only, as heartbeat does; blank lines between fields are skipped.
 */
export function parseClassic(s: string, base = 0, depth = 0): Result<HaMessage, Diagnostic> {
  const bad = (code: Parameters<typeof diag>[0], at: number, expected?: string, vars: Record<string, string | number> = {}) =>
    err(diag(code, { offset: base + at, ...vars }, { found: JSON.stringify(s.slice(at, at + 24)).slice(1, -1), ...(expected ? { expected } : {}) }));
  if (!s.startsWith(CLASSIC_START)) return bad('LL_WIRE_NO_START', 0, '">>>\\n"');
  const fields: Field[] = [];
  let pos = 4;
  for (;;) {
    while (pos < s.length && s.charCodeAt(pos) === 10) pos++;
    if (s.startsWith(CLASSIC_END, pos)) {
      if (pos + 4 !== s.length) return bad('LL_WIRE_TRAILING_BYTES', pos + 4, undefined, { count: s.length - pos - 4 });
      return ok({ fields });
    }
    const eol = s.indexOf('\n', pos);
    if (eol < 0) return bad('LL_WIRE_NO_END', pos, '"<<<\\n" after the last field');
    const eq = s.indexOf('=', pos);
    if (eq <= pos || eq > eol) return bad('LL_WIRE_BAD_FIELD', pos, 'a "name=value" line');
    let name = s.slice(pos, eq);
    let type = 0;
    if (name.charCodeAt(0) === 0x28) {
      const t = name.charCodeAt(1) - 0x30;
      if (name.charCodeAt(2) !== 0x29 || t < 1 || t > 4 || name.length < 4) return bad('LL_WIRE_BAD_TYPE', pos, '"(T)name=" with T from 1 to 4');
      type = t;
      name = name.slice(3);
    }
    const vs = eq + 1;
    const value = s.slice(vs, eol);
    switch (type) {
      case 0:
        fields.push({ name, type: 0, value: value.includes(STRING_NL) ? value.replaceAll(STRING_NL, '\n') : value });
        break;
      case 1:
      case 4: {
        const bytes = fromBase64(value);
        if (!bytes) return bad('LL_WIRE_BAD_BASE64', vs, 'standard base64 with "=" padding');
        fields.push({ name, type: type as 1 | 4, value: bytes });
        break;
      }
      case 2: {
        if (depth >= MAXDEPTH) return bad('LL_WIRE_TOO_DEEP', vs, undefined, { max: MAXDEPTH });
        const inner = parseClassic(value.replaceAll(NEST_SYMS[depth]!, '\n'), base + vs, depth + 1);
        if (!inner.ok) return inner;
        fields.push({ name, type: 2, value: inner.value });
        break;
      }
      case 3: {
        const list = unpackList(value);
        if (!list) return bad('LL_WIRE_BAD_LIST', vs, 'LEN:element, with LEN > 0');
        fields.push({ name, type: 3, value: list });
        break;
      }
    }
    pos = eol + 1;
  }
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (what heartbeat's binary_to_base64 writes); undefined if `s` is anything else. */
function fromBase64(s: string): Uint8Array | undefined {
  if (!B64.test(s)) return undefined;
  const b = Buffer.from(s, 'base64');
  // Reject non-canonical padding bits, so that decoding then encoding gives back the same text.
  if (b.toString('base64') !== s) return undefined;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Unpacks `LEN:elem,` repeated; LEN counts UTF-8 bytes. */
function unpackList(s: string): string[] | undefined {
  if (s.length === 0) return undefined;
  const bytes = Buffer.from(s, 'utf8');
  const out: string[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const colon = bytes.indexOf(0x3a, pos);
    if (colon < 0) return undefined;
    const lenText = bytes.toString('latin1', pos, colon);
    if (!/^[1-9][0-9]{0,6}$/.test(lenText)) return undefined;
    const n = Number(lenText);
    const ve = colon + 1 + n;
    if (ve >= bytes.length || bytes[ve] !== 0x2c) return undefined;
    const el = bytes.toString('utf8', colon + 1, ve);
    if (Buffer.byteLength(el) !== n) return undefined; // the length cut a UTF-8 sequence in two
    out.push(el);
    pos = ve + 1;
  }
  return out;
}
