// The demo's timeline, replayed from client samples: who served when, and the failover figures it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failoverSummary, isInterestingLogLine, measureMove, servingChanges, type ClientSample } from '../../src/cli/demo/timeline.js';

const A = 'node1.example.com';
const B = 'node2.example.com';

/** A client polling every 50 ms: A answers until 1000, nothing until 3050, then B. Timeouts arrive 300 ms late. */
function crashSamples(): ClientSample[] {
  const out: ClientSample[] = [];
  for (let t = 0; t < 3300; t += 50) {
    if (t < 1000) out.push({ at: t + 2, server: A });
    else if (t < 3050) out.push({ at: t + 300 });
    else out.push({ at: t + 3, server: B });
  }
  return out;
}

test('a crash seen by the client: A serves, then nobody, then B', () => {
  const ch = servingChanges(crashSamples(), 150);
  assert.deepEqual(ch.map((c) => [c.from, c.to]), [[undefined, A], [A, undefined], [undefined, B]]);
  // "Nobody" is reported once no answer came for the quiet period, not at the first late failure.
  assert.ok(ch[1]!.at - 952 >= 150, `outage reported at ${ch[1]!.at}`);
});

test('a slow answer between two failures does not flap the display', () => {
  const s: ClientSample[] = [{ at: 0, server: A }, { at: 50 }, { at: 100, server: A }, { at: 150 }];
  assert.deepEqual(servingChanges(s, 150).map((c) => c.to), [A]);
});

test('failover figures: service back 2053 ms after the crash, death declared at 1900 ms, takeover 153 ms', () => {
  const crashAt = 1000;
  const m = measureMove(crashSamples(), { causeAt: crashAt, oldNode: A, newNode: B, deadAt: 2900 });
  assert.equal(m.serviceBackMs, 3053 - crashAt);
  assert.equal(m.detectMs, 1900);
  assert.equal(m.takeoverMs, 153);
  assert.equal(m.lastOldAt, 952);
  assert.equal(m.gapMs, 3053 - 952);
  const s = failoverSummary(m, { oldNode: A, newNode: B, deadtimeMs: 2000 });
  assert.ok(s.ok);
  assert.match(s.lines[0]!, /^Failover time: 2\.05 s from the crash of node1\.example\.com to the first answer from node2\.example\.com$/);
  assert.match(s.lines.join('\n'), /declared node1\.example\.com dead 1\.90 s after the crash \(deadtime 2\.00 s\)/);
  assert.match(s.lines.join('\n'), /153 ms after that/);
});

test('no answer from the survivor is a failed failover, and says whether death was even declared', () => {
  const only = crashSamples().filter((s) => s.server !== B);
  const m = measureMove(only, { causeAt: 1000, oldNode: A, newNode: B });
  assert.equal(m.serviceBackMs, undefined);
  const s = failoverSummary(m, { oldNode: A, newNode: B, deadtimeMs: 2000 });
  assert.equal(s.ok, false);
  assert.match(s.lines[0]!, /^FAILOVER DID NOT HAPPEN: .*never declared node1\.example\.com dead/);
});

test('an answer from the old node that arrives after the cause still counts as before the move', () => {
  // Failback: B serves until 5010 (after the restart at 5000), A from 5100 on.
  const s: ClientSample[] = [{ at: 4950, server: B }, { at: 5010, server: B }, { at: 5100, server: A }, { at: 5150, server: A }];
  const m = measureMove(s, { causeAt: 5000, oldNode: B, newNode: A });
  assert.equal(m.serviceBackMs, 100);
  assert.equal(m.gapMs, 90);
});

test('the live log view shows deaths, takeovers and hand-overs, not every protocol step', () => {
  for (const l of ['node node1.example.com: is dead', 'Taking over resource group 10.250.1.5', 'mach_down takeover complete.',
    'Releasing resource group: node1.example.com 10.250.1.5 httpd', 'Status update for node node2.example.com: status active']) {
    assert.ok(isInterestingLogLine(l), l);
  }
  for (const l of ['Status update for node node2.example.com: status init', 'remote resource transition completed.',
    'mach_down takeover complete for node node1.example.com.', 'node1.example.com wants to go standby [foreign]']) {
    assert.ok(!isInterestingLogLine(l), l);
  }
});
