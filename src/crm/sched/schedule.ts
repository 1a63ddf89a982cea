// The scheduler's pipeline, in the order of Pacemaker's pcmk__schedule_actions: unpack, assign, create actions,
// orderings, flag propagation, summary. A pure function of the CIB and "now".
import type { Cib } from '../cib.js';
import { type Act, type GraphActionOut, type ScheduleOptions, type Transition, ORD_IMPLIES_THEN, ROLE_NAMES } from './types.js';
import { unpackModel } from './model.js';
import { assignResources } from './placement.js';
import { createActions } from './actions.js';
import { applyOrderings } from './orderings.js';
import { propagateFlags } from './update.js';
import { summarize } from './summary.js';
import { scheduleFencing, blockUnprobedStarts } from './fencing.js';

/** Runs the scheduler. The CIB must be free of unsupportedFeatures() for the result to match Pacemaker. */
export function schedule(cib: Cib, opts: ScheduleOptions): Transition {
  const m = unpackModel(cib, opts);
  const scores = assignResources(m);
  // clone_create_probe sorts a clone's instances back by number once a node can be probed (online, clean).
  if (m.nodes.some((n) => n.online && !n.unclean)) {
    const num = (r: { id: string }) => parseInt(r.id.slice(r.id.lastIndexOf(':') + 1), 10);
    for (const r of m.top) if (r.kind === 'clone') r.children.sort((a, b) => num(a) - num(b));
  }
  const x = createActions(m);
  blockUnprobedStarts(m, x);
  const fences = scheduleFencing(m, x);
  const orderings = applyOrderings(m, x);
  propagateFlags(x);
  const { summary, actions, placements, currentOut } = summarize(m, x);
  return {
    graph: graphOf(x.acts),
    orderings: orderings.filter((o) => o.flags !== 0).map((o) => ({ first: o.first.id, firstTask: o.firstTask, then: o.then.id, thenTask: o.thenTask })),
    nodes: m.nodes.map((n) => ({ uname: n.uname, online: n.online, standby: n.standby, maintenance: n.maintenance, shutdown: n.shutdown,
      ...(n.standbyOnFail ? { standbyOnFail: true } : {}), ...(n.unclean ? { unclean: true } : {}) })),
    current: currentOut, placements, summary, actions, scores,
    fences: fences.map((f) => ({ target: f.target, action: f.action, reason: f.reason })),
    warnings: m.stonithEnabled && !m.haveStonithRsc ? NO_FENCE_DEVICE : [],
    roles: new Map(m.prims.filter((r) => r.parent?.promotable && placements.get(r.id) != null).map((r) => [r.id, ROLE_NAMES[r.nextRole]!])),
  };
}

/** Pacemaker's configuration errors when fencing is enabled and no fence device exists (unpack_resources). */
export const NO_FENCE_DEVICE: readonly string[] = [
  'Resource start-up disabled since no STONITH resources have been defined',
  'Either configure some or disable STONITH with the stonith-enabled option',
  'NOTE: Clusters with shared data need STONITH to ensure data integrity',
];

/** The graph: required, runnable actions (pseudo ones too) and the orderings between them (should_add_input_to_graph). */
function graphOf(acts: readonly Act[]): GraphActionOut[] {
  const inGraphAct = (a: Act) => !a.optional && a.runnable && (a.pseudo || a.node !== null);
  const graphActs = acts.filter(inGraphAct);
  const graphIndex = new Map(graphActs.map((a, i) => [a, i]));
  return graphActs.map((a) => ({
    rsc: a.rsc.id, task: a.task, node: a.pseudo ? null : a.node, pseudo: a.pseudo, ...(a.fence ? { fence: { ...a.fence } } : {}),
    inputs: [...new Set(a.before.filter((w) => w.type !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
    impliesThen: [...new Set(a.after.filter((w) => (w.type & ORD_IMPLIES_THEN) !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
  }));
}
