// Lifeline's UDP transports hear a real heartbeat 3.0.6 on each medium it speaks: bcast, mcast and ucast.
// heartbeat runs on nodea; on nodeb one transport per medium waits for heartbeat's status packets.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { listNamespaces, startDaemon, withCluster } from '../../src/harness/index.js';
import { startPeerOnHost, type Peer, type PeerEvent } from '../fixtures/peer.js';
import { AUTHKEYS_TEXT, interopDir, nodeAddress } from '../wire/fixtures.js';

const PREFIX = 'llh-hbi';

test('bcast, mcast and ucast transports on nodeb receive real heartbeat status packets from nodea', { timeout: 60000 }, async () => {
  const peers: Peer[] = [];
  try {
    await withCluster({ prefix: PREFIX, networks: ['10.201.9.0/24', '10.201.10.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
      const b = c.host('nodeb');
      const media = [
        { kind: 'bcast', ifname: 'eth0' },
        { kind: 'mcast', ifname: 'eth1', group: '239.0.0.44', port: 694, ttl: 1, loop: false },
        { kind: 'ucast', ifname: 'eth0', host: '10.201.9.1' },
      ];
      for (const m of media) peers.push(startPeerOnHost(b, m));
      for (const p of peers) await p.waitFor((e) => e.event === 'ready');
      const haCf = 'keepalive 200ms\ndeadtime 2\ninitdead 10\nudpport 694\nbcast eth0\nmcast eth1 239.0.0.44 694 1 0\nucast eth0 10.201.9.2\nnode nodea nodeb\n';
      const d = await startDaemon(c.host('nodea'), { haCf, authkeys: 'auth 1\n1 sha1 interop\n', haresources: '' });
      assert.equal(d.launcherExit, 0, await c.host('nodea').readLog());
      const isStatus = (e: PeerEvent): boolean => e.event === 'packet' && String(e.text).startsWith('###\n') && /\(0\)t=status,/.test(String(e.text));
      const [bc, mc, uc] = await Promise.all(peers.map((p) => p.waitFor(isStatus, 20000)));
      assert.deepEqual([bc?.from, bc?.link, bc?.kind], ['10.201.9.1', 'eth0', 'bcast']);
      assert.deepEqual([mc?.from, mc?.link, mc?.kind], ['10.201.10.1', 'eth1', 'mcast']);
      assert.deepEqual([uc?.from, uc?.link, uc?.kind], ['10.201.9.1', 'eth0', 'ucast']);
      assert.match(String(bc?.text), /\(0\)src=nodea,/);
    });
  } finally {
    for (const p of peers) p.close();
  }
  assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${PREFIX}-`)), []);
});

test('the serial transport receives real heartbeat\'s classic-format messages over a pty cable', { timeout: 60000 }, async () => {
  const prefix = 'llh-hbs';
  const peers: Peer[] = [];
  try {
    await withCluster({ prefix, networks: ['10.201.11.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
      const tty = await c.serialLink('nodea', 'nodeb');
      const p = startPeerOnHost(c.host('nodeb'), { kind: 'serial', device: tty.b, baud: 19200 });
      peers.push(p);
      await p.waitFor((e) => e.event === 'ready');
      const haCf = `keepalive 200ms\ndeadtime 2\ninitdead 10\nbaud 19200\nserial ${tty.a}\nnode nodea nodeb\n`;
      const d = await startDaemon(c.host('nodea'), { haCf, authkeys: 'auth 1\n1 sha1 interop\n', haresources: '' });
      assert.equal(d.launcherExit, 0, await c.host('nodea').readLog());
      const e = await p.waitFor((x) => x.event === 'packet' && /\nt=status\n/.test(String(x.text)), 20000);
      const text = String(e.text);
      assert.match(text, /^>>>\n/);
      assert.match(text, /\n<<<\n$/);
      assert.match(text, /\nsrc=nodea\n/);
      assert.match(text, /\nauth=1 [0-9a-f]{40}\n/);
      assert.equal(e.link, tty.b);
    });
  } finally {
    for (const p of peers) p.close();
  }
  assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${prefix}-`)), []);
});

test('real heartbeat accepts a packet sent by the bcast transport (a captured nodeb status, replayed)', { timeout: 60000 }, async () => {
  // The first status packet nodeb sent in the recorded capture: signed with the capture's sha1 key.
  const first = readFileSync(join(interopDir(), 'sha1.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { src: string; payload_hex: string })
    .find((o) => o.src === nodeAddress('nodeb') && Buffer.from(o.payload_hex, 'hex').includes('(0)t=status,'));
  assert.ok(first);
  const prefix = 'llh-hbr';
  const peers: Peer[] = [];
  try {
    await withCluster({ prefix, networks: ['10.201.12.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
      const p = startPeerOnHost(c.host('nodeb'), { kind: 'bcast', ifname: 'eth0' });
      peers.push(p);
      await p.waitFor((e) => e.event === 'ready');
      const a = c.host('nodea');
      const d = await startDaemon(a, { haCf: 'keepalive 1\ndeadtime 5\ninitdead 10\nbcast eth0\nnode nodea nodeb\n',
        authkeys: AUTHKEYS_TEXT.sha1, haresources: '' });
      assert.equal(d.launcherExit, 0, await a.readLog());
      await a.waitForLog(/Link nodea:eth0 up\./);
      const heard = a.waitForLog(/Link nodeb:eth0 up\./, { timeoutMs: 10000 });
      const timer = setInterval(() => p.command({ sendHex: first.payload_hex }), 200);
      // heartbeat marks a link up only for a packet that passed its authentication.
      try { await heard; } finally { clearInterval(timer); }
    });
  } finally {
    for (const p of peers) p.close();
  }
  assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${prefix}-`)), []);
});
