// Scenarios for the haresources ownership machine, two nodes in memory with a fake clock:
// start-up, crash takeover, failback per auto_failback, graceful shutdown, standby, failed start, split brain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { millis } from '../../src/types.js';
import { initialResourceState, step, heldGroups } from '../../src/resources/machine.js';
import { A, B, Sim, group } from './sim.js';

const groups = [group('nodea', '10.77.0.100/24/eth0', 'dummysvc')];
const VIP = '10.77.0.100/24/eth0';

function bothStarted(mode: 'on' | 'off' | 'legacy'): Sim {
  const sim = new Sim(groups, mode);
  sim.start(A);
  sim.start(B);
  sim.advance(15_000);
  return sim;
}

/** Asserts the log contains these lines in this order (other lines may come between). */
function inOrder(log: string[], lines: string[]): void {
  let i = 0;
  for (const l of log) if (i < lines.length && l === lines[i]) i++;
  assert.equal(i, lines.length, `missing in order: ${JSON.stringify(lines[i])}\nlog:\n${log.join('\n')}`);
}

test('both nodes start together: after RQSTDELAY the preferred node acquires its group, the other holds nothing', () => {
  const sim = new Sim(groups, 'on');
  sim.start(A);
  sim.start(B);
  assert.deepEqual(sim.node(A).sent[0], { t: 'starting' });
  sim.advance(9_000);
  assert.deepEqual(sim.owners(VIP), [], 'nobody takes anything before the 10 s request delay');
  sim.advance(2_000);
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  assert.deepEqual(sim.owners('dummysvc'), ['nodea']);
  assert.deepEqual(sim.node(A).calls, ['status 10.77.0.100/24/eth0', 'start 10.77.0.100/24/eth0', 'status dummysvc', 'start dummysvc']);
  inOrder(sim.node(A).log, ['local resource transition completed.', 'Initial resource acquisition complete (T_RESOURCES(us))',
    'Acquiring resource group: nodea 10.77.0.100/24/eth0 dummysvc']);
  inOrder(sim.node(B).log, ['No local resources [/usr/share/heartbeat/ResourceManager listkeys nodeb] to acquire.']);
  assert.ok(sim.node(B).log.includes('Initial resource acquisition complete (T_RESOURCES(us))'));
  // nodea said `resource rsc_hold=local rtype=full isstable=1` as in the capture.
  assert.ok(sim.node(A).sent.some((m) => m.t === 'resource' && m.rscHold === 'local' && m.isstable === true));
  assert.deepEqual(heldGroups(sim.node(A).state), [0]);
});

test('crash of the owner: the survivor warns about STONITH and takes the group over (mach_down)', () => {
  const sim = bothStarted('on');
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.deepEqual(sim.owners('dummysvc'), ['nodeb']);
  inOrder(sim.node(B).log, ['No STONITH device configured.', 'Shared disks are not protected.', 'Resources being acquired from nodea.',
    'Taking over resource group 10.77.0.100/24/eth0', 'Acquiring resource group: nodea 10.77.0.100/24/eth0 dummysvc',
    '/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired', 'mach_down takeover complete for node nodea.',
    'mach_down takeover complete.']);
  // Messages in the capture's order: stonith n_stnth, resource all (req_our_resources()), resource foreign mach_down.
  const sent = sim.node(B).sent.slice(-3);
  assert.deepEqual(sent[0], { t: 'stonith', node: 'nodea', result: 'n_stnth' });
  assert.deepEqual(sent[1], { t: 'resource', rscHold: 'all', rtype: 'full', isstable: true, info: 'req_our_resources()' });
  assert.deepEqual(sent[2], { t: 'resource', rscHold: 'foreign', info: 'mach_down' });
});

test('auto_failback on: the restarted preferred node gets its group back through the standby protocol, never two owners', () => {
  const sim = bothStarted('on');
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.advance(1_000);
  sim.restart(A, groups, 'on');
  // Step through in small increments, checking the one-owner invariant at every instant.
  for (let i = 0; i < 40; i++) {
    sim.advance(500);
    assert.ok(sim.owners(VIP).length <= 1, 'VIP on two nodes');
  }
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  assert.deepEqual(sim.owners('dummysvc'), ['nodea']);
  inOrder(sim.node(B).log, ['remote resource transition completed.', 'nodeb wants to go standby [foreign]',
    'standby: nodea can take our foreign resources', 'give up foreign HA resources (standby).',
    'Releasing resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'foreign HA resource release completed (standby).',
    'Local standby process completed [foreign].', 'Other node completed standby takeover of foreign resources.']);
  inOrder(sim.node(A).log, ['remote resource transition completed.', 'remote resource transition completed.',
    'Local Resource acquisition completed. (none)', 'nodeb wants to go standby [foreign]', 'standby: acquire [foreign] resources from nodeb',
    'acquire local HA resources (standby).', 'local HA resource acquisition completed (standby).',
    'Standby resource acquisition done [foreign].', 'Initial resource acquisition complete (auto_failback)']);
  // nodeb's messages match the capture: ask_resources foreign me → resource local 0 standby → ask_resources foreign done.
  const b = sim.node(B).sent.filter((m) => m.t === 'ask_resources' || (m.t === 'resource' && m.info === 'standby'));
  assert.deepEqual(b, [
    { t: 'ask_resources', rscHold: 'foreign', info: 'me' },
    { t: 'resource', rscHold: 'local', rtype: 'full', isstable: false, info: 'standby' },
    { t: 'ask_resources', rscHold: 'foreign', info: 'done' },
  ]);
});

