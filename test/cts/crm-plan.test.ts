// The `crm on` campaign's pure core: plans replay from their seed, the model's copies and partitions, the audits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCrmFault, expectCrm, initialCrmModel, parseCrmFaultLine, planCrmCampaign, type CrmModel } from '../../src/cts/crm-plan.js';
import { auditCrm, cibVersion, type CrmObservation } from '../../src/cts/crm-audit.js';

const all: CrmModel = { up: { c1: true, c2: true, c3: true }, deadtimeMs: 2000 };

test('a seed gives the same crm campaign; every line round-trips; never fewer than two nodes up after a start', () => {
  const a = planCrmCampaign(5, 200, 2000).map(describeCrmFault);
  assert.deepEqual(planCrmCampaign(5, 200, 2000).map(describeCrmFault), a);
  assert.notDeepEqual(planCrmCampaign(6, 200, 2000).map(describeCrmFault), a);
  for (const f of planCrmCampaign(7, 200, 2000)) assert.deepEqual(parseCrmFaultLine(describeCrmFault(f)), f);
  assert.ok(new Set(a.map((l) => l.split(' ')[0])).size === 7, 'every kind drawn');
  assert.throws(() => parseCrmFaultLine('partition c9 10ms'), /cannot read crm fault line/);
});

test('the model: one copy with quorum, none without; partitions and long pauses are unfenced splits', () => {
  assert.equal(expectCrm(all, { kind: 'crash', node: 'c1' }).copies, 1);
  const two = expectCrm(all, { kind: 'crash', node: 'c1' }).model;
  assert.equal(expectCrm(two, { kind: 'crash', node: 'c2' }).copies, 0, 'one node of three: no-quorum-policy=stop');
  assert.equal(expectCrm(all, { kind: 'partition', node: 'c2', ms: 4000 }).unfencedPartition, true);
  assert.equal(expectCrm(all, { kind: 'pause', node: 'c2', ms: 500 }).unfencedPartition, false);
  assert.equal(expectCrm(all, { kind: 'pause', node: 'c2', ms: 3500 }).unfencedPartition, true);
  assert.equal(expectCrm(initialCrmModel(2000), { kind: 'start', node: 'c1' }).copies, 0);
});

const cib = (epoch: number, marks: string[]) => `<cib admin_epoch="0" epoch="${epoch}" num_updates="2">${marks.map((m) => `<cluster_property_set id="${m}"/>`).join('')}</cib>`;
const node = (o: Partial<CrmObservation['c1']>) => ({ daemonAlive: true, hasVip: false, dummy: false, crm: { dc: 'c1', quorum: true, members: ['c1', 'c2', 'c3'], idle: true }, cib: cib(5, ['m1']), ...o });

test('crm audits: exactly one copy, one DC, the same CIB everywhere with every committed change', () => {
  const e = expectCrm(all, { kind: 'monitor-fail' });
  const good: CrmObservation = { c1: node({ hasVip: true, dummy: true }), c2: node({}), c3: node({}) };
  assert.deepEqual(auditCrm(e, good, ['m1']), []);
  assert.match(auditCrm(e, { ...good, c2: node({ hasVip: true, dummy: true }) }, ['m1']).join(), /should run on 1 node/);
  assert.match(auditCrm(e, { ...good, c2: node({ dummy: true }) }, ['m1']).join(), /VIP on \[c1\], Dummy on \[c1, c2\]/);
  assert.match(auditCrm(e, { ...good, c3: node({ cib: cib(6, ['m1']) }) }, ['m1']).join(), /c3's CIB \(0\.6\.2\) differs/);
  assert.match(auditCrm(e, good, ['m1', 'm2']).join(), /lacks 1 committed change\(s\): m2/);
  assert.match(auditCrm(e, { ...good, c2: node({ crm: { dc: 'c2', quorum: true, members: ['c1', 'c2', 'c3'], idle: true } }) }, ['m1']).join(), /do not agree on one running DC/);
  assert.match(auditCrm(e, { ...good, c1: node({ hasVip: true, dummy: true, crm: { dc: 'c1', quorum: true, members: ['c1', 'c2', 'c3'], idle: false } }) }, ['m1']).join(), /DC c1 is not idle/);
  assert.match(auditCrm(e, { ...good, c3: { daemonAlive: false, hasVip: false, dummy: false } }, ['m1']).join(), /daemon on c3 is gone/);
  assert.equal(cibVersion(cib(9, [])), '0.9.2');
});
