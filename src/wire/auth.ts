// Message authentication exactly as heartbeat 3.0.6 computes it: both the outer auth netstring and the inner `auth` field.
// crc (CRC-32/POSIX), md5 and sha1 (HMAC) interoperate with heartbeat; sha256 (HMAC) is a Lifeline extension.

import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { diag, type Diagnostic } from '../errors.js';
import { ok, err, type Result } from '../types.js';
import type { AuthKey, AuthKeys, AuthMethod } from '../config/authkeys-model.js';
import { F, setString, type HaMessage } from './message.js';
import { encodeNetstringMessage } from './netstring.js';
import { renderClassic } from './classic.js';
import { decode, validateMessage, type WirePacket } from './codec.js';
import { MAXAUTH, MAXMSG } from './limits.js';

/** CRC-32/POSIX lookup table: polynomial 0x04C11DB7, most significant bit first (heartbeat's crc plugin). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32/POSIX of `data` (init 0, not reflected, final XOR 0xFFFFFFFF, no length appended), as an unsigned number. */
export function crc32posix(data: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < data.length; i++) crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]!) & 0xff]!;
  return ~crc >>> 0;
}

const HMAC_ALGORITHM: Readonly<Record<Exclude<AuthMethod, 'crc'>, string>> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256' };

/**
 * The digest text heartbeat puts after the key index: lowercase hex HMAC for md5/sha1/sha256, and for crc the
 * CRC in lowercase hex without leading zeros (heartbeat prints it with "%lx").
 */
