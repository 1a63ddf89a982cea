// The run directory's pid file: a live daemon refuses a second one, a stale file (dead pid) is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidFile, pidFilePath, processAlive, releasePidFile, runningPid } from '../../src/daemon/pidfile.js';

function deadPid(): number {
  // A child that has exited and been reaped: its pid names no process (reuse within the test is very unlikely).
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

test('first daemon takes the run dir, a second live one is refused with the first one\'s pid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lld-pid-'));
  try {
    assert.ok(acquirePidFile(dir, process.pid).ok);
    assert.equal(readFileSync(pidFilePath(dir), 'utf8'), `${process.pid}\n`);
    assert.equal(runningPid(dir), process.pid);
    const second = acquirePidFile(dir, process.pid + 1);
    assert.ok(!second.ok);
    assert.equal(second.error.code, 'LL_DAEMON_ALREADY_RUNNING');
    assert.match(second.error.message, new RegExp(`pid ${process.pid}`));
    releasePidFile(dir, process.pid + 1); // not its file: left alone
    assert.ok(existsSync(pidFilePath(dir)));
    releasePidFile(dir, process.pid);
    assert.ok(!existsSync(pidFilePath(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pid file left by a killed daemon is stale and taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lld-pid-'));
  try {
    const gone = Number(deadPid());
    assert.ok(!processAlive(gone));
    writeFileSync(pidFilePath(dir), `${gone}\n`);
    assert.equal(runningPid(dir), undefined);
    assert.ok(acquirePidFile(dir, process.pid).ok);
    assert.equal(runningPid(dir), process.pid);
    writeFileSync(pidFilePath(dir), 'garbage\n');
    assert.ok(acquirePidFile(dir, process.pid).ok);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
