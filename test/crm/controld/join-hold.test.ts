// The new DC's scheduler waits for the CIB's own join: while the replica still collects offers, the DC's writes are
// held, so a transition computed then would run on a CIB that lacks them and start the same resource again and again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrmdTwin } from '../../../src/crm/controld/index.js';
import { groupCib, nodeNames } from './cibs.js';

test('a DC whose CIB join still waits for a silent member runs no transition: a start lost with the old DC is redone once', () => {
  const cib = groupCib({ nodes: 5 });
  const t = new CrmdTwin(nodeNames(5), { cib: (n) => (n === 'node1' ? cib : undefined) });
  t.startAll();
  t.settle();
  assert.equal(t.dc(), 'node1');
  // A new resource that must run on node2; node1 (the DC) dies right after node2 started it, before the result is in.
  t.client('node1', 'x', { req: { cmd: 'cib_create', section: 'resources', xml: '<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="extra-ia"><nvpair id="extra-state" name="state" value="/run/extra.state"/></instance_attributes></primitive>' } });
  t.client('node1', 'y', { req: { cmd: 'cib_create', section: 'constraints', xml: '<rsc_location id="extra-on-2" rsc="extra" node="node2" score="INFINITY"/>' } });
  const starts = () => t.node('node2').host.journal.filter((l) => l === 'extra start').length;
  assert.ok(t.runUntil(() => starts() === 1, 10_000) !== undefined, t.tail());
  // node3 falls silent (its packets lost, membership still sees it), node1 dies: node2 is DC and waits for node3's
  // offer; then node3 dies too (three of five keep quorum), so the DC's duties end their join before the CIB's join times out.
  t.lose = (p) => p.from === 'node3';
  t.kill('node1');
  t.run(t.deadtime + 500);
  t.kill('node3');
  t.run(t.deadtime + 4_000);
  t.settle();
  assert.equal(t.dc(), 'node2');
  assert.deepEqual(t.where('extra'), ['node2']);
  assert.equal(starts(), 1, `extra started ${starts()} times on node2\n${t.tail()}`);
});
