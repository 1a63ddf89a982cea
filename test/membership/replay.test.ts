// Replay: the real nodea's packets from the heartbeat 3.0.6 capture, at their captured times, into a Lifeline
// machine playing nodeb; its membership log must match the real nodeb's ha-log line for line, at the same times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVerified } from '../../src/wire/auth.js';
import { readCapture } from '../../src/wire/capture.js';
import { interopDir, keysFor, METHODS, nodeAddress, type CaptureName } from '../wire/fixtures.js';
import type { HaMessage } from '../../src/wire/message.js';
import { getString } from '../../src/wire/message.js';
import type { MembershipEvent, MembershipState } from '../../src/membership/index.js';
import { initialState, membershipConfig, step } from '../../src/membership/index.js';
import { generation, millis, nodeName } from '../../src/types.js';

interface Captured {
  readonly time: number; // Unix seconds
  readonly src: string;
  readonly message: HaMessage;
}

/** The capture's packets as tcpdump recorded them, each decoded and authenticated with that capture's key. */
function load(method: CaptureName): Captured[] {
  const file = join(interopDir(), `${method}.pcap`);
  const cap = readCapture(readFileSync(file), file);
  assert.ok(cap.ok, JSON.stringify(cap));
  return cap.value.datagrams.map((d) => {
    const v = decodeVerified(d.payload, keysFor(method));
    assert.ok(v.ok, `captured packet decodes and verifies: ${JSON.stringify(v)}`);
    return { time: d.time, src: d.src, message: v.value.packet.message };
  });
}

/** The membership lines of a real ha-log: "Nov 25 02:02:32 nodeb heartbeat: [10786]: info: Link nodea:eth0 up." */
const MEMBERSHIP = /^(Link \S+ (up|dead)\.|Status update for node|node \S+: is dead|Comm_now_up|Local status now set to|Heartbeat restart on node|\d+ lost packet\(s\)|No pkts missing|Late heartbeat)/;

function realLog(method: CaptureName, node: string): { second: number; text: string }[] {
  const out: { second: number; text: string }[] = [];
  for (const line of readFileSync(join(interopDir(), `${method}.${node}.ha-log`), 'utf8').split('\n')) {
    const m = /^\w+ \d+ (\d\d):(\d\d):(\d\d) \S+ heartbeat: \[\d+\]: \w+: (.*)$/.exec(line);
    if (!m || !MEMBERSHIP.test(m[4]!)) continue;
    out.push({ second: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]), text: m[4]! });
  }
  return out;
}

for (const method of METHODS) {
  test(`replay (${method} capture): a Lifeline nodeb logs what the real nodeb logged, when it did`, () => {
    const packets = load(method);
    const t0 = packets[0]!.time;
    const ms = (p: Captured) => Math.round((p.time - t0) * 1000);
    const ourFirst = packets.find((p) => p.src === nodeAddress('nodeb'))!;
    // The real nodeb went on reading until its last packet, after its shutdone: so do we.
    const ourLast = packets.filter((p) => p.src === nodeAddress('nodeb')).at(-1)!;
    const uuid = ourFirst.message.fields.find((f) => f.name === 'srcuuid')!;
    assert.equal(uuid.type, 1);
    // ha.cf of the capture: keepalive 1, deadtime 5, warntime 3, initdead 10, bcast eth0, nodes nodea and nodeb.
    const cfg = membershipConfig({
      self: nodeName('nodeb'),
      uuid: uuid.value as Uint8Array,
      generation: generation(parseInt(getString(ourFirst.message, 'hg')!, 16)),
      nodes: [nodeName('nodea'), nodeName('nodeb')],
      media: ['eth0'],
      keepalive: millis(1000),
      deadtime: millis(5000),
      warntime: millis(3000),
      initdead: millis(10000),
      wallClockOffset: millis(t0 * 1000),
    });
    assert.ok(cfg.ok);

    let state: MembershipState = initialState(cfg.value.config);
    let wake = ms(ourFirst);
    const ours: { at: number; text: string }[] = [];
    const echoes: HaMessage[] = [];
    const apply = (ev: MembershipEvent, at: number) => {
      const r = step(state, ev, millis(at));
      state = r.state;
      for (const e of r.effects) {
        if (e.kind === 'log') ours.push({ at, text: e.text });
        else if (e.kind === 'wake-at') wake = e.at;
        else if (e.kind === 'send') echoes.push(e.message); // our broadcast comes back to us, as on a real medium
      }
      while (echoes.length) apply({ kind: 'receive', message: echoes.shift()!, medium: 'eth0' }, at);
    };
    apply({ kind: 'start' }, ms(ourFirst));
    const fromA = packets.filter((p) => p.src === nodeAddress('nodea') && ms(p) > ms(ourFirst));
    const end = ms(ourLast);
    let i = 0;
    for (;;) {
      const nextPacket = i < fromA.length ? ms(fromA[i]!) : Infinity;
      if (Math.min(nextPacket, wake) > end) break;
      if (nextPacket <= wake) apply({ kind: 'receive', message: fromA[i++]!.message, medium: 'eth0' }, nextPacket);
      else apply({ kind: 'tick' }, wake);
    }

    const real = realLog(method, 'nodeb');
    const mine = ours.filter((l) => MEMBERSHIP.test(l.text));
    assert.deepEqual(mine.map((l) => l.text), real.map((l) => l.text), 'the same membership lines, in the same order');
    const dayStart = Math.floor(t0 / 86400) * 86400;
    for (let k = 0; k < real.length; k++) {
      const at = t0 + mine[k]!.at / 1000 - dayStart;
      // The real log has whole seconds, and the real nodeb acts later than the capture's time stamps: it checks
      // deaths every 250 ms, and its packets go from the read process to the master over IPC (up to 410 ms seen
      // in the sha1 capture). So we must log within that second, or at most half a second before it.
      // The first line is the exception: we start at nodeb's first packet on the wire, but heartbeat logs its 'up'
      // before its write process runs; the queued status messages then leave in one burst, seen up to 1.9 s later
      // (keepalive 1 s, plus the second the log truncates): allow one keepalive more.
      const late = k === 0 ? 2 : 1;
      assert.ok(at >= real[k]!.second - 0.5 && at < real[k]!.second + late, `"${real[k]!.text}" at ${at.toFixed(3)} s of day, real log says ${real[k]!.second}`);
    }
    assert.equal(state.counters.dropped.replay + state.counters.dropped.malformed + state.counters.dropped['unknown-node'], 0);
  });
}
