// Ordering stage: user orders, anti-colocation orders and the internal orders of primitives and groups,
// expanded into action wrappers (pcmk__apply_orderings).
import { INFINITY } from '../cib.js';
import { type Act, type Ordering, type Rsc, ORD_OPTIONAL, ORD_IMPLIES_FIRST, ORD_IMPLIES_THEN, ORD_RUNNABLE_LEFT, ORD_RESTART,
  ORD_IMPLIES_FIRST_PRINTED, ORD_IMPLIES_THEN_PRINTED, ORD_ASYMMETRICAL, ORD_ANTI_COLOCATION, ROLE_UNPROMOTED } from './types.js';
import type { Model } from './model.js';
import type { Actions } from './actions.js';
import { promotableCloneOrderings, promotableInstanceOrderings, orderPromotableInstances } from './promotable-actions.js';

/** order_actions: adds the wrapper pair unless an ordering sharing a flag already links the two actions. */
export function orderActions(first: Act, then: Act, type: number): boolean {
  if (type === 0 || first === then) return false;
  if (first.after.some((w) => w.action === then && (w.type & type) !== 0)) return false;
  first.after.unshift({ action: then, type });
  then.before.unshift({ action: first, type });
  return true;
}

/** Creates all resource orderings and links their actions; returns the orderings in creation order. */
export function applyOrderings(m: Model, x: Actions): Ordering[] {
  const { cib, byId, ordered } = m;
  const { findActions, customAction, roleStarted } = x;
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
    if (t.kind === 'clone') {
      // clone_internal_constraints (instances unordered: `ordered=true` is refused).
      newOrdering(t, 'stopped', t, 'start', ORD_OPTIONAL);
      newOrdering(t, 'start', t, 'running', ORD_RUNNABLE_LEFT);
      newOrdering(t, 'stop', t, 'stopped', ORD_RUNNABLE_LEFT);
      if (t.promotable) promotableCloneOrderings(t, newOrdering);
      for (const i of t.children) {
        primitiveInternal(i);
        if (t.promotable && i.managed) promotableInstanceOrderings(i, newOrdering);
        newOrdering(t, 'start', i, 'start', ORD_RUNNABLE_LEFT | ORD_IMPLIES_FIRST_PRINTED);
        newOrdering(i, 'start', t, 'running', ORD_IMPLIES_THEN_PRINTED);
        newOrdering(t, 'stop', i, 'stop', ORD_IMPLIES_FIRST_PRINTED);
        newOrdering(i, 'stop', t, 'stopped', ORD_IMPLIES_THEN_PRINTED);
      }
      if (t.promotable) orderPromotableInstances(t, newOrdering);
      continue;
    }
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
  for (const o of orderings) {
    let firsts = findActions(o.first, o.firstTask, null);
    if (firsts.length === 0) {
      if (o.first === o.then) continue;
      if (!roleStarted(o.first) && o.firstTask === 'stop') continue;
      // rsc_order_first: nothing to demote where every instance is unpromoted.
      if (o.firstTask === 'demote' && Math.max(o.first.role, ...o.first.children.map((c) => c.role)) === ROLE_UNPROMOTED) continue;
      firsts = [customAction(o.first, o.firstTask, null, true)];
    }
    for (const f of firsts) {
      const thens = findActions(o.then, o.thenTask, null);
      for (const t of thens) orderActions(f, t, o.flags);
    }
  }
  return orderings;
}
