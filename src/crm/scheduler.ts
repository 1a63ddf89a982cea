// Pacemaker 2.1-style scheduler, public face: a pure function from a parsed CIB (and "now") to placements and a
// transition. The stages live in src/crm/sched/ (model, placement, actions, orderings, update, summary).
export type { SummaryLine, ActionOut, NodeState, Transition, ScheduleOptions, GraphActionOut, RscOrderingOut } from './sched/types.js';
export { schedule } from './sched/schedule.js';
export { unsupportedFeatures, type UnsupportedOptions } from './sched/unsupported.js';
export { paramsDigest } from './sched/rules.js';
