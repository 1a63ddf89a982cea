// `lifeline crm configure load|show|verify` on a CIB file, run as the administrator runs it (built CLI, real files).
// Exit codes: 0 valid, 1 errors, 2 usage; a refused load leaves the CIB file untouched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { crmVerify } from './lang-fixtures.js';

function lifeline(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', 'crm', 'configure', ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'll-crmcli-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = `node 1: node1
node 2: node2
primitive ip IPaddr2 \\
    params ip=192.0.2.10 cidr_netmask=24 \\
    op monitor interval=10s timeout=20s
primitive app Dummy \\
    meta migration-threshold=3 \\
    op monitor interval=10s timeout=20s
group g_web ip app
location loc_pref_node2 g_web 100: node2
property stonith-enabled=false no-quorum-policy=ignore
`;

test('load creates the CIB file, crm_verify accepts it, show prints the crm text back, verify exits 0', () => {
  withDir((dir) => {
    const crm = join(dir, 'web.crm');
    const cib = join(dir, 'cib.xml');
    writeFileSync(crm, GOOD);
    const load = lifeline('load', 'update', crm, '--cib', cib);
    assert.equal(load.status, 0, load.stderr);
    assert.equal(load.stderr, '');
    const xml = readFileSync(cib, 'utf8');
    assert.ok(crmVerify(xml).accepted, crmVerify(xml).output);
    assert.match(xml, /^<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1"/);
    const show = lifeline('show', '--cib', cib);
    assert.equal(show.status, 0);
    assert.match(show.stdout, /^primitive ip IPaddr2 \\\n\tparams ip=192.0.2.10 cidr_netmask=24 \\\n\top monitor interval=10s timeout=20s$/m);
    assert.match(show.stdout, /^property cib-bootstrap-options: \\\n\tstonith-enabled=false \\\n\tno-quorum-policy=ignore$/m);
    const showXml = lifeline('show', 'xml', '--cib', cib);
    assert.equal(showXml.stdout, xml);
    assert.equal(lifeline('verify', '--cib', cib).status, 0);
  });
});

test('a bad file is refused with every error at file:line, and the CIB is left as it was', () => {
  withDir((dir) => {
    const cib = join(dir, 'cib.xml');
    const good = join(dir, 'good.crm');
    writeFileSync(good, GOOD);
    assert.equal(lifeline('load', 'update', good, '--cib', cib).status, 0);
    const before = readFileSync(cib, 'utf8');
    const bad = join(dir, 'bad.crm');
    writeFileSync(bad, 'primitive x ocf:heartbeat:NoSuch op monitor interval=10s\nlocation l ghost 100 node1\nfrob\n');
    const r = lifeline('load', 'update', bad, '--cib', cib);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${bad}:1: ERROR: .*\\[LL_CRM_UNKNOWN_AGENT\\]`));
    assert.match(r.stderr, new RegExp(`${bad}:2: ERROR: .*\\[LL_CRM_MISSING_COLON\\]`));
    assert.match(r.stderr, new RegExp(`${bad}:2: ERROR: .*\\[LL_CRM_UNKNOWN_RESOURCE\\]`));
    assert.match(r.stderr, new RegExp(`${bad}:3: ERROR: .*\\[LL_CRM_UNKNOWN_KEYWORD\\]`));
    assert.equal(readFileSync(cib, 'utf8'), before);
    // verify of the same text over the CIB reports the same, exit 1.
    assert.equal(lifeline('verify', bad, '--cib', cib).status, 1);
  });
});

test('load update merges into the CIB and bumps its epoch; load replace makes the text the whole configuration', () => {
  withDir((dir) => {
    const cib = join(dir, 'cib.xml');
    const a = join(dir, 'a.crm');
    writeFileSync(a, GOOD);
    assert.equal(lifeline('load', 'update', a, '--cib', cib).status, 0);
    const b = join(dir, 'b.crm');
    writeFileSync(b, 'location loc_pref_node2 g_web 200: node2\nproperty no-quorum-policy=stop\n');
    const upd = lifeline('load', 'update', b, '--cib', cib);
    assert.equal(upd.status, 0, upd.stderr);
    const xml = readFileSync(cib, 'utf8');
    assert.match(xml, /epoch="2"/);
    assert.match(xml, /<rsc_location id="loc_pref_node2" rsc="g_web" score="200" node="node2"\/>/);
    assert.match(xml, /name="stonith-enabled" value="false"/);
    assert.match(xml, /name="no-quorum-policy" value="stop"/);
    assert.match(xml, /<group id="g_web">/);
    const c = join(dir, 'c.crm');
    writeFileSync(c, 'primitive solo Dummy op monitor interval=10s\nproperty stonith-enabled=false\n');
    assert.equal(lifeline('load', 'replace', c, '--cib', cib).status, 0);
    const replaced = readFileSync(cib, 'utf8');
    assert.doesNotMatch(replaced, /g_web/);
    assert.match(replaced, /epoch="3"/);
  });
});

test('verify of a CIB file reports problems at the XML line; show of a missing file and bad usage fail', () => {
  withDir((dir) => {
    const cib = join(dir, 'cib.xml');
    writeFileSync(cib, `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_colocation id="c" score="INFINITY" rsc="a" with-rsc="ghost"/>
    </constraints>
  </configuration>
  <status/>
</cib>
`);
    const r = lifeline('verify', '--cib', cib);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${cib}:6: WARN: .*\\[LL_CRM_NO_MONITOR\\]`));
    assert.match(r.stderr, new RegExp(`${cib}:9: ERROR: .*\\[LL_CRM_UNKNOWN_RESOURCE\\]`));
    assert.match(r.stderr, new RegExp(`${cib}: ERROR: .*\\[LL_CRM_NO_STONITH\\]`));
    const missing = join(dir, 'nope.xml');
    const s = lifeline('show', '--cib', missing);
    assert.equal(s.status, 1);
    assert.match(s.stderr, /LL_IO_READ_FAILED/);
    assert.equal(existsSync(missing), false);
    assert.equal(lifeline('show').status, 2);
    assert.equal(lifeline('frobnicate').status, 2);
  });
});

