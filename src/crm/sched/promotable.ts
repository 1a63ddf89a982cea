// Promotable clones: promotion scores (master-RSC node attributes), Promoted-role locations and the choice of
// the instances to promote (pcmk__add_promotion_scores, pcmk__set_instance_roles of Pacemaker 2.1.5).
import { INFINITY, addScores, parseScore } from '../cib.js';
import { type Rsc, ROLE_UNKNOWN, ROLE_STOPPED, ROLE_UNPROMOTED, ROLE_PROMOTED } from './types.js';
import type { Model } from './model.js';

/** promotion_score_applies: whether `inst`'s promotion score on `node` counts (active, probed or allowed). */
function scoreApplies(clone: Rsc, inst: Rsc, node: string): boolean {
  const allowed = () => { const w = inst.allowed.get(node); return w !== undefined && w >= 0; };
  if (!clone.unique) {
    const active = clone.children.find((c) => c.runningOn.includes(node));
    if (active === inst) return allowed();
    if (active === undefined && clone.children.some((c) => c.knownOn.has(node))) return allowed();
  }
  if (inst.runningOn.length === 0 && inst.knownOn.size === 0) return allowed();
  if (inst.knownOn.has(node) || inst.runningOn.includes(node)) return allowed();
  return false;
}

/** promotion_score: the master-NAME attribute of `node` for `inst` (undefined when none applies or is set). */
function promotionScore(m: Model, clone: Rsc, inst: Rsc, node: string): number | undefined {
  if (!scoreApplies(clone, inst, node)) return 0;
  const attrs = m.nodeBy.get(node)!.attrs;
  // The name the instance has in history first (what crm_attribute --promotion used), then the bare id.
  let v = attrs.get(`master-${inst.cloneName ?? inst.id}`);
  if (v === undefined && !clone.unique && inst.failId !== inst.id) v = attrs.get(`master-${inst.failId}`);
  return v === undefined ? undefined : parseScore(v);
}

/** pcmk__add_promotion_scores: positive promotion scores add to the instances' node weights, and raise their
 *  priority (which orders instances before assignment). */
export function addPromotionScores(m: Model, clone: Rsc): void {
  for (const inst of clone.children) {
    for (const [node, w] of inst.allowed) {
      if (!m.available(node)) continue;
      const score = promotionScore(m, clone, inst, node) ?? 0;
      if (score > 0) inst.allowed.set(node, addScores(w, score));
      if (score > inst.priority) inst.priority = score;
    }
  }
}

/** pcmk__set_instance_roles: promotion priorities, sort by them, promote the first promoted-max eligible ones.
 *  `cmpInstance` is the clone's normal instance order (the last tie-breaker); `score` records the
 *  "promotion score" lines crm_simulate -s prints. */
export function setInstanceRoles(m: Model, clone: Rsc, cmpInstance: (a: Rsc, b: Rsc) => number, score: (line: string) => void): void {
  const count = new Map<string, number>([...clone.allowed.keys()].map((n) => [n, 0]));
  // set_instance_priority
  for (const inst of clone.children) {
    const chosen = inst.assigned;
    if (chosen === null) continue;
    if (inst.nextRole === ROLE_UNKNOWN) {
      const s = promotionScore(m, clone, inst, chosen);
      inst.priority = s === undefined ? -1 : s;
    } else if (inst.nextRole === ROLE_UNPROMOTED || inst.nextRole === ROLE_STOPPED) inst.priority = -INFINITY;
    for (const loc of clone.promotedLocs ?? []) {
      const w = loc.get(chosen);
      if (w !== undefined) inst.priority = addScores(inst.priority, w);
    }
    inst.sortIndex = inst.nextRole === ROLE_PROMOTED ? INFINITY : inst.priority;
  }
  // sort_promotable_instances: sort indexes summed into the clone's node weights, then read back.
  for (const inst of clone.children) {
    if (inst.sortIndex < 0 || inst.assigned === null) continue;
    const w = clone.allowed.get(inst.assigned);
    if (w !== undefined) clone.allowed.set(inst.assigned, addScores(inst.sortIndex, w));
  }
  for (const inst of clone.children) {
    if (!inst.managed && inst.nextRole === ROLE_PROMOTED) inst.sortIndex = INFINITY;
    else if (inst.assigned !== null && inst.sortIndex >= 0) inst.sortIndex = clone.allowed.get(inst.assigned) ?? inst.sortIndex;
  }
  clone.children.sort((a, b) => {
    if (a.sortIndex !== b.sortIndex) return a.sortIndex > b.sortIndex ? -1 : 1;
    if (a.role !== b.role) return a.role > b.role ? -1 : 1;
    return cmpInstance(a, b);
  });
  // set_instance_role
  let promoted = 0;
  const max = clone.promotedMax ?? 1, nodeMax = clone.promotedNodeMax ?? 1;
  const toBePromotedOn = (inst: Rsc): string | null => {
    const node = inst.assigned;
    if (node === null) return null;
    if (!inst.managed) { if (inst.role !== ROLE_PROMOTED) return null; }
    else if (inst.priority < 0 || !m.available(node)) return null;
    if (!count.has(node)) return null;
    if (count.get(node)! >= nodeMax && inst.managed) return null;
    return node;
  };
  for (const inst of clone.children) {
    const sc = inst.sortIndex;
    score(`${inst.id} promotion score on ${inst.assigned ?? 'none'}: ${sc >= INFINITY ? 'INFINITY' : sc <= -INFINITY ? '-INFINITY' : sc}`);
    let chosen: string | null = null;
    if (inst.sortIndex >= 0 && (promoted < max || !clone.managed)) chosen = toBePromotedOn(inst);
    const freeze = chosen !== null && inst.role < ROLE_PROMOTED && !m.cib.haveQuorum && m.noQuorumPolicy === 'freeze';
    if (chosen === null || freeze) { inst.nextRole = inst.assigned === null ? ROLE_STOPPED : ROLE_UNPROMOTED; continue; }
    count.set(chosen, count.get(chosen)! + 1);
    if (inst.nextRole === ROLE_UNKNOWN) inst.nextRole = ROLE_PROMOTED;
    promoted++;
  }
}
