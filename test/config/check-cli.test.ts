// `lifeline check` end to end: a real process against temporary config directories; exit codes, file:line output, --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let root = here;
while (!existsSync(join(root, 'package.json'))) root = dirname(root);
const compiled = here.includes(`${join('dist', 'test')}`);

/** Runs the CLI as a separate process: the built bin under `npm test`, the TypeScript source under tsx. */
function lifeline(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const argv = compiled
    ? [join(root, 'bin', 'lifeline.js'), ...args]
    : ['--import', 'tsx', '--input-type=module', '-e',
      `const { main } = await import(${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))}); process.exitCode = await main(process.argv.slice(1));`, ...args];
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function exampleCopy(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `lifeline-cli-${name}-`));
  await cp(join(root, 'examples', name), dir, { recursive: true });
  await chmod(join(dir, 'authkeys'), 0o600);
  return dir;
}

test('check accepts the vip-failback example as server1: exit 0, effective values with defaults, warnings with lines', async () => {
  const dir = await exampleCopy('vip-failback');
  try {
    const r = lifeline(['check', '--config-dir', dir, '--node-name', 'server1']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /keepalive\s+1 \(1000 ms\)\s+\[line 11\]/);
    assert.match(r.stdout, /deadping\s+5 \(5000 ms\)\s+\[default\]/, 'deadping defaults to deadtime');
    assert.match(r.stdout, /ucast eth0 server2 \(udp port 694\)\s+\[line 6\]/);
    assert.match(r.stdout, /server1: IPaddr::192\.168\.10\.10\/24 failback\.sh\s+\[line 2\]/);
    assert.ok(r.stdout.includes(`${join(dir, 'ha.cf')}:7: WARN: udpport setting must precede media statements`), r.stdout);
    assert.match(r.stdout, /^VALID: /m);
    assert.ok(!r.stdout.includes('PutYourSuperSecretKeyHere'), 'the secret is never printed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('check refuses a broken directory: exit 1 and every error as file:line', async () => {
  const dir = await exampleCopy('web-server');
  try {
    await writeFile(join(dir, 'ha.cf'), 'keepalive 2\ndeadtime 4\nbcast eth0\nnode node1.example.com\nmcast eth0 239.0.0.1 694 1\nauto_failback on\n');
    await writeFile(join(dir, 'haresources'), 'node3.example.com 192.168.1.5 httpd\n');
    await chmod(join(dir, 'authkeys'), 0o644);
    const r = lifeline(['check', '--config-dir', dir, '--node-name', 'node1.example.com']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    for (const want of [
      `${join(dir, 'ha.cf')}:2: ERROR: Dead time [4000] is too small compared to keeplive [2000]`,
      `${join(dir, 'ha.cf')}:5: ERROR: mcast [eth0] missing loop`,
      `${join(dir, 'haresources')}:1: ERROR: Bad nodename in ${join(dir, 'haresources')} [node3.example.com]`,
      `${join(dir, 'authkeys')}: ERROR: Bad permissions on keyfile`,
    ]) assert.ok(r.stdout.includes(want), `missing: ${want}\n${r.stdout}`);
    assert.match(r.stdout, /^INVALID: 4 error\(s\)/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('check --json prints the effective configuration and the diagnostics', async () => {
  const dir = await exampleCopy('bond0-mcast');
  try {
    const r = lifeline(['check', '--config-dir', dir, '--node-name', 'server1', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      valid: boolean; haCf: { settings: Array<{ directive: string; value: string; defaulted: boolean; line?: number }>; media: Array<{ kind: string }> };
      authkeys: { active: number; method: string }; diagnostics: Array<{ code: string }>;
    };
    assert.equal(doc.valid, true);
    const s = (d: string) => doc.haCf.settings.find((x) => x.directive === d)!;
    assert.deepEqual(s('pacemaker'), { directive: 'pacemaker', value: 'on', defaulted: false, line: 16 });
    assert.equal(s('udpport').line, 9);
    assert.deepEqual([s('msgfmt').value, s('msgfmt').defaulted], ['classic', true]);
    assert.deepEqual(doc.haCf.media.map((m) => m.kind), ['bcast', 'mcast']);
    assert.deepEqual(doc.authkeys, { active: 2, method: 'sha1', keys: [{ index: 2, method: 'sha1' }] });
    assert.ok(doc.diagnostics.some((d) => d.code === 'LL_HARES_UNUSED_WITH_CRM'));
    assert.ok(!r.stdout.includes('4BWtvO7NOO6PPnFX'), 'the secret is never printed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('check defaults to this machine\'s name, and a missing directory is an error naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-cli-empty-'));
  try {
    const r = lifeline(['check', '--config-dir', dir]);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.includes(`${join(dir, 'ha.cf')}: ERROR: cannot read ${join(dir, 'ha.cf')}`), r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('check with an unknown option prints usage and exits 2', () => {
  const r = lifeline(['check', '--frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown argument "--frobnicate"; usage: lifeline check/);
});

test('check on a node without haresources (pacemaker off): exit 0, the missing file is a warning naming it', async () => {
  const dir = await exampleCopy('vip-failback');
  try {
    await rm(join(dir, 'haresources'));
    const r = lifeline(['check', '--config-dir', dir, '--node-name', 'server1']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(`${join(dir, 'haresources')}: WARN: Cannot open resources file [${join(dir, 'haresources')}]: no resource groups are managed, this node runs membership only`), r.stdout);
    assert.match(r.stdout, /^VALID: /m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