test('load update on a running cluster CIB changes only the configuration it names; status is kept verbatim', () => {
  withDir((dir) => {
    const cib = join(dir, 'cib.xml');
    const before = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="7" num_updates="3" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair name="stonith-enabled" value="false" id="cib-bootstrap-options-stonith-enabled"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1"/>
    </nodes>
    <resources>
      <primitive id="app" class="ocf" provider="heartbeat" type="Dummy">
        <operations>
          <op name="monitor" interval="10s" timeout="20s" id="app-monitor-10s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="app" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="app_last_0" operation_key="app_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
  </status>
</cib>
`;
    writeFileSync(cib, before);
    const crm = join(dir, 'extra.crm');
    writeFileSync(crm, 'location pin app 5: node1\n');
    const r = lifeline('load', 'update', crm, '--cib', cib);
    assert.equal(r.status, 0, r.stderr);
    const after = readFileSync(cib, 'utf8');
    const expected = before
      .replace('epoch="7" num_updates="3"', 'epoch="8" num_updates="0"')
      .replace('    <constraints/>\n', '    <constraints>\n      <rsc_location id="pin" rsc="app" score="5" node="node1"/>\n    </constraints>\n');
    assert.equal(after, expected);
  });
});

test('verify of a crm file alone checks it against the agents installed here (resource-agents)', () => {
  withDir((dir) => {
    const crm = join(dir, 'web.crm');
    writeFileSync(crm, GOOD);
    const ok = lifeline('verify', crm);
    assert.equal(ok.status, 0, ok.stderr);
    writeFileSync(crm, GOOD.replace('params ip=192.0.2.10 cidr_netmask=24', 'params cidr_netmask=24'));
    const bad = lifeline('verify', crm);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`${crm}:3: ERROR: ip: required parameter "ip" of ocf:heartbeat:IPaddr2 is not defined`));
    // Without the agent checks the same file passes.
    assert.equal(lifeline('verify', crm, '--no-agents').status, 0);
  });
});

test('load never overwrites a CIB file it cannot read, not even with --force', () => {
  withDir((dir) => {
    const cib = join(dir, 'cib.xml');
    writeFileSync(cib, '<cib><configuration><resources>\n');
    const crm = join(dir, 'a.crm');
    writeFileSync(crm, GOOD);
    const r = lifeline('load', 'update', crm, '--cib', cib, '--force');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /LL_CRM_XML/);
    assert.equal(readFileSync(cib, 'utf8'), '<cib><configuration><resources>\n');
  });
});
