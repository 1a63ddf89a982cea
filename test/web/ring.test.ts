// The event ring as a pure machine: bounded, paged by seq, and a death followed by a takeover gets its durations.
// Driven with a fake clock; no daemon, no sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRing, eventLine } from '../../src/events/ring.js';
import { RateLimiter, isLoopback } from '../../src/web/security.js';

test('the ring keeps at most its capacity and pages by seq', () => {
  let now = 0;
  const r = new EventRing(() => now, () => 1_000_000 + now, 3);
  for (let i = 0; i < 5; i++) { now += 10; r.fromControl({ cmd: 'standby', which: 'all' }); }
  const all = r.since(0);
  assert.deepEqual(all.events.map((e) => e.seq), [3, 4, 5]);
  assert.equal(all.last, 5);
  assert.deepEqual(r.since(4).events.map((e) => e.seq), [5]);
  assert.equal(r.totals.command, 5);
});

test('late heartbeat, takeover start and done are read from heartbeat\'s log wording, with durations', () => {
  let now = 1000;
  const r = new EventRing(() => now);
  r.fromLog('warn', 'Late heartbeat: Node nodea: interval 1500 ms');
  now = 2000; r.fromLog('info', 'Taking over resource group IPaddr::10.231.1.100');
  now = 2750; r.fromLog('info', 'mach_down takeover complete for node nodea.');
  r.fromLog('info', 'mach_down takeover complete.'); // heartbeat's second line of the same takeover
  const ev = r.since(0).events;
  assert.deepEqual(ev.map((e) => e.code), ['LL_EV_LATE_HEARTBEAT', 'LL_EV_TAKEOVER_START', 'LL_EV_TAKEOVER_DONE']);
  assert.equal(ev[0]!.durationMs, 1500);
  assert.equal(ev[2]!.durationMs, 750);
  assert.equal(r.lateByNode.nodea, 1);
});

test('the rate limiter refuses past its burst and recovers at its rate', () => {
  let now = 0;
  const l = new RateLimiter(10, 5, () => now);
  const first = Array.from({ length: 8 }, () => l.take('a'));
  assert.deepEqual(first, [true, true, true, true, true, false, false, false]);
  now = 200; // 2 tokens back
  assert.deepEqual([l.take('a'), l.take('a'), l.take('a')], [true, true, false]);
  assert.equal(l.take('b'), true);
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('10.231.0.1'), false);
});

test('eventLine: the stable code first, then the fields as snake_case key=value, quoted when they hold spaces', () => {
  const ring = new EventRing(() => 10, () => 1_000);
  const seen: string[] = [];
  const r2 = new EventRing(() => 10, () => 1_000, 10, (e) => seen.push(eventLine(e)));
  r2.add({ kind: 'node-dead', level: 'warn', node: 'nodeb', detectionMs: 2001, text: 'node nodeb: is dead' });
  r2.add({ kind: 'packet-dropped', level: 'warn', link: 'eth0', reason: 'bad auth', text: 'x' });
  assert.deepEqual(seen, ['event LL_EV_NODE_DEAD node=nodeb detection_ms=2001', 'event LL_EV_PACKET_DROPPED link=eth0 reason="bad auth"']);
  assert.equal(eventLine(ring.add({ kind: 'takeover-done', level: 'info', durationMs: 31, sinceDeathMs: 40, ok: true, text: 'y' })),
    'event LL_EV_TAKEOVER_DONE duration_ms=31 since_death_ms=40 ok=true');
});

test('fencing in heartbeat\'s words becomes fence-start, fence-done and fence-failed events', () => {
  const r = new EventRing(() => 0, () => 0);
  r.fromLog('info', 'Resetting node nodeb with [external/ipmi]');
  r.fromLog('error', 'STONITH of nodeb failed.  Retrying...');
  r.fromLog('error', 'Host nodeb not reset!');
  r.fromLog('info', 'node nodeb now reset.');
  r.fromLog('info', 'Checking status of STONITH device [external/ipmi]');
  assert.deepEqual(r.since(0).events.map((e) => [e.code, e.node]), [
    ['LL_EV_FENCE_START', 'nodeb'], ['LL_EV_FENCE_FAILED', 'nodeb'], ['LL_EV_FENCE_FAILED', 'nodeb'], ['LL_EV_FENCE_DONE', 'nodeb'],
  ]);
});
