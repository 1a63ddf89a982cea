// Smoke run of bench/crm.ts's in-memory part on a small twin: converge, node death, monitor failure, and the DC's
// scheduler run on the live CIB scaled up (idle: nothing to do; a node lost: only its resources move).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dcRunCosts, scaleLiveCib, twinScale } from '../../bench/crm-twin.js';
import { getAttr } from '../../src/crm/xml-lite.js';

test('crm bench twin: 4 nodes x 6 Dummies recover a node death and a monitor failure; the scaled live CIB schedules as expected', () => {
  const r = twinScale(4, 6, { monitorS: 2 });
  assert.ok(r.lost >= 1, 'the victim held resources');
  assert.ok(r.deathRecoveredSimMs >= 500 && r.deathRecoveredSimMs < 10_000, `recovered after ${r.deathRecoveredSimMs} ms simulated`);
  assert.ok(r.monitorRestartSimMs <= r.monitorIntervalMs + 1000, `restarted after ${r.monitorRestartSimMs} ms simulated`);
  assert.ok((r.deathAcc['DcDuty.run (print+parse+schedule+graph)']?.calls ?? 0) >= 1, 'the DC ran the scheduler for the death');
  assert.ok((r.deathAcc['controller step (DC only)']?.ms ?? 0) > 0);

  const big = scaleLiveCib(r.liveCib, 40);
  const prims = big.kids.find((k) => k.tagName === 'configuration')!.kids.find((k) => k.tagName === 'resources')!.kids;
  assert.equal(prims.length, 40);
  assert.equal(new Set(prims.map((p) => getAttr(p, 'id'))).size, 40);
  const victim = ['node4', 'node3'].find((n) => n !== r.dcName)!;
  const c = dcRunCosts(r.liveCib, r.dcName, 40, victim);
  assert.equal(c.idle.actions, 0, 'a converged CIB, scaled, has nothing to do');
  assert.ok(c.nodeLost.actions > 0, 'a lost node with resources gives actions');
  assert.ok(c.idle.kib > 0 && c.idle.total >= c.idle.schedule);
});
