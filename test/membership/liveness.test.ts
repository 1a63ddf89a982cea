// Scenarios on when nodes and links are declared alive or dead: deadtime, warntime, initdead, media, stalls.
// Two Lifeline machines on the in-memory network, driven by a fake clock at millisecond precision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim, twoNodeCluster as cluster, TWO_NODES } from './sim.js';
import { linkStatus, nodeStatus } from '../../src/membership/index.js';
import { millis } from '../../src/types.js';


test('nodeb declares nodea dead 500 ms after its last heartbeat (keepalive 100ms, deadtime 500ms)', () => {
  const sim = cluster(6000);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
  sim.runUntil(6037);
  sim.kill('nodea');
  sim.runUntil(8000);
  const last = Math.max(...sim.statusArrivals('nodea', 'nodeb'));
  const dead = sim.firstLog('nodeb', /^node nodea: is dead$/);
  assert.ok(dead, 'nodeb logs the death');
  assert.equal(dead.level, 'warn');
  assert.equal(dead.t - last, 500, `declared ${dead.t - last} ms after the last status`);
  // Then the link, in the same pass, as heartbeat's check_for_timeouts does.
  const link = sim.firstLog('nodeb', /^Link nodea:eth0 dead\.$/);
  assert.equal(link?.t, dead.t);
  assert.ok(sim.node('nodeb').log.indexOf(dead) < sim.node('nodeb').log.indexOf(link!));
  const change = sim.effectsOf('nodeb', 'node-status').find((e) => e.effect.node === 'nodea' && e.effect.status === 'dead');
  assert.equal(change?.t, dead.t);
  assert.equal(change?.effect.previous, 'active');
  // Nothing earlier: no false death during the whole run.
  assert.equal(sim.logs('nodeb', /is dead/).length, 1);
});

test('during its first 5 s a node advertises deadtime + 2 s, and peers honour it', () => {
  const sim = cluster(1000);
  sim.kill('nodea');
  sim.runUntil(5000);
  const last = Math.max(...sim.statusArrivals('nodea', 'nodeb'));
  const dead = sim.firstLog('nodeb', /^node nodea: is dead$/);
  assert.equal(dead?.t, last + 2500, 'nodea asked for dt=2500 (0x9c4) while starting');
});

test('a status later than warntime draws "Late heartbeat", without a death', () => {
  const sim = cluster(6000);
  sim.pause('nodea');
  sim.runUntil(6400);
  sim.resume('nodea');
  sim.runUntil(7000);
  const late = sim.logs('nodeb', /^Late heartbeat: Node nodea: interval \d+ ms$/);
  assert.equal(late.length, 1, JSON.stringify(sim.node('nodeb').log.slice(-5)));
  assert.equal(late[0]!.level, 'warn');
  const interval = Number(/interval (\d+)/.exec(late[0]!.text)![1]);
  assert.ok(interval > 300 && interval < 500, `interval ${interval}`);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
});

test('initdead: a node that never shows up is declared dead after initdead, not deadtime; then comm comes up alone', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES, initdead: millis(3000) });
  sim.add('nodeb', { nodes: TWO_NODES, initdead: millis(3000) });
  sim.start('nodeb');
  sim.runUntil(2999);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0, 'deadtime (500 ms) does not apply before every node was heard');
  sim.runUntil(4000);
  const dead = sim.firstLog('nodeb', /^node nodea: is dead$/);
  assert.equal(dead?.t, 3000);
  assert.equal(sim.firstLog('nodeb', /^Link nodea:eth0 dead\.$/)?.t, 3000);
  const up = sim.firstLog('nodeb', /^Comm_now_up\(\): updating status to active$/);
  assert.equal(up?.t, 3000, 'no live node to ask for the node list: up at once');
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodeb'), 'active');
});

test('initdead: a node that arrives before initdead joins without any death', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES, initdead: millis(3000) });
  sim.add('nodeb', { nodes: TWO_NODES, initdead: millis(3000) });
  sim.start('nodeb');
  sim.runUntil(2500);
  sim.start('nodea');
  sim.runUntil(9000);
  assert.equal(sim.logs('nodeb', /is dead/).length + sim.logs('nodea', /is dead/).length, 0);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
  assert.equal(nodeStatus(sim.state('nodea'), 'nodeb'), 'active');
});

