// Property-based checks of the codec with fast-check: generated messages round-trip in both formats and verify once
// signed; mutated real packets never make the decoder throw, and anything it accepts re-encodes to the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decode, encode, encodeNetstringMessage, validateMessage } from '../../src/wire/codec.js';
import { parseClassic, renderClassic } from '../../src/wire/classic.js';
import { sign, verify } from '../../src/wire/auth.js';
import { authKey, message } from './arbitraries.js';
import { keysFor, payloads, METHODS } from './fixtures.js';

const RUNS = 1000;

test('netstring: decode(encode(m)) equals m and re-encodes to the same bytes', () => {
  fc.assert(fc.property(message({ classic: false }), (m) => {
    const bytes = encodeNetstringMessage(m);
    const d = decode(bytes);
    assert.ok(d.ok, d.ok ? '' : d.error.message);
    assert.deepEqual(d.value.message, m);
    const e = encode(d.value);
    assert.ok(e.ok);
    assert.deepEqual(Buffer.from(e.value), bytes);
  }), { numRuns: RUNS });
});

test('classic: parse(render(m)) equals m for messages the classic format can carry', () => {
  fc.assert(fc.property(message({ classic: true }), (m) => {
    const r = renderClassic(m, { head: true });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    const back = parseClassic(r.value);
    assert.ok(back.ok, back.ok ? '' : back.error.message);
    assert.deepEqual(back.value, m);
  }), { numRuns: RUNS });
});

test('sign then verify succeeds for every method and index, and fails with any other key', () => {
  fc.assert(fc.property(message({ classic: true }), authKey, (m, key) => {
    fc.pre(validateMessage(m).ok);
    const keys = { active: key, keys: new Map([[key.index, key]]) };
    const s = sign(m, keys);
    assert.ok(s.ok, s.ok ? '' : s.error.message);
    const d = decode(s.value.bytes);
    assert.ok(d.ok);
    assert.ok(verify(d.value, keys).ok);
    const other = { ...key, index: (key.index + 1) % 16 };
    assert.equal(verify(d.value, { active: other, keys: new Map([[other.index, other]]) }).ok, false);
  }), { numRuns: RUNS });
});

test('mutated captured packets: never a throw; accepted input re-encodes identically; no forgery verifies', () => {
  const corpus = METHODS.flatMap((m) => payloads(m).slice(0, 40).map((p) => [m, p] as const));
  const authentic = new Set(METHODS.flatMap((m) => payloads(m).map((p) => p.toString('latin1'))));
  const mutation = fc.record({
    which: fc.nat({ max: corpus.length - 1 }),
    edits: fc.array(fc.record({ at: fc.nat(), kind: fc.nat({ max: 4 }), byte: fc.integer({ min: 0, max: 255 }), len: fc.nat({ max: 12 }) }), { minLength: 1, maxLength: 4 }),
  });
  fc.assert(fc.property(mutation, ({ which, edits }) => {
    const [method, original] = corpus[which]!;
    let b = Buffer.from(original);
    for (const e of edits) {
      const at = e.at % (b.length + 1);
      if (e.kind === 0 && at < b.length) b[at] = e.byte;
      else if (e.kind === 1) b = Buffer.concat([b.subarray(0, at), Buffer.from([e.byte]), b.subarray(at)]);
      else if (e.kind === 2) b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
      else if (e.kind === 3) b = b.subarray(0, at);
      else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + e.len), b.subarray(at)]);
    }
    const d = decode(b);
    if (!d.ok) return;
    if (d.value.format === 'netstring') {
      const e = encode(d.value);
      assert.ok(e.ok);
      assert.deepEqual(Buffer.from(e.value), b);
    }
    // Edits can rebuild another authentic packet (duplicated captures); only a packet never sent may not verify.
    if (verify(d.value, keysFor(method)).ok) assert.ok(authentic.has(b.toString('latin1')), 'a changed packet passed authentication');
  }), { numRuns: RUNS * 5 });
});

test('random bytes, with and without a message start, never make the decoder throw', () => {
  fc.assert(fc.property(fc.constantFrom('', '###\n', '>>>\n'), fc.uint8Array({ maxLength: 300 }), (prefix, tail) => {
    const r = decode(Buffer.concat([Buffer.from(prefix), tail]));
    assert.equal(typeof r.ok, 'boolean');
  }), { numRuns: RUNS * 2 });
});
