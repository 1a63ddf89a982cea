// Scenarios on packet sequencing: duplicates over several media, gaps and retransmission, acks, NAKs,
// restarts (new generation), replays of an old generation and packets from nodes nobody configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, twoNodeCluster as cluster, TWO_NODES, uuidOf } from './sim.js';
import type { HaMessage } from '../../src/wire/message.js';
import { getString } from '../../src/wire/message.js';
import { nodeGeneration, nodeStatus } from '../../src/membership/index.js';


const msg = (...pairs: [string, string][]): HaMessage => ({ fields: pairs.map(([name, value]) => ({ name, type: 0 as const, value })) });
const seqOf = (m: HaMessage): number => parseInt(getString(m, 'seq') ?? '0', 16);

test('the same packet over two media is handled once and the second copy counted as a duplicate', () => {
  const sim = cluster(6000, { media: ['eth0', 'eth1'] });
  const dupsBefore = sim.state('nodeb').counters.dropped.duplicate;
  sim.inject('nodea', { kind: 'send', message: msg(['t', 'resource'], ['rsc_hold', 'local'], ['info', 'test']) });
  sim.runUntil(6100);
  const got = sim.effectsOf('nodeb', 'deliver').filter((e) => getString(e.effect.message, 'info') === 'test');
  assert.equal(got.length, 1, 'delivered once');
  assert.equal(got[0]!.effect.from, 'nodea');
  assert.equal(got[0]!.effect.loopback, false);
  const arrivals = sim.delivered.filter((d) => d.packet.to === 'nodeb' && getString(d.packet.message, 'info') === 'test');
  assert.deepEqual(arrivals.map((a) => a.packet.medium).sort(), ['eth0', 'eth1'], 'it did arrive twice');
  assert.ok(sim.state('nodeb').counters.dropped.duplicate > dupsBefore);
  // The sender gets its own message back once, as heartbeat's handlers do.
  const own = sim.effectsOf('nodea', 'deliver').filter((e) => getString(e.effect.message, 'info') === 'test');
  assert.equal(own.length, 1);
  assert.equal(own[0]!.effect.loopback, true);
});

test('a lost packet is asked for again and the answer fills the gap, without a false death', () => {
  const sim = cluster(6000);
  let lostSeq = 0;
  sim.lose = (p) => {
    if (p.from === 'nodea' && p.to === 'nodeb' && getString(p.message, 'info') === 'lost-once' && lostSeq === 0) {
      lostSeq = seqOf(p.message);
      return true;
    }
    return false;
  };
  sim.inject('nodea', { kind: 'send', message: msg(['t', 'resource'], ['info', 'lost-once']) });
  sim.runUntil(7000);
  assert.ok(lostSeq > 0);
  const lost = sim.firstLog('nodeb', /lost packet\(s\) for \[nodea\]/);
  assert.equal(lost?.text, `1 lost packet(s) for [nodea] [${lostSeq - 1}:${lostSeq + 1}]`);
  assert.equal(lost?.level, 'warn');
  const request = sim.wire.find((w) => w.packet.from === 'nodeb' && getString(w.packet.message, 't') === 'NS_rexmit');
  assert.ok(request, 'nodeb asked for it');
  assert.equal(getString(request.packet.message, 'dest'), 'nodea');
  assert.equal(getString(request.packet.message, 'firstseq'), String(lostSeq), 'decimal, as heartbeat writes it');
  assert.equal(getString(request.packet.message, 'lastseq'), String(lostSeq));
  assert.ok(request.t - lost!.t >= 50 && request.t - lost!.t <= 250, `asked after ${request.t - lost!.t} ms`);
  const resent = sim.wire.filter((w) => w.packet.from === 'nodea' && w.packet.to === 'nodeb' && getString(w.packet.message, 'info') === 'lost-once');
  assert.equal(resent.length, 2, 'sent, then retransmitted once');
  assert.equal(resent[1]!.packet.message, resent[0]!.packet.message, 'the very same message from the history');
  const filled = sim.firstLog('nodeb', /^No pkts missing from nodea!$/);
  assert.ok(filled && filled.t > request.t);
  assert.equal(sim.effectsOf('nodeb', 'deliver').filter((e) => getString(e.effect.message, 'info') === 'lost-once').length, 1);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0);
  assert.equal(sim.state('nodeb').counters.lostPackets, 1);
  assert.equal(sim.state('nodeb').counters.rexmitRequestsSent, 1);
  assert.equal(sim.state('nodea').counters.rexmitsSent, 1);
});

