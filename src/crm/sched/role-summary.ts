// Transition Summary lines of a resource with roles (promotable instances): rsc_action_default and
// rsc_action_item of Pacemaker 2.1.5, with the role texts in parentheses ("Unpromoted -> Promoted node2").
import { type Act, type Rsc, type SummaryLine, ROLE_NAMES, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED } from './types.js';

/** The summary lines of `r` (current node `cur`); `findActions` as the action stage has it. */
export function roleSummaryLines(r: Rsc, cur: string | null, findActions: (r: Rsc, task: string, node: string | null) => Act[]): SummaryLine[] {
  const out: SummaryLine[] = [];
  const next = r.assigned;
  if (!r.managed || (cur === null && next === null)) return out;
  const item = (change: SummaryLine['change'], origin: string | null, dest: string | null, action: Act | undefined, source?: Act) => {
    const src = source ?? action;
    const needRole = r.role > ROLE_STARTED || r.nextRole > ROLE_UNPROMOTED;
    const sameHost = origin !== null && dest !== null && origin === dest, sameRole = r.role === r.nextRole;
    const role = ROLE_NAMES[r.role]!, nextRole = ROLE_NAMES[r.nextRole]!;
    let details: string;
    if (needRole && origin === null) details = `${role} -> ${nextRole} ${dest}`;
    else if (origin === null) details = `${dest}`;
    else if (needRole && dest === null) details = `${role} ${origin}`;
    else if (dest === null) details = origin;
    else if (needRole && sameRole && sameHost) details = `${role} ${origin}`;
    else if (sameRole && sameHost) details = origin;
    else if (needRole && sameRole) details = `${origin} -> ${dest} ${role}`;
    else if (sameRole) details = `${origin} -> ${dest}`;
    else if (sameHost) details = `${role} -> ${nextRole} ${origin}`;
    else details = `${role} ${origin} -> ${nextRole} ${dest}`;
    out.push({ change, rsc: r.id, from: origin, to: dest, ...(src?.reason ? { reason: src.reason } : {}), blocked: action ? !action.runnable : false, details });
  };
  const moving = cur !== null && next !== null && cur !== next;
  const start = findActions(r, 'start', next)[0];
  const stop = findActions(r, 'stop', start && start.runnable ? cur : null)[0];
  const promote = findActions(r, 'promote', next)[0];
  const demote = findActions(r, 'demote', next)[0];
  if (r.role === r.nextRole) {
    if (next === null) return out;
    if (!start || start.optional) {
      if (demote && promote && !demote.optional && !promote.optional) item('Re-promote', cur, next, promote, demote);
    } else if (!start.runnable) item('Stop', cur, null, stop, stop?.reason ? stop : start);
    else if (moving) item(r.failed ? 'Recover' : 'Move', cur, next, stop);
    else if (r.failed) item('Recover', cur, null, stop);
    else item('Restart', cur, next, start);
    return out;
  }
  if (stop && (r.nextRole === ROLE_STOPPED || (start && !start.runnable))) {
    for (const n of r.runningOn) {
      const s = findActions(r, 'stop', n)[0];
      item('Stop', n, null, s, s?.reason ? s : start);
    }
  } else if (stop && r.failed) item('Recover', cur, next, stop, start);
  else if (moving) item('Move', cur, next, stop);
  else if (stop && !stop.optional) item('Restart', cur, next, start);
  else if (r.role === ROLE_PROMOTED) item('Demote', cur, next, demote);
  else if (r.nextRole === ROLE_PROMOTED) item('Promote', cur, next, promote);
  else if (r.role === ROLE_STOPPED && r.nextRole > ROLE_STOPPED) item('Start', cur, next, start);
  return out;
}
