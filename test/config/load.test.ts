// Loading a config directory: the three files together, authkeys mode from stat, OS checks, and the seeds' mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigDir, type LoadOptions } from '../../src/config/load.js';

const HACF = 'logfacility none\nuse_logd on\nkeepalive 1\ndeadtime 10\nwarntime 5\ninitdead 20\nbcast eth1\nucast eth2 nodeb\nauto_failback on\nnode nodea nodeb\n';
const FACTS: LoadOptions = {
  nodeName: 'nodea', hostname: 'nodea', interfaces: ['lo', 'eth0', 'eth1', 'eth2'],
  addresses: [{ iface: 'eth0', address: '192.168.1.10', prefix: 24 }, { iface: 'eth1', address: '10.0.0.1', prefix: 24 }],
  resolve: async (h) => (h === 'nodeb' || /^\d/.test(h) ? ['10.0.0.2'] : undefined), scriptDirs: [],
};

async function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>, authMode = 0o600): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-load-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    if ('authkeys' in files) await chmod(join(dir, 'authkeys'), authMode);
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const codesOf = (ds: readonly { code: string }[]) => ds.map((d) => d.code);

test('a good directory loads into ha.cf, groups and keys, valid', async () => {
  await withDir({ 'ha.cf': HACF, haresources: 'nodea 192.168.1.50 IPaddr::192.168.1.51\n', authkeys: 'auth 1\n1 sha1 s3cret\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(codesOf(c.diagnostics), []);
    assert.equal(c.valid, true);
    assert.equal(c.haCf?.nodes.length, 2);
    assert.equal(c.groups?.length, 1);
    assert.equal(c.authkeys?.active.method, 'sha1');
  });
});

test('errors of all three files come together, each with file and line', async () => {
  await withDir({ 'ha.cf': HACF + 'keepalve 2\n', haresources: 'nodec 10.0.0.9\n', authkeys: 'auth 1\n1 sha1 s3cret\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.equal(c.valid, false);
    assert.deepEqual(c.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.location?.file, d.location?.line]), [
      ['LL_HACF_BAD_DIRECTIVE', join(dir, 'ha.cf'), 11], ['LL_HARES_BAD_NODENAME', join(dir, 'haresources'), 1], ['LL_AUTHKEYS_PERMISSIONS', join(dir, 'authkeys'), undefined]]);
  }, 0o644);
});

test('a missing file is named; without the CRM a missing haresources only warns: membership only, no groups', async () => {
  await withDir({ 'ha.cf': HACF }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity, d.location?.file]), [
      ['LL_HARES_MISSING', 'warning', join(dir, 'haresources')], ['LL_IO_READ_FAILED', 'error', join(dir, 'authkeys')]]);
  });
  await withDir({ 'ha.cf': HACF, authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(codesOf(c.diagnostics), ['LL_HARES_MISSING']);
    assert.equal(c.diagnostics[0]!.message, `Cannot open resources file [${join(dir, 'haresources')}]: no resource groups are managed, this node runs membership only`);
    assert.equal(c.valid, true, 'the node starts');
    assert.equal(c.resourceSource, 'missing');
    assert.equal(c.groups, undefined);
  });
});

test('with the CRM haresources is not read: absent is silent, present (even a directory) is heartbeat\'s warning', async () => {
  await withDir({ 'ha.cf': HACF + 'crm on\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    // Two nodes with crm on: the two_node warning comes with every variant.
    assert.deepEqual(codesOf(c.diagnostics), ['LL_CHECK_CRM_TWO_NODE']);
    assert.equal(c.valid, true);
    assert.equal(c.resourceSource, 'crm');
  });
  await withDir({ 'ha.cf': HACF + 'crm respawn\n', haresources: 'nodea 10.0.0.9\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(codesOf(c.diagnostics), ['LL_HARES_UNUSED_WITH_CRM', 'LL_CHECK_CRM_TWO_NODE'], 'heartbeat: "File haresources exists. This file is not used because pacemaker is enabled"');
    assert.equal(c.valid, true);
    assert.equal(c.groups, undefined, 'not parsed');
  });
  await withDir({ 'ha.cf': HACF + 'pacemaker on\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    await mkdir(join(dir, 'haresources'));
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity]), [['LL_HARES_UNUSED_WITH_CRM', 'warning'], ['LL_CHECK_CRM_TWO_NODE', 'warning']]);
    assert.equal(c.valid, true, 'never opened, so a directory is no read error');
  });
});