test('a retransmission request for a packet no longer kept is answered with NS_nak_rexmit', () => {
  // nodec asks: it never acked anything, so nothing it asks for is skipped as already received.
  const sim = new Sim();
  for (const n of ['nodea', 'nodeb', 'nodec']) sim.add(n, { nodes: ['nodea', 'nodeb', 'nodec'] });
  sim.start('nodea');
  sim.start('nodeb');
  sim.runUntil(3000);
  const lowest = sim.state('nodea').history[0]!.seq;
  assert.ok(lowest > 2, `history starts at ${lowest}`);
  const request = (first: number, last: number) =>
    sim.inject('nodea', {
      kind: 'receive',
      medium: 'eth0',
      message: {
        fields: [
          { name: 't', type: 0, value: 'NS_rexmit' },
          { name: 'dest', type: 0, value: 'nodea' },
          { name: 'firstseq', type: 0, value: String(first) },
          { name: 'lastseq', type: 0, value: String(last) },
          { name: 'src', type: 0, value: 'nodec' },
          { name: 'srcuuid', type: 1, value: uuidOf('nodec') },
          { name: 'hg', type: 0, value: '3e8' },
          { name: 'ts', type: 0, value: '6b0641b8' },
          { name: 'ttl', type: 0, value: '3' },
        ],
      },
    });
  const effects = request(lowest - 1, lowest);
  const sends = effects.filter((e) => e.kind === 'send');
  const nak = sends[0];
  assert.ok(nak && nak.kind === 'send' && getString(nak.message, 't') === 'NS_nak_rexmit');
  assert.deepEqual(nak.message.fields.map((f) => f.name), ['t', 'firstseq', 'dest', 'info', 'destuuid', 'src', 'srcuuid', 'hg', 'ts', 'ttl']);
  assert.equal(getString(nak.message, 'firstseq'), (lowest - 1).toString(16), 'hex here, unlike the request');
  assert.equal(getString(nak.message, 'dest'), 'nodec');
  assert.equal(getString(nak.message, 'info'), 'seqno too low');
  assert.ok(effects.some((e) => e.kind === 'log' && e.text === `Cannot rexmit pkt ${lowest - 1} for nodec: seqno too low`));
  // The one still kept is sent again, byte for byte the same message.
  const again = sends[1];
  assert.ok(again && again.kind === 'send');
  assert.equal(again.message, sim.state('nodea').history[0]!.message);
  // Asked again at once: not resent within rexmitDelayMax - 10 ms (heartbeat's anti-flood rule).
  assert.equal(request(lowest, lowest).filter((e) => e.kind === 'send').length, 0);
  // Beyond what we ever sent: a warning, nothing sent.
  const hi = sim.state('nodea').seq;
  const fx = request(hi + 1, hi + 1);
  assert.ok(fx.some((e) => e.kind === 'log' && e.level === 'warn' && e.text === `Rexmit of seq ${hi + 1} requested. ${hi} is max.`));
  assert.equal(sim.state('nodea').counters.naksSent, 1);
});

test('acks: each node acks every tenth message of each sender, the same residue each time', () => {
  const sim = cluster(6000);
  const acks = sim.wire
    .filter((w) => w.packet.from === 'nodeb' && w.packet.to === 'nodeb' && getString(w.packet.message, 't') === 'NS_ackmsg' && getString(w.packet.message, 'dest') === 'nodea')
    .map((w) => parseInt(getString(w.packet.message, 'ackseq')!, 16));
  assert.ok(acks.length >= 5, `acks ${acks}`);
  const residues = new Set(acks.map((x) => x % 10));
  assert.equal(residues.size, 1);
  for (let i = 1; i < acks.length; i++) assert.equal(acks[i]! - acks[i - 1]!, 10);
  // nodea keeps only what nodeb has not acked (plus the window since): the history does not grow without bound.
  assert.ok(sim.state('nodea').history.length < 40, `history ${sim.state('nodea').history.length}`);
});

