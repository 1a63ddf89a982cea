// A planned hand-over as the client sees it: hb_standby on the owner, then hb_takeover back (the failback), while a
// client pings the VIP every 5 ms. Usage: node --import tsx bench/handover.ts [runs] [--prefix hl-ho] [--net 10.248] [--subnet-base 210]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { withCluster, startDaemon, lifelineKind, type DaemonKind, type Host } from '../src/harness/index.js';
import { handCommand } from '../src/harness/ha-commands.js';
import { DUMMYSVC, summary } from './failover-rig.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}
const runs = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 5);
const prefix = arg('prefix', 'hl-ho');
const netBase = arg('net', '10.248');
const subnetBase = Number(arg('subnet-base', '210'));
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const base = lifelineKind();
const kind: DaemonKind = { ...base, command: (h) => [...base.command(h), '--json-log', '/var/lib/heartbeat/ll.json'] };

/** ping -D reply times (epoch ms) as they arrive. */
function replies(p: ChildProcess): number[] {
  const out: number[] = [];
  let buf = '';
  p.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const m = buf.slice(0, i).match(/^\[(\d+\.\d+)\] .*bytes from/);
      if (m) out.push(Number(m[1]) * 1000);
      buf = buf.slice(i + 1);
    }
  });
  return out;
}

/** The longest gap between two consecutive replies from `from` on (the measurement stops once replies flow again). */
function outage(ts: readonly number[], from: number): number {
  let worst = 0;
  const after = ts.filter((t) => t >= from - 5);
  for (let i = 1; i < after.length; i++) worst = Math.max(worst, after[i]! - after[i - 1]!);
  return worst;
}

async function until(what: string, ms: number, f: () => Promise<boolean> | boolean): Promise<void> {
  const end = performance.now() + ms;
  while (!(await f())) {
    if (performance.now() > end) throw new Error(`handover: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** ms from the command to the releaser's `ip addr del` and the acquirer's `ip addr add`, from their JSON logs. */
function steps(from: Host, to: Host, t0: number): string {
  const at = (h: Host, re: RegExp): number | undefined => {
    const lines = readFileSync(join(h.dirs.lib, 'll.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ts: string; text: string });
    const l = lines.find((x) => Date.parse(x.ts) >= t0 - 2 && re.test(x.text));
    return l ? Date.parse(l.ts) - t0 : undefined;
  };
  return `del ${at(from, /INFO: ip -4 addr del/) ?? '?'} ms, add ${at(to, /INFO: ip -4 addr add/) ?? '?'} ms`;
}

const results: Record<'standby' | 'failback', number[]> = { standby: [], failback: [] };
const load0 = load();
for (let i = 0; i < runs; i++) {
  const net = `${netBase}.${subnetBase + i}`;
  const vip = `${net}.100`;
  await withCluster({ prefix, networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb', 'client'] }, async (c) => {
    const [a, b, cl] = [c.host('nodea'), c.host('nodeb'), c.host('client')];
    const cfg = { haCf: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n',
      authkeys: 'auth 1\n1 sha1 benchkey\n', haresources: `nodea ${vip}/24/eth0 dummysvc\n`, resourceScripts: { dummysvc: DUMMYSVC } };
    for (const h of [a, b]) await startDaemon(h, cfg, kind);
    await until('VIP on nodea', 60000, () => a.hasAddress(vip));
    await b.waitForLog(/Status update for node nodea: status active/, { timeoutMs: 30000 });
    await new Promise((r) => setTimeout(r, 1500));
    const ping = cl.spawn(['ping', '-D', '-n', '-i', '0.005', vip], { pipe: true });
    const ts = replies(ping);
    await until('client replies', 10000, () => ts.length > 20);
    for (const [name, from, to, cmd] of [['standby', a, b, 'hb_standby'], ['failback', b, a, 'hb_takeover']] as const) {
      const caller = cmd === 'hb_standby' ? from : to;
      const t0 = Date.now();
      const r = await handCommand(caller, 'lifeline', cmd, 'all');
      if (r.code !== 0) throw new Error(`${cmd} failed: ${r.stdout}${r.stderr}`);
      await until(`VIP on ${to.name}`, 20000, async () => (await to.hasAddress(vip)) && !(await from.hasAddress(vip)));
      const seen = ts.length;
      await until('replies again', 10000, () => ts.length > seen + 60);
      const o = outage(ts, t0);
      results[name].push(o);
      console.log(`run ${i + 1} ${name}: longest gap ${o.toFixed(0)} ms (${steps(from, to, t0)}) [load ${load()}]`);
      await new Promise((r) => setTimeout(r, 1500));
    }
    ping.kill('SIGKILL');
  });
}
console.log(`\nplanned hand-over, longest time without a ping reply (5 ms interval), ${runs} runs, min / median / max; load ${load0} → ${load()}`);
for (const [name, xs] of Object.entries(results)) {
  if (xs.length) { const m = summary(xs); console.log(`  ${name.padEnd(9)} ${m.min.toFixed(0)} / ${m.median.toFixed(0)} / ${m.max.toFixed(0)} ms`); }
}
