// One failover measurement on a fresh three-namespace rig (primary, standby, client), as peer-failover-times.md defines it.
// Shared by bench/failover.ts and its test so the benchmark code path is exercised by `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster, startDaemon, kindOf, waitForLine, runSync, type Host, type DaemonKind } from '../src/harness/index.js';

/** Daemon kinds the rig can compare. */
export type BenchKind = 'heartbeat' | 'keepalived' | 'lifeline';
/** Timing profiles: heartbeat keepalive 1 s / deadtime 5 s (keepalived advert 1, VRRPv2), or 100 ms / 500 ms (advert 0.1, VRRPv3). */
export type Profile = 'ka1dt5' | 'aggr';
/** How the primary fails. */
export type CrashMode = 'kill' | 'linkdown';

/** What one run measured, in ms from the crash (T0). */
export interface FailoverSample {
  detect: number;
  vip: number;
  client: number;
  /** True when the VIP was on the standby and not on the primary at the end. */
  vipOnStandbyOnly: boolean;
  /** Deadtime (heartbeat/lifeline) or master-down interval (keepalived) of the profile, ms. */
  deadtimeMs: number;
}

/** Options for one measurement. */
export interface RunOptions {
  kind: BenchKind;
  profile: Profile;
  crash: CrashMode;
  /** Namespace prefix (must start with `llb`, or `lld` for the daemon team's runs). */
  prefix: string;
  /** Third octet of the run's NET.X.0/24. */
  subnet: number;
  /** First two octets of the rig's addresses (default `10.230`; each team benchmarks in its own range). */
  net?: string;
}

const HA_PROFILES: Record<Profile, { haCf: string; deadtimeMs: number }> = {
  ka1dt5: { haCf: 'keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\n', deadtimeMs: 5000 },
  aggr: { haCf: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\n', deadtimeMs: 500 },
};
const KA_PROFILES: Record<Profile, { version: number; advert: number }> = {
  ka1dt5: { version: 2, advert: 1 },
  aggr: { version: 3, advert: 0.1 },
};

/** resource.d script that records start/stop in a state file and reports it for status. */
export const DUMMYSVC = `#!/bin/sh
# Benchmark resource: records its state so start/stop/status are observable.
S=/var/lib/heartbeat/dummysvc.state
case "$1" in
  start) echo "start $(date +%s.%N)" >> /var/lib/heartbeat/dummysvc.log; touch $S ;;
  stop) echo "stop $(date +%s.%N)" >> /var/lib/heartbeat/dummysvc.log; rm -f $S ;;
  status) if [ -e $S ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;

/** True when this checkout's CLI (dist built) lists a `daemon` command. */
export function lifelineHasDaemon(repoDir: string): boolean {
  const r = runSync([process.execPath, join(repoDir, 'bin', 'lifeline.js'), 'help'], 10000);
  return r.code === 0 && /^\s*daemon\b/m.test(r.stdout + r.stderr);
}

function keepalivedConf(primary: boolean, vip: string, profile: Profile): string {
  const p = KA_PROFILES[profile];
  return `global_defs {
  router_id ${primary ? 'nodeA' : 'nodeB'}
  vrrp_version ${p.version}
  script_user root
}
vrrp_instance VI_1 {
  state ${primary ? 'MASTER' : 'BACKUP'}
  interface eth0
  virtual_router_id 88
  priority ${primary ? 150 : 100}
  advert_int ${p.advert}
  virtual_ipaddress {
    ${vip}/24 dev eth0
  }
}
`;
}

async function pollUntil(what: string, timeoutMs: number, f: () => Promise<boolean>): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await f())) {
    if (performance.now() > end) throw new Error(`failover rig: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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

/** `ip -ts` prints local wall time like [2026-11-25T07:31:38.123456]; returns epoch ms or NaN. */
function parseIpTs(line: string): number {
  const m = line.match(/^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\]/);
  return m ? new Date((m[1] as string).slice(0, 23)).getTime() : NaN;
}

