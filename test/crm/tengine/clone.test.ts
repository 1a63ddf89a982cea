// The controller twin carries out clone transitions: instances CHILD:N run the child's agent, one per node,
// a failed instance is recovered in place, a lost node's instance is not started twice elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { cloneCib } from '../clone-cibs.js';

const where = (twin: ControllerTwin) => ['d:0', 'd:1', 'd:2'].map((i) => twin.where(i).join(','));

test('an anonymous clone on 3 nodes starts one instance per node; a failed instance is recovered where it ran', () => {
  const twin = new ControllerTwin({ cibXml: cloneCib({}) });
  twin.settle();
  assert.deepEqual(where(twin), ['node1', 'node2', 'node3']);
  twin.kill('node2', 'd:1');
  twin.advance(30_000);
  twin.settle();
  assert.deepEqual(where(twin), ['node1', 'node2', 'node3']);
});

test('clone-max 2: a lost node\'s instance moves to the node without one', () => {
  const twin = new ControllerTwin({ cibXml: cloneCib({ meta: { 'clone-max': '2' } }) });
  twin.settle();
  assert.deepEqual(where(twin), ['node1', 'node2', '']);
  twin.loseNode('node1');
  twin.settle();
  const placed = where(twin).filter((w) => w !== '').sort();
  assert.deepEqual(placed, ['node2', 'node3']);
});