test('a peer that restarts (new generation) is noticed, and tracking starts over', () => {
  const sim = cluster(6000);
  sim.kill('nodea');
  sim.runUntil(6200);
  sim.start('nodea', 1001);
  sim.runUntil(7000);
  const restart = sim.firstLog('nodeb', /^Heartbeat restart on node nodea$/);
  assert.ok(restart);
  assert.equal(restart.level, 'info');
  const log = sim.node('nodeb').log.map((l) => l.text);
  const i = log.indexOf('Heartbeat restart on node nodea');
  assert.equal(log[i + 1], 'Status update for node nodea: status init');
  assert.ok(log.slice(i).includes('Status update for node nodea: status up'));
  assert.deepEqual(sim.effectsOf('nodeb', 'node-restarted').map((e) => [e.effect.node, e.effect.generation]), [['nodea', 1001]]);
  assert.equal(nodeGeneration(sim.state('nodeb'), 'nodea'), 1001);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0, 'back within deadtime: never dead');
  assert.equal(sim.logs('nodeb', /lost packet/).length, 0, 'seq 1 of a new generation is no gap');
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
});

test('a dead peer that restarts: the log reads as the real nodeb\'s did', () => {
  const sim = cluster(6000);
  sim.kill('nodea');
  sim.runUntil(8000);
  sim.start('nodea', 1001);
  sim.runUntil(9000);
  const texts = sim.node('nodeb').log.map((l) => l.text);
  const from = texts.indexOf('node nodea: is dead');
  assert.deepEqual(texts.slice(from, from + 6), [
    'node nodea: is dead',
    'Link nodea:eth0 dead.',
    'Heartbeat restart on node nodea',
    'Link nodea:eth0 up.',
    'Status update for node nodea: status init',
    'Status update for node nodea: status up',
  ]);
  assert.ok(texts.slice(from).includes('Status update for node nodea: status active'));
});

function forged(from: string, gen: string, seq: string, st = 'active'): HaMessage {
  return {
    fields: [
      { name: 't', type: 0, value: 'status' },
      { name: 'st', type: 0, value: st },
      { name: 'dt', type: 0, value: '1f4' },
      { name: 'protocol', type: 0, value: '1' },
      { name: 'src', type: 0, value: from },
      { name: 'srcuuid', type: 1, value: uuidOf(from) },
      { name: 'seq', type: 0, value: seq },
      { name: 'hg', type: 0, value: gen },
      { name: 'ts', type: 0, value: '6b0641b8' },
      { name: 'ttl', type: 0, value: '3' },
    ],
  };
}

test('a packet of an older generation (a replay) is dropped and counted', () => {
  const sim = cluster(3000);
  const before = sim.state('nodeb');
  const effects = sim.inject('nodeb', { kind: 'receive', medium: 'eth0', message: forged('nodea', '3e7', 'ffff', 'dead') });
  assert.equal(sim.state('nodeb').counters.dropped.replay, before.counters.dropped.replay + 1);
  assert.ok(effects.some((e) => e.kind === 'log' && e.level === 'error' && e.text === 'should_drop_message: attempted replay attack [nodea]? [gen = 999, curgen = 1000]'));
  assert.ok(!effects.some((e) => e.kind === 'node-status'));
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
});

test('a packet from a node not in ha.cf is dropped and counted; with autojoin the node is added', () => {
  const sim = cluster(3000);
  const effects = sim.inject('nodeb', { kind: 'receive', medium: 'eth0', message: forged('nodez', '1', '1') });
  assert.equal(sim.state('nodeb').counters.dropped['unknown-node'], 1);
  assert.ok(effects.some((e) => e.kind === 'log' && e.level === 'error' && e.text === 'process_status_message: bad node [nodez] in message'));
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodez'), undefined);

  const joining = cluster(3000, { autojoin: 'other' });
  const fx = joining.inject('nodeb', { kind: 'receive', medium: 'eth0', message: forged('nodez', '1', '1') });
  assert.ok(fx.some((e) => e.kind === 'node-added' && e.node === 'nodez'));
  assert.equal(joining.state('nodeb').counters.dropped['unknown-node'], 0);
  const fx2 = joining.inject('nodeb', { kind: 'receive', medium: 'eth0', message: forged('nodez', '1', '2') });
  assert.ok(fx2.some((e) => e.kind === 'log' && e.text === 'Status update for node nodez: status active'));
});

