// The typed view of a message the layers above the codec use: header fields from hex text, accessors, ha_msg_mod order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVerified } from '../../src/wire/auth.js';
import { readHeader, messageOf, setString, getString, uuidString, getBinary } from '../../src/wire/message.js';
import { keysFor, payloads, METHODS } from './fixtures.js';

test('every captured packet yields a header: type, sender, generation; seq on all but NS_ messages', () => {
  const types = new Set<string>();
  for (const m of METHODS) {
    for (const p of payloads(m)) {
      const r = decodeVerified(p, keysFor(m));
      assert.ok(r.ok);
      const h = readHeader(r.value.packet.message);
      assert.ok(h.ok, h.ok ? '' : h.error.message);
      types.add(h.value.type);
      assert.ok(h.value.from === 'nodea' || h.value.from === 'nodeb');
      assert.ok((h.value.generation ?? 0) > 0x6b000000);
      assert.equal(h.value.seq === undefined, h.value.type.startsWith('NS_'));
      assert.equal(h.value.ttl, 3);
      assert.equal(uuidString(getBinary(r.value.packet.message, 'srcuuid')!)?.length, 36);
    }
  }
  for (const t of ['status', 'NS_ackmsg', 'resource', 'ask_resources', 'reqnodes', 'repnodes', 'starting', 'stonith', 'shutdone', 'ip-request-resp']) {
    assert.ok(types.has(t), `type ${t} seen in the captures`);
  }
});

test('seq "1f" is 31; malformed header fields are refused by name', () => {
  const h = readHeader(messageOf([['t', 'status'], ['seq', '1f'], ['hg', '6b064172']]));
  assert.ok(h.ok);
  assert.equal(h.value.seq, 31);
  assert.equal(h.value.generation, 0x6b064172);
  for (const [name, value] of [['seq', '1F'], ['seq', '-1'], ['hg', 'x'], ['ts', ''], ['ttl', 'three']] as const) {
    const r = readHeader(messageOf([['t', 'status'], [name, value]]));
    assert.equal(r.ok ? '' : r.error.code, 'LL_WIRE_BAD_HEADER', `${name}=${value}`);
    assert.match(r.ok ? '' : r.error.message, new RegExp(`^field "${name}"`));
  }
  const none = readHeader(messageOf([['src', 'nodea']]));
  assert.equal(none.ok ? '' : none.error.code, 'LL_WIRE_BAD_HEADER');
});

test('setString replaces the first field of a name in place, or appends (as heartbeat\'s ha_msg_mod)', () => {
  const m = messageOf([['a', '1'], ['b', '2'], ['a', '3']]);
  assert.deepEqual(setString(m, 'a', 'x').fields.map((f) => [f.name, f.value]), [['a', 'x'], ['b', '2'], ['a', '3']]);
  assert.deepEqual(setString(m, 'c', 'y').fields.map((f) => f.name), ['a', 'b', 'a', 'c']);
  assert.equal(getString(m, 'a'), '1');
  assert.equal(uuidString(new Uint8Array(3)), undefined);
});

test('wire-dump lines show nested, list, binary and compressed fields readably', async () => {
  const { dumpDatagrams } = await import('../../src/wire/dump.js');
  const { sign } = await import('../../src/wire/auth.js');
  const { addCompressedStruct } = await import('../../src/wire/compress.js');
  const keys = keysFor('sha1');
  const base = messageOf([['t', 'crmd'], ['src', 'nodea'], ['seq', '2'], ['hg', '1']]);
  const z = addCompressedStruct(base, 'crm_xml', messageOf([['op', 'start'], ['rsc', 'ip 1']]));
  assert.ok(z.ok);
  const m = { fields: [...z.value.fields, { name: 'ids', type: 3 as const, value: ['a', 'b c'] }, { name: 'raw', type: 1 as const, value: new Uint8Array([0xde, 0xad]) }, { name: 'sub', type: 2 as const, value: messageOf([['k', 'v']]) }] };
  const s = sign(m, keys);
  assert.ok(s.ok);
  const r = dumpDatagrams([{ time: 1.5, src: '10.0.0.1', dst: '10.0.0.255', sport: 5, dport: 694, payload: s.value.bytes }, { time: 2, src: '10.0.0.2', dst: '', sport: 6, dport: 694, payload: new Uint8Array([1, 2]) }], keys);
  assert.equal(r.lines[0], '1970-01-01T00:00:01.500000Z 10.0.0.1:5 nodea crmd seq=2 gen=1 auth=ok crm_xml=zlib{op=start rsc="ip 1"} _compression_algorithm=zlib ids=["a","b c"] raw=0xdead sub={k=v}');
  assert.match(r.lines[1]!, /^1970-01-01T00:00:02\.000000Z 10\.0\.0\.2:6 UNDECODABLE .*\[LL_WIRE_NO_START\]$/);
  assert.deepEqual([r.verified, r.failed], [1, 1]);
});
