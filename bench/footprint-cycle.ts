// The daemon's JavaScript work per heartbeat without sockets: two membership machines, every packet signed and then
// decoded + verified as the daemon does it, simulated keepalive 100 ms. Prints µs per node-second and % of a core.
// Run: node --lite-mode --import tsx bench/footprint-cycle.ts [--seconds S] [--sim-seconds N]  (--lite-mode as the daemon)
import { performance } from 'node:perf_hooks';
import { parseAuthkeys } from '../src/config/authkeys.js';
import { initialState, membershipConfig, step, type MembershipEffect, type MembershipEvent, type MembershipState } from '../src/membership/index.js';
import { decodeVerified, sign } from '../src/wire/auth.js';
import { generation, millis, nodeName } from '../src/types.js';

const num = (name: string, d: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const keys = parseAuthkeys('auth 1\n1 sha1 benchkey\n', 'authkeys').value!;
const names = ['nodea', 'nodeb'];

interface Node { name: string; state: MembershipState; wakeAt: number }

/** Runs `simS` simulated seconds of a 2-node cluster; returns the wall ms spent and the packets delivered. */
function simulate(simS: number): { ms: number; packets: number } {
  const nodes: Node[] = names.map((n, i) => {
    const c = membershipConfig({
      self: nodeName(n), uuid: new Uint8Array(16).fill(i + 1), generation: generation(1000), media: ['eth0'], nodes: names.map(nodeName),
      keepalive: millis(100), deadtime: millis(500), warntime: millis(300), initdead: millis(2000), wallClockOffset: millis(1795572151000),
    });
    if (!c.ok) throw new Error('config');
    return { name: n, state: initialState(c.value.config), wakeAt: Infinity };
  });
  let packets = 0;
  const inbox: { to: Node; bytes: Uint8Array; from: string }[] = [];
  const apply = (n: Node, ev: MembershipEvent, now: number) => {
    const r = step(n.state, ev, millis(now));
    n.state = r.state;
    for (const e of r.effects as MembershipEffect[]) {
      if (e.kind === 'wake-at') n.wakeAt = e.at;
      else if (e.kind === 'send') {
        const s = sign(e.message, keys);
        // bcast: the sender hears its own packet too, as on a real broadcast medium.
        if (s.ok) for (const to of nodes) inbox.push({ to, bytes: s.value.bytes, from: n.name });
      }
    }
  };
  const t0 = performance.now();
  for (const n of nodes) apply(n, { kind: 'start' }, 0);
  for (let now = 0; now < simS * 1000; now++) {
    for (const n of nodes) if (n.wakeAt <= now) { n.wakeAt = Infinity; apply(n, { kind: 'tick', loadavg: '0.10 0.20 0.30 1/100 4242' }, now); }
    while (inbox.length) {
      const p = inbox.shift()!;
      const v = decodeVerified(p.bytes, keys);
      if (!v.ok) throw new Error(v.error.message);
      packets++;
      apply(p.to, { kind: 'receive', message: v.value.packet.message, medium: 'eth0', address: p.from }, now);
    }
  }
  return { ms: performance.now() - t0, packets };
}

const simS = num('sim-seconds', 60);
simulate(10); // warm-up
const runs = num('runs', 5);
const per: number[] = [];
for (let i = 0; i < runs; i++) { const r = simulate(simS); per.push(r.ms / (names.length * simS)); }
per.sort((a, b) => a - b);
const med = per[Math.floor(per.length / 2)]!;
console.log(`2 nodes, keepalive 100 ms, ${simS} s simulated x ${runs}: median ${(med * 1000).toFixed(0)} µs of JavaScript per node-second = ${(med / 10).toFixed(2)} % of one core per node (min ${(per[0]! / 10).toFixed(2)}, max ${(per.at(-1)! / 10).toFixed(2)})`);
