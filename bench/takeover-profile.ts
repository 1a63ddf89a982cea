// Where Lifeline's takeover time goes: crashes the owner of a two-node rig and reads the survivor's JSON log
// (ms timestamps) from "is dead" to the VIP's `ip addr add` and its "Success". Usage: node --import tsx bench/takeover-profile.ts [runs] [--prefix llb-tp] [--net 10.230]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { withCluster, startDaemon, lifelineKind, type DaemonKind } from '../src/harness/index.js';
import { DUMMYSVC, summary } from './failover-rig.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}
const runs = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 10);
const prefix = arg('prefix', 'llb-tp');
const netBase = arg('net', '10.230');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const load0 = load();
const base = lifelineKind();
const kind: DaemonKind = { ...base, command: (h) => [...base.command(h), '--json-log', '/var/lib/heartbeat/ll.json'] };
/** Steps of the takeover path, as the survivor logs them, in order. */
const STEPS: [string, RegExp][] = [
  ['is dead', /node nodea: is dead/],
  ['Taking over', /Taking over resource group/],
  ['VIP status done', /IPaddr\(IPaddr_[\d.]+\.100\): INFO: Resource is stopped/],
  ['ip addr add issued', /INFO: ip -4 addr add/],
  ['VIP start done', /IPaddr\(IPaddr_[\d.]+\.100\): INFO: Success/],
  ['takeover complete', /mach_down takeover complete\.$/],
];

const deltas = new Map<string, number[]>(STEPS.map(([n]) => [n, []]));
for (let i = 0; i < runs; i++) {
  const net = `${netBase}.${200 + i}`;
  await withCluster({ prefix, networks: [`${net}.0/24`], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cfg = { haCf: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n',
      authkeys: 'auth 1\n1 sha1 benchkey\n', haresources: `nodea ${net}.100/24/eth0 dummysvc\n`, resourceScripts: { dummysvc: DUMMYSVC } };
    for (const h of [a, b]) await startDaemon(h, cfg, kind);
    await b.waitForLog(/Status update for node nodea: status active/, { timeoutMs: 30000 });
    await b.waitForLog(/remote resource transition completed|Initial resource acquisition complete/, { timeoutMs: 30000 });
    const mark = await b.logMark();
    await a.crash();
    await b.waitForLog(/mach_down takeover complete\./, { since: mark, timeoutMs: 10000 });
    const lines = readFileSync(join(b.dirs.lib, 'll.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ts: string; text: string });
    const dead = lines.findIndex((l) => STEPS[0]![1].test(l.text));
    const t0 = Date.parse(lines[dead]!.ts);
    // --show: the survivor's whole takeover, line by line with ms after "is dead".
    if (process.argv.includes('--show')) {
      for (const l of lines.slice(dead)) { console.log(`  +${Date.parse(l.ts) - t0} ${l.text}`); if (STEPS[5]![1].test(l.text)) break; }
    }
    for (const [name, re] of STEPS) {
      const l = lines.slice(dead).find((x) => re.test(x.text));
      if (l) deltas.get(name)!.push(Date.parse(l.ts) - t0);
    }
  });
}
console.log(`takeover path on the survivor, ms after "is dead" (its own log), ${runs} runs: min / median / max; load average ${load0} → ${load()}`);
for (const [name, xs] of deltas) {
  if (xs.length === 0) { console.log(`  ${name.padEnd(20)} not seen`); continue; }
  const m = summary(xs);
  console.log(`  ${name.padEnd(20)} ${m.min} / ${m.median} / ${m.max}`);
}
