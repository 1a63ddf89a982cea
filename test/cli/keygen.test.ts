// `lifeline keygen` run as an administrator runs it: the file it writes passes authkeys' own checks (mode 600, a
// key heartbeat 3.0.6 understands), two runs give different keys, and an existing file survives unless --force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuthkeys } from '../../src/config/authkeys.js';
import { parseKeygenArgs } from '../../src/cli/commands/keygen.js';
import { repoRoot } from '../../src/harness/daemon.js';

const bin = join(repoRoot(), 'bin', 'lifeline.js');
const keygen = (...args: string[]) => spawnSync(process.execPath, [bin, 'keygen', ...args], { encoding: 'utf8' });

test('keygen writes a sha1 key with mode 600 that the authkeys parser accepts, and a second run gives another key', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-keygen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = keygen('--config-dir', dir);
  assert.equal(r.status, 0, r.stderr);
  const file = join(dir, 'authkeys');
  const mode = statSync(file).mode & 0o777;
  assert.equal(mode, 0o600);
  const text = readFileSync(file, 'utf8');
  const parsed = parseAuthkeys(text, file, mode);
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(parsed.value?.active.method, 'sha1');
  const secret = /^1 sha1 ([0-9a-f]+)$/m.exec(text)?.[1];
  assert.equal(secret?.length, 64);
  const again = keygen('--output', '-');
  assert.equal(again.status, 0);
  assert.notEqual(/^1 sha1 ([0-9a-f]+)$/m.exec(again.stdout)?.[1], secret);
});

test('keygen refuses to overwrite an existing authkeys without --force and replaces it with --force', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lk-keygen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'authkeys');
  writeFileSync(file, 'auth 1\n1 md5 old\n', { mode: 0o644 });
  const r = keygen('--config-dir', dir, '--method', 'sha256', '--index', '3');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists: not overwritten without --force.*\[LL_KEYGEN_EXISTS\]/);
  assert.equal(readFileSync(file, 'utf8'), 'auth 1\n1 md5 old\n');
  const f = keygen('--config-dir', dir, '--method', 'sha256', '--index', '3', '--force');
  assert.equal(f.status, 0, f.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the replaced file is 600 even though the old one was 644');
  assert.match(readFileSync(file, 'utf8'), /^auth 3\n3 sha256 [0-9a-f]{64}\n$/m);
});

test('keygen refuses bad methods and indexes as usage errors', () => {
  for (const argv of [['--method', 'md5'], ['--index', '0'], ['--index', '16'], ['--bogus'], ['--output']]) {
    const a = parseKeygenArgs(argv);
    assert.ok('code' in a && a.code === 'LL_USAGE', argv.join(' '));
  }
  assert.equal(keygen('--method', 'crc').status, 2);
});
