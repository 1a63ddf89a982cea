// The `crm on` benchmark's in-memory part: 32 nodes × N Dummies in the controller twin (src/crm/controld/twin.ts),
// a node's death → transition complete, a monitor failure → restarted, and where the DC's wall time goes.
import { performance } from 'node:perf_hooks';
import { CrmdTwin, DcDuty, Crmd } from '../src/crm/controld/index.js';
import { schedule, unsupportedFeatures } from '../src/crm/scheduler.js';
import { parseCib } from '../src/crm/cib.js';
import { buildGraph } from '../src/crm/tengine/graph.js';
import { printXml } from '../src/crm/cib-store/index.js';
import { nodeIdOf, setNodeLost } from '../src/crm/controld/lrm.js';
import { getAttr, parseXml, type XEl } from '../src/crm/xml-lite.js';

/** A CIB of `nodes` nodes and `resources` Dummies (monitor every `monitorS` s), no fencing, no constraints. */
export function manyDummiesCib(nodes: number, resources: number, monitorS = 10): XEl {
  const names = Array.from({ length: nodes }, (_, i) => `node${i + 1}`);
  const prims = Array.from({ length: resources }, (_, i) =>
    `<primitive id="d${i}" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="d${i}-mon" name="monitor" interval="${monitorS}s" timeout="20s"/></operations></primitive>`).join('');
  const xml = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="opt-stonith" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes>${names.map((n, i) => `<node id="${i + 1}" uname="${n}"/>`).join('')}</nodes>
    <resources>${prims}</resources>
    <constraints/>
  </configuration>
  <status/>
</cib>`;
  const r = parseXml(xml);
  if (!r.ok) throw new Error(r.reason);
  return r.root;
}

/** Wall-time accounts (ms, calls) of the DC's parts, filled by `instrument`. */
export interface Accounts { [part: string]: { ms: number; calls: number } }

/**
 * Wraps the functions the DC's scheduling path calls (controller step, DcDuty.run, parseCib, schedule, buildGraph)
 * with wall-time counters. Measurement only: behaviour is unchanged. Returns the accounts and an undo.
 */
export function instrument(): { acc: Accounts; undo: () => void } {
  const acc: Accounts = {};
  const undos: (() => void)[] = [];
  const wrap = (obj: Record<string, unknown>, key: string, label: string): void => {
    const orig = obj[key] as (...a: unknown[]) => unknown;
    if (typeof orig !== 'function') return;
    const a = (acc[label] = { ms: 0, calls: 0 });
    const w = function (this: unknown, ...args: unknown[]): unknown {
      const t = performance.now();
      try { return orig.apply(this, args); } finally { a.ms += performance.now() - t; a.calls++; }
    };
    try { obj[key] = w; undos.push(() => { obj[key] = orig; }); } catch { /* ESM namespace: not wrappable */ }
  };
  const dcp = DcDuty.prototype as unknown as Record<string, unknown>;
  const cp = Crmd.prototype as unknown as Record<string, unknown>;
  wrap(cp, 'step', 'controller step (all nodes)');
  // The DC's own share: in the daemon every node does its own replica work in its own process.
  const dcAcc = (acc['controller step (DC only)'] = { ms: 0, calls: 0 });
  const allStep = cp.step as (...a: unknown[]) => unknown;
  cp.step = function (this: Crmd, ...args: unknown[]): unknown {
    if (!this.dc) return allStep.apply(this, args);
    const t = performance.now();
    try { return allStep.apply(this, args); } finally { dcAcc.ms += performance.now() - t; dcAcc.calls++; }
  };
  undos.push(() => { cp.step = allStep; });
  wrap(dcp, 'run', 'DcDuty.run (print+parse+schedule+graph)');
  wrap(dcp, 'result', 'DcDuty.result (status write + engine)');
  wrap(dcp, 'onStep', 'DcDuty.onStep (engine effects)');
  return { acc, undo: () => { for (const u of undos.reverse()) u(); } };
}

/** What one twin scale run measured. */
export interface TwinScaleResult {
  nodes: number;
  resources: number;
  convergeSimMs: number;
  convergeWallMs: number;
  victim: string;
  lost: number;
  deathRecoveredSimMs: number;
  deathCompleteSimMs: number;
  deathWallMs: number;
  deathAcc: Accounts;
  monitorRestartSimMs: number;
  monitorWallMs: number;
  monitorAcc: Accounts;
  monitorIntervalMs: number;
  /** The DC's live CIB after the monitor failure settled (for `scaleLiveCib`). */
  liveCib: XEl;
  dcName: string;
}

const snapshot = (a: Accounts): Accounts => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { ...v }]));
const diff = (a: Accounts, b: Accounts): Accounts => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, { ms: v.ms - (a[k]?.ms ?? 0), calls: v.calls - (a[k]?.calls ?? 0) }]));

/**
 * Builds the twin, lets it converge, kills the node with the most resources (→ everything of it started elsewhere
 * and the DC idle again), then removes one Dummy's state file on a survivor (→ monitor failure → restarted).
 */
export function twinScale(nodes: number, resources: number, opts: { monitorS?: number; limitMs?: number; log?: (s: string) => void } = {}): TwinScaleResult {
  const monitorS = opts.monitorS ?? 10;
  const limit = opts.limitMs ?? 600_000;
  const log = opts.log ?? (() => {});
  const cib = manyDummiesCib(nodes, resources, monitorS);
  const names = Array.from({ length: nodes }, (_, i) => `node${i + 1}`);
  const { acc, undo } = instrument();
  try {
    const t = new CrmdTwin(names, { cib: (n) => (n === 'node1' ? cib : undefined) });
    const rsc = Array.from({ length: resources }, (_, i) => `d${i}`);
    const w0 = performance.now();
    t.startAll();
    const convergeSimMs = t.settle(limit);
    const convergeWallMs = performance.now() - w0;
    log(`converged: ${convergeSimMs} ms simulated, ${convergeWallMs.toFixed(0)} ms wall`);
    // The victim: the node (not the DC) with most resources.
    const dc = t.dc();
    const count = new Map<string, number>();
    for (const r of rsc) { const w = t.where(r)[0]; if (w) count.set(w, (count.get(w) ?? 0) + 1); }
    const victim = [...count].filter(([n]) => n !== dc).sort((a, b) => b[1] - a[1])[0]![0];
    const lost = rsc.filter((r) => t.where(r)[0] === victim);
    const a0 = snapshot(acc);
    const w1 = performance.now();
    const s1 = t.now;
    t.kill(victim);
    const rec = t.runUntil(() => lost.every((r) => t.where(r).length === 1), limit);
    if (rec === undefined) throw new Error(`twin: ${victim}'s resources not recovered in ${limit} ms simulated`);
    t.settle(limit);
    const deathCompleteSimMs = t.now - s1;
    const deathWallMs = performance.now() - w1;
    const deathAcc = diff(a0, acc);
    log(`node death (${victim}, ${lost.length} resources): recovered ${rec} ms, complete ${deathCompleteSimMs} ms simulated, ${deathWallMs.toFixed(0)} ms wall`);
    // Monitor failure: one Dummy on a survivor loses its state file; measured until its agent started again.
    const target = rsc.find((r) => t.where(r)[0] && t.where(r)[0] !== dc)!;
    const on = t.where(target)[0]!;
    const startsBefore = t.node(on).host.journal.filter((l) => l === `${target} start`).length;
    const a1 = snapshot(acc);
    const w2 = performance.now();
    const s2 = t.now;
    const files = t.node(on).host.files;
    const stateFile = [...files.keys()].find((f) => f.endsWith(`Dummy-${target}.state`));
    if (!stateFile) throw new Error(`twin: no state file of ${target} on ${on}`);
    files.delete(stateFile);
    const mr = t.runUntil(() => t.node(on).host.journal.filter((l) => l === `${target} start`).length > startsBefore, limit);
    if (mr === undefined) throw new Error(`twin: ${target} not restarted`);
    t.settle(limit);
    const monitorWallMs = performance.now() - w2;
    const monitorAcc = diff(a1, acc);
    log(`monitor failure of ${target} on ${on}: restarted after ${mr} ms simulated (settled +${t.now - s2}), ${monitorWallMs.toFixed(0)} ms wall`);
    return { nodes, resources, convergeSimMs, convergeWallMs, victim, lost: lost.length, deathRecoveredSimMs: rec, deathCompleteSimMs, deathWallMs, deathAcc,
      monitorRestartSimMs: mr, monitorWallMs, monitorAcc, monitorIntervalMs: monitorS * 1000, liveCib: t.crmd(t.dc()!).cib(), dcName: t.dc()! };
  } finally {
    undo();
  }
}