test('a haresources that exists but cannot be read stays an error naming the path (directory, symlink loop, EACCES)', async () => {
  await withDir({ 'ha.cf': HACF, authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const file = join(dir, 'haresources');
    await mkdir(file);
    let c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity, d.location?.file]), [['LL_IO_READ_FAILED', 'error', file]]);
    assert.match(c.diagnostics[0]!.message, new RegExp(`cannot read ${file}: .*EISDIR`));
    assert.equal(c.valid, false);
    await rm(file, { recursive: true });
    await symlink(file, file);
    c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.location?.file]), [['LL_IO_READ_FAILED', file]]);
    assert.match(c.diagnostics[0]!.message, /ELOOP/);
  });
  // EACCES: root reads any file, so the load runs in a child process as nobody.
  if (process.getuid?.() !== 0) return;
  await withDir({ 'ha.cf': HACF, haresources: 'nodea 10.0.0.9\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    await chmod(dir, 0o755);
    await chmod(join(dir, 'ha.cf'), 0o644);
    await chmod(join(dir, 'haresources'), 0o600);
    const mod = new URL('../../src/config/load.js', import.meta.url).href;
    const code = `import(${JSON.stringify(mod)}).then(async (m) => { const c = await m.loadConfigDir(${JSON.stringify(dir)}, { nodeName: 'nodea', hostname: 'nodea', interfaces: ['eth1', 'eth2'], addresses: [], resolve: async () => ['10.0.0.2'], scriptDirs: [] }); process.stdout.write(JSON.stringify(c.diagnostics)); })`;
    const r = spawnSync(process.execPath, [...process.execArgv, '--input-type=module', '-e', code], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ds = (JSON.parse(r.stdout) as { code: string; severity: string; message: string; location?: { file: string } }[]).filter((d) => d.location?.file === join(dir, 'haresources'));
    assert.deepEqual(ds.map((d) => [d.code, d.severity]), [['LL_IO_READ_FAILED', 'error']]);
    assert.match(ds[0]!.message, /EACCES/);
  });
});

test('OS checks: a missing interface and an unresolvable ucast host stop start-up on this node, only warn for another', async () => {
  const hacf = HACF.replace('bcast eth1', 'bcast eth9').replace('ucast eth2 nodeb', 'ucast eth2 nowhere.invalid');
  await withDir({ 'ha.cf': hacf, haresources: 'nodea 192.168.1.50\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const self = await loadConfigDir(dir, FACTS);
    assert.deepEqual(self.diagnostics.map((d) => [d.code, d.severity, d.location?.line]), [['LL_HACF_IFACE_MISSING', 'error', 7], ['LL_HACF_HOST_UNRESOLVED', 'error', 8]]);
    assert.equal(self.diagnostics[0]!.message, 'IP interface [eth9] does not exist');
    const other = await loadConfigDir(dir, { ...FACTS, hostname: 'laptop' });
    assert.equal(other.valid, true);
    assert.deepEqual(other.diagnostics.map((d) => [d.code, d.severity]), [['LL_HACF_IFACE_MISSING', 'warning'], ['LL_HACF_HOST_UNRESOLVED', 'warning'], ['LL_CHECK_NODE_NOT_HOSTNAME', 'warning']]);
  });
});