test('auto_failback off: the restarted preferred node leaves the group where it runs', () => {
  const sim = bothStarted('off');
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.advance(1_000);
  sim.restart(A, groups, 'off');
  sim.advance(30_000);
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.ok(sim.node(A).log.includes('Local Resource acquisition completed. (none)'));
  assert.ok(sim.node(A).log.includes('Initial resource acquisition complete (T_RESOURCES(them))'));
  assert.ok(!sim.node(B).sent.some((m) => m.t === 'ask_resources'), 'no failback attempted');
});

test('auto_failback legacy: ip-request/ip-request-resp hand the group to its preferred node, also after a crash', () => {
  const sim = bothStarted('legacy');
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  assert.deepEqual(sim.node(A).sent[0], { t: 'ip-request', ipaddr: VIP });
  assert.deepEqual(sim.node(B).sent[0], { t: 'ip-request-resp', dest: 'nodea', ipaddr: VIP, weown: 'no', ok: 'OK' });
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  sim.restart(A, groups, 'legacy');
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'normal failback: the preferred node asks and gets it back');
  assert.ok(sim.node(B).sent.some((m) => m.t === 'ip-request-resp' && m.weown === 'yes'));
  // The release ran before the answer: nodeb stopped dummysvc before nodea started the VIP.
  assert.deepEqual(sim.node(B).calls.slice(-2), ['stop dummysvc', 'stop 10.77.0.100/24/eth0']);
});

test('graceful shutdown of the holder: it gives everything up, sends shutdone, and the peer takes over at once', () => {
  const sim = bothStarted('off');
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.advance(1_000);
  sim.restart(A, groups, 'off');
  sim.advance(20_000);
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  sim.feed(B, { type: 'shutdown' });
  sim.flush();
  assert.equal(sim.node(B).shutdownComplete, true);
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  inOrder(sim.node(B).log, ['Heartbeat shutdown in progress. (1)', 'Giving up all HA resources.',
    'Releasing resource group: nodea 10.77.0.100/24/eth0 dummysvc', 'All HA resources relinquished.']);
  const last = sim.node(B).sent.slice(-1)[0];
  assert.deepEqual(last, { t: 'shutdone', st: 'dead' });
  assert.ok(sim.node(B).sent.some((m) => m.t === 'resource' && m.rscHold === 'none' && m.info === 'shutdown' && m.isstable === false));
  inOrder(sim.node(A).log, ["Received shutdown notice from 'nodeb'.", 'Resources being acquired from nodeb.']);
  // Then membership declares the stopped node dead: nothing to STONITH, nothing more to take.
  sim.node(B).up = false;
  sim.feed(A, { type: 'peer-dead' });
  sim.flush();
  assert.ok(sim.node(A).log.includes('Dead node nodeb gave up resources.'));
  assert.deepEqual(sim.node(A).sent.slice(-1)[0], { t: 'stonith', node: 'nodeb', result: 'unneeded' });
  assert.deepEqual(sim.owners(VIP), ['nodea']);
});

test('hb_standby on the owner moves its group to the peer; hb_takeover from the peer brings it back', () => {
  const sim = bothStarted('off');
  sim.feed(A, { type: 'standby', which: 'all' });
  sim.advance(1_000);
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.ok(sim.node(A).log.includes('Going standby [all].'));
  sim.feed(A, { type: 'takeover', which: 'all' });
  sim.advance(1_000);
  assert.deepEqual(sim.node(A).sent.find((m) => m.t === 'hb_takeover'), { t: 'hb_takeover', rscHold: 'all' });
  assert.deepEqual(sim.owners(VIP), ['nodea']);
});

