// Propagation stage: pushes required/unrunnable flags along the ordering graph (pcmk__update_action_for_orderings)
// and blocks mandatory colocation dependents of unrunnable starts.
import { INFINITY } from '../cib.js';
import { type Act, type Rsc, ORD_IMPLIES_FIRST, ORD_IMPLIES_THEN, ORD_RUNNABLE_LEFT, ORD_RESTART, ORD_ASYMMETRICAL, ORD_PROMOTED_IMPLIES_FIRST, ROLE_PROMOTED } from './types.js';
import type { Actions } from './actions.js';
import { orderActions } from './orderings.js';

/** A collective's "done" pseudo-action → the instances' action it summarizes. */
const COMPLETED_TASK: Readonly<Record<string, string>> = { running: 'start', stopped: 'stop', promoted: 'promote', demoted: 'demote' };

/** Runs flag propagation over every action until the graph is stable. */
export function propagateFlags(x: Actions): void {
  const { acts, findFirst, setReason, roleStarted } = x;
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
  /** clone_action_flags (summary_action_flags): required when an instance's action is, unrunnable when none is runnable. */
  const cloneActionFlags = (a: Act): { optional: boolean; runnable: boolean } => {
    let optional = true, anyRunnable = false;
    const task = COMPLETED_TASK[a.task] ?? a.task;
    for (const i of a.rsc.children) {
      const ia = findFirst(i, task, a.node);
      if (!ia) continue;
      if (optional && !ia.optional) { optional = false; a.optional = false; }
      if (ia.runnable) anyRunnable = true;
    }
    if (!anyRunnable && a.node === null) a.runnable = false;
    return { optional, runnable: anyRunnable };
  };
  const flagsFor = (a: Act) => (a.rsc.kind === 'group' ? groupActionFlags(a) : a.rsc.kind === 'clone' ? cloneActionFlags(a) : { optional: a.optional, runnable: a.runnable });
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
    if ((type & ORD_PROMOTED_IMPLIES_FIRST) && then.rsc.role === ROLE_PROMOTED && fOpt && !then.optional) clearBecause(first, 'optional', then);
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
      if (!ma) continue;
      if (methodRsc.kind === 'group') { changed |= updateOrderedPrimitive(first, ma, flags, fOpt, fRun, type); continue; }
      // pcmk__multi_update_actions (no interleave: orderings between clones are refused): runnable instances only.
      if (!ma.runnable) continue;
      const c = updateOrderedPrimitive(first, ma, flags, fOpt, fRun, type);
      changed |= c;
      if (c & UPDATED_THEN) for (const w of ma.after.slice()) update(w.action);
    }
    return changed;
  };
  // update_action_for_ordering_flags
  const updateForOrderingFlags = (first: Act, then: Act, ff: { optional: boolean; runnable: boolean }, type: number): number => {
    let changed = 0;
    if (type & ORD_IMPLIES_THEN) changed |= updateOrdered(then.rsc, first, then, { optional: ff.optional, runnable: true }, true, false, ORD_IMPLIES_THEN);
    if (type & ORD_RESTART) changed |= updateOrdered(then.rsc, first, then, ff, true, true, ORD_RESTART);
    if (type & ORD_IMPLIES_FIRST) changed |= updateOrdered(first.rsc, first, then, ff, true, false, ORD_IMPLIES_FIRST);
    if (type & ORD_PROMOTED_IMPLIES_FIRST) changed |= updateOrdered(then.rsc, first, then, { optional: ff.optional, runnable: true }, true, false, ORD_PROMOTED_IMPLIES_FIRST);
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
    if (a.rsc.kind === 'primitive') return a;
    const task = ({ start: 'running', stop: 'stopped', promote: 'promoted', demote: 'demoted' } as Record<string, string>)[a.task] ?? a.task;
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
}
