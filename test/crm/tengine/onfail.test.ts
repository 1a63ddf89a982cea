// on-fail as the scheduler now decides it, on the project's own CIBs (committed beside this file), with fixed
// expectations and, where crm_simulate is installed, its decision on the very same file at the same time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../../../src/crm/scheduler.js';
import { formatSummary, formatSimulation } from '../../../src/crm/scheduler-output.js';
import { normalizeLine } from '../../../src/io/crm-simulate-oracle.js';
import { compareFile } from '../../../src/io/crm-differential.js';
import { haveOracle } from './helpers.js';

const at = (s: string) => Date.parse(s.replace(' ', 'T')) / 1000;
const file = (name: string) => `test/crm/tengine/${name}.xml`;

async function decide(name: string, date: string) {
  const xml = readFileSync(file(name), 'utf8');
  const cib = parseCib(xml);
  assert.ok(cib.ok);
  assert.deepEqual(unsupportedFeatures(cib.value), []);
  const t = schedule(cib.value, { now: at(date) });
  if (haveOracle) {
    const r = await compareFile(name, file(name), xml, at(date), date);
    assert.equal(r.status, 'pass', r.detail);
  }
  return { t, cib: cib.value, summary: formatSummary(t.summary).map(normalizeLine) };
}

test('on-fail=standby: a failed monitor puts server1 in standby; the group recovers on server2', async () => {
  const { t, cib, summary } = await decide('standby-onfail', '2026-01-01 00:01:00Z');
  assert.deepEqual(summary, ['* Recover ldap_service ( server1 -> server2 )', '* Move ldap_vip ( server1 -> server2 )']);
  assert.deepEqual(t.nodes.map((n) => [n.uname, n.standby, n.standbyOnFail ?? false]), [['server1', true, true], ['server2', false, false]]);
  const text = formatSimulation(cib, t, false);
  assert.match(text, /\* Node server1: standby \(on-fail\)/);
  if (haveOracle) {
    const theirs = spawnSync('crm_simulate', ['-x', file('standby-onfail'), '-S', '-t', '2026-01-01 00:01:00Z'], { encoding: 'utf8' }).stdout;
    assert.match(theirs, /\* Node server1: standby \(on-fail\)/);
  }
});

test('on-fail=standby stays after the stop (a completed stop does not clear it) and ends with failure-timeout', async () => {
  assert.deepEqual((await decide('standby-after-stop', '2026-01-01 00:01:00Z')).summary,
    ['* Start ldap_service ( server2 )', '* Move ldap_vip ( server1 -> server2 )']);
  const late = await decide('standby-onfail', '2026-01-01 00:03:00Z');
  assert.deepEqual(late.summary, []);
  assert.equal(late.t.nodes[0]!.standby, false);
});

test('on-fail=restart: a completed start after the failure clears it (no second recovery)', async () => {
  const { summary, t } = await decide('restart-cleared', '2026-01-01 00:01:00Z');
  assert.deepEqual(summary, []);
  assert.equal(t.current.get('ldap_service')!.failed, false);
});

test('on-fail=block is still refused (Pacemaker then stops the group members after the blocked one)', () => {
  const xml = readFileSync(file('standby-onfail'), 'utf8').replace('on-fail="standby"', 'on-fail="block"');
  const cib = parseCib(xml);
  assert.ok(cib.ok);
  assert.deepEqual(unsupportedFeatures(cib.value), ['on-fail=block (ldap_service)']);
});
