// Model stage: unpacks nodes, resources, operation history, locations, stickiness and fail counts from the CIB.
// The result (Model) is the input of placement, actions and orderings.
import { type Cib, type PrimitiveDef, type ResourceDef, type NodeDef, INFINITY, addScores, parseScore, isTrue, parseIntervalMs } from '../cib.js';
import type { Node, Rsc, ScheduleOptions } from './types.js';
import { ruleMatches } from './rules.js';

/** Everything later stages need from the unpacked CIB. */
export interface Model {
  cib: Cib; opts: ScheduleOptions; stonithEnabled: boolean; stopAll: boolean; noQuorumPolicy: string;
  nodes: Node[]; nodeBy: Map<string, Node>; available: (u: string, weight?: number) => boolean; haveStonithRsc: boolean;
  all: Rsc[]; byId: Map<string, Rsc>; top: Rsc[]; ordered: Rsc[]; leaves: (r: Rsc) => Rsc[]; prims: Rsc[];
  current: (r: Rsc) => string | null; applyLoc: (r: Rsc, node: string, score: number) => void;
}

/** Unpacks the CIB into the scheduler's working model (unpack_resources, unpack_status, apply locations). */
export function unpackModel(cib: Cib, opts: ScheduleOptions): Model {
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
  return { cib, opts, stonithEnabled, stopAll, noQuorumPolicy, nodes, nodeBy, available, haveStonithRsc, all, byId, top, ordered, leaves, prims, current, applyLoc };
}

/** enum action_fail_response's order: a more severe on-fail wins when several operations failed on a node. */
const ON_FAIL_SEVERITY: Readonly<Record<string, number>> = { ignore: 0, demote: 1, restart: 2, block: 4, stop: 5, standby: 6, fence: 7 };
/** on-fail values whose failure a later completed start or stop clears. */
const CLEARED_BY_STOP: ReadonlySet<string> = new Set(['ignore', 'demote', 'restart', 'block']);
