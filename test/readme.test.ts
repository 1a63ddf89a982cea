// The README's reference sections are copies of docs/*.md; this fails when someone edits one and not the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('README reference sections match docs/*.md', () => {
  const r = spawnSync(process.execPath, ['scripts/readme.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('README has exactly two set-up commands in its quick start', () => {
  const readme = readFileSync('README.md', 'utf8');
  const quick = /## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(quick, 'a Quick start section with a sh block');
  const commands = quick[1]!.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  assert.equal(commands.length, 2, commands.join('\n'));
});
