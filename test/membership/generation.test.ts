// The generation number across restarts, in heartbeat's own file format and log words; node uuids kept, renamed, replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextGeneration, nodeUuid } from '../../src/membership/index.js';
import { generation, type NodeName } from '../../src/types.js';
import { Sim, uuidOf } from './sim.js';

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

test('hostname change, seen by a peer: nodea renamed nodec keeping its hb_uuid draws heartbeat\'s warning; nodea back with a new uuid its error', () => {
  const nodes = ['nodea', 'nodeb', 'nodec'];
  const sim = new Sim();
  sim.add('nodea', { nodes });
  sim.add('nodeb', { nodes });
  sim.start('nodea');
  sim.start('nodeb');
  sim.runUntil(3000);
  const texts = () => sim.node('nodeb').log.map((l) => `${l.level}: ${l.text}`);
  assert.ok(!texts().some((t) => /uuid/.test(t)), 'nothing said while names and uuids agree');

  // The machine called nodea is renamed nodec; its hb_uuid stays.
  sim.kill('nodea');
  sim.add('nodec', { nodes, uuid: uuidOf('nodea'), generation: generation(2000) });
  sim.start('nodec');
  sim.runUntil(4000);
  assert.ok(texts().includes('warn: nodename nodea uuid changed to nodec'), texts().join('\n'));
  assert.equal(sim.state('nodeb').peers['nodea' as NodeName]!.uuid, undefined, 'nodea no longer owns that uuid');
  assert.deepEqual([...sim.state('nodeb').peers['nodec' as NodeName]!.uuid!], [...uuidOf('nodea')]);

  // As the seeds say: hb_uuid deleted, the daemon restarted: a known name with a new uuid.
  sim.kill('nodec');
  sim.add('nodec', { nodes, uuid: uuidOf('fresh'), generation: generation(3000) });
  sim.start('nodec');
  sim.runUntil(5000);
  assert.ok(texts().includes('error: node nodec changed its uuid'), texts().join('\n'));
  assert.deepEqual([...sim.state('nodeb').peers['nodec' as NodeName]!.uuid!], [...uuidOf('fresh')]);
  assert.equal(texts().filter((t) => /uuid/.test(t)).length, 2, 'each change said once');
});

test('hostname change, on the renamed node: a uuid recorded for another name is replaced (what the seeds do by hand); one made by heartbeat is adopted', () => {
  const stored = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const fresh = Uint8Array.from({ length: 16 }, () => 0xaa);
  const same = nodeUuid(stored, fresh, { recorded: 'nodea', name: 'nodea' });
  assert.deepEqual([same.write, same.writeOwner, same.logs], [undefined, undefined, []]);
  const adopted = nodeUuid(stored, fresh, { recorded: undefined, name: 'nodea' });
  assert.deepEqual([...adopted.uuid], [...stored]);
  assert.deepEqual([adopted.write, adopted.writeOwner, adopted.logs], [undefined, 'nodea', []]);
  const renamed = nodeUuid(stored, fresh, { recorded: 'nodea', name: 'nodec' });
  assert.deepEqual([...renamed.uuid], [...fresh]);
  assert.deepEqual([...renamed.write!], [...fresh]);
  assert.equal(renamed.writeOwner, 'nodec');
  assert.deepEqual(renamed.logs, [{ level: 'warn', text: 'Node name changed from nodea to nodec since hb_uuid was made: generating a new uuid (peers would take nodec for nodea)' }]);
  const first = nodeUuid(undefined, fresh, { recorded: undefined, name: 'nodea' });
  assert.equal(first.writeOwner, 'nodea');
});
