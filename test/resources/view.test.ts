// What `cl_status rscstatus` and `lifeline status` read from the ownership machine: heartbeat's words for what a node
// holds (transition while anything moves) and, per group, which node runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceView, rscStatus } from '../../src/resources/view.js';
import { A, B, Sim, group } from './sim.js';

const groups = [group('nodea', '10.77.0.100/24/eth0', 'svca'), group('nodeb', '10.77.0.101/24/eth0', 'svcb')];

function started(): Sim {
  const sim = new Sim(groups, 'on');
  sim.start(A); sim.start(B);
  sim.advance(15_000);
  return sim;
}

const holders = (sim: Sim, n: typeof A) => resourceView(sim.node(n).state).groups.map((g) => `${g.key}@${g.heldBy ?? '-'}`);

test('before comm-up a node is in transition and holds nothing', () => {
  const sim = new Sim(groups, 'on');
  assert.equal(rscStatus(sim.node(A).state), 'transition');
  assert.deepEqual(holders(sim, A), ['10.77.0.100/24/eth0@-', '10.77.0.101/24/eth0@-']);
});

test('both started: each holds its local groups and sees the peer holding its own', () => {
  const sim = started();
  assert.equal(rscStatus(sim.node(A).state), 'local');
  assert.equal(rscStatus(sim.node(B).state), 'local');
  assert.deepEqual(holders(sim, A), ['10.77.0.100/24/eth0@nodea', '10.77.0.101/24/eth0@nodeb']);
  assert.deepEqual(holders(sim, B), ['10.77.0.100/24/eth0@nodea', '10.77.0.101/24/eth0@nodeb']);
  const v = resourceView(sim.node(A).state);
  assert.equal(v.groups[0]!.line, 'nodea 10.77.0.100/24/eth0 svca');
  assert.equal(v.autoFailback, 'on');
});

test('hb_standby all: transition while the groups move, then none here and all on the peer', () => {
  const sim = started();
  sim.node(B).paused = true; // the peer's start scripts are slow
  sim.feed(A, { type: 'standby', which: 'all' });
  sim.flush();
  assert.equal(rscStatus(sim.node(B).state), 'transition', 'an agent is running on nodeb');
  sim.node(B).paused = false;
  sim.advance(2000);
  assert.equal(rscStatus(sim.node(A).state), 'none');
  assert.equal(rscStatus(sim.node(B).state), 'all');
  assert.deepEqual(holders(sim, A), ['10.77.0.100/24/eth0@nodeb', '10.77.0.101/24/eth0@nodeb']);
  assert.deepEqual(holders(sim, B), ['10.77.0.100/24/eth0@nodeb', '10.77.0.101/24/eth0@nodeb']);
});

test('a dead peer holds nothing in our view; the survivor holds all', () => {
  const sim = started();
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.advance(2000);
  assert.equal(rscStatus(sim.node(B).state), 'all');
  assert.deepEqual(holders(sim, B), ['10.77.0.100/24/eth0@nodeb', '10.77.0.101/24/eth0@nodeb']);
});
