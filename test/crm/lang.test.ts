// Scenarios for the crm configure language: seed 003 and the syntax tour go to CIB XML that crm_verify accepts,
// come back through show unchanged, and carry the ids crmsh generates; crm_resource edits match the real tool.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  banResource, cibXml, clearResource, hasErrors, loadCrmText, moveResource, parseCibXml, parseCrm, renderCrm, verifyConfig,
  type CrmConfig, type Location,
} from '../../src/crm/lang/index.js';
import { CATALOG, crmVerify, SEED_003, SYNTAX_TOUR } from './lang-fixtures.js';

const NO_STONITH = 'property stonith-enabled=false\n';

function compile(text: string, file = 'test.crm'): { xml: string; config: CrmConfig } {
  const r = parseCrm(text, { file });
  assert.deepEqual(r.diagnostics, [], 'parse diagnostics');
  return { xml: cibXml(r.config), config: r.config };
}

const show = (xml: string): string => {
  const back = parseCibXml(xml, 'cib.xml');
  assert.deepEqual(back.diagnostics, []);
  return renderCrm(back.config);
};

test('seed 003: the ldap group becomes the CIB crmsh writes, with crmsh ids', () => {
  const { xml } = compile(SEED_003);
  for (const fragment of [
    '<primitive id="ldap_service" class="ocf" provider="heartbeat" type="ldap">',
    '<meta_attributes id="ldap_service-meta_attributes">',
    '<nvpair name="migration-threshold" value="2" id="ldap_service-meta_attributes-migration-threshold"/>',
    '<nvpair name="failure-timeout" value="90s" id="ldap_service-meta_attributes-failure-timeout"/>',
    // heartbeat 2's op spellings are read as Pacemaker 1.0 read them (crmsh would pass them to the agent).
    '<op name="monitor" interval="5s" timeout="15s" start-delay="15s" enabled="true" on-fail="standby" id="ldap_service-monitor-5s"/>',
    '<nvpair name="ip" value="10.7.36.142" id="ldap_vip-instance_attributes-ip"/>',
    '<group id="ldap">',
    '<nvpair name="target-role" value="started" id="ldap-meta_attributes-target-role"/>',
    '<rsc_location id="prefer_server1" rsc="ldap" score="10" node="server1"/>',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}\n${xml}`);
  // The primitives sit inside the group, in the order the group names them.
  assert.match(xml, /<group id="ldap">[\s\S]*id="ldap_service"[\s\S]*id="ldap_vip"[\s\S]*<\/group>/);
  assert.match(xml, /<status\/>/);
});

test('seed 003: crm_verify accepts the XML once stonith is disabled as the how-to says', () => {
  const { xml } = compile(SEED_003 + NO_STONITH);
  const v = crmVerify(xml);
  assert.ok(v.accepted, v.output);
  // Without that, crm_verify refuses it, and so does our verify (same code path as Pacemaker's start-up refusal).
  const bare = compile(SEED_003);
  assert.equal(crmVerify(bare.xml).accepted, false);
  const ds = verifyConfig(bare.config, { file: 'seed.crm', catalog: CATALOG });
  assert.ok(ds.some((d) => d.code === 'LL_CRM_NO_STONITH' && d.severity === 'error'));
});

test('seed 003: verify reads each old underscore spelling with its Pacemaker 1.0 meaning and warns at its line', () => {
  const { config } = compile(SEED_003 + NO_STONITH);
  const ds = verifyConfig(config, { file: 'seed.crm', catalog: CATALOG });
  assert.equal(hasErrors(ds), false, JSON.stringify(ds, null, 1));
  const got = ds.map((d) => `${d.code}@${d.location?.line}:${d.found ?? ''}`).sort();
  assert.deepEqual(got, [
    'LL_CRM_LEGACY_SPELLING@3:disabled=false',
    'LL_CRM_LEGACY_SPELLING@3:on_fail=standby',
    'LL_CRM_LEGACY_SPELLING@3:start_delay=15s',
    'LL_CRM_LEGACY_SPELLING@7:target_role',
    'LL_CRM_NO_MONITOR@4:',
  ]);
  assert.match(ds.find((d) => d.found === 'target_role')!.message, /read as "target-role" as Pacemaker 1\.0 did; write "target-role"/);
  assert.match(ds.find((d) => d.found === 'disabled=false')!.message, /read as "enabled=true"/);
});

test('seed 003: show prints the configuration back in crm syntax', () => {
  const { xml } = compile(SEED_003);
  assert.equal(show(xml), [
    'primitive ldap_service ldap \\',
    '\tmeta migration-threshold=2 failure-timeout=90s \\',
    '\top monitor interval=5s timeout=15s start-delay=15s enabled=true on-fail=standby',
    'primitive ldap_vip IPaddr2 \\',
    '\tparams ip=10.7.36.142',
    'group ldap ldap_service ldap_vip \\',
    '\tmeta target-role=started collocated=true',
    'location prefer_server1 ldap 10: server1',
    '',
  ].join('\n'));
});

test('syntax tour: every statement maps to the XML of the spec table', () => {
  const { xml } = compile(SYNTAX_TOUR);
  for (const fragment of [
    '<node id="1" uname="node1">',
    '<instance_attributes id="node1-instance_attributes">',
    '<nvpair name="standby" value="off" id="node2-instance_attributes-standby"/>',
    '<op name="start" timeout="20s" interval="0" id="vip-start-0"/>',
    '<op name="monitor" interval="60s" timeout="30s" start-delay="5s" enabled="false" id="vip-monitor-60s"/>',
    '<primitive id="db" class="lsb" type="postgresql">',
    '<primitive id="st-ipmi" class="stonith" type="fence_ipmilan">',
    '<clone id="cl_ping">',
    '<nvpair name="interleave" value="true" id="cl_ping-meta_attributes-interleave"/>',
    '<rsc_location id="loc_web_ban" rsc="g_web" score="-INFINITY" node="node2"/>',
    '<rule score="-INFINITY" boolean-op="or" id="loc_web_ping-rule">',
    '<expression operation="not_defined" attribute="pingd" id="loc_web_ping-rule-expression"/>',
    '<expression operation="lte" attribute="pingd" value="0" id="loc_web_ping-rule-expression-0"/>',
    '<rule score="50" id="loc_web_site-rule">',
    '<rsc_colocation id="col_db_with_web" score="INFINITY" rsc="db" with-rsc="g_web"/>',
    '<rsc_colocation id="col_svc_apart" score="-100" rsc="svc" with-rsc="db"/>',
    '<rsc_order id="ord_opt" kind="Optional" first="svc" then="db"/>',
    // crmsh turns an order score into a kind.
    '<rsc_order id="ord_inf" kind="Mandatory" first="cl_ping" then="g_web"/>',
    '<nvpair name="cluster-recheck-interval" value="2min" id="cib-bootstrap-options-cluster-recheck-interval"/>',
    '<meta_attributes id="rsc-options">',
    '<nvpair name="timeout" value="30s" id="op-options-timeout"/>',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}`);
  // Resources keep crmsh's CIB order: members move into their group/clone, which sits where it was declared.
  const order = [...xml.matchAll(/^ {6}<(primitive|group|clone) id="([^"]+)"/gm)].map((m) => m[2]);
  assert.deepEqual(order, ['db', 'svc', 'st-ipmi', 'g_web', 'cl_ping']);
});

