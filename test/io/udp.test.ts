// The UDP media between real network namespaces: what one node sends, which peers hear it, on which link.
// Each end runs in its own host of a harness cluster (test/fixtures/transport-peer.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCluster, listNamespaces, type Cluster } from '../../src/harness/index.js';
import { startPeerOnHost, type Peer, type PeerEvent } from '../fixtures/peer.js';

const PREFIX = 'llh-udp';
let cluster: Cluster;
const peers: Peer[] = [];

const got = (text: string) => (e: PeerEvent): boolean => e.event === 'packet' && e.text === text;
async function peer(host: string, spec: unknown): Promise<Peer> {
  const p = startPeerOnHost(cluster.host(host), spec);
  peers.push(p);
  await p.waitFor((e) => e.event === 'ready');
  return p;
}

describe('UDP media between namespaces', { timeout: 60000 }, () => {
  before(async () => {
    cluster = await createCluster({ prefix: PREFIX, networks: ['10.201.2.0/24', '10.201.3.0/24'], hosts: ['nodea', 'nodeb', 'nodec'] });
  });
  after(async () => {
    for (const p of peers) p.close();
    await cluster?.destroy();
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${PREFIX}-`)), []);
  });

  test('bcast eth0: every node on the subnet hears it, from the sender\'s address; eth1 does not', async () => {
    const a = await peer('nodea', { kind: 'bcast', ifname: 'eth0' });
    const b = await peer('nodeb', { kind: 'bcast', ifname: 'eth0' });
    const c = await peer('nodec', { kind: 'bcast', ifname: 'eth0' });
    const a1 = await peer('nodea', { kind: 'bcast', ifname: 'eth1' });
    const b1 = await peer('nodeb', { kind: 'bcast', ifname: 'eth1' });
    a.send('hello-bcast');
    for (const p of [b, c]) {
      const e = await p.waitFor(got('hello-bcast'));
      assert.equal(e.from, '10.201.2.1');
      assert.equal(e.link, 'eth0');
      assert.equal(e.kind, 'bcast');
    }
    // heartbeat hears its own broadcasts too; so do we.
    await a.waitFor(got('hello-bcast'));
    a1.send('second-on-eth1');
    const e1 = await b1.waitFor(got('second-on-eth1'));
    assert.equal(e1.from, '10.201.3.1');
    assert.equal(b1.events.some(got('hello-bcast')), false, 'the eth1 medium heard a broadcast of eth0');
  });

  test('ucast eth0 HOST: only HOST hears it; replies come back the same way', async () => {
    const a = await peer('nodea', { kind: 'ucast', ifname: 'eth0', host: '10.201.2.2', port: 695 });
    const b = await peer('nodeb', { kind: 'ucast', ifname: 'eth0', host: '10.201.2.1', port: 695 });
    const c = await peer('nodec', { kind: 'ucast', ifname: 'eth0', host: '10.201.2.1', port: 695 });
    a.send('to-b-only');
    const e = await b.waitFor(got('to-b-only'));
    assert.equal(e.from, '10.201.2.1');
    b.send('reply-from-b');
    await a.waitFor(got('reply-from-b'));
    c.send('from-c');
    await a.waitFor(got('from-c'));
    assert.equal(c.events.some(got('to-b-only')), false);
  });

  test('mcast eth0 GROUP PORT 1 0: group members hear it, the sender does not (loop 0)', async () => {
    const spec = { kind: 'mcast', ifname: 'eth0', group: '239.0.0.43', port: 696, ttl: 1, loop: false };
    const a = await peer('nodea', spec);
    const b = await peer('nodeb', spec);
    a.send('hello-mcast');
    const e = await b.waitFor(got('hello-mcast'));
    assert.equal(e.from, '10.201.2.1');
    assert.equal(e.kind, 'mcast');
    b.send('answer-mcast');
    await a.waitFor(got('answer-mcast'));
    assert.equal(a.events.some(got('hello-mcast')), false, 'loop 0 but the sender heard itself');
  });

  test('a send on a downed link is counted as an error and the transport keeps working after link up', async () => {
    const a = await peer('nodea', { kind: 'bcast', ifname: 'eth0', port: 697 });
    const b = await peer('nodeb', { kind: 'bcast', ifname: 'eth0', port: 697 });
    await cluster.host('nodea').linkDown('eth0');
    a.send('into-the-void');
    await a.waitFor((e) => e.event === 'error');
    await cluster.host('nodea').linkUp('eth0');
    // The kernel may need a moment after link up before the broadcast route carries packets again (the flake
    // seen under load): resend as heartbeat's keepalives would, until nodeb hears one.
    const resend = setInterval(() => a.send('back-again'), 200);
    a.send('back-again');
    try {
      await b.waitFor(got('back-again'));
    } finally {
      clearInterval(resend);
    }
    a.command({ stats: true });
    const s = await a.waitFor((e) => e.event === 'stats');
    assert.ok((s.sendErrors as number) >= 1);
    assert.ok((s.sent as number) >= 1);
  });
});
