// heartbeat decides "running" from a script's status output with a shell `case` (ResourceManager's
// we_own_resource); the TypeScript reading must agree with that very `case` on every sample output.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statusOutputSaysRunning } from '../../src/resources/agents/agent.js';

// ResourceManager's pattern, verbatim in meaning: "not running" first, then "running" or "OK".
const CASE = 'case "$1" in *[Nn][Oo][Tt]\\ *[Rr]unning*) exit 3;; *[Rr]unning*|*OK*) exit 0;; *) exit 3;; esac';

const samples = [
  'httpd (pid 1234) is running...', 'httpd is stopped', 'httpd is not running', 'Not running', 'NOT  Running',
  'apache2 is running.', 'OK', 'status: OK', 'ok', '', 'Running', 'running', 'notrunning', 'not-running',
  'Service is NOT running', 'It is not   really running', 'dead but pid file exists', 'Online: OK\nstill fine',
  'line one\nnot running on line two', 'Running OK', 'INFO: Resource is stopped', 'svc is not \nrunning',
];

test('statusOutputSaysRunning agrees with ResourceManager\'s shell case on every sample', () => {
  for (const out of samples) {
    const shell = spawnSync('sh', ['-c', CASE, 'sh', out]).status === 0;
    assert.equal(statusOutputSaysRunning(out), shell, JSON.stringify(out));
  }
});