test('a failed start stops what was started in reverse, logs heartbeat\'s CRIT line and hands the group to the peer', () => {
  const sim = new Sim(groups, 'on');
  sim.node(A).failStart.add('dummysvc');
  sim.start(A);
  sim.start(B);
  sim.advance(11_000);
  assert.deepEqual(sim.owners(VIP), [], 'the VIP started before the failure was stopped again');
  assert.deepEqual(sim.node(A).calls, ['status 10.77.0.100/24/eth0', 'start 10.77.0.100/24/eth0', 'status dummysvc',
    'start dummysvc', 'stop dummysvc', 'stop 10.77.0.100/24/eth0']);
  assert.ok(sim.node(A).log.includes('Giving up resources due to failure of dummysvc'));
  sim.advance(31_000);
  assert.ok(sim.node(A).log.includes('Going standby [local].'));
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.deepEqual(sim.owners('dummysvc'), ['nodeb']);
});

test('the dead peer comes back while the takeover is still running: the takeover finishes, then one failback', () => {
  const sim = bothStarted('on');
  sim.crash(A);
  sim.node(B).paused = true; // IPaddr start is slow
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  sim.restart(A, groups, 'on');
  sim.flush();
  assert.ok(sim.node(B).log.includes('T_STARTING received during takeover.'));
  assert.deepEqual(sim.owners(VIP), []);
  sim.node(B).paused = false;
  for (let i = 0; i < 40; i++) { sim.advance(500); assert.ok(sim.owners(VIP).length <= 1); }
  assert.deepEqual(sim.owners(VIP), ['nodea']);
  assert.deepEqual(sim.owners('dummysvc'), ['nodea']);
});

test('a healed partition with two owners ends with exactly one: one node gives up and restarts', () => {
  const sim = bothStarted('on');
  sim.linked = false;
  sim.feed(A, { type: 'peer-dead' });
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  assert.deepEqual(sim.owners(VIP).sort(), ['nodea', 'nodeb'], 'split brain while partitioned');
  sim.linked = true;
  sim.feed(A, { type: 'peer-returned' });
  sim.feed(B, { type: 'peer-returned' });
  let restarted = 0;
  for (let i = 0; i < 80; i++) {
    sim.advance(500);
    for (const n of [A, B]) {
      if (sim.node(n).shutdownComplete && sim.node(n).up) {
        restarted++;
        sim.node(n).shutdownComplete = false;
        sim.restart(n, groups, 'on');
      }
    }
  }
  assert.equal(restarted, 1, 'exactly one node restarts');
  assert.equal(sim.owners(VIP).length, 1);
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'auto_failback on: the preferred node ends with it');
});

test('with a STONITH device the survivor resets the dead node first and takes over only after success', () => {
  const sim = new Sim(groups, 'on', { stonith: true });
  sim.start(A); sim.start(B); sim.advance(15_000);
  sim.crash(A);
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  assert.ok(sim.trace.includes('nodeb: STONITH nodea'));
  assert.deepEqual(sim.owners(VIP), [], 'nothing taken before the reset');
  sim.feed(B, { type: 'stonith-done', node: A, ok: false });
  sim.flush();
  assert.deepEqual(sim.owners(VIP), [], 'a failed reset takes nothing (the fencing layer retries)');
  sim.feed(B, { type: 'stonith-done', node: A, ok: true });
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.ok(!sim.node(B).log.includes('No STONITH device configured.'));
});

test('alone at start-up (initdead passed, peer never heard) the node takes every group', () => {
  const sim = new Sim(groups, 'on');
  sim.start(B, true);
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.ok(sim.node(B).log.includes('No STONITH device configured.'));
});

test('a node that started alone takes the group over when the peer that joined later dies (also with hb_standby at once)', () => {
  for (const standby of [false, true]) {
    const sim = new Sim(groups, 'on');
    sim.start(B, true);
    sim.flush();
    assert.deepEqual(sim.owners(VIP), ['nodeb']);
    // nodea was never heard: membership reports no restart, only that its status left `dead`.
    sim.start(A);
    sim.feed(B, { type: 'peer-alive' });
    sim.advance(20_000);
    assert.deepEqual(sim.owners(VIP), ['nodea'], 'auto_failback brings the group home');
    sim.crash(A);
    if (standby) sim.feed(B, { type: 'standby', which: 'all' });
    sim.feed(B, { type: 'peer-dead' });
    sim.advance(20_000);
    assert.deepEqual(sim.owners(VIP), ['nodeb'], `standby ${standby}: the survivor takes the group`);
    assert.deepEqual(sim.owners('dummysvc'), ['nodeb']);
  }
});

test('shutdown during an acquisition waits for it, then releases', () => {
  const sim = new Sim(groups, 'on');
  sim.start(A, true);
  sim.node(A).paused = true;
  sim.flush();
  sim.feed(A, { type: 'shutdown' });
  assert.ok(sim.node(A).log.includes('Shutdown delayed until current resource activity finishes.'));
  sim.node(A).paused = false;
  sim.flush();
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'the acquisition finished first');
  sim.advance(11_000); // the lone node's resource state settles after RQSTDELAY, as in heartbeat
  assert.equal(sim.node(A).shutdownComplete, true);
  assert.deepEqual(sim.owners(VIP), []);
});

