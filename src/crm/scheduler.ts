// Pacemaker 2.1-style scheduler: a pure function from a parsed CIB (and "now") to placements and a transition.
// Follows the order of Pacemaker's pcmk__schedule_actions: unpack status, node criteria, assign, create actions, orderings.
import { createHash } from 'node:crypto';
import { type Cib, type PrimitiveDef, type ResourceDef, type NodeDef, type LocationRule, INFINITY, addScores, parseScore, isTrue, parseIntervalMs } from './cib.js';

/** Why a resource changes, as crm_simulate's Transition Summary shows it. */
export interface SummaryLine {
  readonly change: 'Start' | 'Stop' | 'Move' | 'Recover' | 'Restart';
  readonly rsc: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly reason?: string;
  readonly blocked: boolean;
}

/** One executable resource action of the transition. */
export interface ActionOut {
  readonly rsc: string;
  readonly task: 'start' | 'stop';
  readonly node: string;
}

/** A node's state after unpacking the status section. */
export interface NodeState {
  readonly uname: string;
  readonly online: boolean;
  readonly standby: boolean;
  readonly maintenance: boolean;
  readonly shutdown: boolean;
}

/** Scheduler result: placements after the transition, summary lines, actions and allocation scores. */
export interface Transition {
  readonly nodes: readonly NodeState[];
  /** Primitive id → node it runs on now (null = stopped); `failed` marks FAILED resources. */
  readonly current: ReadonlyMap<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean }>;
  /** Primitive id → node after the transition (null = stopped). */
  readonly placements: ReadonlyMap<string, string | null>;
  readonly summary: readonly SummaryLine[];
  readonly actions: readonly ActionOut[];
  /** Lines like `pcmk__primitive_assign: R allocation score on N: S`. */
  readonly scores: readonly string[];
}

/** Options for one scheduler run. */
export interface ScheduleOptions {
  /** Effective time in epoch seconds (failure-timeout expiry). */
  readonly now: number;
}

interface Node {
  uname: string; id: string; online: boolean; standby: boolean; maintenance: boolean; shutdown: boolean;
  attrs: Map<string, string>; numResources: number;
}
interface Coloc { id: string; dependent: Rsc; primary: Rsc; score: number; attr: string | undefined; influence: boolean }
interface Act { rsc: Rsc; task: string; node: string | null; optional: boolean; runnable: boolean; reason?: string; before: Edge[]; after: Edge[] }
interface Edge { first: Act | (() => Act); then: Act; kind: { impliesThen?: boolean; runnableLeft?: boolean; restart?: boolean; asymmetrical?: boolean } }
interface Rsc {
  id: string; kind: 'primitive' | 'group'; def: ResourceDef; parent?: Rsc; children: Rsc[];
  meta: Map<string, string>; priority: number; stickiness: number; threshold: number; failureTimeout: number;
  managed: boolean; stopTarget: boolean;
  allowed: Map<string, number>; runningOn: string[]; failed: boolean; failureIgnored: boolean; onFailStop: boolean;
  provisional: boolean; allocating: boolean; merging: boolean; assigned: string | null; nextStopped: boolean;
  thisWith: Coloc[]; withThis: Coloc[];
  start?: Act; stops: Act[];
}

const VARIANT = { primitive: 0, group: 1 } as const;

function cmpPrimary(a: Coloc, b: Coloc): number {
  if (a.primary.priority !== b.primary.priority) return a.primary.priority > b.primary.priority ? -1 : 1;
  if (VARIANT[a.primary.kind] !== VARIANT[b.primary.kind]) return VARIANT[a.primary.kind] > VARIANT[b.primary.kind] ? -1 : 1;
  return a.primary.id < b.primary.id ? -1 : a.primary.id > b.primary.id ? 1 : 0;
}
function cmpDependent(a: Coloc, b: Coloc): number {
  if (a.dependent.priority !== b.dependent.priority) return a.dependent.priority > b.dependent.priority ? -1 : 1;
  if (VARIANT[a.dependent.kind] !== VARIANT[b.dependent.kind]) return VARIANT[a.dependent.kind] > VARIANT[b.dependent.kind] ? -1 : 1;
  return a.dependent.id < b.dependent.id ? -1 : a.dependent.id > b.dependent.id ? 1 : 0;
}
/** GLib g_list_insert_sorted: before the first element that is not smaller. */
function insertSorted(list: Coloc[], c: Coloc, cmp: (a: Coloc, b: Coloc) => number): void {
  let i = 0;
  while (i < list.length && cmp(c, list[i]!) > 0) i++;
  list.splice(i, 0, c);
}

