// failure-timeout in the whole-CRM twin (fake clock): the DC reruns the scheduler at the exact second a fail count
// expires, not at the next cluster-recheck-interval (15 min by default), so a group moved away by
// migration-threshold comes back to its preferred node then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrmdTwin } from '../../../src/crm/controld/index.js';
import { nextFailureExpiry } from '../../../src/crm/controld/recheck.js';
import { parseCib } from '../../../src/crm/cib.js';
import { printXml } from '../../../src/crm/cib-store/index.js';
import { getAttr, parseXml, type XEl } from '../../../src/crm/xml-lite.js';
import { groupCib, nodeNames } from './cibs.js';

const FT_S = 20;

function cibWithTimeout(): XEl {
  const xml = printXml(groupCib({ nodes: 3, migrationThreshold: 2 }))
    .replace('<nvpair id="app-mt" name="migration-threshold" value="2"/>', `<nvpair id="app-mt" name="migration-threshold" value="2"/><nvpair id="app-ft" name="failure-timeout" value="${FT_S}s"/>`);
  const r = parseXml(xml);
  if (!r.ok) throw new Error(r.reason);
  return r.root;
}

/** last-failure-app#… on a node, in epoch seconds. */
function lastFailure(cib: XEl, uname: string): number | undefined {
  const ns = cib.kids.find((k) => k.tagName === 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname);
  const found = JSON.stringify(ns ?? {}).match(/"last-failure-app#monitor_5000","value","(\d+)"/);
  return found ? Number(found[1]) : undefined;
}

test('two monitor failures (migration-threshold=2) move the group away; it comes back at the second its failure-timeout expires', () => {
  const cib = cibWithTimeout();
  assert.match(printXml(cib), /failure-timeout/);
  const t = new CrmdTwin(nodeNames(3), { cib: (n) => (n === 'node1' ? cib : undefined) });
  t.startAll();
  t.settle();
  t.client('node1', 'loc', { req: { cmd: 'cib_create', section: 'constraints', xml: '<rsc_location id="prefer" rsc="grp" node="node2" score="100"/>' } });
  t.runUntil(() => t.answers.has('loc'));
  t.settle();
  assert.deepEqual(t.where('app'), ['node2']);
  const starts2 = () => t.node('node2').host.journal.filter((l) => l === 'app start').length;
  for (let i = 1; i <= 2; i++) {
    t.node('node2').host.files.delete('/run/resource-agents/Dummy-app.state');
    assert.ok(t.runUntil(() => i === 1 ? starts2() === 2 : t.where('app').length === 1 && t.where('app')[0] !== 'node2', 15_000) !== undefined, t.tail());
    t.settle();
  }
  const away = t.where('app')[0]!;
  assert.notEqual(away, 'node2');
  const last = lastFailure(t.crmd(away).cib(), 'node2');
  assert.ok(last !== undefined, 'last-failure recorded');
  const parsed = parseCib(printXml(t.crmd('node1').cib()));
  assert.ok(parsed.ok);
  assert.equal(nextFailureExpiry(parsed.value, Math.floor(t.now / 1000)), last + FT_S + 1);
  // Nothing happens until the expiry; then the group goes back to node2 within a tick and an agent run or two.
  const expiryMs = (last + FT_S + 1) * 1000;
  t.runUntil(() => t.now >= expiryMs - 200, 60_000);
  assert.deepEqual(t.where('app'), [away], 'still away just before the expiry');
  const back = t.runUntil(() => t.where('app').join() === 'node2' && t.where('vip').join() === 'node2', 10_000);
  assert.ok(back !== undefined, t.tail());
  const late = t.now - expiryMs;
  assert.ok(late >= 0 && late <= t.tick + 500, `back on node2 ${late} ms after the expiry`);
  assert.match(t.node('node1').logs.join('\n'), /cause=C_TIMER_POPPED/);
  console.log(`# twin: failure-timeout ${FT_S}s: group back on node2 ${late} ms after the expiry (tick ${t.tick} ms)`);
});

test('nextFailureExpiry: the earliest unexpired fail count among resources with failure-timeout (group meta and rsc_defaults inherited)', () => {
  const xml = `<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes><node id="1" uname="a"/><node id="2" uname="b"/></nodes>
    <resources><group id="g"><meta_attributes id="g-m"><nvpair id="g-ft" name="failure-timeout" value="60s"/></meta_attributes>
      <primitive id="x" class="ocf" provider="pacemaker" type="Dummy"/></group>
      <primitive id="y" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="z" class="ocf" provider="pacemaker" type="Dummy"/></resources>
    <rsc_defaults><meta_attributes id="d"><nvpair id="d-ft" name="failure-timeout" value="30"/></meta_attributes></rsc_defaults><constraints/></configuration>
    <status>
      <node_state id="1" uname="a" in_ccm="true" crmd="online" join="member" expected="member"><transient_attributes id="1"><instance_attributes id="s1">
        <nvpair id="a1" name="fail-count-x#monitor_10000" value="1"/><nvpair id="a2" name="last-failure-x#monitor_10000" value="1000"/>
        <nvpair id="a3" name="fail-count-y#start_0" value="INFINITY"/><nvpair id="a4" name="last-failure-y#start_0" value="1010"/></instance_attributes></transient_attributes></node_state>
      <node_state id="2" uname="b" in_ccm="true" crmd="online" join="member" expected="member"><transient_attributes id="2"><instance_attributes id="s2">
        <nvpair id="b1" name="fail-count-z#monitor_10000" value="0"/><nvpair id="b2" name="last-failure-z#monitor_10000" value="990"/></instance_attributes></transient_attributes></node_state>
    </status></cib>`;
  const c = parseCib(xml);
  assert.ok(c.ok, c.ok ? '' : c.error.message);
  // y: 1010 + 30 + 1 = 1041 (rsc_defaults); x: 1000 + 60 + 1 = 1061 (group); z's count is 0.
  assert.equal(nextFailureExpiry(c.value, 1020), 1041);
  assert.equal(nextFailureExpiry(c.value, 1041), 1061);
  assert.equal(nextFailureExpiry(c.value, 1061), undefined);
});
