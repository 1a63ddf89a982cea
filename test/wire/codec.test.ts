// The codec handles every field type heartbeat has, and turns each kind of hostile input into a coded rejection.
// Rejections are Results, never exceptions, and cost time linear in the packet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, validateMessage, encodeNetstringMessage, type WirePacket } from '../../src/wire/codec.js';
import { parseClassic, renderClassic } from '../../src/wire/classic.js';
import { addCompressedStruct, decompressField, expandCompressedMessage } from '../../src/wire/compress.js';
import { MAXDEPTH, MAXMSG } from '../../src/wire/limits.js';
import { messageOf, getStruct, getList, type HaMessage } from '../../src/wire/message.js';
import { deflateSync } from 'node:zlib';
import { payloads } from './fixtures.js';

const enc = (s: string) => Buffer.from(s, 'latin1');
const code = (bytes: Uint8Array): string => {
  const r = decode(bytes);
  return r.ok ? 'ok' : r.error.code;
};
/** Wraps field netstrings into a message with a (dummy) outer auth. */
const packet = (...fields: string[]) => enc(`###\n${fields.map((f) => `${Buffer.byteLength(f, 'latin1')}:${f},`).join('')}%%%\n3:1 x,`);

const nested: HaMessage = {
  fields: [
    { name: 't', type: 0, value: 'crmd' },
    { name: 'uuid', type: 1, value: new Uint8Array([0, 1, 2, 0xff, 0x0a, 0x2c]) },
    { name: 'list', type: 3, value: ['nodea', 'node b', 'ünï'] },
    { name: 'child', type: 2, value: { fields: [{ name: 'a', type: 0, value: 'x=y,z\nnext line' }, { name: 'grand', type: 2, value: messageOf([['k', 'v']]) }] } },
    { name: 'later', type: 5, value: messageOf([['u', '1']]) },
    { name: 'zipped', type: 4, value: new Uint8Array([1, 2, 3]) },
    { name: 'empty', type: 0, value: '' },
  ],
};

