// Property: whatever fields a packet carries, the machine never throws, and every packet it does not use is counted.
// Random messages are built from the field names the protocol knows, with random and boundary values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Field, HaMessage } from '../../src/wire/message.js';
import { Sim } from './sim.js';
import { step } from '../../src/membership/index.js';
import { millis } from '../../src/types.js';

const names = ['t', 'st', 'dt', 'protocol', 'src', 'srcuuid', 'dest', 'destuuid', 'seq', 'hg', 'ts', 'ld', 'ttl', 'ackseq', 'firstseq', 'lastseq', 'nodelist', 'delnodelist', 'info'];
const values = fc.oneof(
  fc.constantFrom('status', 'NS_ackmsg', 'NS_rexmit', 'NS_nak_rexmit', 'reqnodes', 'repnodes', 'resource', 'nodea', 'nodeb', 'nodez', 'active', 'dead', 'init', 'up', '0', '1', '3e8', '3e7', 'ffffffffffff', '-1', '', ' ', '99999999999999999999', 'nodea nodeb ', 'x y z'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 0, max: 5000 }).map((n) => n.toString(16)),
);
const field: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ name: fc.constantFrom(...names), type: fc.constant(0 as const), value: values }),
  fc.record({ name: fc.constantFrom('srcuuid', 'destuuid'), type: fc.constant(1 as const), value: fc.uint8Array({ minLength: 0, maxLength: 20 }) }),
);
const message: fc.Arbitrary<HaMessage> = fc.array(field, { maxLength: 14 }).map((fields) => ({ fields }));

test('random packets never throw, and the state stays usable', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: ['nodea', 'nodeb'] });
  sim.add('nodeb', { nodes: ['nodea', 'nodeb'] });
  sim.start('nodea');
  sim.start('nodeb');
  sim.runUntil(3000);
  const base = sim.state('nodeb');
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 400 }), (msgs, dt) => {
      let s = base;
      let t = 3000;
      for (const m of msgs) {
        t += dt;
        const r = step(s, { kind: 'receive', message: m, medium: 'eth0' }, millis(t));
        s = r.state;
        assert.equal(r.effects[r.effects.length - 1]!.kind, 'wake-at');
      }
      const r = step(s, { kind: 'tick' }, millis(t + 1));
      assert.ok(r.state.counters);
    }),
    { numRuns: 400, seed: 42 },
  );
});

test('every packet that is not plainly a valid new message of a known node is counted as dropped', () => {
  const sim = new Sim();
  sim.add('nodea', { nodes: ['nodea', 'nodeb'] });
  sim.add('nodeb', { nodes: ['nodea', 'nodeb'] });
  sim.start('nodea');
  sim.start('nodeb');
  sim.runUntil(3000);
  const base = sim.state('nodeb');
  const total = (s: typeof base) => Object.values(s.counters.dropped).reduce((a, b) => a + b, 0);
  fc.assert(
    fc.property(message, (m) => {
      // Without a `src` of a known node, a `ts` and a `t`, nothing can use the packet: it must be counted.
      const get = (n: string) => m.fields.find((f) => f.name === n && f.type === 0)?.value as string | undefined;
      fc.pre(get('src') === undefined || get('ts') === undefined || get('t') === undefined || !['nodea', 'nodeb'].includes(get('src')!));
      const r = step(base, { kind: 'receive', message: m, medium: 'eth0' }, millis(3001));
      assert.equal(total(r.state), total(base) + 1);
      assert.ok(!r.effects.some((e) => e.kind === 'deliver' || e.kind === 'node-status'));
    }),
    { numRuns: 400, seed: 7 },
  );
});
