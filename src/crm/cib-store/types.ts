// Types of the CIB store: answers to CibRequest with cibadmin's exit codes, the ordered updates the DC
// broadcasts, and the messages and effects of the replica state machine (carried out by the daemon's adapters).
import type { CibRequest } from '../contract.js';
import type { XEl } from '../xml-lite.js';
import type { CibVersion } from './version.js';

/** cibadmin's exit codes (Pacemaker's crm_exit_t, via pcmk_rc2exitc) for the failures the store reports. */
export const CIB_RC = {
  OK: 0,
  /** ENXIO/ENOENT: the section, xpath or object does not exist. */
  NOSUCH: 105,
  /** EEXIST: create of an object whose id is already there. */
  EXISTS: 108,
  /** pcmk_err_old_data: the update is based on an older CIB than the running one. */
  OLD: 103,
  /** pcmk_err_schema_validation: the result does not verify. */
  CONFIG: 78,
  /** Input that is not XML, or an XML tag where another is required. */
  DATAERR: 65,
  /** EINVAL: a request Pacemaker's CIB manager rejects as invalid (e.g. deleting /cib). */
  SOFTWARE: 70,
  /** EPROTO: a malformed request or message. */
  PROTOCOL: 76,
  /** EAGAIN: no DC is in charge yet (election or join under way). */
  UNSATISFIED: 113,
  /** ETIMEDOUT: the DC did not answer in time. */
  TIMEOUT: 124,
} as const;

/** What a CibRequest came to, as the control socket answers it (see contract.ts). */
export type CibAnswer =
  | { readonly ok: true; readonly xml: string }
  | { readonly ok: true; readonly epoch: number; readonly numUpdates: number; readonly adminEpoch: number }
  | { readonly ok: false; readonly rc: number; readonly error: string };

/** A change request as the store receives it: the operator's request and, when known, the CIB version it was made from. */
export interface CibChange {
  readonly req: CibRequest;
  /** Version of the CIB the editor read before editing (`crm configure edit`, `cibadmin -R` of a whole CIB carry one). */
  readonly base?: CibVersion;
}

/**
 * How one element's children change: the new list of children in order, each one kept from the old list by its key
 * (and possibly patched itself) or added whole. Keys are `tag#id`, or `tag@n` for the n-th id-less child of that tag.
 */
export type KidPatch =
  | { readonly keep: string; readonly patch?: ElemPatch }
  /** `count` unchanged old children in a row, starting with the one of key `run` (a 1,000-resource section stays small). */
  | { readonly run: string; readonly count: number }
  | { readonly add: XEl };

/** How one element changes: its full new attribute list, and its children when they change. */
export interface ElemPatch {
  readonly attrs?: readonly string[];
  readonly kids?: readonly KidPatch[];
}

/**
 * One ordered change of the CIB, made by the DC and applied by every replica: it applies only to a CIB at
 * `from` whose digest is `fromDigest`, and produces `to` with digest `toDigest` (a mismatch asks for a full sync).
 */
export interface CibUpdate {
  readonly from: CibVersion;
  readonly to: CibVersion;
  /** Tree hashes (see treeHash) of the CIB before and after: equal versions with other content are caught. */
  readonly fromDigest: string;
  readonly toDigest: string;
  readonly configChanged: boolean;
  readonly patch: ElemPatch;
  /** Node the request came from and the operation, for the log ("cib_modify from server1"). */
  readonly origin: string;
  readonly op: string;
}

/** The CIB store's messages between nodes (the messaging layer signs, orders and splits them). */
export type CibMessage =
  /** A member forwards a client's change to the DC. */
  | { readonly t: 'cib-request'; readonly origin: string; readonly client: string; readonly change: CibChange }
  /** The DC answers the member that forwarded the request. */
  | { readonly t: 'cib-reply'; readonly client: string; readonly answer: CibAnswer }
  /** The DC's ordered update, to every member. */
  | { readonly t: 'cib-update'; readonly update: CibUpdate }
  /** A replica that cannot apply an update, or the DC joining a member with a newer CIB, asks for the whole CIB. */
  | { readonly t: 'cib-sync-request'; readonly from: string; readonly reason: string }
  /** A whole CIB: the DC's to its members (join, resync), or a member's to the DC when its CIB is the newest. */
  | { readonly t: 'cib-full'; readonly from: string; readonly cib: XEl; readonly digest: string; readonly join?: number }
  /** A member's offer of its CIB version to a new DC (join). */
  | { readonly t: 'cib-offer'; readonly from: string; readonly join: number; readonly version: CibVersion };

/** What the replica asks its adapters to do. */
export type CibEffect =
  | { readonly kind: 'send'; readonly to: string; readonly msg: CibMessage }
  | { readonly kind: 'broadcast'; readonly msg: CibMessage }
  /** Write the CIB to the state dir (the disk adapter coalesces writes). */
  | { readonly kind: 'persist'; readonly cib: XEl }
  /** Answer a local client (control socket) by the id it was given. */
  | { readonly kind: 'reply'; readonly client: string; readonly answer: CibAnswer }
  /** The CIB changed: the transition engine and crm_mon's watchers look at the new one. */
  | { readonly kind: 'changed'; readonly version: CibVersion; readonly configChanged: boolean }
  | { readonly kind: 'log'; readonly level: 'info' | 'notice' | 'warning' | 'error'; readonly text: string };
