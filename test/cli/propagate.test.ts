// `lifeline propagate` and `lifeline check --cluster` over a real sshd: sshd runs only inside nodeb's namespace
// with a host key and a client key made for this test (the machine's sshd and ~/.ssh are never used). nodec is
// in ha.cf but does not exist, so it is the node that cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCluster, type Host } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

const canRun = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'test -x /usr/sbin/sshd && command -v ssh scp ssh-keygen']).status === 0;
const lifelineCmd = `${process.execPath} ${join(repoRoot(), 'bin', 'lifeline.js')}`;
const haCf = (media: string, deadtime = 2) => `keepalive 500ms\ndeadtime ${deadtime}\ninitdead 20\nudpport 694\n${media}\nauto_failback on\nnode nodea nodeb nodec\n`;
const writeEtc = (h: Host, files: Record<string, [string, number]>) => {
  for (const [name, [text, mode]] of Object.entries(files)) writeFileSync(join(h.dirs.etc, name), text, { mode });
  for (const [name, [, mode]] of Object.entries(files)) spawnSync('chmod', [mode.toString(8), join(h.dirs.etc, name)]);
};
const etc = (h: Host, name: string) => readFileSync(join(h.dirs.etc, name), 'utf8');

test('propagate and check --cluster over ssh between namespaces', { skip: canRun ? false : 'needs root, openssh-server and openssh-client', timeout: 120_000 }, async (t) => {
  const keys = mkdtempSync(join(tmpdir(), 'lk-ssh-'));
  t.after(() => rmSync(keys, { recursive: true, force: true }));
  for (const k of ['host_key', 'client_key']) assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `lk-test-${k}`, '-f', join(keys, k)]).status, 0);
  writeFileSync(join(keys, 'authorized_keys'), readFileSync(join(keys, 'client_key.pub')));
  const hostPub = readFileSync(join(keys, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(keys, 'known_hosts'), `nodeb,10.213.2.2 ${hostPub}\n`);
  writeFileSync(join(keys, 'ssh_config'), `Host nodeb\n  HostName 10.213.2.2\nHost nodec\n  HostName 10.213.2.3\nHost *\n  User root\n  IdentityFile ${keys}/client_key\n  IdentitiesOnly yes\n`
    + `  UserKnownHostsFile ${keys}/known_hosts\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n`);
  writeFileSync(join(keys, 'sshd_config'), `Port 22\nListenAddress 10.213.2.2\nHostKey ${keys}/host_key\nPidFile /run/lk-sshd.pid\nAuthorizedKeysFile ${keys}/authorized_keys\n`
    + 'Subsystem sftp internal-sftp\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n');

  await withCluster({ prefix: 'lk-pr', networks: ['10.213.2.0/24', '10.213.3.0/24'], hosts: [{ name: 'nodea', networks: [0, 1] }, { name: 'nodeb', networks: [0] }] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    mkdirSync(join(b.dirs.run, 'sshd'), { recursive: true, mode: 0o755 });
    b.spawn(['/usr/sbin/sshd', '-D', '-e', '-f', join(keys, 'sshd_config')], { outputFile: join(b.dirs.log, 'sshd.out') });
    const sshOpts = ['--ssh-config', join(keys, 'ssh_config'), '--connect-timeout', '3', '--remote-lifeline', lifelineCmd];
    const lifeline = (args: string[]) => a.exec([process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), ...args], { timeoutMs: 60_000 });
    for (let i = 0; ; i++) {
      const r = await a.exec(['ssh', '-F', join(keys, 'ssh_config'), '-o', 'BatchMode=yes', 'nodeb', 'true']);
      if (r.code === 0) break;
      if (i > 100) assert.fail(`sshd on nodeb does not answer: ${r.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // nodea holds the new files; nodeb an older ha.cf, another key and a world-readable authkeys.
    writeEtc(a, { 'ha.cf': [haCf('bcast eth0'), 0o644], haresources: ['nodea 10.213.2.100\n', 0o644], authkeys: ['auth 1\n1 sha1 new-secret\n', 0o600] });
    writeEtc(b, { 'ha.cf': [haCf('bcast eth0', 5), 0o644], haresources: ['nodea 10.213.2.100\n', 0o644], authkeys: ['auth 1\n1 sha1 old-secret\n', 0o644] });

    const before = await lifeline(['check', '--cluster', ...sshOpts]);
    t.diagnostic(before.stdout);
    assert.equal(before.code, 1);
    assert.match(before.stdout, /^nodeb: ha\.cf deadtime: here "deadtime 2" \(line 2\), nodeb "deadtime 5" \(line 2\)$/m);
    assert.match(before.stdout, /^nodeb: authkeys key: here "sha256 [0-9a-f]{12}", nodeb "sha256 [0-9a-f]{12}"$/m);
    assert.match(before.stdout, /^nodeb: authkeys on nodeb: mode 644 \(must be 600\)$/m);
    assert.doesNotMatch(before.stdout, /haresources/);
    assert.doesNotMatch(before.stdout, /secret/, 'the key itself is never shown');
    assert.match(before.stdout, /^nodec: not reached \(/m);

    const p = await lifeline(['propagate', ...sshOpts]);
    t.diagnostic(p.stdout);
    assert.equal(p.code, 1, 'nodec was not reached');
    assert.match(p.stdout, /^nodeb: ha\.cf, haresources, authkeys installed, no daemon running there/m);
    assert.match(p.stdout, /^nodec: not reached \(.*\); nothing copied$/m);
    assert.equal(etc(b, 'ha.cf'), haCf('bcast eth0'));
    assert.equal(etc(b, 'authkeys'), 'auth 1\n1 sha1 new-secret\n');
    assert.equal(statSync(join(b.dirs.etc, 'authkeys')).mode & 0o777, 0o600, 'the mode came along');
    const after = await lifeline(['check', '--cluster', '--node', 'nodeb', ...sshOpts]);
    assert.equal(after.code, 0, after.stdout);
    assert.match(after.stdout, /^nodeb: same ha\.cf, haresources and authkeys$/m);
    assert.match(after.stdout, /^CONSISTENT/m);

    // Valid on nodea (it has eth1), not on nodeb: nodeb's check refuses it and nodeb keeps its files.
    writeEtc(a, { 'ha.cf': [haCf('bcast eth0\nbcast eth1'), 0o644] });
    const refused = await lifeline(['propagate', '--node', 'nodeb', ...sshOpts]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^nodeb: refused by lifeline check on nodeb; its files are unchanged:\n {4}\/etc\/ha\.d\/ha\.cf:\d+: ERROR: IP interface \[eth1\] does not exist/m);
    assert.equal(etc(b, 'ha.cf'), haCf('bcast eth0'));
    assert.deepEqual(readdirSync(b.dirs.etc).filter((f) => f.startsWith('.propagate')), [], 'no temporary directory left on nodeb');

    // Invalid here: nothing leaves nodea.
    writeEtc(a, { 'ha.cf': [haCf('bcast eth0').replace('deadtime 2', 'deadtime 0.5'), 0o644] });
    const bad = await lifeline(['propagate', '--node', 'nodeb', ...sshOpts]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /does not pass lifeline check here; nothing copied/);
    assert.equal(etc(b, 'ha.cf'), haCf('bcast eth0'));
  });
  assert.ok(!existsSync(join(keys, 'nonexistent')));
});