test('syntax tour: crm_verify accepts the XML, and verify agrees (with the agents the tour uses)', () => {
  const { xml, config } = compile(SYNTAX_TOUR);
  const v = crmVerify(xml);
  assert.ok(v.accepted, v.output);
  const ds = verifyConfig(config, { file: 'tour.crm', catalog: CATALOG });
  assert.equal(hasErrors(ds), false, JSON.stringify(ds.filter((d) => d.severity === 'error'), null, 1));
  // crmsh's advised-timeout warnings, same three: op_defaults timeout=30s is below apache's 40s/60s and ping's 60s.
  const timeouts = ds.filter((d) => d.code === 'LL_CRM_TIMEOUT_BELOW_ADVISED').map((d) => d.message);
  assert.deepEqual(timeouts, [
    'web: default timeout 30s for start is smaller than the advised 40s',
    'web: default timeout 30s for stop is smaller than the advised 60s',
    'ping: default timeout 30s for start is smaller than the advised 60s',
  ]);
});

test('syntax tour: show then load gives back identical XML, and show obscures passwords only when asked', () => {
  const { xml } = compile(SYNTAX_TOUR);
  const text = show(xml);
  assert.equal(compile(text).xml, xml);
  assert.match(text, /^primitive vip IPaddr2 \\$/m);
  assert.match(text, /^location loc_web_ping g_web \\\n\trule -inf: not_defined pingd or pingd lte 0$/m);
  assert.match(text, /^order ord_inf Mandatory: cl_ping g_web$/m);
  assert.match(text, /password=secret/);
  const obscured = renderCrm(parseCibXml(xml, 'x').config, { obscure: (n) => n.startsWith('passw') });
  assert.match(obscured, /password=\*\*\*\*\*\* /);
});

