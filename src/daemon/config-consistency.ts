// Whether each peer runs with the same /etc/ha.d files as this node, from the `llcfg` digest in its status messages
// (membership keeps each peer's last digest): the view `lifeline status` shows, and the one log line per change.
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
