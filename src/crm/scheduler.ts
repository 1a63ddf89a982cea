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
  /** In standby because of a failure with on-fail=standby (crm_mon: "standby (on-fail)"). */
  readonly standbyOnFail?: boolean;
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
  /** The actions of the transition graph with their orderings (what the transition engine carries out). */
  readonly graph: readonly GraphActionOut[];
  /** The resource-level orderings the graph came from, in creation order (probe orderings are derived from them). */
  readonly orderings: readonly RscOrderingOut[];
}

/** One action of the transition graph (a synapse): a resource action on a node, or a group's pseudo-action
 *  (start/running/stop/stopped, node null), with the indices of the graph actions that must complete first. */
export interface GraphActionOut {
  readonly rsc: string;
  readonly task: string;
  readonly node: string | null;
  readonly pseudo: boolean;
  readonly inputs: readonly number[];
  /** Graph actions this one makes required (pe_order_implies_then): the path restart orderings of probes follow. */
  readonly impliesThen: readonly number[];
}

/** A resource-level ordering (pe__ordering_t): `first`'s `firstTask` before `then`'s `thenTask`. */
export interface RscOrderingOut {
  readonly first: string;
  readonly firstTask: string;
  readonly then: string;
  readonly thenTask: string;
}

/** Options for one scheduler run. */
export interface ScheduleOptions {
  /** Effective time in epoch seconds (failure-timeout expiry). */
  readonly now: number;
  /** Record allocation scores in Transition.scores (default true); off saves work on large CIBs. */
  readonly scores?: boolean;
}

