// Fencing decisions of the scheduler, as Pacemaker 2.1.5 makes them: which nodes are unclean (unpack.c's
// determine_online_status_fencing, pe_fence_node), their Fence actions and the stops and starts ordered after them.
import { isTrue, type NodeDef } from '../cib.js';
import { type Act, type Node, type Rsc, ORD_OPTIONAL, ORD_RUNNABLE_LEFT, ORD_PRESERVE, ROLE_STOPPED } from './types.js';
import type { Model } from './model.js';
import type { Actions } from './actions.js';
import { orderActions } from './orderings.js';

/** A node's status as the fencing-enabled unpacker sees it. */
export interface FencingStatus { online: boolean; unclean: boolean; pending: boolean; reason?: string }

/** determine_online_status_fencing: `terminate` is the node's transient attribute of that name. */
export function onlineStatusFencing(st: NonNullable<NodeDef['state']>, shutdown: boolean, terminate: string | undefined): FencingStatus {
  const doTerminate = isTrue(terminate) || (terminate !== undefined && /^[1-9]/.test(terminate));
  const inCluster = isTrue(st.inCcm), crmdOnline = st.crmd === 'online';
  const expected = st.expected || 'down';
  const unclean = (reason: string, online = inCluster): FencingStatus => ({ online, unclean: true, pending: false, reason });
  if (shutdown) return { online: crmdOnline, unclean: false, pending: false };
  if (st.inCcm === '') return unclean('peer has not been seen by the cluster');
  if (st.join === 'banned') return unclean('peer failed Pacemaker membership criteria');
  if (!doTerminate && expected === 'down') return { online: inCluster, unclean: false, pending: inCluster || crmdOnline };
  if (doTerminate && st.join === 'down' && !inCluster && !crmdOnline) return { online: false, unclean: false, pending: false };
  if (!inCluster) return unclean('peer is no longer part of the cluster');
  if (!crmdOnline) return unclean('peer process is no longer available');
  if (doTerminate) return unclean('termination was requested');
  if (st.join === 'member') return { online: true, unclean: false, pending: false };
  if (st.join === 'pending' || st.join === 'down') return { online: true, unclean: false, pending: true };
  return unclean('peer was in an unknown state');
}

/** The fence action's name for `stonith-action` (poweroff is Pacemaker's deprecated alias of off). */
export function stonithAction(opt: string | undefined): string {
  const a = (opt ?? 'reboot').toLowerCase();
  return a === 'poweroff' ? 'off' : a === 'off' ? 'off' : 'reboot';
}

/** pe_can_fence for cluster nodes. */
export function canFence(m: Model, n: Node): boolean {
  if (!m.stonithEnabled || !m.haveStonithRsc) return false;
  if (m.cib.haveQuorum || m.noQuorumPolicy === 'ignore') return true;
  return n.online;
}

/** One Fence action of the transition (the node-level action Pacemaker calls stonith-NODE-ACTION). */
export interface FenceAct { act: Act; target: string; action: string; reason: string }

/** schedule_fencing_and_shutdowns + pcmk__order_vs_fence: a required Fence action per unclean node that can be
 *  fenced; its resources' stops become pseudo-actions after it, and starts that need fencing wait for it. */
export function scheduleFencing(m: Model, x: Actions): FenceAct[] {
  const haveManaged = m.all.some((r) => r.managed);
  const action = stonithAction(m.cib.options.get('stonith-action'));
  const concurrent = isTrue(m.cib.options.get('concurrent-fencing') ?? 'false');
  const out: FenceAct[] = [];
  let dcDown: FenceAct | undefined;
  const nonDc: FenceAct[] = [];
  for (const n of m.nodes) {
    if (!(haveManaged && n.unclean && canFence(m, n))) continue;
    const f = fenceAction(m, x, n, action);
    for (const r of m.top) orderVsFence(m, x, r, f.act);
    if (m.cib.dcUuid === n.id) dcDown = f;
    else {
      if (!concurrent && nonDc.length) orderActions(nonDc[nonDc.length - 1]!.act, f.act, ORD_OPTIONAL);
      nonDc.push(f);
    }
    out.push(f);
  }
  if (dcDown) {
    if (concurrent) for (const f of nonDc) orderActions(f.act, dcDown.act, ORD_OPTIONAL);
    else if (nonDc.length) orderActions(nonDc[nonDc.length - 1]!.act, dcDown.act, ORD_OPTIONAL);
  }
  // Pacemaker prints node actions from its action list, which is built by prepending: the last fence first.
  return out.reverse();
}

