// Replicas of the CIB through the DC: one order of updates everywhere, conflicts refused, replicas out of step
// resynced, and after a join or a healed partition the newest CIB everywhere (in-memory twin, fake clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseXml, type XEl } from '../../../src/crm/xml-lite.js';
import {
  CIB_RC, emptyCib, formatVersion, versionOf, selectXpath, printXml, stepReplica, initialReplica, performChange,
  applyPatch, digestOf, crmVerifier, type CibUpdate, type CibAnswer,
} from '../../../src/crm/cib-store/index.js';
import type { Millis } from '../../../src/types.js';
import { Twin } from './twin.js';

const NODES = ['server1', 'server2', 'server3'];
const prop = (id: string, value: string) => ({ cmd: 'cib_create' as const, section: 'crm_config',
  xml: `<cluster_property_set id="${id}"><nvpair id="${id}-v" name="cluster-name" value="${value}"/></cluster_property_set>` });
const ready = (names = NODES) => { const t = new Twin(names); t.elect(names[0]!); t.settle(); return t; };
const nv = (cib: XEl, id: string) => selectXpath(cib, `//nvpair[@id='${id}']`).length;

test('a change made on a member goes through the DC and lands on every replica before the client is answered', () => {
  const t = ready();
  t.client('server3', 'c1', { req: prop('p1', 'lifeline') });
  // The DC (server1) has it at once; server3 only when the update arrives, and the reply comes after the update.
  t.deliverOne(0);
  assert.equal(nv(t.state('server1').cib, 'p1-v'), 1);
  t.settle();
  const a = t.answers.get('c1');
  assert.deepEqual(a, { ok: true, adminEpoch: 0, epoch: 1, numUpdates: 0 });
  assert.equal(t.digests().size, 1);
  for (const n of NODES) assert.equal(formatVersion(versionOf(t.state(n).cib)), '0.1.0');
  assert.ok((t.persisted.get('server2') ?? 0) >= 1);
});

test('two administrators editing the same CIB version at once: the second is refused with both versions named', () => {
  const t = ready();
  const read = (n: string) => t.state(n).cib;
  const edit = (cib: XEl, id: string) => printXml(cib).replace('<crm_config/>', `<crm_config><cluster_property_set id="${id}"/></crm_config>`);
  const b = read('server2');
  const c = read('server3');
  t.client('server2', 'edit-b', { req: { cmd: 'cib_replace', xml: edit(b, 'set-b') }, base: versionOf(b) });
  t.client('server3', 'edit-c', { req: { cmd: 'cib_replace', xml: edit(c, 'set-c') }, base: versionOf(c) });
  t.settle();
  const ab = t.answers.get('edit-b')!;
  const ac = t.answers.get('edit-c')! as Extract<CibAnswer, { ok: false }>;
  assert.ok(ab.ok);
  assert.equal(ac.ok, false);
  assert.equal(ac.rc, CIB_RC.OLD);
  assert.match(ac.error, /0\.0\.0.*0\.1\.0/);
  const final = t.state('server3').cib;
  assert.equal(selectXpath(final, "//cluster_property_set[@id='set-b']").length, 1);
  assert.equal(selectXpath(final, "//cluster_property_set[@id='set-c']").length, 0);
  assert.equal(t.digests().size, 1);
});

test('a replica that misses an update asks the DC for the whole CIB and catches up', () => {
  const t = ready();
  t.client('server1', 'c1', { req: prop('p1', 'one') });
  // The update to server3 is lost on the way.
  t.inflight = t.inflight.filter((m) => m.to !== 'server3');
  t.settle();
  t.client('server1', 'c2', { req: prop('p2', 'two') });
  t.settle();
  assert.ok(t.logs.some((l) => /server3: update 0\.1\.0 -> 0\.2\.0 does not follow our version 0\.0\.0: requesting a full CIB/.test(l)), t.logs.join('\n'));
  assert.equal(t.digests().size, 1);
  assert.equal(nv(t.state('server3').cib, 'p2-v'), 1);
});

test('an update whose base digest differs at the same version (a diverged replica) triggers a full sync too', () => {
  const t = ready();
  // server3's replica diverges without a version change (a bug or a hand edit): same 0.0.0, other content.
  const s3 = t.state('server3');
  const diverged = parseXml(printXml(s3.cib).replace('<nodes/>', '<nodes><node id="x" uname="x"/></nodes>'));
  assert.ok(diverged.ok);
  t.nodes.set('server3', { ...s3, cib: diverged.root });
  t.client('server1', 'c1', { req: prop('p1', 'one') });
  t.settle();
  assert.equal(t.digests().size, 1);
  assert.equal(selectXpath(t.state('server3').cib, "//node[@id='x']").length, 0);
});

