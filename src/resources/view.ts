// What an administrator asks of the ownership machine: heartbeat's `cl_status rscstatus` word and, per group, who
// runs it. Pure: read from a ResourceState, used by the daemon's control socket (`lifeline status`, `cl_status`).

import type { NodeName } from '../types.js';
import { groupKey, groupLine, type ResourceState } from './machine.js';
import { RSC_WORDS } from './messages.js';

/** heartbeat's get_resources answer: what this node holds, or `transition` while that is changing. */
export type RscStatus = 'none' | 'local' | 'foreign' | 'all' | 'transition';

/** One haresources group as `lifeline status` shows it. */
export interface GroupView {
  /** The group's key (its first resource as written), as `ResourceManager listkeys` prints it. */
  readonly key: string;
  /** The haresources line. */
  readonly line: string;
  readonly preferredNode: string;
  /** Who runs it as far as this node knows: itself (from its agents' results), the peer (from its resource messages), or nobody. */
  readonly heldBy: NodeName | null;
}

/** What the resource layer reports on the control socket. */
export interface ResourceView {
  readonly rscstatus: RscStatus;
  readonly autoFailback: string;
  readonly peer: NodeName;
  readonly groups: readonly GroupView[];
}

/**
 * heartbeat answers `transition` unless its resource state is stable; Lifeline also answers it while an agent
 * runs or is queued, so that a script polling `cl_status rscstatus` for `all` sees `all` only once it is true.
 */
export function rscStatus(s: ResourceState): RscStatus {
  if (s.rstate !== 'stable' || s.running !== undefined || s.queue.length > 0) return 'transition';
  return RSC_WORDS[s.iHold & 3] ?? 'none';
}

/** The machine's view of every group: held here, held by the peer (its last `resource` message), or by nobody. */
export function resourceView(s: ResourceState): ResourceView {
  const { me, peer } = s.cfg;
  const groups = s.cfg.groups.map((g, i): GroupView => {
    // The peer's bits are in its own terms: its "local" groups are the ones preferring it.
    const peerBit = g.preferredNode === peer ? 1 : 2;
    const peerHolds = !s.peerDead && (s.otherHolds & peerBit) !== 0;
    const heldBy = s.held[i] ? me : peerHolds ? peer : null;
    return { key: groupKey(g), line: groupLine(g), preferredNode: g.preferredNode, heldBy };
  });
  return { rscstatus: rscStatus(s), autoFailback: s.cfg.autoFailback, peer, groups };
}
