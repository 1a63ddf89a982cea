// Operation history and failure accounting: the lrm_rsc_op entries and fail-count attributes the executor's
// results produce, read back by the scheduler (a running resource stays put; a failed monitor is recovered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule, paramsDigest } from '../../../src/crm/scheduler.js';
import {
  Executor, ManualClock, TwinLauncher, dummyAgent, NodeHistory, opDigest, parseAgentRef, EXEC, type OpRequest, type OpResult, type AgentRef,
} from '../../../src/crm/executor/index.js';

const DUMMY = parseAgentRef('ocf:heartbeat:Dummy') as AgentRef;

/** One twin node: executor, agents and the history its results are recorded in. */
function node(name: string, clock: ManualClock) {
  const twin = new TwinLauncher(clock).install('/usr/lib/ocf/resource.d/heartbeat/Dummy', dummyAgent());
  const ex = new Executor({ launcher: twin, clock, config: { nodeName: name } });
  const history = new NodeHistory(name);
  const recorded: OpResult[] = [];
  const submit = (r: Partial<OpRequest> & { action: string }) => ex.submit({ rscId: 'app', agent: DUMMY, intervalMs: 0, timeoutMs: 20_000, params: { fake: 'x' }, ...r },
    (res) => { if (history.record(res, { startFailureIsFatal: true }).changed) recorded.push(res); });
  return { twin, ex, history, submit, recorded };
}

const cib = (threshold: string, status: string) => `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="node1" uname="node1"/><node id="node2" uname="node2"/></nodes>
    <resources><primitive id="app" class="ocf" provider="heartbeat" type="Dummy">
      <instance_attributes id="app-ia"><nvpair id="app-fake" name="fake" value="x"/></instance_attributes>
      <meta_attributes id="app-meta"><nvpair id="app-mt" name="migration-threshold" value="${threshold}"/></meta_attributes>
      <operations><op id="app-mon" name="monitor" interval="10s" timeout="20s"/></operations></primitive></resources>
    <constraints><rsc_location id="pref" rsc="app" node="node1" score="10"/></constraints>
  </configuration>
  <status>${status}</status>
</cib>`;

const nodeState = (h: NodeHistory) => `<node_state id="${h.nodeId}" uname="${h.nodeName}" in_ccm="true" crmd="online" join="member" expected="member">
${h.transientXml('  ')}
${h.lrmXml('  ')}
</node_state>`;

test('history of probe, start and a recurring monitor reads back in the scheduler as "running, nothing to do"', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const n1 = node('node1', clock), n2 = node('node2', clock);
  n1.submit({ action: 'monitor', expectedRc: 7 });
  n2.submit({ action: 'monitor', expectedRc: 7 });
  n1.submit({ action: 'start' });
  n1.submit({ action: 'monitor', intervalMs: 10_000 });
  clock.advance(35_000);
  const ids = n1.history.entries('app').map((e) => `${e.id} ${e.operation} call=${e.callId} rc=${e.rc}`);
  assert.deepEqual(ids, ['app_last_0 start call=2 rc=0', 'app_monitor_10000 monitor call=3 rc=0']);
  assert.equal(n1.recorded.length, 3, 'repeated monitor results do not change the status section');
  const xml = n1.history.lrmXml();
  assert.match(xml, /<lrm_resource id="app" class="ocf" provider="heartbeat" type="Dummy">/);
  assert.match(xml, /operation_key="app_start_0" operation="start" .*transition-key="0:0:0:0{8}-0{4}-0{4}-0{4}-0{12}" transition-magic="0:0;0:0:0:/);
  assert.match(xml, /call-id="2" rc-code="0" op-status="0" interval="0" last-rc-change="1767225600" exec-time="10" queue-time="10"/);
  assert.ok(xml.includes(`op-digest="${paramsDigest(new Map([['fake', 'x']]))}"`), 'start digest is the scheduler\'s');
  assert.ok(xml.includes(`op-digest="${opDigest({ fake: 'x' }, 10_000, 20_000)}"`));
  const parsed = parseCib(cib('2', nodeState(n1.history) + nodeState(n2.history)));
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const t = schedule(parsed.value, { now: Math.floor(clock.now() / 1000) });
  assert.deepEqual(t.actions, []);
  assert.deepEqual(t.current.get('app'), { node: 'node1', failed: false, managed: true, disabled: false, runningOn: ['node1'] });
});