function fenceAction(m: Model, x: Actions, n: Node, action: string): FenceAct {
  const id = `stonith-${n.uname}-${action}`;
  const rsc: Rsc = {
    id, kind: 'primitive', failId: id, def: { kind: 'primitive', id, cls: 'stonith', type: 'fence', params: new Map(), meta: new Map(), ops: [] } as unknown as Rsc['def'],
    children: [], meta: new Map(), priority: 0, stickiness: 0, threshold: 0, failureTimeout: 0, managed: true, stopTarget: false,
    allowed: new Map(), runningOn: [], knownOn: new Set(), failed: false, failureIgnored: false, onFailStop: false, provisional: false, allocating: false,
    merging: false, assigned: null, nextStopped: false, thisWith: [], withThis: [], actions: [],
    role: ROLE_STOPPED, nextRole: ROLE_STOPPED, sortIndex: 0,
  };
  const act: Act = { rsc, task: 'stonith', node: n.uname, optional: false, runnable: true, pseudo: false, before: [], after: [],
    fence: { target: n.uname, action }, reason: n.fenceReason ?? 'node is unclean' };
  rsc.actions.push(act);
  x.acts.push(act);
  return { act, target: n.uname, action, reason: act.reason! };
}

/** rsc_stonith_ordering: recurse to primitives; unmanaged ones are left alone. */
function orderVsFence(m: Model, x: Actions, r: Rsc, fence: Act): void {
  if (r.children.length) { for (const c of r.children) orderVsFence(m, x, c, fence); return; }
  if (!r.managed) return;
  const target = fence.node!;
  // order_start_vs_fencing: starts needing fencing (every non-fence-device primitive) wait for it; a fence
  // device's start waits only when its state on the target is unknown.
  for (let i = r.actions.length - 1; i >= 0; i--) {
    const a = r.actions[i]!;
    if (a.task !== 'start') continue;
    if (needsFencing(m, r)) orderActions(fence, a, ORD_OPTIONAL);
    else if (r.allowed.has(target) && !r.knownOn.has(target)) orderActions(fence, a, ORD_OPTIONAL | ORD_RUNNABLE_LEFT);
  }
  // order_stop_vs_fencing: the stop on the target would never complete: a pseudo-action after the fence.
  let top = r;
  while (top.parent) top = top.parent;
  const stops = x.findActions(r, 'stop', target).filter((a) => a.node === target);
  const parentStop = stops.length && needsFencing(m, r) ? x.findFirst(top, 'stop', null) : undefined;
  for (const s of stops) {
    s.pseudo = true; s.runnable = true;
    if (!needsFencing(m, r)) continue;
    orderActions(fence, s, ORD_PRESERVE);
    if (parentStop) orderActions(fence, parentStop, ORD_PRESERVE);
  }
}

/** requires=fencing: the default for every primitive except fence devices while fencing is enabled. */
export function needsFencing(m: Model, r: Rsc): boolean {
  return m.stonithEnabled && (r.def as { cls?: string }).cls !== 'stonith';
}

/** A resource active nowhere cannot start while a pending node (up, not yet joined) could not probe it: the probe
 *  there is unrunnable and probe_rsc_on_node orders the start after it with pe_order_runnable_left. */
export function blockUnprobedStarts(m: Model, x: Actions): void {
  const pending = m.nodes.filter((n) => n.pending && n.online && !n.unclean);
  if (!pending.length) return;
  const symmetric = isTrue(m.cib.options.get('symmetric-cluster') ?? 'true');
  for (const r of m.prims) {
    let top = r;
    while (top.parent) top = top.parent;
    const leaves = (t: Rsc): Rsc[] => (t.children.length ? t.children.flatMap(leaves) : [t]);
    if (leaves(top).some((l) => l.runningOn.length)) continue;
    if (!pending.some((n) => !r.knownOn.has(n.uname) && (symmetric || r.allowed.has(n.uname)))) continue;
    for (const a of r.actions) if (a.task === 'start') a.runnable = false;
  }
}
