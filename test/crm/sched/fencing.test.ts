// Scheduler fencing decisions on the project's own three-node CIBs: lost and unclean nodes, failed stops,
// on-fail=fence, stonith-action, startup-fencing, no fence device; fixed expectations, and crm_simulate's where installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule, unsupportedFeatures, paramsDigest, type Transition } from '../../../src/crm/scheduler.js';
import { formatTransitionSummary } from '../../../src/crm/scheduler-output.js';

const NOW = 1767225660;
const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;
const norm = (l: string) => l.replace(/^\s*\*?\s*/, '').replace(/\s+/g, ' ').trim();

type NodeSt = 'up' | 'lost' | 'crmd-dead' | 'down-clean' | 'unseen';
interface Scenario {
  nodes?: [NodeSt, NodeSt, NodeSt];
  /** Where the group (d1 Dummy + ip1 IPaddr2) runs now, or null. */
  groupOn?: number | null;
  fenceDevice?: boolean;
  options?: Record<string, string>;
  quorum?: boolean;
  /** A failed operation of d1 where the group runs. */
  failure?: 'stop' | 'monitor-fence';
}

const STATE: Record<Exclude<NodeSt, 'unseen'>, string> = {
  up: 'in_ccm="true" crmd="online" join="member" expected="member"',
  lost: 'in_ccm="false" crmd="offline" join="down" expected="member"',
  'crmd-dead': 'in_ccm="true" crmd="offline" join="down" expected="member"',
  'down-clean': 'in_ccm="false" crmd="offline" join="down" expected="down"',
};

const DIGEST: Record<string, string> = { d1: paramsDigest(new Map()), fence1: paramsDigest(new Map()), ip1: paramsDigest(new Map([['ip', '192.0.2.10']])) };

function op(rsc: string, task: string, call: number, rc: number, interval = 0, node = 'x'): string {
  return `<lrm_rsc_op id="${rsc}_${task}_${interval}_${node}" operation_key="${rsc}_${task}_${interval}" operation="${task}" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:${rc};1:1:0:00000000-0000-0000-0000-000000000000" call-id="${call}" rc-code="${rc}" op-status="0" interval="${interval}" last-rc-change="${NOW - 60}" exec-time="1" queue-time="0" op-digest="${DIGEST[rsc]}"/>`;
}

function cib(sc: Scenario): string {
  const nodes = sc.nodes ?? ['up', 'up', 'up'];
  const opts = { 'stonith-enabled': 'true', ...(sc.options ?? {}) };
  const fence = sc.fenceDevice ?? true;
  const groupOn = sc.groupOn === undefined ? 0 : sc.groupOn;
  const status = nodes.map((st, i) => {
    if (st === 'unseen') return '';
    const lrm: string[] = [];
    if (fence) lrm.push(`<lrm_resource id="fence1" class="stonith" type="fence_dummy">${i === 2 ? op('fence1', 'start', 2, 0, 0, `n${i}`) : op('fence1', 'monitor', 2, 7, 0, `n${i}`)}</lrm_resource>`);
    const here = groupOn === i;
    for (const [rid, cls] of [['d1', 'class="ocf" provider="pacemaker" type="Dummy"'], ['ip1', 'class="ocf" provider="heartbeat" type="IPaddr2"']] as const) {
      let ops = here ? op(rid, 'start', 3, 0, 0, `n${i}`) : op(rid, 'monitor', 3, 7, 0, `n${i}`);
      if (here && rid === 'd1' && sc.failure === 'stop') ops += op(rid, 'stop', 5, 1, 0, `n${i}`);
      if (here && rid === 'd1' && sc.failure === 'monitor-fence') ops += op(rid, 'monitor', 4, 7, 10000, `n${i}`);
      lrm.push(`<lrm_resource id="${rid}" ${cls}>${ops}</lrm_resource>`);
    }
    return `<node_state id="${i + 1}" uname="node${i + 1}" ${STATE[st]}><lrm><lrm_resources>${lrm.join('')}</lrm_resources></lrm></node_state>`;
  }).join('\n');
  const monOnFail = sc.failure === 'monitor-fence' ? ' on-fail="fence"' : '';
  return `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="${sc.quorum === false ? '0' : '1'}" dc-uuid="${nodes.indexOf('up') + 1}">
<configuration>
<crm_config><cluster_property_set id="cib-bootstrap-options">
${Object.entries(opts).map(([k, v]) => `<nvpair id="o-${k}" name="${k}" value="${v}"/>`).join('\n')}
</cluster_property_set></crm_config>
<nodes>${[1, 2, 3].map((i) => `<node id="${i}" uname="node${i}"/>`).join('')}</nodes>
<resources>
${fence ? '<primitive id="fence1" class="stonith" type="fence_dummy"/>' : ''}
<group id="g1">
<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="d1-mon" name="monitor" interval="10s"${monOnFail}/></operations></primitive>
<primitive id="ip1" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="ip1-ia"><nvpair id="ip1-ip" name="ip" value="192.0.2.10"/></instance_attributes></primitive>
</group>
</resources>
<constraints/>
</configuration>
<status>
${status}
</status>
</cib>`;
}

