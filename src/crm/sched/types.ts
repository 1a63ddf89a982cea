// The scheduler's data model: result types for callers and the internal resource/action/constraint records.
// Shared by every stage of src/crm/sched/; holds no logic beyond Pacemaker's list orderings.

import type { ResourceDef } from '../cib.js';
/** Why a resource changes, as crm_simulate's Transition Summary shows it. */
export interface SummaryLine {
  readonly change: 'Start' | 'Stop' | 'Move' | 'Recover' | 'Restart' | 'Promote' | 'Demote' | 'Re-promote';
  readonly rsc: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly reason?: string;
  readonly blocked: boolean;
  /** The text in parentheses when roles are shown (promotable instances, rsc_action_item), e.g.
   *  "Unpromoted -> Promoted node2"; absent: built from `from`/`to`. */
  readonly details?: string;
}

/** One executable resource action of the transition. */
export interface ActionOut {
  readonly rsc: string;
  readonly task: 'start' | 'stop' | 'promote' | 'demote';
  readonly node: string;
}

/** A node's state after unpacking the status section. */
export interface NodeState {
  readonly uname: string;
  readonly online: boolean;
  readonly standby: boolean;
  readonly maintenance: boolean;
  readonly shutdown: boolean;
  /** In standby because of a failure with on-fail=standby (crm_mon: "standby (on-fail)"). */
  readonly standbyOnFail?: boolean;
  /** Must be fenced (crm_mon: "UNCLEAN (offline)" / "UNCLEAN (online)"). */
  readonly unclean?: boolean;
}

/** A Fence action of the transition: "Fence (reboot) node1 'peer is no longer part of the cluster'". */
export interface FenceOut { readonly target: string; readonly action: string; readonly reason: string }

/** Scheduler result: placements after the transition, summary lines, actions and allocation scores. */
export interface Transition {
  readonly nodes: readonly NodeState[];
  /** Primitive id → node it runs on now (null = stopped); `failed` marks FAILED resources; `runningOn` every node
   *  its history says it is active on (more than one: multiple-active, as crm_mon shows it). */
  readonly current: ReadonlyMap<string, { node: string | null; failed: boolean; managed: boolean; disabled: boolean; runningOn: readonly string[] }>;
  /** Primitive id → node after the transition (null = stopped). */
  readonly placements: ReadonlyMap<string, string | null>;
  readonly summary: readonly SummaryLine[];
  readonly actions: readonly ActionOut[];
  /** Lines like `pcmk__primitive_assign: R allocation score on N: S`. */
  readonly scores: readonly string[];
  /** The actions of the transition graph with their orderings (what the transition engine carries out). */
  readonly graph: readonly GraphActionOut[];
  /** Promotable instances placed after the transition → their role then ('Promoted' or 'Unpromoted'). */
  readonly roles: ReadonlyMap<string, string>;
  /** The resource-level orderings the graph came from, in creation order (probe orderings are derived from them). */
  readonly orderings: readonly RscOrderingOut[];
  /** Fence actions, in crm_simulate's summary order. */
  readonly fences: readonly FenceOut[];
  /** Configuration errors Pacemaker prints (no fence device while stonith-enabled). */
  readonly warnings: readonly string[];
}

/** One action of the transition graph (a synapse): a resource action on a node, or a group's pseudo-action
 *  (start/running/stop/stopped, node null), with the indices of the graph actions that must complete first. */
export interface GraphActionOut {
  readonly rsc: string;
  readonly task: string;
  readonly node: string | null;
  readonly pseudo: boolean;
  readonly inputs: readonly number[];
  /** Graph actions this one makes required (pe_order_implies_then): the path restart orderings of probes follow. */
  readonly impliesThen: readonly number[];
  /** A Fence action (rsc is stonith-NODE-ACTION, task 'stonith', node the target). */
  readonly fence?: { readonly target: string; readonly action: string };
}

/** A resource-level ordering (pe__ordering_t): `first`'s `firstTask` before `then`'s `thenTask`. */
export interface RscOrderingOut {
  readonly first: string;
  readonly firstTask: string;
  readonly then: string;
  readonly thenTask: string;
}

/** Options for one scheduler run. */
export interface ScheduleOptions {
  /** Effective time in epoch seconds (failure-timeout expiry). */
  readonly now: number;
  /** Record allocation scores in Transition.scores (default true); off saves work on large CIBs. */
  readonly scores?: boolean;
}

export interface Node {
  uname: string; id: string; online: boolean; standby: boolean; standbyOnFail?: boolean; maintenance: boolean; shutdown: boolean;
  attrs: Map<string, string>; numResources: number;
  /** Fencing: the node must be fenced before its resources count as stopped (fencing.ts); the first reason given. */
  unclean: boolean; fenceReason?: string;
  /** join pending, or expected down while still a member: online but runs nothing. */
  pending: boolean;
}
export interface Coloc { id: string; dependent: Rsc; primary: Rsc; score: number; attr: string | undefined; influence: boolean }
/** A scheduled action (pe_action_t): flags plus the ordering wrappers, newest first like Pacemaker's prepended GLists. */
export interface Act { rsc: Rsc; task: string; node: string | null; optional: boolean; runnable: boolean; pseudo: boolean; reason?: string; before: Wrap[]; after: Wrap[];
  /** A node's Fence action (task 'stonith'): its target and the fence action (reboot, off). */
  fence?: { target: string; action: string } }