test('every field type survives netstring encode then decode, and the bytes are stable', () => {
  const bytes = encodeNetstringMessage(nested);
  const d = decode(bytes);
  assert.ok(d.ok, d.ok ? '' : d.error.message);
  assert.deepEqual(d.value.message, nested);
  assert.equal(d.value.outerAuth, undefined);
  const again = encode(d.value);
  assert.ok(again.ok);
  assert.deepEqual(Buffer.from(again.value), bytes);
  assert.ok(bytes.includes(Buffer.from('(3)list=5:nodea,6:node b,5:ünï,,')), 'a list is packed LEN:elem, with byte lengths');
  assert.match(bytes.toString('latin1'), /:\(2\)child=###\n.*%%%\n,/s);
});

test('classic format: markers, type prefixes, base64, packed lists and per-depth newline symbols round-trip', () => {
  const noType5: HaMessage = { fields: nested.fields.filter((f) => f.type !== 5) };
  const text = renderClassic(noType5, { head: true });
  assert.ok(text.ok);
  assert.ok(text.value.startsWith('>>>\nt=crmd\n(1)uuid=AAEC/wos\n(3)list=5:nodea,6:node b,'));
  assert.ok(text.value.endsWith('\n<<<\n'));
  assert.ok(text.value.includes('a=x=y,z\x13next line\x14'), 'string newline → 0x13, nested line end → depth-0 symbol 0x14');
  assert.ok(text.value.includes('(2)grand=>>>\x15k=v\x15<<<\x15\x14'), 'the grandchild uses the depth-1 symbol');
  const back = parseClassic(text.value);
  assert.ok(back.ok, back.ok ? '' : back.error.message);
  assert.deepEqual(back.value, noType5);
  const pkt = decode(Buffer.from(text.value + '\0'));
  assert.ok(pkt.ok && pkt.value.format === 'classic' && pkt.value.nul === true);
  const e = encode(pkt.value);
  assert.ok(e.ok);
  assert.equal(Buffer.from(e.value).toString(), text.value + '\0');
  const r5 = renderClassic(nested, { head: true });
  assert.equal(r5.ok ? '' : r5.error.code, 'LL_WIRE_INVALID_MESSAGE', 'type 5 has no classic form, as in heartbeat');
});

test('a compressed struct is zlib over the child in wire form and decompresses to the same child', () => {
  const child = messageOf([['t', 'cib'], ['data', 'x'.repeat(5000)]]);
  const withZ = addCompressedStruct(messageOf([['t', 'crmd']]), 'crm_xml', child);
  assert.ok(withZ.ok);
  const wire = encodeNetstringMessage(withZ.value);
  assert.ok(wire.length < 500, 'compressed on the wire');
  const d = decode(wire);
  assert.ok(d.ok);
  const back = decompressField(d.value.message, 'crm_xml');
  assert.ok(back.ok, back.ok ? '' : back.error.message);
  assert.deepEqual(back.value, child);
  // whole-message (traditional) compression wrapper
  const wrapper: HaMessage = { fields: [{ name: '_compressed_payload', type: 1, value: deflateSync(encodeNetstringMessage(child)) }, { name: '_compression_algorithm', type: 0, value: 'zlib' }] };
  const ex = expandCompressedMessage(wrapper);
  assert.ok(ex.ok);
  assert.deepEqual(ex.value, child);
});

test('decompression is bounded and refuses what it cannot do', () => {
  const bomb = deflateSync(Buffer.alloc(3 * 1024 * 1024, 0x41));
  const m: HaMessage = { fields: [{ name: 'z', type: 4, value: bomb }, { name: '_compression_algorithm', type: 0, value: 'zlib' }] };
  const r = decompressField(m, 'z');
  assert.equal(r.ok ? '' : r.error.code, 'LL_WIRE_DECOMPRESS_FAILED');
  const garbage = decompressField({ fields: [{ name: 'z', type: 4, value: new Uint8Array([1, 2, 3]) }, { name: '_compression_algorithm', type: 0, value: 'zlib' }] }, 'z');
  assert.equal(garbage.ok ? '' : garbage.error.code, 'LL_WIRE_DECOMPRESS_FAILED');
  const bz2 = decompressField({ fields: [{ name: 'z', type: 4, value: new Uint8Array([1]) }, { name: '_compression_algorithm', type: 0, value: 'bz2' }] }, 'z');
  assert.equal(bz2.ok ? '' : bz2.error.code, 'LL_WIRE_COMPRESSION_UNSUPPORTED');
});

test('hostile input: each class is rejected with its own code', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['empty', new Uint8Array(0), 'LL_WIRE_EMPTY'],
    ['oversized', Buffer.concat([enc('###\n'), Buffer.alloc(MAXMSG)]), 'LL_WIRE_TOO_LARGE'],
    ['not a message', enc('GET / HTTP/1.0\r\n\r\n'), 'LL_WIRE_NO_START'],
    ['no end marker', enc('###\n6:(0)a=b,'), 'LL_WIRE_NO_END'],
    ['truncated in a length', enc('###\n12'), 'LL_WIRE_NO_END'],
    ['length with a leading zero', enc('###\n06:(0)a=b,%%%\n'), 'LL_WIRE_BAD_LENGTH'],
    ['length not a number', enc('###\nx:(0)a=b,%%%\n'), 'LL_WIRE_BAD_LENGTH'],
    ['length with too many digits', enc('###\n00000000006:(0)a=b,%%%\n'), 'LL_WIRE_BAD_LENGTH'],
    ['huge declared length', enc('###\n9999999:(0)a=b,%%%\n'), 'LL_WIRE_LENGTH_OVERRUN'],
    ['wrong length', enc('###\n5:(0)a=b,%%%\n'), 'LL_WIRE_NO_COMMA'],
    ['missing terminator', enc('###\n6:(0)a=b;%%%\n'), 'LL_WIRE_NO_COMMA'],
    ['type 9', packet('(9)a=b'), 'LL_WIRE_BAD_TYPE'],
    ['no type', packet('a=b'), 'LL_WIRE_BAD_TYPE'],
    ['no "="', packet('(0)ab'), 'LL_WIRE_BAD_FIELD'],
    ['empty name', packet('(0)=b'), 'LL_WIRE_BAD_FIELD'],
    ['non-UTF-8 value', packet('(0)a=\xff\xfe'), 'LL_WIRE_BAD_UTF8'],
    ['non-UTF-8 name', packet('(0)\xc3=b'), 'LL_WIRE_BAD_UTF8'],
    ['NUL in a string', packet('(0)a=b\0c'), 'LL_WIRE_NUL_IN_STRING'],
    ['empty list', packet('(3)l='), 'LL_WIRE_BAD_LIST'],
    ['zero-length list element', packet('(3)l=0:,'), 'LL_WIRE_BAD_LIST'],
    ['list element overruns', packet('(3)l=9:ab,'), 'LL_WIRE_BAD_LIST'],
    ['bytes after a nested message', packet('(2)s=###\n%%%\nxx'), 'LL_WIRE_NESTED_TRAILING'],
    ['nested message without start', packet('(2)s=abc'), 'LL_WIRE_NO_START'],
    ['stray bytes after the auth netstring', enc('###\n6:(0)a=b,%%%\n3:1 x,junk'), 'LL_WIRE_TRAILING_BYTES'],
    ['auth netstring without comma', enc('###\n6:(0)a=b,%%%\n3:1 x'), 'LL_WIRE_LENGTH_OVERRUN'],
    ['classic without end', enc('>>>\na=b\n'), 'LL_WIRE_NO_END'],
    ['classic line without "="', enc('>>>\nab\n<<<\n'), 'LL_WIRE_BAD_FIELD'],
    ['classic bad base64', enc('>>>\n(1)u=abc\n<<<\n'), 'LL_WIRE_BAD_BASE64'],
    ['classic NUL inside', enc('>>>\na=b\0c\n<<<\n'), 'LL_WIRE_NUL_IN_STRING'],
    ['classic non-UTF-8', enc('>>>\na=\xff\n<<<\n'), 'LL_WIRE_BAD_UTF8'],
  ];
  for (const [what, bytes, want] of cases) assert.equal(code(bytes), want, what);
  assert.equal(code(packet('(0)a=b')), 'ok', 'the well-formed control case decodes');
});

