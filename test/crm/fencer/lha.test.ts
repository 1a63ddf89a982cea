// A cluster-glue plugin as a stonith: device (Pacemaker's st_lha class): the real `stonith` command with the null
// plugin, its host list asked with -l (dynamic-list), reset through -T; driven through the daemon-facing consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { agentCommand, deviceFromPrimitive, fencerConsumer } from '../../../src/crm/fencer/index.js';
import { cib } from './twin.js';

const skip = existsSync('/usr/sbin/stonith') ? false : 'needs cluster-glue';

test('cluster-glue plugins run as stonith -t TYPE name=value... (-T reset NODE, -l, -S), pcmk_* kept out', () => {
  const d = deviceFromPrimitive({ kind: 'primitive', id: 'st', cls: 'stonith', type: 'external/ipmi', meta: new Map(), ops: [],
    params: new Map([['hostname', 'node2'], ['ipaddr', '10.244.1.5'], ['pcmk_host_list', 'node2']]) });
  assert.deepEqual(agentCommand(d, 'reboot', 'node2').argv, ['/usr/sbin/stonith', '-t', 'external/ipmi', 'hostname=node2', 'ipaddr=10.244.1.5', '-T', 'reset', 'node2']);
  assert.deepEqual(agentCommand(d, 'off', 'node2').argv.slice(-3), ['-T', 'off', 'node2']);
  assert.deepEqual(agentCommand(d, 'list', undefined).argv.at(-1), '-l');
});

test('stonith:null through the fencer consumer: dynamic list from the plugin, reboot OK, an unlisted node has no device', { skip, timeout: 30_000 }, async () => {
  const lines: string[] = [];
  const notified: string[] = [];
  const c = fencerConsumer({ nodeName: 'node1', notify: (r) => notified.push(`${r.target} ${r.ok}`) });
  await c.setCib(cib([{ id: 'st_null', agent: 'null', params: { hostlist: 'node2 node3' } }]));
  c.start({ log: (l, t) => lines.push(`${l}: ${t}`) });
  assert.ok(lines.some((l) => /pacemaker-fenced: Added 'st_null' to device list \(1 active device\)/.test(l)), 'lines logged before start are kept');
  const ok = await c.fence({ target: 'node2', action: 'reboot', client: 'pacemaker-controld.1', origin: 'node1' });
  assert.equal(ok.ok, true, lines.join('\n'));
  assert.ok(lines.some((l) => /st_null is eligible to fence \(reboot\) node2: dynamic-list/.test(l)));
  assert.ok(lines.some((l) => /pacemaker-controld: Peer node2 was terminated \(reboot\) by node1 on behalf of pacemaker-controld\.1@node1: OK/.test(l)));
  const none = await c.fence({ target: 'node4', action: 'reboot', client: 'pacemaker-controld.1', origin: 'node1' });
  assert.equal(none.execStatus, 'No fence device');
  assert.ok(lines.some((l) => /Peer node4 was not terminated \(reboot\) by unknown node on behalf of pacemaker-controld\.1@node1: No fence device/.test(l)));
  assert.deepEqual(notified, ['node2 true', 'node4 false']);
  assert.deepEqual(await c.control({ cmd: 'fence_list_registered' }), { ok: true, devices: ['st_null'] });
  c.stop();
});
