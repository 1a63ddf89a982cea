// Clone scenarios on the project's own three-node CIBs (test/crm/clone-cibs.ts): instance placement, clone-max,
// clone-node-max, stickiness, failures per instance; fixed expectations, and crm_simulate's decision where installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseCib } from '../../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../../src/crm/scheduler.js';
import { formatSummary } from '../../src/crm/scheduler-output.js';
import { cloneCib, type CloneScenario, type InstanceState } from './clone-cibs.js';

const NOW = 1767225660;
const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;
const norm = (l: string) => l.replace(/^\s*\*?\s*/, '').replace(/\s+/g, ' ').trim();

function ours(xml: string): string[] {
  const cib = parseCib(xml);
  assert.ok(cib.ok, 'CIB parses');
  assert.deepEqual(unsupportedFeatures(cib.value), []);
  return formatSummary(schedule(cib.value, { now: NOW }).summary).map(norm);
}

/** crm_simulate's transition summary for the same file (without -S: its simulation step is not needed). */
function theirs(xml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-clone-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    const r = spawnSync('crm_simulate', ['-s', '-x', f], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => /^\s*\*?\s*(Start|Stop|Move|Recover|Restart) /.test(l)).map(norm);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

function check(sc: CloneScenario, expected: string[]) {
  const xml = cloneCib(sc);
  assert.deepEqual(ours(xml), expected);
  if (haveOracle) assert.deepEqual(theirs(xml), expected, 'crm_simulate agrees');
}

test('anonymous clone on 3 nodes: one instance per node', () => {
  check({}, ['Start d:0 ( node1 )', 'Start d:1 ( node2 )', 'Start d:2 ( node3 )']);
});

test('clone-max 2 < 3 nodes: two instances, on the first nodes', () => {
  check({ meta: { 'clone-max': '2' } }, ['Start d:0 ( node1 )', 'Start d:1 ( node2 )']);
});

test('unique clone with clone-max 5 and clone-node-max 2: instances spread round the nodes', () => {
  check({ meta: { 'clone-max': '5', 'clone-node-max': '2', 'globally-unique': 'true' } },
    ['Start d:0 ( node1 )', 'Start d:1 ( node2 )', 'Start d:2 ( node3 )', 'Start d:3 ( node1 )', 'Start d:4 ( node2 )']);
});

test('unique clone with two instances active on node1 (clone-node-max 2, stickiness 0): one moves to an empty node', () => {
  const both: ReadonlyArray<readonly [InstanceState, number]> = [['running', 0], ['running', 1]];
  check({ state: [both, 'stopped', 'stopped'], meta: { 'clone-max': '2', 'clone-node-max': '2', 'globally-unique': 'true', 'resource-stickiness': '0' } },
    ['Move d:1 ( node1 -> node2 )']);
  // With the clone's default stickiness of 1 both stay where they run.
  check({ state: [both, 'stopped', 'stopped'], meta: { 'clone-max': '2', 'clone-node-max': '2', 'globally-unique': 'true' } }, []);
});

test('a failed instance is recovered in place; at migration-threshold 1 it stops (the other nodes are full)', () => {
  check({ state: ['running', 'failed', 'running'], failCounts: [0, 1, 0] }, ['Recover d:1 ( node2 )']);
  check({ state: ['running', 'failed', 'running'], failCounts: [0, 1, 0], primitiveMeta: { 'migration-threshold': '1' } },
    ['Stop d:1 ( node2 ) due to node availability']);
});

test('clone stickiness defaults to 1: a location of 1 does not move an instance, 100 does, rsc_defaults 0 lets 1 move it', () => {
  const loc = (s: number) => `<rsc_location id="l3" rsc="cl" node="node3" score="${s}"/>`;
  check({ state: ['running', 'running', 'none'], meta: { 'clone-max': '2' }, constraints: loc(1) }, []);
  check({ state: ['running', 'running', 'none'], meta: { 'clone-max': '2' }, constraints: loc(100) }, ['Move d:0 ( node1 -> node3 )']);
  check({ state: ['running', 'running', 'stopped'], meta: { 'clone-max': '2' }, rscDefaults: { 'resource-stickiness': '0' }, constraints: loc(1) },
    ['Move d:0 ( node1 -> node3 )']);
});

test('history under an instance number (d:1) counts for the anonymous clone; a -INFINITY location keeps node3 empty', () => {
  check({ state: ['running', ['running', 1], 'stopped'], constraints: '<rsc_location id="l3" rsc="cl" node="node3" score="-INFINITY"/>' }, []);
});

const P = (meta = '') => `<primitive id="p" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="p-meta">${meta}</meta_attributes></primitive>`;
const order = (first: string, then: string, kind = 'Mandatory') => `<rsc_order id="o" kind="${kind}" first="${first}" then="${then}"/>`;

test('order clone then primitive: p starts after the instances; a stopped clone blocks p (unrunnable cl running)', () => {
  check({ resources: P(), constraints: order('cl', 'p') }, ['Start d:0 ( node1 )', 'Start d:1 ( node2 )', 'Start d:2 ( node3 )', 'Start p ( node1 )']);
  check({ resources: P(), meta: { 'target-role': 'Stopped' }, constraints: order('cl', 'p') }, ['Start p ( node1 ) due to unrunnable cl running (blocked)']);
  check({ resources: P(), state: ['failed', 'running', 'running'], constraints: order('cl', 'p') }, ['Recover d:0 ( node1 )', 'Start p ( node1 )']);
  check({ resources: P(), state: ['running', 'running', 'running'], constraints: order('cl', 'p', 'Optional') }, ['Start p ( node1 )']);
});

test('order primitive then clone: a stopped p blocks every instance; a starting p restarts the running instances', () => {
  check({ resources: P('<nvpair id="p-tr" name="target-role" value="Stopped"/>'), constraints: order('p', 'cl') },
    ['Start d:0 ( node1 ) due to unrunnable p start (blocked)', 'Start d:1 ( node2 ) due to unrunnable p start (blocked)', 'Start d:2 ( node3 ) due to unrunnable p start (blocked)']);
  check({ resources: P(), state: ['running', 'running', 'running'], constraints: order('p', 'cl') },
    ['Restart d:0 ( node1 ) due to required p start', 'Restart d:1 ( node2 ) due to required p start', 'Restart d:2 ( node3 ) due to required p start', 'Start p ( node1 )']);
});

test('what clones do not decide yet is refused by name: colocation with a clone, order between clones or with the child of a clone, more active than clone-max', () => {
  const refused = (sc: CloneScenario) => { const c = parseCib(cloneCib(sc)); assert.ok(c.ok); return unsupportedFeatures(c.value); };
  const g = '<group id="g"><primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/></group>';
  assert.ok(refused({ resources: g, constraints: '<rsc_colocation id="c" rsc="g" with-rsc="cl" score="INFINITY"/>' }).includes('colocation with clone (c)'));
  assert.deepEqual(refused({ resources: g, constraints: '<rsc_order id="o" first="cl" then="g"/>' }), []);
  const cl2 = '<clone id="cl2"><primitive id="e" class="ocf" provider="heartbeat" type="Dummy"/></clone>';
  assert.ok(refused({ resources: cl2, constraints: '<rsc_order id="o" first="cl" then="cl2"/>' }).includes('order with clone (o)'));
  assert.ok(refused({ resources: g, constraints: '<rsc_order id="o" first="d" then="g"/>' }).includes('order with clone (o)'));
  assert.ok(refused({ state: ['running', 'running', 'running'], meta: { 'clone-max': '2' } }).includes('more clone instances active than clone-max (cl)'));
});