function ours(xml: string): { t: Transition; summary: string[] } {
  const c = parseCib(xml);
  assert.ok(c.ok, 'CIB parses');
  assert.deepEqual(unsupportedFeatures(c.value), []);
  const t = schedule(c.value, { now: NOW });
  return { t, summary: formatTransitionSummary(t).map(norm) };
}

/** crm_simulate's Transition Summary for the same CIB (Fence lines included). */
function theirs(xml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-fence-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    // -S would also simulate the fencing, which crm_simulate cannot do on a hand-written CIB; -s stops at the summary.
    const r = spawnSync('crm_simulate', ['-s', '-x', f], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => /^\s*\*?\s*(Fence \(|Start |Stop |Move |Recover |Restart )/.test(l)).map(norm);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

function check(sc: Scenario, expected: string[]): Transition {
  const xml = cib(sc);
  const { t, summary } = ours(xml);
  assert.deepEqual(summary, expected);
  if (haveOracle) assert.deepEqual(theirs(xml), expected, 'crm_simulate agrees');
  return t;
}

/** Index of the graph action, failing when absent. */
function at(t: Transition, pred: (g: Transition['graph'][number]) => boolean, what: string): number {
  const i = t.graph.findIndex(pred);
  assert.ok(i >= 0, `${what} in the graph`);
  return i;
}

/** Whether graph action `later` (transitively) waits for `earlier`. */
function after(t: Transition, later: number, earlier: number): boolean {
  const seen = new Set<number>();
  const walk = (i: number): boolean => t.graph[i]!.inputs.some((j) => j === earlier || (!seen.has(j) && (seen.add(j), walk(j))));
  return walk(later);
}

test('a node lost while it holds the group is fenced; the stops are pseudo-actions after the fence, the starts wait for it', () => {
  const t = check({ nodes: ['lost', 'up', 'up'] }, [
    "Fence (reboot) node1 'peer is no longer part of the cluster'",
    'Move d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
  const fence = at(t, (g) => g.fence?.target === 'node1', 'the Fence action');
  assert.deepEqual(t.graph[fence]!.fence, { target: 'node1', action: 'reboot' });
  for (const rsc of ['d1', 'ip1']) {
    const stop = at(t, (g) => g.rsc === rsc && g.task === 'stop', `${rsc} stop`);
    assert.equal(t.graph[stop]!.pseudo, true, `${rsc}'s stop is a pseudo-action`);
    assert.ok(after(t, stop, fence), `${rsc}'s stop after the fence`);
    const start = at(t, (g) => g.rsc === rsc && g.task === 'start' && g.node === 'node2', `${rsc} start`);
    assert.ok(after(t, start, fence), `${rsc}'s start after the fence`);
  }
  assert.ok(!t.actions.some((a) => a.task === 'stop'), 'no stop is executed on the lost node');
  assert.equal(t.nodes.find((n) => n.uname === 'node1')!.unclean, true);
});

test('the controller of a node dead while the node stays in the membership: fenced too', () => {
  check({ nodes: ['crmd-dead', 'up', 'up'] }, [
    "Fence (reboot) node1 'peer process is no longer available'",
    'Move d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
});

test('stonith-action=off: the Fence action is off', () => {
  check({ nodes: ['lost', 'up', 'up'], options: { 'stonith-action': 'off' } }, [
    "Fence (off) node1 'peer is no longer part of the cluster'",
    'Move d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
});

test('a node that left cleanly (expected down) holding nothing is not fenced', () => {
  check({ nodes: ['down-clean', 'up', 'up'], groupOn: 1 }, []);
});

test('a node that left cleanly but still shows the group active is fenced', () => {
  check({ nodes: ['down-clean', 'up', 'up'] }, [
    "Fence (reboot) node1 'd1 is thought to be active there'",
    'Move d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
});

test('a failed stop fences the node (its default on-fail with fencing) and the group recovers after it', () => {
  const t = check({ failure: 'stop' }, [
    "Fence (reboot) node1 'd1 failed there'",
    'Recover d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
  const fence = at(t, (g) => g.fence?.target === 'node1', 'the Fence action');
  const start = at(t, (g) => g.rsc === 'd1' && g.task === 'start', 'd1 start');
  assert.ok(after(t, start, fence));
});

test('on-fail=fence of a monitor fences the node', () => {
  check({ failure: 'monitor-fence' }, [
    "Fence (reboot) node1 'd1 failed there'",
    'Recover d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
});

test('a node never seen is fenced at start-up (startup-fencing), unless startup-fencing=false', () => {
  check({ nodes: ['unseen', 'up', 'up'], groupOn: 1 }, ["Fence (reboot) node1 'node is unclean'"]);
  check({ nodes: ['unseen', 'up', 'up'], groupOn: 1, options: { 'startup-fencing': 'false' } }, []);
});

test('without quorum a lost node cannot be fenced: the stops of its group are blocked', () => {
  check({ nodes: ['lost', 'up', 'up'], quorum: false, options: { 'no-quorum-policy': 'stop' } },
    ['Stop fence1 ( node3 ) due to no quorum', 'Stop d1 ( node1 ) due to no quorum (blocked)', 'Stop ip1 ( node1 ) due to no quorum (blocked)']);
});

test('stonith-enabled with no fence device: nothing starts, with Pacemaker\'s message', () => {
  const t = check({ fenceDevice: false, groupOn: null }, []);
  assert.deepEqual(t.warnings, [
    'Resource start-up disabled since no STONITH resources have been defined',
    'Either configure some or disable STONITH with the stonith-enabled option',
    'NOTE: Clusters with shared data need STONITH to ensure data integrity',
  ]);
  assert.ok(t.current.get('d1')!.managed === false);
  // With fencing disabled the same CIB starts the group.
  check({ fenceDevice: false, groupOn: null, options: { 'stonith-enabled': 'false' } }, ['Start d1 ( node1 )', 'Start ip1 ( node1 )']);
});

test('the fence device is placed and started like any primitive', () => {
  const t = check({ nodes: ['up', 'up', 'lost'], groupOn: 0 }, [
    "Fence (reboot) node3 'peer is no longer part of the cluster'",
    'Move fence1 ( node3 -> node1 )', 'Move d1 ( node1 -> node2 )', 'Move ip1 ( node1 -> node2 )',
  ]);
  assert.ok(t.actions.some((a) => a.rsc === 'fence1' && a.task === 'start' && a.node === 'node1'));
});
