// One `crm on` benchmark run on a fresh 3-node namespace rig plus a client: Lifeline or Pacemaker + corosync, a group
// IPaddr2 + Dummy; idle cost, monitor failure → restarted, node kill -9 → client reply from the VIP, DC kill → new DC.
import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { withCluster, startDaemon, lifelineKind, waitForLine, type Host } from '../src/harness/index.js';
import { controlRequest } from '../src/daemon/client.js';
import type { StatusSnapshot } from '../src/daemon/daemon.js';
import { corosyncConf, pcmkExec, pcmkLog, startPacemaker } from './crm-pcmk.js';

/** The stacks compared: Lifeline `crm on` (keepalive 100 ms / deadtime 500 ms), Pacemaker + corosync at defaults, and at token 500 ms. */
export type CrmKind = 'lifeline' | 'pacemaker' | 'pacemaker-t500';
export const CRM_KINDS: readonly CrmKind[] = ['lifeline', 'pacemaker', 'pacemaker-t500'];

/** Lifeline's timing in this benchmark. */
export const LL_KEEPALIVE_MS = 100;
export const LL_DEADTIME_MS = 500;

/** Idle cost of one node: every process of its namespace. */
export interface IdleSample { procs: number; rssKb: number; pssKb: number; cpuPct: number }

/** What one run measured (ms from the fault); undefined where that step failed. */
export interface CrmSample {
  kind: CrmKind;
  idle: IdleSample[];
  /** Dummy's state file removed → the file is back (restart done). */
  monitorRestart?: number;
  /** Node kill -9 → a survivor logs the node lost (Lifeline `node X: is dead`, Pacemaker `Node X state is now lost`). */
  killDetect?: number;
  /** Node kill -9 → VIP on a survivor (ip -ts monitor). */
  killVip?: number;
  /** Node kill -9 → first client reply from the VIP after the outage (ping -D). */
  killClient?: number;
  /** DC kill -9 → the last node is DC. */
  newDc?: number;
  notes: string[];
}

export interface CrmRunOptions {
  kind: CrmKind;
  prefix: string;
  /** First two octets (10.228 or 10.229 for this benchmark). */
  net: string;
  subnet: number;
  monitorS: number;
  idleWindowS: number;
  log: (s: string) => void;
  /** Copy every node's logs here before the rig is torn down (a sub-directory per run). */
  keepLogs?: string;
}

const NODES = ['n1', 'n2', 'n3'];
const STATE = '/run/resource-agents/Dummy-app.state';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined | false>, pollMs = 100): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** The group: IPaddr2 first, then Dummy (so a Dummy failure restarts Dummy alone), both monitored every `monitorS` s. */
function groupXml(vip: string, monitorS: number): string {
  return `<group id="grp">
    <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
      <instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="${vip}"/><nvpair id="vip-mask" name="cidr_netmask" value="24"/><nvpair id="vip-nic" name="nic" value="eth0"/></instance_attributes>
      <operations><op id="vip-mon" name="monitor" interval="${monitorS}s" timeout="20s"/></operations>
    </primitive>
    <primitive id="app" class="ocf" provider="pacemaker" type="Dummy">
      <instance_attributes id="app-ia"><nvpair id="app-state" name="state" value="${STATE}"/></instance_attributes>
      <operations><op id="app-mon" name="monitor" interval="${monitorS}s" timeout="20s"/></operations>
    </primitive>
  </group>`;
}
const locationXml = (node: string) => `<rsc_location id="prefer-${node}" rsc="grp" node="${node}" score="100"/>`;

/** How the benchmark drives one stack. */
interface Stack {
  start(hosts: readonly Host[]): Promise<void>;
  /** The DC as `h` sees it, when `h` also sees quorum and all `members` nodes. */
  dcSeenBy(h: Host, members: number): Promise<string | undefined>;
  load(hosts: readonly Host[], vip: string, holder: string, monitorS: number): Promise<void>;
  /** Starts watching `h` for becoming DC; resolves with the performance.now() it was seen. */
  watchDc(h: Host): Promise<() => Promise<number>>;
  /** The log file and line by which a survivor says `node` is gone. */
  lostLine(h: Host, node: string): { file: string; re: RegExp };
}

