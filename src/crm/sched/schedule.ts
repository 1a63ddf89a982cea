// The scheduler's pipeline, in the order of Pacemaker's pcmk__schedule_actions: unpack, assign, create actions,
// orderings, flag propagation, summary. A pure function of the CIB and "now".
import type { Cib } from '../cib.js';
import { type Act, type GraphActionOut, type ScheduleOptions, type Transition, ORD_IMPLIES_THEN } from './types.js';
import { unpackModel } from './model.js';
import { assignResources } from './placement.js';
import { createActions } from './actions.js';
import { applyOrderings } from './orderings.js';
import { propagateFlags } from './update.js';
import { summarize } from './summary.js';

/** Runs the scheduler. The CIB must be free of unsupportedFeatures() for the result to match Pacemaker. */
export function schedule(cib: Cib, opts: ScheduleOptions): Transition {
  const m = unpackModel(cib, opts);
  const scores = assignResources(m);
  const x = createActions(m);
  const orderings = applyOrderings(m, x);
  propagateFlags(x);
  const { summary, actions, placements, currentOut } = summarize(m, x);
  return {
    graph: graphOf(x.acts),
    orderings: orderings.filter((o) => o.flags !== 0).map((o) => ({ first: o.first.id, firstTask: o.firstTask, then: o.then.id, thenTask: o.thenTask })),
    nodes: m.nodes.map((n) => ({ uname: n.uname, online: n.online, standby: n.standby, maintenance: n.maintenance, shutdown: n.shutdown, ...(n.standbyOnFail ? { standbyOnFail: true } : {}) })),
    current: currentOut, placements, summary, actions, scores,
  };
}

/** The graph: required, runnable actions (pseudo ones too) and the orderings between them (should_add_input_to_graph). */
function graphOf(acts: readonly Act[]): GraphActionOut[] {
  const inGraphAct = (a: Act) => !a.optional && a.runnable && (a.pseudo || a.node !== null);
  const graphActs = acts.filter(inGraphAct);
  const graphIndex = new Map(graphActs.map((a, i) => [a, i]));
  return graphActs.map((a) => ({
    rsc: a.rsc.id, task: a.task, node: a.pseudo ? null : a.node, pseudo: a.pseudo,
    inputs: [...new Set(a.before.filter((w) => w.type !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
    impliesThen: [...new Set(a.after.filter((w) => (w.type & ORD_IMPLIES_THEN) !== 0 && graphIndex.has(w.action)).map((w) => graphIndex.get(w.action)!))].sort((x, y) => x - y),
  }));
}
