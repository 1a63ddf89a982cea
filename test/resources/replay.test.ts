// Replays the captured heartbeat 3.0.6 run (interop/heartbeat-3.0.6/sha1.jsonl: start, crash, restart, failback,
// shutdown) to Lifeline in either node's place: it must send what the real node sent, in the same order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { millis, nodeName } from '../../src/types.js';
import { initialResourceState, step, type ResourceEffect, type ResourceEvent, type ResourceState } from '../../src/resources/machine.js';
import type { ResourceMessage } from '../../src/resources/messages.js';
import { group } from './sim.js';

const nodea = nodeName('nodea');
const r = (rscHold: 'none' | 'local' | 'foreign' | 'all', isstable: boolean, info?: string): ResourceMessage =>
  ({ t: 'resource', rscHold, rtype: 'full', isstable, ...(info ? { info } : {}) });

// Seconds are the capture's (1795572000 + s). Messages from nodea in heartbeat's processing order (by seq).
const history: Array<[number, ResourceEvent]> = [
  [82.46, { type: 'comm-up', peerDead: false }],
  [82.467, { type: 'message', from: nodea, msg: { t: 'starting' } }],
  [82.97, { type: 'message', from: nodea, msg: r('none', false) }],
  [93.02, { type: 'tick' }], // RQSTDELAY (10 s) after entering "resources received"
  [93.475, { type: 'message', from: nodea, msg: r('none', false) }],
  [93.475, { type: 'message', from: nodea, msg: r('local', true) }],
  [93.546, { type: 'message', from: nodea, msg: { t: 'ip-request-resp', dest: 'nodea', ipaddr: '10.77.0.100/24/eth0', weown: 'yes', ok: 'OK' } }],
  [93.546, { type: 'message', from: nodea, msg: r('local', true, 'req_our_resources()') }],
  [106.53, { type: 'peer-dead' }], // nodea was killed at ~101.7; deadtime 5 s
  [114.5, { type: 'peer-restarted' }],
  [114.594, { type: 'message', from: nodea, msg: { t: 'starting' } }],
  [115.088, { type: 'message', from: nodea, msg: r('none', false) }],
  [115.088, { type: 'message', from: nodea, msg: r('none', true) }],
  [115.589, { type: 'message', from: nodea, msg: { t: 'ask_resources', rscHold: 'foreign', info: 'other' } }],
  [116.774, { type: 'message', from: nodea, msg: { t: 'ask_resources', rscHold: 'foreign', info: 'done' } }],
  [116.774, { type: 'message', from: nodea, msg: r('local', true) }],
  [117.095, { type: 'message', from: nodea, msg: r('local', true) }],
  [133.6, { type: 'shutdown' }],
];

// What the real nodeb sent, in order (capture seq 8 … 4e, resource-related types only).
const expected: ResourceMessage[] = [
  { t: 'starting' },
  r('none', false),
  r('local', true),
  r('local', true, 'req_our_resources()'),
  r('local', true),
  { t: 'stonith', node: 'nodea', result: 'n_stnth' },
  r('all', true, 'req_our_resources()'),
  { t: 'resource', rscHold: 'foreign', info: 'mach_down' },
  r('all', true),
  r('all', true),
  { t: 'ask_resources', rscHold: 'foreign', info: 'me' },
  r('local', false, 'standby'),
  { t: 'ask_resources', rscHold: 'foreign', info: 'done' },
  r('local', true),
  r('local', true),
  r('none', false, 'shutdown'),
  { t: 'shutdone', st: 'dead' },
];

/** Runs a history against a fresh machine whose agents behave; returns what it sent and logged. */
function replay(me: string, peer: string, pid: number, events: Array<[number, ResourceEvent]>): { sent: ResourceMessage[]; log: string[]; running: Set<string> } {
  let s: ResourceState = initialResourceState({
    me: nodeName(me), peer: nodeName(peer), autoFailback: 'on', stonith: false, pid,
    groups: [group('nodea', '10.77.0.100/24/eth0', 'dummysvc')],
  });
  const sent: ResourceMessage[] = [];
  const log: string[] = [];
  const running = new Set<string>();
  const apply = (at: number, effects: readonly ResourceEffect[]): void => {
    for (const fx of effects) {
      if (fx.type === 'send') sent.push(fx.msg);
      if (fx.type === 'log') log.push(fx.text);
      if (fx.type === 'agent') {
        const t = fx.resource.text;
        const ok = fx.action === 'status' ? running.has(t) : true;
        if (fx.action === 'start') running.add(t);
        if (fx.action === 'stop') running.delete(t);
        const res = step(s, { type: 'agent-done', opId: fx.opId, ok }, millis(at * 1000));
        s = res.state;
        apply(at, res.effects);
      }
    }
  };
  for (const [at, ev] of events) {
    const res = step(s, ev, millis(at * 1000));
    s = res.state;
    apply(at, res.effects);
  }
  return { sent, log, running };
}

const nodeb = nodeName('nodeb');

