// Random two-node histories (crashes, restarts, standby, slow or failing scripts, slow links, partitions, shutdowns):
// no resource ever runs on both nodes outside a partition and its healing restart; quiet clusters run each group once.

import { test } from 'node:test';
import fc from 'fast-check';
import { actionArb, faultArb, lagArb, partitionArb, run } from './histories.js';

for (const mode of ['on', 'off', 'legacy'] as const) {
  test(`auto_failback ${mode}: random histories never run a resource twice and end with each group running once`, () => {
    fc.assert(fc.property(fc.array(actionArb, { minLength: 1, maxLength: 25 }), (actions) => run(mode, actions)), { numRuns: 300, seed: 4242 });
  });
  test(`auto_failback ${mode}: with failing starts a resource still never runs twice`, () => {
    fc.assert(fc.property(fc.array(faultArb, { minLength: 1, maxLength: 25 }), (actions) => run(mode, actions)), { numRuns: 200, seed: 4243 });
  });
  test(`auto_failback ${mode}: a slow link (messages held back, none lost) never runs a resource twice`, () => {
    fc.assert(fc.property(fc.array(lagArb, { minLength: 1, maxLength: 25 }), (actions) => run(mode, actions)), { numRuns: 200, seed: 4245 });
  });
  test(`auto_failback ${mode}: after partitions heal, each group runs exactly once`, () => {
    fc.assert(fc.property(fc.array(partitionArb, { minLength: 1, maxLength: 25 }), (actions) => run(mode, actions)), { numRuns: 200, seed: 4244 });
  });
}
