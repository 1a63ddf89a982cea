// `lifeline resource` from the built tree: runs a resource.d script and a missing one, with heartbeat's exit codes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/lifeline.js', 'resource', ...args], { encoding: 'utf8' });

test('lifeline resource runs a resource.d script with its arguments and reports status as heartbeat reads it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llr-cli-'));
  try {
    mkdirSync(join(dir, 'resource.d'));
    writeFileSync(join(dir, 'resource.d', 'svc'), `#!/bin/sh\ncase "$2" in start) touch '${dir}/on'; echo "started $1";; stop) rm -f '${dir}/on';; status) [ -f '${dir}/on' ] && echo "svc is running" || echo "svc is not running";; esac\n`, { mode: 0o755 });
    let r = cli('--confdir', dir, 'svc::alpha', 'status');
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /svc::alpha: not running/);
    r = cli('--confdir', dir, 'svc::alpha', 'start');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /svc: started alpha/);
    assert.equal(cli('--confdir', dir, 'svc::alpha', 'status').status, 0);
    assert.equal(cli('--confdir', dir, 'svc::alpha', 'stop').status, 0);
    r = cli('--confdir', dir, 'nosuch', 'start');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Cannot locate resource script nosuch .*LL_RES_SCRIPT_NOT_FOUND/);
    assert.equal(cli('svc').status, 2);
    assert.equal(cli('svc', 'restart').status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