const renameRsc = (e: XEl, from: string, to: string): XEl => ({
  tagName: e.tagName,
  attrs: e.attrs.map((v, i) => (i % 2 === 1 && (v === from || v.startsWith(`${from}_`)) ? to + v.slice(from.length) : v)),
  kids: e.kids.map((k) => renameRsc(k, from, to)),
});

/**
 * A live CIB of `resources` Dummies from a converged twin CIB of fewer: resource dK is a copy of d(K mod n), its
 * configuration and its operation history on every node (probes, start, monitor) renamed, so it runs where d(K mod n)
 * runs, and `resource-stickiness=100` (rsc_defaults) keeps the copies there. The status then looks as a converged twin's
 * would at that size, without 32 × `resources` probes to simulate.
 */
export function scaleLiveCib(cib: XEl, resources: number): XEl {
  const conf = cib.kids.find((k) => k.tagName === 'configuration')!;
  const rscs = conf.kids.find((k) => k.tagName === 'resources')!;
  const prims = rscs.kids.filter((k) => k.tagName === 'primitive');
  const n = prims.length;
  if (resources <= n) return cib;
  const grow = (kids: readonly XEl[], tag: string): XEl[] => {
    const byId = new Map(kids.filter((k) => k.tagName === tag).map((k) => [getAttr(k, 'id')!, k]));
    const out = [...kids];
    for (let i = n; i < resources; i++) { const src = byId.get(`d${i % n}`); if (src) out.push(renameRsc(src, `d${i % n}`, `d${i}`)); }
    return out;
  };
  const mapKids = (e: XEl, f: (k: XEl) => XEl): XEl => ({ ...e, kids: e.kids.map(f) });
  // Copies stack where their originals run; without stickiness the scheduler would rebalance them (Move), as Pacemaker does.
  const sticky = parseXml('<rsc_defaults><meta_attributes id="bench-rsc-defaults"><nvpair id="bench-stickiness" name="resource-stickiness" value="100"/></meta_attributes></rsc_defaults>');
  if (!sticky.ok) throw new Error(sticky.reason);
  return mapKids(cib, (sec) => {
    if (sec.tagName === 'configuration') {
      const c2 = mapKids(sec, (c) => (c.tagName === 'resources' ? { ...c, kids: grow(c.kids, 'primitive') } : c));
      return { ...c2, kids: [...c2.kids.filter((k) => k.tagName !== 'rsc_defaults'), sticky.root] };
    }
    if (sec.tagName !== 'status') return sec;
    return mapKids(sec, (ns) => mapKids(ns, (lrm) => (lrm.tagName !== 'lrm' ? lrm : mapKids(lrm, (lr) => (lr.tagName === 'lrm_resources' ? { ...lr, kids: grow(lr.kids, 'lrm_resource') } : lr)))));
  });
}

