// Every packet a real heartbeat 3.0.6 cluster sent decodes, re-encodes byte for byte and authenticates with its key.
// The three captures (sha1, md5, crc, recorded by scripts/record-heartbeat-fixtures.ts) are the oracle: both digests each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { decode, encode } from '../../src/wire/codec.js';
import { renderClassic } from '../../src/wire/classic.js';
import { crc32posix, sign, verify } from '../../src/wire/auth.js';
import { readCapture } from '../../src/wire/capture.js';
import { getString, getBinary, uuidString } from '../../src/wire/message.js';
import { captureManifest, interopDir, keysFor, keysOf, METHODS, payloads, secretOf, type CaptureName } from './fixtures.js';


/** The digest computed independently of src/wire/auth.ts, straight from the spec's description. */
function specDigest(method: CaptureName, data: Buffer): string {
  return method === 'crc' ? crc32posix(data).toString(16) : createHmac(method, secretOf(method)).update(data).digest('hex');
}

test('every captured packet decodes and encodes back to the identical bytes', () => {
  let total = 0;
  for (const m of METHODS) {
    assert.ok(payloads(m).length > 100, `${m}: a whole run (start, crash, takeover, failback, stop) has well over 100 packets`);
    for (const p of payloads(m)) {
      const d = decode(p);
      assert.ok(d.ok, `${m}: ${d.ok ? '' : d.error.message}`);
      const e = encode(d.value);
      assert.ok(e.ok);
      assert.deepEqual(Buffer.from(e.value), p);
      total++;
    }
  }
  assert.equal(total, METHODS.reduce((n, m) => n + payloads(m).length, 0));
});

test('both digests of every packet match the spec: outer over "###\\n".."%%%\\n", inner over the classic rendering', () => {
  for (const m of METHODS) {
    for (const p of payloads(m)) {
      const d = decode(p);
      assert.ok(d.ok);
      const end = p.indexOf('%%%\n') + 4;
      assert.equal(d.value.outerAuth, `1 ${specDigest(m, p.subarray(0, end))}`);
      const classic = renderClassic(d.value.message, { head: false });
      assert.ok(classic.ok);
      assert.equal(getString(d.value.message, 'auth'), `1 ${specDigest(m, Buffer.from(classic.value))}`);
      const v = verify(d.value, keysFor(m));
      assert.ok(v.ok && v.value.inner && v.value.index === 1, `${m} packet failed: ${v.ok ? '' : v.error.message}`);
    }
  }
});

test('signing a captured message again with its key reproduces the packet heartbeat sent', () => {
  for (const m of METHODS) {
    for (const p of payloads(m)) {
      const d = decode(p);
      assert.ok(d.ok);
      const s = sign(d.value.message, keysFor(m));
      assert.ok(s.ok);
      assert.deepEqual(Buffer.from(s.value.bytes), p);
    }
  }
});

test('the classic rendering of a status message is name=value lines with the uuid in base64', () => {
  const d = decode(payloads('sha1')[0]!);
  assert.ok(d.ok);
  const r = renderClassic(d.value.message, { head: false });
  assert.ok(r.ok);
  // The sender's uuid as heartbeat stored it in its hb_uuid file (capture.json), independent of the packet.
  const src = getString(d.value.message, 'src')!;
  const uuid = captureManifest().uuids.sha1[src]!;
  assert.equal(r.value.split('\n')[5], `(1)srcuuid=${Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64')}`);
  assert.ok(!r.value.includes('auth='), 'the inner digest does not cover the auth field itself');
  assert.equal(uuidString(getBinary(d.value.message, 'srcuuid')!), uuid);
});

test('a wrong secret, an unknown key index and a flipped byte each fail verification with their reason', () => {
  const p = payloads('sha1')[10]!;
  const d = decode(p);
  assert.ok(d.ok);
  const wrongKey = verify(d.value, keysOf('auth 1\n1 sha1 NotTheSecret\n'));
  assert.equal(wrongKey.ok ? '' : wrongKey.error.code, 'LL_WIRE_AUTH_BAD_DIGEST');
  const secret = secretOf('sha1');
  const wrongMethod = verify(d.value, keysOf(`auth 1\n1 md5 ${secret}\n`));
  assert.equal(wrongMethod.ok ? '' : wrongMethod.error.code, 'LL_WIRE_AUTH_BAD_DIGEST');
  const wrongIndex = verify(d.value, keysOf(`auth 2\n2 sha1 ${secret}\n`));
  assert.equal(wrongIndex.ok ? '' : wrongIndex.error.code, 'LL_WIRE_AUTH_UNKNOWN_KEY');
  // Any key index in authkeys may verify, not only the active one.
  assert.ok(verify(d.value, keysOf(`auth 2\n1 sha1 ${secret}\n2 md5 other\n`)).ok);

  // Flip every byte of the signed range in turn (and the digest text): none may pass.
  const end = p.indexOf('%%%\n') + 4;
  for (let i = 0; i < p.length; i++) {
    const q = Buffer.from(p);
    q[i] = q[i]! ^ 0x01;
    const dq = decode(q);
    const passed = dq.ok && verify(dq.value, keysFor('sha1')).ok;
    assert.ok(!passed, `flipping byte ${i} (of ${p.length}, signed range ${end}) went unnoticed`);
  }
});

test('crc packets are only as strong as crc: any flipped byte still fails', () => {
  const p = payloads('crc')[3]!;
  for (let i = 0; i < p.length; i++) {
    const q = Buffer.from(p);
    q[i] = q[i]! ^ 0x80;
    const dq = decode(q);
    assert.ok(!(dq.ok && verify(dq.value, keysFor('crc')).ok), `crc: byte ${i}`);
  }
});

test('the pcap files hold exactly the datagrams of the JSON-lines files', () => {
  for (const m of METHODS) {
    const pcap = readCapture(readFileSync(join(interopDir(), `${m}.pcap`)), `${m}.pcap`);
    const jsonl = readCapture(readFileSync(join(interopDir(), `${m}.jsonl`)), `${m}.jsonl`);
    assert.ok(pcap.ok && jsonl.ok);
    assert.equal(pcap.value.datagrams.length, jsonl.value.datagrams.length);
    pcap.value.datagrams.forEach((d, i) => {
      const j = jsonl.value.datagrams[i]!;
      assert.deepEqual([d.src, d.dst, d.sport, d.dport], [j.src, j.dst, j.sport, j.dport]);
      assert.ok(Math.abs(d.time - j.time) < 1e-5);
      assert.deepEqual(Buffer.from(d.payload), Buffer.from(j.payload));
    });
  }
});
