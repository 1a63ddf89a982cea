// The generation number across restarts, in heartbeat's own file format and log words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextGeneration } from '../../src/membership/index.js';

test('first start: time-based generation, as the real nodes logged it', () => {
  // The capture's nodes started at 1795572151 (ts=6b0641b7) and logged "starting at 1795572152".
  const g = nextGeneration(undefined, 1795572151.4);
  assert.equal(g.generation, 1795572152);
  assert.deepEqual(g.logs.map((l) => `${l.level}: ${l.text}`), ['warn: No Previous generation - starting at 1795572152', 'info: Heartbeat generation: 1795572152']);
  assert.equal(g.fileText, '     1795572152\n');
  assert.equal(g.fileText.length, 16);
});

test('later starts: one more than the stored number, whatever the time', () => {
  const g = nextGeneration('     1795572152\n', 5);
  assert.equal(g.generation, 1795572153, 'as nodea after its crash: hg 6b0641b8 -> 6b0641b9');
  assert.deepEqual(g.logs.map((l) => l.text), ['Heartbeat generation: 1795572153']);
});

test('a broken file restarts from the time, never from a number peers would take for a replay', () => {
  const g = nextGeneration('garbage', 1000);
  assert.equal(g.generation, 1001);
  assert.equal(g.logs[0]!.text, 'BROKEN previous generation - starting at 1001');
});
