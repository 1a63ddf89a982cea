// Authentication: the digests are the standard algorithms heartbeat uses, and sign/verify check both parts.
// A message tampered in either part, or signed with a key the receiver lacks, is refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32posix, digest, sign, verify } from '../../src/wire/auth.js';
import { decode, encodeNetstringMessage } from '../../src/wire/codec.js';
import { messageOf, getString, setString, type HaMessage } from '../../src/wire/message.js';
import { keysOf } from './fixtures.js';


const status = messageOf([['t', 'status'], ['st', 'active'], ['src', 'nodea'], ['seq', '2a'], ['hg', '6b064172'], ['ts', '6b0641af'], ['ttl', '3']]);
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

test('crc is CRC-32/POSIX: the catalogue check value of "123456789" is 765e7680, printed without leading zeros', () => {
  assert.equal(crc32posix(Buffer.from('123456789')), 0x765e7680);
  assert.equal(crc32posix(new Uint8Array(0)), 0xffffffff);
  assert.equal(digest({ index: 1, method: 'crc', secret: '' }, '123456789'), '765e7680');
  // A CRC below 0x10000000 is printed with fewer digits, as heartbeat's "%lx" does (18 packets of the crc capture).
  let i = 0;
  while (crc32posix(Buffer.from(String(i))) >= 0x10000000) i++;
  const short = digest({ index: 1, method: 'crc', secret: '' }, String(i));
  assert.equal(short, crc32posix(Buffer.from(String(i))).toString(16));
  assert.ok(short.length < 8 && !short.startsWith('0'));
});

test('md5 and sha1 are RFC 2104 HMACs (RFC 2202 test case 2), sha256 likewise (RFC 4231 test case 2)', () => {
  const data = 'what do ya want for nothing?';
  assert.equal(digest({ index: 1, method: 'md5', secret: 'Jefe' }, data), '750c783e6ab0b503eaa86e310a5db738');
  assert.equal(digest({ index: 1, method: 'sha1', secret: 'Jefe' }, data), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  assert.equal(digest({ index: 1, method: 'sha256', secret: 'Jefe' }, data), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('sign adds the inner auth field last and the outer auth netstring; verify accepts it with every method', () => {
  for (const method of ['crc', 'md5', 'sha1', 'sha256']) {
    const keys = keysOf(`auth 3\n3 ${method}${method === 'crc' ? '' : ' s3cret'}\n`);
    const s = sign(status, keys);
    assert.ok(s.ok);
    const d = decode(s.value.bytes);
    assert.ok(d.ok);
    assert.equal(d.value.message.fields.at(-1)?.name, 'auth');
    assert.match(getString(d.value.message, 'auth')!, /^3 [0-9a-f]+$/);
    assert.match(d.value.outerAuth!, /^3 [0-9a-f]+$/);
    const v = verify(d.value, keys);
    assert.ok(v.ok && v.value.index === 3 && v.value.inner, method);
  }
});

test('re-signing replaces an existing auth field in place rather than adding a second one', () => {
  const keys = keysOf('auth 1\n1 sha1 k\n');
  const withAuth = setString(status, 'auth', '1 stale');
  const s = sign(withAuth, keys);
  assert.ok(s.ok);
  assert.equal(s.value.packet.message.fields.filter((f) => f.name === 'auth').length, 1);
});

test('tampering with either part is caught: changed field (outer re-signed), changed inner auth, missing parts', () => {
  const keys = keysOf('auth 1\n1 sha1 k\n');
  const s = sign(status, keys);
  assert.ok(s.ok);
  // A valid outer digest over a body whose fields no longer match the inner digest: the inner check catches it.
  const altered = setString(s.value.packet.message, 'st', 'dead');
  const body = encodeNetstringMessage(altered);
  const outer = `1 ${digest(keys.active, body)}`;
  const forged = decode(Buffer.concat([body, Buffer.from(`${outer.length}:${outer},`)]));
  assert.ok(forged.ok);
  const vf = verify(forged.value, keys);
  assert.equal(codeOf(vf), 'LL_WIRE_AUTH_BAD_DIGEST');
  assert.match(vf.ok ? '' : vf.error.message, /^inner digest/);

  const outerOk = { ...s.value.packet, message: setString(s.value.packet.message, 'st', 'dead'), signed: undefined };
  const v = verify(outerOk, keys);
  assert.equal(codeOf(v), 'LL_WIRE_AUTH_BAD_DIGEST', 'the re-encoded body no longer matches the outer digest');

  const noOuter = { ...s.value.packet, outerAuth: undefined };
  assert.equal(codeOf(verify(noOuter, keys)), 'LL_WIRE_AUTH_MISSING');
  const malformed = { ...s.value.packet, outerAuth: '1' };
  assert.equal(codeOf(verify(malformed, keys)), 'LL_WIRE_AUTH_MALFORMED');
  const bigIndex = { ...s.value.packet, outerAuth: '99 abc' };
  assert.equal(codeOf(verify(bigIndex, keys)), 'LL_WIRE_AUTH_UNKNOWN_KEY');
  const upper = { ...s.value.packet, outerAuth: s.value.packet.outerAuth!.toUpperCase() };
  assert.equal(codeOf(verify(upper, keys)), 'LL_WIRE_AUTH_BAD_DIGEST', 'heartbeat compares the hex text exactly');
});

test('a classic packet is authenticated by its inner field alone and must carry one', () => {
  const keys = keysOf('auth 2\n2 md5 k\n');
  const s = sign(status, keys);
  assert.ok(s.ok);
  const m = s.value.packet.message;
  const classic = decode(Buffer.from('>>>\n' + m.fields.map((f) => `${f.name}=${f.type === 0 ? f.value : ''}`).join('\n') + '\n<<<\n'));
  assert.ok(classic.ok);
  assert.ok(verify(classic.value, keys).ok);
  const bare = decode(Buffer.from('>>>\nt=status\n<<<\n'));
  assert.ok(bare.ok);
  assert.equal(codeOf(verify(bare.value, keys)), 'LL_WIRE_AUTH_MISSING');
});

test('messages with nested structs carry no inner auth (as heartbeat) yet verify by the outer digest', () => {
  const keys = keysOf('auth 1\n1 sha1 k\n');
  const m: HaMessage = { fields: [...status.fields, { name: 'child', type: 2, value: messageOf([['a', 'b']]) }] };
  const s = sign(m, keys);
  assert.ok(s.ok);
  assert.equal(getString(s.value.packet.message, 'auth'), undefined);
  const d = decode(s.value.bytes);
  assert.ok(d.ok);
  const v = verify(d.value, keys);
  assert.ok(v.ok && !v.value.inner);
  assert.equal(codeOf(sign(messageOf([['bad=name', 'x']]), keys)), 'LL_WIRE_INVALID_MESSAGE');
});
