// Model stage: unpacks nodes, resources, operation history, locations, stickiness and fail counts from the CIB.
// The result (Model) is the input of placement, actions and orderings.
import { type Cib, type PrimitiveDef, type CloneDef, type OpHistory, primitivesOf, type ResourceDef, type NodeDef, INFINITY, addScores, parseScore, isTrue, parseIntervalMs } from '../cib.js';
import { type Node, type Rsc, type ScheduleOptions, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED, ROLE_UNKNOWN } from './types.js';
import { ruleMatches } from './rules.js';
import { replayHistory, type Replayed } from './history.js';
import { applyTickets } from './tickets.js';
import { onlineStatusFencing } from './fencing.js';

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
  const startupFencing = isTrue(opt('startup-fencing', 'true'));
  const nodes: Node[] = cib.nodes.map((n: NodeDef) => {
    const st = n.state;
    const attrs = new Map<string, string>([...n.attrs, ...n.transient]);
    attrs.set('#uname', n.uname); attrs.set('#id', n.id); attrs.set('#kind', 'cluster');
    attrs.set('#is_dc', cib.dcUuid === n.id ? 'true' : 'false');
    const shutdown = (attrs.get('shutdown') ?? '0') !== '0';
    let online = st !== undefined && isTrue(st.inCcm) && st.crmd === 'online' && st.join === 'member';
    // With fencing enabled, a node never seen is unclean (startup-fencing), and node_state decides the rest.
    let unclean = stonithEnabled && !st && startupFencing, pending = false, fenceReason: string | undefined;
    if (stonithEnabled && st) {
      const f = onlineStatusFencing(st, shutdown, attrs.get('terminate'));
      online = f.online; unclean = f.unclean; pending = f.pending; fenceReason = f.reason;
    }
    return { uname: n.uname, id: n.id, online, standby: isTrue(attrs.get('standby')), maintenance: isTrue(attrs.get('maintenance')),
      shutdown, attrs, numResources: 0, unclean, pending, ...(fenceReason ? { fenceReason } : {}) };
  });
  /** pe_fence_node: marks the node unclean; its first reason is the Fence action's. */
  const fenceNode = (n: Node, reason: string) => { if (!n.unclean) { n.unclean = true; n.fenceReason = reason; } };
  const nodeBy = new Map(nodes.map((n) => [n.uname, n]));
  const nodeDefBy = new Map(cib.nodes.map((n) => [n.uname, n]));
  const available = (u: string, weight?: number) => {
    const n = nodeBy.get(u);
    if (!n || !n.online || n.unclean || n.pending || n.shutdown || n.standby || n.maintenance) return false;
    return weight === undefined || weight >= 0;
  };
  const haveStonithRsc = cib.resources.some((r) => primitivesOf(r).some((p) => p.cls === 'stonith'));

  // --- resources ---
  const all: Rsc[] = [];
  const byId = new Map<string, Rsc>();
  const mk = (def: ResourceDef, parent?: Rsc, instance?: number): Rsc => {
    const meta = new Map<string, string>(def.meta);
    if (parent) for (const [k, v] of parent.meta) if (!meta.has(k)) meta.set(k, v);
    for (const [k, v] of cib.rscDefaults) if (!meta.has(k)) meta.set(k, v);
    // clone_unpack: a clone without resource-stickiness (own or from rsc_defaults) gets 1, which its instances inherit.
    if (def.kind === 'clone' && !meta.has('resource-stickiness')) meta.set('resource-stickiness', '1');
    const managed = !maintenanceMode && isTrue(meta.get('is-managed') ?? 'true') && !isTrue(meta.get('maintenance') ?? 'false');
    const r: Rsc = {
      id: instance === undefined ? def.id : `${def.id}:${instance}`, kind: def.kind, failId: def.id, def, ...(parent ? { parent } : {}), children: [], meta,
      priority: parseScore(meta.get('priority') ?? '0'), stickiness: parseScore(meta.get('resource-stickiness') ?? meta.get('default-resource-stickiness') ?? '0'),
      threshold: parseScore(meta.get('migration-threshold') ?? 'INFINITY'), failureTimeout: parseIntervalMs(meta.get('failure-timeout') ?? '0') / 1000,
      managed, stopTarget: (meta.get('target-role') ?? '').toLowerCase() === 'stopped',
      allowed: new Map(), runningOn: [], failed: false, failureIgnored: false, onFailStop: false,
      provisional: true, allocating: false, merging: false, assigned: null, nextStopped: false, thisWith: [], withThis: [], actions: [],
      role: ROLE_STOPPED, nextRole: ROLE_UNKNOWN, knownOn: new Set(), sortIndex: 0,
    };
    if (r.threshold < 0) r.threshold = 0;
    if (symmetric) for (const n of nodes) r.allowed.set(n.uname, 0);
    all.push(r); byId.set(r.id, r);
    if (def.kind === 'group') for (const m of def.members) r.children.push(mk(m, r));
    if (def.kind === 'clone') {
      // clone_unpack: clone-max defaults to the number of nodes, clone-node-max to 1; instances are CHILD:N.
      r.cloneMax = Math.max(0, parseInt(meta.get('clone-max') ?? String(nodes.length), 10) || 0);
      r.cloneNodeMax = Math.max(0, parseInt(meta.get('clone-node-max') ?? '1', 10) || 0);
      r.unique = isTrue(meta.get('globally-unique') ?? 'false');
      if (def.promotable) {
        // pe__clone_promoted_max / _node_max: the new names first, then the deprecated master-* ones; default 1.
        r.promotable = true; r.promotedLocs = [];
        r.promotedMax = Math.max(0, parseInt(meta.get('promoted-max') ?? meta.get('master-max') ?? '1', 10) || 0);
        r.promotedNodeMax = Math.max(0, parseInt(meta.get('promoted-node-max') ?? meta.get('master-node-max') ?? '1', 10) || 0);
      }
      for (let i = 0; i < r.cloneMax; i++) {
        const inst = mk(def.child, r, i);
        if (r.unique) inst.failId = inst.id;
        r.children.push(inst);
      }
    }
    return r;
  };
  const top: Rsc[] = cib.resources.map((d) => mk(d));
  // Stable sort by priority (Pacemaker's g_list_sort with pe__cmp_rsc_priority).
  const ordered = top.map((r, i) => ({ r, i })).sort((a, b) => (b.r.priority - a.r.priority) || (a.i - b.i)).map((x) => x.r);
  const leaves = (r: Rsc): Rsc[] => (r.kind === 'primitive' ? [r] : r.children);
  const prims = all.filter((r) => r.kind === 'primitive');

  // --- status: where each primitive runs, and whether it failed ---
  /** Applies one node's replayed history to `r` (unpack_rsc_op's consequences). */
  const record = (r: Rsc, st: Replayed, node: Node) => {
    if (st.ignored) r.failureIgnored = true;
    // process_rsc_state: a managed resource active on a node that is down means that node must be fenced; on an
    // unclean node nothing else follows from its history (on-fail is ignored there); on-fail=fence fences.
    if (st.running && !node.online && !node.maintenance && r.managed && stonithEnabled) fenceNode(node, `${r.id} is thought to be active there`);
    if (node.unclean) st = { ...st, pending: null };
    else if (st.pending === 'fence' && stonithEnabled) { fenceNode(node, `${r.id} failed there`); if (st.running) r.failed = true; st = { ...st, pending: null }; }
    if (st.pending !== null) {
      // Only a resource still active where it failed is recovered; the on-fail consequences below stay regardless.
      if (st.running) r.failed = true;
      if (st.pending === 'stop' || st.pending === 'fence') r.onFailStop = true;
      // on-fail=standby: the node itself goes to standby until the failure expires or is cleaned up.
      if (st.pending === 'standby') { node.standby = true; node.standbyOnFail = true; }
      // on-fail=block: the resource is left alone (unmanaged) where it failed.
      if (st.pending === 'block') { r.managed = false; r.blocked = true; }
    }
    if (st.running) r.runningOn.push(node.uname);
    if (st.running) r.role = r.parent?.promotable ? (st.promoted ? ROLE_PROMOTED : ROLE_UNPROMOTED) : ROLE_STARTED;
  };
  for (const r of prims) {
    if (r.parent?.kind === 'clone') continue;
    for (const n of cib.nodes) {
      const node = nodeBy.get(n.uname)!;
      if (!node.online && !stonithEnabled) continue;
      const ops = n.history.get(r.id) ?? [];
      if (ops.length) r.knownOn.add(n.uname);
      const st = replayHistory(r, r.def as PrimitiveDef, ops, opts.now, stonithEnabled);
      // native_add_running: a resource active on a node in maintenance is left alone.
      if (node.maintenance && st.running) r.managed = false;
      record(r, st, node);
    }
  }
  // Clone instances: a unique instance has its own history (CHILD:N); an anonymous clone's history (CHILD, or
  // CHILD:N from older CIBs) goes to the first instance not yet active anywhere (find_anonymous_clone).
  for (const c of top) {
    if (c.kind !== 'clone') continue;
    const def = (c.def as CloneDef).child;
    const inStatusOrder = [...(cib.statusOrder ?? []).map((u) => nodeDefBy.get(u)!), ...cib.nodes.filter((n) => !cib.statusOrder?.includes(n.uname))];
    for (const n of inStatusOrder) {
      const node = nodeBy.get(n.uname)!;
      if (!node.online && !stonithEnabled) continue;
      if (node.maintenance) for (const i of c.children) i.managed = false;
      for (const [hid, ops] of n.history) {
        if (hid !== def.id && !(hid.startsWith(`${def.id}:`) && /^\d+$/.test(hid.slice(def.id.length + 1)))) continue;
        const inst = c.unique ? c.children.find((i) => i.id === hid) : c.children.find((i) => i.runningOn.length === 0);
        if (!inst) continue;
        if (ops.length) inst.knownOn.add(n.uname);
        if (!c.unique && inst.cloneName === undefined) inst.cloneName = hid;
        // A history that ends stopped leaves no instance behind on this node (its past failure was cleared).
        const st = replayHistory(inst, def, ops, opts.now, stonithEnabled);
        if (ops.length) { inst.knownOn.add(n.uname); c.knownOn.add(n.uname); }
        if (st.running) record(inst, st, node);
        else if (st.pending === 'standby') { node.standby = true; node.standbyOnFail = true; }
      }
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
  const applyLocation = (r: Rsc, entries: [string, number][], role?: string) => {
    // A role-filtered location never applies during placement (next role still unknown, pcmk__apply_location);
    // a Promoted one adds to promotion priorities instead (apply_promoted_locations).
    if (role !== undefined) { if (role === 'Promoted' && r.promotedLocs) r.promotedLocs.push(new Map(entries)); return; }
    if (r.kind === 'primitive') { for (const [n, s] of entries) applyLoc(r, n, s); return; }
    if (r.kind === 'clone') { for (const x of [r, ...r.children]) for (const [n, s] of entries) applyLoc(x, n, s); return; }
    for (const [n, s] of entries) applyLoc(r, n, s);
    r.children.forEach((m, i) => { for (const [n, s] of entries) applyLoc(m, n, i === 0 ? s : 0); });
  };
  // Tickets are unpacked with the constraints, before locations and stickiness are applied.
  applyTickets({ cib, byId, leaves, nodeNames: nodes.map((n) => n.uname), applyLoc });
  for (const l of cib.locations) {
    const r = byId.get(l.rsc);
    if (!r) continue;
    if (l.node !== undefined) {
      if (nodeBy.has(l.node)) applyLocation(r, [[l.node, l.score]], l.role);
      continue;
    }
    for (const rule of l.rules) {
      const entries: [string, number][] = [];
      for (const n of nodes) {
        if (!ruleMatches(rule, n.attrs)) continue;
        const s = rule.scoreAttribute !== undefined ? (n.attrs.has(rule.scoreAttribute) ? parseScore(n.attrs.get(rule.scoreAttribute)) : -INFINITY) : rule.score;
        entries.push([n.uname, s]);
      }
      applyLocation(r, entries, rule.role);
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
    const e = failIndex.get(n.uname)?.get(r.failId);
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

