// The failover timeline as a pure function: a death and the takeover after it become one failover with its
// measured durations, drawn as bands on an axis that follows the events; text is escaped. Fake clock, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRing } from '../../src/events/ring.js';
import { axis, esc, failovers, fmtMs, timelineSvg } from '../../src/web/timeline.js';

const T0 = Date.UTC(2026, 11, 7, 6, 0, 0);

/** nodea dies (2.1 s after it was last heard), nodeb takes its group over 400 ms later. */
function failoverRing(): { ring: EventRing; clock: { now: number } } {
  const clock = { now: 0 };
  const ring = new EventRing(() => clock.now, () => T0 + clock.now);
  clock.now = 10_000;
  ring.add({ kind: 'node-dead', level: 'warn', node: 'nodea', text: 'node nodea is dead', detectionMs: 2100 });
  clock.now = 10_050; ring.fromLog('info', 'Taking over resource group IPaddr::10.231.1.100');
  clock.now = 10_400; ring.fromLog('info', 'mach_down takeover complete for node nodea.');
  return { ring, clock };
}

test('a death and the takeover that completes after it are one failover with detection and takeover durations', () => {
  const { ring } = failoverRing();
  const f = failovers(ring.since(0).events);
  assert.equal(f.length, 1);
  assert.deepEqual(f[0], { node: 'nodea', deadAt: T0 + 10_000, lastHeardAt: T0 + 7_900, detectionMs: 2100, doneAt: T0 + 10_400, takeoverMs: 400 });
});

test('a second death before any takeover leaves the first failover without one', () => {
  const clock = { now: 0 };
  const ring = new EventRing(() => clock.now, () => T0 + clock.now);
  ring.add({ kind: 'node-dead', level: 'warn', node: 'nodea', text: 'x', detectionMs: 2000 });
  clock.now = 5000;
  ring.add({ kind: 'node-dead', level: 'warn', node: 'nodec', text: 'y', detectionMs: 1900 });
  const f = failovers(ring.since(0).events);
  assert.deepEqual(f.map((x) => [x.node, x.doneAt]), [['nodea', undefined], ['nodec', undefined]]);
});

test('the svg draws the failover bands where the events are, labelled with the measured durations', () => {
  const { ring } = failoverRing();
  const now = T0 + 20_000;
  const svg = timelineSvg(ring.since(0).events, now, { width: 1000 });
  const { from, to } = axis(ring.since(0).events, now);
  assert.equal(to, now);
  assert.equal(to - from, 60_000, 'a fresh ring gets the minimum window');
  assert.match(svg, /<g class="failover" data-node="nodea" data-detection-ms="2100" data-takeover-ms="400">/);
  assert.match(svg, /nodea dead: detection 2\.10 s, takeover 400 ms/);
  // x of an instant: LEFT (90) + fraction of the drawable width (1000 - 90 - 10).
  const xOf = (at: number) => (90 + ((at - from) / (to - from)) * 900).toFixed(1);
  assert.match(svg, new RegExp(`<rect class="detection" x="${xOf(T0 + 7_900)}"`));
  assert.match(svg, new RegExp(`<rect class="takeover" x="${xOf(T0 + 10_000)}"`));
  assert.equal((svg.match(/<circle /g) ?? []).length, 3, 'one mark per event');
});

test('the window grows with the ring up to its maximum, and old events fall off the left edge', () => {
  const clock = { now: 0 };
  const ring = new EventRing(() => clock.now, () => T0 + clock.now);
  ring.add({ kind: 'link-dead', level: 'warn', node: 'nodea', link: 'eth0', text: 'old' });
  clock.now = 10 * 3600_000;
  ring.add({ kind: 'link-up', level: 'info', node: 'nodea', link: 'eth0', text: 'new' });
  const evs = ring.since(0).events;
  const now = T0 + clock.now + 1000;
  const a = axis(evs, now, { maxWindowMs: 3600_000 });
  assert.equal(a.to - a.from, 3600_000);
  const svg = timelineSvg(evs, now, { maxWindowMs: 3600_000 });
  assert.equal((svg.match(/<circle /g) ?? []).length, 1);
  assert.doesNotMatch(svg, />[^<]*old<\/title>/);
});

test('text from the cluster is escaped in the picture', () => {
  const ring = new EventRing(() => 0, () => T0);
  ring.add({ kind: 'node-dead', level: 'warn', node: '<script>', text: 'a "b" & <c>' });
  const svg = timelineSvg(ring.since(0).events, T0 + 1000);
  assert.doesNotMatch(svg, /<script>/);
  assert.match(svg, /&lt;script&gt;/);
  assert.equal(esc(`'"&<>`), '&#39;&quot;&amp;&lt;&gt;');
  assert.equal(fmtMs(840), '840 ms');
  assert.equal(fmtMs(2310), '2.31 s');
});
