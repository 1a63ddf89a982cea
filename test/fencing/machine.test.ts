// The fencing machine with a fake clock and an in-memory device: reset before takeover, heartbeat's retry every
// 5 s with its log lines, timeouts never taken as success, the hourly status check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { millis, nodeName, type Millis } from '../../src/types.js';
import {
  fenceStep, fencing, initialFenceState, nextFenceDeadline, STONITH_RETRY_MS,
  type FenceEffect, type FenceEvent, type FenceState,
} from '../../src/fencing/machine.js';
import { PluginTwin, type PendingRun } from './twin.js';

const A = nodeName('nodea');
const B = nodeName('nodeb');

/** The machine, the twin and a fake clock: effects are carried out, time advances to the next thing due. */
class Rig {
  now: Millis = millis(0);
  state: FenceState;
  readonly log: string[] = [];
  readonly sent: string[] = [];
  readonly fenced: Array<{ node: string; at: number; attempts: number }> = [];
  pending: PendingRun[] = [];

  constructor(readonly twin: PluginTwin, timeoutMs = 10_000) {
    this.state = initialFenceState({ deviceId: 'IPMI STONITH device', attemptTimeout: millis(timeoutMs) });
  }

  feed(ev: FenceEvent): void {
    const r = fenceStep(this.state, ev, this.now);
    this.state = r.state;
    for (const fx of r.effects) this.apply(fx);
  }

  private apply(fx: FenceEffect): void {
    switch (fx.type) {
      case 'log': this.log.push(`${this.now} ${fx.level}: ${fx.text}`); break;
      case 'send': this.sent.push(`${fx.node}=${fx.result}`); break;
      case 'fenced': this.fenced.push({ node: fx.node, at: this.now, attempts: fx.attempts }); break;
      case 'run': {
        const a = this.twin.answer(fx.op, fx.node);
        // A hung plugin is killed by the adapter at the timeout: the machine sees 'timeout'.
        const run: PendingRun = a && a.afterMs < fx.timeoutMs
          ? { opId: fx.opId, at: millis(this.now + a.afterMs), outcome: a.outcome, op: fx.op, ...(fx.node ? { node: fx.node } : {}) }
          : { opId: fx.opId, at: millis(this.now + fx.timeoutMs), outcome: 'timeout', op: fx.op, ...(fx.node ? { node: fx.node } : {}) };
        this.pending.push(run);
        break;
      }
    }
  }

  /** Runs the clock until `until`, delivering plugin answers and machine deadlines in order. */
  advance(until: number): void {
    for (;;) {
      const next = [...this.pending.map((p) => p.at), nextFenceDeadline(this.state)].filter((x): x is Millis => x !== undefined && x <= until);
      if (next.length === 0) break;
      this.now = millis(Math.min(...next));
      const due = this.pending.filter((p) => p.at <= this.now);
      this.pending = this.pending.filter((p) => p.at > this.now);
      for (const p of due) { this.twin.applied(p.op, p.node, p.outcome); this.feed({ type: 'done', opId: p.opId, outcome: p.outcome }); }
      const d = nextFenceDeadline(this.state);
      if (d !== undefined && d <= this.now) this.feed({ type: 'tick' });
    }
    this.now = millis(until);
  }

  lines(re: RegExp): string[] { return this.log.filter((l) => re.test(l)); }
}

test('a dead peer is reset through the device; success is reported once, with heartbeat\'s lines', () => {
  const rig = new Rig(new PluginTwin(['nodea']));
  rig.feed({ type: 'fence', node: A });
  assert.deepEqual(rig.log, ['0 info: Resetting node nodea with [IPMI STONITH device]']);
  assert.ok(fencing(rig.state, A));
  assert.deepEqual(rig.fenced, [], 'nothing is confirmed before the device answers');
  rig.advance(10_000);
  assert.deepEqual(rig.twin.resets, ['nodea']);
  assert.deepEqual(rig.fenced, [{ node: 'nodea', at: 300, attempts: 1 }]);
  assert.deepEqual(rig.sent, ['nodea=OK']);
  assert.ok(rig.log.includes('300 info: node nodea now reset.'));
  assert.ok(!fencing(rig.state, A));
});

