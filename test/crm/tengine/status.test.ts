// The status writer: what it records reads back through parseCib as the scheduler needs it (history order,
// expected rc from the transition key, fail counts), and a stop cancels the recurring monitor entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseXml } from '../../../src/crm/xml-lite.js';
import { printXml } from '../../../src/crm/cib-store/tree.js';
import { parseCib } from '../../../src/crm/cib.js';
import { recordOp, countFailure, setNodeMembership, transientAttr, type OpRecord } from '../../../src/crm/tengine/status.js';

const base = () => { const d = parseXml(readFileSync('test/crm/tengine/seed003.xml', 'utf8')); assert.ok(d.ok); return setNodeMembership(d.root, 'server1', true); };
const rec = (task: string, intervalMs: number, callId: number, rc: number, expected = 0): OpRecord => ({
  node: 'server1', rsc: 'ldap_service', cls: 'ocf', provider: 'heartbeat', type: 'ldap', task, intervalMs, callId, rc, execStatus: 0,
  transitionKey: `${callId}:3:${expected}:1`, lastRcChange: 1767225600 + callId, execTimeMs: 12, opDigest: 'd' });

test('start, monitor, failure: last_0, monitor_5000 and last_failure_0 entries, read back with their expected rc', () => {
  let cib = recordOp(base(), rec('start', 0, 1, 0));
  cib = recordOp(cib, rec('monitor', 5000, 2, 0));
  cib = recordOp(cib, rec('monitor', 5000, 3, 7));
  const parsed = parseCib(printXml(cib));
  assert.ok(parsed.ok);
  const ops = parsed.value.nodes.find((n) => n.uname === 'server1')!.history.get('ldap_service')!;
  assert.deepEqual(ops.map((o) => `${o.id}:${o.operation}:${o.intervalMs}:${o.callId}:${o.rc}:${o.expectedRc}`).sort(), [
    'ldap_service_last_0:start:0:1:0:0', 'ldap_service_last_failure_0:monitor:5000:3:7:0', 'ldap_service_monitor_5000:monitor:5000:3:7:0']);
  assert.match(printXml(cib), /transition-magic="0:7;3:3:0:1"/);
});

test('a completed stop removes the recurring monitor entry but keeps the last failure; a probe rc 7 is no failure', () => {
  let cib = recordOp(base(), rec('monitor', 0, 1, 7, 7));
  cib = recordOp(cib, rec('start', 0, 2, 0));
  cib = recordOp(cib, rec('monitor', 5000, 3, 7));
  cib = recordOp(cib, rec('stop', 0, 4, 0));
  const xml = printXml(cib);
  assert.doesNotMatch(xml, /id="ldap_service_monitor_5000"/);
  assert.match(xml, /id="ldap_service_last_failure_0"[^>]*call-id="3"/);
  assert.match(xml, /id="ldap_service_last_0"[^>]*operation="stop"/);
  const probeOnly = printXml(recordOp(base(), rec('monitor', 0, 1, 7, 7)));
  assert.doesNotMatch(probeOnly, /last_failure/);
});

test('fail counts grow per operation and become INFINITY for a fatal start failure', () => {
  let cib = countFailure(base(), 'server1', 'ldap_service', 'monitor', 5000, 100, false);
  cib = countFailure(cib, 'server1', 'ldap_service', 'monitor', 5000, 130, false);
  assert.equal(transientAttr(cib, 'server1', 'fail-count-ldap_service#monitor_5000'), '2');
  assert.equal(transientAttr(cib, 'server1', 'last-failure-ldap_service#monitor_5000'), '130');
  cib = countFailure(cib, 'server1', 'ldap_service', 'start', 0, 140, true);
  assert.equal(transientAttr(cib, 'server1', 'fail-count-ldap_service#start_0'), 'INFINITY');
  const parsed = parseCib(printXml(cib));
  assert.ok(parsed.ok);
  assert.equal(parsed.value.nodes.find((n) => n.uname === 'server1')!.transient.get('fail-count-ldap_service#monitor_5000'), '2');
});