test('a medium dies while the other keeps the node up: link dead on eth1 only', () => {
  const sim = cluster(6000, { media: ['eth0', 'eth1'] });
  assert.equal(linkStatus(sim.state('nodeb'), 'nodea', 'eth1'), 'up');
  sim.cut.add('nodea:eth1');
  const cutAt = sim.now;
  sim.runUntil(8000);
  const lastOnEth1 = Math.max(...sim.delivered.filter((d) => d.packet.from === 'nodea' && d.packet.to === 'nodeb' && d.packet.medium === 'eth1').map((d) => d.t));
  assert.ok(lastOnEth1 <= cutAt + 1);
  const linkDead = sim.firstLog('nodeb', /^Link nodea:eth1 dead\.$/);
  assert.ok(linkDead, 'eth1 declared dead');
  assert.ok(linkDead.t - lastOnEth1 >= 500 && linkDead.t - lastOnEth1 <= 501, `after ${linkDead.t - lastOnEth1} ms`);
  assert.equal(sim.logs('nodeb', /Link nodea:eth0 dead/).length, 0);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
  assert.equal(linkStatus(sim.state('nodeb'), 'nodea', 'eth0'), 'up');
  // The link comes back with the medium.
  sim.cut.delete('nodea:eth1');
  sim.runUntil(8200);
  assert.ok(sim.logs('nodeb', /^Link nodea:eth1 up\.$/).some((l) => l.t > linkDead.t));
  assert.equal(linkStatus(sim.state('nodeb'), 'nodea', 'eth1'), 'up');
});

test('a late tick after the process was stopped is not taken for the peers\' silence', () => {
  const sim = cluster(6000);
  sim.pause('nodeb');
  sim.runUntil(8000); // nodeb stopped 2 s, four deadtimes; nodea kept talking into its socket buffer
  sim.resume('nodeb'); // the timer fires first, then the buffered packets arrive
  sim.runUntil(9000);
  assert.equal(sim.logs('nodeb', /is dead/).length, 0, JSON.stringify(sim.node('nodeb').log.slice(-6)));
  assert.equal(sim.state('nodeb').counters.stalls, 1);
  assert.ok(sim.firstLog('nodeb', /^Membership timers ran \d+ ms late/));
  // The true interval is reported, with its explanation, and is not taken for a death as heartbeat would.
  const late = sim.firstLog('nodeb', /^Late heartbeat: Node nodea: interval \d+ ms \(we were stopped \d+ ms\)$/);
  assert.ok(late, JSON.stringify(sim.node('nodeb').log.slice(-6)));
  assert.equal(late.level, 'warn');
  assert.ok(Number(/interval (\d+)/.exec(late.text)![1]) >= 1900);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'active');
  // nodea, which kept running, did see nodeb silent for 2 s and declared it dead: that is the truth it saw.
  assert.ok(sim.firstLog('nodea', /^node nodeb: is dead$/));
});

test('a peer that really died during our stall is declared dead within the stall grace after we resume', () => {
  const sim = cluster(6000);
  sim.pause('nodeb');
  sim.runUntil(6500);
  sim.kill('nodea');
  sim.runUntil(8000);
  sim.resume('nodeb');
  sim.runUntil(9000);
  const dead = sim.firstLog('nodeb', /^node nodea: is dead$/);
  assert.ok(dead);
  // Packets nodea sent before it died were still buffered and count as heard at resume (8000).
  assert.ok(dead.t >= 8000 && dead.t <= 8000 + 500, `dead at ${dead.t}`);
});

test('a node that starts long after initdead joins: no restart line (we never knew a generation), just init, up, active', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: TWO_NODES });
  sim.add('nodeb', { nodes: TWO_NODES });
  sim.start('nodeb');
  sim.runUntil(10000);
  assert.equal(nodeStatus(sim.state('nodeb'), 'nodea'), 'dead');
  sim.start('nodea');
  sim.runUntil(11000);
  const texts = sim.node('nodeb').log.filter((l) => l.t >= 10000).map((l) => l.text);
  assert.deepEqual(texts.slice(0, 3), ['Link nodea:eth0 up.', 'Status update for node nodea: status init', 'Status update for node nodea: status up']);
  assert.ok(texts.includes('Status update for node nodea: status active'));
  assert.ok(!texts.some((t) => /Heartbeat restart|returning after partition/.test(t)), texts.join('\n'));
  assert.equal(nodeStatus(sim.state('nodea'), 'nodeb'), 'active');
});
