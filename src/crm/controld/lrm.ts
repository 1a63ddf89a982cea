// A node's own operation history (its executor's truth, kept by its controller) and the DC's status-section edits
// built on tengine/status.ts: a member's history taken whole at join, node_state fields, <cib> attributes, <node> entries.
import type { XEl } from '../xml-lite.js';
import { getAttr } from '../xml-lite.js';
import { el, withAttrs, withKids } from '../cib-store/tree.js';
import { editNodeState, recordOp, setNodeMembership, type OpRecord } from '../tengine/status.js';

/** The history of this node's resources as the status section's `<lrm>` of its node_state would hold it. */
export class LocalLrm {
  private cib: XEl;
  constructor(readonly self: string) {
    this.cib = el('cib', [], [el('configuration', [], [el('nodes')]), el('status')]);
  }
  record(r: OpRecord): void { this.cib = recordOp(this.cib, r); }
  /** The `<lrm>` element (empty when nothing ran yet). */
  lrm(): XEl {
    const ns = this.cib.kids.find((k) => k.tagName === 'status')?.kids.find((k) => k.tagName === 'node_state');
    return ns?.kids.find((k) => k.tagName === 'lrm') ?? el('lrm', ['id', this.self], [el('lrm_resources')]);
  }
}

/** The node's id in <nodes>, else its name. */
export function nodeIdOf(cib: XEl, uname: string): string {
  const nodes = cib.kids.find((k) => k.tagName === 'configuration')?.kids.find((k) => k.tagName === 'nodes');
  const n = nodes?.kids.find((k) => k.tagName === 'node' && getAttr(k, 'uname') === uname);
  return (n && getAttr(n, 'id')) ?? uname;
}

/** A member's history replaces what the status section held of it (the join); `fresh` also drops its attributes. */
export function setNodeHistory(cib: XEl, uname: string, lrm: XEl, fresh: boolean): XEl {
  const id = nodeIdOf(cib, uname);
  return editNodeState(cib, uname, (ns) => {
    const kids = ns.kids.filter((k) => k.tagName !== 'lrm' && !(fresh && k.tagName === 'transient_attributes'));
    return withKids(ns, [...kids, withAttrs(lrm, { id })]);
  });
}

/** A node left the partition: offline, its history and transient attributes dropped (no fencing: assumed stopped). */
/** A node that left the membership while fencing is enabled: down but still expected, its history kept (the
 *  scheduler finds it unclean: "peer is no longer part of the cluster"). */
export function setNodeDown(cib: XEl, uname: string): XEl {
  const status = cib.kids.find((k) => k.tagName === 'status');
  if (!status?.kids.some((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname)) return cib;
  return editNodeState(cib, uname, (ns) => withAttrs(ns, { in_ccm: 'false', crmd: 'offline', join: 'down' }));
}

export function setNodeLost(cib: XEl, uname: string): XEl {
  const status = cib.kids.find((k) => k.tagName === 'status');
  if (!status?.kids.some((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === uname)) return cib;
  return editNodeState(setNodeMembership(cib, uname, false), uname, (ns) => withKids(ns, ns.kids.filter((k) => k.tagName !== 'lrm' && k.tagName !== 'transient_attributes')));
}

/** Membership and the DC's attributes as Pacemaker's DC writes them after a join: node_state of every member
 *  online, `<node>` entries for members the configuration lacks, `have-quorum` and `dc-uuid` on `<cib>`. */
export function writeMembership(cib0: XEl, dc: string, members: readonly string[], quorate: boolean): XEl {
  let cib = ensureNodes(cib0, members);
  for (const m of members) cib = setNodeMembership(cib, m, true);
  return withAttrs(cib, { 'have-quorum': quorate ? '1' : '0', 'dc-uuid': nodeIdOf(cib, dc) });
}

/** Adds `<node id=NAME uname=NAME/>` for each name without an entry (Pacemaker's populate_cib_nodes). */
export function ensureNodes(cib: XEl, names: readonly string[]): XEl {
  const ci = cib.kids.findIndex((k) => k.tagName === 'configuration');
  if (ci < 0) return cib;
  const conf = cib.kids[ci]!;
  let ni = conf.kids.findIndex((k) => k.tagName === 'nodes');
  const confKids = conf.kids.slice();
  if (ni < 0) { confKids.unshift(el('nodes')); ni = 0; }
  const nodes = confKids[ni]!;
  const have = new Set(nodes.kids.map((k) => getAttr(k, 'uname')));
  const missing = names.filter((n) => !have.has(n));
  if (!missing.length) return cib;
  confKids[ni] = withKids(nodes, [...nodes.kids, ...missing.map((n) => el('node', ['id', n, 'uname', n]))]);
  const kids = cib.kids.slice();
  kids[ci] = withKids(conf, confKids);
  return withKids(cib, kids);
}
