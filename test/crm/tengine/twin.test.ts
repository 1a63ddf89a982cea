// Seed 003's cluster in the in-memory controller twin: start in order, restart on a monitor failure, move after
// migration-threshold, come back after failure-timeout, on-fail=standby, a node lost mid-transition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { seedCib, agreesWithOracle } from './helpers.js';

test('seed 003: probes, then ldap_service and ldap_vip start in that order on server1, then the monitor', () => {
  const twin = new ControllerTwin({ cibXml: seedCib() }).settle();
  assert.deepEqual(twin.where('ldap_service'), ['server1']);
  assert.deepEqual(twin.where('ldap_vip'), ['server1']);
  const first = twin.log.find((l) => l.startsWith('transition 1:'))!;
  const ops = first.replace('transition 1: ', '').split(' ');
  // 4 probes (2 resources × 2 nodes) come before any start; the service starts before the VIP; the monitor last.
  const idx = (s: string) => ops.indexOf(s);
  assert.equal(ops.filter((o) => o.includes('_monitor_0@')).length, 4);
  assert.ok(idx('ldap_service_start_0@server1') < idx('ldap_vip_start_0@server1'));
  assert.ok(idx('ldap_service_monitor_5000@server1') > idx('ldap_service_start_0@server1'));
  assert.ok(twin.stable);
  assert.equal(twin.aborted, 0);
  // The status section now holds what the scheduler reads: a started resource stays put on reschedule.
  const status = twin.schedules.at(-1)!.xml;
  assert.match(status, /id="ldap_service_last_0"[^>]*operation="start"/);
  assert.match(status, /id="ldap_service_monitor_5000"[^>]*rc-code="0"/);
});

test('seed 003 timing: the first monitor result waits for start-delay=15s', () => {
  const twin = new ControllerTwin({ cibXml: seedCib(), execMs: 10 }).settle();
  // probes (10 ms, in parallel) + service start, then the VIP start and the monitor (after 15 s start-delay) run in
  // parallel: the monitor waits only for its own start.
  assert.equal(twin.now - Date.parse('2026-01-01T00:00:00Z'), 10 + 10 + 15_000 + 10);
});

test('a monitor failure restarts the resource in place (on-fail=restart), fail count 1', async () => {
  const twin = new ControllerTwin({ cibXml: seedCib({ onFail: 'restart' }) }).settle();
  twin.kill('server1', 'ldap_service');
  twin.advance(6_000);
  assert.deepEqual(twin.where('ldap_service'), ['server1']);
  assert.deepEqual(twin.where('ldap_vip'), ['server1']);
  assert.ok(twin.log.some((l) => /ldap_service_stop_0@server1.*ldap_service_start_0@server1/.test(l)), twin.log.join('\n'));
  assert.match(twin.schedules.at(-1)!.xml, /name="fail-count-ldap_service#monitor_5000" value="1"/);
  await agreesWithOracle(twin);
});

test('a second failure reaches migration-threshold=2: the group moves; failure-timeout=90s brings it back', async () => {
  const twin = new ControllerTwin({ cibXml: seedCib({ onFail: 'restart' }) }).settle();
  twin.kill('server1', 'ldap_service');
  twin.advance(20_000);
  twin.kill('server1', 'ldap_service');
  twin.advance(6_000);
  assert.deepEqual(twin.where('ldap_service'), ['server2']);
  assert.deepEqual(twin.where('ldap_vip'), ['server2']);
  twin.advance(60_000);
  assert.deepEqual(twin.where('ldap_service'), ['server2'], 'still inside failure-timeout');
  twin.advance(40_000);
  assert.deepEqual(twin.where('ldap_service'), ['server1'], 'failure expired: back to the preferred node');
  assert.deepEqual(twin.where('ldap_vip'), ['server1']);
  await agreesWithOracle(twin);
});

test('on-fail=standby (seed 003 as written): the node goes to standby and the whole group moves, until failure-timeout', async () => {
  const twin = new ControllerTwin({ cibXml: seedCib() }).settle();
  twin.kill('server1', 'ldap_service');
  twin.advance(6_000);
  assert.deepEqual(twin.where('ldap_service'), ['server2']);
  assert.deepEqual(twin.where('ldap_vip'), ['server2']);
  twin.advance(100_000);
  assert.deepEqual(twin.where('ldap_service'), ['server1']);
  await agreesWithOracle(twin);
});

test('a node lost in the middle of a transition aborts it; the replan starts the group on a survivor', async () => {
  const twin = new ControllerTwin({ cibXml: seedCib({ nodes: 3 }), execMs: 1_000 });
  // Probes run (1 s), then ldap_service starts on server1: lose server1 while that start is in flight.
  twin.runFor(1_500);
  assert.equal(twin.transitions, 1);
  assert.deepEqual(twin.where('ldap_service'), [], 'the start is still in flight');
  twin.loseNode('server1');
  twin.settle();
  assert.ok(twin.log.some((l) => /aborted: node server1 lost/.test(l)), twin.log.join('\n'));
  assert.equal(twin.where('ldap_service').length, 1);
  assert.notDeepEqual(twin.where('ldap_service'), ['server1']);
  assert.deepEqual(twin.where('ldap_vip'), twin.where('ldap_service'));
  // server1 comes back: probes there, and the group returns to its preferred node.
  twin.joinNode('server1');
  twin.settle();
  assert.deepEqual(twin.where('ldap_service'), ['server1']);
  assert.deepEqual(twin.where('ldap_vip'), ['server1']);
  await agreesWithOracle(twin);
});

test('a failed start is fatal (start-failure-is-fatal): the group starts on the other node', () => {
  const twin = new ControllerTwin({ cibXml: seedCib({ onFail: 'restart' }) });
  twin.startFaults.add('server1/ldap_service');
  twin.settle();
  assert.deepEqual(twin.where('ldap_service'), ['server2']);
  assert.match(twin.schedules.at(-1)!.xml, /name="fail-count-ldap_service#start_0" value="INFINITY"/);
});

test('the committed seed CIB is the one the tests use', () => {
  assert.match(readFileSync('test/crm/tengine/seed003.xml', 'utf8'), /on-fail="standby"/);
});
