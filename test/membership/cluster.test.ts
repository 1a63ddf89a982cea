// A whole two-node cluster of Lifeline machines on the in-memory network: start-up, the messages they put
// on the wire (shape and order as in the heartbeat 3.0.6 captures), steady state, shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, twoNodeCluster as cluster } from './sim.js';
import { getString } from '../../src/wire/message.js';
import { decodeVerified, sign } from '../../src/wire/auth.js';
import { keysOf } from '../wire/fixtures.js';
import { liveNodes, membershipConfig, nodeStatus } from '../../src/membership/index.js';
import { generation, millis, nodeName } from '../../src/types.js';


const sent = (sim: Sim, from: string) => {
  const seen = new Set<unknown>();
  return sim.wire.filter((w) => w.packet.from === from && !seen.has(w.packet.message) && seen.add(w.packet.message)).map((w) => ({ t: w.t, m: w.packet.message }));
};

test('two Lifeline nodes start, see each other and both become active, with heartbeat\'s log lines', () => {
  const sim = cluster(3000);
  for (const [me, other] of [['nodea', 'nodeb'], ['nodeb', 'nodea']] as const) {
    const texts = sim.node(me).log.map((l) => l.text);
    for (const line of [
      "Local status now set to: 'up'",
      `Link ${me}:eth0 up.`,
      `Link ${other}:eth0 up.`,
      `Status update for node ${other}: status active`,
      'Comm_now_up(): updating status to active',
      "Local status now set to: 'active'",
    ]) assert.ok(texts.includes(line), `${me} logs "${line}"\n${texts.join('\n')}`);
    assert.ok(texts.indexOf('Comm_now_up(): updating status to active') < texts.indexOf("Local status now set to: 'active'"));
    assert.equal(sim.logs(me, /is dead|lost packet|Late heartbeat/).length, 0);
    assert.deepEqual(liveNodes(sim.state(me)), ['nodea', 'nodeb']);
    assert.equal(sim.effectsOf(me, 'comm-up').length, 1);
  }
  // Both went active within a few ms of hearing each other.
  const up = sim.firstLog('nodeb', /^Comm_now_up/)!;
  assert.ok(up.t < 100, `nodeb active at ${up.t}`);
});

test('start-up messages: status init and up, then reqnodes/repnodes, as the real nodes sent them', () => {
  const sim = cluster(1000);
  const a = sent(sim, 'nodea').map((x) => x.m);
  const types = a.map((m) => `${getString(m, 't')}${getString(m, 'st') ? `/${getString(m, 'st')}` : ''}`);
  // seq 1..3 at start: init (with the raised dead time), up, up; the ack of seq 3 goes out just before seq 3.
  assert.deepEqual(types.slice(0, 2), ['status/init', 'status/up']);
  assert.deepEqual(a.slice(0, 2).map((m) => getString(m, 'seq')), ['1', '2']);
  const status = a[0]!;
  assert.deepEqual(status.fields.map((f) => f.name), ['t', 'st', 'dt', 'protocol', 'src', 'srcuuid', 'seq', 'hg', 'ts', 'ld', 'ttl']);
  assert.equal(getString(status, 'dt'), (500 + 2000).toString(16));
  assert.equal(getString(status, 'protocol'), '1');
  assert.equal(getString(status, 'hg'), (1000).toString(16));
  assert.equal(getString(status, 'ttl'), '3');
  assert.equal(getString(status, 'ts'), Math.floor(1795572151000 / 1000).toString(16));
  assert.equal(status.fields[5]!.type, 1, 'srcuuid is binary');
  // The node list exchange, addressed by name and uuid.
  const req = a.find((m) => getString(m, 't') === 'reqnodes')!;
  assert.deepEqual(req.fields.map((f) => f.name), ['t', 'dest', 'destuuid', 'src', 'srcuuid', 'seq', 'hg', 'ts', 'ld', 'ttl']);
  const rep = sent(sim, 'nodeb').map((x) => x.m).find((m) => getString(m, 't') === 'repnodes')!;
  assert.deepEqual(rep.fields.map((f) => f.name), ['dest', 't', 'nodelist', 'delnodelist', 'destuuid', 'src', 'srcuuid', 'seq', 'hg', 'ts', 'ld', 'ttl']);
  assert.equal(getString(rep, 'nodelist'), 'nodea nodeb ');
  assert.equal(getString(rep, 'delnodelist'), ' ');
  const ack = a.find((m) => getString(m, 't') === 'NS_ackmsg')!;
  assert.deepEqual(ack.fields.map((f) => f.name), ['t', 'dest', 'ackseq', 'destuuid', 'src', 'srcuuid', 'hg', 'ts', 'ttl']);
});

