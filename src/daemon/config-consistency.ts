// Whether each peer runs with the same /etc/ha.d files as this node, from the `llcfg` digest in its status messages:
// a mismatch is logged once when first seen (and once when it is resolved), and `lifeline status` shows it per node.
import { digestDifferences, type DigestFile } from '../config/digest.js';
import type { LogLevel } from '../membership/index.js';

/** One peer as `lifeline status` shows it: its files agree with ours, differ (which ones), or it sends no digest. */
export type PeerConfigView = { readonly state: 'same' } | { readonly state: 'differs'; readonly files: readonly DigestFile[] } | { readonly state: 'unknown' };

export class ConfigConsistency {
  /** Peer → its last advertised digest (undefined: it sends none, as heartbeat 3.0.6). */
  private readonly peers = new Map<string, string | undefined>();

  constructor(private ours: string, private readonly log: (level: LogLevel, text: string) => void) {}

  /** A peer's digest was first seen or changed. */
  onPeer(node: string, digest: string | undefined): void {
    const before = this.view(node);
    this.peers.set(node, digest);
    this.report(node, before);
  }

  /** Our files changed (reload): every peer is compared again. */
  setOurs(digest: string): void {
    const before = new Map([...this.peers.keys()].map((n) => [n, this.view(n)]));
    this.ours = digest;
    for (const [n, v] of before) this.report(n, v);
  }

  view(node: string): PeerConfigView {
    const d = this.peers.get(node);
    if (d === undefined) return { state: 'unknown' };
    const files = digestDifferences(this.ours, d);
    return files.length ? { state: 'differs', files } : { state: 'same' };
  }

  private report(node: string, before: PeerConfigView): void {
    const now = this.view(node);
    if (now.state === 'differs' && (before.state !== 'differs' || before.files.join() !== now.files.join())) {
      this.log('warn', `Configuration of node ${node} differs from ours: ${now.files.join(', ')} (lifeline check --cluster lists the lines)`);
    } else if (now.state === 'same' && before.state === 'differs') {
      this.log('info', `Configuration of node ${node} now matches ours`);
    }
  }
}