/** Evaluates a rule's expressions against a node's attributes. */
function ruleMatches(rule: LocationRule, attrs: Map<string, string>): boolean {
  if (rule.exprs.length === 0) return true;
  const res = rule.exprs.map((e) => {
    const v = attrs.get(e.attribute);
    switch (e.operation) {
      case 'defined': return v !== undefined;
      case 'not_defined': return v === undefined;
    }
    if (v === undefined || e.value === undefined) return e.operation === 'ne' && v === undefined ? false : false;
    let c: number;
    let type = e.type;
    if (!type) type = ['lt', 'lte', 'gt', 'gte'].includes(e.operation) ? ((v.includes('.') || e.value.includes('.')) ? 'number' : 'integer') : 'string';
    if (type === 'integer' || type === 'number') {
      // strtoll / strtod semantics: leading number, rest ignored; unparsable falls back to a string compare.
      const num = (x: string) => (type === 'integer' ? parseInt(x, 10) : parseFloat(x));
      const a = num(v), b = num(e.value);
      if (Number.isNaN(a) || Number.isNaN(b)) c = v < e.value ? -1 : v > e.value ? 1 : 0;
      else c = a < b ? -1 : a > b ? 1 : 0;
    } else if (type === 'version') {
      const pa = v.split('.').map(Number), pb = e.value.split('.').map(Number);
      c = 0;
      for (let i = 0; i < Math.max(pa.length, pb.length) && c === 0; i++) c = Math.sign((pa[i] ?? 0) - (pb[i] ?? 0));
    } else {
      const a = v.toLowerCase(), b = e.value.toLowerCase();
      c = a < b ? -1 : a > b ? 1 : 0;
    }
    switch (e.operation) {
      case 'eq': return c === 0;
      case 'ne': return c !== 0;
      case 'lt': return c < 0;
      case 'gt': return c > 0;
      case 'lte': return c <= 0;
      case 'gte': return c >= 0;
      default: return false;
    }
  });
  return rule.booleanOp === 'or' ? res.some(Boolean) : res.every(Boolean);
}

/** Pacemaker's parameter digest: md5 of `" <parameters a="x" b="y"/>\n"` with names sorted (non-recurring ops). */
export function paramsDigest(params: ReadonlyMap<string, string>): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const attrs = [...params].filter(([k]) => !k.startsWith('CRM_meta_')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return createHash('md5').update(` <parameters${attrs}/>\n`).digest('hex');
}

/** Names of features this CIB uses that the scheduler refuses rather than decide wrongly. */
export function unsupportedFeatures(cib: Cib): string[] {
  const out = [...cib.unsupported];
  const stonith = isTrue(cib.options.get('stonith-enabled') ?? 'true');
  const nqp = cib.options.get('no-quorum-policy') ?? 'stop';
  if (!cib.haveQuorum && !['stop', 'ignore'].includes(nqp)) out.push(`no-quorum-policy=${nqp} without quorum`);
  const ps = cib.options.get('placement-strategy');
  if (ps && ps !== 'default') out.push(`placement-strategy=${ps}`);
  if (cib.options.get('node-health-strategy') && cib.options.get('node-health-strategy') !== 'none') out.push('node health');
  if (isTrue(cib.options.get('enable-startup-probes') === 'false' ? 'true' : undefined)) out.push('enable-startup-probes=false');
  for (const n of cib.nodes) {
    const st = n.state;
    const online = st !== undefined && isTrue(st.inCcm) && st.crmd === 'online' && st.join === 'member';
    if (stonith && !online && (!st || (st.expected === 'member') || isTrue(st.inCcm))) out.push(`fencing of unclean node (${n.uname})`);
    if (st && isTrue(st.inCcm) && st.crmd === 'online' && st.join !== 'member') out.push(`node join state ${st.join} (${n.uname})`);
    for (const [rid, ops] of n.history) {
      for (const op of ops) {
        if (op.opStatus !== 0) { out.push(`operation with op-status ${op.opStatus} (${rid} on ${n.uname})`); break; }
        if (['migrate_to', 'migrate_from', 'promote', 'demote', 'notify', 'reload', 'reload-agent'].includes(op.operation)) { out.push(`${op.operation} in history (${rid})`); break; }
        if (op.rc === 8 || op.rc === 9) { out.push(`promoted role in history (${rid})`); break; }
        if (op.operation === 'stop' && op.rc !== op.expectedRc) { out.push(`failed stop (${rid} on ${n.uname})`); break; }
      }
    }
  }
  const prims: PrimitiveDef[] = [];
  for (const r of cib.resources) {
    if (r.kind === 'group') prims.push(...r.members); else prims.push(r);
    for (const [k, v] of r.meta) {
      if (k === 'target-role' && !['Started', 'Stopped', 'started', 'stopped'].includes(v)) out.push(`target-role=${v} (${r.id})`);
      if ((k === 'ordered' || k === 'collocated') && !isTrue(v)) out.push(`group ${k}=false (${r.id})`);
      if (k === 'multiple-active' || k === 'allow-migrate' && isTrue(v) || k === 'container-attribute-target' || k === 'remote-node' || k === 'container') out.push(`meta ${k} (${r.id})`);
    }
  }
  const ids = new Set<string>();
  for (const p of prims) {
    ids.add(p.id);
    if (p.cls === 'stonith' && stonith) out.push(`fencing device (${p.id})`);
    for (const [k, v] of p.meta) {
      if (k === 'target-role' && !['Started', 'Stopped', 'started', 'stopped'].includes(v)) out.push(`target-role=${v} (${p.id})`);
      if (k === 'remote-node' || k === 'container' || k === 'multiple-active' || (k === 'allow-migrate' && isTrue(v)) || k === 'requires') out.push(`meta ${k} (${p.id})`);
    }
    for (const o of p.ops) if (o.onFail && !['restart', 'ignore', 'stop'].includes(o.onFail) && !(o.onFail === 'fence' && !stonith)) out.push(`on-fail=${o.onFail} (${p.id})`);
  }
  for (const r of cib.resources) ids.add(r.id);
  // Parameter changes (op-digest mismatch) trigger restarts or reloads that need agent metadata: refuse them.
  const primById = new Map(prims.map((p) => [p.id, p]));
  const activeOn = new Map<string, number>();
  for (const n of cib.nodes) {
    for (const [rid, ops] of n.history) {
      const p = primById.get(rid);
      if (!p) continue;
      const sorted = [...ops].sort((a, b) => a.callId - b.callId);
      let running = false;
      let lastOp: (typeof ops)[number] | undefined;
      for (const op of sorted) {
        if (op.intervalMs === 0) lastOp = op;
        if (op.operation === 'start' || (op.operation === 'monitor' && op.rc !== 7)) running = true;
        else if (op.operation === 'stop' || (op.operation === 'monitor' && op.intervalMs === 0)) running = false;
      }
      if (running) activeOn.set(rid, (activeOn.get(rid) ?? 0) + 1);
      if (running && lastOp?.digest !== undefined && lastOp.digest !== paramsDigest(p.params)) out.push(`resource definition change (${rid} on ${n.uname})`);
    }
  }
  for (const [rid, k] of activeOn) if (k > 1) out.push(`resource active on multiple nodes (${rid})`);
  for (const n of cib.nodes) for (const rid of n.history.keys()) if (!ids.has(rid)) out.push(`orphan resource in status (${rid})`);
  for (const c of cib.colocations) if (c.nodeAttribute) out.push(`colocation node-attribute (${c.id})`);
  return [...new Set(out)];
}