test('steady state: one status per keepalive with increasing seq; dt drops back to deadtime after 5 s', () => {
  const sim = cluster(8000);
  const statuses = sent(sim, 'nodea').filter((x) => getString(x.m, 't') === 'status');
  const seqs = statuses.map((x) => parseInt(getString(x.m, 'seq')!, 16));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!);
  const periodic = statuses.filter((x) => x.t >= 6000 && x.t < 8000);
  assert.equal(periodic.length, 20, 'every 100 ms');
  assert.ok(periodic.every((x) => getString(x.m, 'dt') === (500).toString(16) && getString(x.m, 'st') === 'active'));
  // The boost ends at 5000 with one extra status carrying the normal dead time, as heartbeat's hb_pop_deadtime does.
  const at5000 = statuses.filter((x) => x.t === 5000).map((x) => getString(x.m, 'dt'));
  assert.deepEqual(at5000, ['9c4', '1f4']);
});

test('upper layers send through membership: numbered, delivered to the peer in order, kept for retransmission', () => {
  const sim = cluster(2000);
  const fields = [
    { name: 't', type: 0 as const, value: 'starting' },
  ];
  sim.inject('nodeb', { kind: 'send', message: { fields } });
  sim.runUntil(2100);
  const got = sim.effectsOf('nodea', 'deliver').filter((e) => getString(e.effect.message, 't') === 'starting');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.effect.from, 'nodeb');
  const m = got[0]!.effect.message;
  assert.ok(getString(m, 'seq'));
  assert.ok(sim.state('nodeb').history.some((h) => h.message === m));
});

test('after shutdown a node says nothing more and its peer declares it dead after deadtime', () => {
  const sim = cluster(6000);
  // As heartbeat 3.0.6 does: the resource layer's last word is `shutdone st=dead`; membership reports it.
  sim.inject('nodeb', { kind: 'send', message: { fields: [{ name: 't', type: 0, value: 'shutdone' }, { name: 'st', type: 0, value: 'dead' }] } });
  sim.runUntil(6010);
  assert.deepEqual(sim.effectsOf('nodea', 'node-shutdown').map((e) => e.effect.node), ['nodeb']);
  assert.equal(nodeStatus(sim.state('nodea'), 'nodeb'), 'active', 'still active until it falls silent');
  assert.deepEqual(sim.inject('nodeb', { kind: 'shutdown' }), [{ kind: 'node-shutdown', node: 'nodeb' }]);
  const stoppedAt = sim.now;
  sim.runUntil(7000);
  assert.equal(sim.wire.filter((w) => w.packet.from === 'nodeb' && w.t > stoppedAt).length, 0);
  const dead = sim.firstLog('nodea', /^node nodeb: is dead$/);
  assert.ok(dead && dead.t <= stoppedAt + 500 && dead.t > stoppedAt + 400);
  assert.equal(nodeStatus(sim.state('nodea'), 'nodeb'), 'dead');
  const ignored = sim.state('nodeb').counters.dropped['after-shutdown'];
  assert.ok(ignored > 0, 'nodea\'s packets kept coming and were ignored');
  assert.deepEqual(sim.inject('nodeb', { kind: 'receive', medium: 'eth0', message: { fields: [] } }), []);
  assert.equal(sim.state('nodeb').counters.dropped['after-shutdown'], ignored + 1);
});

