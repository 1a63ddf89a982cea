// The transition engine alone, on hand-made graphs and a fake clock: dependency order, batch-limit, abort that
// waits for running actions, timeouts (op timeout + start-delay + cluster-delay), on-fail ignore and fence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTransition, stepEngine, nextDeadline, type EngineEffect, type EngineState } from '../../../src/crm/tengine/engine.js';
import type { GraphAction, TransitionGraph } from '../../../src/crm/tengine/graph.js';
import { EXEC_STATUS } from '../../../src/crm/contract.js';

function act(id: number, rsc: string, task: string, node: string | null, inputs: number[], extra: Partial<GraphAction> = {}): GraphAction {
  return { id, rsc, task, node, pseudo: node === null, intervalMs: 0, timeoutMs: 20_000, startDelayMs: 0, expectedRc: 0, onFail: 'restart',
    inputs, transitionKey: `${id}:1:0:dc`, agent: { cls: 'ocf', provider: 'pacemaker', type: 'Dummy' }, params: new Map(), opDigest: '', ...extra };
}
function graph(actions: GraphAction[], batchLimit = 0): TransitionGraph {
  return { id: 1, actions, batchLimit, clusterDelayMs: 60_000, startFailureIsFatal: true };
}
const executed = (effects: EngineEffect[]) => effects.filter((e) => e.kind === 'execute').map((e) => (e.kind === 'execute' ? e.action.id : -1));
const ok = (s: EngineState, id: number, now = 0) => stepEngine(s, { kind: 'result', actionId: id, rc: 0, execStatus: EXEC_STATUS.DONE }, now);

// A group start: pseudo start(0) → a start(1) → b start(2) → pseudo running(3), and c start(4) independent.
const groupStart = () => [act(0, 'g', 'start', null, []), act(1, 'a', 'start', 'n1', [0]), act(2, 'b', 'start', 'n1', [1]),
  act(3, 'g', 'running', null, [2]), act(4, 'c', 'start', 'n2', [])];

test('actions fire in dependency order; pseudo-actions complete by themselves; the end is reported once', () => {
  let st = startTransition(graph(groupStart()), 0);
  assert.deepEqual(executed(st.effects), [1, 4]);
  st = ok(st.state, 1);
  assert.deepEqual(executed(st.effects), [2]);
  st = ok(st.state, 4);
  assert.deepEqual(st.effects, []);
  st = ok(st.state, 2);
  assert.deepEqual(st.effects, [{ kind: 'finished', aborted: false }]);
  assert.deepEqual(st.state.status, ['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed']);
  assert.deepEqual(ok(st.state, 2).effects, [], 'nothing after the end');
});

test('batch-limit=1 runs one action at a time', () => {
  let st = startTransition(graph(groupStart(), 1), 0);
  assert.deepEqual(executed(st.effects), [1]);
  st = ok(st.state, 1);
  assert.deepEqual(executed(st.effects), [2]);
  st = ok(st.state, 2);
  assert.deepEqual(executed(st.effects), [4]);
});

test('a failed start aborts: no new action, the running one is waited for, then the end says aborted', () => {
  let st = startTransition(graph(groupStart()), 0);
  st = stepEngine(st.state, { kind: 'result', actionId: 1, rc: 1, execStatus: EXEC_STATUS.DONE }, 5);
  assert.deepEqual(st.effects.map((e) => e.kind), ['count-failure']);
  assert.equal(st.effects[0]!.kind === 'count-failure' && st.effects[0]!.fatal, true, 'start-failure-is-fatal');
  assert.equal(st.state.status[2], 'pending', 'b never starts');
  st = ok(st.state, 4, 6);
  assert.deepEqual(st.effects, [{ kind: 'finished', aborted: true, reason: 'a_start_0 on n1 failed (rc=1, status=0)' }]);
});

test('a result for an action that is not running (stale) changes nothing', () => {
  const st = startTransition(graph(groupStart()), 0);
  const again = ok(st.state, 2);
  assert.deepEqual(again.effects, []);
  assert.equal(again.state, st.state);
});

test('the action timer is op timeout + start-delay + cluster-delay; expiry fails the action and aborts', () => {
  const mon = act(0, 'a', 'monitor', 'n1', [], { intervalMs: 5000, timeoutMs: 15_000, startDelayMs: 15_000 });
  let st = startTransition(graph([mon]), 1_000);
  assert.equal(nextDeadline(st.state), 1_000 + 15_000 + 15_000 + 60_000);
  st = stepEngine(st.state, { kind: 'tick' }, 90_999);
  assert.deepEqual(st.effects, []);
  st = stepEngine(st.state, { kind: 'tick' }, 91_000);
  assert.deepEqual(st.effects.map((e) => e.kind), ['timed-out', 'count-failure', 'finished']);
  assert.equal(nextDeadline(st.state), undefined);
});

test('on-fail=ignore: a failed monitor neither counts nor aborts', () => {
  const st = startTransition(graph([act(0, 'a', 'monitor', 'n1', [], { intervalMs: 5000, onFail: 'ignore' }), act(1, 'b', 'start', 'n1', [0])]), 0);
  const r = stepEngine(st.state, { kind: 'result', actionId: 0, rc: 7, execStatus: EXEC_STATUS.DONE }, 1);
  assert.deepEqual(executed(r.effects), [1]);
  assert.equal(r.state.abortReason, undefined);
});

test('on-fail=fence: the failure produces a fencing request for the node', () => {
  const st = startTransition(graph([act(0, 'a', 'start', 'n1', [], { onFail: 'fence' })]), 0);
  const r = stepEngine(st.state, { kind: 'result', actionId: 0, rc: 1, execStatus: EXEC_STATUS.DONE }, 1);
  assert.deepEqual(r.effects.find((e) => e.kind === 'fence'), { kind: 'fence', node: 'n1', reason: 'a start failed' });
});

test('a probe that finds the resource running aborts without counting a failure', () => {
  const st = startTransition(graph([act(0, 'a', 'monitor', 'n1', [], { expectedRc: 7 }), act(1, 'a', 'start', 'n2', [0])]), 0);
  const r = stepEngine(st.state, { kind: 'result', actionId: 0, rc: 0, execStatus: EXEC_STATUS.DONE }, 1);
  assert.deepEqual(r.effects.map((e) => e.kind), ['finished']);
  assert.equal(r.state.status[1], 'pending');
});

test('node lost: its running and waiting actions fail, the transition aborts after the others finish', () => {
  let st = startTransition(graph(groupStart()), 0);
  st = stepEngine(st.state, { kind: 'node-lost', node: 'n1' }, 3);
  assert.deepEqual(st.effects, []);
  assert.deepEqual(st.state.status.slice(1, 3), ['failed', 'failed']);
  st = ok(st.state, 4, 4);
  assert.deepEqual(st.effects, [{ kind: 'finished', aborted: true, reason: 'node n1 lost' }]);
});