/** Runs the scheduler. The CIB must be free of unsupportedFeatures() for the result to match Pacemaker. */
export function schedule(cib: Cib, opts: ScheduleOptions): Transition {
  const opt = (k: string, d: string) => cib.options.get(k) ?? d;
  const stonithEnabled = isTrue(opt('stonith-enabled', 'true'));
  const symmetric = isTrue(opt('symmetric-cluster', 'true'));
  const maintenanceMode = isTrue(opt('maintenance-mode', 'false'));
  const stopAll = isTrue(opt('stop-all-resources', 'false'));
  const noQuorumPolicy = opt('no-quorum-policy', 'stop');
  const quorumLost = !cib.haveQuorum && noQuorumPolicy !== 'ignore';

  // --- nodes ---
  const nodes: Node[] = cib.nodes.map((n: NodeDef) => {
    const st = n.state;
    const online = st !== undefined && isTrue(st.inCcm) && st.crmd === 'online' && st.join === 'member';
    const attrs = new Map<string, string>([...n.attrs, ...n.transient]);
    attrs.set('#uname', n.uname); attrs.set('#id', n.id); attrs.set('#kind', 'cluster');
    attrs.set('#is_dc', cib.dcUuid === n.id ? 'true' : 'false');
    return { uname: n.uname, id: n.id, online, standby: isTrue(attrs.get('standby')), maintenance: isTrue(attrs.get('maintenance')),
      shutdown: (attrs.get('shutdown') ?? '0') !== '0', attrs, numResources: 0 };
  });
  const nodeBy = new Map(nodes.map((n) => [n.uname, n]));
  const nodeDefBy = new Map(cib.nodes.map((n) => [n.uname, n]));
  const available = (u: string, weight?: number) => {
    const n = nodeBy.get(u);
    if (!n || !n.online || n.shutdown || n.standby || n.maintenance) return false;
    return weight === undefined || weight >= 0;
  };
  const haveStonithRsc = cib.resources.some((r) => (r.kind === 'group' ? r.members : [r]).some((p) => p.cls === 'stonith'));

  // --- resources ---
  const all: Rsc[] = [];
  const byId = new Map<string, Rsc>();
  const mk = (def: ResourceDef, parent?: Rsc): Rsc => {
    const meta = new Map<string, string>(def.meta);
    if (parent) for (const [k, v] of parent.meta) if (!meta.has(k)) meta.set(k, v);
    for (const [k, v] of cib.rscDefaults) if (!meta.has(k)) meta.set(k, v);
    const managed = !maintenanceMode && isTrue(meta.get('is-managed') ?? 'true') && !isTrue(meta.get('maintenance') ?? 'false');
    const r: Rsc = {
      id: def.id, kind: def.kind, def, ...(parent ? { parent } : {}), children: [], meta,
      priority: parseScore(meta.get('priority') ?? '0'), stickiness: parseScore(meta.get('resource-stickiness') ?? meta.get('default-resource-stickiness') ?? '0'),
      threshold: parseScore(meta.get('migration-threshold') ?? 'INFINITY'), failureTimeout: parseIntervalMs(meta.get('failure-timeout') ?? '0') / 1000,
      managed, stopTarget: (meta.get('target-role') ?? '').toLowerCase() === 'stopped',
      allowed: new Map(), runningOn: [], failed: false, failureIgnored: false, onFailStop: false,
      provisional: true, allocating: false, merging: false, assigned: null, nextStopped: false, thisWith: [], withThis: [], stops: [],
    };
    if (r.threshold < 0) r.threshold = 0;
    if (symmetric) for (const n of nodes) r.allowed.set(n.uname, 0);
    all.push(r); byId.set(r.id, r);
    if (def.kind === 'group') for (const m of def.members) r.children.push(mk(m, r));
    return r;
  };
  const top: Rsc[] = cib.resources.map((d) => mk(d));
  // Stable sort by priority (Pacemaker's g_list_sort with pe__cmp_rsc_priority).
  const ordered = top.map((r, i) => ({ r, i })).sort((a, b) => (b.r.priority - a.r.priority) || (a.i - b.i)).map((x) => x.r);
  const leaves = (r: Rsc): Rsc[] => (r.kind === 'group' ? r.children : [r]);
  const prims = all.filter((r) => r.kind === 'primitive');

  // --- status: where each primitive runs, and whether it failed ---
  for (const r of prims) {
    const def = r.def as PrimitiveDef;
    for (const n of cib.nodes) {
      const node = nodeBy.get(n.uname)!;
      if (!node.online) continue;
      if (node.maintenance) r.managed = false;
      const ops = [...(n.history.get(r.id) ?? [])].sort((a, b) => a.callId - b.callId);
      let running = false;
      for (const op of ops) {
        // A probe that finds the resource running (0) or stopped (7) reports state, not a failure.
        const failed = op.rc !== op.expectedRc && !(op.operation === 'monitor' && op.intervalMs === 0 && (op.rc === 0 || op.rc === 7));
        if (failed && r.failureTimeout > 0 && op.lastRcChange !== undefined && opts.now > op.lastRcChange + r.failureTimeout) continue;
        if (!failed) {
          if (op.operation === 'start') running = true;
          else if (op.operation === 'stop') running = false;
          else if (op.operation === 'monitor') running = op.rc === 0 ? true : op.intervalMs === 0 ? false : running;
          continue;
        }
        const cfg = def.ops.find((o) => o.name === op.operation && o.intervalMs === op.intervalMs);
        const onFail = cfg?.onFail ?? 'restart';
        if (onFail === 'ignore') { r.failureIgnored = true; running = op.operation === 'stop' ? running : (op.rc === 7 && op.intervalMs === 0 ? false : true); continue; }
        if (op.operation === 'monitor' && op.intervalMs === 0 && op.rc === 7) { running = false; continue; }
        running = true;
        r.failed = true;
        if (onFail === 'stop' || onFail === 'fence') r.onFailStop = true;
      }
      if (running) r.runningOn.push(n.uname);
    }
  }
  const current = (r: Rsc) => r.runningOn[0] ?? null;

  // --- locations ---
  const applyLoc = (r: Rsc, node: string, score: number) => {
    const cur = r.allowed.get(node);
    r.allowed.set(node, cur === undefined ? score : addScores(cur, score));
  };
  const applyLocation = (r: Rsc, entries: [string, number][]) => {
    if (r.kind === 'primitive') { for (const [n, s] of entries) applyLoc(r, n, s); return; }
    for (const [n, s] of entries) applyLoc(r, n, s);
    r.children.forEach((m, i) => { for (const [n, s] of entries) applyLoc(m, n, i === 0 ? s : 0); });
  };
  for (const l of cib.locations) {
    const r = byId.get(l.rsc);
    if (!r) continue;
    if (l.node !== undefined) {
      if (nodeBy.has(l.node)) applyLocation(r, [[l.node, l.score]]);
      continue;
    }
    for (const rule of l.rules) {
      const entries: [string, number][] = [];
      for (const n of nodes) {
        if (!ruleMatches(rule, n.attrs)) continue;
        const s = rule.scoreAttribute !== undefined ? (n.attrs.has(rule.scoreAttribute) ? parseScore(n.attrs.get(rule.scoreAttribute)) : -INFINITY) : rule.score;
        entries.push([n.uname, s]);
      }
      applyLocation(r, entries);
    }
  }
  // --- stickiness ---
  for (const r of prims) {
    if (!r.managed || r.stickiness < 1 || r.runningOn.length !== 1) continue;
    const n = r.runningOn[0]!;
    if (!symmetric && !r.allowed.has(n)) continue;
    applyLoc(r, n, r.stickiness);
  }
  // --- migration-threshold ---
  const failcount = (r: Rsc, n: Node) => {
    let fc = 0, last = 0;
    const nd = nodeDefBy.get(n.uname)!;
    for (const [k, v] of nd.transient) {
      if (k === `fail-count-${r.id}` || k.startsWith(`fail-count-${r.id}#`)) fc = addScores(fc, parseScore(v));
      if (k === `last-failure-${r.id}` || k.startsWith(`last-failure-${r.id}#`)) last = Math.max(last, parseInt(v, 10) || 0);
    }
    if (fc > 0 && r.failureTimeout > 0 && last > 0 && opts.now > last + r.failureTimeout) return 0;
    return fc;
  };
  for (const n of nodes) {
    for (const r of prims) {
      if (r.threshold === 0 || r.failureIgnored) continue;
      const fc = failcount(r, n);
      if (fc > 0 && r.threshold - fc <= 0) applyLoc(r, n.uname, -INFINITY);
    }
  }

  // --- colocations (groups: internal, then user ones, expanded to members) ---
  const addColoc = (c: Coloc) => { insertSorted(c.dependent.thisWith, c, cmpPrimary); insertSorted(c.primary.withThis, c, cmpDependent); };
  for (const r of top) {
    if (r.kind !== 'group') continue;
    for (let i = 1; i < r.children.length; i++) {
      addColoc({ id: 'group:internal_colocation', dependent: r.children[i]!, primary: r.children[i - 1]!, score: INFINITY, attr: undefined, influence: true });
    }
  }
  for (const c of cib.colocations) {
    const dep = byId.get(c.rsc), pri = byId.get(c.withRsc);
    if (!dep || !pri || c.score === 0) continue;
    const influence = c.influence ?? isTrue(dep.meta.get('critical') ?? 'true');
    addColoc({ id: c.id, dependent: dep, primary: pri, score: c.score, attr: c.nodeAttribute, influence });
  }
  // expand_group_colocations: "G with X" → first member; "X with G" → last member.
  for (const g of top) {
    if (g.kind !== 'group' || g.children.length === 0) continue;
    for (const c of g.thisWith) insertSorted(g.children[0]!.thisWith, c, cmpPrimary);
    const last = g.children[g.children.length - 1]!;
    for (const c of g.withThis) insertSorted(last.withThis, c, cmpDependent);
  }

  const anyAvailable = (t: Map<string, number>) => [...t].some(([n, w]) => available(n, w));
  const bestMatching = (r: Rsc, uname: string) => {
    const w = r.allowed.get(uname);
    return w !== undefined && available(uname) ? w : -INFINITY;
  };
  const INFINITY_HACK = INFINITY * -100;
  const addMatching = (work: Map<string, number>, r: Rsc, factor: number, onlyPositive: boolean) => {
    for (const [n, w] of work) {
      const score = bestMatching(r, n);
      if (factor < 0 && score < 0) continue;
      if (w === INFINITY_HACK) continue;
      const wf = Math.fround(factor * score);
      let weight = Math.trunc(wf < 0 ? wf - 0.5 : wf + 0.5);
      if (weight === 0 && score !== 0) weight = factor > 0 ? 1 : factor < 0 ? -1 : 0;
      const ns = addScores(weight, w);
      if (onlyPositive && ns < 0 && w > 0) { work.set(n, INFINITY_HACK); continue; }
      if (onlyPositive && ns < 0 && w === 0) continue;
      work.set(n, ns);
    }
  };
  const hasInfluence = (c: Coloc) => c.influence || c.primary.runningOn.length === 0 && leaves(c.primary).every((l) => l.runningOn.length === 0);
  // pcmk__add_colocated_node_scores with flags = select_active (the only caller pattern in default placement).
  const addColocated = (r: Rsc, nodesIn: Map<string, number>, factor: number): Map<string, number> => {
    if (r.merging) return nodesIn;
    r.merging = true;
    let work: Map<string, number>;
    if (r.kind === 'group') {
      if (r.children.length === 0) { r.merging = false; return nodesIn; }
      work = addColocated(r.children[0]!, new Map(nodesIn), factor);
    } else {
      work = new Map(nodesIn);
      addMatching(work, r, factor, false);
    }
    if (anyAvailable(work)) {
      const mult = factor < 0 ? -1 : 1;
      const list = r.kind === 'group' ? r.children[r.children.length - 1]!.withThis : r.withThis;
      for (const c of list) {
        if (!hasInfluence(c)) continue;
        const f = Math.fround(Math.fround(mult * c.score) / INFINITY);
        work = addColocated(c.dependent, work, f);
      }
    } else {
      r.merging = false;
      return nodesIn;
    }
    r.merging = false;
    return work;
  };
  const applyColocToWeights = (dep: Rsc, pri: Rsc, c: Coloc) => {
    const value = pri.assigned;
    if (value === null && c.score < 0) return;
    const work = new Map(dep.allowed);
    for (const [n, w] of work) {
      if (value === null) work.set(n, addScores(-c.score, w));
      else if (n === value) { if (c.score < INFINITY) work.set(n, addScores(c.score, w)); }
      else if (c.score >= INFINITY) work.set(n, addScores(-c.score, w));
    }
    if (c.score <= -INFINITY || c.score >= INFINITY || anyAvailable(work)) dep.allowed = work;
  };
  const applyColocScore = (dep: Rsc, pri: Rsc, c: Coloc) => {
    if (pri.kind === 'group') {
      if (pri.provisional) return;
      const m = c.score >= INFINITY ? pri.children[pri.children.length - 1] : pri.children[0];
      if (m) applyColocScore(dep, m, c);
      return;
    }
    if (pri.provisional || !dep.provisional) return;
    applyColocToWeights(dep, pri, c);
  };

  const sortedAllowed = (r: Rsc): [string, number][] => {
    const active = current(r);
    const list = [...r.allowed].sort((a, b) => {
      const wa = available(a[0]) ? a[1] : -INFINITY, wb = available(b[0]) ? b[1] : -INFINITY;
      if (wa !== wb) return wa > wb ? -1 : 1;
      const na = nodeBy.get(a[0])!.numResources, nb = nodeBy.get(b[0])!.numResources;
      if (na !== nb) return na < nb ? -1 : 1;
      if (active !== null) { if (a[0] === active) return -1; if (b[0] === active) return 1; }
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
    return list;
  };
  const finalize = (r: Rsc, chosen: string | null, force: boolean) => {
    if (!force && chosen !== null && !available(chosen, r.allowed.get(chosen) ?? -INFINITY)) chosen = null;
    r.provisional = false;
    if (chosen === null) { r.assigned = null; r.nextStopped = true; return; }
    r.assigned = chosen;
    nodeBy.get(chosen)!.numResources++;
  };
  const scores: string[] = [];
  const showScores = (fn: string, r: Rsc) => {
    for (const n of [...r.allowed.keys()].sort()) {
      const w = r.allowed.get(n)!;
      scores.push(`${fn}: ${r.id} allocation score on ${n}: ${w >= INFINITY ? 'INFINITY' : w <= -INFINITY ? '-INFINITY' : w}`);
    }
  };

  const assign = (r: Rsc): string | null => {
    if (r.kind === 'group') {
      if (!r.provisional) return r.assigned;
      if (r.allocating) return null;
      r.allocating = true;
      showScores('pcmk__group_assign', r);
      for (const m of r.children) showScores('pcmk__group_assign', m);
      let first: string | null | undefined;
      for (const m of r.children) { const n = assign(m); if (first === undefined) first = n; }
      r.allocating = false; r.provisional = false;
      r.assigned = first ?? null;
      return r.assigned;
    }
    if (r.parent && !r.parent.allocating) assign(r.parent);
    if (!r.provisional) return r.assigned;
    if (r.allocating) return null;
    r.allocating = true;
    for (const c of [...r.thisWith]) {
      const archive = c.score < 0 && c.score > -INFINITY ? new Map(r.allowed) : null;
      assign(c.primary);
      applyColocScore(r, c.primary, c);
      if (archive && !anyAvailable(r.allowed)) r.allowed = archive;
    }
    for (const c of [...r.withThis]) {
      if (!hasInfluence(c)) continue;
      r.allowed = addColocated(c.dependent, r.allowed, Math.fround(c.score / INFINITY));
    }
    if (r.stopTarget || r.onFailStop) for (const n of r.allowed.keys()) r.allowed.set(n, -INFINITY);
    showScores('pcmk__primitive_assign', r);
    let managed = r.managed;
    if (stonithEnabled && !haveStonithRsc) managed = r.managed = false;
    if (!managed) finalize(r, current(r), true);
    else if (stopAll) finalize(r, null, true);
    else {
      const nodesSorted = sortedAllowed(r);
      let chosen: string | null = null;
      const best = nodesSorted[0];
      if (best) {
        chosen = best[0];
        const running = current(r);
        if (best[1] > 0 && available(best[0]) && running !== null && available(running, r.allowed.get(running))) {
          for (const [n, w] of nodesSorted.slice(1)) { if (w !== best[1]) break; if (n === running) chosen = n; }
        }
      }
      finalize(r, chosen, false);
    }
    r.allocating = false;
    return r.assigned;
  };
  for (const r of ordered) assign(r);

  // --- actions (pcmk__primitive_create_actions, then pcmk__apply_orderings) ---
  const acts: Act[] = [];
  const freeze = !cib.haveQuorum && noQuorumPolicy === 'freeze';
  const newAct = (r: Rsc, task: string, node: string | null, optional: boolean): Act => {
    const a: Act = { rsc: r, task, node, optional: r.managed ? optional : true, runnable: node !== null && nodeBy.get(node)!.online, before: [], after: [] };
    if (task === 'start' && node !== null) {
      if (quorumLost && noQuorumPolicy === 'stop') { a.runnable = false; a.reason = 'no quorum'; }
      else if (freeze && (r.runningOn.length === 0 || r.nextStopped)) { a.runnable = false; a.reason = 'quorum freeze'; }
    }
    if (task === 'stop' && !r.managed) a.runnable = false;
    acts.push(a);
    return a;
  };
  for (const t of ordered) {
    for (const r of leaves(t)) {
      const cur = current(r);
      const next = r.assigned;
      const moving = cur !== null && next !== null && cur !== next;
      const needStop = moving || (r.failed && cur !== null);
      if (cur !== null) {
        for (const n of r.runningOn) {
          const s = newAct(r, 'stop', n, next !== null && !needStop);
          if (next === null) s.reason = 'node availability';
          r.stops.push(s);
        }
        if (next !== null) r.start = newAct(r, 'start', next, !needStop);
      } else if (next !== null) {
        r.start = newAct(r, 'start', next, false);
      }
    }
  }
  // Actions that orderings refer to but the resource does not have (Pacemaker creates them optional, unrunnable).
  const startOf = (r: Rsc): Act => r.start ?? (r.start = newAct(r, 'start', null, true));
  const stopsFor = (r: Rsc): Act[] => (r.stops.length || r.runningOn.length === 0 ? r.stops : (r.stops = [newAct(r, 'stop', null, true)]));
  type Kind = Edge['kind'];
  const edges: Edge[] = [];
  const order = (first: Act | (() => Act), then: Act, kind: Kind) => {
    const e = { first, then, kind };
    edges.push(e); then.before.push(e);
    if (typeof first !== 'function') first.after.push(e);
  };
  // Group "running" pseudo action: mandatory if any member start is, unrunnable unless every member starts.
  const groupRunning = (g: Rsc): (() => Act) => {
    const pseudo: Act = { rsc: g, task: 'running', node: null, optional: true, runnable: true, before: [], after: [] };
    return () => {
      const s = g.children.map((m) => m.start);
      pseudo.optional = s.every((a) => !a || a.optional);
      pseudo.runnable = s.every((a) => a !== undefined && a.node !== null && a.runnable);
      return pseudo;
    };
  };
  const seenOrders = new Set<string>();
  for (const o of cib.orders) {
    const f = byId.get(o.first), t = byId.get(o.then);
    if (!f || !t) continue;
    const key = `${o.first}\0${o.then}`;
    if (seenOrders.has(key)) continue; // Pacemaker keeps only the first ordering between the same actions
    seenOrders.add(key);
    if (o.kind !== 'Mandatory') continue;
    const first = f.kind === 'group' ? groupRunning(f) : startOf(f);
    const kind = o.symmetrical ? { impliesThen: true, runnableLeft: true } : { asymmetrical: true };
    for (const m of leaves(t)) order(first, startOf(m), kind);
  }
  for (const r of prims) {
    if (r.start && r.start.node !== null) for (const s of r.stops) order(s, r.start, { impliesThen: true, restart: true });
  }
  for (const g of top) {
    if (g.kind !== 'group') continue;
    for (let i = 1; i < g.children.length; i++) {
      const a = g.children[i - 1]!, b = g.children[i]!;
      order(startOf(a), startOf(b), { impliesThen: true, runnableLeft: true });
      if (a.runningOn.length && b.runningOn.length) for (const sb of stopsFor(b)) for (const sa of stopsFor(a)) order(sb, sa, { restart: true });
    }
  }
  const reasonText = (a: Act, kind: 'required' | 'unrunnable') => `${kind} ${a.rsc.id} ${a.task}`;
  const clearOptional = (a: Act, because: Act): boolean => {
    if (!a.optional) return false;
    a.optional = false;
    if (a.rsc !== because.rsc && a.reason === undefined) a.reason = reasonText(because, 'required');
    return true;
  };
  const clearRunnable = (a: Act, because: Act): boolean => {
    if (!a.runnable) return false;
    a.runnable = false;
    if (a.rsc !== because.rsc && a.reason === undefined) a.reason = reasonText(because, 'unrunnable');
    return true;
  };
  // pcmk__block_colocation_dependents: an unrunnable start of a primitive blocks starts of its mandatory dependents.
  const blockDependents = (a: Act) => {
    if (a.runnable || a.task !== 'start' || a.rsc.parent) return;
    for (const c of a.rsc.withThis) {
      if (c.score < INFINITY) continue;
      for (const m of leaves(c.dependent)) {
        const s = m.start;
        if (s && s.runnable) {
          s.runnable = false;
          if (s.reason === undefined) s.reason = `colocation with ${a.rsc.id}`;
          blockDependents(s);
          update(s);
        }
      }
    }
  };
  let depth = 0;
  // pcmk__update_action_for_orderings: apply every ordering into `then`, re-processing whatever changed.
  function update(then: Act): void {
    if (++depth > 5000) { depth--; return; }
    for (const e of then.before) {
      const first = typeof e.first === 'function' ? e.first() : e.first;
      const wasThen = [then.optional, then.runnable];
      const wasFirst = [first.optional, first.runnable];
      if (e.kind.asymmetrical) {
        // handle_asymmetric_ordering: an already-started 'then' staying put is left alone.
        const on = then.rsc.runningOn;
        const settled = on.length > 0 && then.optional && then.node !== null && on.length === 1 && then.node === on[0] && then.task === 'start';
        if (!settled && !(on.length === 0 && then.task === 'stop') && !first.runnable) { clearOptional(then, first); clearRunnable(then, first); }
      }
      if (e.kind.runnableLeft && then.runnable && !first.runnable) clearRunnable(then, first);
      if (e.kind.impliesThen && then.optional && !first.optional) clearOptional(then, first);
      if (e.kind.restart) {
        const reason = !then.optional || (!then.runnable && then.rsc.managed && first.rsc === then.rsc);
        if (reason) {
          if (first.runnable) clearOptional(first, then);
          if (!then.optional) clearOptional(first, then);
          if (!first.optional && !first.runnable) clearRunnable(then, first);
        }
      }
      if (first.optional !== wasFirst[0] || first.runnable !== wasFirst[1]) {
        for (const e2 of first.after) update(e2.then);
        update(first);
      }
      if (then.optional !== wasThen[0] || then.runnable !== wasThen[1]) {
        if (wasThen[1] && !then.runnable) blockDependents(then);
        update(then);
        for (const e2 of then.after) update(e2.then);
      }
    }
    depth--;
  }
  for (const a of [...acts]) blockDependents(a);
  for (const a of [...acts]) update(a);

  // --- summary (rsc_action_default) ---
  const summary: SummaryLine[] = [];
  const actions: ActionOut[] = [];
  const placements = new Map<string, string | null>();
  const currentOut = new Map<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean }>();
  for (const t of ordered) {
    for (const r of leaves(t)) {
      const cur = current(r);
      const next = r.assigned;
      currentOut.set(r.id, { node: cur, failed: r.failed, managed: r.managed, disabled: r.stopTarget });
      const start = r.start;
      const stop = r.stops[0];
      const stopped = r.stops.some((s) => !s.optional && s.runnable && s.node !== null);
      const started = next !== null && start !== undefined && start.runnable && start.node === next && (!start.optional || cur === next);
      placements.set(r.id, started ? next : (cur !== null && !stopped ? cur : null));
      for (const s of r.stops) if (!s.optional && s.runnable && s.node !== null) actions.push({ rsc: r.id, task: 'stop', node: s.node });
      if (started && !start!.optional) actions.push({ rsc: r.id, task: 'start', node: next! });
      if (!r.managed || (cur === null && next === null)) continue;
      const moving = cur !== null && next !== null && cur !== next;
      const roleStarted = cur !== null, nextStarted = next !== null && !r.nextStopped;
      const line = (change: SummaryLine['change'], from: string | null, to: string | null, action: Act | undefined, source?: Act) => {
        const src = source ?? action;
        summary.push({ change, rsc: r.id, from, to, ...(src?.reason ? { reason: src.reason } : {}), blocked: action ? !action.runnable : false });
      };
      if (roleStarted === nextStarted) {
        if (!roleStarted) continue;
        if (!start || start.optional) continue;
        if (!start.runnable) line('Stop', cur, null, stop, stop?.reason ? stop : start);
        else if (moving) line(r.failed ? 'Recover' : 'Move', cur, next, stop);
        else if (r.failed) line('Recover', cur, null, stop);
        else line('Restart', cur, next, start);
        continue;
      }
      if (stop && !nextStarted) {
        for (const s of r.stops) if (s.node !== null) line('Stop', s.node, null, s, s.reason ? s : start);
      } else if (!roleStarted && nextStarted) {
        line('Start', null, next, start);
      }
    }
  }
  return {
    nodes: nodes.map((n) => ({ uname: n.uname, online: n.online, standby: n.standby, maintenance: n.maintenance, shutdown: n.shutdown })),
    current: currentOut, placements, summary, actions, scores,
  };
}
