// The whole CRM in memory (controller + cluster layer + executor twin per node, one fake clock): a Dummy + IPaddr2
// group starts once, survives the loss of its node and of the DC, restarts on a monitor failure, moves at the threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrmdTwin } from '../../../src/crm/controld/index.js';
import { getAttr, type XEl } from '../../../src/crm/xml-lite.js';
import { groupCib, nodeNames } from './cibs.js';

const nodeState = (cib: XEl, uname: string) => cib.kids.find((k) => k.tagName === 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname);

function threeNodes(opts: { migrationThreshold?: number; prefer?: string } = {}): CrmdTwin {
  const cib = groupCib({ nodes: 3, ...(opts.migrationThreshold ? { migrationThreshold: opts.migrationThreshold } : {}) });
  const t = new CrmdTwin(nodeNames(3), { cib: (n) => (n === 'node1' ? cib : undefined) });
  t.startAll();
  t.settle();
  if (opts.prefer) {
    t.client('node1', 'loc', { req: { cmd: 'cib_create', section: 'constraints', xml: `<rsc_location id="prefer" rsc="grp" node="${opts.prefer}" score="100"/>` } });
    t.runUntil(() => t.answers.has('loc'));
    assert.equal(t.answers.get('loc')!.ok, true);
    t.settle();
  }
  return t;
}

test('3 nodes: probes everywhere, the group starts once on one node; every replica shows Pacemaker\'s node_state, have-quorum and dc-uuid', () => {
  const t = threeNodes();
  assert.deepEqual(t.where('app'), ['node1']);
  assert.deepEqual(t.where('vip'), ['node1']);
  assert.equal(t.starts('app'), 1);
  assert.ok(t.node('node1').host.addresses.has('10.237.0.100'));
  for (const n of t.names) {
    const cib = t.crmd(n).cib();
    assert.equal(getAttr(cib, 'have-quorum'), '1', n);
    assert.equal(getAttr(cib, 'dc-uuid'), '1', n);
    for (const m of t.names) {
      const ns = nodeState(cib, m)!;
      assert.deepEqual(['crmd', 'join', 'in_ccm', 'expected'].map((a) => getAttr(ns, a)), ['online', 'member', 'true', 'member'], `${n} sees ${m}`);
    }
    // Probes of both resources ran on every node; the start and monitor are recorded where the group runs.
    const ops = JSON.stringify(cib);
    assert.equal((ops.match(/"app_last_0"/g) ?? []).length, 3, n);
    assert.match(ops, /"app_monitor_5000"/);
  }
  // The log speaks Pacemaker's words.
  const log = t.node('node1').logs.join('\n');
  assert.match(log, /Initiating start operation app_start_0 locally on node1/);
  assert.match(log, /Initiating monitor operation app_monitor_0 on node2/);
  assert.match(log, /Transition 1 \(Complete=\d+, Pending=0, Fired=0, Skipped=0, Incomplete=0\): Complete/);
});

test('kill -9 of the node holding the group: it is recovered on another node exactly once', () => {
  const t = threeNodes({ prefer: 'node2' });
  assert.deepEqual(t.where('app'), ['node2']);
  const killedAt = t.now;
  const startsBefore = t.names.map((n) => t.node(n).host.journal.filter((l) => l === 'app start').length);
  t.kill('node2');
  const took = t.runUntil(() => t.where('vip').length === 1 && t.where('app').length === 1, 10_000);
  assert.ok(took !== undefined, t.tail());
  t.settle();
  const to = t.where('app')[0]!;
  assert.notEqual(to, 'node2');
  assert.deepEqual(t.where('vip'), [to]);
  // Exactly one start anywhere after the crash (node2's host was replaced by the crash: its journal is empty).
  const startsAfter = t.names.map((n, i) => t.node(n).host.journal.filter((l) => l === 'app start').length - (n === 'node2' ? 0 : startsBefore[i]!));
  assert.equal(startsAfter.reduce((a, b) => a + b, 0), 1, String(startsAfter));
  const ns = nodeState(t.crmd(to).cib(), 'node2')!;
  assert.equal(getAttr(ns, 'in_ccm'), 'false');
  assert.equal(getAttr(ns, 'crmd'), 'offline');
  console.log(`# twin: node kill → group started elsewhere after ${took} ms simulated (deadtime ${t.deadtime} ms; settled at +${t.now - killedAt} ms)`);
});

