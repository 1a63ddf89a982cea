// Seed 003's steps with the operator tools on 3 real daemons with `crm on` (real Dummy + IPaddr2): crm_mon until quorum
// and a DC, crm configure (verify, commit), crm_resource -M/-U moving the group for real, crm_attribute, a monitor
// failure seen by crm_failcount -G and crm_mon -1f, crm_resource -C clearing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withCluster, type Host } from '../../src/harness/index.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ocf/resource.d/pacemaker/Dummy') && existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2');
const NODES = ['hm1', 'hm2', 'hm3'];
const NET = '10.239.1';
const VIP = `${NET}.142`;
/** Bounds derived from the deadtime, with room for a loaded shared machine. */
const WAIT_MS = DEADTIME_MS * 10 + 20_000;
const BIN = resolve(process.cwd(), 'bin');

const runDir = (h: Host) => join(h.dirs.run, 'heartbeat');
/** Seed 003's configuration with a Dummy in place of ldap (its heartbeat-era spellings kept). */
const CONFIG = (state: string) => `primitive ldap_service ocf:pacemaker:Dummy \\
  params state="${state}" \\
  meta migration-threshold="2" failure-timeout="90s" \\
  op monitor interval="5s" timeout="15s" start_delay="1s" disabled="false" on_fail="restart"
primitive ldap_vip ocf:heartbeat:IPaddr2 \\
  params ip="${VIP}" cidr_netmask="24" nic="eth0" \\
  op monitor interval="5s" timeout="20s"
group ldap ldap_service ldap_vip \\
  meta target_role="started" collocated="true"
location prefer_server1 ldap 10: hm1
property stonith-enabled=false
verify
commit
`;

function tool(h: Host, name: string, argv: readonly string[], input?: string) {
  const r = spawnSync(process.execPath, [join(BIN, `${name}.js`), ...argv, ...(name === 'crm' ? [] : ['--run-dir', runDir(h)])],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LIFELINE_RUN_DIR: runDir(h), TZ: 'UTC' }, ...(input !== undefined ? { input } : {}) });
  return { rc: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('crm on, 3 nodes: seed 003 step by step with crm_mon, crm configure, crm_resource, crm_attribute, crm_failcount', { skip: canRun ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 600_000 }, async (t) => {
  await withCluster({ prefix: 'hm-crm', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const stateFile = (h: Host) => join(h.dirs.run, 'resource-agents', 'Dummy-ldap.state');
    const holder = async () => {
      const hs: string[] = [];
      for (const h of hosts) if (await h.hasAddress(VIP)) hs.push(h.name);
      return hs.length === 1 ? hs[0] : undefined;
    };
    for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
    const h1 = hosts[0]!;
    // crm_mon until it says the cluster is in quorum and a DC is elected.
    const mon = await until('crm_mon: partition with quorum', () => {
      const m = tool(h1, 'crm_mon', ['-1']);
      return m.rc === 0 && /Current DC: hm\d \(version [^)]*\) - partition with quorum/.test(m.out) && /Online: \[ hm1 hm2 hm3 \]/.test(m.out) ? m.out : undefined;
    });
    t.diagnostic(mon);
    // crm configure, verify, commit (a session on stdin, as the seed types it).
    const cfg = tool(h1, 'crm', ['configure', '--run-dir', runDir(h1)], CONFIG('/run/resource-agents/Dummy-ldap.state'));
    assert.equal(cfg.rc, 0, cfg.err);
    assert.match(cfg.out, /committed: CIB version/);
    const first = await until('the group running on hm1 (prefer_server1)', async () => (await holder()) === 'hm1' && existsSync(stateFile(h1)) ? 'hm1' : undefined);
    assert.equal(first, 'hm1');
    const running = await until('crm_mon shows the group started', () => { const m = tool(hosts[2]!, 'crm_mon', ['-1']); return /ldap_vip\t\(ocf:heartbeat:IPaddr2\):\t Started hm1/.test(m.out) ? m.out : undefined; });
    t.diagnostic(running);
    // crm_resource -M moves it for real; -U clears the constraint.
    assert.equal(tool(hosts[1]!, 'crm_resource', ['-M', '-r', 'ldap', '-N', 'hm2']).rc, 0);
    await until('the VIP on hm2 after -M', async () => (await holder()) === 'hm2' && existsSync(stateFile(hosts[1]!)));
    assert.match(tool(h1, 'crm_resource', ['-W', '-r', 'ldap']).out, /resource ldap is running on: hm2/);
    const u = tool(h1, 'crm_resource', ['-U', '-r', 'ldap']);
    assert.match(u.out, /Removing constraint: cli-prefer-ldap/);
    await until('back on hm1 after -U (location 10 and no stickiness)', async () => (await holder()) === 'hm1');
    // Standby moves everything away, online brings it back.
    assert.equal(tool(h1, 'crm', ['node', 'standby', 'hm1', '--run-dir', runDir(h1)]).rc, 0);
    await until('the group away from hm1 in standby', async () => { const x = await holder(); return x !== undefined && x !== 'hm1'; });
    assert.match(tool(h1, 'crm_mon', ['-1']).out, /\* Node hm1: standby/);
    assert.equal(tool(h1, 'crm', ['node', 'online', 'hm1', '--run-dir', runDir(h1)]).rc, 0);
    await until('back on hm1 after online', async () => (await holder()) === 'hm1');
    // crm_attribute as the seed says.
    assert.equal(tool(h1, 'crm_attribute', ['--type', 'crm_config', '-n', 'stonith-enabled', '-v', 'false']).rc, 0);
    assert.match(tool(hosts[2]!, 'crm_attribute', ['--type', 'crm_config', '-n', 'stonith-enabled', '-G']).out, /value=false/);
    // A monitor failure: Dummy's state file removed.
    rmSync(stateFile(h1), { force: true });
    const fc = await until('a fail count in crm_failcount -G', () => { const r = tool(h1, 'crm_failcount', ['-G', '-r', 'ldap_service', '-N', 'hm1']); return /value=[1-9]/.test(r.out) ? r.out : undefined; });
    t.diagnostic(fc);
    const mf = tool(h1, 'crm_mon', ['-1f']);
    assert.match(mf.out, /Migration Summary:\n {2}\* Node: hm1:\n {4}\* ldap_service: migration-threshold=2 fail-count=1/, mf.out);
    assert.match(mf.out, /Failed Resource Actions:\n {2}\* ldap_service 5s-interval monitor on hm1 returned 'not running'/);
    const cl = tool(h1, 'crm_resource', ['-C', '-r', 'ldap_service', '-N', 'hm1']);
    assert.equal(cl.rc, 0, cl.err);
    await until('fail count 0 after -C', () => /value=0/.test(tool(h1, 'crm_failcount', ['-G', '-r', 'ldap_service', '-N', 'hm1']).out));
    await until('the group running after the clean-up', async () => (await holder()) !== undefined && hosts.some((h) => existsSync(stateFile(h))));
    assert.doesNotMatch(tool(h1, 'crm_mon', ['-1']).out, /Failed Resource Actions/);
  });
});