interface Node {
  uname: string; id: string; online: boolean; standby: boolean; standbyOnFail?: boolean; maintenance: boolean; shutdown: boolean;
  attrs: Map<string, string>; numResources: number;
}
interface Coloc { id: string; dependent: Rsc; primary: Rsc; score: number; attr: string | undefined; influence: boolean }
/** A scheduled action (pe_action_t): flags plus the ordering wrappers, newest first like Pacemaker's prepended GLists. */
interface Act { rsc: Rsc; task: string; node: string | null; optional: boolean; runnable: boolean; pseudo: boolean; reason?: string; before: Wrap[]; after: Wrap[] }
/** One side of an ordering between two actions (pe_action_wrapper_t); `type` is a set of ORD_* bits. */
interface Wrap { action: Act; type: number }
/** A resource-level ordering (pe__ordering_t) before it is expanded into action wrappers. */
interface Ordering { first: Rsc; firstTask: string; then: Rsc; thenTask: string; flags: number }
interface Rsc {
  id: string; kind: 'primitive' | 'group'; def: ResourceDef; parent?: Rsc; children: Rsc[];
  meta: Map<string, string>; priority: number; stickiness: number; threshold: number; failureTimeout: number;
  managed: boolean; stopTarget: boolean; blocked?: boolean;
  allowed: Map<string, number>; runningOn: string[]; failed: boolean; failureIgnored: boolean; onFailStop: boolean;
  provisional: boolean; allocating: boolean; merging: boolean; assigned: string | null; nextStopped: boolean;
  thisWith: Coloc[]; withThis: Coloc[];
  /** Actions of this resource in creation order (Pacemaker's list is newest first: iterate backwards). */
  actions: Act[];
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

/** Options of unsupportedFeatures(). */
export interface UnsupportedOptions {
  /** Check the configuration only (`crm configure verify`): leave out what comes from the status section
   *  (node states, operation history, quorum), which a configuration being written does not have yet. */
  readonly configurationOnly?: boolean;
}

/** Names of features this CIB uses that the scheduler refuses rather than decide wrongly. The one list both
 *  the scheduler's callers and `crm configure verify` use. */
export function unsupportedFeatures(cib: Cib, opts: UnsupportedOptions = {}): string[] {
  const statusToo = !opts.configurationOnly;
  const out = [...cib.unsupported];
  const stonith = isTrue(cib.options.get('stonith-enabled') ?? 'true');
  const nqp = cib.options.get('no-quorum-policy') ?? 'stop';
  if (statusToo && !cib.haveQuorum && !['stop', 'ignore', 'freeze'].includes(nqp)) out.push(`no-quorum-policy=${nqp} without quorum`);
  const ps = cib.options.get('placement-strategy');
  if (ps && ps !== 'default') out.push(`placement-strategy=${ps}`);
  if (cib.options.get('node-health-strategy') && cib.options.get('node-health-strategy') !== 'none') out.push('node health');
  if (isTrue(cib.options.get('enable-startup-probes') === 'false' ? 'true' : undefined)) out.push('enable-startup-probes=false');
  for (const n of statusToo ? cib.nodes : []) {
    const st = n.state;
    const online = st !== undefined && isTrue(st.inCcm) && st.crmd === 'online' && st.join === 'member';
    if (stonith && !online && (!st || (st.expected === 'member') || isTrue(st.inCcm))) out.push(`fencing of unclean node (${n.uname})`);
    if (st && isTrue(st.inCcm) && st.crmd === 'online' && st.join !== 'member') out.push(`node join state ${st.join} (${n.uname})`);
    for (const [rid, ops] of n.history) {
      for (const op of ops) {
        if (op.opStatus !== 0 && op.opStatus !== 4) { out.push(`operation with op-status ${op.opStatus} (${rid} on ${n.uname})`); break; }
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
    for (const o of p.ops) if (o.onFail && !['restart', 'ignore', 'stop', 'standby'].includes(o.onFail) && !(o.onFail === 'fence' && !stonith)) out.push(`on-fail=${o.onFail} (${p.id})`);
  }
  for (const r of cib.resources) ids.add(r.id);
  // Parameter changes (op-digest mismatch) trigger restarts or reloads that need agent metadata: refuse them.
  const primById = new Map(prims.map((p) => [p.id, p]));
  const digests = new Map<PrimitiveDef, string>();
  const digestOf = (p: PrimitiveDef) => { let d = digests.get(p); if (d === undefined) digests.set(p, d = paramsDigest(p.params)); return d; };
  const activeOn = new Map<string, number>();
  for (const n of statusToo ? cib.nodes : []) {
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
      if (running && lastOp?.digest !== undefined && lastOp.digest !== digestOf(p)) out.push(`resource definition change (${rid} on ${n.uname})`);
    }
  }
  for (const [rid, k] of activeOn) if (k > 1) out.push(`resource active on multiple nodes (${rid})`);
  for (const n of statusToo ? cib.nodes : []) for (const rid of n.history.keys()) if (!ids.has(rid)) out.push(`orphan resource in status (${rid})`);
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
      provisional: true, allocating: false, merging: false, assigned: null, nextStopped: false, thisWith: [], withThis: [], actions: [],
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
      // The unresolved failure on this node and its on-fail (Pacemaker keeps the most severe one; a later successful
      // start or stop clears restart/ignore/block, never stop/standby/fence: unpack.c's clear_past_failure).
      let pending: string | null = null;
      for (const op of ops) {
        // A probe that finds the resource running (0) or stopped (7) reports state, not a failure.
        // So does "not running" (7) from any monitor that expected it, or of an unmanaged resource (determine_op_status).
        const failed = op.opStatus === 4 || op.rc !== op.expectedRc && !(op.operation === 'monitor' && op.intervalMs === 0 && (op.rc === 0 || op.rc === 7))
          && !(op.operation === 'monitor' && op.rc === 7 && !r.managed);
        // failure-timeout expires a failure, except one with on-fail=block (a blocked resource waits for the admin).
        if (failed && r.failureTimeout > 0 && op.lastRcChange !== undefined && opts.now > op.lastRcChange + r.failureTimeout
          && def.ops.find((o) => o.name === op.operation && o.intervalMs === op.intervalMs)?.onFail !== 'block') continue;
        if (!failed) {
          if (op.operation === 'start') running = true;
          else if (op.operation === 'stop') running = false;
          else if (op.operation === 'monitor') running = op.rc === 0 ? true : op.rc === 7 ? false : running;
          if ((op.operation === 'start' || op.operation === 'stop') && pending !== null && CLEARED_BY_STOP.has(pending)) pending = null;
          continue;
        }
        const cfg = def.ops.find((o) => o.name === op.operation && o.intervalMs === op.intervalMs);
        const onFail = cfg?.onFail ?? 'restart';
        if (onFail === 'ignore') { r.failureIgnored = true; running = op.operation === 'stop' ? running : (op.rc === 7 && op.intervalMs === 0 ? false : true); continue; }
        if (op.operation === 'monitor' && op.intervalMs === 0 && op.rc === 7) { running = false; continue; }
        running = true;
        if (pending === null || (ON_FAIL_SEVERITY[onFail] ?? 2) > (ON_FAIL_SEVERITY[pending] ?? 2)) pending = onFail;
      }
      if (pending !== null) {
        // Only a resource still active where it failed is recovered; the on-fail consequences below stay regardless.
        if (running) r.failed = true;
        if (pending === 'stop' || pending === 'fence') r.onFailStop = true;
        // on-fail=standby: the node itself goes to standby until the failure expires or is cleaned up.
        if (pending === 'standby') { node.standby = true; node.standbyOnFail = true; }
        // on-fail=block: the resource is left alone (unmanaged) where it failed.
        if (pending === 'block') { r.managed = false; r.blocked = true; }
      }
      if (running) r.runningOn.push(n.uname);
    }
  }
  const current = (r: Rsc) => r.runningOn[0] ?? null;
  // native_add_running: an unmanaged resource is pinned where it runs (INFINITY, before any constraint).
  for (const r of prims) {
    if (r.managed) continue;
    for (const n of r.runningOn) { const w = r.allowed.get(n); r.allowed.set(n, w === undefined ? INFINITY : addScores(w, INFINITY)); }
  }

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
  // Fail counts and last-failure times per node and resource, indexed once (the attribute names are
  // fail-count-RSC[#op_interval] and last-failure-RSC[#op_interval]).
  const failIndex = new Map<string, Map<string, { fc: number; last: number }>>();
  for (const nd of cib.nodes) {
    const perRsc = new Map<string, { fc: number; last: number }>();
    for (const [k, v] of nd.transient) {
      const isFc = k.startsWith('fail-count-'), isLf = !isFc && k.startsWith('last-failure-');
      if (!isFc && !isLf) continue;
      const rest = k.slice(isFc ? 11 : 13);
      const hash = rest.indexOf('#');
      const rid = hash < 0 ? rest : rest.slice(0, hash);
      let e = perRsc.get(rid);
      if (!e) perRsc.set(rid, e = { fc: 0, last: 0 });
      if (isFc) e.fc = addScores(e.fc, parseScore(v)); else e.last = Math.max(e.last, parseInt(v, 10) || 0);
    }
    failIndex.set(nd.uname, perRsc);
  }
  const failcount = (r: Rsc, n: Node) => {
    const e = failIndex.get(n.uname)?.get(r.id);
    if (!e) return 0;
    if (e.fc > 0 && r.failureTimeout > 0 && e.last > 0 && opts.now > e.last + r.failureTimeout) return 0;
    return e.fc;
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
  // expand_group_colocations, done when the group is assigned (as Pacemaker does, so scores computed
  // before that still see the group-level lists): "G with X" → first member; "X with G" → last member.
  const expandGroupColocations = (g: Rsc) => {
    if (g.children.length === 0) return;
    for (const c of g.thisWith) insertSorted(g.children[0]!.thisWith, c, cmpPrimary);
    // A mandatory colocation must hold for later members too once an earlier member is unmanaged.
    let anyUnmanaged = !g.children[0]!.managed;
    for (const m of g.children.slice(1)) {
      if (anyUnmanaged) { for (const c of g.thisWith) if (c.score >= INFINITY) insertSorted(m.thisWith, c, cmpPrimary); }
      else if (!m.managed) anyUnmanaged = true;
    }
    g.thisWith = [];
    const last = g.children[g.children.length - 1]!;
    for (const c of g.withThis) insertSorted(last.withThis, c, cmpDependent);
    g.withThis = [];
  };

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
  const wantScores = opts.scores ?? true;
  const showScores = (fn: string, r: Rsc) => {
    if (!wantScores) return;
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
      expandGroupColocations(r);
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

  // --- actions: a port of Pacemaker 2.1.5's action graph for primitives and groups ---
  // Action lists, ordering lists and wrapper lists are kept in Pacemaker's order, because which
  // reason text ends up on an action ("required X start" vs "unrunnable Y stop") depends on the
  // order in which pcmk__update_action_for_orderings visits them.
  const acts: Act[] = [];
  const roleStarted = (r: Rsc): boolean => (r.kind === 'group' ? r.children.some((c) => c.runningOn.length > 0) : r.runningOn.length > 0);
  const nextStarted = (r: Rsc): boolean => r.assigned !== null;
  const setReason = (a: Act, reason: string | undefined, overwrite: boolean) => {
    if (a.reason === undefined || overwrite) { if (reason === undefined) delete a.reason; else a.reason = reason; }
  };
  /** find_first_action over rsc->actions (newest first). */
  const findFirst = (r: Rsc, task: string, node: string | null): Act | undefined => {
    for (let i = r.actions.length - 1; i >= 0; i--) {
      const a = r.actions[i]!;
      if (a.task !== task) continue;
      if (node === null) return a;
      if (a.node === node) return a;
    }
    return undefined;
  };
  /** find_actions: matches in creation order; an action without a node is given `node` (Pacemaker does the same). */
  const findActions = (r: Rsc, task: string, node: string | null): Act[] => {
    const out: Act[] = [];
    for (let i = r.actions.length - 1; i >= 0; i--) {
      const a = r.actions[i]!;
      if (a.task !== task) continue;
      if (node === null) out.unshift(a);
      else if (a.node === null) { a.node = node; out.unshift(a); }
      else if (a.node === node) out.unshift(a);
    }
    return out;
  };
  /** custom_action: find or create, then update_action_optional and update_resource_action_runnable. */
  const customAction = (r: Rsc, task: string, node: string | null, optional: boolean): Act => {
    let a: Act | undefined = findActions(r, task, node)[0];
    if (!a) {
      a = { rsc: r, task, node, optional, runnable: true, pseudo: false, before: [], after: [] };
      acts.push(a); r.actions.push(a);
    }
    if (r.kind === 'primitive' && node !== null && !a.pseudo && !r.managed) a.optional = true;
    else if (!optional) a.optional = false;
    if (a.pseudo) return a;
    if (node === null || !nodeBy.get(node)!.online) a.runnable = false;
    else if (task === 'stop') { setReason(a, undefined, true); a.runnable = true; }
    else if (cib.haveQuorum || noQuorumPolicy === 'ignore') a.runnable = true;
    else if (noQuorumPolicy === 'freeze') {
      if (!roleStarted(r) || (nextStarted(r) && !roleStarted(r))) { a.runnable = false; setReason(a, 'quorum freeze', true); }
    } else { a.runnable = false; setReason(a, 'no quorum', true); }
    return a;
  };
  const stopResource = (r: Rsc, optional: boolean) => {
    for (const n of r.runningOn) {
      const stop = customAction(r, 'stop', n, optional);
      if (r.assigned === null) setReason(stop, 'node availability', true);
      if (!r.managed) stop.runnable = false;
    }
  };
  const startResource = (r: Rsc, node: string, optional: boolean) => {
    const start = customAction(r, 'start', node, true);
    if (start.runnable && !optional) start.optional = false;
  };
  // pcmk__primitive_create_actions for the Stopped/Started roles.
  const createPrimitiveActions = (r: Rsc) => {
    const cur = current(r), next = r.assigned;
    const moving = cur !== null && next !== null && cur !== next;
    const needStop = moving || (r.failed && cur !== null);
    const role = cur !== null, nextRole = next !== null;
    if (role) {
      stopResource(r, !needStop);
      if (nextRole) startResource(r, next!, !needStop);
      else stopResource(r, false);
    } else if (nextRole) startResource(r, next!, false);
  };
  for (const t of ordered) {
    if (t.kind === 'primitive') { createPrimitiveActions(t); continue; }
    for (const m of t.children) createPrimitiveActions(m);
    for (const task of ['start', 'running', 'stop', 'stopped']) {
      const a = customAction(t, task, null, true);
      a.pseudo = true; a.runnable = true;
    }
  }

  // Orderings, in creation order: user constraints first (unpacked before anything else), then internal ones.
  const orderings: Ordering[] = [];
  const newOrdering = (first: Rsc, firstTask: string, then: Rsc, thenTask: string, flags: number) => { orderings.push({ first, firstTask, then, thenTask, flags }); };
  type UserCons = { pos: number; order?: (typeof cib.orders)[number]; coloc?: (typeof cib.colocations)[number] };
  const userCons: UserCons[] = [...cib.orders.map((o) => ({ pos: o.pos, order: o })), ...cib.colocations.map((c) => ({ pos: c.pos, coloc: c }))]
    .sort((a, b) => a.pos - b.pos);
  for (const u of userCons) {
    if (u.coloc) {
      // anti_colocation_order: a -INFINITY colocation orders each side's stop before the other's start.
      const c = u.coloc, dep = byId.get(c.rsc), pri = byId.get(c.withRsc);
      if (!dep || !pri || c.score === 0 || c.score > -INFINITY) continue;
      newOrdering(dep, 'stop', pri, 'start', ORD_ANTI_COLOCATION);
      newOrdering(pri, 'stop', dep, 'start', ORD_ANTI_COLOCATION);
      continue;
    }
    const o = u.order!;
    const f = byId.get(o.first), t = byId.get(o.then);
    if (!f || !t) continue;
    const symmetric = o.symmetrical && o.kind !== 'Serialize';
    let flags = ORD_OPTIONAL;
    const fa = o.firstAction, ta = o.thenAction;
    const invert = (a: string) => (a === 'start' ? 'stop' : 'start');
    if (o.kind === 'Mandatory') flags |= symmetric ? ORD_IMPLIES_THEN | (fa === 'start' ? ORD_RUNNABLE_LEFT : 0) : ORD_ASYMMETRICAL;
    // handle_restart_type: the deprecated restart-type=restart makes an optional ordering restart 'then'.
    const restartType = o.kind === 'Optional' && (t.meta.get('restart-type') ?? '').toLowerCase() === 'restart';
    newOrdering(f, fa, t, ta, flags | (restartType ? ORD_IMPLIES_THEN : 0));
    if (symmetric) newOrdering(t, invert(ta), f, invert(fa), ORD_OPTIONAL | (o.kind === 'Mandatory' || restartType ? ORD_IMPLIES_FIRST : 0));
  }
  const primitiveInternal = (r: Rsc) => {
    if (r.managed) newOrdering(r, 'stop', r, 'start', ORD_OPTIONAL | ORD_IMPLIES_THEN | ORD_RESTART);
  };
  for (const t of ordered) {
    if (t.kind === 'primitive') { primitiveInternal(t); continue; }
    newOrdering(t, 'stop', t, 'stopped', ORD_RUNNABLE_LEFT);
    newOrdering(t, 'stopped', t, 'start', ORD_OPTIONAL);
    newOrdering(t, 'start', t, 'running', ORD_RUNNABLE_LEFT);
    let prev: Rsc | undefined, lastActive: Rsc | undefined;
    for (const m of t.children) {
      primitiveInternal(m);
      let down = ORD_IMPLIES_FIRST_PRINTED, postDown = ORD_IMPLIES_THEN_PRINTED;
      if (!prev) { down |= ORD_OPTIONAL; postDown = ORD_IMPLIES_THEN; }
      newOrdering(t, 'stop', m, 'stop', down);
      newOrdering(m, 'stop', t, 'stopped', postDown);
      newOrdering(t, 'start', m, 'start', ORD_IMPLIES_FIRST_PRINTED);
      newOrdering(m, 'start', t, 'running', ORD_RUNNABLE_LEFT | ORD_IMPLIES_THEN | ORD_IMPLIES_THEN_PRINTED);
      if (!prev) newOrdering(t, 'start', m, 'start', 0);
      else {
        newOrdering(prev, 'start', m, 'start', ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
        newOrdering(m, 'stop', prev, 'stop', ORD_OPTIONAL | ORD_RESTART);
      }
      if (m.runningOn.length) {
        if (prev && prev.runningOn.length === 0 && lastActive && lastActive.runningOn.length) newOrdering(m, 'stop', lastActive, 'stop', ORD_OPTIONAL);
        lastActive = m;
      }
      prev = m;
    }
  }
  /** order_actions: adds the wrapper pair unless an ordering sharing a flag already links the two actions. */
  const orderActions = (first: Act, then: Act, type: number): boolean => {
    if (type === 0 || first === then) return false;
    if (first.after.some((w) => w.action === then && (w.type & type) !== 0)) return false;
    first.after.unshift({ action: then, type });
    then.before.unshift({ action: first, type });
    return true;
  };
  // pcmk__apply_orderings: rsc_order_first + order_resource_actions_after.
  for (const o of orderings) {
    let firsts = findActions(o.first, o.firstTask, null);
    if (firsts.length === 0) {
      if (o.first === o.then) continue;
      if (!roleStarted(o.first) && o.firstTask === 'stop') continue;
      firsts = [customAction(o.first, o.firstTask, null, true)];
    }
    for (const f of firsts) {
      const thens = findActions(o.then, o.thenTask, null);
      for (const t of thens) orderActions(f, t, o.flags);
    }
  }

  const UPDATED_FIRST = 1, UPDATED_THEN = 2;
  const clearBecause = (a: Act, flag: 'optional' | 'runnable', because: Act) => {
    if (!a[flag]) return;
    a[flag] = false;
    if (a.rsc !== because.rsc) setReason(a, `${flag === 'optional' ? 'required' : 'unrunnable'} ${because.rsc.id} ${because.task}`, false);
  };
  /** pcmk__group_action_flags: a group pseudo-action is required/unrunnable when its members' actions are. */
  const groupActionFlags = (a: Act): { optional: boolean; runnable: boolean } => {
    let optional = true, runnable = true;
    const task = a.task === 'running' ? 'start' : a.task === 'stopped' ? 'stop' : a.task;
    for (const m of a.rsc.children) {
      const ma = findFirst(m, task, null);
      if (ma) {
        if (optional && !ma.optional) { optional = false; a.optional = false; }
        if (task !== a.task && runnable && !ma.runnable) { runnable = false; a.runnable = false; }
      } else if (task !== 'stop') runnable = false;
    }
    return { optional, runnable };
  };
  const flagsFor = (a: Act) => (a.rsc.kind === 'group' ? groupActionFlags(a) : { optional: a.optional, runnable: a.runnable });
  const handleAsymmetric = (first: Act, then: Act) => {
    const started = roleStarted(then.rsc);
    const on = then.rsc.kind === 'group' ? [...new Set(then.rsc.children.flatMap((c) => c.runningOn))] : then.rsc.runningOn;
    if (!started && then.task === 'stop') return;
    if (started && then.optional && then.node !== null && on.length === 1 && then.node === on[0] && then.task === 'start') return;
    if (!first.runnable) { clearBecause(then, 'optional', first); clearBecause(then, 'runnable', first); }
  };
  const handleRestart = (first: Act, then: Act, filterOptional: boolean, filterRunnable: boolean) => {
    if (first.rsc.kind !== 'primitive' || then.rsc.kind !== 'primitive') return;
    let reason = false;
    if (filterOptional && !then.optional) reason = true;
    if (filterRunnable && !then.runnable && then.rsc.managed && first.rsc === then.rsc) reason = true;
    if (!reason) return;
    if (first.runnable) clearBecause(first, 'optional', then);
    if (!then.optional) clearBecause(first, 'optional', then);
    if (!first.optional && !first.runnable) clearBecause(then, 'runnable', first);
  };
  // pcmk__update_ordered_actions (primitive method). `flags` are first's ordering flags, masked as the caller does.
  const updateOrderedPrimitive = (first: Act, then: Act, flags: { optional: boolean; runnable: boolean }, fOpt: boolean, fRun: boolean, type: number): number => {
    let changed = 0;
    const thenWas = [then.optional, then.runnable], firstWas = [first.optional, first.runnable];
    const thenOptional0 = then.optional, firstOptional0 = first.optional;
    if (type & ORD_ASYMMETRICAL) handleAsymmetric(first, then);
    if ((type & ORD_IMPLIES_FIRST) && !thenOptional0 && fOpt && !flags.optional && firstOptional0) clearBecause(first, 'optional', then);
    if ((type & ORD_RUNNABLE_LEFT) && fRun && then.runnable && !flags.runnable) clearBecause(then, 'runnable', first);
    if ((type & ORD_IMPLIES_THEN) && fOpt && then.optional && !flags.optional) clearBecause(then, 'optional', first);
    if (type & ORD_RESTART) handleRestart(first, then, fOpt, fRun);
    if (then.optional !== thenWas[0] || then.runnable !== thenWas[1]) {
      changed |= UPDATED_THEN;
      if (then.rsc.parent) update(then);
    }
    if (first.optional !== firstWas[0] || first.runnable !== firstWas[1]) changed |= UPDATED_FIRST;
    return changed;
  };
  const updateOrdered = (methodRsc: Rsc, first: Act, then: Act, flags: { optional: boolean; runnable: boolean }, fOpt: boolean, fRun: boolean, type: number): number => {
    if (methodRsc.kind === 'primitive') return updateOrderedPrimitive(first, then, flags, fOpt, fRun, type);
    // pcmk__group_update_ordered_actions: the group's own action, then each member's action of the same task.
    let changed = updateOrderedPrimitive(first, then, flags, fOpt, fRun, type);
    for (const m of then.rsc.children) {
      const ma = findFirst(m, then.task, then.node);
      if (ma) changed |= updateOrderedPrimitive(first, ma, flags, fOpt, fRun, type);
    }
    return changed;
  };
  // update_action_for_ordering_flags
  const updateForOrderingFlags = (first: Act, then: Act, ff: { optional: boolean; runnable: boolean }, type: number): number => {
    let changed = 0;
    if (type & ORD_IMPLIES_THEN) changed |= updateOrdered(then.rsc, first, then, { optional: ff.optional, runnable: true }, true, false, ORD_IMPLIES_THEN);
    if (type & ORD_RESTART) changed |= updateOrdered(then.rsc, first, then, ff, true, true, ORD_RESTART);
    if (type & ORD_IMPLIES_FIRST) changed |= updateOrdered(first.rsc, first, then, ff, true, false, ORD_IMPLIES_FIRST);
    if (type & ORD_RUNNABLE_LEFT) changed |= updateOrdered(then.rsc, first, then, ff, false, true, ORD_RUNNABLE_LEFT);
    if (type & ORD_ASYMMETRICAL) changed |= updateOrdered(then.rsc, first, then, ff, false, true, ORD_ASYMMETRICAL);
    return changed;
  };
  const isAncestor = (child: Rsc, maybeParent: Rsc): boolean => {
    for (let p = child.parent; p; p = p.parent) if (p === maybeParent) return true;
    return false;
  };
  /** action_for_ordering: orderings after a group's start/stop really wait for its running/stopped pseudo-action. */
  const actionForOrdering = (a: Act): Act => {
    if (a.rsc.kind !== 'group') return a;
    const task = a.task === 'start' ? 'running' : a.task === 'stop' ? 'stopped' : a.task;
    return findFirst(a.rsc, task, null) ?? a;
  };
  // pcmk__update_action_for_orderings
  function update(then: Act): void {
    let changed = 0;
    const lastRunnable = then.runnable;
    for (const other of then.before.slice()) {
      let first = other.action;
      changed &= ~UPDATED_FIRST;
      if (first.rsc !== then.rsc && !isAncestor(then.rsc, first.rsc)) first = actionForOrdering(first);
      if (first === other.action) {
        const ff = flagsFor(first);
        flagsFor(then);
        changed |= updateForOrderingFlags(first, then, ff, other.type);
      } else if (orderActions(first, then, other.type)) {
        changed |= UPDATED_THEN;
        other.type = 0;
      }
      if (changed & UPDATED_FIRST) {
        for (const w of first.after.slice()) update(w.action);
        update(first);
      }
    }
    if (changed & UPDATED_THEN) {
      if (lastRunnable && !then.runnable) blockDependents(then);
      update(then);
      for (const w of then.after.slice()) update(w.action);
    }
  }
  const markBlocked = (r: Rsc, task: string, reason: Rsc) => {
    for (let i = r.actions.length - 1; i >= 0; i--) {
      const a = r.actions[i]!;
      if (a.runnable && a.task === task) {
        a.runnable = false;
        setReason(a, `colocation with ${reason.id}`, false);
        blockDependents(a);
        update(a);
      }
    }
    for (const c of r.children) markBlocked(c, task, reason);
  };
  // pcmk__block_colocation_dependents: an unrunnable start of the whole primary blocks its mandatory dependents.
  function blockDependents(a: Act): void {
    if (a.runnable || a.task !== 'start') return;
    let top = a.rsc;
    while (top.parent) top = top.parent;
    if (top.withThis.length === 0) return;
    for (const c of top.children) {
      const ca = findFirst(c, 'start', null);
      if (!ca || ca.runnable) return;
    }
    for (const c of [...top.withThis]) {
      if (c.score < INFINITY) continue;
      markBlocked(c.dependent, 'start', a.rsc);
    }
  }
  for (let i = acts.length - 1; i >= 0; i--) blockDependents(acts[i]!);
  for (const a of acts.slice().reverse()) update(a);

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
      const inGraph = (a: Act) => !a.optional && a.runnable && a.node !== null;
      const stops = r.actions.filter((a) => a.task === 'stop');
      const startAct = r.actions.find((a) => a.task === 'start' && a.node !== null && a.node === next);
      const stopped = stops.some(inGraph);
      const started = next !== null && startAct !== undefined && startAct.runnable && (!startAct.optional || cur === next);
      placements.set(r.id, started ? next : (cur !== null && !stopped ? cur : null));
      for (const s of stops) if (inGraph(s)) actions.push({ rsc: r.id, task: 'stop', node: s.node! });
      if (started && !startAct!.optional) actions.push({ rsc: r.id, task: 'start', node: next! });
      if (!r.managed || (cur === null && next === null)) continue;
      const moving = cur !== null && next !== null && cur !== next;
      const start = findActions(r, 'start', next)[0];
      const startNode = start && start.runnable ? cur : null;
      const stop = findActions(r, 'stop', startNode)[0];
      const line = (change: SummaryLine['change'], from: string | null, to: string | null, action: Act | undefined, source?: Act) => {
        const src = source ?? action;
        summary.push({ change, rsc: r.id, from, to, ...(src?.reason ? { reason: src.reason } : {}), blocked: action ? !action.runnable : false });
      };
      const role = cur !== null, nextRole = next !== null;
      if (role === nextRole) {
        if (!start || start.optional) continue;
        if (!start.runnable) line('Stop', cur, null, stop, stop?.reason ? stop : start);
        else if (moving) line(r.failed ? 'Recover' : 'Move', cur, next, stop);
        else if (r.failed) line('Recover', cur, null, stop);
        else line('Restart', cur, next, start);
        continue;
      }
      if (stop && (!nextRole || (start && !start.runnable))) {
        for (const n of r.runningOn) {
          const s = findActions(r, 'stop', n)[0];
          line('Stop', n, null, s, s?.reason ? s : start);
        }
      } else if (stop && r.failed) line('Recover', cur, next, stop, start);
      else if (moving) line('Move', cur, next, stop);
      else if (stop && !stop.optional) line('Restart', cur, next, start);
      else if (!role && nextRole) line('Start', cur, next, start);
    }
  }
  // The graph: required, runnable actions (pseudo ones too) and the orderings between them (should_add_input_to_graph).
  const inGraphAct = (a: Act) => !a.optional && a.runnable && (a.pseudo || a.node !== null);
  const graphActs = acts.filter(inGraphAct);
  const graphIndex = new Map(graphActs.map((a, i) => [a, i]));
  const graph: GraphActionOut[] = graphActs.map((a) => ({
    rsc: a.rsc.id, task: a.task, node: a.pseudo ? null : a.node, pseudo: a.pseudo,
    inputs: [...new Set(a.before.filter((w) => w.type !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
    impliesThen: [...new Set(a.after.filter((w) => (w.type & ORD_IMPLIES_THEN) !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
  }));
  return {
    graph,
    orderings: orderings.filter((o) => o.flags !== 0).map((o) => ({ first: o.first.id, firstTask: o.firstTask, then: o.then.id, thenTask: o.thenTask })),
    nodes: nodes.map((n) => ({ uname: n.uname, online: n.online, standby: n.standby, maintenance: n.maintenance, shutdown: n.shutdown, ...(n.standbyOnFail ? { standbyOnFail: true } : {}) })),
    current: currentOut, placements, summary, actions, scores,
  };
}

/** enum action_fail_response's order: a more severe on-fail wins when several operations failed on a node. */
const ON_FAIL_SEVERITY: Readonly<Record<string, number>> = { ignore: 0, demote: 1, restart: 2, block: 4, stop: 5, standby: 6, fence: 7 };
/** on-fail values whose failure a later completed start or stop clears. */
const CLEARED_BY_STOP: ReadonlySet<string> = new Set(['ignore', 'demote', 'restart', 'block']);

// Ordering flags (enum pe_ordering), only those our port uses.
const ORD_OPTIONAL = 0x1;
const ORD_IMPLIES_FIRST = 0x10;
const ORD_IMPLIES_THEN = 0x20;
const ORD_RUNNABLE_LEFT = 0x100;
const ORD_RESTART = 0x1000;
const ORD_IMPLIES_FIRST_PRINTED = 0x10000;
const ORD_IMPLIES_THEN_PRINTED = 0x20000;
const ORD_ASYMMETRICAL = 0x100000;
const ORD_ANTI_COLOCATION = 0x800000;