test('rules on node attributes: #uname, defined, and/or, typed comparison, score-attribute, several rules', () => {
  const { xml, config } = compile(`primitive a Dummy op monitor interval=10s
location l1 a rule -inf: #uname eq n1
location l2 a rule pingd: defined pingd
location l3 a rule $id=myrule 10: #uname eq n1 and site ne x
location l4 a rule 5: site eq a rule -10: site eq b
location l5 a role=Started 50: n2
location l6 a rule -inf: not_defined pingd or pingd number:lte 0
location l7 a rule #uname eq n1
${NO_STONITH}`);
  for (const fragment of [
    '<rule score="-INFINITY" id="l1-rule">',
    '<expression operation="eq" attribute="#uname" value="n1" id="l1-rule-expression"/>',
    '<rule score-attribute="pingd" id="l2-rule">',
    '<expression operation="defined" attribute="pingd" id="l2-rule-expression"/>',
    '<rule score="10" id="myrule">',
    '<expression operation="ne" attribute="site" value="x" id="myrule-expression-0"/>',
    '<rule score="-10" id="l4-rule-0">',
    '<expression operation="eq" attribute="site" value="b" id="l4-rule-0-expression"/>',
    '<rsc_location id="l5" rsc="a" role="Started" score="50" node="n2"/>',
    '<expression operation="lte" attribute="pingd" type="number" value="0" id="l6-rule-expression-0"/>',
    // crmsh: a rule without a score scores INFINITY.
    '<rule score="INFINITY" id="l7-rule">',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}`);
  assert.ok(crmVerify(xml).accepted);
  assert.equal(hasErrors(verifyConfig(config, { file: 'x', catalog: CATALOG })), false);
  assert.equal(compile(show(xml)).xml, xml);
});

test('colocation and order of three resources become one resource set; actions and symmetrical are kept', () => {
  const { xml } = compile(`primitive a Dummy op monitor interval=10s
primitive b Dummy op monitor interval=10s
primitive c Dummy op monitor interval=10s
colocation col3 inf: a b c
colocation col4 -inf: a:Started b
order o3 Serialize: a b c
order o4 100: a:stop b:start symmetrical=false
order o5 a b
order o6 0: b c
${NO_STONITH}`);
  for (const fragment of [
    '<rsc_colocation id="col3" score="INFINITY">\n        <resource_set id="col3-0">\n          <resource_ref id="a"/>\n          <resource_ref id="b"/>\n          <resource_ref id="c"/>',
    '<rsc_colocation id="col4" score="-INFINITY" rsc="a" rsc-role="Started" with-rsc="b"/>',
    '<rsc_order id="o3" kind="Serialize">\n        <resource_set id="o3-0">',
    '<rsc_order id="o4" kind="Mandatory" symmetrical="false" first="a" first-action="stop" then="b" then-action="start"/>',
    '<rsc_order id="o5" first="a" then="b"/>',
    '<rsc_order id="o6" kind="Optional" first="b" then="c"/>',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}`);
  assert.ok(crmVerify(xml).accepted);
  assert.equal(compile(show(xml)).xml, xml);
});