test('on join the newest CIB wins everywhere; on a tie the DC keeps its own', () => {
  const newer = parseXml(printXml(emptyCib(7)).replace('<resources/>', '<resources><primitive id="d" class="ocf" provider="pacemaker" type="Dummy"/></resources>'));
  assert.ok(newer.ok);
  const t = new Twin(NODES, (n) => (n === 'server3' ? newer.root : emptyCib(3)));
  t.elect('server1');
  t.settle();
  assert.equal(t.digests().size, 1);
  assert.equal(formatVersion(versionOf(t.state('server1').cib)), '0.7.0');
  assert.ok(t.logs.some((l) => /server1: join-1: server3 has the newest CIB \(0\.7\.0, ours is 0\.3\.0\)/.test(l)), t.logs.join('\n'));
  const tie = new Twin(NODES, (n) => (n === 'server3' ? newer.root : emptyCib(7)));
  tie.elect('server1');
  tie.settle();
  assert.equal(tie.digests().size, 1);
  assert.equal(selectXpath(tie.state('server3').cib, "//primitive[@id='d']").length, 0);
});

test('changes arriving during the join wait for it and then apply; a join waits no longer than its timeout', () => {
  const t = new Twin(NODES);
  t.partition({ server3: 1 }); // server3 does not answer the join
  t.side.set('server3', 0);
  const members = NODES;
  for (const m of ['server1', 'server2']) t.dispatch(m, { type: 'dc', dc: 'server1', members, join: 1 });
  t.client('server2', 'c1', { req: prop('p1', 'queued') });
  t.settle();
  assert.equal(t.answers.get('c1'), undefined);
  t.tick(3_000);
  t.settle();
  assert.ok(t.answers.get('c1')?.ok);
  assert.ok(t.logs.some((l) => /no CIB offer from server3 in time/.test(l)));
});

test('a healed 3|2 partition: both sides edited, the newest CIB (Pacemaker\'s comparison) ends up on all five nodes', () => {
  const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const t = ready(five);
  t.partition({ n4: 1, n5: 1 });
  t.elect('n1');
  t.elect('n4');
  t.settle();
  t.client('n2', 'maj1', { req: prop('maj1', 'a') });
  t.client('n3', 'maj2', { req: prop('maj2', 'b') });
  t.client('n5', 'min1', { req: prop('min1', 'c') });
  t.settle();
  assert.equal(t.digests(['n1', 'n2', 'n3']).size, 1);
  assert.equal(t.digests(['n4', 'n5']).size, 1);
  assert.equal(formatVersion(versionOf(t.state('n1').cib)), '0.2.0');
  assert.equal(formatVersion(versionOf(t.state('n4').cib)), '0.1.0');
  t.partition({ n4: 0, n5: 0 });
  t.elect('n4'); // whoever wins the election, the newest CIB wins
  t.settle();
  assert.equal(t.digests().size, 1);
  assert.equal(formatVersion(versionOf(t.state('n5').cib)), '0.2.0');
  assert.equal(nv(t.state('n4').cib, 'maj2-v'), 1);
  // The minority's change lost the comparison; it was answered OK in its partition, which is Pacemaker's behaviour too.
  assert.equal(nv(t.state('n4').cib, 'min1-v'), 0);
});

test('no DC: a change is refused with exit code 113; a DC that does not answer times out with 124; queries stay local', () => {
  const t = new Twin(NODES);
  t.client('server2', 'c0', { req: prop('p0', 'x') });
  assert.equal((t.answers.get('c0') as { rc: number }).rc, CIB_RC.UNSATISFIED);
  t.elect('server1');
  t.settle();
  t.partition({ server1: 1 });
  t.client('server2', 'c1', { req: prop('p1', 'x') });
  t.partition({});
  t.tick(30_000);
  assert.equal((t.answers.get('c1') as { rc: number }).rc, CIB_RC.TIMEOUT);
  t.client('server2', 'q', { req: { cmd: 'cib_query', section: 'nodes' } });
  assert.deepEqual(t.answers.get('q'), { ok: true, xml: '<nodes/>\n' });
});

test('malformed messages, updates from a node that is not the DC and whole CIBs with a bad digest are dropped and counted', () => {
  const t = ready();
  const before = t.state('server2');
  t.dispatch('server2', { type: 'message', from: 'server1', msg: { t: 'cib-update' } as never });
  t.dispatch('server2', { type: 'message', from: 'server1', msg: null as never });
  t.dispatch('server2', { type: 'message', from: 'server3', msg: { t: 'cib-full', from: 'server3', cib: emptyCib(9), digest: digestOf(emptyCib(9)) } });
  t.dispatch('server2', { type: 'message', from: 'server1', msg: { t: 'cib-full', from: 'server1', cib: emptyCib(9), digest: 'f00' } });
  assert.equal(t.state('server2').dropped, 4);
  assert.equal(t.state('server2').cib, before.cib);
});