test('Lifeline in the restarted nodea\'s place fails back and takes over at nodeb\'s shutdown as heartbeat\'s nodea did', () => {
  const { sent, log, running } = replay('nodea', 'nodeb', 9817, [
    [114.59, { type: 'comm-up', peerDead: false }],
    [115.042, { type: 'message', from: nodeb, msg: r('all', true) }],
    [115.508, { type: 'message', from: nodeb, msg: r('all', true) }],
    [115.509, { type: 'message', from: nodeb, msg: { t: 'ask_resources', rscHold: 'foreign', info: 'me' } }],
    [116.04, { type: 'message', from: nodeb, msg: r('local', false, 'standby') }],
    [116.13, { type: 'message', from: nodeb, msg: { t: 'ask_resources', rscHold: 'foreign', info: 'done' } }],
    [117.042, { type: 'message', from: nodeb, msg: r('local', true) }],
    [117.042, { type: 'message', from: nodeb, msg: r('local', true) }],
    [133.605, { type: 'message', from: nodeb, msg: r('none', false, 'shutdown') }],
    [133.695, { type: 'message', from: nodeb, msg: { t: 'shutdone', st: 'dead' } }],
    [141.1, { type: 'peer-dead' }],
    [141.6, { type: 'shutdown' }],
  ]);
  const head: ResourceMessage[] = [
    { t: 'starting' }, r('none', false), r('none', true),
    { t: 'ask_resources', rscHold: 'foreign', info: 'other' },
    { t: 'ask_resources', rscHold: 'foreign', info: 'done' }, r('local', true),
    r('local', true),
  ];
  assert.deepEqual(sent.slice(0, head.length), head);
  // At nodeb's shutdone heartbeat runs two children at once (standby acquisition and req_our_resources), so the
  // order of these four depends on timing; the set must be the same.
  const atShutdone: ResourceMessage[] = [
    { t: 'ask_resources', rscHold: 'foreign', info: 'done' }, r('all', true), r('all', true, 'req_our_resources()'),
    { t: 'resource', rscHold: 'foreign', info: 'mach_down' },
  ];
  const key = (m: ResourceMessage): string => JSON.stringify(m);
  assert.deepEqual(sent.slice(head.length, head.length + 4).map(key).sort(), atShutdone.map(key).sort());
  assert.deepEqual(sent.slice(head.length + 4), [
    { t: 'stonith', node: 'nodeb', result: 'unneeded' }, r('none', false, 'shutdown'), { t: 'shutdone', st: 'dead' },
  ]);
  assert.deepEqual([...running], []);
  const want = ['remote resource transition completed.', 'remote resource transition completed.', 'Local Resource acquisition completed. (none)',
    'nodeb wants to go standby [foreign]', 'standby: acquire [foreign] resources from nodeb', 'acquire local HA resources (standby).',
    'Acquiring resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'local HA resource acquisition completed (standby).',
    'Standby resource acquisition done [foreign].', 'Initial resource acquisition complete (auto_failback)',
    'remote resource transition completed.', "Received shutdown notice from 'nodeb'.", 'Resources being acquired from nodeb.',
    'mach_down takeover complete.', 'Dead node nodeb gave up resources.', 'Heartbeat shutdown in progress. (9817)',
    'Giving up all HA resources.', 'Releasing resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'All HA resources relinquished.'];
  let i = 0;
  for (const l of log) if (l === want[i]) i++;
  assert.equal(i, want.length, `log line not reached in order: ${want[i]}\n${log.join('\n')}`);
});

test('Lifeline in nodeb\'s place sends what heartbeat\'s nodeb sent, message for message', () => {
  const { sent, log, running } = replay('nodeb', 'nodea', 9092, history);
  assert.deepEqual(sent, expected);
  assert.deepEqual([...running], [], 'everything released at shutdown');
  // And the log lines of the real nodeb, in its order.
  const want = ['local resource transition completed.', 'Initial resource acquisition complete (T_RESOURCES(us))',
    'No local resources [/usr/share/heartbeat/ResourceManager listkeys nodeb] to acquire.', 'remote resource transition completed.',
    'No STONITH device configured.', 'Shared disks are not protected.', 'Resources being acquired from nodea.',
    'Taking over resource group 10.77.0.100/24/eth0', 'Acquiring resource group: nodea 10.77.0.100/24/eth0 dummysvc',
    '/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired', 'mach_down takeover complete for node nodea.',
    'mach_down takeover complete.', 'remote resource transition completed.', 'nodeb wants to go standby [foreign]',
    'standby: nodea can take our foreign resources', 'give up foreign HA resources (standby).',
    'Releasing resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'foreign HA resource release completed (standby).',
    'Local standby process completed [foreign].', 'Other node completed standby takeover of foreign resources.',
    'remote resource transition completed.', 'Heartbeat shutdown in progress. (9092)', 'Giving up all HA resources.',
    'Releasing resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'All HA resources relinquished.'];
  let i = 0;
  for (const l of log) if (l === want[i]) i++;
  assert.equal(i, want.length, `log line not reached in order: ${want[i]}\n${log.join('\n')}`);
});
