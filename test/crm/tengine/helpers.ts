// Shared by the transition engine tests: seed 003's CIB (committed as seed003.xml) with variants, and the check
// of the twin's live CIBs against the real crm_simulate when it is installed.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compareFile } from '../../../src/io/crm-differential.js';
import type { ControllerTwin } from '../../../src/crm/tengine/twin.js';
import { parseXml, getAttr, type XEl } from '../../../src/crm/xml-lite.js';
import { parseCib } from '../../../src/crm/cib.js';
import { schedule } from '../../../src/crm/scheduler.js';
import { buildGraph, type GraphAction, type TransitionGraph } from '../../../src/crm/tengine/graph.js';

export const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;

/** Seed 003's configuration; `onFail` replaces the monitor's on-fail, `nodes: 3` adds server3. */
export function seedCib(opts: { onFail?: string; nodes?: number } = {}): string {
  let xml = readFileSync('test/crm/tengine/seed003.xml', 'utf8');
  if (opts.onFail) xml = xml.replace('on-fail="standby"', `on-fail="${opts.onFail}"`);
  if ((opts.nodes ?? 2) >= 3) xml = xml.replace('<node id="2" uname="server2"/>', '<node id="2" uname="server2"/>\n      <node id="3" uname="server3"/>');
  return xml;
}

/** ISO date crm_simulate's -t takes for epoch seconds. */
const isoOf = (sec: number) => new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** Every CIB the twin scheduled gives crm_simulate's transition too (`limit` of them, the last ones). */
export async function agreesWithOracle(twin: ControllerTwin, limit = 12): Promise<number> {
  if (!haveOracle) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-tengine-'));
  let n = 0;
  try {
    for (const [i, s] of twin.schedules.slice(-limit).entries()) {
      const f = join(dir, `cib${i}.xml`);
      writeFileSync(f, s.xml);
      const r = await compareFile(`schedule ${i}`, f, s.xml, s.now, isoOf(s.now));
      assert.equal(r.status, 'pass', `${r.detail}\n${s.xml}`);
      n++;
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return n;
}

/** A graph as `action@node → sorted input keys` (rsc_op and pseudo_event only: crm_event such as clear_failcount aside). */
export type GraphShape = Map<string, string[]>;

/** The transition graph crm_simulate writes (`-G`) for a CIB file at `now` (epoch seconds). */
export function pacemakerGraph(file: string, now: number): GraphShape {
  const out = `${file}.graph.xml`;
  const r = spawnSync('crm_simulate', ['-x', file, '-S', '-G', out, '-t', isoOf(now)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  assert.equal(r.status, 0, r.stderr);
  const doc = parseXml(readFileSync(out, 'utf8'));
  assert.ok(doc.ok);
  const key = (e: XEl) => `${getAttr(e, 'operation_key')}@${getAttr(e, 'on_node') ?? '-'}`;
  const shape: GraphShape = new Map();
  for (const s of doc.root.kids.filter((k) => k.tagName === 'synapse')) {
    const a = s.kids.find((k) => k.tagName === 'action_set')?.kids[0];
    if (!a || (a.tagName !== 'rsc_op' && a.tagName !== 'pseudo_event')) continue;
    const inputs = (s.kids.find((k) => k.tagName === 'inputs')?.kids ?? []).map((t) => t.kids[0]!).filter((e) => e.tagName === 'rsc_op' || e.tagName === 'pseudo_event');
    shape.set(key(a), inputs.map(key).sort());
  }
  return shape;
}

/** Our graph in the same shape. */
export function ourGraph(g: TransitionGraph): GraphShape {
  const key = (a: GraphAction) => `${a.rsc}_${a.task}_${a.intervalMs}@${a.node ?? '-'}`;
  return new Map(g.actions.map((a) => [key(a), a.inputs.map((i) => key(g.actions[i]!)).sort()]));
}

/** Every CIB the twin scheduled gives the same graph (actions and orderings) as crm_simulate's; returns how many. */
export function sameGraphsAsPacemaker(twin: ControllerTwin, limit = 12): number {
  if (!haveOracle) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-tegraph-'));
  let n = 0;
  try {
    for (const [i, s] of twin.schedules.slice(-limit).entries()) {
      const f = join(dir, `cib${i}.xml`);
      writeFileSync(f, s.xml);
      const cib = parseCib(s.xml);
      assert.ok(cib.ok);
      const ours = ourGraph(buildGraph(cib.value, schedule(cib.value, { now: s.now, scores: false }), 1, 'dc'));
      assert.deepEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...pacemakerGraph(f, s.now)].sort()), `graph of schedule ${i}\n${s.xml}`);
      n++;
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return n;
}
