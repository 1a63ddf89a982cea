// The campaign's pure core: seeded plans that replay, the model of where the group must be, and the audits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NODES, describeFault, expect, initialModel, parseFaultLine, planCampaign, type Fault, type Model, type Timing,
} from '../../src/cts/plan.js';
import { allowedFor, arpOverlaps, auditArp, auditSettled, holder, unexpectedSevere, type Observation } from '../../src/cts/audit.js';
import { parseArpReply } from '../../src/cts/vip-watch.js';

const T: Timing = { keepaliveMs: 200, deadtimeMs: 2000, initdeadMs: 4000 };
const LL = { nodea: 'lifeline', nodeb: 'lifeline' } as const;
const LH = { nodea: 'lifeline', nodeb: 'heartbeat' } as const;

function run(m: Model, ...fs: Fault[]): Model {
  for (const f of fs) m = expect(m, f).model;
  return m;
}
const started = () => run(initialModel(LL, T), { kind: 'start', node: 'nodea' }, { kind: 'start', node: 'nodeb' });

test('a seed always gives the same campaign; another seed another one', () => {
  const a = planCampaign(7, 200, LL, T).map(describeFault);
  assert.deepEqual(planCampaign(7, 200, LL, T).map(describeFault), a);
  assert.notDeepEqual(planCampaign(8, 200, LL, T).map(describeFault), a);
  assert.ok(new Set(a.map((l) => l.split(' ')[0])).size >= 12, `most kinds drawn in 200 faults: ${[...new Set(a.map((l) => l.split(' ')[0]))].join(', ')}`);
});

test('every drawn fault applies to the state it is drawn in', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    let m = initialModel(LH, T);
    for (const f of planCampaign(seed, 300, LH, T)) {
      const node = 'node' in f ? f.node : undefined;
      if (f.kind === 'start') assert.equal(m.up[f.node], false, `seed ${seed}: start of a running node`);
      else if (node) assert.equal(m.up[node], true, `seed ${seed}: ${describeFault(f)} on a stopped node`);
      if (f.kind === 'monitor-fail' || f.kind === 'reload') assert.equal(m.impl[f.node], 'lifeline', `seed ${seed}: ${f.kind} on heartbeat`);
      if (f.kind === 'bad-packets') assert.ok(NODES.some((n) => m.up[n] && m.impl[n] === 'lifeline'), `seed ${seed}: bad packets with no Lifeline node to count them`);
      if (f.kind === 'monitor-fail' || f.kind === 'standby') assert.equal(m.owner, f.node);
      m = expect(m, f).model;
    }
  }
});

test('lines replay: describeFault and parseFaultLine round-trip every fault', () => {
  for (const seed of [11, 12, 13]) {
    for (const f of planCampaign(seed, 150, LL, T)) assert.deepEqual(parseFaultLine(describeFault(f)), f);
  }
  assert.throws(() => parseFaultLine('meteor nodea'), /cannot read fault line "meteor nodea"/);
});

test('the model: failover, auto_failback, standby, monitors, split brain', () => {
  let m = started();
  assert.equal(m.owner, 'nodea');
  m = run(m, { kind: 'crash', node: 'nodea' });
  assert.deepEqual([m.owner, m.up.nodea], ['nodeb', false]);
  m = run(m, { kind: 'start', node: 'nodea' });
  assert.equal(m.owner, 'nodea', 'auto_failback on brings the group home');
  m = run(m, { kind: 'standby', node: 'nodea' });
  assert.equal(m.owner, 'nodeb');
  m = run(m, { kind: 'restart', node: 'nodeb' });
  assert.equal(m.owner, 'nodea', 'a stopped owner hands over, and the preferred node keeps it when the other returns');
  const once = run(m, { kind: 'monitor-fail', node: 'nodea' });
  assert.deepEqual([once.owner, once.monitorFailures], ['nodea', 1], 'restarts=1: restarted in place');
  assert.equal(run(once, { kind: 'monitor-fail', node: 'nodea' }).owner, 'nodeb', 'the second failure hands the group over');
  const split = expect(run(m, { kind: 'standby', node: 'nodea' }), { kind: 'partition', ms: 3000, flaps: 1 });
  assert.deepEqual([split.splitBrain, split.owners], [true, ['nodea']]);
  const loss = expect(run(m, { kind: 'standby', node: 'nodea' }), { kind: 'loss', node: 'nodeb', pct: 40, ms: 3000 });
  assert.deepEqual(loss.owners, ['nodeb', 'nodea'], 'heavy loss may or may not end in a false death');
  assert.equal(expect(m, { kind: 'pause', node: 'nodea', ms: 500 }).splitBrain, false, 'a pause shorter than deadtime is no death');
  assert.equal(run(m, { kind: 'crash', node: 'nodea' }, { kind: 'crash', node: 'nodeb' }).owner, null);
  assert.equal(run(m, { kind: 'standby-in-failover', node: 'nodeb' }).owner, 'nodeb', 'hb_standby with no peer left changes nothing');
});

const obs = (a: [boolean, boolean, boolean], b: [boolean, boolean, boolean]): Observation => ({
  nodes: {
    nodea: { daemonAlive: a[0], hasVip: a[1], serviceRunning: a[2] },
    nodeb: { daemonAlive: b[0], hasVip: b[1], serviceRunning: b[2] },
  },
});