test('haresources scripts are looked for in resource.d then the init directories', async () => {
  await withDir({ 'ha.cf': HACF, haresources: 'nodea 192.168.1.50 httpd\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.location?.line, d.found]), [['LL_HARES_SCRIPT_NOT_FOUND', 1, 'httpd']]);
  });
});

test('crm on with two nodes warns about the two_node rule at the crm line; three nodes do not', async () => {
  await withDir({ 'ha.cf': HACF + 'crm on\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    const d = c.diagnostics.find((x) => x.code === 'LL_CHECK_CRM_TWO_NODE');
    assert.ok(d, JSON.stringify(c.diagnostics));
    assert.equal(d.severity, 'warning');
    assert.equal(d.location?.line, HACF.split('\n').length, 'the crm line');
    assert.match(d.message, /when the heartbeat links break both nodes keep quorum; without fencing both then run the resources/);
  });
  await withDir({ 'ha.cf': HACF.replace(/^node (.*)$/m, 'node $1 nodec') + 'crm on\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, { ...FACTS });
    assert.equal(c.diagnostics.some((x) => x.code === 'LL_CHECK_CRM_TWO_NODE'), false, JSON.stringify(c.diagnostics));
  });
  await withDir({ 'ha.cf': HACF, haresources: 'nodea 10.9.0.1\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.equal(c.diagnostics.some((x) => x.code === 'LL_CHECK_CRM_TWO_NODE'), false, 'haresources mode: heartbeat\'s own two-node protocol');
  });
});

test('seed mistakes: heartbeat on the VIP\'s NIC, every medium on one NIC, crc on a shared network, ucast to the VIP', async () => {
  // eth0 owns 192.168.1.0/24 on this machine, so the VIP 192.168.1.50 lives on eth0; the bcast runs there too.
  const hacf = 'logfacility none\nuse_logd on\nkeepalive 1\ndeadtime 10\nwarntime 5\ninitdead 20\nbcast eth0\nucast eth0 10.0.0.100\nauto_failback on\nnode nodea nodeb\n';
  await withDir({ 'ha.cf': hacf, haresources: 'nodea 192.168.1.50 10.0.0.100/24/eth1\n', authkeys: 'auth 1\n1 crc\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.location?.line]), [
      ['LL_AUTHKEYS_CRC_INSECURE', 1], ['LL_CHECK_MEDIUM_ON_VIP_IFACE', 7], ['LL_CHECK_MEDIUM_ON_VIP_IFACE', 8],
      ['LL_CHECK_MEDIA_ONE_IFACE', 7], ['LL_CHECK_CRC_SHARED_NETWORK', undefined], ['LL_CHECK_UCAST_TO_VIP', 8]]);
    assert.match(c.diagnostics[1]!.message, /uses eth0, which also carries the service address 192.168.1.50/);
    assert.equal(c.valid, true, 'advice warns, it does not refuse');
  });
});

test('seed 002: a ucast peer name that resolves to the VIP instead of the peer\'s fixed address', async () => {
  // FACTS resolve nodeb to 10.0.0.2, which haresources makes a service address.
  await withDir({ 'ha.cf': HACF, haresources: 'nodea 10.0.0.2/24/eth0\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.location?.line]), [['LL_CHECK_UCAST_TO_VIP', 8]]);
    assert.match(c.diagnostics[0]!.message, /ucast target \[nodeb = 10\.0\.0\.2\]/);
  });
});

test('the FAQ\'s deadtime advice: deadtime should be 1.5-2 times warntime', async () => {
  const hacf = HACF.replace('deadtime 10', 'deadtime 6').replace('initdead 20', 'initdead 12');
  await withDir({ 'ha.cf': hacf, haresources: 'nodea 10.9.0.1\n', authkeys: 'auth 1\n1 sha1 s\n' }, async (dir) => {
    const c = await loadConfigDir(dir, FACTS);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.location?.line]), [['LL_CHECK_DEADTIME_ADVICE', 4]]);
  });
});