export function digest(key: AuthKey, data: Uint8Array | string): string {
  if (key.method === 'crc') {
    return crc32posix(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString(16);
  }
  return createHmac(HMAC_ALGORITHM[key.method], keyObject(key)).update(data).digest('hex');
}

/** Each key's secret imported once: every packet is signed or verified with it (3-4 HMACs per heartbeat). */
const KEY_OBJECTS = new WeakMap<AuthKey, KeyObject>();
function keyObject(key: AuthKey): KeyObject {
  let k = KEY_OBJECTS.get(key);
  if (!k) { k = createSecretKey(Buffer.from(key.secret, 'utf8')); KEY_OBJECTS.set(key, k); }
  return k;
}

/** Which of the two authentication parts a result is about. */
export type AuthPart = 'outer' | 'inner';

/** Options for sign. */
export interface SignOptions {
  /**
   * Add the inner `auth` field. heartbeat adds it unless the message has struct or compressed fields (which must
   * travel as netstrings) or ha.cf says `msgfmt netstring`; the default follows that rule for the first case.
   */
  readonly inner?: boolean;
}

/** Whether heartbeat would leave the inner `auth` field out: the message has struct/compressed fields (must_use_netstring). */
export function mustUseNetstring(m: HaMessage): boolean {
  return m.fields.some((f) => f.type === 2 || f.type === 4 || f.type === 5);
}

/**
 * Signs `m` for sending with the active key: sets the inner `auth` field (replacing an old one in place, else
 * appended last, as ha_msg_mod does) over the classic rendering of the other fields, encodes the message as a
 * netstring and appends the outer auth netstring over those bytes. Refuses messages heartbeat could not read.
 */
export function sign(m: HaMessage, keys: AuthKeys | AuthKey, opts: SignOptions = {}): Result<{ packet: WirePacket; bytes: Uint8Array }, Diagnostic> {
  const key = 'active' in keys ? keys.active : keys;
  const valid = validateMessage(m);
  if (!valid.ok) return valid;
  let message: HaMessage;
  if (opts.inner ?? !mustUseNetstring(m)) {
    const text = renderClassic(m, { head: false });
    if (!text.ok) return text;
    message = setString(m, F.auth, `${key.index} ${digest(key, text.value)}`);
  } else {
    // A stale inner auth field would fail verification at the receiver; with no new one to replace it, drop it.
    message = { fields: m.fields.filter((f) => f.name !== F.auth) };
  }
  const body = encodeNetstringMessage(message);
  if (body.length >= MAXMSG) return err(diag('LL_WIRE_TOO_LARGE', { size: body.length, max: MAXMSG }));
  const outerAuth = `${key.index} ${digest(key, body)}`;
  const bytes = Buffer.concat([body, Buffer.from(`${outerAuth.length}:${outerAuth},`, 'latin1')]);
  return ok({ packet: { format: 'netstring', message, outerAuth, signed: body }, bytes });
}

/** What a successful verification established. */
export interface Verified {
  /** The key index the sender used (outer part, or inner for classic packets). */
  readonly index: number;
  /** Whether an inner `auth` field was present and checked as well. */
  readonly inner: boolean;
}

/**
 * Verifies a decoded packet against every key of authkeys, as a receiving heartbeat does: a netstring packet must
 * carry a valid outer auth netstring; an inner `auth` field, when present (always, in classic packets), must be
 * valid too. A key index authkeys does not define, a wrong key or any changed byte fails, with the reason.
 *
 * One deliberate difference: for the outer digest heartbeat 3.0.6 checks a foreign key index with that index's method but the *active*
 * key's secret (hb_compute_authentication); Lifeline uses the secret of the index named in the message.
 */
export function verify(p: WirePacket, keys: AuthKeys): Result<Verified, Diagnostic> {
  let index = -1;
  if (p.format === 'netstring') {
    if (p.outerAuth === undefined) return err(diag('LL_WIRE_AUTH_MISSING', { part: 'outer' }));
    const data = p.signed ?? encodeNetstringMessage(p.message);
    const r = check(p.outerAuth, data, keys, 'outer');
    if (!r.ok) return r;
    index = r.value;
  }
  let innerText: string | undefined;
  for (const f of p.message.fields) {
    if (f.name === F.auth && f.type === 0) {
      innerText = f.value;
      break;
    }
  }
  if (innerText === undefined) {
    if (p.format === 'classic') return err(diag('LL_WIRE_AUTH_MISSING', { part: 'inner' }));
    return ok({ index, inner: false });
  }
  const text = renderClassic(p.message, { head: false });
  if (!text.ok) return text;
  const r = check(innerText, text.value, keys, 'inner');
  if (!r.ok) return r;
  return ok({ index: index < 0 ? r.value : index, inner: true });
}

/** Checks one `N DIGEST` string against `data`; returns the key index. */
function check(auth: string, data: Uint8Array | string, keys: AuthKeys, part: AuthPart): Result<number, Diagnostic> {
  const sp = auth.indexOf(' ');
  const idx = sp > 0 && sp <= 2 ? auth.slice(0, sp) : '';
  const token = auth.slice(sp + 1);
  if (!/^(?:0|[1-9][0-9]?)$/.test(idx) || token === '' || /\s/.test(token)) {
    return err(diag('LL_WIRE_AUTH_MALFORMED', { part }, { found: auth.slice(0, 80), expected: '"N DIGEST" with N a key index 0..15' }));
  }
  const index = Number(idx);
  const key = index < MAXAUTH ? keys.keys.get(index) : undefined;
  if (!key) return err(diag('LL_WIRE_AUTH_UNKNOWN_KEY', { index }, { found: idx, expected: `one of the key indexes in authkeys (${[...keys.keys.keys()].join(', ')})` }));
  const want = digest(key, data);
  if (!sameText(want, token)) return err(diag('LL_WIRE_AUTH_BAD_DIGEST', { part, index, method: key.method }, { found: token.slice(0, 80) }));
  return ok(index);
}

/** Constant-time comparison for equal-length digests, so a forger learns nothing from timing. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * The receive hot path in one call: decode a datagram and verify it against authkeys. A datagram that fails either
 * step comes back as the diagnostic to log and count; nothing throws.
 */
export function decodeVerified(bytes: Uint8Array, keys: AuthKeys): Result<{ packet: WirePacket; auth: Verified }, Diagnostic> {
  const d = decode(bytes);
  if (!d.ok) return d;
  const v = verify(d.value, keys);
  return v.ok ? ok({ packet: d.value, auth: v.value }) : v;
}
