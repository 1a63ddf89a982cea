// crm_failcount: -G against Pacemaker 2.1.5's script on the same CIB files (sum over operations, one operation with
// -n/-I, -q, a node without failures, usage errors); -D clears the fail count and the history on a CIB file (Pacemaker's
// crm_resource --cleanup only says "Dry run" with CIB_file, so the result is checked on ours alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { webGroupCib } from '../web-group-cib.js';

const BIN = resolve(process.cwd(), 'bin', 'crm_failcount.js');
const have = spawnSync('crm_failcount', ['--help']).status === 0;

function ours(file: string, argv: readonly string[]) {
  return spawnSync(process.execPath, [BIN, ...argv], { env: { ...process.env, CIB_file: file }, encoding: 'utf8' });
}

test('crm_failcount -G prints what Pacemaker\'s prints, with its exit codes', { skip: have ? false : 'pacemaker-cli-utils is not installed', timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-fc-'));
  try {
    const file = join(dir, 'cib.xml');
    writeFileSync(file, webGroupCib('app-failed-3x'));
    const cases = [
      ['-G', '-r', 'app', '-N', 'node1'], ['-G', '-q', '-r', 'app', '-N', 'node1'], ['-G', '-r', 'app', '-N', 'node1', '-n', 'monitor', '-I', '10s'],
      ['-G', '-r', 'app', '-N', 'node1', '-n', 'monitor', '-I', '10000ms'], ['-G', '-r', 'app', '-N', 'node1', '-n', 'start', '-I', '0'],
      ['-G', '-r', 'app', '-N', 'node2'], ['-G', '-r', 'ip', '-N', 'node1'], ['--query', '--resource', 'app', '--node', 'node1'], ['-G'], ['-r', 'app'],
    ];
    const diffs: string[] = [];
    for (const c of cases) {
      const pm = spawnSync('crm_failcount', c, { env: { ...process.env, CIB_file: file }, encoding: 'utf8' });
      const ll = ours(file, c);
      if (pm.status !== ll.status || pm.stdout.split('\n')[0] !== ll.stdout.split('\n')[0]) diffs.push(`${c.join(' ')}: ${pm.status} ${JSON.stringify(pm.stdout)} vs ${ll.status} ${JSON.stringify(ll.stdout)}`);
    }
    assert.deepEqual(diffs, []);
    // The fixture's count is 3: a test that printed 0 everywhere would not pass.
    assert.equal(ours(file, ['-G', '-q', '-r', 'app', '-N', 'node1']).stdout, '3\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('crm_failcount -D clears the resource\'s fail count and operation history on that node only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-fc-'));
  try {
    const file = join(dir, 'cib.xml');
    writeFileSync(file, webGroupCib('app-failed-3x'));
    copyFileSync(file, join(dir, 'before.xml'));
    const r = ours(file, ['-D', '-r', 'app', '-N', 'node1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Cleaned up app on node1$/m);
    const after = readFileSync(file, 'utf8');
    assert.doesNotMatch(after, /fail-count-app/);
    assert.doesNotMatch(after, /last-failure-app/);
    const count = (x: string, re: RegExp) => x.match(re)?.length ?? 0;
    const before = readFileSync(join(dir, 'before.xml'), 'utf8');
    // node1's history of app goes, node2's stays; ip's stays on both.
    assert.equal(count(before, /lrm_resource id="app"/g), 2);
    assert.equal(count(after, /lrm_resource id="app"/g), 1);
    assert.equal(count(after, /lrm_resource id="ip"/g), 2);
    assert.ok(after.indexOf('lrm_resource id="app"') > after.indexOf('uname="node2"'), 'the history left is node2\'s');
    assert.equal(ours(file, ['-G', '-q', '-r', 'app', '-N', 'node1']).stdout, '0\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
