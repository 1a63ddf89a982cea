// `lifeline daemon` on mcast and on ucast (two nodes each), and three nodes on bcast where both survivors see a
// crash: each medium carries the cluster, each survivor detects the death within deadtime + a keepalive (+ slack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCluster } from '../../src/harness/index.js';
import { crashAndMeasure, DEADTIME_MS, haCf, KEEPALIVE_MS, startLifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;
const opts = { skip: canRun ? false : 'needs root', timeout: 40000 };
const bound = DEADTIME_MS + KEEPALIVE_MS + 1500;

test('two Lifeline daemons on mcast', opts, async (t) => {
  await withCluster({ prefix: 'lld-mc', networks: ['10.240.2.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const hosts = [c.host('nodea'), c.host('nodeb')];
    for (const h of hosts) await startLifeline(h, haCf('mcast eth0 239.0.0.43 694 1 0', ['nodea', 'nodeb']));
    await waitAllActive(hosts);
    await new Promise((r) => setTimeout(r, 5500));
    const [delay] = await crashAndMeasure(hosts[0]!, [hosts[1]!]);
    t.diagnostic(`mcast: crash detected after ${delay} ms`);
    assert.ok(delay! < bound, `${delay} ms`);
  });
});

test('two Lifeline daemons on ucast (each node names its peer)', opts, async (t) => {
  await withCluster({ prefix: 'lld-uc', networks: ['10.240.3.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    await startLifeline(a, haCf(`ucast eth0 ${b.address()}`, ['nodea', 'nodeb']));
    await startLifeline(b, haCf(`ucast eth0 ${a.address()}`, ['nodea', 'nodeb']));
    await waitAllActive([a, b]);
    await new Promise((r) => setTimeout(r, 5500));
    const [delay] = await crashAndMeasure(a, [b]);
    t.diagnostic(`ucast: crash detected after ${delay} ms`);
    assert.ok(delay! < bound, `${delay} ms`);
  });
});

test('three Lifeline daemons on bcast: both survivors see the crash', opts, async (t) => {
  await withCluster({ prefix: 'lld-3n', networks: ['10.240.4.0/24'], hosts: ['nodea', 'nodeb', 'nodec'] }, async (c) => {
    const hosts = ['nodea', 'nodeb', 'nodec'].map((n) => c.host(n));
    for (const h of hosts) await startLifeline(h, haCf('bcast eth0', ['nodea', 'nodeb', 'nodec']));
    await waitAllActive(hosts);
    await new Promise((r) => setTimeout(r, 5500));
    const delays = await crashAndMeasure(hosts[1]!, [hosts[0]!, hosts[2]!]);
    t.diagnostic(`3 nodes: nodea and nodec saw nodeb's crash after ${delays.join(' and ')} ms`);
    for (const d of delays) assert.ok(d < bound, `${d} ms`);
    for (const h of [hosts[0]!, hosts[2]!]) assert.doesNotMatch(await h.readLog(), /node node[ac]: is dead/);
  });
});

test('two Lifeline daemons on a serial cable (pty pair) and bcast: both links up; the cable alone keeps them alive', opts, async () => {
  await withCluster({ prefix: 'lld-sr', networks: ['10.240.8.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const tty = await c.serialLink('nodea', 'nodeb');
    await startLifeline(a, haCf(`baud 115200\nserial ${tty.a}\nbcast eth0`, ['nodea', 'nodeb']));
    await startLifeline(b, haCf(`baud 115200\nserial ${tty.b}\nbcast eth0`, ['nodea', 'nodeb']));
    await waitAllActive([a, b]);
    await a.waitForLog(new RegExp(`Link nodeb:${tty.a.replace(/[.]/g, '\\.')} up`));
    await b.waitForLog(new RegExp(`Link nodea:${tty.b.replace(/[.]/g, '\\.')} up`));
    // Cut the network: eth0 links die, the nodes stay alive over the cable.
    const mark = await a.logMark();
    await a.linkDown('eth0');
    await a.waitForLog(/Link nodeb:eth0 dead/, { since: mark, timeoutMs: 10000 });
    await new Promise((r) => setTimeout(r, 1000));
    assert.doesNotMatch((await a.readLog()).slice(mark), /node nodeb: is dead/);
    assert.doesNotMatch(await b.readLog(), /node nodea: is dead/);
  });
});
