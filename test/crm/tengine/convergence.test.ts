// Property: whatever faults hit seed 003's cluster (3 nodes), the controller loop comes to rest, every resource runs
// on at most one node, the group's members run together, and the last CIB agrees with crm_simulate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { seedCib, agreesWithOracle, sameGraphsAsPacemaker } from './helpers.js';

const NODES = ['server1', 'server2', 'server3'];
const RSCS = ['ldap_service', 'ldap_vip'];
type Fault =
  | { kind: 'kill'; node: number; rsc: number }
  | { kind: 'start-fault'; node: number; rsc: number }
  | { kind: 'lose'; node: number; after: number }
  | { kind: 'join'; node: number }
  | { kind: 'wait'; ms: number };

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant('kill' as const), node: fc.nat(2), rsc: fc.nat(1) }),
  fc.record({ kind: fc.constant('start-fault' as const), node: fc.nat(2), rsc: fc.nat(1) }),
  fc.record({ kind: fc.constant('lose' as const), node: fc.nat(2), after: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('join' as const), node: fc.nat(2) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1_000, max: 120_000 }) }),
);

function runScenario(onFail: string, faults: readonly Fault[]): ControllerTwin {
  const twin = new ControllerTwin({ cibXml: seedCib({ onFail, nodes: 3 }) }).settle();
  for (const f of faults) {
    const node = NODES[(f as { node?: number }).node ?? 0]!;
    switch (f.kind) {
      case 'kill': twin.kill(node, RSCS[f.rsc]!); twin.advance(6_000); break;
      case 'start-fault': twin.startFaults.add(`${node}/${RSCS[f.rsc]!}`); break;
      // Lost at a random point, possibly in the middle of a transition.
      case 'lose': if (twin.online.has(node)) { twin.kill(NODES[0]!, RSCS[0]!); twin.runFor(5_000 + f.after); twin.loseNode(node); } break;
      case 'join': if (!twin.online.has(node)) twin.joinNode(node); break;
      case 'wait': twin.advance(f.ms); break;
    }
    twin.settle();
    check(twin, onFail);
  }
  return twin;
}

function check(twin: ControllerTwin, onFail: string): void {
  assert.ok(twin.stable, 'at rest');
  for (const r of RSCS) assert.ok(twin.where(r).length <= 1, `${r} runs on ${twin.where(r).join(', ')}`);
  // With on-fail=ignore a dead service is left as it is (Pacemaker ignores its monitor): only then may the VIP be alone.
  const svc = twin.where('ldap_service'), vip = twin.where('ldap_vip');
  if (vip.length && onFail !== 'ignore') assert.deepEqual(vip, svc, 'the VIP runs only with the service');
}

test('random faults: the loop always comes to rest with each resource on at most one node', () => {
  fc.assert(fc.property(fc.constantFrom('restart', 'standby', 'stop', 'ignore'), fc.array(fault, { maxLength: 8 }), (onFail, faults) => {
    runScenario(onFail, faults);
  }), { numRuns: 150, seed: 20261207 });
});

test('random faults, sampled: the CIBs the twin scheduled give crm_simulate\'s transitions and graphs too', async (t) => {
  const samples = fc.sample(fc.tuple(fc.constantFrom('restart', 'standby'), fc.array(fault, { minLength: 2, maxLength: 6 })), { numRuns: 6, seed: 7 });
  let compared = 0, graphs = 0;
  for (const [onFail, faults] of samples) {
    const twin = runScenario(onFail, faults);
    compared += await agreesWithOracle(twin, 8);
    graphs += sameGraphsAsPacemaker(twin, 8);
  }
  t.diagnostic(`${compared} transitions and ${graphs} graphs compared with crm_simulate`);
  assert.ok(compared === 0 || (compared >= 12 && graphs === compared), `compared ${compared} live CIBs, ${graphs} graphs`);
});

test('32 nodes × 64 resources: all start once each; a lost node\'s resources are started elsewhere, once', () => {
  const nodes = Array.from({ length: 32 }, (_, i) => `<node id="${i + 1}" uname="n${String(i + 1).padStart(2, '0')}"/>`).join('');
  const prims = Array.from({ length: 64 }, (_, i) => `<primitive id="r${i}" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="r${i}-mon" name="monitor" interval="10s" timeout="20s"/></operations></primitive>`).join('');
  const xml = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config><nodes>${nodes}</nodes><resources>${prims}</resources><constraints/></configuration><status/></cib>`;
  const twin = new ControllerTwin({ cibXml: xml }).settle(1_000_000);
  const placed = () => Array.from({ length: 64 }, (_, i) => twin.where(`r${i}`));
  assert.ok(placed().every((w) => w.length === 1));
  // Balanced as Pacemaker assigns equal scores: by fewest resources, so every node gets exactly 2.
  assert.ok([...twin.running.values()].every((s) => s.size === 2));
  const victims = [...twin.running.get('n07')!];
  twin.loseNode('n07');
  twin.settle(1_000_000);
  assert.ok(placed().every((w) => w.length === 1 && w[0] !== 'n07'));
  for (const v of victims) assert.notDeepEqual(twin.where(v), ['n07']);
  assert.equal(twin.aborted, 0);
});
