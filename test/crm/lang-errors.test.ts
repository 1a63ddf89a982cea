// Every error and warning of the crm language, asserted by code, file and line: what an administrator sees
// when a configuration is wrong, all problems at once rather than only the first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hasErrors, parseCibXml, parseCrm, systemAgentCatalog, verifyConfig, type AgentCatalog,
} from '../../src/crm/lang/index.js';
import type { Diagnostic } from '../../src/errors.js';
import { CATALOG } from './lang-fixtures.js';

const OK = 'property stonith-enabled=false\n';

/** Parses and verifies; returns `CODE@line` for every diagnostic (severity-prefixed for warnings). */
function check(text: string, catalog: AgentCatalog | undefined = CATALOG): { keys: string[]; ds: Diagnostic[] } {
  const r = parseCrm(text, { file: 'cluster.crm' });
  const ds = [...r.diagnostics, ...verifyConfig(r.config, { file: 'cluster.crm', ...(catalog ? { catalog } : {}) })];
  for (const d of ds) assert.equal(d.location?.file, 'cluster.crm');
  return { keys: ds.map((d) => `${d.severity === 'warning' ? 'W:' : ''}${d.code}@${d.location?.line ?? '-'}`), ds };
}

const M = 'op monitor interval=10s';

test('a constraint naming an undefined resource is an error at the constraint line', () => {
  const { keys, ds } = check(`primitive a Dummy ${M}
location l1 nosuch 100: n1
colocation c1 inf: a ghost
order o1 Mandatory: phantom a
group g a missing
clone cl absent
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_UNKNOWN_RESOURCE@5', 'LL_CRM_UNKNOWN_RESOURCE@6', 'LL_CRM_UNKNOWN_RESOURCE@2', 'LL_CRM_UNKNOWN_RESOURCE@3', 'LL_CRM_UNKNOWN_RESOURCE@4']);
  assert.deepEqual(ds.map((d) => d.found), ['missing', 'absent', 'nosuch', 'ghost', 'phantom']);
});

test('a duplicate id is an error at the second definition, naming the first', () => {
  const { keys, ds } = check(`primitive a Dummy ${M}
primitive b Dummy ${M}
primitive a Dummy ${M}
location b a 10: n1
${OK}`);
  assert.deepEqual(keys.filter((k) => k.startsWith('LL_CRM_DUPLICATE_ID')), ['LL_CRM_DUPLICATE_ID@3', 'LL_CRM_DUPLICATE_ID@4']);
  assert.match(ds.find((d) => d.code === 'LL_CRM_DUPLICATE_ID')!.message, /duplicate id "a" \(first defined at line 1\)/);
});

test('a bad score is an error at its line, in locations, colocations and rules', () => {
  const { keys, ds } = check(`primitive a Dummy ${M}
primitive b Dummy ${M}
location l1 a 10x: n1
colocation c1 lots: a b
location l2 a \\
    rule 5y: site eq a
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_BAD_SCORE@3', 'LL_CRM_BAD_SCORE@4', 'LL_CRM_BAD_SCORE@6']);
  assert.deepEqual(ds.map((d) => d.found), ['10x:', 'lots:', '5y:']);
});

test('a score without its colon is an error naming the score', () => {
  const { keys, ds } = check(`primitive a Dummy ${M}
primitive b Dummy ${M}
location l1 a 100 n1
colocation c1 inf a b
order o1 Mandatory a b
location l2 a rule 10 #uname eq n1
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_MISSING_COLON@3', 'LL_CRM_MISSING_COLON@4', 'LL_CRM_MISSING_COLON@5', 'LL_CRM_MISSING_COLON@6']);
  assert.deepEqual(ds.map((d) => d.expected), ['100:', 'inf:', 'Mandatory:', '10:']);
});

test('a monitor without interval is an error; start/stop get interval 0 as in crmsh', () => {
  const { keys } = check(`primitive a Dummy \\
    op start timeout=20s \\
    op monitor timeout=20s
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_OP_NO_INTERVAL@3']);
});

test('an unknown statement keyword is an error listing the known ones', () => {
  const { keys, ds } = check(`primitve a Dummy ${M}\nprimitive b Dummy ${M}\nfrobnicate x\n${OK}`);
  assert.deepEqual(keys, ['LL_CRM_UNKNOWN_KEYWORD@1', 'LL_CRM_UNKNOWN_KEYWORD@3']);
  assert.equal(ds[0]!.found, 'primitve');
  assert.match(ds[0]!.expected!, /primitive/);
});

test('an unknown agent class, provider or type is an error at the primitive', () => {
  const { keys } = check(`primitive a ocf:heartbeat:NoSuchAgent ${M}
primitive b foo:bar ${M}
primitive c ocf:Dummy ${M}
primitive d lsb:nosuchinit ${M}
primitive e ocf:nobody:Dummy ${M}
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_UNKNOWN_AGENT@2', 'LL_CRM_SYNTAX@3', 'LL_CRM_UNKNOWN_AGENT@1', 'LL_CRM_UNKNOWN_AGENT@4', 'LL_CRM_UNKNOWN_AGENT@5']);
});

test('agent parameters are checked against the meta-data: required missing, unknown name', () => {
  const { keys, ds } = check(`primitive v IPaddr2 \\
    params nic=eth0 \\
    params netmask=24 \\
    op monitor interval=10s
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_MISSING_PARAM@1', 'LL_CRM_UNKNOWN_PARAM@3']);
  assert.match(ds[0]!.message, /required parameter "ip"/);
  assert.equal(ds[1]!.found, 'netmask');
});

test('meta attributes: old underscore spellings are read in today\'s and warned about, unknown names warn, bad values are errors', () => {
  const { keys, ds } = check(`primitive a Dummy \\
    meta target_role=Started colour=blue \\
    meta target-role=bogus migration-threshold=lots failure-timeout=soon \\
    ${M}
${OK}`);
  assert.deepEqual(keys, ['W:LL_CRM_LEGACY_SPELLING@2', 'W:LL_CRM_UNKNOWN_META@2', 'LL_CRM_BAD_VALUE@3', 'LL_CRM_BAD_VALUE@3', 'LL_CRM_BAD_VALUE@3']);
  assert.match(ds[0]!.message, /"target_role" is heartbeat 2's spelling, read as "target-role"/);
  assert.match(ds[1]!.message, /unknown meta attribute "colour"/);
});

test('op values: bad interval, timeout, on-fail, enabled, op name, duplicate monitor', () => {
  const { keys } = check(`primitive a Dummy \\
    op monitor interval=abc \\
    op monitor interval=10s timeout=forever on-fail=explode \\
    op monitor interval=10 enabled=perhaps \\
    op dance interval=0
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_BAD_VALUE@2', 'LL_CRM_BAD_VALUE@3', 'LL_CRM_BAD_VALUE@3', 'LL_CRM_BAD_VALUE@4', 'LL_CRM_DUPLICATE_OP@4', 'LL_CRM_BAD_VALUE@5']);
});

test('properties and node attributes: bad booleans and enums are errors, unknown names warn', () => {
  const { keys } = check(`node n1 attributes standby=maybe
property stonith-enabled=perhaps no-quorum-policy=bogus cluster-recheck-interval=often colour=red
property default-resource-stickiness=100
`);
  assert.deepEqual(keys, [
    'LL_CRM_BAD_VALUE@2', 'LL_CRM_BAD_VALUE@2', 'LL_CRM_BAD_VALUE@2', 'W:LL_CRM_UNKNOWN_PROPERTY@2', 'W:LL_CRM_OBSOLETE_PROPERTY@3',
    'LL_CRM_BAD_VALUE@1', 'LL_CRM_NO_STONITH@-',
  ]);
});

test('warnings where Pacemaker and crmsh warn: no monitor, stonith enabled without a device, short timeouts', () => {
  const { keys, ds } = check(`primitive a Dummy
primitive web ocf:heartbeat:apache op start timeout=10s op stop interval=0 op monitor interval=30s timeout=5s
op_defaults timeout=30s
`);
  assert.deepEqual(keys, [
    'W:LL_CRM_NO_MONITOR@1',
    'W:LL_CRM_TIMEOUT_BELOW_ADVISED@2', 'W:LL_CRM_TIMEOUT_BELOW_ADVISED@2', 'W:LL_CRM_TIMEOUT_BELOW_ADVISED@2',
    'LL_CRM_NO_STONITH@-',
  ]);
  assert.deepEqual(ds.filter((d) => d.code === 'LL_CRM_TIMEOUT_BELOW_ADVISED').map((d) => d.message), [
    'web: specified timeout 10s for start is smaller than the advised 40s',
    'web: default timeout 30s for stop is smaller than the advised 60s',
    'web: specified timeout 5s for monitor is smaller than the advised 20s',
  ]);
  // A stonith resource satisfies Pacemaker's fencing requirement.
  assert.ok(!check(`primitive f stonith:fence_ipmilan ${M}\n`).keys.includes('LL_CRM_NO_STONITH@-'));
});

test('constructs the scheduler does not implement are refused with LL_CRM_UNSUPPORTED at their line', () => {
  const { keys } = check(`primitive a Dummy ${M}
primitive b Dummy ${M} utilization cpu=2
ms ms_a a
clone cl a meta promotable=true
colocation c1 inf: a ( b )
rsc_template t Dummy
location l1 a rule 10: date gt 2026-01-01
tag t1 a b
fencing_topology n1: f1
property placement-strategy=balanced
location l2 b role=Promoted 10: n1
${OK}`);
  const unsupported = keys.filter((k) => k.startsWith('LL_CRM_UNSUPPORTED')).map((k) => Number(k.split('@')[1])).sort((x, y) => x - y);
  assert.deepEqual(unsupported, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('all errors of a file come at once, each at the physical line inside continued statements', () => {
  const { keys } = check(`# a comment line
primitive a Dummy \\
    meta migration-threshold=lots \\
    op monitor interval=10s \\
    op monitor timeout=20s
location l a 10x: n1
location l2 a 20: n1
colocation c inf: a nothing
primitive "b Dummy
${OK}`);
  assert.deepEqual(keys, [
    'LL_CRM_SYNTAX@9', 'LL_CRM_BAD_SCORE@6', 'LL_CRM_BAD_VALUE@3', 'LL_CRM_OP_NO_INTERVAL@5', 'LL_CRM_UNKNOWN_RESOURCE@8',
  ]);
});

test('CIB XML: malformed XML is an error; unsupported elements are refused at their line', () => {
  const bad = parseCibXml('<cib><configuration></cib>', 'cib.xml');
  assert.equal(bad.diagnostics[0]!.code, 'LL_CRM_XML');
  assert.equal(bad.diagnostics[0]!.location?.file, 'cib.xml');
  const notCib = parseCibXml('<foo/>', 'cib.xml');
  assert.equal(notCib.diagnostics[0]!.code, 'LL_CRM_XML');
  const withBundle = parseCibXml(`<cib>
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <bundle id="b1"/>
    </resources>
    <constraints>
      <rsc_ticket id="t" rsc="x" ticket="y"/>
    </constraints>
    <tags/>
  </configuration>
</cib>`, 'cib.xml');
  assert.deepEqual(withBundle.diagnostics.map((d) => `${d.code}@${d.location?.line}`), ['LL_CRM_UNSUPPORTED@6', 'LL_CRM_UNSUPPORTED@9', 'LL_CRM_UNSUPPORTED@11']);
});

test('the machine catalogue: IPaddr2 is installed with its meta-data, ldap is not (resource-agents package)', () => {
  const cat = systemAgentCatalog();
  assert.equal(cat.exists('ocf', 'heartbeat', 'IPaddr2'), true);
  assert.equal(cat.exists('ocf', 'heartbeat', 'ldap'), false);
  const md = cat.metadata('ocf', 'heartbeat', 'IPaddr2');
  assert.ok(md?.parameters.some((p) => p.name === 'ip' && p.required));
  assert.equal(md?.actions.find((a) => a.name === 'start')?.timeout, '20s');
  const { keys } = check(`primitive v IPaddr2 ${M}\nprimitive l ldap ${M}\n${OK}`, cat);
  assert.deepEqual(keys, ['LL_CRM_MISSING_PARAM@1', 'LL_CRM_UNKNOWN_AGENT@2']);
  assert.equal(hasErrors(check(`primitive v IPaddr2 params ip=192.0.2.1 ${M}\n${OK}`, cat).ds), false);
});

test('what crm_verify refuses is refused too: a recurring start, a constraint on a cloned primitive, a repeated monitor', () => {
  const { keys, ds } = check(`primitive a Dummy \\
    op start interval=10s \\
    ${M} \\
    op monitor interval=10s role=Stopped
primitive b Dummy ${M} op stop interval=0 op stop interval=0 timeout=30s
clone cl b
location l b 100: n1
location l2 cl 100: n1
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_BAD_VALUE@2', 'LL_CRM_DUPLICATE_OP@4', 'W:LL_CRM_DUPLICATE_OP@5', 'LL_CRM_BAD_MEMBER@7']);
  assert.equal(ds[0]!.expected, 'interval=0: a start cannot recur');
  assert.match(ds[3]!.message, /inside clone cl; constraints name the clone/);
});

test('a problem inside a rule is reported at the rule line of a continued location', () => {
  const { keys } = check(`primitive a Dummy ${M}
location l a \\
    rule 10: site eq a \\
    rule -inf: pingd number:lte lots
${OK}`);
  assert.deepEqual(keys, ['LL_CRM_BAD_VALUE@4']);
});

test('a resource, group or clone named after a section word (op, meta…) is refused at its line: groups and clones could never name it', () => {
  const { keys, ds } = check(`${OK}primitive op Dummy ${M}
primitive a Dummy ${M}
group meta a
clone params a
location op-pref a 100: n1
`);
  assert.deepEqual(keys.filter((k) => k.startsWith('LL_CRM_SYNTAX')), ['LL_CRM_SYNTAX@2', 'LL_CRM_SYNTAX@4', 'LL_CRM_SYNTAX@5']);
  assert.match(ds[0]!.message ?? JSON.stringify(ds[0]), /"op" is a crm keyword/);
});
