// Promotable clones on the project's own three-node CIBs (promotable-cibs.ts): promotion scores, promoted-max,
// Promoted-role locations, roles in history, recovery; fixed expectations, and crm_simulate's where installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../../../src/crm/scheduler.js';
import { formatSummary } from '../../../src/crm/scheduler-output.js';
import { promotableCib, type PromotableScenario } from './promotable-cibs.js';

const NOW = 1767225660;
const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;
const norm = (l: string) => l.replace(/^\s*\*?\s*/, '').replace(/\s+/g, ' ').trim();

function run(xml: string) {
  const cib = parseCib(xml);
  assert.ok(cib.ok, 'CIB parses');
  assert.deepEqual(unsupportedFeatures(cib.value), []);
  return schedule(cib.value, { now: NOW });
}

/** crm_simulate's transition summary and promotion-score lines for the same file. */
function theirs(xml: string): { summary: string[]; promotion: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-promo-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    const r = spawnSync('crm_simulate', ['-s', '-x', f], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    return { summary: lines.filter((l) => /^\s*\*?\s*(Start|Stop|Move|Recover|Restart|Promote|Demote|Re-promote) /.test(l)).map(norm),
      promotion: lines.filter((l) => l.includes(' promotion score on ')).map(norm).sort() };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

function check(sc: PromotableScenario, expected: string[]) {
  const xml = promotableCib(sc);
  const t = run(xml);
  assert.deepEqual(formatSummary(t.summary).map(norm), expected);
  if (haveOracle) {
    const o = theirs(xml);
    assert.deepEqual(o.summary, expected, 'crm_simulate agrees on the summary');
    assert.deepEqual(t.scores.filter((l) => l.includes(' promotion score on ')).map(norm).sort(), o.promotion, 'and on the promotion scores');
  }
  return t;
}

test('no promotion score anywhere: three unpromoted instances, none promoted', () => {
  check({}, ['Start st:0 ( node1 )', 'Start st:1 ( node2 )', 'Start st:2 ( node3 )']);
});

test('the highest master-st score is promoted; the older <master> element decides the same', () => {
  // Instances are numbered in promotion order: st:0 is the one promoted.
  const exp = ['Promote st:0 ( Stopped -> Promoted node2 )', 'Start st:1 ( node1 )', 'Start st:2 ( node3 )'];
  check({ scores: [5, 10, 5], state: ['stopped', 'stopped', 'stopped'] }, exp);
  check({ masterElement: true, scores: [5, 10, 5], state: ['stopped', 'stopped', 'stopped'] }, exp);
});

test('a permanent master-st node attribute counts as a transient one does', () => {
  check({ permanentScores: [undefined, undefined, 20], state: ['stopped', 'stopped', 'stopped'] },
    ['Promote st:0 ( Stopped -> Promoted node3 )', 'Start st:1 ( node1 )', 'Start st:2 ( node2 )']);
});

test('promoted-max 2: the two best scores are promoted', () => {
  check({ meta: { 'promoted-max': '2' }, scores: [30, 10, 20], state: ['stopped', 'stopped', 'stopped'] },
    ['Promote st:0 ( Stopped -> Promoted node1 )', 'Promote st:1 ( Stopped -> Promoted node3 )', 'Start st:2 ( node2 )']);
});

test('running promoted on node1 with a better score on node2: demote node1, promote node2', () => {
  check({ state: ['promoted', 'unpromoted', 'unpromoted'], scores: [5, 100, 5] },
    ['Demote st:0 ( Promoted -> Unpromoted node1 )', 'Promote st:1 ( Unpromoted -> Promoted node2 )']);
});

test('rc 8 in history is the promoted role: equal scores leave it promoted where it is', () => {
  check({ state: ['unpromoted', 'promoted', 'unpromoted'], scores: [5, 5, 5] }, []);
});

test('a Promoted-role location moves the promotion; an unpromoted instance is not moved by it', () => {
  check({ state: ['promoted', 'unpromoted', 'unpromoted'], scores: [5, 5, 5],
    constraints: '<rsc_location id="lp" rsc="ms" role="Master" node="node3" score="100"/>' },
  ['Demote st:0 ( Promoted -> Unpromoted node1 )', 'Promote st:2 ( Unpromoted -> Promoted node3 )']);
});

test('a rule with role=Promoted adds to the promotion priority only where it matches', () => {
  check({ state: ['unpromoted', 'unpromoted', 'unpromoted'], scores: [5, 5, 5],
    constraints: '<rsc_location id="lr" rsc="ms"><rule id="lr-r" role="Promoted" score="50"><expression id="lr-e" attribute="#uname" operation="eq" value="node2"/></rule></rsc_location>' },
  ['Promote st:1 ( Unpromoted -> Promoted node2 )']);
});

test('the promoted instance failed (rc 9): it is recovered in place and promoted again', () => {
  check({ state: ['failed-promoted', 'unpromoted', 'unpromoted'], scores: [10, 5, 5] }, ['Recover st:0 ( Promoted node1 )']);
});

test('the promoted node goes to standby: its instance stops, another one is promoted', () => {
  const t = check({ state: ['promoted', 'unpromoted', 'unpromoted'], scores: [10, 5, 5], standby: [true, false, false] },
    ['Stop st:0 ( Promoted node1 ) due to node availability', 'Promote st:1 ( Unpromoted -> Promoted node2 )']);
  // The graph carries the demote before the stop, and the promote after the clone's demoted pseudo-action.
  const idx = (rsc: string, task: string) => t.graph.findIndex((a) => a.rsc === rsc && a.task === task);
  assert.ok(t.graph[idx('st:0', 'stop')]!.inputs.includes(idx('st:0', 'demote')));
  assert.ok(t.graph[idx('st:1', 'promote')]!.inputs.includes(idx('ms', 'promote')));
  assert.ok(t.graph[idx('ms', 'promote')]!.inputs.includes(idx('ms', 'demoted')));
  assert.deepEqual(t.actions.filter((a) => a.task === 'promote' || a.task === 'demote').map((a) => `${a.task} ${a.rsc} ${a.node}`).sort(),
    ['demote st:0 node1', 'promote st:1 node2']);
});
