// The typed form of one haresources line: which node prefers a group, and its resources in start order.
// Shared by the parser (src/config), the failover machine (src/resources) and the CLI.

import type { NodeName } from '../types.js';

/** One resource of a group as written: `IPaddr::10.0.0.5/24/eth0` → type `IPaddr`, args [`10.0.0.5/24/eth0`]. */
export interface ResourceSpec {
  /** Resource kind: `IPaddr`, `IPaddr2`, `OCF`, a resource.d or /etc/init.d script name, ... A bare address becomes `IPaddr`. */
  readonly type: string;
  /** The `::`-separated arguments, passed to the script before the action. */
  readonly args: readonly string[];
  /** The word exactly as written in haresources, for logs and for heartbeat's `rsc_hold`/resource ids. */
  readonly text: string;
}

/** One haresources group: started in order on its preferred node, stopped in reverse. */
export interface ResourceGroup {
  /** The first word of the line: the node that owns the group when auto_failback says so. */
  readonly preferredNode: NodeName;
  readonly resources: readonly ResourceSpec[];
  /** Line in haresources where the group starts (for diagnostics). */
  readonly line: number;
}
