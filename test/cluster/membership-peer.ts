// Test helper process: one Lifeline membership machine on a real UDP broadcast socket, for namespace tests.
// Not the daemon: it only runs membership (no resources) and prints every effect as a JSON line on stdout.
// Usage: node membership-peer.js CONFIG_JSON   (fields: self, nodes, uuidHex, generation, keepalive, deadtime,
// warntime, initdead, authkeys, broadcast, port, runFor)
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseAuthkeys } from '../../src/config/authkeys.js';
import { decodeVerified, sign } from '../../src/wire/auth.js';
import type { MembershipEvent } from '../../src/membership/index.js';
import { initialState, membershipConfig, step } from '../../src/membership/index.js';
import { generation, millis, nodeName } from '../../src/types.js';

interface PeerConfig {
  self: string;
  nodes: string[];
  uuidHex: string;
  generation: number;
  keepalive: number;
  deadtime: number;
  warntime: number;
  initdead: number;
  authkeys: string;
  broadcast: string;
  port: number;
  runFor: number;
}

const pc = JSON.parse(process.argv[2]!) as PeerConfig;
const keys = parseAuthkeys(pc.authkeys, 'authkeys').value;
if (!keys) throw new Error('authkeys do not parse');
const t0 = performance.now();
const now = () => millis(performance.now() - t0);
const cfg = membershipConfig({
  self: nodeName(pc.self),
  uuid: Uint8Array.from(Buffer.from(pc.uuidHex, 'hex')),
  generation: generation(pc.generation),
  nodes: pc.nodes.map(nodeName),
  media: ['eth0'],
  keepalive: millis(pc.keepalive),
  deadtime: millis(pc.deadtime),
  warntime: millis(pc.warntime),
  initdead: millis(pc.initdead),
  wallClockOffset: millis(Date.now() - performance.now()),
});
if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
let state = initialState(cfg.value.config);
const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
let timer: NodeJS.Timeout | undefined;
const out = (o: object) => process.stdout.write(`${JSON.stringify({ t: Math.round(now()), ...o })}\n`);

function run(ev: MembershipEvent): void {
  const r = step(state, ev, now());
  state = r.state;
  for (const e of r.effects) {
    if (e.kind === 'send') {
      const s = sign(e.message, keys!);
      if (s.ok) sock.send(s.value.bytes, pc.port, pc.broadcast);
      else out({ kind: 'sign-error', error: s.error.message });
    } else if (e.kind === 'wake-at') {
      clearTimeout(timer);
      timer = setTimeout(() => run({ kind: 'tick', loadavg: readFileSync('/proc/loadavg', 'utf8').trim() }), Math.max(0, e.at - now()));
    } else if (e.kind === 'deliver') {
      out({ kind: 'deliver', type: e.message.fields.find((f) => f.name === 't')?.value, from: e.from, loopback: e.loopback });
    } else {
      out(e);
    }
  }
}

sock.on('message', (bytes) => {
  const v = decodeVerified(bytes, keys);
  if (!v.ok) return out({ kind: 'bad-packet', code: v.error.code });
  run({ kind: 'receive', message: v.value.packet.message, medium: 'eth0' });
});
sock.bind(pc.port, () => {
  sock.setBroadcast(true);
  // Lets the test put our `t` values on its own (wall) clock.
  out({ kind: 'clock', wallAtZero: Date.now() - now() });
  run({ kind: 'start' });
});
setTimeout(() => {
  out({ kind: 'counters', counters: state.counters });
  process.exit(0);
}, pc.runFor);
