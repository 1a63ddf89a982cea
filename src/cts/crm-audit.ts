// The `crm on` campaign's audits, pure: the group (Dummy + IPaddr2) on exactly one node of the quorate partition,
// one DC with quorum, the same CIB on every member with every committed change in it, the daemons the model says.
import { CRM_NODES, type CrmExpectation, type CrmNode } from './crm-plan.js';

/** What the campaign sees of one node at one moment. */
export interface CrmNodeObservation {
  readonly daemonAlive: boolean;
  readonly hasVip: boolean;
  /** Dummy's state file exists: the agent says it runs. */
  readonly dummy: boolean;
  /** `crm_status` through the control socket (`idle`: a DC with no transition running or due); undefined when it did not answer. */
  readonly crm?: { readonly dc: string | null; readonly quorum: boolean; readonly members: readonly string[]; readonly idle: boolean };
  /** The whole CIB from `cib_query` through the node's control socket. */
  readonly cib?: string;
}

export type CrmObservation = Readonly<Record<CrmNode, CrmNodeObservation>>;

/** The version of a CIB's text (`admin_epoch.epoch.num_updates`), or '?' when it has none. */
export function cibVersion(xml: string): string {
  const tag = /<cib\b[^>]*>/.exec(xml)?.[0] ?? '';
  const a = (n: string) => new RegExp(`\\b${n}="(\\d+)"`).exec(tag)?.[1] ?? '?';
  return `${a('admin_epoch')}.${a('epoch')}.${a('num_updates')}`;
}

/** Failures of a settled observation; empty when all is well. `marks` are the committed ids that must be in every CIB. */
export function auditCrm(e: CrmExpectation, o: CrmObservation, marks: readonly string[]): string[] {
  const out: string[] = [];
  const up = CRM_NODES.filter((n) => e.model.up[n]);
  for (const n of CRM_NODES) {
    if (o[n].daemonAlive !== e.model.up[n]) out.push(e.model.up[n] ? `the daemon on ${n} is gone, though the campaign did not kill it` : `a daemon runs on ${n}, though the campaign killed it`);
  }
  const vip = CRM_NODES.filter((n) => o[n].hasVip);
  const dummy = CRM_NODES.filter((n) => o[n].dummy);
  if (vip.length !== e.copies || dummy.length !== e.copies || vip.join() !== dummy.join()) {
    out.push(`the group should run on ${e.copies} node(s): VIP on [${vip.join(', ')}], Dummy on [${dummy.join(', ')}]`);
  }
  for (const n of vip) if (!e.model.up[n]) out.push(`the VIP is on ${n}, whose daemon is not running`);
  const dcs = new Set(up.map((n) => o[n].crm?.dc ?? 'none'));
  if (dcs.size !== 1 || dcs.has('none') || !up.includes([...dcs][0] as CrmNode)) out.push(`the members do not agree on one running DC: ${up.map((n) => `${n}→${o[n].crm?.dc ?? 'none'}`).join(', ')}`);
  for (const n of up) {
    const c = o[n].crm;
    if (!c) { out.push(`${n} does not answer crm_status`); continue; }
    if (c.quorum !== up.length >= 2) out.push(`${n} says quorum ${c.quorum ? 'yes' : 'no'} with ${up.length} of 3 nodes up`);
    if ([...c.members].sort().join() !== up.join()) out.push(`${n}'s members are [${c.members.join(', ')}], running are [${up.join(', ')}]`);
    // Only the DC has a transition engine: `idle` is false on the others by design.
    if (c.dc === n && !c.idle) out.push(`the DC ${n} is not idle (a transition runs or waits)`);
  }
  const cibs = up.map((n) => o[n].cib);
  if (up.length >= 2 && cibs.every((c) => c !== undefined)) {
    const first = cibs[0]!;
    for (const [k, n] of up.entries()) {
      if (k > 0 && cibs[k] !== first) out.push(`${n}'s CIB (${cibVersion(cibs[k]!)}) differs from ${up[0]}'s (${cibVersion(first)})`);
    }
  } else if (up.length >= 2) out.push(`cib_query failed on ${up.filter((n) => o[n].cib === undefined).join(', ')}`);
  for (const n of up) {
    const cib = o[n].cib ?? '';
    const lost = marks.filter((m) => !cib.includes(`id="${m}"`));
    if (lost.length) out.push(`${n}'s CIB lacks ${lost.length} committed change(s): ${lost.slice(0, 5).join(', ')}`);
  }
  return out;
}
