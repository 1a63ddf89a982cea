// Promotable clones' actions and orderings: the clone's promote/promoted/demote/demoted pseudo-actions and the
// implicit orderings around them (pcmk__create_promotable_actions, pcmk__order_promotable_instances).
import { type Act, type Rsc, ORD_OPTIONAL, ORD_RUNNABLE_LEFT, ORD_IMPLIES_FIRST_PRINTED, ORD_IMPLIES_THEN_PRINTED, ORD_PROMOTED_IMPLIES_FIRST } from './types.js';

type NewOrdering = (first: Rsc, firstTask: string, then: Rsc, thenTask: string, flags: number) => void;

/** pcmk__create_promotable_actions: instance actions again (as Pacemaker does), then the clone's pseudo-actions. */
export function createPromotablePseudoActions(clone: Rsc, createInstanceActions: (r: Rsc) => void,
  customAction: (r: Rsc, task: string, node: string | null, optional: boolean) => Act): void {
  let promoting = false, demoting = false;
  for (const inst of clone.children) {
    createInstanceActions(inst);
    for (const a of inst.actions) {
      if (a.optional) continue;
      if (a.task === 'demote') demoting = true;
      else if (a.task === 'promote') promoting = true;
    }
  }
  const pseudo = (task: string, optional: boolean) => { const a = customAction(clone, task, null, optional); a.pseudo = true; a.runnable = true; };
  pseudo('promote', !promoting);
  pseudo('promoted', !promoting);
  pseudo('demote', !demoting);
  pseudo('demoted', !demoting);
  // reset_instance_priorities: the priority was borrowed for the promotion score.
  for (const inst of clone.children) inst.priority = clone.priority;
}

/** The promotable part of clone_internal_constraints that comes before the instances' orderings. */
export function promotableCloneOrderings(clone: Rsc, newOrdering: NewOrdering): void {
  newOrdering(clone, 'demoted', clone, 'stop', ORD_OPTIONAL);
  newOrdering(clone, 'running', clone, 'promote', ORD_RUNNABLE_LEFT);
}

/** pcmk__primitive_internal_constraints for a promotable instance: demote before stop, start before promote. */
export function promotableInstanceOrderings(inst: Rsc, newOrdering: NewOrdering): void {
  newOrdering(inst, 'demote', inst, 'stop', ORD_PROMOTED_IMPLIES_FIRST);
  newOrdering(inst, 'start', inst, 'promote', ORD_RUNNABLE_LEFT);
}

/** pcmk__order_promotable_instances (clones with ordered=false). */
export function orderPromotableInstances(clone: Rsc, newOrdering: NewOrdering): void {
  // pcmk__promotable_restart_ordering
  newOrdering(clone, 'stopped', clone, 'start', ORD_OPTIONAL);
  newOrdering(clone, 'stopped', clone, 'promote', ORD_OPTIONAL);
  newOrdering(clone, 'demoted', clone, 'stop', ORD_OPTIONAL);
  newOrdering(clone, 'demoted', clone, 'start', ORD_OPTIONAL);
  newOrdering(clone, 'demoted', clone, 'promote', ORD_OPTIONAL);
  newOrdering(clone, 'running', clone, 'promote', ORD_OPTIONAL);
  newOrdering(clone, 'demote', clone, 'demoted', ORD_OPTIONAL);
  for (const inst of clone.children) {
    newOrdering(inst, 'demote', inst, 'promote', ORD_OPTIONAL);
    newOrdering(clone, 'promote', inst, 'promote', ORD_OPTIONAL);
    newOrdering(inst, 'promote', clone, 'promoted', ORD_OPTIONAL);
    newOrdering(clone, 'demote', inst, 'demote', ORD_IMPLIES_FIRST_PRINTED);
    newOrdering(inst, 'demote', clone, 'demoted', ORD_IMPLIES_THEN_PRINTED);
  }
}
