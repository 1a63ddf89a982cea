// The captured heartbeat 3.0.6 runs, decoded with the real codec: every resource message parses and renders back
// field for field, and a Lifeline node fed nodea's messages sends exactly nodeb's resource messages, in order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVerified } from '../../src/wire/auth.js';
import { getString, type HaMessage } from '../../src/wire/message.js';
import { millis, nodeName } from '../../src/types.js';
import { initialResourceState, step, type ResourceEvent, type ResourceState } from '../../src/resources/machine.js';
import { parseResourceMessage, resourceMessageFields, type ResourceMessage } from '../../src/resources/messages.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureManifest, interopDir, keysFor, METHODS, payloads } from '../wire/fixtures.js';
import { parseHaresources } from '../../src/config/haresources.js';

/** The captured cluster's haresources (capture.json), read by the real parser. */
function capturedGroups() {
  const r = parseHaresources(captureManifest().haresources, 'haresources', ['nodea', 'nodeb']);
  assert.ok(r.value, r.diagnostics.map((d) => d.message).join('; '));
  return r.value!;
}

const RESOURCE_TYPES = new Set(['starting', 'resource', 'ask_resources', 'ip-request', 'ip-request-resp', 'hb_takeover', 'shutdone', 'stonith']);
const TRANSPORT = new Set(['src', 'seq', 'hg', 'ts', 'ld', 'ttl', 'auth', 'srcuuid', 'destuuid', 'dest_uuid']);

interface Captured { time: number; src: string; seq: number; hg: number; message: HaMessage; parsed: ResourceMessage }

function resourcePackets(method: (typeof METHODS)[number]): Captured[] {
  const times = readFileSync(join(interopDir(), `${method}.jsonl`), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { time: number }).time);
  const out: Captured[] = [];
  payloads(method).forEach((bytes, i) => {
    const d = decodeVerified(new Uint8Array(bytes), keysFor(method));
    assert.ok(d.ok, `${method} packet ${i} does not verify`);
    if (!d.ok) return;
    const m = d.value.packet.message;
    const t = getString(m, 't') ?? '';
    if (!RESOURCE_TYPES.has(t)) return;
    const parsed = parseResourceMessage(m);
    assert.ok(parsed, `${method} packet ${i}: ${t} does not parse`);
    if (!parsed) return;
    out.push({ time: times[i]!, src: getString(m, 'src') ?? '', seq: parseInt(getString(m, 'seq') ?? '0', 16), hg: parseInt(getString(m, 'hg') ?? '0', 16), message: m, parsed });
  });
  return out;
}

for (const method of METHODS) {
  test(`${method} capture: every resource message parses and renders back to its own fields in wire order`, () => {
    const pk = resourcePackets(method);
    assert.ok(pk.length > 30, `only ${pk.length} resource messages`);
    for (const p of pk) {
      const own = p.message.fields.filter((f) => !TRANSPORT.has(f.name)).map((f) => [f.name, f.type === 0 ? f.value : '?'] as const);
      assert.deepEqual(resourceMessageFields(p.parsed), own);
    }
  });

  test(`${method} capture: Lifeline fed nodea's messages sends nodeb's resource messages, message for message`, () => {
    const pk = resourcePackets(method);
    // heartbeat hands a sender's messages to its handlers in sequence order within one generation.
    const bySeq = (a: Captured, b: Captured) => a.hg - b.hg || a.seq - b.seq;
    const fromA = pk.filter((p) => p.src === 'nodea').sort(bySeq);
    const fromB = pk.filter((p) => p.src === 'nodeb').sort(bySeq);
    const gens = [...new Set(fromA.map((p) => p.hg))];
    assert.equal(gens.length, 2, 'nodea ran twice (crash, restart)');
    const t0 = Math.min(fromA[0]!.time, fromB[0]!.time);
    // Membership events, placed where the real nodeb's own messages show it acted on them. Comm_now_up is when
    // nodeb sent `starting`. heartbeat ignores resource messages that it handles before Comm_now_up; whether
    // nodea's `starting`, sent a few ms earlier, was handled before or after depends on when nodeb's main loop
    // ran. nodeb's reply (`resource` right after its `starting`, in the sha1 run only) shows it was handled after.
    const answered = fromB[1]?.parsed.t === 'resource' && fromB[1].parsed.isstable === false && fromB[1].parsed.rscHold === 'none';
    const commUpAt = answered ? t0 - 0.001 : fromB[0]!.time - 0.001;
    const events: Array<[number, ResourceEvent]> = [[commUpAt, { type: 'comm-up', peerDead: false }]];
    const stonith = fromB.find((p) => p.parsed.t === 'stonith')!;
    events.push([stonith.time - 0.001, { type: 'peer-dead' }]);
    const restarted = fromA.find((p) => p.hg === gens[1])!;
    events.push([restarted.time - 0.001, { type: 'peer-restarted' }]);
    const shutdown = fromB.find((p) => p.parsed.t === 'resource' && p.parsed.info === 'shutdown')!;
    events.push([shutdown.time - 0.001, { type: 'shutdown' }]);
    // nodea's messages keep their sequence order; each is delivered no earlier than the one before it.
    let last = 0;
    for (const p of fromA) { last = Math.max(last, p.time); events.push([last, { type: 'message', from: nodeName('nodea'), msg: p.parsed }]); }
    events.sort((a, b) => a[0] - b[0]);

    let s: ResourceState = initialResourceState({ me: nodeName('nodeb'), peer: nodeName('nodea'), autoFailback: 'on', stonith: false,
      groups: capturedGroups() });
    const sent: ResourceMessage[] = [];
    const running = new Set<string>();
    const feed = (at: number, ev: ResourceEvent): void => {
      const r = step(s, ev, millis(Math.round(at * 1000)));
      s = r.state;
      for (const fx of r.effects) {
        if (fx.type === 'send') sent.push(fx.msg);
        if (fx.type === 'agent') {
          const ok = fx.action === 'status' ? running.has(fx.resource.text) : true;
          if (fx.action === 'start') running.add(fx.resource.text);
          if (fx.action === 'stop') running.delete(fx.resource.text);
          feed(at, { type: 'agent-done', opId: fx.opId, ok });
        }
      }
    };
    // Time runs in 50 ms ticks between events, so the machine's own timers (RQSTDELAY) fire as they would.
    let now = t0 - 0.001;
    for (const [at, ev] of events) {
      for (; now + 0.05 < at; now += 0.05) feed(now + 0.05, { type: 'tick' });
      now = at;
      feed(at, ev);
    }
    assert.deepEqual(sent, fromB.map((p) => p.parsed));
  });
}