test('a second death notice while a reset runs starts no second reset', () => {
  const rig = new Rig(new PluginTwin(['nodea']));
  rig.feed({ type: 'fence', node: A });
  rig.feed({ type: 'fence', node: A });
  rig.advance(1000);
  assert.equal(rig.lines(/Resetting node/).length, 1);
  assert.equal(rig.fenced.length, 1);
});

test('an unreachable device: every failure is logged and retried 5 s later, and nothing is ever confirmed', () => {
  const twin = new PluginTwin(['nodea'], { failAfter: 2000 });
  twin.reachable = false;
  const rig = new Rig(twin);
  rig.feed({ type: 'fence', node: A });
  rig.advance(60_000);
  assert.deepEqual(rig.fenced, [], 'never taken as success');
  const attempts = rig.lines(/Resetting node nodea/);
  // An attempt every 2 s (failure) + 5 s (heartbeat's retry delay).
  assert.equal(attempts.length, Math.floor(60_000 / (2000 + STONITH_RETRY_MS)) + 1);
  assert.ok(rig.log.includes('2000 error: Host nodea not reset!'));
  assert.ok(rig.log.includes('2000 error: STONITH of nodea failed.  Retrying...'));
  assert.ok(rig.log.includes('7000 info: Resetting node nodea with [IPMI STONITH device]'), 'the retry comes 5 s after the failure');
  assert.ok(rig.sent.every((s) => s === 'nodea=bad'));
  // The device comes back: the next attempt succeeds and is the only confirmation.
  twin.reachable = true;
  rig.advance(80_000);
  const confirmed = rig.fenced as Array<{ attempts: number }>;
  assert.equal(confirmed.length, 1);
  assert.equal(confirmed[0]!.attempts, attempts.length + 1);
});

test('a hung plugin is killed at the timeout: reported, retried, never taken as success', () => {
  const twin = new PluginTwin(['nodea']);
  twin.reachable = false;
  twin.hang = true;
  const rig = new Rig(twin, 10_000);
  rig.feed({ type: 'fence', node: A });
  rig.advance(9_999);
  assert.equal(rig.lines(/failed/).length, 0, 'still running before the timeout');
  rig.advance(10_000);
  assert.ok(rig.log.includes('10000 error: STONITH of nodea timed out after 10000 ms: its process group was killed'));
  assert.ok(rig.log.includes('10000 error: STONITH of nodea failed.  Retrying...'));
  assert.deepEqual(rig.sent, [], 'a killed attempt sends no result, as a heartbeat child killed by a signal');
  rig.advance(40_000);
  assert.deepEqual(rig.fenced, []);
  assert.equal(rig.lines(/Resetting node/).length, 3);
});

test('a device that cannot reset the host: S_BADHOST is logged as heartbeat does and retried', () => {
  const rig = new Rig(new PluginTwin(['nodeb']));
  rig.feed({ type: 'fence', node: A });
  rig.advance(1000);
  assert.ok(rig.log.includes('300 error: Device IPMI STONITH device cannot reset host nodea.'));
  assert.deepEqual(rig.sent, ['nodea=badhost']);
  assert.deepEqual(rig.fenced, []);
  assert.equal(nextFenceDeadline(rig.state), 5300);
});

test('status check at start, then hourly; a failed check says the device may have failed', () => {
  const twin = new PluginTwin(['nodea']);
  const rig = new Rig(twin);
  rig.feed({ type: 'start' });
  assert.deepEqual(rig.log, ['0 info: Checking status of STONITH device [IPMI STONITH device]']);
  rig.advance(1000);
  assert.equal(nextFenceDeadline(rig.state), 300 + 3_600_000);
  twin.reachable = false;
  rig.advance(3_700_000);
  assert.equal(rig.lines(/Checking status/).length, 2);
  assert.ok(rig.lines(/STONITH device IPMI STONITH device not operational!/).length === 1);
  assert.ok(rig.lines(/STONITH status operation failed\./).length === 1);
  assert.ok(rig.lines(/This may mean that the STONITH device has failed!/).length === 1);
  // A status failure never blocks a reset that works.
  twin.reachable = true;
  rig.feed({ type: 'fence', node: B });
  twin.hosts.add('nodeb');
  rig.advance(3_710_000);
  assert.equal(rig.fenced.length, 1);
});