/** Wall ms of each step of one DC scheduler run (DcDuty.run: print, parse, check, schedule, graph), its CPU ms (on a loaded machine wall ≫ CPU) and the actions. */
export interface DcRunCost { print: number; parse: number; check: number; schedule: number; graph: number; total: number; cpu: number; actions: number; kib: number }

/** Times the DC's scheduler run on `cib` (best of `reps`), the way DcDuty.run does it. */
export function dcRunCost(cib: XEl, dc: string, reps = 3): DcRunCost {
  let best: DcRunCost | undefined;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const text = printXml(cib);
    const t1 = performance.now();
    const parsed = parseCib(text);
    if (!parsed.ok) throw new Error(`twin: CIB does not parse: ${parsed.error.message}`);
    const t2 = performance.now();
    const u = unsupportedFeatures(parsed.value);
    if (u.length) throw new Error(`twin: unsupported ${u.join('; ')}`);
    const t3 = performance.now();
    const tr = schedule(parsed.value, { now: Math.floor(Date.UTC(2026, 0, 1) / 1000), scores: false });
    const t4 = performance.now();
    const g = buildGraph(parsed.value, tr, 1, nodeIdOf(cib, dc));
    const t5 = performance.now();
    const cu = process.cpuUsage(c0);
    const c = { print: t1 - t0, parse: t2 - t1, check: t3 - t2, schedule: t4 - t3, graph: t5 - t4, total: t5 - t0, cpu: (cu.user + cu.system) / 1000, actions: g.actions.filter((a) => !a.pseudo).length, kib: text.length / 1024 };
    if (!best || c.total < best.total) best = c;
  }
  return best!;
}

/** The DC's scheduler run at `resources` on the twin's live CIB: idle (nothing to do) and after `victim` was lost. */
export function dcRunCosts(live: XEl, dc: string, resources: number, victim: string): { idle: DcRunCost; nodeLost: DcRunCost } {
  const cib = scaleLiveCib(live, resources);
  return { idle: dcRunCost(cib, dc), nodeLost: dcRunCost(setNodeLost(cib, victim), dc) };
}

/** Prints the accounts as "label: ms in calls (ms/call)". */
export function formatAccounts(a: Accounts): string[] {
  return Object.entries(a).filter(([, v]) => v.calls > 0).map(([k, v]) => `${k}: ${v.ms.toFixed(0)} ms in ${v.calls} calls (${(v.ms / v.calls).toFixed(2)} ms/call)`);
}

if (process.argv[1]?.endsWith('crm-twin.ts')) {
  const nodes = Number(process.argv[2] ?? 32), resources = Number(process.argv[3] ?? 1000);
  const r = twinScale(nodes, resources, { log: (s) => console.log(s) });
  for (const l of formatAccounts(r.deathAcc)) console.log(`  death  ${l}`);
  for (const l of formatAccounts(r.monitorAcc)) console.log(`  monitor ${l}`);
  const victim = r.liveCib.kids.find((k) => k.tagName === 'configuration')!.kids.find((k) => k.tagName === 'nodes')!.kids.map((k) => getAttr(k, 'uname')!).filter((u) => u !== r.dcName).at(-1)!;
  for (const size of [resources, 1000]) {
    const c = dcRunCosts(r.liveCib, r.dcName, size, victim);
    for (const [what, x] of Object.entries(c)) console.log(`  DC run at ${size} (${what}): ${JSON.stringify(Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Math.round(v * 10) / 10])))}`);
  }
}
