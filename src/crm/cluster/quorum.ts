// Quorum of a partition: more than half of the configured nodes, and the two-node exception as corosync's
// `two_node: 1` (with its implied `wait_for_all`) gives it to Pacemaker.

/** What quorum is computed from. */
export interface QuorumInput {
  /** The nodes of ha.cf (`node` lines): the expected votes. */
  readonly configured: readonly string[];
  /** The members of this node's partition, itself included. */
  readonly members: readonly string[];
  /** True once this node has seen every configured node alive since it started (two_node's wait_for_all). */
  readonly seenAll: boolean;
}

/**
 * Has this partition quorum? Majority of the configured nodes (members outside ha.cf do not count). With exactly two
 * configured nodes a single survivor keeps quorum, but only after both were seen once since start: two nodes that
 * never met do not both run everything (wait_for_all). Fencing is what makes that safe; see docs/crm.md.
 */
export function hasQuorum(q: QuorumInput): boolean {
  const conf = new Set(q.configured.map((n) => n.toLowerCase()));
  const present = new Set(q.members.map((n) => n.toLowerCase()).filter((n) => conf.has(n))).size;
  if (conf.size === 2) return present === 2 || (present === 1 && q.seenAll);
  return present * 2 > conf.size;
}
