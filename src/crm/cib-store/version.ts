// The CIB's version triple admin_epoch.epoch.num_updates and Pacemaker's rules for it: how a change bumps it
// and which of two CIBs is the newer (cib_compare_generation / the DC's join rule in controld_join_dc.c).
import { getAttr, type XEl } from '../xml-lite.js';

/** admin_epoch, epoch, num_updates of one CIB: the admin bumps admin_epoch, configuration changes epoch, status num_updates. */
export interface CibVersion {
  readonly adminEpoch: number;
  readonly epoch: number;
  readonly numUpdates: number;
}

/** Reads one counter as Pacemaker's pcmk__scan_ll does for the comparison: absent or not a number counts as -1. */
function counter(cib: XEl, name: string): number {
  const v = getAttr(cib, name);
  if (v === undefined) return -1;
  const m = /^\s*[+-]?\d+/.exec(v);
  return m ? parseInt(m[0], 10) : -1;
}

/** The version of a `<cib>` element (missing counters read as -1, so any written CIB beats one without them). */
export function versionOf(cib: XEl): CibVersion {
  return { adminEpoch: counter(cib, 'admin_epoch'), epoch: counter(cib, 'epoch'), numUpdates: counter(cib, 'num_updates') };
}

/** Pacemaker's ordering: admin_epoch first, then epoch, then num_updates. Negative: a is older; 0: same version. */
export function compareVersions(a: CibVersion, b: CibVersion): number {
  return Math.sign(a.adminEpoch - b.adminEpoch) || Math.sign(a.epoch - b.epoch) || Math.sign(a.numUpdates - b.numUpdates);
}

/** True when `a` is a strictly older configuration than `b` (admin_epoch or epoch lower): status updates do not count. */
export function olderConfiguration(a: CibVersion, b: CibVersion): boolean {
  return a.adminEpoch < b.adminEpoch || (a.adminEpoch === b.adminEpoch && a.epoch < b.epoch);
}

/** `0.12.3`, the form Pacemaker's logs and cibadmin use. */
export function formatVersion(v: CibVersion): string {
  return `${v.adminEpoch}.${v.epoch}.${v.numUpdates}`;
}

/** The version after a change: a configuration change bumps epoch and resets num_updates, a status change bumps num_updates. */
export function bumpVersion(v: CibVersion, configChanged: boolean): CibVersion {
  const base = { adminEpoch: Math.max(0, v.adminEpoch), epoch: Math.max(0, v.epoch), numUpdates: Math.max(0, v.numUpdates) };
  return configChanged ? { ...base, epoch: base.epoch + 1, numUpdates: 0 } : { ...base, numUpdates: base.numUpdates + 1 };
}

/** One node's offer of its CIB version during a join. */
export interface VersionOffer {
  readonly node: string;
  readonly version: CibVersion;
}

/**
 * The DC's choice of the newest CIB among the join offers (do_dc_join_filter_offer): offers are taken in arrival
 * order, a strictly newer one replaces the best so far, and on a tie the DC's own CIB is preferred.
 */
export function newestOffer(offers: readonly VersionOffer[], dc: string): VersionOffer | undefined {
  let best: VersionOffer | undefined;
  for (const o of offers) {
    if (!best) { best = o; continue; }
    const cmp = compareVersions(best.version, o.version);
    if (cmp < 0 || (cmp === 0 && o.node.toLowerCase() === dc.toLowerCase())) best = o;
  }
  return best;
}
