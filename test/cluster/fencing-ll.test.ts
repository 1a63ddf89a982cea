// haresources fencing with real BMCs: two Lifeline nodes, `stonith_host` lines naming each other's ipmi_sim through
// cluster-glue's external/ipmi. kill -9 of the owner's daemon leaves its VIP up: only the reset may end that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  lifelineKind, startBmc, startDaemon, withCluster, type Bmc, type Cluster, type HaConfig, type Host, type RunningDaemon,
} from '../../src/harness/index.js';
import { ArpAudit } from './arp-audit.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/ipmi_sim') && existsSync('/usr/sbin/stonith') && existsSync('/usr/bin/ipmitool');
const skip = canRun ? false : 'needs root, openipmi, ipmitool and cluster-glue (scripts/install-deps.sh)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two nodes, their BMCs and a client on one /24; the group is `nodea VIP`. */
interface Rig { c: Cluster; a: Host; b: Host; client: Host; bmca: Bmc; bmcb: Bmc; vip: string; cfg: HaConfig; macs: Record<string, string> }

async function rig(c: Cluster, net: string): Promise<Rig> {
  const a = c.host('nodea');
  const b = c.host('nodeb');
  const bmca = await startBmc(c.host('bmca'), a);
  const bmcb = await startBmc(c.host('bmcb'), b);
  const vip = `${net}.100`;
  // heartbeat's syntax: each node's line names the device that resets the OTHER node (external/ipmi resets
  // exactly the host its hostname parameter names).
  const haCf = ['keepalive 200ms', 'deadtime 2', 'warntime 1', 'initdead 6', 'udpport 694', 'bcast eth0', 'auto_failback on', 'node nodea nodeb',
    `stonith_host nodea external/ipmi ${bmcb.externalIpmiParams()}`, `stonith_host nodeb external/ipmi ${bmca.externalIpmiParams()}`, ''].join('\n');
  const cfg: HaConfig = { haCf, authkeys: 'auth 1\n1 sha1 hf-fencing-test\n', haresources: `nodea ${vip}\n` };
  const macs: Record<string, string> = {};
  for (const h of [a, b]) macs[h.name] = (await h.mustExec(['cat', '/sys/class/net/eth0/address'])).trim().toLowerCase();
  return { c, a, b, client: c.host('client'), bmca, bmcb, vip, cfg, macs };
}

async function startBoth(r: Rig): Promise<[RunningDaemon, RunningDaemon]> {
  const ds = await Promise.all([startDaemon(r.a, r.cfg, lifelineKind()), startDaemon(r.b, r.cfg, lifelineKind())]);
  await waitFor(async () => (await r.a.hasAddress(r.vip)) && !(await r.b.hasAddress(r.vip)), 40_000, 'the VIP on nodea at start');
  await r.b.waitForLog(/Checking status of STONITH device \[IPMI STONITH device\]/, { timeoutMs: 20_000 });
  return ds as [RunningDaemon, RunningDaemon];
}

async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Index of the first log line matching re at or after `since`, or -1: the order of heartbeat's lines. */
function lineIndex(log: string, re: RegExp): number {
  return log.split('\n').findIndex((l) => re.test(l));
}

test('kill -9 of the owner: the survivor powers it off through its BMC, then takes the VIP; never two MACs', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-kill', networks: ['10.232.2.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.2');
    const [da] = await startBoth(r);
    const audit = new ArpAudit(r.client, r.vip);
    try {
      await audit.ready();
      const mark = await r.b.logMark();
      const crash = Date.now();
      // The daemon dies; the machine, its VIP and the kernel's ARP answers stay: a split brain in the making.
      process.kill(da.process.pid!, 'SIGKILL');
      await waitFor(async () => r.b.hasAddress(r.vip), 30_000, 'the VIP on nodeb');
      const vipAt = Date.now();
      await waitFor(async () => audit.firstFrom(r.macs.nodeb!, crash) !== undefined, 5000, 'the client to hear nodeb');
      await sleep(1000);
      const off = r.bmca.events().find((e) => e.what === 'off' && e.at >= crash);
      assert.ok(off, 'nodea was powered off through its BMC');
      const answered = audit.firstFrom(r.macs.nodeb!, crash)!;
      assert.ok(off.at <= answered, 'the power-off came before the survivor answered for the VIP');
      const log = (await r.b.readLog()).slice(mark);
      const order = [/Resetting node nodea with \[IPMI STONITH device\]/, /node nodea now reset\./, /Resources being acquired from nodea\./, /Taking over resource group/]
        .map((re) => lineIndex(log, re));
      assert.ok(order.every((i) => i >= 0) && order.every((i, k) => k === 0 || i > order[k - 1]!), `nodeb logs reset, success, then takeover:\n${log}`);
      assert.doesNotMatch(log, /No STONITH device configured/);
      const overlaps = audit.overlaps();
      assert.deepEqual(overlaps, [], 'the VIP never answered from two machines');
      assert.deepEqual(audit.runs(), [r.macs.nodea, r.macs.nodeb], 'one clean move nodea -> nodeb');
      assert.equal(await r.a.hasAddress(r.vip), false, 'nodea came back from the reset without the VIP');
      t.diagnostic(`crash -> BMC power off ${off.at - crash} ms, -> VIP on nodeb ${vipAt - crash} ms, -> client hears nodeb ${answered - crash} ms (${audit.replies.length} ARP replies audited)`);
    } finally {
      audit.stop();
    }
  });
});

test('BMC unreachable: no takeover while resets fail, retries logged; once the BMC answers, reset then takeover', { skip, timeout: 200_000 }, async (t) => {
  await withCluster({ prefix: 'hf-nobmc', networks: ['10.232.3.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.3');
    const [da] = await startBoth(r);
    const audit = new ArpAudit(r.client, r.vip);
    try {
      await r.bmca.unplug();
      const mark = await r.b.logMark();
      const crash = Date.now();
      process.kill(da.process.pid!, 'SIGKILL');
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
