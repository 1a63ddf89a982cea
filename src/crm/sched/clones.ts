// Clone placement: orders a clone's instances and distributes them over the nodes as Pacemaker 2.1.5 does
// (sort_clone_instance, distribute_children, allocate_instance, can_run_instance).
import { INFINITY, addScores } from '../cib.js';
import type { Rsc } from './types.js';
import type { Model } from './model.js';
import { addPromotionScores, setInstanceRoles } from './promotable.js';

/** What clone placement borrows from the primitive placement of placement.ts. */
export interface CloneAssignEnv {
  assign: (r: Rsc, prefer: string | null) => string | null;
  showScores: (fn: string, r: Rsc) => void;
  deallocate: (r: Rsc) => void;
  /** Records one more line of crm_simulate -s output (promotion scores). */
  scoreLine: (line: string) => void;
}

/** sort_clone_instance: which instance is assigned first (active, allowed, priority, healthy, then id). */
function cmpInstance(m: Model, clone: Rsc, a: Rsc, b: Rsc): number {
  const na = a.runningOn.length, nb = b.runningOn.length;
  if (na > 0 && nb > 0 && na !== nb) return na < nb ? -1 : 1;
  // An instance active where it may no longer run is assigned after one that is not.
  const allowedHere = (r: Rsc) => { const n = r.runningOn[0]; if (n === undefined) return { node: null, ok: true }; const w = r.allowed.get(n); return w === undefined || w < 0 ? { node: null, ok: false } : { node: n, ok: true }; };
  const x = allowedHere(a), y = allowedHere(b);
  if (x.ok !== y.ok) return x.ok ? -1 : 1;
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  if (x.node === null && y.node === null) return 0;
  if (x.node === null) return 1;
  if (y.node === null) return -1;
  const ca = m.available(x.node), cb = m.available(y.node);
  if (ca !== cb) return ca ? -1 : 1;
  const pa = clone.allowed.has(x.node), pb = clone.allowed.has(y.node);
  if (!pa && !pb) return 0;
  if (pa !== pb) return pa ? -1 : 1;
  if (a.failed !== b.failed) return a.failed ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** pcmk__clone_allocate for a clone of primitives without colocations: sort instances, then distribute them. */
export function assignClone(m: Model, clone: Rsc, env: CloneAssignEnv): void {
  if (!clone.provisional || clone.allocating) return;
  if (clone.promotable) addPromotionScores(m, clone);
  clone.allocating = true;
  env.showScores('pcmk__clone_allocate', clone);
  for (const c of clone.children) env.showScores('pcmk__clone_allocate', c);
  // g_list_sort is a stable merge sort, as Array.prototype.sort is.
  clone.children.sort((a, b) => cmpInstance(m, clone, a, b));
  const max = clone.cloneMax ?? 0, perNode = clone.cloneNodeMax ?? 1;
  const count = new Map<string, number>([...clone.allowed.keys()].map((n) => [n, 0]));
  const availableNodes = [...clone.allowed.keys()].filter((n) => m.available(n)).length;
  const loopMax = Math.max(1, availableNodes ? Math.floor(max / availableNodes) : 0);

  /** allocate_instance: bans nodes that cannot take another instance, then assigns (optionally only to `prefer`). */
  const allocate = (child: Rsc, prefer: string | null): boolean => {
    if (!child.provisional) return child.assigned !== null;
    if (child.allocating) return false;
    if (prefer !== null) { const w = child.allowed.get(prefer); if (w === undefined || w < 0) return false; }
    for (const [n, w] of child.allowed) {
      const pw = clone.allowed.get(n);
      if (m.available(n) && pw !== undefined && pw >= 0 && count.get(n)! < perNode) continue;
      let v = w;
      if (m.available(n) && pw !== undefined && pw < 0) v = addScores(v, pw);
      child.allowed.set(n, addScores(v, -INFINITY));
    }
    const backup = new Map(child.allowed);
    const chosen = env.assign(child, prefer);
    if (chosen !== null && prefer !== null && chosen !== prefer) {
      child.allowed = backup;
      env.deallocate(child);
      return false;
    }
    if (chosen !== null && count.has(chosen)) count.set(chosen, count.get(chosen)! + 1);
    return chosen !== null;
  };

  let allocated = 0;
  // Pre-allocate instances to where they run now, up to an even share per node.
  for (const child of clone.children) {
    if (allocated >= max) break;
    if (child.runningOn.length === 0 || !child.provisional || child.failed) continue;
    const cur = child.runningOn[0]!;
    if (!m.available(cur)) continue;
    if (count.has(cur) && count.get(cur)! >= loopMax) continue;
    if (allocate(child, cur)) allocated++;
  }
  for (const child of clone.children) {
    if (!child.provisional) continue;
    if (allocated >= max) { for (const n of child.allowed.keys()) child.allowed.set(n, -INFINITY); continue; }
    if (allocate(child, null)) allocated++;
  }
  if (clone.promotable) setInstanceRoles(m, clone, (a, b) => cmpInstance(m, clone, a, b), env.scoreLine);
  clone.allocating = false;
  clone.provisional = false;
}
