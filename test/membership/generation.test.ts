// The generation number across restarts, in heartbeat's own file format and log words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextGeneration, nodeUuid } from '../../src/membership/index.js';

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

test('uuid: kept from the file; made once (and logged as heartbeat does) when there is none', () => {
  const stored = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const fresh = Uint8Array.from({ length: 16 }, () => 0xaa);
  const kept = nodeUuid(stored, fresh);
  assert.deepEqual([...kept.uuid], [...stored]);
  assert.equal(kept.write, undefined);
  assert.deepEqual(kept.logs, []);
  for (const file of [undefined, new Uint8Array(3)]) {
    const made = nodeUuid(file, fresh);
    assert.deepEqual([...made.uuid], [...fresh]);
    assert.deepEqual([...made.write!], [...fresh]);
    assert.deepEqual(made.logs, [{ level: 'info', text: 'No uuid found for current node - generating a new uuid.' }]);
  }
});
