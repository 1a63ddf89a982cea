// The in-memory network the membership tests run on: delivery timing, loss, partitions, determinism.
// Time is a ManualClock; nothing here sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryNetwork, type ReceivedPacket, type Transport } from '../../src/io/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (p: ReceivedPacket): string => new TextDecoder().decode(p.data);

function inbox(t: Transport): string[] {
  const got: string[] = [];
  t.onPacket((p) => got.push(`${p.from}:${dec(p)}`));
  return got;
}

test('a broadcast reaches every node on the link after the configured delay, not before', () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork({ clock, delayMs: 10 });
  const a = net.attach('nodea');
  const b = inbox(net.attach('nodeb'));
  const c = inbox(net.attach('nodec'));
  const other = inbox(net.attach('noded', { link: 'mem1' }));
  const own = inbox(a);
  a.send(enc('hb'));
  assert.equal(net.deliverDue(), 1); // the sender's own copy loops back at once, as on a real interface
  assert.deepEqual(own, ['nodea:hb']);
  assert.deepEqual(b, []);
  assert.equal(net.nextDueAt(), 10);
  clock.advance(10);
  assert.equal(net.deliverDue(), 2);
  assert.deepEqual(b, ['nodea:hb']);
  assert.deepEqual(c, ['nodea:hb']);
  assert.deepEqual(other, []);
});

test('the sender hears itself unless loopback is off; unicast reaches only its peer', () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork({ clock });
  const aT = net.attach('nodea', { loopback: false, unicastTo: 'nodeb' });
  const a = inbox(aT);
  const b = inbox(net.attach('nodeb'));
  const c = inbox(net.attach('nodec'));
  aT.send(enc('only-b'));
  net.deliverDue();
  assert.deepEqual(a, []);
  assert.deepEqual(b, ['nodea:only-b']);
  assert.deepEqual(c, []);
});

test('a partition stops traffic between groups in both directions; heal restores it', () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork({ clock });
  const aT = net.attach('nodea', { loopback: false });
  const bT = net.attach('nodeb', { loopback: false });
  const a = inbox(aT);
  const b = inbox(bT);
  net.partition([['nodea'], ['nodeb']]);
  aT.send(enc('x'));
  bT.send(enc('y'));
  net.deliverDue();
  assert.deepEqual([a, b], [[], []]);
  assert.equal(net.stats().blocked, 2);
  net.heal();
  aT.send(enc('x2'));
  net.deliverDue();
  assert.deepEqual(b, ['nodea:x2']);
});

test('a one-way cut: nodeb still hears nodea but nodea no longer hears nodeb', () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork({ clock });
  const aT = net.attach('nodea', { loopback: false });
  const bT = net.attach('nodeb', { loopback: false });
  const a = inbox(aT);
  const b = inbox(bT);
  net.setPath('nodeb', 'nodea', { down: true });
  aT.send(enc('ping'));
  bT.send(enc('pong'));
  net.deliverDue();
  assert.deepEqual(b, ['nodea:ping']);
  assert.deepEqual(a, []);
});

test('loss and jitter are random but reproducible: the same seed gives the same run', () => {
  const runOnce = (seed: number): { got: string[]; lost: number } => {
    const clock = new ManualClock();
    const net = new MemoryNetwork({ clock, seed });
    const aT = net.attach('nodea', { loopback: false });
    const got = inbox(net.attach('nodeb'));
    net.setLink('nodea', 'nodeb', { lossPct: 30, delayMs: 5, jitterMs: 20 });
    for (let i = 0; i < 1000; i++) { aT.send(enc(String(i))); clock.advance(1); net.deliverDue(); }
    clock.advance(100);
    net.deliverDue();
    return { got, lost: net.stats().lost };
  };
  const r1 = runOnce(42);
  const r2 = runOnce(42);
  const r3 = runOnce(7);
  assert.deepEqual(r1, r2);
  assert.notDeepEqual(r1.got, r3.got);
  assert.ok(r1.lost > 240 && r1.lost < 360, `lost ${r1.lost} of 1000 at 30 %`);
  assert.equal(r1.got.length + r1.lost, 1000);
  // Jitter larger than the send interval reorders packets.
  const order = r1.got.map((s) => Number(s.split(':')[1]));
  assert.ok(order.some((n, i) => i > 0 && n < (order[i - 1] as number)), 'expected some reordering');
});

test('packets due at the same time keep their send order; a closed endpoint counts its sends as errors', async () => {
  const clock = new ManualClock();
  const net = new MemoryNetwork({ clock, delayMs: 3 });
  const aT = net.attach('nodea', { loopback: false });
  const b = inbox(net.attach('nodeb'));
  for (const s of ['1', '2', '3']) aT.send(enc(s));
  clock.advance(3);
  net.deliverDue();
  assert.deepEqual(b, ['nodea:1', 'nodea:2', 'nodea:3']);
  const errors: string[] = [];
  aT.onError((e) => errors.push(e.message));
  await aT.close();
  aT.send(enc('late'));
  assert.equal(aT.stats().sendErrors, 1);
  assert.equal(errors.length, 1);
});