test('a failed stop is retried once a second and then reported as needing a reboot', () => {
  let s = initialResourceState({ me: A, peer: B, groups, autoFailback: 'on', stonith: false, stopRetryMax: 2, pid: 7 });
  let r = step(s, { type: 'comm-up', peerDead: true }, millis(0));
  s = r.state;
  // Drive the acquisition: status → not running, start → ok, for both resources.
  const answer = (ok: boolean, at: number) => {
    const op = s.running!;
    r = step(s, { type: 'agent-done', opId: op.opId, ok }, millis(at));
    s = r.state;
  };
  answer(false, 1); answer(true, 2); answer(false, 3); answer(true, 4);
  assert.deepEqual(heldGroups(s), [0]);
  r = step(s, { type: 'shutdown' }, millis(5)); s = r.state;
  assert.equal(s.running, undefined, 'delayed until the resource state settles');
  r = step(s, { type: 'tick' }, millis(10_002)); s = r.state;
  assert.equal(s.running?.op, 'stop');
  answer(false, 10_003);
  assert.ok(r.effects.some((e) => e.type === 'log' && e.text === 'Retrying failed stop operation [dummysvc]'));
  assert.equal(r.effects.filter((e) => e.type === 'agent').length, 0, 'no retry before a second has passed');
  r = step(s, { type: 'tick' }, millis(11_004)); s = r.state;
  assert.equal(r.effects.filter((e) => e.type === 'agent').length, 1);
  answer(false, 11_005);
  r = step(s, { type: 'tick' }, millis(12_006)); s = r.state;
  answer(false, 12_007);
  assert.equal(s.running?.op, 'status', 'after the last retry, heartbeat asks whether it still runs');
  answer(true, 12_008);
  assert.ok(r.effects.some((e) => e.type === 'reboot-required'));
  assert.ok(r.effects.some((e) => e.type === 'log' && e.level === 'crit' && e.text === 'Resource STOP failure. Reboot required!'));
});

test('a stop that fails on a resource that is not running is an LSB bug, not a reboot', () => {
  let s = initialResourceState({ me: A, peer: B, groups, autoFailback: 'legacy', stonith: false, stopRetryMax: 0 });
  let r = step(s, { type: 'comm-up', peerDead: true }, millis(0));
  s = r.state;
  const answer = (ok: boolean) => { r = step(s, { type: 'agent-done', opId: s.running!.opId, ok }, millis(1)); s = r.state; };
  answer(false); answer(true); answer(false); answer(true);
  r = step(s, { type: 'shutdown' }, millis(2)); s = r.state;
  answer(false); // stop dummysvc fails
  answer(false); // status: not running
  assert.ok(r.effects.some((e) => e.type === 'log' && e.text === 'Machine reboot narrowly avoided!'));
  assert.ok(!r.effects.some((e) => e.type === 'reboot-required'));
  assert.equal(s.running?.op, 'stop', 'the release goes on with the next resource');
  assert.equal(s.running?.index, 0);
});

test('step does not modify the state it is given', () => {
  const s = initialResourceState({ me: A, peer: B, groups, autoFailback: 'on', stonith: false });
  const copy = JSON.stringify(s);
  step(s, { type: 'comm-up', peerDead: true }, millis(0));
  assert.equal(JSON.stringify(s), copy);
});

test('healed partition: when the peer gives everything up first (its shutdone arrives) we keep the groups and do not restart too', () => {
  // Seen with two Lifeline daemons in namespaces: nodea gave up and said shutdone; nodeb took its group over and
  // then, on its own (later) restart timer, gave everything up as well, leaving the VIP on no node.
  const sim = bothStarted('on');
  sim.linked = false;
  sim.feed(A, { type: 'peer-dead' });
  sim.feed(B, { type: 'peer-dead' });
  sim.flush();
  sim.linked = true;
  sim.feed(A, { type: 'peer-returned' });
  sim.feed(B, { type: 'peer-returned' });
  // nodea restarts slowly (a real daemon restart): well after nodeb's own restart deadline.
  for (let i = 0; i < 12; i++) sim.advance(500);
  assert.ok(sim.node(A).shutdownComplete, 'nodea gave up everything');
  assert.ok(!sim.node(B).shutdownComplete, 'nodeb does not give up as well');
  assert.deepEqual(sim.owners(VIP), ['nodeb']);
  assert.ok(sim.node(B).log.some((l) => /Peer gave up its resources: cancelling our own shutdown restart/.test(l)));
  sim.node(A).shutdownComplete = false;
  sim.restart(A, groups, 'on');
  for (let i = 0; i < 40; i++) { sim.advance(500); assert.ok(sim.owners(VIP).length <= 1); }
  assert.deepEqual(sim.owners(VIP), ['nodea'], 'auto_failback on: back on the preferred node');
});