const runDir = (h: Host) => join(h.dirs.run, 'heartbeat');

const lifelineStack: Stack = {
  async start(hosts) {
    const cf = `keepalive ${LL_KEEPALIVE_MS}ms\ndeadtime ${LL_DEADTIME_MS}ms\nwarntime 300ms\ninitdead 5\nudpport 694\nbcast eth0\nauto_failback on\nnode ${NODES.join(' ')}\ncrm on\n`;
    for (const h of hosts) await startDaemon(h, { haCf: cf, authkeys: 'auth 1\n1 sha1 benchkey\n', haresources: '' }, lifelineKind());
  },
  async dcSeenBy(h, members) {
    const s = (await controlRequest(runDir(h), { cmd: 'status' }))?.status as StatusSnapshot | undefined;
    return s?.crm?.quorum && s.crm.members.length === members && s.crm.dc ? s.crm.dc : undefined;
  },
  async load(hosts, vip, holder, monitorS) {
    const xml = `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o-stonith" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
  <nodes/>
  <resources>${groupXml(vip, monitorS)}</resources>
  <constraints>${locationXml(holder)}</constraints>
</configuration>`;
    const r = await controlRequest(runDir(hosts[0]!), { cmd: 'cib_replace', section: 'configuration', xml }, 30_000);
    if (!r?.ok) throw new Error(`lifeline cib_replace: ${JSON.stringify(r)}`);
  },
  async watchDc(h) {
    return async () => until(`${h.name} DC`, 30_000, async () => {
      const s = (await controlRequest(runDir(h), { cmd: 'status' }))?.status as StatusSnapshot | undefined;
      return s?.crm?.dc === h.hostname ? performance.now() : undefined;
    }, 5);
  },
  lostLine: (h, node) => ({ file: h.logFile, re: new RegExp(`node ${node}: is dead`) }),
};

let effective = '';