test('kill -9 of the DC: a new DC within deadtime + 1 s, the group running elsewhere is not restarted', () => {
  const t = threeNodes({ prefer: 'node3' });
  assert.equal(t.dc(), 'node1');
  assert.deepEqual(t.where('app'), ['node3']);
  const before = t.node('node3').host.journal.length;
  t.kill('node1');
  const took = t.runUntil(() => t.running().every((n) => t.crmd(n).node.replica.dc === 'node2'), 5_000);
  assert.ok(took !== undefined && took <= t.deadtime + 1000, `new DC after ${took} ms\n${t.tail()}`);
  t.settle();
  t.run(12_000);
  t.settle();
  assert.deepEqual(t.where('app'), ['node3']);
  const since = t.node('node3').host.journal.slice(before);
  assert.ok(!since.some((l) => /start|stop/.test(l)), `no start or stop on node3 after the DC died: ${since.join(', ')}`);
  assert.equal(getAttr(t.crmd('node3').cib(), 'dc-uuid'), '2');
  assert.equal(getAttr(nodeState(t.crmd('node3').cib(), 'node1')!, 'crmd'), 'offline');
});

test('a monitor failure restarts the group in place; a second one with migration-threshold=2 moves it', () => {
  const t = threeNodes({ migrationThreshold: 2, prefer: 'node2' });
  t.node('node2').host.files.delete('/run/resource-agents/Dummy-app.state');
  t.runUntil(() => t.node('node2').host.journal.filter((l) => l === 'app start').length === 2, 10_000);
  t.settle();
  assert.deepEqual(t.where('app'), ['node2'], t.tail());
  const fc = JSON.stringify(t.crmd('node3').cib());
  assert.match(fc, /"fail-count-app#monitor_5000","value","1"/);
  t.node('node2').host.files.delete('/run/resource-agents/Dummy-app.state');
  const took = t.runUntil(() => t.where('app').length === 1 && t.where('app')[0] !== 'node2', 10_000);
  assert.ok(took !== undefined, t.tail());
  t.settle();
  const to = t.where('app')[0]!;
  assert.deepEqual(t.where('vip'), [to]);
  assert.match(JSON.stringify(t.crmd(to).cib()), /"fail-count-app#monitor_5000","value","2"/);
  assert.match(t.node('node1').logs.join('\n'), /Transition \d+ aborted: app_monitor_5000 on node2: Event failed \(rc=7\)/);
});

test('malformed controller messages are dropped and counted, never fatal', () => {
  const t = threeNodes();
  t.sendRaw('node2', 'node1', { t: 'crmd-exec', req: 5 });
  t.sendRaw('node2', 'node1', { t: 'crmd-result', record: { node: 'node2' }, onFail: 'restart' });
  t.sendRaw('node2', 'node1', { t: 'crmd-bogus' });
  t.sendRaw('node2', 'node1', { t: 'crmd-join', join: 'x', lrm: null, fresh: 1 });
  // Well formed, but only the DC may ask for operations: node3 refuses node2's.
  t.sendRaw('node2', 'node3', { t: 'crmd-exec', req: { rscId: 'app', agent: { cls: 'ocf', provider: 'pacemaker', type: 'Dummy' }, action: 'stop', intervalMs: 0, timeoutMs: 20000, params: {} },
    info: { onFail: 'restart', opDigest: '' } });
  t.run(1_000);
  t.settle();
  assert.equal(t.crmd('node1').dropped, 4);
  assert.equal(t.crmd('node3').dropped, 1);
  assert.match(t.node('node3').logs.join('\n'), /dropped controller message from node2: operations come from the DC \(node1\)/);
  assert.deepEqual(t.where('app'), ['node1']);
  assert.ok(!t.node('node3').host.journal.includes('app stop'));
});

test('32 nodes x 24 Dummies converge: each resource runs exactly once, the DC idle', () => {
  const names = nodeNames(32);
  const cib = groupCib({ nodes: 32, extraResources: 24 });
  const t = new CrmdTwin(names, { cib: (n) => (n === 'node1' ? cib : undefined) });
  const t0 = Date.now();
  t.startAll();
  const sim = t.settle(120_000);
  const wall = Date.now() - t0;
  for (let i = 0; i < 24; i++) assert.equal(t.where(`d${i}`).length, 1, `d${i}`);
  assert.equal(t.where('app').length, 1);
  const placed = new Set(Array.from({ length: 24 }, (_, i) => t.where(`d${i}`)[0]));
  assert.ok(placed.size >= 12, `spread over ${placed.size} nodes`);
  // Kill the node with most resources: everything it had comes back elsewhere once.
  const victim = [...placed][0]!;
  const lostRscs = Array.from({ length: 24 }, (_, i) => `d${i}`).filter((r) => t.where(r)[0] === victim);
  t.kill(victim);
  const rec = t.runUntil(() => lostRscs.every((r) => t.where(r).length === 1), 30_000);
  assert.ok(rec !== undefined, t.tail(5));
  t.settle(60_000);
  for (let i = 0; i < 24; i++) assert.equal(t.where(`d${i}`).length, 1, `d${i}`);
  console.log(`# twin 32 nodes x 26 resources: converged in ${sim} ms simulated (${wall} ms wall); node loss recovered in ${rec} ms simulated`);
});