test('settled audits: the owner, once, whole, with the daemons the campaign left running', () => {
  const e = expect(started(), { kind: 'bad-packets', count: 3 });
  assert.deepEqual(auditSettled(e, obs([true, true, true], [true, false, false])), []);
  assert.match(auditSettled(e, obs([true, true, true], [true, true, true])).join(), /runs on both nodes/);
  assert.match(auditSettled(e, obs([true, true, false], [true, false, false])).join(), /not on the same node/);
  assert.match(auditSettled(e, obs([true, false, false], [true, true, true])).join(), /on nodeb, expected on nodea/);
  assert.match(auditSettled(e, obs([true, true, true], [false, false, false])).join(), /daemon on nodeb is gone/);
  assert.equal(holder(obs([true, false, false], [true, false, false])), null);
});

test('the client must see exactly the owner\'s MAC, and never two at once', () => {
  const macs = { nodea: '02:00:00:00:00:0a', nodeb: '02:00:00:00:00:0b' };
  assert.deepEqual(auditArp('nodea', ['02:00:00:00:00:0A'], macs), []);
  assert.match(auditArp('nodea', [macs.nodea, macs.nodeb], macs).join(), /sees nodea, nodeb/);
  assert.match(auditArp('nodeb', [], macs).join(), /no MAC/);
  const r = (atMs: number, mac: string) => ({ atMs, mac });
  assert.equal(arpOverlaps([r(0, macs.nodea), r(50, macs.nodeb), r(100, macs.nodeb)]).length, 0, 'a clean hand-over between two requests');
  assert.equal(arpOverlaps([r(0, macs.nodea), r(50, macs.nodea), r(51, macs.nodeb)]).length, 1, 'two answers to one request');
  const line = '1765026245.123456 02:00:00:00:00:0a > 02:00:00:00:00:0c, ethertype ARP (0x0806), length 42: Reply 10.246.1.100 is-at 02:00:00:00:00:0a, length 28';
  assert.deepEqual(parseArpReply(line, '10.246.1.100', '02:00:00:00:00:0c'), { tsMs: 1765026245123.456, mac: macs.nodea });
  assert.equal(parseArpReply(line.replace('> 02:00:00:00:00:0c', '> ff:ff:ff:ff:ff:ff'), '10.246.1.100', '02:00:00:00:00:0c'), undefined, 'gratuitous ARP is not an answer');
});

test('log audit: split-brain lines pass only when the campaign caused a split brain', () => {
  const m = started();
  const part: Fault = { kind: 'partition', ms: 3000, flaps: 1 };
  const line = 'Dec 06 13:00:00 nodea lifeline: [1]: CRIT: Cluster node nodeb returning after partition.';
  assert.deepEqual(unexpectedSevere(line, allowedFor(part, expect(m, part), 'nodea')), []);
  const stand: Fault = { kind: 'standby', node: 'nodea' };
  assert.deepEqual(unexpectedSevere(line, allowedFor(stand, expect(m, stand), 'nodea')), [line]);
  const reload: Fault = { kind: 'reload', node: 'nodeb', broken: true, inFailover: false };
  const refused = 'Dec 06 13:00:00 nodeb lifeline: [1]: ERROR: Configuration reload refused: keeping the running configuration';
  assert.deepEqual(unexpectedSevere(refused, allowedFor(reload, expect(m, reload), 'nodeb')), []);
  assert.deepEqual(unexpectedSevere(refused, allowedFor(reload, expect(m, reload), 'nodea')), [refused], 'only on the node reloaded');
  assert.deepEqual(unexpectedSevere('x: info: all fine\nx: WARN: late', []), []);
  // Lines found by campaigns and explained by their fault (docs/cts.md, results).
  const memlock = 'Dec 07 09:33:41 nodeb heartbeat: [9890]: ERROR: Cannot lock ourselves into memory:  System limits on locked-in memory are too small.';
  assert.deepEqual(unexpectedSevere(memlock, allowedFor(stand, expect(m, stand), 'nodeb')), [], 'heartbeat under an 8 MB RLIMIT_MEMLOCK');
  const loss: Fault = { kind: 'loss', node: 'nodeb', pct: 34, ms: 4000 };
  const hbWrite = 'Dec 07 10:03:58 nodeb heartbeat: [22244]: ERROR: write_child: write failure on bcast eth1.: Operation not permitted';
  assert.deepEqual(unexpectedSevere(hbWrite, allowedFor(loss, expect(m, loss), 'nodeb')), [], 'heartbeat under the harness\'s nftables loss');
  assert.deepEqual(unexpectedSevere(hbWrite, allowedFor(loss, expect(m, loss), 'nodea')), [hbWrite], 'only on the lossy node');
  const restart: Fault = { kind: 'restart', node: 'nodea' };
  const garp = 'Dec 07 10:20:22 nodeb lifeline: [30122]: info: IPaddr(IPaddr_10.246.35.100): ERROR: Could not send gratuitous arps. rc=2';
  assert.deepEqual(unexpectedSevere(garp, allowedFor(restart, expect(m, restart), 'nodeb')), [], 'the group handed back under its own ARPs');
  const bad: Fault = { kind: 'bad-packets', count: 2 };
  assert.deepEqual(unexpectedSevere(garp, allowedFor(bad, expect(m, bad), 'nodeb')), [garp], 'not where nothing moved');
  assert.ok(NODES.length === 2);
});
