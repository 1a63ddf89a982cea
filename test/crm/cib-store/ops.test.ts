// The CIB store's operations and versions as Pacemaker has them: cibadmin's exit codes, epoch bumped by a
// configuration change (num_updates reset), num_updates by a status change, conflicts naming both versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, getAttr, type XEl } from '../../../src/crm/xml-lite.js';
import {
  applyRequest, performChange, versionOf, compareVersions, newestOffer, bumpVersion, formatVersion, emptyCib, printXml,
  crmVerifier, CIB_RC, selectXpath, type CibAnswer,
} from '../../../src/crm/cib-store/index.js';

const xml = (t: string): XEl => { const r = parseXml(t); assert.ok(r.ok); return r.root; };
const BASE = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="4" num_updates="2" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">
      <nvpair id="opt-stonith" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="server1" uname="server1"/><node id="server2" uname="server2"/></nodes>
    <resources><primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
      <instance_attributes id="ip-params"><nvpair id="ip-ip" name="ip" value="10.241.0.10"/></instance_attributes>
      <operations><op id="ip-monitor-5s" name="monitor" interval="5s" timeout="15s"/></operations></primitive></resources>
    <constraints/>
  </configuration>
  <status><node_state id="server1" uname="server1" crmd="online"/></status>
</cib>`;
const base = () => xml(BASE);
const ok = (a: CibAnswer) => { assert.ok(a.ok, JSON.stringify(a)); return a; };

test('versions compare admin_epoch, then epoch, then num_updates; a missing counter is older than 0', () => {
  const v = (a: number, e: number, n: number) => ({ adminEpoch: a, epoch: e, numUpdates: n });
  assert.equal(compareVersions(v(0, 5, 0), v(0, 4, 99)), 1);
  assert.equal(compareVersions(v(1, 0, 0), v(0, 99, 99)), 1);
  assert.equal(compareVersions(v(0, 4, 2), v(0, 4, 3)), -1);
  assert.equal(compareVersions(v(0, 4, 2), v(0, 4, 2)), 0);
  assert.deepEqual(versionOf(xml('<cib epoch="3"/>')), v(-1, 3, -1));
  assert.equal(formatVersion(bumpVersion(v(0, 4, 7), true)), '0.5.0');
  assert.equal(formatVersion(bumpVersion(v(0, 4, 7), false)), '0.4.8');
});

test('the join picks the newest offer; on a tie the DC keeps its own CIB', () => {
  const v = (e: number, n: number) => ({ adminEpoch: 0, epoch: e, numUpdates: n });
  assert.equal(newestOffer([{ node: 'a', version: v(3, 1) }, { node: 'b', version: v(4, 0) }, { node: 'c', version: v(3, 9) }], 'a')!.node, 'b');
  assert.equal(newestOffer([{ node: 'b', version: v(4, 0) }, { node: 'a', version: v(4, 0) }], 'a')!.node, 'a');
  assert.equal(newestOffer([{ node: 'b', version: v(4, 0) }, { node: 'c', version: v(4, 0) }], 'a')!.node, 'b');
});

test('query: a section, an xpath (one match bare, several in <xpath-query>), a missing one is exit code 105', () => {
  const cib = base();
  const r = ok(performChange(cib, { req: { cmd: 'cib_query', section: 'resources' } }, { origin: 'n' }).answer);
  assert.match((r as { xml: string }).xml, /^<resources>\n  <primitive id="ip"/);
  const one = applyRequest(cib, { cmd: 'cib_query', xpath: "//primitive[@id='ip']" });
  assert.ok(one.ok && one.xml!.startsWith('<primitive id="ip"'));
  const two = applyRequest(cib, { cmd: 'cib_query', xpath: '/cib/configuration/nodes/node' });
  assert.ok(two.ok && two.xml!.startsWith('<xpath-query>') && (two.xml!.match(/<node /g) ?? []).length === 2);
  const none = applyRequest(cib, { cmd: 'cib_query', xpath: "//primitive[@id='nope']" });
  assert.deepEqual(none.ok ? 0 : none.rc, CIB_RC.NOSUCH);
  const bad = applyRequest(cib, { cmd: 'cib_query', xpath: '//primitive[contains(@id,"i")]' });
  assert.ok(!bad.ok && /outside the supported subset/.test(bad.error));
  assert.equal(selectXpath(cib, "//nvpair[@name='ip' and @value='10.241.0.10']").length, 1);
  assert.deepEqual(selectXpath(cib, '/cib/configuration/nodes/node[2]'), [[0, 1, 1]]);
});

test('a configuration change bumps epoch and resets num_updates; a status change bumps num_updates only', () => {
  const cib = base();
  const c = performChange(cib, { req: { cmd: 'cib_modify', section: 'resources', xml: '<nvpair id="ip-ip" value="10.241.0.11"/>' } }, { origin: 'server1' });
  assert.deepEqual(c.answer, { ok: true, adminEpoch: 0, epoch: 5, numUpdates: 0 });
  assert.ok(c.update && c.update.configChanged && formatVersion(c.update.from) === '0.4.2' && formatVersion(c.update.to) === '0.5.0');
  const s = performChange(c.cib, { req: { cmd: 'cib_modify', section: 'status', xml: '<node_state id="server1" crmd="offline"/>' } }, { origin: 'server1' });
  assert.deepEqual(s.answer, { ok: true, adminEpoch: 0, epoch: 5, numUpdates: 1 });
  assert.equal(s.update!.configChanged, false);
  // Nothing changed: no update, same version.
  const same = performChange(s.cib, { req: { cmd: 'cib_modify', section: 'status', xml: '<node_state id="server1" crmd="offline"/>' } }, { origin: 'server1' });
  assert.equal(same.update, undefined);
  assert.equal(same.cib, s.cib);
});

test('modify merges attributes and children into the first element with the tag and id, and expands name++', () => {
  const cib = base();
  const r = applyRequest(cib, { cmd: 'cib_modify', xml: '<primitive id="ip"><meta_attributes id="ip-meta"><nvpair id="ip-mt" name="migration-threshold" value="2"/></meta_attributes></primitive>' });
  assert.ok(r.ok);
  assert.match(printXml(r.cib), /<meta_attributes id="ip-meta">\n\s*<nvpair id="ip-mt" name="migration-threshold" value="2"\/>/);
  const inc = applyRequest(r.cib, { cmd: 'cib_modify', xml: '<cib admin_epoch="admin_epoch++"/>' });
  assert.ok(inc.ok && getAttr(inc.cib, 'admin_epoch') === '1');
  const missing = applyRequest(cib, { cmd: 'cib_modify', section: 'resources', xml: '<primitive id="web"/>' });
  assert.ok(!missing.ok && missing.rc === CIB_RC.NOSUCH && /primitive id="web"/.test(missing.error));
});

test('create refuses an id already there with exit code 108; replace swaps one object; delete by xml or xpath', () => {
  const cib = base();
  const dup = applyRequest(cib, { cmd: 'cib_create', section: 'resources', xml: '<primitive id="ip" class="ocf" provider="pacemaker" type="Dummy"/>' });
  assert.ok(!dup.ok && dup.rc === CIB_RC.EXISTS);
  const add = applyRequest(cib, { cmd: 'cib_create', xml: '<rsc_location id="prefer_server1" rsc="ip" score="10" node="server1"/>' });
  assert.ok(add.ok && selectXpath(add.cib, "/cib/configuration/constraints/rsc_location[@id='prefer_server1']").length === 1);
  const rep = applyRequest(add.cib, { cmd: 'cib_replace', section: 'constraints', xml: '<rsc_location id="prefer_server1" rsc="ip" score="20" node="server1"/>' });
  assert.ok(rep.ok && selectXpath(rep.cib, "//rsc_location[@score='20']").length === 1);
  const del = applyRequest(rep.cib, { cmd: 'cib_delete', section: 'constraints', xml: '<rsc_location id="prefer_server1"/>' });
  assert.ok(del.ok && selectXpath(del.cib, '//rsc_location').length === 0);
  // Deleting what is not there is not an error (Pacemaker: "already removed"), and changes nothing.
  const again = applyRequest(del.cib, { cmd: 'cib_delete', xpath: "//rsc_location[@id='prefer_server1']" });
  assert.ok(again.ok && again.cib === del.cib);
  const whole = applyRequest(cib, { cmd: 'cib_delete', xpath: '/cib' });
  assert.ok(!whole.ok && whole.rc === CIB_RC.SOFTWARE);
  const garbage = applyRequest(cib, { cmd: 'cib_modify', xml: '<primitive id="x"' });
  assert.ok(!garbage.ok && garbage.rc === CIB_RC.DATAERR && /not well-formed/.test(garbage.error));
  const section = applyRequest(cib, { cmd: 'cib_query', section: 'bogus' });
  assert.ok(!section.ok && section.rc === CIB_RC.NOSUCH);
});

test('an edit based on an older epoch is refused with exit code 103, naming both versions; the CIB is untouched', () => {
  const cib = base();
  const edited = performChange(cib, { req: { cmd: 'cib_modify', xml: '<nvpair id="ip-ip" value="10.241.0.12"/>' } }, { origin: 'server1' });
  const late = performChange(edited.cib, { req: { cmd: 'cib_modify', xml: '<nvpair id="ip-ip" value="10.241.0.13"/>' }, base: versionOf(cib) }, { origin: 'server2' });
  assert.ok(!late.answer.ok);
  assert.equal(late.answer.rc, CIB_RC.OLD);
  assert.match(late.answer.error, /0\.4\.2.*0\.5\.0/);
  assert.equal(late.cib, edited.cib);
  // A base that only lags in num_updates (status changed meanwhile) is not a configuration conflict.
  const st = performChange(edited.cib, { req: { cmd: 'cib_modify', section: 'status', xml: '<node_state id="server1" crmd="offline"/>' } }, { origin: 'server1' });
  const fine = performChange(st.cib, { req: { cmd: 'cib_modify', xml: '<nvpair id="ip-ip" value="10.241.0.14"/>' }, base: versionOf(edited.cib) }, { origin: 'server2' });
  assert.ok(fine.answer.ok && fine.update);
});

test('a whole-CIB replace older than the running CIB is refused; one without <status> keeps the live status', () => {
  const cib = base();
  const older = BASE.replace('epoch="4"', 'epoch="3"');
  const r = performChange(cib, { req: { cmd: 'cib_replace', xml: older } }, { origin: 'server2' });
  assert.ok(!r.answer.ok && r.answer.rc === CIB_RC.OLD && /3\.0.*0\.4\.2|0\.3\.2.*0\.4\.2/.test(r.answer.error), JSON.stringify(r.answer));
  const noStatus = BASE.replace(/<status>[\s\S]*<\/status>/, '').replace('value="false"', 'value="true"').replace('num_updates="2"', 'num_updates="5"');
  const w = performChange(cib, { req: { cmd: 'cib_replace', xml: noStatus } }, { origin: 'server2' });
  assert.ok(w.answer.ok && w.update);
  assert.equal(formatVersion(versionOf(w.cib)), '0.5.0');
  assert.equal(selectXpath(w.cib, "/cib/status/node_state[@id='server1']").length, 1);
});

test('a configuration change that does not verify is refused with exit code 78 naming the resource; the CIB is untouched', () => {
  const cib = base();
  const validate = crmVerifier();
  const bad = performChange(cib, {
    req: { cmd: 'cib_create', section: 'resources', xml: '<primitive id="web" class="ocf" provider="heartbeat" type="apache"><operations><op id="web-mon" name="monitor" timeout="10s"/></operations></primitive>' },
  }, { origin: 'server1', validate });
  assert.ok(!bad.answer.ok);
  assert.equal(bad.answer.rc, CIB_RC.CONFIG);
  assert.match(bad.answer.error, /web: op monitor has no interval/);
  assert.equal(bad.cib, cib);
  const good = performChange(cib, {
    req: { cmd: 'cib_create', section: 'resources', xml: '<primitive id="web" class="ocf" provider="heartbeat" type="apache"><operations><op id="web-mon" name="monitor" interval="10s" timeout="20s"/></operations></primitive>' },
  }, { origin: 'server1', validate });
  assert.ok(good.answer.ok, JSON.stringify(good.answer));
  // No stonith resource while stonith-enabled is true: crm verify complains, but Pacemaker's CIB takes the change.
  const noStonith = performChange(emptyCib(), {
    req: { cmd: 'cib_create', section: 'resources', xml: '<primitive id="d" class="ocf" provider="pacemaker" type="Dummy"/>' },
  }, { origin: 'server1', validate });
  assert.ok(noStonith.answer.ok, JSON.stringify(noStonith.answer));
  // Status changes are not verified (they are the cluster's own writes).
  const st = performChange(cib, { req: { cmd: 'cib_modify', section: 'status', xml: '<node_state id="server1" crmd="offline"/>' } }, { origin: 'server1', validate });
  assert.ok(st.answer.ok);
});

test('the empty CIB is cibadmin --empty\'s document', () => {
  assert.equal(printXml(emptyCib()), '<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="0" num_updates="0" admin_epoch="0">\n' +
    '  <configuration>\n    <crm_config/>\n    <nodes/>\n    <resources/>\n    <constraints/>\n  </configuration>\n  <status/>\n</cib>\n');
});