test('the DC refuses a configuration that does not verify, and no replica sees it', () => {
  const t = new Twin(NODES, () => emptyCib(), crmVerifier());
  t.elect('server1');
  t.settle();
  t.client('server2', 'bad', { req: { cmd: 'cib_create', section: 'resources', xml: '<primitive id="ldap" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="ldap-mon" name="monitor"/></operations></primitive>' } });
  t.settle();
  const a = t.answers.get('bad') as { ok: boolean; rc: number; error: string };
  assert.equal(a.rc, CIB_RC.CONFIG);
  assert.match(a.error, /ldap/);
  for (const n of NODES) assert.equal(formatVersion(versionOf(t.state(n).cib)), '0.0.0');
});

// --- properties ---

/** A random change: configuration (create/modify/delete of properties) or status (node_state). */
const changeArb = fc.oneof(
  fc.record({ k: fc.constant('create' as const), id: fc.integer({ min: 0, max: 5 }), v: fc.string({ maxLength: 5 }) }),
  fc.record({ k: fc.constant('modify' as const), id: fc.integer({ min: 0, max: 5 }), v: fc.string({ maxLength: 5 }) }),
  fc.record({ k: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 5 }), v: fc.constant('') }),
  fc.record({ k: fc.constant('status' as const), id: fc.integer({ min: 0, max: 3 }), v: fc.constantFrom('online', 'offline') }),
);
type Ch = { k: 'create' | 'modify' | 'delete' | 'status'; id: number; v: string };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
function request(c: Ch) {
  switch (c.k) {
    case 'create': return prop(`p${c.id}`, esc(c.v));
    case 'modify': return { cmd: 'cib_modify' as const, section: 'crm_config', xml: `<nvpair id="p${c.id}-v" value="${esc(c.v)}"/>` };
    case 'delete': return { cmd: 'cib_delete' as const, xpath: `//cluster_property_set[@id='p${c.id}']` };
    case 'status': return { cmd: 'cib_create' as const, section: 'status', xml: `<node_state id="n${c.id}" crmd="${c.v}"/>` };
  }
}

test('property: replicas applying the same sequence of updates converge on the DC\'s CIB, digest for digest', () => {
  fc.assert(fc.property(fc.array(changeArb, { maxLength: 30 }), (changes) => {
    let dc = emptyCib();
    const updates: CibUpdate[] = [];
    for (const c of changes) {
      const r = performChange(dc, { req: request(c) }, { origin: 'dc' });
      dc = r.cib;
      if (r.update) updates.push(JSON.parse(JSON.stringify(r.update)) as CibUpdate);
    }
    for (let replica = 0; replica < 2; replica++) {
      let cib = emptyCib();
      for (const u of updates) {
        assert.equal(u.fromDigest, digestOf(cib));
        const next = applyPatch(cib, u.patch);
        assert.ok(typeof next !== 'string', next as string);
        cib = next;
        assert.equal(digestOf(cib), u.toDigest);
      }
      assert.equal(digestOf(cib), digestOf(dc));
    }
    // Versions strictly increase along the sequence.
    for (let i = 1; i < updates.length; i++) assert.ok(formatVersion(updates[i]!.from) === formatVersion(updates[i - 1]!.to));
  }), { numRuns: 200 });
});

test('property: random interleavings of two editors (read, edit, replace with base) never lose an update silently', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('server2', 'server3'), fc.nat(5)), { minLength: 1, maxLength: 25 }), (script) => {
    const t = ready();
    const made: Array<{ client: string; id: string }> = [];
    let k = 0;
    for (const [editor, deliveries] of script) {
      const id = `e${k++}`;
      const cib = t.state(editor).cib;
      const xml = printXml(cib).replace(/<crm_config\/>|<crm_config>/, (m) => `<crm_config>${m.endsWith('/>') ? '</crm_config>' : ''}`)
        .replace('<crm_config>', `<crm_config><cluster_property_set id="${id}"/>`);
      t.client(editor, id, { req: { cmd: 'cib_replace', xml }, base: versionOf(cib) });
      made.push({ client: id, id });
      for (let d = 0; d < deliveries; d++) t.deliverOne(d + k);
    }
    t.settle();
    assert.equal(t.digests().size, 1);
    const final = t.state('server1').cib;
    for (const m of made) {
      const a = t.answers.get(m.client);
      assert.ok(a, `${m.client} was never answered`);
      const present = selectXpath(final, `//cluster_property_set[@id='${m.id}']`).length === 1;
      if (a.ok) assert.ok(present, `${m.client} was accepted but is not in the CIB`);
      else { assert.equal(a.rc, CIB_RC.OLD, a.error); assert.ok(!present); }
    }
  }), { numRuns: 150 });
});