function pacemakerStack(tokenMs?: number): Stack {
  return {
    async start(hosts) {
      const conf = corosyncConf(hosts, tokenMs);
      for (const h of hosts) await startPacemaker(h, conf);
      const r = await pcmkExec(hosts[0]!, ['corosync-cmapctl', '-g', 'runtime.config.totem.token']);
      const q = await pcmkExec(hosts[0]!, ['corosync-cmapctl', '-g', 'runtime.config.totem.consensus']);
      effective = `corosync effective token ${r.stdout.trim().split(' ').at(-1)} ms, consensus ${q.stdout.trim().split(' ').at(-1)} ms`;
    },
    async dcSeenBy(h, members) {
      const r = await pcmkExec(h, ['crm_mon', '-1', '--output-as=xml'], 15_000);
      const dc = r.stdout.match(/<current_dc present="true"[^>]* name="([^"]+)"[^>]*with_quorum="true"/)?.[1];
      const online = (r.stdout.match(/<node name="[^"]+"[^>]* online="true"/g) ?? []).length;
      return dc && online === members ? dc : undefined;
    },
    async load(hosts, vip, holder, monitorS) {
      const h = hosts[0]!;
      const steps: [string[], string?][] = [
        [['crm_attribute', '--type', 'crm_config', '-n', 'stonith-enabled', '-v', 'false']],
        [['cibadmin', '-C', '-o', 'resources', '--xml-pipe'], groupXml(vip, monitorS)],
        [['cibadmin', '-C', '-o', 'constraints', '--xml-pipe'], locationXml(holder)],
      ];
      for (const [argv, input] of steps) {
        const r = await pcmkExec(h, argv, 30_000, input);
        if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.code} ${r.stderr.trim()}`);
      }
    },
    async watchDc(h) {
      const file = pcmkLog(h);
      const since = statSync(file).size;
      return async () => (await waitForLine(file, /pacemaker-controld.*State transition S_ELECTION -> S_INTEGRATION/, { since, pollMs: 2, timeoutMs: 60_000 })).seenAt;
    },
    lostLine: (h, node) => ({ file: pcmkLog(h), re: new RegExp(`Node ${node} state is now lost`) }),
  };
}

const stackOf = (k: CrmKind): Stack => (k === 'lifeline' ? lifelineStack : k === 'pacemaker' ? pacemakerStack() : pacemakerStack(500));

/** Collects stdout lines of a child with the performance.now() of arrival. */
function lines(child: ChildProcess): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    const at = performance.now();
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) { out.push({ text: buf.slice(0, i), at }); buf = buf.slice(i + 1); }
  });
  return out;
}

function ticksOf(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch { return undefined; }
}
function rssOf(pid: number): number {
  try { return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0); } catch { return 0; }
}
/** Proportional set size (shared pages divided among their users), kB. */
function pssOf(pid: number): number {
  try { return Number(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m)?.[1] ?? 0); } catch { return 0; }
}

/** RSS sum and CPU % (utime + stime over the window) of every process of each host's namespace, measured together. */
async function measureIdle(hosts: readonly Host[], windowS: number): Promise<IdleSample[]> {
  const before = await Promise.all(hosts.map(async (h) => new Map((await h.pids()).map((p) => [p, ticksOf(p) ?? 0]))));
  const t0 = performance.now();
  await sleep(windowS * 1000);
  const elapsedS = (performance.now() - t0) / 1000;
  return Promise.all(hosts.map(async (h, i) => {
    const pids = await h.pids();
    let ticks = 0, rss = 0, pss = 0;
    for (const p of pids) { ticks += (ticksOf(p) ?? 0) - (before[i]!.get(p) ?? 0); rss += rssOf(p); pss += pssOf(p); }
    return { procs: pids.length, rssKb: rss, pssKb: pss, cpuPct: ticks / elapsedS }; // 100 ticks/s = 100 %
  }));
}

const stateFile = (h: Host) => join(h.dirs.run, 'resource-agents', 'Dummy-app.state');

/** The nodes where the group runs (VIP configured or Dummy's state file present). */
async function holders(hosts: readonly Host[], vip: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of hosts) if ((await h.hasAddress(vip)) || existsSync(stateFile(h))) out.push(h.name);
  return out;
}

/** One run: builds the rig, measures (d), (b), (a), (c) in that order, always tears it down. */
export async function measureCrm(o: CrmRunOptions): Promise<CrmSample> {
  if (!/^hbc-/.test(o.prefix)) throw new Error(`crm bench: prefix "${o.prefix}" must start with hbc-`);
  const net = `${o.net}.${o.subnet}`;
  const vip = `${net}.100`;
  const stack = stackOf(o.kind);
  const sample: CrmSample = { kind: o.kind, idle: [], notes: [] };
  await withCluster({ prefix: o.prefix, networks: [`${net}.0/24`], hosts: [...NODES, 'client'] }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    try { await steps(); } finally {
      if (o.keepLogs) for (const h of hosts) cpSync(h.dirs.log, join(o.keepLogs, `${o.kind}-${o.subnet}`, h.name), { recursive: true });
      if (o.keepLogs && o.kind !== 'lifeline') for (const h of hosts) cpSync(join(h.dirs.root, 'pcmk'), join(o.keepLogs, `${o.kind}-${o.subnet}`, h.name, 'pcmk'), { recursive: true, filter: (f) => !f.includes('dev-shm') });
    }
    async function steps(): Promise<void> {
    const cl = c.host('client');
    const tStart = performance.now();
    await stack.start(hosts);
    const dc = await until('one DC with quorum', 120_000, async () => {
      const seen = await Promise.all(hosts.map((h) => stack.dcSeenBy(h, 3)));
      return seen.every((d) => d && d === seen[0]) ? seen[0] : undefined;
    }, 500);
    const holder = NODES.filter((n) => n !== dc).at(-1)!;
    if (o.kind !== 'lifeline') o.log(`${o.kind}: ${effective}`);
    o.log(`${o.kind}: DC ${dc} after ${((performance.now() - tStart) / 1000).toFixed(1)} s; group placed on ${holder}`);
    await stack.load(hosts, vip, holder, o.monitorS);
    const hh = c.host(holder);
    await until('the group on its node', 60_000, async () => (await holders(hosts, vip)).join() === holder && (await hh.hasAddress(vip)) && existsSync(stateFile(hh)));
    await sleep(Math.max(3000, 2 * o.monitorS * 1000)); // first monitors done

    // (d) idle cost, all three nodes at once, before any fault.
    sample.idle = await measureIdle(hosts, o.idleWindowS);

    // (b) monitor failure: Dummy's state file removed on the holder → the next monitor fails → Dummy restarted.
    await sleep(Math.random() * o.monitorS * 1000);
    const tb = performance.now();
    rmSync(stateFile(hh));
    try {
      sample.monitorRestart = (await until('Dummy restarted', o.monitorS * 1000 + 60_000, async () => existsSync(stateFile(hh)) && performance.now(), 2)) - tb;
    } catch (e) { sample.notes.push(`monitor: ${(e as Error).message}`); }
    await sleep(2 * o.monitorS * 1000 + 1000);
    const after = await holders(hosts, vip);
    if (after.join() !== holder) sample.notes.push(`after the monitor failure the group runs on [${after.join(', ')}], not ${holder}`);

    // (a) kill -9 of the holder (not the DC): a client polls the VIP with ping -D every 5 ms.
    const survivors = hosts.filter((h) => h !== hh);
    const mons = survivors.map((s) => lines(s.spawn(['ip', '-ts', 'monitor', 'address'], { pipe: true })));
    const ping = cl.spawn(['ping', '-D', '-n', '-i', '0.005', vip], { pipe: true });
    const pingLines = lines(ping);
    await until('client ping replies', 10_000, async () => pingLines.some((l) => /bytes from/.test(l.text)), 20);
    await sleep(Math.random() * 1000);
    const lostWatch = survivors.map((sv) => { const l = stack.lostLine(sv, holder); return waitForLine(l.file, l.re, { since: statSync(l.file).size, pollMs: 2, timeoutMs: 120_000 }); });
    const t0 = performance.now();
    const t0Wall = Date.now();
    await hh.crash();
    void Promise.any(lostWatch).then((m) => { sample.killDetect = m.seenAt - t0; }, () => sample.notes.push('node kill: no survivor logged the node lost'));
    const crashedWall = Date.now();
    try {
      await until('a client reply after the crash', 120_000, async () => {
        let prev = -Infinity;
        for (const l of pingLines) {
          const m = l.text.match(/^\[(\d+\.\d+)\] .*bytes from/);
          if (!m) continue;
          const ts = Number(m[1]) * 1000;
          if (ts > crashedWall && ts - prev > 50) { sample.killClient = ts - t0Wall; return true; }
          prev = ts;
        }
        return false;
      }, 20);
      const vipLine = mons.flat().filter((l) => l.text.includes(`${vip}/`) && !/Deleted/.test(l.text)).sort((p, q) => p.at - q.at)[0];
      if (vipLine) {
        const m = vipLine.text.match(/^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\]/);
        sample.killVip = m ? new Date(m[1]!.slice(0, 23)).getTime() - t0Wall : vipLine.at - t0;
      }
    } catch (e) { sample.notes.push(`node kill: ${(e as Error).message}`); }
    ping.kill('SIGKILL');
    await until('the group on one survivor', 60_000, async () => (await holders(survivors, vip)).length === 1, 200).catch((e: Error) => sample.notes.push(`node kill: ${e.message}`));

    // (c) kill -9 of the DC of the two left: the last node must become DC.
    const dcNow = await until('a DC of the two survivors', 60_000, async () => stack.dcSeenBy(survivors[0]!, 2).then((d) => d ?? stack.dcSeenBy(survivors[1]!, 2)), 200)
      .catch(() => undefined);
    const dcHost = survivors.find((h) => h.hostname === dcNow);
    if (!dcHost) { sample.notes.push('DC kill: no DC among the survivors'); return; }
    const last = survivors.find((h) => h !== dcHost)!;
    const seen = await stack.watchDc(last);
    await sleep(Math.random() * 500);
    const t1 = performance.now();
    await dcHost.crash();
    try { sample.newDc = (await seen()) - t1; } catch (e) { sample.notes.push(`DC kill: ${(e as Error).message}`); }
    }
  });
  return sample;
}
