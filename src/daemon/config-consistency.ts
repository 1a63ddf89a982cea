// Whether each peer runs with the same /etc/ha.d files as this node, from the `llcfg` digest in its status messages
// (membership keeps each peer's last digest): the view `lifeline status` shows, and the one log line per change.
import { createHash } from 'node:crypto';
import { digestDifferences, type DigestFile } from '../config/digest.js';
import type { LogLevel } from '../membership/index.js';

/** One peer as `lifeline status` shows it: its files agree with ours, differ (which ones), or it sends no digest. */
export type PeerConfigView = { readonly state: 'same' } | { readonly state: 'differs'; readonly files: readonly DigestFile[] } | { readonly state: 'unknown' };

/** Our digest against a peer's (undefined: it sends none, as heartbeat 3.0.6; null: no status from it yet). */
export function peerConfigView(ours: string, theirs: string | undefined | null): PeerConfigView {
  if (theirs === undefined || theirs === null) return { state: 'unknown' };
  const files = digestDifferences(ours, theirs);
  return files.length ? { state: 'differs', files } : { state: 'same' };
}

/** The line to log when a peer's view changed from `before` to `now` (its digest or ours changed), if any. */
export function consistencyLine(node: string, before: PeerConfigView, now: PeerConfigView): { level: LogLevel; text: string } | undefined {
  if (now.state === 'differs' && (before.state !== 'differs' || before.files.join() !== now.files.join())) {
    return { level: 'warn', text: `Configuration of node ${node} differs from ours: ${now.files.join(', ')} (lifeline check --cluster lists the lines)` };
  }
  if (now.state === 'same' && before.state === 'differs') return { level: 'info', text: `Configuration of node ${node} now matches ours` };
  return undefined;
}

// ---- The CIB's part (`crm on`) ----------------------------------------------------------------------------------
// The digest gains `cib=ADMIN_EPOCH.EPOCH-HASH`: the configuration section's version and a hash of its text.
// num_updates and the status section are left out on purpose: they change with every operation result and nodes
// legitimately differ in them for a moment. Even the configuration differs while the DC's update travels, so a
// mismatch is reported only when it outlasts the settle time. heartbeat 3.0.6 ignores `llcfg` altogether.

/** The CIB part of our digest, from the CIB version `a.e.n` and the configuration section as the local replica holds it. */
export function cibPart(version: string, configurationXml: string): string {
  const [admin, epoch] = version.split('.');
  return `${admin ?? 0}.${epoch ?? 0}-${createHash('sha256').update(configurationXml).digest('hex').slice(0, 8)}`;
}

/** The file digest with our CIB part appended (or none, in haresources mode). */
export function withCibPart(fileDigest: string, part: string | undefined): string {
  const files = fileDigest.split(' ').filter((p) => !p.startsWith('cib=')).join(' ');
  return part === undefined ? files : `${files} cib=${part}`;
}

/** A digest's CIB part, if it carries one. */
export function cibPartOf(digest: string | undefined | null): string | undefined {
  return digest?.split(' ').find((p) => p.startsWith('cib='))?.slice(4);
}

/** How long two CIBs may differ before it is logged: the DC's update reaches every member within a few keepalives. */
export function cibSettleMs(deadtimeMs: number): number {
  return Math.max(5000, 2 * deadtimeMs);
}

/** Per peer: since when its CIB part differs from ours, and whether that was logged. */
export type CibWatchState = ReadonlyMap<string, { readonly since: number; readonly warned: boolean }>;

/**
 * One look at a peer's CIB part against ours at `now`: starts the clock on a mismatch, logs it once it outlasts
 * `settleMs` (naming both nodes and versions), and says when it ends. No part on either side: nothing to compare.
 */
export function cibWatchStep(state: CibWatchState, look: { self: string; node: string; ours?: string; theirs?: string; now: number; settleMs: number }): { state: CibWatchState; line?: { level: LogLevel; text: string } } {
  const prev = state.get(look.node);
  const differs = look.ours !== undefined && look.theirs !== undefined && look.ours !== look.theirs;
  if (!differs) {
    if (!prev) return { state };
    const next = new Map(state); next.delete(look.node);
    return prev.warned && look.ours !== undefined && look.theirs !== undefined
      ? { state: next, line: { level: 'info', text: `CIB of node ${look.node} now matches ours: ${showPart(look.ours)}` } }
      : { state: next };
  }
  if (!prev) return { state: new Map(state).set(look.node, { since: look.now, warned: false }) };
  if (prev.warned || look.now - prev.since < look.settleMs) return { state };
  return {
    state: new Map(state).set(look.node, { since: prev.since, warned: true }),
    line: { level: 'warn', text: `CIB of node ${look.node} differs from ours for ${Math.round((look.now - prev.since) / 1000)} s: ${look.self} has ${showPart(look.ours!)}, ${look.node} has ${showPart(look.theirs!)} (cibadmin --query on both shows them)` },
  };
}

/** `0.12-3fa9c0d1` → `0.12 (configuration 3fa9c0d1)`: admin_epoch.epoch as crm_mon shows it, and the hash. */
function showPart(part: string): string {
  const [v, h] = part.split('-');
  return h ? `${v} (configuration ${h})` : part;
}
