// Random cluster histories for the ownership machine: the actions, their generators, and a runner that replays
// one history on the two-node simulator, checking that no resource runs twice and that quiet clusters converge.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NodeName } from '../../src/types.js';
import type { AutoFailback } from '../../src/resources/machine.js';
import { A, B, Sim, group } from './sim.js';

const groups = [group('nodea', '10.0.0.10/24', 'svca'), group('nodeb', '10.0.0.20/24', 'svcb')];
const RESOURCES = ['10.0.0.10/24', 'svca', '10.0.0.20/24', 'svcb'];

export type Action =
  | { kind: 'crash' | 'restart' | 'shutdown' | 'slow' | 'fast'; node: NodeName }
  | { kind: 'standby' | 'takeover'; node: NodeName; which: 'all' | 'local' | 'foreign' | 'failback' }
  | { kind: 'advance'; ms: number }
  | { kind: 'break' | 'fix'; node: NodeName; resource: string }
  | { kind: 'partition' | 'heal' | 'lag' | 'unlag' };

const nodeArb = fc.constantFrom(A, B);
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const, 'shutdown' as const, 'slow' as const, 'fast' as const), node: nodeArb }),
  fc.record({ kind: fc.constantFrom('standby' as const, 'takeover' as const), node: nodeArb, which: fc.constantFrom('all' as const, 'local' as const, 'foreign' as const, 'failback' as const) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 15_000 }) }),
);
export const faultArb: fc.Arbitrary<Action> = fc.oneof(
  actionArb,
  fc.record({ kind: fc.constantFrom('break' as const, 'fix' as const), node: nodeArb, resource: fc.constantFrom(...RESOURCES) }),
);
/** Adds a slow link: messages held back for a while (in order, none lost), as under load below deadtime. */
export const lagArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: actionArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('lag' as const, 'unlag' as const) }) },
);
export const partitionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: actionArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('partition' as const, 'heal' as const) }) },
);

function checkSafety(sim: Sim, where: string, partitioned = false): void {
  // Without STONITH a partition means two owners by design (heartbeat warns "Shared disks are not protected").
  if (partitioned) return;
  for (const r of RESOURCES) assert.ok(sim.owners(r).length <= 1, `${r} runs on both nodes ${where}\n${sim.trace.slice(-40).join('\n')}`);
}

export function run(mode: AutoFailback, actions: Action[], trace?: (sim: Sim) => void): void {
  let partitioned = false;
  // After a heal the split brain's two owners remain until one node has given up and restarted (heartbeat: 2 s
  // and a release); the one-owner check resumes after this window.
  let healedAt = -Infinity;
  const exempt = (): boolean => partitioned || sim.now < healedAt + 30_000;
  const sim = new Sim(groups, mode);
  sim.start(A);
  sim.start(B);
  const down = (n: NodeName): void => {
    // The node is gone; membership on the survivor declares it dead.
    sim.crash(n);
    if (sim.other(n).up) sim.feed(sim.other(n).name, { type: 'peer-dead' });
  };
  const endShutdowns = (): void => {
    for (const n of [A, B]) {
      const node = sim.node(n);
      if (!node.up || !node.shutdownComplete) continue;
      if (node.state.restartAfterShutdown) sim.restart(n, groups, mode); // healed partition: heartbeat restarts
      else down(n);
    }
  };
  const settle = (ms: number): void => {
    for (let t = 0; t < ms; t += 250) {
      sim.advance(250);
      checkSafety(sim, `at ${sim.now} ms`, exempt());
      endShutdowns();
    }
  };
  for (const a of actions) {
    switch (a.kind) {
      case 'crash': if (sim.node(a.node).up) down(a.node); break;
      case 'restart': if (!sim.node(a.node).up) sim.restart(a.node, groups, mode); break;
      case 'shutdown': sim.feed(a.node, { type: 'shutdown' }); break;
      case 'standby': sim.feed(a.node, { type: 'standby', which: a.which }); break;
      case 'takeover': sim.feed(a.node, { type: 'takeover', which: a.which }); break;
      case 'slow': sim.node(a.node).paused = true; break; // its agent scripts hang until 'fast'
      case 'fast': sim.node(a.node).paused = false; break;
      case 'advance': settle(a.ms); break;
      case 'break': sim.node(a.node).failStart.add(a.resource); break;
      case 'fix': sim.node(a.node).failStart.delete(a.resource); break;
      case 'lag': sim.delayed = true; break;
      case 'unlag': sim.delayed = false; break;
      case 'partition':
        if (partitioned || !sim.node(A).up || !sim.node(B).up) break;
        partitioned = true;
        sim.linked = false;
        sim.feed(A, { type: 'peer-dead' });
        sim.feed(B, { type: 'peer-dead' });
        break;
      case 'heal':
        if (!partitioned) break;
        partitioned = false;
        healedAt = sim.now;
        sim.linked = true;
        // Each side hears the other again with an unchanged generation (if both are still up).
        if (sim.node(A).up && sim.node(B).up) { sim.feed(A, { type: 'peer-returned' }); sim.feed(B, { type: 'peer-returned' }); }
        break;
    }
    sim.flush();
    checkSafety(sim, `after ${JSON.stringify(a)}`, exempt());
    endShutdowns();
  }
  sim.delayed = false;
  if (partitioned) {
    partitioned = false;
    healedAt = sim.now;
    sim.linked = true;
    if (sim.node(A).up && sim.node(B).up) { sim.feed(A, { type: 'peer-returned' }); sim.feed(B, { type: 'peer-returned' }); }
  }
  // A failed start leaves its group to the peer, and with no willing peer it stays down (heartbeat's way).
  const broken = actions.some((a) => a.kind === 'break');
  // Quiet period: scripts finish, standby timeouts (10 s) and failback retries run out.
  sim.node(A).paused = false;
  sim.node(B).paused = false;
  settle(90_000);
  const upNodes = [A, B].filter((n) => sim.node(n).up && sim.node(n).state.shutdown === 'no');
  if (upNodes.length > 0 && !broken) {
    for (const r of RESOURCES) {
      assert.equal(sim.owners(r).length, 1, `${r} runs on ${JSON.stringify(sim.owners(r))} after a quiet period (${mode})\n${sim.trace.slice(-60).join('\n')}`);
    }
  }
}

