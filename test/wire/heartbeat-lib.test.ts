// Cross-check against heartbeat's own message library (cluster-glue libplumb, installed with heartbeat): it must read
// what Lifeline writes, write back the same bytes, render the same classic text, and Lifeline must read what it builds.
// This covers what the captures lack: structs, lists, compressed fields, classic packets. Skipped without gcc or libplumb.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { decode, encodeNetstringMessage, validateMessage } from '../../src/wire/codec.js';
import { renderClassic } from '../../src/wire/classic.js';
import { addCompressedStruct, decompressField } from '../../src/wire/compress.js';
import { messageOf, type Field, type HaMessage } from '../../src/wire/message.js';
import { message } from './arbitraries.js';
import { repoRoot } from './fixtures.js';

const LIB = ['/usr/lib/libplumb.so.2', '/usr/lib/x86_64-linux-gnu/libplumb.so.2'].find((p) => existsSync(p));
const GCC = spawnSync('gcc', ['--version']).status === 0;
const why = !LIB ? 'libplumb.so.2 (cluster-glue) not installed' : !GCC ? 'gcc not installed' : undefined;

function withOracle(fn: (run: (mode: string, input?: string, arg?: string) => string[]) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-hblib-'));
  try {
    const exe = join(dir, 'hb-codec');
    const cc = spawnSync('gcc', ['-O1', '-o', exe, join(repoRoot(), 'test', 'wire', 'c', 'hb-codec.c'), LIB!], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    fn((mode, input, arg) => {
      const r = spawnSync(exe, arg === undefined ? [mode] : [mode, arg], { input: input ?? '', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter((l) => l !== '');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** heartbeat merges repeated list fields and refuses a name reused with another type, so names are made unique. */
function uniqueNames(m: HaMessage): HaMessage {
  return { fields: m.fields.map((f, i): Field => {
    const name = `${f.name}_${i}`;
    return f.type === 2 || f.type === 5 ? { name, type: f.type, value: uniqueNames(f.value) } : ({ ...f, name } as Field);
  }) };
}

test('heartbeat builds structs, lists, binary and zlib-compressed fields exactly as Lifeline encodes and reads them', { skip: why }, () => {
  withOracle((run) => {
    const [plain, zipped, zippedFlat] = run('build').map((h) => Buffer.from(h, 'hex'));
    const child: HaMessage = { fields: [
      { name: 't', type: 0, value: 'cib' },
      { name: 'data', type: 0, value: 'line one\nline two, with = and :' },
      { name: 'nodes', type: 3, value: ['nodea', 'nodeb', 'node c'] },
      { name: 'grand', type: 2, value: messageOf([['k', 'v']]) },
    ] };
    const expected: HaMessage = { fields: [
      { name: 't', type: 0, value: 'crmd' },
      { name: 'uuid', type: 1, value: new Uint8Array([1, 2, 0, 0xff, 0x0a, 0x2c]) },
      { name: 'child', type: 2, value: child },
    ] };
    assert.deepEqual(encodeNetstringMessage(expected), plain);
    const d = decode(plain!);
    assert.ok(d.ok);
    assert.deepEqual(d.value.message, expected);

    const z = decode(zipped!);
    assert.ok(z.ok);
    const inner = decompressField(z.value.message, 'crm_xml');
    assert.ok(inner.ok, inner.ok ? '' : inner.error.message);
    assert.deepEqual(inner.value, child);
    const ours = addCompressedStruct(messageOf([['t', 'crmd']]), 'crm_xml', child);
    assert.ok(ours.ok);
    // Node's zlib may choose other (equally valid) deflate blocks than the system zlib, so compare what heartbeat
    // inflates from Lifeline's bytes, not the compressed bytes themselves.
    const [hbChild] = run('inflate', encodeNetstringMessage(ours.value).toString('hex') + '\n', 'crm_xml');
    assert.equal(hbChild, encodeNetstringMessage(child).toString('hex'), 'heartbeat inflates Lifeline\'s compressed field');

    const flat = messageOf([['t', 'flat'], ['v', 'x\ny']]);
    const zf = decode(zippedFlat!);
    assert.ok(zf.ok);
    const innerFlat = decompressField(zf.value.message, 'payload');
    assert.ok(innerFlat.ok);
    assert.deepEqual(innerFlat.value, flat);
    const oursFlat = addCompressedStruct({ fields: [] }, 'payload', flat);
    assert.ok(oursFlat.ok);
    const [hbFlat] = run('inflate', encodeNetstringMessage(oursFlat.value).toString('hex') + '\n', 'payload');
    assert.equal(hbFlat, encodeNetstringMessage(flat).toString('hex'), 'heartbeat inflates classic text + NUL from Lifeline');
  });
});

test('heartbeat re-encodes Lifeline\'s netstring and classic encodings of generated messages to the same bytes', { skip: why }, () => {
  // Messages heartbeat can carry unchanged (validateMessage: e.g. no byte 0x13 in text, which heartbeat reads as "\n").
  const messages = fc.sample(message({ classic: false }), { seed: 694, numRuns: 400 }).map(uniqueNames).filter((m) => validateMessage(m).ok);
  assert.ok(messages.length > 200);
  withOracle((run) => {
    const inputs: string[] = [];
    for (const m of messages) {
      inputs.push(encodeNetstringMessage(m).toString('hex'));
      const c = renderClassic(m, { head: true });
      // Classic text is ambiguous for some content (control symbols in strings); compare where Lifeline reads it.
      if (c.ok && decode(Buffer.from(c.value + '\0')).ok) inputs.push(Buffer.from(c.value + '\0').toString('hex'));
    }
    const out = run('reencode', inputs.join('\n') + '\n');
    assert.equal(out.length, inputs.length);
    assert.ok(inputs.length > messages.length + 100, 'classic inputs are compared too');
    // Both sides decode the same bytes; their re-encodings of what they decoded must agree byte for byte.
    inputs.forEach((hex, i) => {
      const ours = decode(Buffer.from(hex, 'hex'));
      assert.ok(ours.ok, `Lifeline rejected input ${i}`);
      const m = ours.value.message;
      assert.notEqual(out[i], 'REJECT', `heartbeat rejected input ${i}: ${JSON.stringify(m)}`);
      const [ns, cl, na] = out[i]!.split(' ');
      const classic = renderClassic(m, { head: true });
      const authText = renderClassic(m, { head: false });
      assert.equal(ns, encodeNetstringMessage(m).toString('hex'), `netstring of input ${i}`);
      assert.equal(cl, classic.ok ? Buffer.from(classic.value).toString('hex') : '-', `classic rendering of input ${i}`);
      assert.equal(na, authText.ok ? Buffer.from(authText.value).toString('hex') : '-', `inner-auth text of input ${i}`);
    });
  });
});