test('property: merges from several nodes without a base all land, in one order on every replica', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...NODES), changeArb, fc.nat(4)), { maxLength: 25 }), (script) => {
    const t = ready();
    let k = 0;
    for (const [node, c, deliveries] of script) {
      t.client(node, `c${k++}`, { req: request(c) });
      for (let d = 0; d < deliveries; d++) t.deliverOne(d * 7 + k);
    }
    t.settle();
    assert.equal(t.digests().size, 1);
    for (let i = 0; i < k; i++) assert.ok(t.answers.has(`c${i}`));
  }), { numRuns: 150 });
});

test('the replica machine is usable directly: a lone DC of one node applies its own change', () => {
  let s = initialReplica('solo', emptyCib());
  s = stepReplica(s, { type: 'dc', dc: 'solo', members: ['solo'], join: 1 }, 0 as Millis).state;
  const r = stepReplica(s, { type: 'client', client: 'x', change: { req: prop('p', 'v') } }, 1 as Millis);
  assert.deepEqual(r.effects.find((e) => e.kind === 'reply'), { kind: 'reply', client: 'x', answer: { ok: true, adminEpoch: 0, epoch: 1, numUpdates: 0 } });
  assert.ok(r.effects.some((e) => e.kind === 'persist'));
});

test('a well-shaped update carrying a broken patch or tree is dropped, never thrown', () => {
  const t = ready();
  const v = versionOf(t.state('server2').cib);
  const bad = { t: 'cib-update', update: { from: v, to: { ...v, epoch: v.epoch + 1 }, fromDigest: digestOf(t.state('server2').cib), toDigest: 'x', configChanged: true, patch: { kids: [{ keep: 'configuration@0', patch: { kids: 7 } }] }, origin: 'server1', op: 'cib_modify' } };
  const r = stepReplica(t.state('server2'), { type: 'message', from: 'server1', msg: bad as never }, 0 as Millis);
  assert.ok(r.state.dropped === 1 || r.state.syncing, JSON.stringify(r.effects));
  const deep = { t: 'cib-full', from: 'server1', cib: { tagName: 'cib', attrs: [], kids: [{ tagName: 3 }] }, digest: 'x' };
  assert.equal(stepReplica(t.state('server2'), { type: 'message', from: 'server1', msg: deep as never }, 0 as Millis).state.dropped, 1);
});

test('both sides of a partition at the same version with different content: after the heal one CIB everywhere', () => {
  const t = ready(['n1', 'n2', 'n3', 'n4']);
  t.partition({ n3: 1, n4: 1 });
  t.elect('n1');
  t.elect('n3');
  t.settle();
  t.client('n2', 'a', { req: prop('left', 'a') });
  t.client('n4', 'b', { req: prop('right', 'b') });
  t.settle();
  assert.equal(formatVersion(versionOf(t.state('n1').cib)), formatVersion(versionOf(t.state('n3').cib)));
  assert.equal(t.digests().size, 2);
  t.partition({ n3: 0, n4: 0 });
  t.elect('n3');
  t.settle();
  assert.equal(t.digests().size, 1);
  assert.equal(nv(t.state('n1').cib, 'right-v'), 1); // the tie goes to the DC's own CIB
});

test('a member waiting on a DC that is replaced is told at once that the outcome is unknown', () => {
  const t = ready();
  t.client('server3', 'c1', { req: prop('p1', 'x') });
  t.inflight = []; // the request is lost with the old DC
  t.partition({ server1: 1 });
  t.elect('server2');
  const a = t.answers.get('c1') as { ok: boolean; rc: number; error: string };
  assert.equal(a.rc, CIB_RC.TIMEOUT);
  assert.match(a.error, /DC changed \(server1 -> server2\)/);
});

test('32 nodes: join, 200 changes from every node, one CIB everywhere, in one process (under 10 s even on a loaded machine)', () => {
  const names = Array.from({ length: 32 }, (_, i) => `node${i + 1}`);
  const started = performance.now();
  const t = ready(names);
  for (let i = 0; i < 200; i++) {
    t.client(names[i % 32]!, `c${i}`, { req: i % 3 ? prop(`p${i}`, String(i)) : { cmd: 'cib_create' as const, section: 'status', xml: `<node_state id="${i}" uname="${names[i % 32]}" crmd="online"/>` } });
    if (i % 10 === 0) t.settle();
  }
  t.settle(1_000_000);
  const took = performance.now() - started;
  assert.equal(t.digests().size, 1);
  assert.equal([...t.answers.values()].filter((a) => a.ok).length, 200);
  assert.ok(took < 10_000, `${took} ms`);
  const v = versionOf(t.state('node17').cib);
  assert.equal(v.epoch, 133);
});
