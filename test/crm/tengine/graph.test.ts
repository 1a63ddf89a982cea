// The transition graph against Pacemaker's own (crm_simulate -G) on the CIBs the twin lives through: the same
// actions (probes, starts, stops, monitors, group pseudo-actions) with the same inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule } from '../../../src/crm/scheduler.js';
import { buildGraph } from '../../../src/crm/tengine/graph.js';
import { seedCib, sameGraphsAsPacemaker, ourGraph, haveOracle } from './helpers.js';

test('seed 003 from scratch: probes before starts, the group pseudo-actions, the monitor after its start', () => {
  const twin = new ControllerTwin({ cibXml: seedCib() });
  const first = twin.settle().schedules[0]!;
  const parsed = parseCib(first.xml);
  assert.ok(parsed.ok);
  const g = ourGraph(buildGraph(parsed.value, schedule(parsed.value, { now: first.now }), 1, 'dc'));
  assert.deepEqual(g.get('ldap_service_start_0@server1'), ['ldap_service_monitor_0@server1', 'ldap_service_monitor_0@server2', 'ldap_start_0@-']);
  assert.deepEqual(g.get('ldap_vip_start_0@server1'), ['ldap_service_start_0@server1', 'ldap_start_0@-', 'ldap_vip_monitor_0@server1', 'ldap_vip_monitor_0@server2']);
  assert.deepEqual(g.get('ldap_running_0@-'), ['ldap_service_start_0@server1', 'ldap_start_0@-', 'ldap_vip_start_0@server1']);
  assert.deepEqual(g.get('ldap_service_monitor_5000@server1'), ['ldap_service_start_0@server1']);
  assert.equal(g.size, 9);
});

test('graphs equal crm_simulate -G through restart, move, standby, failure expiry, node loss and rejoin', (t) => {
  if (!haveOracle) { t.skip('crm_simulate not installed'); return; }
  let compared = 0;
  const restart = new ControllerTwin({ cibXml: seedCib({ onFail: 'restart' }) }).settle();
  restart.kill('server1', 'ldap_service'); restart.advance(20_000);
  restart.kill('server1', 'ldap_service'); restart.advance(100_000);
  compared += sameGraphsAsPacemaker(restart, 50);
  const standby = new ControllerTwin({ cibXml: seedCib() }).settle();
  standby.kill('server1', 'ldap_service'); standby.advance(100_000);
  compared += sameGraphsAsPacemaker(standby, 50);
  const lost = new ControllerTwin({ cibXml: seedCib({ nodes: 3 }), execMs: 1_000 });
  lost.runFor(1_500); lost.loseNode('server1'); lost.settle(); lost.joinNode('server1'); lost.settle();
  compared += sameGraphsAsPacemaker(lost, 50);
  t.diagnostic(`${compared} graphs compared`);
  assert.ok(compared >= 15, `compared ${compared}`);
});
