// The bridge from membership reports to ownership events: initdead deaths fold into comm-up, later deaths,
// restarts and healed partitions become events, our own loopback messages are dropped, bad ones counted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeName } from '../../src/types.js';
import type { HaMessage } from '../../src/wire/message.js';
import { bridge, initialBridgeState, type BridgeState, type MembershipReport } from '../../src/resources/membership-bridge.js';
import type { ResourceEvent } from '../../src/resources/machine.js';
import type { MembershipEffect } from '../../src/membership/index.js';

// Compile-time check: every effect of the real membership machine is a report the bridge accepts.
export const membershipEffectsAreReports = (e: MembershipEffect): MembershipReport => e;

const me = nodeName('nodeb');
const peer = nodeName('nodea');
const msg = (...pairs: Array<[string, string]>): HaMessage => ({ fields: pairs.map(([name, value]) => ({ name, type: 0 as const, value })) });

function run(reports: MembershipReport[]): { state: BridgeState; events: ResourceEvent[] } {
  let state = initialBridgeState;
  const events: ResourceEvent[] = [];
  for (const r of reports) { const out = bridge(state, r, me, peer); state = out.state; events.push(...out.events); }
  return { state, events };
}

test('a peer never heard before initdead is dead at comm-up, not a separate death', () => {
  const { events } = run([
    { kind: 'node-status', node: peer, status: 'dead', previous: 'init' },
    { kind: 'node-status', node: me, status: 'active', previous: 'up' },
    { kind: 'comm-up' },
  ]);
  assert.deepEqual(events, [{ type: 'comm-up', peerDead: true }]);
});

test('after comm-up a death, a restart and a healed partition become events; our own status changes do not', () => {
  const { events } = run([
    { kind: 'node-status', node: peer, status: 'active', previous: 'up' },
    { kind: 'comm-up' },
    { kind: 'comm-up' },
    { kind: 'node-status', node: me, status: 'dead', previous: 'active' },
    { kind: 'node-status', node: peer, status: 'dead', previous: 'active' },
    { kind: 'node-status', node: peer, status: 'dead', previous: 'dead' },
    { kind: 'node-restarted', node: peer },
    { kind: 'partition-healed', node: peer },
    { kind: 'link-status' },
  ]);
  assert.deepEqual(events, [{ type: 'comm-up', peerDead: false }, { type: 'peer-dead' }, { type: 'peer-restarted' }, { type: 'peer-returned' }]);
});

test('a peer dead at comm-up that is heard later is alive again; after a heal or a restart that is no news', () => {
  const first = run([
    { kind: 'node-status', node: peer, status: 'dead', previous: 'init' },
    { kind: 'comm-up' },
    { kind: 'node-status', node: peer, status: 'up', previous: 'dead' },
    { kind: 'node-status', node: peer, status: 'active', previous: 'up' },
    { kind: 'node-status', node: peer, status: 'dead', previous: 'active' },
  ]);
  assert.deepEqual(first.events, [{ type: 'comm-up', peerDead: true }, { type: 'peer-alive' }, { type: 'peer-dead' }]);
  const again = run([
    { kind: 'comm-up' },
    { kind: 'node-status', node: peer, status: 'dead', previous: 'active' },
    { kind: 'node-restarted', node: peer },
    { kind: 'node-status', node: peer, status: 'up', previous: 'dead' },
  ]);
  assert.deepEqual(again.events, [{ type: 'comm-up', peerDead: false }, { type: 'peer-dead' }, { type: 'peer-restarted' }]);
});

test('resource messages from the peer are delivered; loopback, API types and broken resource messages are not', () => {
  const { events, state } = run([
    { kind: 'deliver', from: peer, loopback: false, message: msg(['t', 'resource'], ['rsc_hold', 'all'], ['rtype', 'full'], ['isstable', '1'], ['src', 'nodea']) },
    { kind: 'deliver', from: me, loopback: true, message: msg(['t', 'starting'], ['src', 'nodeb']) },
    { kind: 'deliver', from: peer, loopback: false, message: msg(['t', 'status'], ['st', 'active']) },
    { kind: 'deliver', from: peer, loopback: false, message: msg(['t', 'resource'], ['rsc_hold', 'bogus']) },
  ]);
  assert.deepEqual(events, [{ type: 'message', from: peer, msg: { t: 'resource', rscHold: 'all', rtype: 'full', isstable: true } }]);
  assert.equal(state.badMessages, 1);
});
