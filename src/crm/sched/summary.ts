// Summary stage: the Transition Summary lines, executable actions and placements after the transition
// (rsc_action_default / LogActions), from assigned resources and their actions.
import type { Act, ActionOut, SummaryLine } from './types.js';
import type { Model } from './model.js';
import type { Actions } from './actions.js';
import { roleSummaryLines } from './role-summary.js';

/** Builds summary lines, executed actions, placements and current states. */
export function summarize(m: Model, x: Actions): { summary: SummaryLine[]; actions: ActionOut[]; placements: Map<string, string | null>;
  currentOut: Map<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean; runningOn: readonly string[] }> } {
  const { ordered, leaves, current } = m;
  const { findActions } = x;
  // --- summary (rsc_action_default) ---
  const summary: SummaryLine[] = [];
  const actions: ActionOut[] = [];
  const placements = new Map<string, string | null>();
  const currentOut = new Map<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean; runningOn: readonly string[] }>();
  for (const t of ordered) {
    for (const r of leaves(t)) {
      const cur = current(r);
      const next = r.assigned;
      currentOut.set(r.id, { node: cur, failed: r.failed, managed: r.managed || r.frozen === true, disabled: r.stopTarget, runningOn: [...r.runningOn] });
      const inGraph = (a: Act) => !a.optional && a.runnable && a.node !== null;
      const stops = r.actions.filter((a) => a.task === 'stop');
      const startAct = r.actions.find((a) => a.task === 'start' && a.node !== null && a.node === next);
      const stopped = stops.some(inGraph);
      const started = next !== null && startAct !== undefined && startAct.runnable && (!startAct.optional || cur === next);
      placements.set(r.id, started ? next : (cur !== null && !stopped ? cur : null));
      for (const s of stops) if (inGraph(s) && !s.pseudo) actions.push({ rsc: r.id, task: 'stop', node: s.node! });
      if (started && !startAct!.optional) actions.push({ rsc: r.id, task: 'start', node: next! });
      if (r.parent?.promotable) {
        for (const a of r.actions) if ((a.task === 'demote' || a.task === 'promote') && inGraph(a)) actions.push({ rsc: r.id, task: a.task, node: a.node! });
        summary.push(...roleSummaryLines(r, cur, findActions));
        continue;
      }
      if (!r.managed || (cur === null && next === null)) continue;
      const moving = cur !== null && next !== null && cur !== next;
      const start = findActions(r, 'start', next)[0];
      const startNode = start && start.runnable ? cur : null;
      const stop = findActions(r, 'stop', startNode)[0];
      const line = (change: SummaryLine['change'], from: string | null, to: string | null, action: Act | undefined, source?: Act) => {
        const src = source ?? action;
        summary.push({ change, rsc: r.id, from, to, ...(src?.reason ? { reason: src.reason } : {}), blocked: action ? !action.runnable : false });
      };
      const role = cur !== null, nextRole = next !== null;
      if (role === nextRole) {
        if (!start || start.optional) continue;
        if (!start.runnable) line('Stop', cur, null, stop, stop?.reason ? stop : start);
        else if (moving) line(r.failed ? 'Recover' : 'Move', cur, next, stop);
        else if (r.failed) line('Recover', cur, null, stop);
        else line('Restart', cur, next, start);
        continue;
      }
      if (stop && (!nextRole || (start && !start.runnable))) {
        for (const n of r.runningOn) {
          const s = findActions(r, 'stop', n)[0];
          line('Stop', n, null, s, s?.reason ? s : start);
        }
      } else if (stop && r.failed) line('Recover', cur, next, stop, start);
      else if (moving) line('Move', cur, next, stop);
      else if (stop && !stop.optional) line('Restart', cur, next, start);
      else if (!role && nextRole) line('Start', cur, next, start);
    }
  }
  return { summary, actions, placements, currentOut };
}
