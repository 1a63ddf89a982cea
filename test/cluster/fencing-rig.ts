// The two-node fencing rig shared by the fencing tests: nodea and nodeb (Lifeline or heartbeat 3.0.6), a BMC each
// (ipmi_sim), a client for the ARP audit; ha.cf names each node's device with heartbeat's stonith_host syntax.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  kindOf, namespacePids, startBmc, startDaemon, type Bmc, type Cluster, type HaConfig, type Host, type Impl, type RunningDaemon,
} from '../../src/harness/index.js';
import { ArpAudit } from './arp-audit.js';

export const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/ipmi_sim') && existsSync('/usr/sbin/stonith') && existsSync('/usr/bin/ipmitool');
export const skip = canRun ? false : 'needs root, openipmi, ipmitool and cluster-glue (scripts/install-deps.sh)';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two nodes, their BMCs and a client on one /24; the group is `nodea VIP`. */
export interface Rig {
  c: Cluster; a: Host; b: Host; client: Host; bmca: Bmc; bmcb: Bmc; vip: string; cfg: HaConfig; macs: Record<string, string>;
  impls: Record<string, Impl>; daemons: Record<string, RunningDaemon | undefined>;
}

export async function rig(c: Cluster, net: string, impls: Record<string, Impl> = { nodea: 'lifeline', nodeb: 'lifeline' }): Promise<Rig> {
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
  return { c, a, b, client: c.host('client'), bmca, bmcb, vip, cfg, macs, impls, daemons: {} };
}

/** Starts both daemons together and waits for the VIP on nodea and nodeb's first device check. */
export async function startBoth(r: Rig, deviceId = 'IPMI STONITH device'): Promise<void> {
  await Promise.all([r.a, r.b].map(async (h) => {
    const d = await startDaemon(h, r.cfg, kindOf(r.impls[h.name] ?? 'lifeline'));
    if (r.impls[h.name] === 'heartbeat' && d.launcherExit !== 0) throw new Error(`heartbeat did not start on ${h.name}: ${readFileSync(d.outputFile, 'utf8')}`);
    r.daemons[h.name] = d;
  }));
  await waitFor(async () => (await r.a.hasAddress(r.vip)) && !(await r.b.hasAddress(r.vip)), 40_000, 'the VIP on nodea at start');
  await r.b.waitForLog(new RegExp(`Checking status of STONITH device \\[${deviceId}`), { timeoutMs: 20_000 });
}

/** kill -9 of a node's cluster daemon (heartbeat: every heartbeat process); the host, its VIP and its kernel stay. */
export async function killDaemon(r: Rig, node: string): Promise<void> {
  const h = node === 'nodea' ? r.a : r.b;
  if (r.impls[node] === 'lifeline') {
    process.kill(r.daemons[node]!.process.pid!, 'SIGKILL');
  } else {
    const comm = (p: number) => { try { return readFileSync(`/proc/${p}/comm`, 'utf8').trim(); } catch { return ''; } };
    const pids = (await namespacePids(h.netns)).filter((p) => comm(p).startsWith('heartbeat'));
    for (const p of pids) process.kill(p, 'SIGSTOP');
    for (const p of pids) process.kill(p, 'SIGKILL');
  }
  r.daemons[node] = undefined;
}

export async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  // A probe that fails (an `ip` killed on a loaded machine, a namespace mid-power-cut) counts as "not yet".
  while (!(await ok().catch(() => false))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Index of the first log line matching re, or -1: the order of heartbeat's lines. */
export function lineIndex(log: string, re: RegExp): number {
  return log.split('\n').findIndex((l) => re.test(l));
}

/**
 * kill -9 of nodea's daemon (it owns the VIP): nodeb must power nodea off through its BMC before it answers for
 * the VIP. Asserts heartbeat's log lines in order, one clean ARP move, and returns the figures.
 */
export async function playKillOwner(r: Rig, diag: (m: string) => void): Promise<{ offMs: number; vipMs: number; answeredMs: number }> {
  const audit = new ArpAudit(r.client, r.vip);
  try {
    await audit.ready();
    const mark = await r.b.logMark();
    const crash = Date.now();
    // The daemon dies; the machine, its VIP and the kernel's ARP answers stay: a split brain in the making.
    await killDaemon(r, 'nodea');
    await waitFor(async () => r.b.hasAddress(r.vip), 30_000, 'the VIP on nodeb');
    const vipAt = Date.now();
    await waitFor(async () => audit.firstFrom(r.macs.nodeb!, crash) !== undefined, 5000, 'the client to hear nodeb');
    await sleep(1000);
    const off = r.bmca.events().find((e) => e.what === 'off' && e.at >= crash);
    assert.ok(off, 'nodea was powered off through its BMC');
    const answered = audit.firstFrom(r.macs.nodeb!, crash)!;
    assert.ok(off.at <= answered, 'the power-off came before the survivor answered for the VIP');
    const log = (await r.b.readLog()).slice(mark);
    const order = [/Resetting node nodea with \[IPMI STONITH device/, /node nodea now reset\./, /Resources being acquired from nodea\./, /Taking over resource group/]
      .map((re) => lineIndex(log, re));
    assert.ok(order.every((i) => i >= 0) && order.every((i, k) => k === 0 || i > order[k - 1]!), `${r.impls.nodeb} on nodeb logs reset, success, then takeover:\n${log}`);
    assert.doesNotMatch(log, /No STONITH device configured/);
    assert.deepEqual(audit.overlaps(), [], 'the VIP never answered from two machines');
    assert.deepEqual(audit.runs(), [r.macs.nodea, r.macs.nodeb], 'one clean move nodea -> nodeb');
    assert.equal(await r.a.hasAddress(r.vip), false, 'nodea came back from the reset without the VIP');
    const f = { offMs: off.at - crash, vipMs: vipAt - crash, answeredMs: answered - crash };
    diag(`${r.impls.nodea} owner killed, ${r.impls.nodeb} survivor: crash -> BMC power off ${f.offMs} ms, -> VIP on nodeb ${f.vipMs} ms, -> client hears nodeb ${f.answeredMs} ms (${audit.replies.length} ARP replies audited)`);
    return f;
  } finally {
    audit.stop();
  }
}
