// The crm shell on a CIB file (CIB_file, the same client the daemon path uses): one-shot statements commit verified,
// a commit that does not verify is refused with line-numbered errors and the file untouched, a stdin session, delete,
// a commit based on an older epoch refused as a conflict naming both versions, resource/node levels, status = crm_mon -1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { webGroupCib } from '../web-group-cib.js';
import { cibRequest } from '../../../src/crm/client/cib-client.js';

const BIN = resolve(process.cwd(), 'bin');
const tool = (file: string, name: string, argv: readonly string[], input?: string) =>
  spawnSync(process.execPath, [join(BIN, `${name}.js`), ...argv], { env: { ...process.env, CIB_file: file, TZ: 'UTC' }, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
const crm = (file: string, argv: readonly string[], input?: string) => tool(file, 'crm', argv, input);

function withCib(f: (file: string) => Promise<void> | void) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-crmsh-'));
    try {
      const file = join(dir, 'cib.xml');
      writeFileSync(file, webGroupCib('running-on-node1'));
      await f(file);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('crm configure STATEMENT commits a verified change; one that does not verify changes nothing', withCib((file) => {
  const ok = crm(file, ['configure', 'primitive', 'extra', 'ocf:pacemaker:Dummy', 'op', 'monitor', 'interval=10s', '--no-agents']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /committed: CIB version 0\.2\.0 -> 0\.3\.0/);
  assert.match(readFileSync(file, 'utf8'), /<primitive id="extra" class="ocf" provider="pacemaker" type="Dummy"/);
  const before = readFileSync(file, 'utf8');
  const bad = crm(file, ['configure', 'location', 'l-bad', 'no-such-rsc', '10:', 'node1', '--no-agents']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /<command line>:1: ERROR: .*no-such-rsc/);
  assert.match(bad.stderr, /not committed, the cluster is unchanged/);
  assert.equal(readFileSync(file, 'utf8'), before);
}));

test('crm configure session from stdin: staged statements, verify, commit; errors name the stdin line', withCib((file) => {
  const s = crm(file, ['configure', '--no-agents'], 'primitive s1 ocf:pacemaker:Dummy \\\n  op monitor interval=5s timeout=15s\nlocation l1 s1 10: node1\nverify\ncommit\nend\n');
  assert.equal(s.status, 0, s.stderr);
  assert.match(readFileSync(file, 'utf8'), /<rsc_location id="l1" rsc="s1"/);
  const before = readFileSync(file, 'utf8');
  const e = crm(file, ['configure', '--no-agents'], '\n\ncolocation c1 inf: s1 missing\ncommit\n');
  assert.notEqual(e.status, 0);
  assert.match(e.stderr, /<stdin>:3: ERROR: .*missing/);
  assert.equal(readFileSync(file, 'utf8'), before);
  const d = crm(file, ['configure', 'delete', 'l1', '--no-agents']);
  assert.equal(d.status, 0, d.stderr);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /id="l1"/);
  assert.equal(crm(file, ['configure', 'delete', 'nothing-here']).status, 1);
}));

test('a commit based on an older epoch is refused as a conflict naming both versions', withCib(async (file) => {
  assert.equal(crm(file, ['configure', 'property', 'batch-limit=5', '--no-agents']).status, 0);
  const a = await cibRequest({ file }, { cmd: 'cib_modify', section: 'crm_config', xml: '<cluster_property_set id="cib-bootstrap-options"><nvpair id="x-bl" name="batch-limit" value="6"/></cluster_property_set>' },
    { adminEpoch: 0, epoch: 2, numUpdates: 0 });
  assert.equal(a.ok, false);
  assert.ok(!a.ok && a.rc === 103, JSON.stringify(a));
  assert.ok(!a.ok && /0\.2\.0/.test(a.error) && /0\.3\.0/.test(a.error), !a.ok ? a.error : '');
}));

test('crm resource move/clear/stop/start/status, node standby/online, status = crm_mon -1', withCib((file) => {
  assert.equal(crm(file, ['resource', 'move', 'g_web', 'node2']).status, 0);
  assert.match(readFileSync(file, 'utf8'), /<rsc_location id="cli-prefer-g_web" rsc="g_web" role="Started" node="node2" score="INFINITY"\/>/);
  const c = crm(file, ['resource', 'clear', 'g_web']);
  assert.equal(c.status, 0);
  assert.match(c.stdout, /Removing constraint: cli-prefer-g_web/);
  assert.equal(crm(file, ['resource', 'stop', 'app']).status, 0);
  assert.match(readFileSync(file, 'utf8'), /name="target-role" value="Stopped"/);
  assert.equal(crm(file, ['resource', 'start', 'app']).status, 0);
  assert.match(readFileSync(file, 'utf8'), /name="target-role" value="Started"/);
  assert.match(crm(file, ['resource', 'status', 'ip']).stdout, /^resource ip is running on: node1$/m);
  assert.equal(crm(file, ['resource', 'move', 'nope', 'node2']).status, 105);
  assert.equal(crm(file, ['node', 'standby', 'node2']).status, 0);
  assert.match(crm(file, ['status']).stdout, /\* Node node2: standby/);
  assert.equal(crm(file, ['node', 'online', 'node2']).status, 0);
  const mask = (s: string) => s.replace(/Last updated: .*/, '');
  assert.equal(mask(crm(file, ['status']).stdout), mask(tool(file, 'crm_mon', ['-1']).stdout));
  assert.match(crm(file, ['status']).stdout, /Online: \[ node1 node2 \]/);
}));
