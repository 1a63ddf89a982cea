// authkeys is read as heartbeat 3.0.6 reads it, and refused where heartbeat or the FAQ refuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthkeys } from '../../src/config/authkeys.js';

const codes = (r: ReturnType<typeof parseAuthkeys>) => r.diagnostics.map((d) => d.code);

test('the seed examples parse: sha1 with a secret, crc without, auth 2', () => {
  const a = parseAuthkeys('auth 1\n1 sha1 PutYourSuperSecretKeyHere\n', 'authkeys', 0o600);
  assert.deepEqual(a.value?.active, { index: 1, method: 'sha1', secret: 'PutYourSuperSecretKeyHere' });
  const b = parseAuthkeys('# comment\n\nauth 2\n2 sha1 4BWtvO7NOO6PPnFX\n', 'authkeys', 0o400);
  assert.equal(b.value?.active.index, 2);
  const c = parseAuthkeys('auth 1\n1 crc\n', 'authkeys', 0o600);
  assert.equal(c.value?.active.method, 'crc');
  assert.deepEqual(codes(c), ['LL_AUTHKEYS_CRC_INSECURE']);
});

test('a file other users can read is refused with the reason and heartbeat wording', () => {
  const r = parseAuthkeys('auth 1\n1 md5 x\n', '/etc/ha.d/authkeys', 0o644);
  assert.equal(r.value, undefined);
  assert.deepEqual(codes(r), ['LL_AUTHKEYS_PERMISSIONS']);
  assert.match(r.diagnostics[0]!.message, /^Bad permissions on keyfile \[\/etc\/ha.d\/authkeys\], 600 recommended/);
  assert.equal(parseAuthkeys('auth 1\n1 md5 x\n', 'k', 0o620).value, undefined, 'group-writable is refused too');
  assert.ok(parseAuthkeys('auth 1\n1 md5 x\n', 'k', 0o700).value);
});

test('every problem is reported at once, each with its line', () => {
  const r = parseAuthkeys('auth x\n1 sha1\n2 crc secret\n16 md5 k\n3 rot13 k\n', 'ak', 0o600);
  assert.deepEqual(codes(r), ['LL_AUTHKEYS_BAD_AUTH_LINE', 'LL_AUTHKEYS_KEY_REQUIRED', 'LL_AUTHKEYS_KEY_UNUSED',
    'LL_AUTHKEYS_BAD_INDEX', 'LL_AUTHKEYS_BAD_METHOD', 'LL_AUTHKEYS_NO_AUTH']);
  assert.deepEqual(r.diagnostics.slice(0, 5).map((d) => d.location?.line), [1, 2, 3, 4, 5]);
});

test('auth N must name a defined key', () => {
  const r = parseAuthkeys('auth 3\n1 sha1 k\n', 'ak', 0o600);
  assert.equal(r.value, undefined);
  assert.deepEqual(codes(r), ['LL_AUTHKEYS_KEY_NOT_FOUND']);
  assert.equal(r.diagnostics[0]!.message, 'Auth Key [3] not found in keyfile');
  assert.equal(r.diagnostics[0]!.location?.line, 1);
});

test('sha256 is accepted as a Lifeline extension with a warning that heartbeat peers cannot verify it', () => {
  const r = parseAuthkeys('auth 1\n1 sha256 k\n', 'ak', 0o600);
  assert.equal(r.value?.active.method, 'sha256');
  assert.deepEqual(codes(r), ['LL_AUTHKEYS_NOT_HEARTBEAT']);
});