/** Builds a rig, starts the two daemons, waits for the primary to hold the VIP, crashes it and measures. */
export async function measureFailover(o: RunOptions): Promise<FailoverSample> {
  if (!/^ll[bd]/.test(o.prefix)) throw new Error(`failover rig: prefix "${o.prefix}" must start with llb or lld`);
  const net = `${o.net ?? '10.230'}.${o.subnet}`;
  const vip = `${net}.100`;
  return withCluster({ prefix: o.prefix, networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb', 'client'] }, async (c) => {
    const [a, b, cl] = [c.host('nodea'), c.host('nodeb'), c.host('client')] as [Host, Host, Host];
    let detectRe: RegExp;
    let detectFile: string;
    let deadtimeMs: number;
    if (o.kind === 'keepalived') {
      const p = KA_PROFILES[o.profile];
      deadtimeMs = Math.round((3 * p.advert + ((256 - 100) / 256) * p.advert) * 1000);
      for (const [h, primary] of [[a, true], [b, false]] as const) {
        const conf = join(h.dirs.etc, 'keepalived.conf');
        writeFileSync(conf, keepalivedConf(primary, vip, o.profile));
        h.spawn(['keepalived', '-n', '-P', '-l', '-D', '-G', '-f', conf], { outputFile: h.logFile });
      }
      detectRe = /\(VI_1\) Entering MASTER STATE/;
      detectFile = b.logFile;
      await waitForLine(a.logFile, detectRe, { timeoutMs: 30000 });
    } else {
      const kind: DaemonKind = kindOf(o.kind);
      const prof = HA_PROFILES[o.profile];
      deadtimeMs = prof.deadtimeMs;
      const cfg = {
        haCf: `${prof.haCf}udpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n`,
        authkeys: 'auth 1\n1 sha1 benchkey\n',
        haresources: `nodea ${vip}/24/eth0 dummysvc\n`,
        resourceScripts: { dummysvc: DUMMYSVC },
      };
      for (const h of [a, b]) {
        const d = await startDaemon(h, cfg, kind);
        if (d.launcherExit !== null && d.launcherExit !== 0) throw new Error(`${kind.name} on ${h.name} exited ${d.launcherExit}`);
      }
      detectRe = /node nodea: is dead/;
      detectFile = b.logFile;
    }
    await pollUntil('VIP on the primary', 60000, () => a.hasAddress(vip));
    if (o.kind !== 'keepalived') await b.waitForLog(/Status update for node nodea: status active/, { timeoutMs: 30000 });
    if (o.kind === 'keepalived') await waitForLine(b.logFile, /\(VI_1\) Entering BACKUP STATE/, { timeoutMs: 30000 });

    const mon = b.spawn(['ip', '-ts', 'monitor', 'address'], { pipe: true });
    const monLines = lines(mon);
    const ping = cl.spawn(['ping', '-D', '-n', '-i', '0.005', vip], { pipe: true });
    const pingLines = lines(ping);
    await pollUntil('client ping replies', 10000, async () => pingLines.some((l) => /bytes from/.test(l.text)));
    const mark = (await import('node:fs')).statSync(detectFile).size;

    await new Promise((r) => setTimeout(r, Math.random() * 1000));
    const t0Perf = performance.now();
    const t0Wall = Date.now();
    if (o.crash === 'kill') await a.crash();
    else await a.linkDown('eth0');
    const crashedWall = Date.now();

    const det = await waitForLine(detectFile, detectRe, { since: mark, pollMs: 2, timeoutMs: deadtimeMs + 30000 });
    const detect = det.seenAt - t0Perf;
    await pollUntil('VIP on the standby', 30000, async () => monLines.some((l) => l.text.includes(vip) && !/Deleted/.test(l.text)));
    const vipLine = monLines.find((l) => l.text.includes(vip) && !/Deleted/.test(l.text))!;
    const vipWall = parseIpTs(vipLine.text);
    const vipMs = Number.isNaN(vipWall) ? vipLine.at - t0Perf : vipWall - t0Wall;
    let reply: number | undefined;
    // The first reply that ends the outage: after the crash and after a gap of > 50 ms. A reply already in flight
    // from the old primary when its link goes down can still arrive a few ms after T0; it is not a failover.
    await pollUntil('a client reply after the crash', 30000, async () => {
      let prev = -Infinity;
      for (const l of pingLines) {
        const m = l.text.match(/^\[(\d+\.\d+)\] .*bytes from/);
        if (!m) continue;
        const ts = Number(m[1]) * 1000;
        if (ts > crashedWall && ts - prev > 50) { reply = ts - t0Wall; return true; }
        prev = ts;
      }
      return false;
    });
    const vipOnStandbyOnly = (await b.hasAddress(vip)) && (o.crash === 'linkdown' || !(await a.hasAddress(vip)));
    mon.kill('SIGKILL');
    ping.kill('SIGKILL');
    return { detect, vip: vipMs, client: reply as number, vipOnStandbyOnly, deadtimeMs };
  });
}

/** Min / median / max of a list of numbers. */
export function summary(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { min: s[0] as number, median: mid, max: s[s.length - 1] as number };
}

/** Kinds `failover.ts` can run here; lifeline only when its daemon exists. */
export function availableKinds(repoDir: string, wanted: BenchKind[]): { kinds: BenchKind[]; notes: string[] } {
  const notes: string[] = [];
  const kinds = wanted.filter((k) => {
    if (k !== 'lifeline') return true;
    if (lifelineHasDaemon(repoDir)) return true;
    notes.push('lifeline: no daemon yet');
    return false;
  });
  return { kinds, notes };
}

/** Starts a process and returns it (re-exported for idle.ts). */
export { spawn };
