// A peer declared dead on a "Late heartbeat (> deadtime)" and heard again in the same generation (no restart, no
// "returning after partition"): membership reports dead then active; the ownership machine must stay usable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridge, initialBridgeState, type BridgeState, type MembershipReport } from '../../src/resources/membership-bridge.js';
import { rscStatus } from '../../src/resources/view.js';
import { A, B, Sim, group } from './sim.js';

const groups = [group('nodea', '10.77.0.100/24/eth0', 'dummysvc')];
const VIP = '10.77.0.100/24/eth0';

/** Feeds membership reports to one node of the sim through the bridge, as the daemon does. */
function viaBridge(sim: Sim, bs: BridgeState, me: typeof A, reports: MembershipReport[]): BridgeState {
  for (const r of reports) {
    const out = bridge(bs, r, me, me === A ? B : A);
    bs = out.state;
    for (const ev of out.events) sim.feed(me, ev);
    sim.flush();
  }
  return bs;
}

test('a false death on a late heartbeat: the owner keeps its group and hb_standby still hands it over', () => {
  // Seen in the CTS (seed 3, fault #13): nodeb, started less than 5 s before, advertised dt = deadtime + 2 s;
  // paused 3.8 s, it was not declared dead by nodea's timer but by the late-heartbeat check of its next status
  // (heartbeat's HBDoMsg_T_STATUS: mark_node_dead, then "Status update ... active"). nodea then refused every
  // hb_standby: "standby message [me] from nodea ignored.  Other side is in flux."
  const sim = new Sim(groups, 'on');
  sim.start(A);
  sim.start(B);
  sim.advance(15_000);
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  let bs = viaBridge(sim, initialBridgeState, A, [
    { kind: 'node-status', node: B, status: 'active', previous: 'up' },
    { kind: 'comm-up' },
  ]);
  bs = viaBridge(sim, bs, A, [
    { kind: 'node-status', node: B, status: 'dead', previous: 'active' },
    { kind: 'node-status', node: B, status: 'active', previous: 'dead' },
  ]);
  sim.advance(5_000);
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'nodea kept its group; nodeb took nothing');
  assert.equal(rscStatus(sim.node(A).state), 'all', 'nothing in flux (mach_down adds the foreign bit, as in heartbeat)');
  assert.ok(sim.node(A).state.otherStable, 'heartbeat keeps other_is_stable as mach_down left it (TRUE)');
  sim.feed(A, { type: 'standby', which: 'all' });
  sim.advance(15_000);
  assert.ok(!sim.node(A).log.some((l) => /ignored\.\s+Other side is in flux/.test(l)), sim.node(A).log.slice(-20).join('\n'));
  assert.deepEqual(sim.owners(VIP), ['nodeb'], 'hb_standby on nodea moved the group');
  // The dead latch is cleared: nodeb's next real death is recovered.
  sim.crash(B);
  bs = viaBridge(sim, bs, A, [{ kind: 'node-status', node: B, status: 'dead', previous: 'active' }]);
  sim.advance(5_000);
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'nodea took the group back when nodeb died');
});

test('the bridge: a known peer back from a death in the same generation is peer-back, not a new peer', () => {
  let bs = initialBridgeState;
  const events: string[] = [];
  for (const r of [
    { kind: 'node-status', node: B, status: 'active', previous: 'up' },
    { kind: 'comm-up' },
    { kind: 'node-status', node: B, status: 'dead', previous: 'active' },
    { kind: 'node-status', node: B, status: 'active', previous: 'dead' },
    // A healed partition (its line comes before the status update) is peer-returned only.
    { kind: 'node-status', node: B, status: 'dead', previous: 'active' },
    { kind: 'partition-healed', node: B },
    { kind: 'node-status', node: B, status: 'active', previous: 'dead' },
  ] as MembershipReport[]) {
    const out = bridge(bs, r, A, B);
    bs = out.state;
    events.push(...out.events.map((e) => e.type));
  }
  assert.deepEqual(events, ['comm-up', 'peer-dead', 'peer-back', 'peer-dead', 'peer-returned']);
});