test('a monitor failure counts once per change: fail-count 1, last-failure, and the scheduler recovers the resource', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const n1 = node('node1', clock), n2 = node('node2', clock);
  n2.submit({ action: 'monitor', expectedRc: 7 });
  n1.submit({ action: 'start' });
  n1.submit({ action: 'monitor', intervalMs: 10_000 });
  clock.advance(15_000);
  n1.twin.host.files.clear();
  clock.advance(30_000);
  assert.equal(n1.history.failCount('app'), 1, 'three failing runs, one rc change');
  assert.equal(n1.history.attrs.get('fail-count-app#monitor_10000'), '1');
  const lf = Number(n1.history.attrs.get('last-failure-app#monitor_10000'));
  assert.equal(lf, Math.floor((Date.UTC(2026, 0, 1) + 20_020) / 1000));
  const entries = n1.history.entries('app').map((e) => `${e.id} rc=${e.rc}`);
  assert.deepEqual(entries, ['app_last_0 rc=0', 'app_monitor_10000 rc=7', 'app_last_failure_0 rc=7']);
  const now = Math.floor(clock.now() / 1000);
  const recover = parseCib(cib('2', nodeState(n1.history) + nodeState(n2.history)));
  assert.ok(recover.ok);
  assert.deepEqual(schedule(recover.value, { now }).actions.map((a) => `${a.task} ${a.node}`).sort(), ['start node1', 'stop node1']);
  const move = parseCib(cib('1', nodeState(n1.history) + nodeState(n2.history)));
  assert.ok(move.ok);
  assert.deepEqual(schedule(move.value, { now }).actions.map((a) => `${a.task} ${a.node}`).sort(), ['start node2', 'stop node1']);
});

test('a failed start sets the fail count to INFINITY (start-failure-is-fatal); cleanup forgets it; cancel drops the entry; pending is rc 193', () => {
  const h = new NodeHistory('node1');
  const base: OpRequest = { rscId: 'app', agent: DUMMY, action: 'start', intervalMs: 0, timeoutMs: 20_000, params: {} };
  const res = (request: OpRequest, rc: number, opStatus: number = EXEC.DONE, callId = 1): OpResult =>
    ({ request, callId, rc, opStatus, stdout: '', stderr: '', startedAt: 1_767_225_600_000, execMs: 5, queueMs: 0, changed: true });
  assert.deepEqual(h.record(res(base, 1)), { changed: true, failed: true });
  assert.equal(h.attrs.get('fail-count-app#start_0'), 'INFINITY');
  assert.match(h.transientXml(), /<nvpair id="status-node1-fail-count-app.start_0" name="fail-count-app#start_0" value="INFINITY"\/>/);
  h.cleanup('app');
  assert.equal(h.failCount('app'), 0);
  assert.deepEqual(h.entries('app'), []);
  assert.equal(h.record(res(base, 0, EXEC.TIMEOUT, 2)).failed, true, 'a timeout is a failure whatever the rc');
  const mon = { ...base, action: 'monitor', intervalMs: 5000 };
  h.record(res(mon, 0, EXEC.DONE, 3));
  assert.ok(h.entries('app').some((e) => e.id === 'app_monitor_5000'));
  h.record(res(mon, 0, EXEC.CANCELLED, 3));
  assert.ok(!h.entries('app').some((e) => e.id === 'app_monitor_5000'));
  assert.equal(h.recordPending({ ...base, action: 'stop' }, 1_767_225_700_000), true);
  assert.match(h.lrmXml(), /id="app_last_0" operation_key="app_stop_0" operation="stop" .* call-id="-1" rc-code="193" op-status="-1" interval="0" last-rc-change="1767225700"/);
  assert.equal(h.recordPending(mon, 0), false, 'recurring runs are not recorded pending');
  const probe = { ...base, action: 'monitor' };
  assert.equal(h.record(res(probe, 0, EXEC.DONE, 4)).failed, false, 'a probe finding it running is information');
});
