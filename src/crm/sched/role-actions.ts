// A primitive's actions from its current role to its next one, through Pacemaker 2.1.5's role matrices
// (rsc_state_matrix, rsc_action_matrix, schedule_restart_actions): stop/start, and demote/promote for promotable instances.
import { type Act, type Rsc, ROLE_UNKNOWN, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED } from './types.js';

/** What role-actions needs from the action stage. */
export interface RoleActionEnv {
  customAction: (r: Rsc, task: string, node: string | null, optional: boolean) => Act;
  setReason: (a: Act, reason: string | undefined, overwrite: boolean) => void;
}

const U = ROLE_UNKNOWN, S = ROLE_STOPPED, ST = ROLE_STARTED, UP = ROLE_UNPROMOTED, P = ROLE_PROMOTED;
/** The immediate next role going from [current] to [target]. */
const NEXT: readonly (readonly number[])[] = [
  [U, S, S, S, S],
  [S, S, ST, UP, UP],
  [S, S, ST, UP, P],
  [S, S, S, UP, P],
  [S, UP, UP, UP, P],
];
type Fn = 'stop' | 'start' | 'promote' | 'demote' | null | 'error';
/** The action that takes [current] to [next] directly (null: nothing, 'error': cannot happen). */
const FN: readonly (readonly Fn[])[] = [
  ['error', 'stop', 'error', 'error', 'error'],
  ['error', null, 'start', 'start', 'error'],
  ['error', 'stop', null, null, 'promote'],
  ['error', 'stop', 'stop', null, 'promote'],
  ['error', 'demote', 'demote', 'demote', null],
];

/** pcmk__primitive_create_actions for resources without migration: restart (if needed), then role transition. */
export function createRoleActions(r: Rsc, env: RoleActionEnv): void {
  const { customAction, setReason } = env;
  if (r.nextRole === ROLE_UNKNOWN) r.nextRole = r.assigned === null ? ROLE_STOPPED : ROLE_STARTED;
  const cur = r.runningOn[0] ?? null, next = r.assigned;
  const stop = (optional: boolean) => {
    for (const n of r.runningOn) {
      const a = customAction(r, 'stop', n, optional);
      if (r.assigned === null) setReason(a, 'node availability', true);
      if (!r.managed) a.runnable = false;
    }
  };
  const start = (node: string | null, optional: boolean) => {
    if (node === null) return;
    const a = customAction(r, 'start', node, true);
    if (a.runnable && !optional) a.optional = false;
  };
  const promote = (node: string | null, optional: boolean) => {
    if (node === null) return;
    const runnable = r.actions.every((a) => a.task !== 'start' || a.node !== node || a.runnable);
    if (runnable) customAction(r, 'promote', node, optional);
    else for (const a of r.actions) if (a.task === 'promote' && a.node === node) a.runnable = false;
  };
  const demote = (optional: boolean) => { for (const n of r.runningOn) customAction(r, 'demote', n, optional); };
  const run = (fn: Fn, node: string | null, optional: boolean): boolean => {
    if (fn === null || fn === 'error') return false;
    if (fn === 'stop') stop(optional); else if (fn === 'start') start(node, optional);
    else if (fn === 'promote') promote(node, optional); else demote(optional);
    return true;
  };
  const moving = cur !== null && next !== null && cur !== next && r.nextRole >= ROLE_STARTED;
  let needStop = moving;
  const needPromote = false;
  if (!moving) {
    // Every failure we decide recovers by stop (pe_rsc_stop); on-fail=demote is refused.
    if (r.failed) needStop = true;
    else if (r.role > ROLE_STARTED && cur !== null && next !== null) {
      const a = customAction(r, 'start', next, true);
      if (!a.optional) needStop = true;
    }
  }
  // schedule_restart_actions: down to Stopped on the current node, then back up to the current role.
  let role = r.role;
  while (role !== ROLE_STOPPED) {
    const nr = NEXT[role]![ROLE_STOPPED]!;
    if (!run(FN[role]![nr]!, cur, !needStop)) break;
    role = nr;
  }
  while (r.role <= r.nextRole && role !== r.role) {
    const nr = NEXT[role]![r.role]!;
    const required = needStop || (nr === ROLE_PROMOTED && needPromote);
    if (!run(FN[role]![nr]!, next, !required)) break;
    role = nr;
  }
  // schedule_role_transition_actions
  role = r.role;
  while (role !== r.nextRole) {
    const nr = NEXT[role]![r.nextRole]!;
    if (!run(FN[role]![nr]!, next, false)) break;
    role = nr;
  }
}