test('nesting is allowed to heartbeat\'s MAXDEPTH and refused one level deeper, in both formats', () => {
  const deep = (levels: number): HaMessage => {
    let m: HaMessage = messageOf([['leaf', 'x']]);
    for (let i = 0; i < levels; i++) m = { fields: [{ name: 's', type: 2, value: m }] };
    return m;
  };
  assert.equal(code(encodeNetstringMessage(deep(MAXDEPTH))), 'ok');
  assert.equal(code(encodeNetstringMessage(deep(MAXDEPTH + 1))), 'LL_WIRE_TOO_DEEP');
  const c = renderClassic(deep(MAXDEPTH), { head: true });
  assert.ok(c.ok);
  assert.ok(parseClassic(c.value).ok);
  assert.equal(renderClassic(deep(MAXDEPTH + 1), { head: true }).ok, false);
  assert.equal(validateMessage(deep(MAXDEPTH + 1)).ok, false);
});

test('every truncation of a real packet is rejected, never thrown', () => {
  const p = payloads('md5')[0]!;
  for (let n = 0; n < p.length; n++) {
    const r = decode(p.subarray(0, n));
    const endOfBody = p.indexOf('%%%\n') + 4;
    if (n === endOfBody) assert.ok(r.ok && r.value.outerAuth === undefined, 'a message without its auth netstring decodes, unauthenticated');
    else assert.equal(r.ok, false, `prefix of ${n} bytes`);
  }
});

test('decoding stays linear: a maximum-size packet of tiny fields and a nesting bomb decode quickly', () => {
  const field = '6:(0)a=b,';
  const many = enc('###\n' + field.repeat(Math.floor((MAXMSG - 20) / field.length)) + '%%%\n');
  let t = process.hrtime.bigint();
  const r = decode(many);
  assert.ok(r.ok && r.value.message.fields.length > 29000);
  assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 2000, 'generous bound: well under 2 s');
  // Deep nesting claims: the depth limit stops it at level 17 without recursing further.
  const bomb = enc('###\n' + '99:(2)s=###\n'.repeat(10000));
  t = process.hrtime.bigint();
  assert.notEqual(code(bomb), 'ok');
  assert.ok(Number(process.hrtime.bigint() - t) / 1e6 < 2000);
});

test('validateMessage refuses what heartbeat could not send', () => {
  const bad = (m: HaMessage) => {
    const r = validateMessage(m);
    return r.ok ? 'ok' : r.error.code;
  };
  assert.equal(bad(messageOf([['a=b', 'x']])), 'LL_WIRE_INVALID_MESSAGE');
  assert.equal(bad(messageOf([['', 'x']])), 'LL_WIRE_INVALID_MESSAGE');
  assert.equal(bad(messageOf([['a', 'x\0y']])), 'LL_WIRE_INVALID_MESSAGE');
  assert.equal(bad({ fields: [{ name: 'l', type: 3, value: [] }] }), 'LL_WIRE_INVALID_MESSAGE');
  assert.equal(bad({ fields: [{ name: 'l', type: 3, value: ['x'.repeat(1020)] }] }), 'LL_WIRE_INVALID_MESSAGE');
  assert.equal(bad(messageOf([['big', 'x'.repeat(MAXMSG)]])), 'LL_WIRE_TOO_LARGE');
  assert.equal(bad(nested), 'ok');
  assert.deepEqual(getList(nested, 'list'), ['nodea', 'node b', 'ünï']);
  assert.equal(getStruct(nested, 'later')?.fields[0]?.name, 'u');
  const p: WirePacket = { format: 'netstring', message: nested, outerAuth: '1 abc' };
  const e = encode(p);
  assert.ok(e.ok && Buffer.from(e.value).toString('latin1').endsWith('%%%\n5:1 abc,'));
});