test('nodes: id:uname, bare uname, uname: normal, attributes standby=on; op OCF_CHECK_LEVEL; quoted values', () => {
  const { xml } = compile(`node n1
node 3: n3 \\
    attributes standby=on
node n2: normal
node $id=7 n7 attributes standby=off
primitive a ocf:pacemaker:Dummy op monitor interval=10 timeout=20 OCF_CHECK_LEVEL=10
primitive b Dummy params "fake=hello world" state=/tmp/x op monitor interval=1m
primitive e Dummy op start timeout=30s op monitor interval=30
${NO_STONITH}`);
  for (const fragment of [
    '<node id="n1" uname="n1"/>',
    '<node id="3" uname="n3">',
    '<nvpair name="standby" value="on" id="n3-instance_attributes-standby"/>',
    '<node id="n2" uname="n2"/>',
    '<node id="7" uname="n7">',
    '<op name="monitor" interval="10" timeout="20" id="a-monitor-10">',
    '<nvpair name="OCF_CHECK_LEVEL" value="10" id="a-monitor-10-instance_attributes-OCF_CHECK_LEVEL"/>',
    '<nvpair name="fake" value="hello world" id="b-instance_attributes-fake"/>',
    '<op name="monitor" interval="1m" id="b-monitor-1m"/>',
    // crmsh adds interval=0 to an op written without one (start/stop).
    '<op name="start" timeout="30s" interval="0" id="e-start-0"/>',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}`);
  assert.ok(crmVerify(xml).accepted, crmVerify(xml).output);
  const text = show(xml);
  assert.match(text, /params fake="hello world" state="\/tmp\/x"/);
  assert.match(text, /op_params OCF_CHECK_LEVEL=10/);
  assert.equal(compile(text).xml, xml);
});

test('scores: inf, +inf, INFINITY, -INFINITY, mandatory, advisory all normalise', () => {
  const { xml } = compile(`primitive a Dummy op monitor interval=10s
location l1 a inf: n1
location l2 a +inf: n1
location l3 a INFINITY: n1
location l4 a -INFINITY: n2
location l5 a -inf: n2
location l6 a +50: n2
colocation c1 mandatory: a a2
colocation c2 advisory: a a2
primitive a2 Dummy op monitor interval=10s
`);
  const scores = [...xml.matchAll(/id="(l\d|c\d)"[^>]*score="([^"]+)"/g)].map((m) => `${m[1]}=${m[2]}`);
  assert.deepEqual(scores, ['l1=INFINITY', 'l2=+INFINITY', 'l3=INFINITY', 'l4=-INFINITY', 'l5=-INFINITY', 'l6=50', 'c1=INFINITY', 'c2=0']);
});

test('crm_resource --move/--ban/--clear: the helpers write the constraints crm_resource writes', () => {
  const text = `node 1: server1\nnode 2: server2\n${SEED_003}${NO_STONITH}`;
  const { xml, config } = compile(text);
  const dir = mkdtempSync(join(tmpdir(), 'll-crmres-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    const env = { ...process.env, CIB_file: f };
    assert.equal(spawnSync('crm_resource', ['-M', '-r', 'ldap', '-N', 'server2'], { env }).status, 0);
    assert.equal(spawnSync('crm_resource', ['--ban', '-r', 'ldap', '-N', 'server1'], { env }).status, 0);
    const real = parseCibXml(readFileSync(f, 'utf8'), f).config.constraints.filter((c) => c.id.startsWith('cli-'));
    const ours = banResource(moveResource(config, 'ldap', 'server2'), 'ldap', 'server1').constraints.filter((c) => c.id.startsWith('cli-'));
    const strip = (cs: typeof real) => cs.map((c) => { const { line: _l, ...rest } = c as Location; return rest; });
    assert.deepEqual(strip(ours), strip(real));
    // A second move replaces the first, as crm_resource does.
    const moved = moveResource(moveResource(config, 'ldap', 'server2'), 'ldap', 'server1');
    assert.deepEqual(moved.constraints.filter((c) => c.id === 'cli-prefer-ldap').map((c) => (c as Location).node), ['server1']);
    assert.equal(spawnSync('crm_resource', ['--clear', '-r', 'ldap'], { env }).status, 0);
    const cleared = clearResource(banResource(moveResource(config, 'ldap', 'server2'), 'ldap', 'server1'), 'ldap');
    assert.deepEqual(cleared.removed.sort(), ['cli-ban-ldap-on-server1', 'cli-prefer-ldap']);
    assert.deepEqual(cleared.config.constraints.map((c) => c.id),
      parseCibXml(readFileSync(f, 'utf8'), f).config.constraints.map((c) => c.id));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load update replaces objects by id and merges property sets; load replace starts over', () => {
  const base = compile(`primitive a Dummy op monitor interval=10s\nlocation l a 10: n1\nproperty stonith-enabled=false no-quorum-policy=stop\n`).config;
  const upd = loadCrmText(base, 'location l a 20: n2\nprimitive b Dummy op monitor interval=5s\nproperty no-quorum-policy=ignore\n', { file: 'u.crm', mode: 'update', baseFile: 'cib.xml' });
  assert.deepEqual(upd.diagnostics, []);
  const xml = cibXml(upd.config);
  assert.match(xml, /<rsc_location id="l" rsc="a" score="20" node="n2"\/>/);
  assert.match(xml, /<nvpair name="stonith-enabled" value="false" id="cib-bootstrap-options-stonith-enabled"\/>/);
  assert.match(xml, /<nvpair name="no-quorum-policy" value="ignore" id="cib-bootstrap-options-no-quorum-policy"\/>/);
  assert.deepEqual(upd.config.resources.map((r) => r.id), ['a', 'b']);
  // Kept objects remember they came from the CIB, so their diagnostics name it.
  assert.equal(upd.config.resources[0]!.file, 'cib.xml');
  const rep = loadCrmText(base, 'primitive b Dummy op monitor interval=5s\n', { file: 'r.crm', mode: 'replace' });
  assert.deepEqual(rep.config.resources.map((r) => r.id), ['b']);
  assert.deepEqual(rep.config.constraints, []);
});

test('a CIB written by another tool keeps its ids through show and load (crm_standby nodes-1 style)', () => {
  const xml = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="5" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes>
      <node id="1" uname="node1">
        <instance_attributes id="nodes-1">
          <nvpair id="nodes-1-standby" name="standby" value="on"/>
        </instance_attributes>
      </node>
    </nodes>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>`;
  const text = show(xml);
  assert.equal(text, 'node 1: node1 \\\n\tattributes $id=nodes-1 standby=on\n');
  assert.match(compile(text).xml, /<instance_attributes id="nodes-1">/);
});

test('property, rsc_defaults and op_defaults: default set ids, SET: and $id= forms, repeated statements merge', () => {
  const { xml } = compile(`property stonith-enabled=false
property no-quorum-policy=ignore
property $id=site-options cluster-name=lab
property other: maintenance-mode=false
rsc_defaults $id=my-rsc-options resource-stickiness=10
op_defaults timeout=40s
`);
  for (const fragment of [
    '<cluster_property_set id="cib-bootstrap-options">\n        <nvpair name="stonith-enabled" value="false" id="cib-bootstrap-options-stonith-enabled"/>\n        <nvpair name="no-quorum-policy" value="ignore" id="cib-bootstrap-options-no-quorum-policy"/>',
    '<cluster_property_set id="site-options">\n        <nvpair name="cluster-name" value="lab" id="site-options-cluster-name"/>',
    '<cluster_property_set id="other">',
    '<meta_attributes id="my-rsc-options">\n        <nvpair name="resource-stickiness" value="10" id="my-rsc-options-resource-stickiness"/>',
    '<op_defaults>\n      <meta_attributes id="op-options">\n        <nvpair name="timeout" value="40s" id="op-options-timeout"/>',
  ]) assert.ok(xml.includes(fragment), `missing ${fragment}\n${xml}`);
  assert.ok(crmVerify(xml).accepted);
  assert.equal(compile(show(xml)).xml, xml);
});
