// Action stage: creates the start/stop actions of primitives and the pseudo-actions of groups (custom_action).
// Returns the action list and the finders later stages use.
import type { Act, Rsc } from './types.js';
import type { Model } from './model.js';
import { createRoleActions } from './role-actions.js';
import { createPromotablePseudoActions } from './promotable-actions.js';

/** The created actions plus the helpers to find and create more. */
export interface Actions {
  acts: Act[];
  roleStarted: (r: Rsc) => boolean;
  setReason: (a: Act, reason: string | undefined, overwrite: boolean) => void;
  findFirst: (r: Rsc, task: string, node: string | null) => Act | undefined;
  findActions: (r: Rsc, task: string, node: string | null) => Act[];
  customAction: (r: Rsc, task: string, node: string | null, optional: boolean) => Act;
}

/** Creates the actions of every resource (pcmk__primitive_create_actions, group pseudo-actions). */
export function createActions(m: Model): Actions {
  const { cib, nodeBy, ordered, current, noQuorumPolicy } = m;
  // --- actions: a port of Pacemaker 2.1.5's action graph for primitives and groups ---
  // Action lists, ordering lists and wrapper lists are kept in Pacemaker's order, because which
  // reason text ends up on an action ("required X start" vs "unrunnable Y stop") depends on the
  // order in which pcmk__update_action_for_orderings visits them.
  const acts: Act[] = [];
  const roleStarted = (r: Rsc): boolean => (r.kind !== 'primitive' ? r.children.some((c) => c.runningOn.length > 0) : r.runningOn.length > 0);
  const nextStarted = (r: Rsc): boolean => r.assigned !== null;
  const setReason = (a: Act, reason: string | undefined, overwrite: boolean) => {
    if (a.reason === undefined || overwrite) { if (reason === undefined) delete a.reason; else a.reason = reason; }
  };
  /** find_first_action over rsc->actions (newest first). */
  const findFirst = (r: Rsc, task: string, node: string | null): Act | undefined => {
    for (let i = r.actions.length - 1; i >= 0; i--) {
      const a = r.actions[i]!;
      if (a.task !== task) continue;
      if (node === null) return a;
      if (a.node === node) return a;
    }
    return undefined;
  };
  /** find_actions: matches in creation order; an action without a node is given `node` (Pacemaker does the same). */
  const findActions = (r: Rsc, task: string, node: string | null): Act[] => {
    const out: Act[] = [];
    for (let i = r.actions.length - 1; i >= 0; i--) {
      const a = r.actions[i]!;
      if (a.task !== task) continue;
      if (node === null) out.unshift(a);
      else if (a.node === null) { a.node = node; out.unshift(a); }
      else if (a.node === node) out.unshift(a);
    }
    return out;
  };
  /** custom_action: find or create, then update_action_optional and update_resource_action_runnable. */
  const customAction = (r: Rsc, task: string, node: string | null, optional: boolean): Act => {
    let a: Act | undefined = findActions(r, task, node)[0];
    if (!a) {
      a = { rsc: r, task, node, optional, runnable: true, pseudo: false, before: [], after: [] };
      acts.push(a); r.actions.push(a);
    }
    if (r.kind === 'primitive' && node !== null && !a.pseudo && !r.managed) a.optional = true;
    else if (!optional) a.optional = false;
    if (a.pseudo) return a;
    if (node === null || !nodeBy.get(node)!.online || nodeBy.get(node)!.pending) a.runnable = false;
    else if (task === 'stop') { setReason(a, undefined, true); a.runnable = true; }
    else if (cib.haveQuorum || noQuorumPolicy === 'ignore') a.runnable = true;
    else if (noQuorumPolicy === 'freeze') {
      if (!roleStarted(r) || (nextStarted(r) && !roleStarted(r))) { a.runnable = false; setReason(a, 'quorum freeze', true); }
    } else { a.runnable = false; setReason(a, 'no quorum', true); }
    return a;
  };
  const stopResource = (r: Rsc, optional: boolean) => {
    for (const n of r.runningOn) {
      const stop = customAction(r, 'stop', n, optional);
      if (r.assigned === null) setReason(stop, 'node availability', true);
      if (!r.managed) stop.runnable = false;
    }
  };
  const startResource = (r: Rsc, node: string, optional: boolean) => {
    const start = customAction(r, 'start', node, true);
    if (start.runnable && !optional) start.optional = false;
  };
  // pcmk__primitive_create_actions for the Stopped/Started roles.
  const createPrimitiveActions = (r: Rsc) => {
    if (r.parent?.promotable) { createRoleActions(r, { customAction, setReason }); return; }
    const cur = current(r), next = r.assigned;
    const moving = cur !== null && next !== null && cur !== next;
    const needStop = moving || (r.failed && cur !== null);
    const role = cur !== null, nextRole = next !== null;
    if (role) {
      stopResource(r, !needStop);
      if (nextRole) startResource(r, next!, !needStop);
      else stopResource(r, false);
    } else if (nextRole) startResource(r, next!, false);
  };
  /** clone_create_pseudo_actions: start/running and stop/stopped, required when an instance starts or stops. */
  const createClonePseudoActions = (c: Rsc) => {
    let starting = false, stopping = false, active = false;
    for (const i of c.children) {
      if (i.runningOn.length) active = true;
      for (const a of i.actions) {
        if (a.optional || !(a.pseudo || a.runnable)) continue;
        if (a.task === 'start') starting = true;
        else if (a.task === 'stop') stopping = true;
      }
    }
    const pseudo = (task: string, optional: boolean, runnable: boolean) => {
      const a = customAction(c, task, null, optional);
      a.pseudo = true; a.runnable = runnable;
    };
    pseudo('start', !starting, true);
    pseudo('running', !starting, active || starting);
    pseudo('stop', !stopping, true);
    pseudo('stopped', !stopping, true);
  };
  // clone_create_probe (scheduled before any action, on every online node) leaves the instances in number order.
  if (m.nodes.some((n) => n.online)) {
    const num = (r: Rsc) => parseInt(r.id.slice(r.id.lastIndexOf(':') + 1), 10);
    for (const t of ordered) if (t.kind === 'clone') t.children.sort((a, b) => num(a) - num(b));
  }
  for (const t of ordered) {
    if (t.kind === 'primitive') { createPrimitiveActions(t); continue; }
    for (const m of t.children) createPrimitiveActions(m);
    if (t.kind === 'clone') {
      createClonePseudoActions(t);
      if (t.promotable) createPromotablePseudoActions(t, createPrimitiveActions, customAction);
      continue;
    }
    for (const task of ['start', 'running', 'stop', 'stopped']) {
      const a = customAction(t, task, null, true);
      a.pseudo = true; a.runnable = true;
    }
  }
  return { acts, roleStarted, setReason, findFirst, findActions, customAction };
}
