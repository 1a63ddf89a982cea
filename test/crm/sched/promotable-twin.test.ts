// The controller twin carries out promotable-clone transitions: start, promote, the promoted-role monitor
// (expected rc 8) and the unpromoted-role one, and a failed promoted instance's recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { promotableCib } from './promotable-cibs.js';

const instances = ['st:0', 'st:1', 'st:2'];
const promotedNodes = (twin: ControllerTwin) => instances.flatMap((i) => twin.promotedOn(i)).sort();
const runningNodes = (twin: ControllerTwin) => instances.flatMap((i) => twin.where(i)).sort();

test('3 nodes: every node runs an instance, the best-scored one is promoted, and the cluster comes to rest', () => {
  const twin = new ControllerTwin({ cibXml: promotableCib({ permanentScores: [10, 5, 5] }) });
  twin.settle();
  assert.deepEqual(runningNodes(twin), ['node1', 'node2', 'node3']);
  assert.deepEqual(promotedNodes(twin), ['node1']);
  assert.ok(twin.log.some((l) => /st:\d_promote_0@node1 .*st:\d_monitor_10000@node1/.test(l)), twin.log.join('\n'));
  // Time passes: the promoted monitor answers 8 as expected, nothing is rescheduled.
  const transitions = twin.transitions;
  twin.advance(60_000);
  assert.equal(twin.transitions, transitions, twin.log.join('\n'));
  assert.deepEqual(promotedNodes(twin), ['node1']);
});
