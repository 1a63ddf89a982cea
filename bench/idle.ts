// Idle cost of one node of a 2-node cluster (RSS/PSS sums and CPU % over all the daemon's processes), and a soak under CPU stress.
// Usage: node --import tsx bench/idle.ts [--window S] [--kinds heartbeat,lifeline] [--profile ka1dt5,aggr] | --soak S [--stress] [--prefix llb-id] [--net 10.230]
import { readFileSync } from 'node:fs';
import { withCluster, startDaemon, heartbeatKind, lifelineKind, type Host, type DaemonKind } from '../src/harness/index.js';
import { repoRoot } from '../src/harness/daemon.js';
import { DAEMON_NODE_FLAGS } from '../src/io/node-flags.js';
import { DUMMYSVC, lifelineHasDaemon, type Profile } from './failover-rig.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

const HA: Record<Profile, string> = {
  ka1dt5: 'keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\n',
  aggr: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\n',
};

/** VmRSS and PSS (kB) of one process, 0 when it is gone or unreadable. */
function memOf(pid: number): { rss: number; pss: number } {
  const num = (text: string, key: string) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  try {
    return { rss: num(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS'), pss: num(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') };
  } catch { return { rss: 0, pss: 0 }; }
}

/** One process's memory split: VmRSS = RssAnon + RssFile + RssShmem, and PSS (kB). */
function detailOf(pid: number): string {
  try {
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    const f = (k: string) => st.match(new RegExp(`^${k}:\\s+(\\S+)`, 'm'))?.[1] ?? '?';
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ').slice(0, 60);
    return `pid ${pid} ${cmd}: RSS ${f('VmRSS')} = anon ${f('RssAnon')} + file ${f('RssFile')} + shmem ${f('RssShmem')} kB, PSS ${memOf(pid).pss} kB, threads ${f('Threads')}`;
  } catch { return `pid ${pid} gone`; }
}

/** utime + stime of one process in clock ticks (fields 14 and 15 of /proc/PID/stat), or undefined when gone. */
function ticksOf(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch { return undefined; }
}

const TICKS_PER_S = 100; // USER_HZ on Linux

async function measureIdle(host: Host, windowS: number): Promise<{ procs: number; rss: number; pss: number; cpuPct: number }> {
  const pids0 = await host.pids();
  const t0 = new Map(pids0.map((p) => [p, ticksOf(p) ?? 0]));
  const start = performance.now();
  await new Promise((r) => setTimeout(r, windowS * 1000));
  const elapsed = (performance.now() - start) / 1000;
  const pids1 = await host.pids();
  let ticks = 0;
  for (const p of pids1) ticks += (ticksOf(p) ?? 0) - (t0.get(p) ?? 0);
  let rss = 0; let pss = 0;
  for (const p of pids1) { const m = memOf(p); rss += m.rss; pss += m.pss; }
  // --detail: what each process holds (anonymous = heap, stacks, V8 spaces; file = the mapped binary's pages).
  if (process.argv.includes('--detail')) for (const p of pids1) console.log(`  ${host.name} ${detailOf(p)}`);
  return { procs: pids1.length, rss, pss, cpuPct: (100 * ticks) / TICKS_PER_S / elapsed };
}

async function withPair<T>(kind: DaemonKind, profile: Profile, subnet: number, fn: (a: Host, b: Host, client: Host) => Promise<T>): Promise<T> {
  const net = `${arg('net', '10.230')}.${subnet}`;
  return withCluster({ prefix: arg('prefix', 'llb-id'), networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb', 'client'] }, async (c) => {
    const [a, b, cl] = [c.host('nodea'), c.host('nodeb'), c.host('client')] as [Host, Host, Host];
    const cfg = {
      haCf: `${HA[profile]}udpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n`,
      authkeys: 'auth 1\n1 sha1 benchkey\n',
      haresources: `nodea ${net}.100/24/eth0 dummysvc\n`,
      resourceScripts: { dummysvc: DUMMYSVC },
    };
    for (const h of [a, b]) await startDaemon(h, cfg, kind);
    const end = performance.now() + 60000;
    while (!(await a.hasAddress(`${net}.100`))) {
      if (performance.now() > end) throw new Error('idle: VIP never came up on nodea');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 3000)); // let resource scripts finish
    return fn(a, b, cl);
  });
}

