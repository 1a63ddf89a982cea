// The serial medium over a null-modem cable made of a socat pty pair: framing, noise, pacing, wrong format.
// The cable comes from the harness (its socat runs in the cluster's bridge namespace and dies with it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCluster, listNamespaces, type Cluster } from '../../src/harness/index.js';
import { fragmentDelayMs, SerialFramer } from '../../src/io/index.js';
import { startPeerOnHost, type Peer, type PeerEvent } from '../fixtures/peer.js';

const PREFIX = 'llh-ser';
const got = (text: string) => (e: PeerEvent): boolean => e.event === 'packet' && e.text === text;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('SerialFramer (pure)', () => {
  test('cuts frames at ">>>" … "<<<" lines, ignoring noise before a frame, CRs and the 8th bit', () => {
    const f = new SerialFramer();
    const noisy = 'garbage\n>>>\r\nt=status\nst=active\n<<<\n';
    const bytes = enc(noisy);
    bytes[bytes.indexOf('t'.charCodeAt(0), 12)] = 't'.charCodeAt(0) | 0x80; // a flipped parity bit
    assert.deepEqual(f.push(bytes.subarray(0, 15)), []);
    assert.deepEqual(f.push(bytes.subarray(15)), ['>>>\nt=status\nst=active\n<<<\n']);
    assert.equal(f.dropped, 1);
  });

  test('a frame that never ends is dropped once it passes the size limit, and the next frame still arrives', () => {
    const f = new SerialFramer();
    f.push(enc('>>>\n'));
    for (let i = 0; i < 3400; i++) assert.deepEqual(f.push(enc('x=0123456789\n')), []);
    // 3400 lines of 13 bytes pass the 40000-byte limit once; the lines after it are noise outside a frame.
    assert.ok(f.dropped >= 1);
    assert.deepEqual(f.push(enc('>>>\nt=ok\n<<<\n')), ['>>>\nt=ok\n<<<\n']);
  });

  test('pacing between 512-byte fragments follows the baud rate', () => {
    assert.equal(Math.round(fragmentDelayMs(19200)), 213);
    assert.equal(Math.round(fragmentDelayMs(115200)), 36);
  });
});

describe('serial medium over a pty pair between two hosts', { timeout: 60000 }, () => {
  let cluster: Cluster;
  let a: Peer;
  let b: Peer;
  before(async () => {
    cluster = await createCluster({ prefix: PREFIX, networks: ['10.201.5.0/24'], hosts: ['nodea', 'nodeb'] });
    const tty = await cluster.serialLink('nodea', 'nodeb');
    a = startPeerOnHost(cluster.host('nodea'), { kind: 'serial', device: tty.a, baud: 115200 });
    b = startPeerOnHost(cluster.host('nodeb'), { kind: 'serial', device: tty.b, baud: 115200 });
    await a.waitFor((e) => e.event === 'ready');
    await b.waitFor((e) => e.event === 'ready');
  });
  after(async () => {
    a?.close();
    b?.close();
    await cluster?.destroy();
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${PREFIX}-`)), []);
  });

  test('a classic message crosses the cable intact, both ways, and names the tty as its link', async () => {
    const msg = '>>>\nt=status\nst=active\nsrc=nodea\n<<<\n';
    a.send(msg);
    const e = await b.waitFor(got(msg));
    assert.equal(e.kind, 'serial');
    assert.match(String(e.link), /tty-nodea-nodeb\.b$/);
    b.send('>>>\nt=status\nsrc=nodeb\n<<<\n');
    await a.waitFor(got('>>>\nt=status\nsrc=nodeb\n<<<\n'));
  });

  test('a message longer than one fragment is reassembled', async () => {
    const long = `>>>\n${Array.from({ length: 60 }, (_, i) => `field${i}=${'v'.repeat(20)}`).join('\n')}\n<<<\n`;
    assert.ok(long.length > 1024);
    a.send(long);
    await b.waitFor(got(long));
  });

  test('a netstring (###) message is refused with an error instead of being written', async () => {
    a.send('###\n10:(0)t=x,%%%\n');
    const e = await a.waitFor((x) => x.event === 'error');
    assert.match(String(e.message), /classic text format/);
  });
});
