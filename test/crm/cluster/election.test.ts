// The DC election and quorum in the in-memory twin: one DC per partition, a new one after the DC dies,
// quorum only on the majority side, and after the heal one DC and the newest CIB everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrmTwin } from './twin.js';
import { digestOf, formatVersion, versionOf } from '../../../src/crm/cib-store/index.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);
const prop = (id: string) => ({ req: { cmd: 'cib_create' as const, section: 'crm_config',
  xml: `<cluster_property_set id="${id}"><nvpair id="${id}-v" name="cluster-name" value="${id}"/></cluster_property_set>` } });

for (const n of [2, 3, 5, 32]) {
  test(`${n} nodes elect exactly one DC, the node whose name sorts first when all started in the same second`, () => {
    const t = new CrmTwin(names(n));
    t.startAll();
    const took = t.runUntilTrue(() => t.dcs().size === 1 && !t.dcs().has(null));
    assert.ok(took !== undefined, `no single DC: ${[...t.dcs()].join(',')}`);
    assert.deepEqual([...t.dcs()], ['node01']);
    t.run(5_000);
    assert.deepEqual([...t.dcs()], ['node01']);
    assert.ok(t.running().every((x) => t.status(x).quorum));
  });
}

test('the longest-running node wins over a name that sorts first (Pacemaker\'s Uptime before Host name)', () => {
  const t = new CrmTwin(names(3), { born: (x) => (x === 'node03' ? 1_000_000 : 2_000_000) });
  t.startAll();
  t.run(3_000);
  assert.deepEqual([...t.dcs()], ['node03']);
});

test('kill -9 of the DC: the survivors agree on a new DC within deadtime + 1 s', () => {
  const t = new CrmTwin(names(3));
  t.startAll();
  t.run(3_000);
  t.kill('node01');
  const took = t.runUntilTrue(() => { const d = t.dcs(); return d.size === 1 && d.has('node02'); });
  assert.ok(took !== undefined && took <= t.deadtime + 1_000, `new DC after ${took} ms`);
});

test('partition 2|3: only the three-node side has quorum; after the heal one DC and the newest CIB everywhere', () => {
  const t = new CrmTwin(names(5));
  t.startAll();
  t.run(3_000);
  t.partition(['node01', 'node02'], ['node03', 'node04', 'node05']);
  t.run(3_000);
  assert.equal(t.status('node01').quorum, false);
  assert.equal(t.status('node03').quorum, true);
  assert.deepEqual([...t.dcs(['node03', 'node04', 'node05'])], ['node03']);
  t.client('node04', 'c1', prop('majority'));
  t.run(2_000);
  assert.equal(t.answers.get('c1')?.ok, true);
  const newest = formatVersion(versionOf(t.state('node03').replica.cib));
  t.heal();
  t.run(5_000);
  assert.deepEqual([...t.dcs()], ['node01']);
  const digests = new Set(t.running().map((x) => digestOf(t.state(x).replica.cib)));
  assert.equal(digests.size, 1);
  assert.equal(formatVersion(versionOf(t.state('node01').replica.cib)), newest);
});

test('CIB changes via the DC reach every replica in order with lost, duplicated and reordered fragments', () => {
  let k = 0;
  const t = new CrmTwin(names(4), { messaging: { fragmentBytes: 64, historySize: 4096, maxBuffered: 4096, maxMessageBytes: 1 << 24, rexmitIntervalMs: 50, announceForMs: 2_000 } });
  t.lose = () => (k++ % 7) === 3;
  t.dup = () => (k % 5) === 1;
  t.delay = () => (k % 3) * 4;
  t.startAll();
  t.run(4_000);
  for (let i = 0; i < 10; i++) t.client(`node0${(i % 4) + 1}`, `c${i}`, prop(`p${i}`));
  t.run(10_000);
  for (let i = 0; i < 10; i++) assert.equal(t.answers.get(`c${i}`)?.ok, true, `c${i}: ${JSON.stringify(t.answers.get(`c${i}`))}`);
  assert.equal(new Set(t.running().map((x) => digestOf(t.state(x).replica.cib))).size, 1);
  const c = t.status('node02').counters;
  assert.ok(c.rexmitRequests! > 0 && c['dropped.duplicate']! > 0, JSON.stringify(c));
});

test('a heal seen by the two sides at different times: a DC announce from a node not yet in the view is not lost for good', () => {
  // The majority sees the minority 300 ms before the minority sees it: node01's announce reaches node04/05 while
  // node01 is not in their view yet, and they drop it. They must still end up with node01 as DC.
  const t = new CrmTwin(names(5));
  t.startAll();
  t.run(3_000);
  t.partition(['node01', 'node02', 'node03'], ['node04', 'node05']);
  t.run(3_000);
  assert.deepEqual([...t.dcs(['node04', 'node05'])], ['node04']);
  t.heal((n) => (n === 'node04' || n === 'node05' ? 300 : 0));
  const took = t.runUntilTrue(() => { const d = t.dcs(); return d.size === 1 && d.has('node01') && t.running().every((x) => !t.state(x).replica.syncing); }, 10_000);
  assert.ok(took !== undefined, `DCs after the heal: ${t.running().map((x) => `${x}=${t.status(x).dc}`).join(' ')}`);
  assert.ok(took <= 2 * t.deadtime + 3_000, `one DC after ${took} ms`);
  assert.equal(new Set(t.running().map((x) => digestOf(t.state(x).replica.cib))).size, 1);
});

test('a heal reaching the minority DC node by node: no quorum and no join of the first newcomer alone, one join of all five', () => {
  // node04 is the oldest, so DC of the minority and of the healed cluster. Its membership sees node03 first and the
  // rest 1 s later: a join of node03/04/05 then would give that side quorum and start what node01's side still runs.
  const t = new CrmTwin(names(5), { born: (x) => (x === 'node04' ? 1_000_000 : 2_000_000) });
  t.startAll();
  t.run(3_000);
  t.partition(['node01', 'node02', 'node03'], ['node04', 'node05']);
  t.run(3_000);
  assert.deepEqual([...t.dcs(['node04', 'node05'])], ['node04']);
  assert.deepEqual([...t.dcs(['node01', 'node02', 'node03'])], ['node01']);
  const mark = t.node('node04').logs.length;
  t.heal(() => 600);
  for (const n of ['node04', 'node05']) t.dispatch(n, { type: 'members', members: ['node03', 'node04', 'node05'] });
  t.dispatch('node03', { type: 'members', members: names(5) });
  t.run(300);
  assert.equal(t.status('node04').quorum, false, 'no quorum from three members the DC has not joined yet');
  const took = t.runUntilTrue(() => { const d = t.dcs(); return d.size === 1 && d.has('node04') && t.running().every((x) => !t.state(x).replica.syncing); }, 10_000);
  assert.ok(took !== undefined, t.running().map((x) => `${x}=${t.status(x).dc}`).join(' '));
  const offers = t.node('node04').logs.slice(mark).filter((l) => /offering membership/.test(l));
  assert.ok(offers.length >= 1 && offers.every((l) => l.endsWith('offering membership to node01, node02, node03, node04, node05')), offers.join('\n'));
});