/** `--node-flags "A B"`: extra node options before the script, to compare V8 heap settings (printed in the kind's name). */
function withNodeFlags(kind: DaemonKind): DaemonKind {
  const flags = arg('node-flags', '').split(' ').filter(Boolean);
  // --no-default-flags: without DAEMON_NODE_FLAGS, to measure what each of them costs or saves.
  const bare = process.argv.includes('--no-default-flags');
  if (flags.length === 0 && !bare) return kind;
  return { ...kind, name: `${kind.name} ${bare ? '(no default flags) ' : ''}${flags.join(' ')}`.trimEnd(), command: (h) => {
    const [node, ...rest] = kind.command(h);
    return [node!, ...flags, ...(bare ? rest.filter((a) => !DAEMON_NODE_FLAGS.includes(a)) : rest)];
  } };
}

async function main(): Promise<number> {
  const kinds: DaemonKind[] = [];
  for (const k of arg('kinds', 'heartbeat,lifeline').split(',')) {
    if (k === 'heartbeat') kinds.push(heartbeatKind);
    else if (k === 'lifeline') { if (lifelineHasDaemon(repoRoot())) kinds.push(withNodeFlags(lifelineKind())); else console.log('lifeline: no daemon yet'); }
  }
  const profiles = arg('profile', 'ka1dt5,aggr').split(',') as Profile[];
  const soak = Number(arg('soak', '0'));
  const windowS = Number(arg('window', '60'));
  let subnet = Number(arg('subnet-base', '240'));
  if (soak > 0) {
    console.log('| kind | profile | soak s | stress | false deaths ("is dead") | late-heartbeat / delay warnings |');
    console.log('|---|---|---|---|---|---|');
  } else {
    console.log(`| kind | profile | node | procs | RSS sum kB | PSS sum kB | CPU % (${windowS} s) |`);
    console.log('|---|---|---|---|---|---|---|');
  }
  for (const kind of kinds) for (const profile of profiles) {
    await withPair(kind, profile, subnet++, async (a, b, cl) => {
      if (soak > 0) {
        const marks = [await a.logMark(), await b.logMark()];
        // stress-ng makes no traffic; it runs in the client namespace so it is not counted as a daemon process.
        const stress = process.argv.includes('--stress') ? cl.spawn(['stress-ng', '--cpu', '2', '--timeout', `${soak}s`]) : undefined;
        await new Promise((r) => setTimeout(r, soak * 1000));
        stress?.kill('SIGKILL');
        let deaths = 0; let warns = 0;
        for (const [i, h] of [a, b].entries()) {
          const text = (await h.readLog()).slice(marks[i]);
          deaths += (text.match(/is dead/g) ?? []).length;
          warns += (text.match(/Late heartbeat|delayed \d+ ms|WARN.*(?:heartbeat|dispatch)/gi) ?? []).length;
        }
        console.log(`| ${kind.name} | ${profile} | ${soak} | ${stress ? 'stress-ng --cpu 2' : 'none'} | ${deaths} | ${warns} |`);
      } else {
        const ms = await Promise.all([a, b].map((h) => measureIdle(h, windowS)));
        for (const [i, h] of [a, b].entries()) {
          const m = ms[i]!;
          console.log(`| ${kind.name} | ${profile} | ${h.name} | ${m.procs} | ${m.rss} | ${m.pss} | ${m.cpuPct.toFixed(2)} |`);
        }
      }
    });
  }
  return 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
