// The DC fences with the controller twin's fake fence device: a lost node is fenced exactly once before its group
// starts elsewhere, its status then reads as Pacemaker's after fencing; a failing device blocks the recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrmdTwin } from '../../../src/crm/controld/index.js';
import { getAttr, type XEl } from '../../../src/crm/xml-lite.js';
import { groupCib, nodeNames } from './cibs.js';

const nodeState = (cib: XEl, uname: string) => cib.kids.find((k) => k.tagName === 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname);

function threeNodes(fence: (target: string) => { ok: boolean; ms: number }): CrmdTwin {
  const cib = groupCib({ nodes: 3, fencing: true });
  const t = new CrmdTwin(nodeNames(3), { cib: (n) => (n === 'node1' ? cib : undefined), fence });
  t.startAll();
  t.settle();
  t.client('node1', 'loc', { req: { cmd: 'cib_create', section: 'constraints', xml: '<rsc_location id="prefer" rsc="grp" node="node2" score="100"/>' } });
  t.runUntil(() => t.answers.has('loc'));
  t.settle();
  assert.deepEqual(t.where('app'), ['node2'], t.tail());
  return t;
}

/** The first start of `rsc` on any node but `not`, as a time, from the host journals' order (the twin's clock). */
test('kill -9 of the node holding the group: fenced exactly once, then the group starts elsewhere', () => {
  const t = threeNodes(() => ({ ok: true, ms: 300 }));
  assert.equal(t.fences.length, 0, 'nothing fenced while all nodes are up');
  const killedAt = t.now;
  t.kill('node2');
  // Until the fence completes, the group runs nowhere.
  let startedBeforeFence = false;
  const took = t.runUntil(() => {
    if (t.where('app').length && !(t.fences[0]?.ok)) startedBeforeFence = true;
    return t.where('app').length === 1 && t.where('vip').length === 1;
  }, 20_000);
  assert.ok(took !== undefined, t.tail());
  t.settle();
  assert.equal(startedBeforeFence, false, 'the group did not start before node2 was fenced');
  assert.equal(t.fences.length, 1, `one fence: ${JSON.stringify(t.fences)}`);
  const f = t.fences[0]!;
  assert.equal(f.target, 'node2');
  assert.equal(f.action, 'reboot');
  assert.equal(f.by, t.dc());
  assert.equal(f.ok, true);
  const to = t.where('app')[0]!;
  assert.notEqual(to, 'node2');
  // Pacemaker's node_state after fencing: down, expected down, no history left.
  const ns = nodeState(t.crmd(to).cib(), 'node2')!;
  assert.deepEqual(['in_ccm', 'crmd', 'join', 'expected'].map((a) => getAttr(ns, a)), ['false', 'offline', 'down', 'down']);
  assert.ok(!ns.kids.some((k) => k.tagName === 'lrm'), 'node2 history erased after the fence');
  const log = t.node(t.dc()!).logs.join('\n');
  assert.match(log, /Requesting fencing \(reboot\) of node node2/);
  assert.match(log, /Peer node2 was terminated \(reboot\) by node1 on behalf of pacemaker-controld: OK/);
  console.log(`# twin fencing: kill → fence requested +${f.at - killedAt} ms, fenced +${f.doneAt! - killedAt} ms, group running +${took} ms (deadtime ${t.deadtime} ms, device 300 ms)`);
});

test('a failing fence device: retried, and the group is not started elsewhere', () => {
  const t = threeNodes(() => ({ ok: false, ms: 200 }));
  t.kill('node2');
  t.run(15_000);
  assert.deepEqual(t.where('app'), [], 'the group runs nowhere while node2 is not fenced');
  assert.deepEqual(t.where('vip'), []);
  assert.ok(t.fences.length >= 3, `retried: ${t.fences.length} attempts`);
  assert.ok(t.fences.every((f) => f.target === 'node2' && f.ok === false || f.ok === undefined));
  // Attempts are spaced by the retry delay (2 s) after each failure, not a busy loop.
  for (let i = 1; i < t.fences.length; i++) assert.ok(t.fences[i]!.at - t.fences[i - 1]!.at >= 2_000, `attempt ${i} spaced`);
  assert.match(t.node(t.dc()!).logs.join('\n'), /Fencing of node2 failed \(No fence device\)/);
});

test('the device comes back: the next attempt succeeds and only then the group moves', () => {
  let working = false;
  const t = threeNodes(() => ({ ok: working, ms: 100 }));
  t.kill('node2');
  t.run(6_000);
  assert.deepEqual(t.where('app'), []);
  const failed = t.fences.length;
  assert.ok(failed >= 1);
  working = true;
  const took = t.runUntil(() => t.where('app').length === 1, 10_000);
  assert.ok(took !== undefined, t.tail());
  assert.equal(t.fences.filter((f) => f.ok).length, 1);
  assert.equal(t.fences.length, failed + 1);
});
