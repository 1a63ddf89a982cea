// Placement stage: colocation lists and node assignment of primitives and groups (pcmk__primitive_assign, group assign).
// Mutates Model.rsc.assigned; returns the allocation-score lines crm_simulate -s prints.
import { INFINITY, addScores, isTrue } from '../cib.js';
import { type Coloc, type Rsc, cmpPrimary, cmpDependent, insertSorted } from './types.js';
import type { Model } from './model.js';
import { assignClone } from './clones.js';

/** Assigns every resource to a node (or none), in priority order. */
export function assignResources(m: Model): string[] {
  const { cib, opts, nodeBy, available, byId, top, ordered, leaves, current, stonithEnabled, haveStonithRsc, stopAll } = m;
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
  /** native_deallocate: undoes an assignment so the resource can be assigned again. */
  const deallocate = (r: Rsc) => {
    if (r.assigned !== null) nodeBy.get(r.assigned)!.numResources--;
    r.assigned = null; r.nextStopped = false; r.provisional = true;
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

  const assign = (r: Rsc, prefer: string | null = null): string | null => {
    if (r.kind === 'clone') { assignClone(m, r, { assign, showScores, deallocate, scoreLine: (l) => { if (wantScores) scores.push(l); } }); return null; }
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
      // native_choose_node: a preferred node wins when it scores at least as well as the best one.
      if (best && prefer !== null) {
        const w = r.allowed.get(prefer);
        if (w !== undefined && w >= best[1] && available(prefer)) chosen = prefer;
      }
      if (best && chosen === null) {
        chosen = best[0];
        // Not for unique clone instances: distribute_children already kept those it could where they run.
        const running = r.parent?.kind === 'clone' && r.parent.unique ? null : current(r);
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
  return scores;
}