test('malformed packets are dropped and counted, never thrown', () => {
  const sim = cluster(1000);
  const bad: HaMessage[] = [
    { fields: [] },
    msg(['t', 'status'], ['src', 'nodea']),
    msg(['t', 'status'], ['src', 'nodea'], ['ts', 'zz']),
    msg(['t', 'status'], ['src', 'nodea'], ['ts', '1'], ['seq', 'xyz']),
    msg(['t', 'status'], ['src', 'nodea'], ['ts', '1']),
    msg(['t', 'status'], ['src', 'nodea'], ['ts', '1'], ['seq', '5'], ['hg', '-1']),
  ];
  for (const m of bad) sim.inject('nodeb', { kind: 'receive', medium: 'eth0', message: m });
  assert.equal(sim.state('nodeb').counters.dropped.malformed, bad.length);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
});

test('a node we declared dead that talks again without restarting is a healed partition', () => {
  const sim = cluster(6000);
  sim.cut.add('nodea:eth0');
  sim.runUntil(7000);
  assert.ok(sim.firstLog('nodeb', /^node nodea: is dead$/));
  sim.cut.delete('nodea:eth0');
  sim.runUntil(7500);
  const crit = sim.firstLog('nodeb', /^Cluster node nodea returning after partition\.$/);
  assert.equal(crit?.level, 'crit');
  assert.deepEqual(sim.effectsOf('nodeb', 'partition-healed').map((e) => e.effect.node), ['nodea']);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
});

test('step is pure: the state passed in is left as it was', () => {
  const sim = cluster(2000, { media: ['eth0', 'eth1'] });
  const before = sim.state('nodeb');
  const snapshot = JSON.stringify(before, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
  sim.inject('nodeb', { kind: 'receive', medium: 'eth1', message: forged('nodea', '3e8', '7777') });
  sim.inject('nodeb', { kind: 'tick' });
  assert.notEqual(sim.state('nodeb'), before);
  assert.equal(JSON.stringify(before, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)), snapshot);
});

test('many gaps from one sender: what is remembered as missing, and asked for, stays bounded', () => {
  // nodeb remembers at most 10 missing packets; nodea keeps 500, so it never answers with a NAK that would clean up.
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES });
  sim.add('nodeb', { nodes: TWO_NODES, historySize: 10 });
  sim.start('nodea');
  sim.runUntil(26);
  sim.start('nodeb');
  sim.runUntil(3000);
  // Lose every odd-numbered packet from nodea to nodeb for 4 s, retransmissions included: a gap after every packet.
  sim.lose = (p) => p.from === 'nodea' && p.to === 'nodeb' && seqOf(p.message) % 2 === 1 && sim.now < 7000;
  sim.runUntil(7000);
  const s = sim.state('nodeb');
  assert.ok(sim.state('nodeb').counters.lostPackets > 15, `lost ${s.counters.lostPackets}`);
  assert.equal(s.peers['nodea']!.missing.length, 10);
  assert.equal(s.rexmitRequests.filter((r) => r.node === 'nodea').length, 10, 'no requests left for forgotten gaps');
  assert.equal(sim.logs('nodeb', /is dead/).length, 0, 'half the statuses are enough');
  sim.lose = () => false;
  sim.runUntil(9000);
  assert.equal(sim.state('nodeb').rexmitRequests.length, 0, 'every remembered gap was filled once the loss stopped');
  assert.equal(sim.state('nodeb').peers['nodea']!.missing.length, 0);
});

test('a retransmitted older status does not set the node back (no active -> up flap)', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES });
  sim.add('nodeb', { nodes: TWO_NODES });
  sim.start('nodeb');
  sim.runUntil(50);
  // Lose the first copy of nodea's start-up statuses to nodeb: they come back by retransmission after newer ones.
  const lost = new Set<string>();
  sim.lose = (p) => {
    const seq = getString(p.message, 'seq');
    if (p.from !== 'nodea' || p.to !== 'nodeb' || getString(p.message, 't') !== 'status' || getString(p.message, 'st') !== 'up' || seq === undefined || lost.has(seq)) return false;
    lost.add(seq);
    return true;
  };
  sim.start('nodea');
  sim.runUntil(3000);
  assert.ok(lost.size >= 1);
  const changes = sim.effectsOf('nodeb', 'node-status').filter((e) => e.effect.node === 'nodea').map((e) => e.effect.status);
  assert.deepEqual(changes, ['active'], `nodeb saw ${changes}`);
  assert.ok(sim.state('nodeb').counters.dropped['stale-status'] >= 1);
});