test('configuration: heartbeat\'s defaults and refusals', () => {
  const base = { self: nodeName('nodea'), uuid: new Uint8Array(16), generation: generation(1), nodes: [nodeName('nodea')], media: ['eth0'] };
  const r = membershipConfig(base);
  assert.ok(r.ok);
  assert.equal(r.value.config.keepalive, 1000);
  assert.equal(r.value.config.deadtime, 30000);
  assert.equal(r.value.config.warntime, 15000);
  assert.equal(r.value.config.initdead, 30000);
  const small = membershipConfig({ ...base, deadtime: millis(5000) });
  assert.ok(small.ok && small.value.config.initdead === 12000);
  const mid = membershipConfig({ ...base, deadtime: millis(8000) });
  assert.ok(mid.ok && mid.value.config.initdead === 16000);
  const bad = membershipConfig({ ...base, keepalive: millis(1000), deadtime: millis(2000) });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.error.map((d) => d.code), ['LL_MEMBERSHIP_DEADTIME_TOO_SMALL']);
  assert.equal(bad.error[0]!.message, 'Dead time [2000] is too small compared to keeplive [1000]');
  const warn = membershipConfig({ ...base, keepalive: millis(100), deadtime: millis(500), initdead: millis(5000) });
  assert.ok(warn.ok);
  assert.deepEqual(warn.value.warnings.map((d) => d.code), ['LL_MEMBERSHIP_INITDEAD_TOO_SMALL']);
  const stranger = membershipConfig({ ...base, nodes: [nodeName('nodeb')] });
  assert.ok(!stranger.ok && stranger.error[0]!.message === 'Current node [nodea] not in configuration!');
  const nomedia = membershipConfig({ ...base, media: [] });
  assert.ok(!nomedia.ok && nomedia.error[0]!.code === 'LL_MEMBERSHIP_NO_MEDIA');
});

test('three nodes: one dies, both survivors declare it at its deadline and keep pruning what they sent', () => {
  const names = ['nodea', 'nodeb', 'nodec'];
  const sim = new Sim();
  for (const n of names) sim.add(n, { nodes: names });
  for (const n of names) sim.start(n);
  sim.runUntil(6000);
  for (const n of names) assert.deepEqual(liveNodes(sim.state(n)), names, `${n} sees all three`);
  sim.kill('nodec');
  sim.runUntil(20000);
  for (const n of ['nodea', 'nodeb']) {
    const last = Math.max(...sim.statusArrivals('nodec', n));
    assert.equal(sim.firstLog(n, /^node nodec: is dead$/)?.t, last + 500, `${n}`);
    assert.deepEqual(liveNodes(sim.state(n)), ['nodea', 'nodeb']);
    // The dead node's missing acks do not pin the history: it stays small.
    assert.ok(sim.state(n).history.length < 40, `${n} keeps ${sim.state(n).history.length}`);
  }
  sim.start('nodec', 1001);
  sim.runUntil(21000);
  for (const n of ['nodea', 'nodeb']) {
    assert.ok(sim.firstLog(n, /^Heartbeat restart on node nodec$/));
    assert.equal(nodeStatus(sim.state(n), 'nodec'), 'active');
  }
  assert.deepEqual(liveNodes(sim.state('nodec')), names);
});

test('every message a Lifeline cluster sends signs, travels and verifies with the wire layer, unchanged', () => {
  const keys = keysOf('auth 1\n1 sha1 lifeline-membership\n');
  const sim = cluster(7000);
  // Lose the first copy of every seventh numbered packet nodeb sends to nodea, so requests and retransmissions flow.
  const lostOnce = new Set<string>();
  sim.lose = (p) => {
    const seq = getString(p.message, 'seq');
    if (p.from !== 'nodeb' || p.to !== 'nodea' || seq === undefined || parseInt(seq, 16) % 7 !== 3 || lostOnce.has(seq)) return false;
    lostOnce.add(seq);
    return true;
  };
  sim.runUntil(9000);
  const seen = new Set<unknown>();
  const types = new Set<string>();
  for (const w of sim.wire) {
    if (seen.has(w.packet.message)) continue;
    seen.add(w.packet.message);
    const signed = sign(w.packet.message, keys);
    assert.ok(signed.ok, JSON.stringify(signed));
    const back = decodeVerified(signed.value.bytes, keys);
    assert.ok(back.ok, JSON.stringify(back));
    assert.deepEqual(back.value.packet.message.fields.filter((f) => f.name !== 'auth'), [...w.packet.message.fields]);
    types.add(getString(w.packet.message, 't')!);
  }
  assert.deepEqual([...types].sort(), ['NS_ackmsg', 'NS_rexmit', 'repnodes', 'reqnodes', 'status']);
  assert.equal(sim.logs('nodea', /is dead/).length, 0);
});