/** One side of an ordering between two actions (pe_action_wrapper_t); `type` is a set of ORD_* bits. */
export interface Wrap { action: Act; type: number }
/** A resource-level ordering (pe__ordering_t) before it is expanded into action wrappers. */
export interface Ordering { first: Rsc; firstTask: string; then: Rsc; thenTask: string; flags: number }
export interface Rsc {
  id: string; kind: 'primitive' | 'group' | 'clone'; def: ResourceDef;
  /** Name in fail-count attributes: the primitive's id, without the instance number for anonymous clones. */
  failId: string;
  /** Clones only: clone-max, clone-node-max, globally-unique. */
  cloneMax?: number; cloneNodeMax?: number; unique?: boolean; parent?: Rsc; children: Rsc[];
  /** Promotable clones only: promoted-max, promoted-node-max, and the Promoted-role locations (node → score each). */
  promotable?: boolean; promotedMax?: number; promotedNodeMax?: number; promotedLocs?: Map<string, number>[];
  /** Current role and the role after the transition (ROLE_*; next is ROLE_UNKNOWN until decided). */
  role: number; nextRole: number;
  /** Nodes whose history mentions this resource (known_on), and the history id of an anonymous instance (clone_name). */
  knownOn: Set<string>; cloneName?: string;
  /** Promotion order of a promotable instance (sort_index). */
  sortIndex: number;
  meta: Map<string, string>; priority: number; stickiness: number; threshold: number; failureTimeout: number;
  managed: boolean; stopTarget: boolean; blocked?: boolean;
  /** Unmanaged by a lost ticket's loss-policy=freeze, after the status was read: still shown as managed. */
  frozen?: boolean;
  allowed: Map<string, number>; runningOn: string[]; failed: boolean; failureIgnored: boolean; onFailStop: boolean;
  provisional: boolean; allocating: boolean; merging: boolean; assigned: string | null; nextStopped: boolean;
  thisWith: Coloc[]; withThis: Coloc[];
  /** Actions of this resource in creation order (Pacemaker's list is newest first: iterate backwards). */
  actions: Act[];
}

export const VARIANT = { primitive: 0, group: 1, clone: 2 } as const;

// Resource roles (enum rsc_role_e): the order matters, Pacemaker compares them.
export const ROLE_UNKNOWN = 0, ROLE_STOPPED = 1, ROLE_STARTED = 2, ROLE_UNPROMOTED = 3, ROLE_PROMOTED = 4;
export const ROLE_NAMES: readonly string[] = ['Unknown', 'Stopped', 'Started', 'Unpromoted', 'Promoted'];

export function cmpPrimary(a: Coloc, b: Coloc): number {
  if (a.primary.priority !== b.primary.priority) return a.primary.priority > b.primary.priority ? -1 : 1;
  if (VARIANT[a.primary.kind] !== VARIANT[b.primary.kind]) return VARIANT[a.primary.kind] > VARIANT[b.primary.kind] ? -1 : 1;
  return a.primary.id < b.primary.id ? -1 : a.primary.id > b.primary.id ? 1 : 0;
}
export function cmpDependent(a: Coloc, b: Coloc): number {
  if (a.dependent.priority !== b.dependent.priority) return a.dependent.priority > b.dependent.priority ? -1 : 1;
  if (VARIANT[a.dependent.kind] !== VARIANT[b.dependent.kind]) return VARIANT[a.dependent.kind] > VARIANT[b.dependent.kind] ? -1 : 1;
  return a.dependent.id < b.dependent.id ? -1 : a.dependent.id > b.dependent.id ? 1 : 0;
}
/** GLib g_list_insert_sorted: before the first element that is not smaller. */
export function insertSorted(list: Coloc[], c: Coloc, cmp: (a: Coloc, b: Coloc) => number): void {
  let i = 0;
  while (i < list.length && cmp(c, list[i]!) > 0) i++;
  list.splice(i, 0, c);
}

// Ordering flags (enum pe_ordering), only those our port uses.
export const ORD_OPTIONAL = 0x1;
export const ORD_IMPLIES_FIRST = 0x10;
export const ORD_IMPLIES_THEN = 0x20;
export const ORD_PROMOTED_IMPLIES_FIRST = 0x40;
export const ORD_RUNNABLE_LEFT = 0x100;
export const ORD_RESTART = 0x1000;
export const ORD_IMPLIES_FIRST_PRINTED = 0x10000;
export const ORD_IMPLIES_THEN_PRINTED = 0x20000;
export const ORD_ASYMMETRICAL = 0x100000;
export const ORD_ANTI_COLOCATION = 0x800000;
export const ORD_PRESERVE = 0x1000000;
