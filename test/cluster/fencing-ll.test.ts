// haresources fencing with real BMCs: two Lifeline nodes, `stonith_host` lines naming each other's ipmi_sim through
// cluster-glue's external/ipmi. kill -9 of the owner's daemon leaves its VIP up: only the reset may end that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCluster } from '../../src/harness/index.js';
import { ArpAudit } from './arp-audit.js';
import { killDaemon, playKillOwner, rig, skip, sleep, startBoth, waitFor } from './fencing-rig.js';

test('kill -9 of the owner: the survivor powers it off through its BMC, then takes the VIP; never two MACs', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-kill', networks: ['10.232.2.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.2');
    await startBoth(r);
    await playKillOwner(r, (m) => t.diagnostic(m));
  });
});

test('BMC unreachable: no takeover while resets fail, retries logged; once the BMC answers, reset then takeover', { skip, timeout: 200_000 }, async (t) => {
  await withCluster({ prefix: 'hf-nobmc', networks: ['10.232.3.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.3');
    await startBoth(r);
    const audit = new ArpAudit(r.client, r.vip);
    try {
      await r.bmca.unplug();
      const mark = await r.b.logMark();
      const crash = Date.now();
      await killDaemon(r, 'nodea');
      await audit.ready();
      // Two failed attempts (ipmitool gives up after about 20 s each, heartbeat retries 5 s later).
      const failures = async () => ((await r.b.readLog()).slice(mark).match(/STONITH of nodea failed\.  Retrying\.\.\./g) ?? []).length;
      await waitFor(async () => (await failures()) >= 2, 90_000, 'two failed resets on nodeb');
      const log = (await r.b.readLog()).slice(mark);
      assert.match(log, /Host nodea not reset!/);
      assert.match(log, /error executing ipmitool/, 'the plugin\'s own reason is in the same log');
      assert.equal(await r.b.hasAddress(r.vip), false, 'no takeover while the reset fails');
      assert.ok(audit.replies.every((x) => x.mac === r.macs.nodea), 'only nodea (still running its VIP) answered');
      assert.deepEqual(r.bmca.events(), [], 'nothing reached the BMC');
      t.diagnostic(`${(log.match(/Resetting node nodea/g) ?? []).length} attempts failed in ${Date.now() - crash} ms, no takeover`);
      const plugged = Date.now();
      await r.bmca.plug();
      await waitFor(async () => r.b.hasAddress(r.vip), 60_000, 'the VIP on nodeb once the BMC answers');
      await sleep(1000);
      const off = r.bmca.events().find((e) => e.what === 'off');
      assert.ok(off && off.at >= plugged, 'the reset that worked came after the BMC was back');
      assert.deepEqual(audit.overlaps(), [], 'the VIP never answered from two machines');
      assert.deepEqual(audit.runs(), [r.macs.nodea, r.macs.nodeb]);
      t.diagnostic(`BMC back -> power off ${off.at - plugged} ms -> VIP on nodeb`);
    } finally {
      audit.stop();
    }
  });
});

test('a partition between the nodes: both shoot, as heartbeat does; the VIP never answers from two machines', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-part', networks: ['10.232.6.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.6');
    await startBoth(r);
    const audit = new ArpAudit(r.client, r.vip);
    try {
      await audit.ready();
      const marks = [await r.a.logMark(), await r.b.logMark()];
      const cut = Date.now();
      // The nodes stop hearing each other; both still reach the client and both BMCs (a separate management path).
      await r.a.dropFrom(r.b);
      await r.b.dropFrom(r.a);
      // heartbeat's rule: each side resets a peer that may hold resources, and a node with no groups of its own
      // still says it holds `local` ones, so both shoot (the STONITH race of two-node heartbeat clusters).
      await waitFor(async () => r.bmca.events().some((e) => e.what === 'off') || r.bmcb.events().some((e) => e.what === 'off'), 30_000, 'a power-off');
      await sleep(8000);
      const hold = { nodea: await r.a.hasAddress(r.vip).catch(() => false), nodeb: await r.b.hasAddress(r.vip).catch(() => false) };
      const offA = r.bmca.events().find((e) => e.what === 'off');
      const offB = r.bmcb.events().find((e) => e.what === 'off');
      assert.ok(!(hold.nodea && hold.nodeb), 'the VIP is on one node at most');
      if (hold.nodeb) assert.ok(offA, 'nodeb holds the VIP only after nodea was powered off');
      if (hold.nodea) assert.ok(offB, 'nodea, still holding the VIP, powered nodeb off');
      assert.ok((await r.a.readLog()).slice(marks[0]).includes('Resetting node nodeb') || (await r.b.readLog()).slice(marks[1]).includes('Resetting node nodea'));
      assert.deepEqual(audit.overlaps(), [], 'the VIP never answered from two machines');
      t.diagnostic(`partition: nodea ${offA ? `powered off after ${offA.at - cut} ms` : 'survived'}, nodeb ${offB ? `powered off after ${offB.at - cut} ms` : 'survived'}; VIP on ${hold.nodea ? 'nodea' : hold.nodeb ? 'nodeb' : 'no node'}; ARP runs ${audit.runs().length}`);
    } finally {
      audit.stop();
    }
  });
});
