// FAQ 10's tuning rules as arithmetic: from measured silences to keepalive/warntime/deadtime/initdead, and the
// sentences on what the current settings risk or cost. Synthetic histograms, no daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advise, countAtLeast, emptyHistogram, quantile, recordGap } from '../../src/config/deadtime-advisor.js';

const timing = { keepalive: 1000, warntime: 15_000, deadtime: 30_000, initdead: 60_000 };

function steady(n: number, base: number, spikes: number[] = []) {
  const h = emptyHistogram();
  for (let i = 0; i < n; i++) recordGap(h, base + (i % 7) * 3);
  for (const s of spikes) recordGap(h, s);
  return h;
}

test('quantiles are bucket upper edges, never below the true value', () => {
  const h = steady(10_000, 1000, [2500]);
  assert.equal(quantile(h, 0.5), 1010);
  assert.equal(quantile(h, 1), 2500);
  assert.equal(countAtLeast(h, 2000), 1);
});

test('a quiet LAN with deadtime 30: advice is a few seconds, and the 27 s extra per failover is named as a cost', () => {
  const h = steady(20_000, 1000, [1800, 1900]);
  const a = advise(h, timing);
  assert.equal(a.enoughData, true);
  assert.equal(a.basis, 'p99.99');
  assert.equal(a.recommended.deadtime, 2400, 'p99.99 1020 ms x 2 = 2040, but the worst gap 1900 ms + 25 % rules');
  assert.ok(a.recommended.warntime < a.recommended.deadtime && a.recommended.warntime > timing.keepalive);
  assert.equal(a.recommended.initdead, 10_000);
  assert.equal(a.recommended.keepalive, 1000);
  assert.match(a.notes.join('\n'), /COST: deadtime 30 makes every failover wait 27\.6 s longer than the 2\.4 the observed gaps allow/);
});

test('silences at or past deadtime are named as false failovers', () => {
  const h = steady(20_000, 1000, [6000, 7000, 9000]);
  const a = advise(h, { keepalive: 1000, warntime: 2000, deadtime: 5000, initdead: 12_000 });
  assert.match(a.notes.join('\n'), /RISK: 3 of 20003 silences lasted deadtime 5 or longer/);
  assert.match(a.notes.join('\n'), /3 silences reached warntime 2/);
  assert.ok(a.recommended.deadtime >= 2 * 1000);
});

test('with few gaps the worst one is the basis with twice the margin, and the wait for more data is said', () => {
  const h = steady(500, 200, [400]);
  const a = advise(h, { keepalive: 200, warntime: 1000, deadtime: 2000, initdead: 10_000 });
  assert.equal(a.enoughData, false);
  assert.equal(a.recommended.deadtime, 1600, 'worst 400 ms x 4');
  assert.match(a.notes.join('\n'), /Only 501 gaps seen: keep the daemon running until at least 10000 \(about 1 h at keepalive 200ms\)/);
});
