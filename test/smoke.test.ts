// The CLI answers: `lifeline version` and `lifeline help` run from the built tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('lifeline version prints the protocol it speaks', () => {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', 'version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^lifeline \d+\.\d+\.\d+ \(speaks heartbeat 3\.0\.6/);
});

test('an unknown command exits 2 with a hint', () => {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', 'no-such-thing'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "no-such-thing"/);
});
