// lifeline crm import-haresources on the shipped examples' haresources lines (the seeds' configurations) and a few
// more heartbeat spellings: the crm text, and that `lifeline crm configure verify` accepts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importHaresources } from '../../src/crm/lang/import-haresources.js';
import { parseHaresources } from '../../src/config/haresources.js';

const LIFELINE = resolve('bin', 'lifeline.js');
const run = (args: string[]) => spawnSync(process.execPath, [LIFELINE, ...args], { encoding: 'utf8' });

test('the vip-failback example: an IPaddr with prefix and a resource.d script become a group preferring server1', () => {
  const groups = parseHaresources('server1 IPaddr::192.168.10.10/24 failback.sh\n', 'haresources', ['server1', 'server2']).value!;
  const r = importHaresources(groups, 'haresources', { autoFailback: 'on', stonith: false, nodeCount: 2, classOf: (s) => (s === 'failback.sh' ? 'heartbeat' : undefined) });
  assert.deepEqual(r.problems, []);
  assert.equal(r.text, `# Imported from haresources by lifeline crm import-haresources; check it with: crm configure verify
primitive IPaddr_192.168.10.10 ocf:heartbeat:IPaddr \\
  params ip=192.168.10.10 cidr_netmask=24 \\
  op monitor interval=10s timeout=20s
primitive failback.sh heartbeat:failback.sh \\
  op monitor interval=15s timeout=30s
group group_1 IPaddr_192.168.10.10 failback.sh
location prefer-group_1 group_1 100: server1
rsc_defaults resource-stickiness=0
# ha.cf has no stonith line: heartbeat took over without fencing; Pacemaker would start nothing without a device.
property stonith-enabled=false
# Two nodes: the survivor of a crash has no majority; as heartbeat did, it goes on (read lifeline check's LL_CHECK_CRM_TWO_NODE).
property no-quorum-policy=ignore
`);
});

test('Filesystem, IPaddr2 with interface and broadcast, init scripts, script arguments; auto_failback off keeps groups put', () => {
  const text = 'n1 IPaddr2::10.0.0.5/24/eth1/10.0.0.255 Filesystem::/dev/drbd0::/srv::ext4 drbddisk::r0 ssh\nn2 10.0.0.6 ssh\n';
  const groups = parseHaresources(text, 'hr', ['n1', 'n2', 'n3']).value!;
  const r = importHaresources(groups, 'hr', { autoFailback: 'off', stonith: true, nodeCount: 3, classOf: (s) => (s === 'drbddisk' ? 'heartbeat' : s === 'ssh' ? 'lsb' : undefined) });
  assert.deepEqual(r.problems, []);
  assert.match(r.text, /^primitive IPaddr2_10\.0\.0\.5 ocf:heartbeat:IPaddr2 \\\n {2}params ip=10\.0\.0\.5 cidr_netmask=24 nic=eth1 broadcast=10\.0\.0\.255/m);
  assert.match(r.text, /^primitive Filesystem__dev_drbd0__srv_ext4 ocf:heartbeat:Filesystem \\\n {2}params device="\/dev\/drbd0" directory="\/srv" fstype=ext4/m);
  assert.match(r.text, /^primitive drbddisk_r0 heartbeat:drbddisk \\\n {2}params 1=r0/m);
  assert.match(r.text, /^primitive ssh lsb:ssh/m);
  assert.match(r.text, /^primitive ssh-0 lsb:ssh/m, 'the same script in two groups gets two ids');
  assert.match(r.text, /^group group_1 IPaddr2_10\.0\.0\.5 Filesystem__dev_drbd0__srv_ext4 drbddisk_r0 ssh$/m);
  assert.match(r.text, /^location prefer-group_2 group_2 100: n2$/m);
  assert.match(r.text, /^rsc_defaults resource-stickiness=200$/m);
  assert.doesNotMatch(r.text, /stonith-enabled|no-quorum-policy/);
});

test('a script found nowhere is named with its file and line, and the command exits 1', () => {
  const groups = parseHaresources('n1 10.0.0.5 nosuchscript\n', 'hr', ['n1', 'n2']).value!;
  const r = importHaresources(groups, 'hr', { autoFailback: 'on', stonith: false, nodeCount: 2, classOf: () => undefined });
  assert.deepEqual(r.problems, ['hr:1: nosuchscript: no script nosuchscript in /etc/ha.d/resource.d or /etc/init.d']);
});

test('the command on every shipped example: the output passes lifeline crm configure verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-import-'));
  try {
    for (const ex of ['web-server', 'vip-failback', 'bond0-mcast', 'firewall-pair']) {
      const src = resolve('examples', ex);
      const rd = join(dir, `${ex}-resource.d`);
      mkdirSync(rd, { recursive: true });
      // The examples' services are resource.d scripts on their machines; stand-ins here so each is found.
      for (const s of ['httpd', 'failback.sh', 'ldap', 'bypassd', 'smbd', 'nmbd', 'dnsmasq']) writeFileSync(join(rd, s), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const r = run(['crm', 'import-haresources', '--config-dir', src, '--resource-d', rd, '--init-d', join(dir, 'none')]);
      assert.equal(r.status, 0, `${ex}: ${r.stderr}`);
      assert.match(r.stdout, /^location prefer-/m, ex);
      const crm = join(dir, `${ex}.crm`);
      writeFileSync(crm, r.stdout);
      const v = run(['crm', 'configure', 'verify', crm, '--no-agents']);
      assert.equal(v.status, 0, `${ex}: verify: ${v.stdout}${v.stderr}\n${r.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
