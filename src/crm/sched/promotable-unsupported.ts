// What the scheduler refuses about promotable clones (roles in constraints, histories it cannot replay yet).
// Part of the one refused list (unsupportedFeatures() in unsupported.ts); pure.
import type { Cib } from '../cib.js';

/** Refused promotable-clone features of `cib`; `statusToo` = look at the status section as well. */
export function promotableUnsupported(cib: Cib, statusToo: boolean): string[] {
  const out: string[] = [];
  const promotable = new Map<string, string>();
  for (const r of cib.resources) if (r.kind === 'clone' && r.promotable) { promotable.set(r.id, r.id); promotable.set(r.child.id, r.id); }
  // A role filter is decided only as Pacemaker uses it: Promoted, on the promotable clone itself.
  for (const l of cib.locations) {
    for (const role of [l.role, ...l.rules.map((r) => r.role)]) {
      if (role === undefined) continue;
      if (promotable.get(l.rsc) !== l.rsc || role !== 'Promoted') { out.push(`location role=${role} (${l.id})`); break; }
    }
  }
  for (const c of cib.colocations) if (c.rscRole || c.withRscRole) out.push(`colocation with role (${c.id})`);
  for (const o of cib.orders) {
    if (!['start', 'stop'].includes(o.firstAction) || !['start', 'stop'].includes(o.thenAction)) out.push(`order actions ${o.firstAction}/${o.thenAction} (${o.id})`);
  }
  if (promotable.size === 0) return out;
  const nqp = cib.options.get('no-quorum-policy') ?? 'stop';
  // Without quorum, which role changes stay runnable is not modelled yet.
  if (statusToo && !cib.haveQuorum && nqp !== 'ignore') out.push(`promotable clone without quorum (no-quorum-policy=${nqp})`);
  for (const n of statusToo ? cib.nodes : []) {
    for (const [rid, ops] of n.history) {
      if (!promotable.has(rid.replace(/:\d+$/, ''))) continue;
      // A failed demote leaves roles (and on-fail=block) that are not replayed yet.
      if (ops.some((op) => op.operation === 'demote' && (op.rc !== op.expectedRc || op.opStatus !== 0))) out.push(`failed demote (${rid} on ${n.uname})`);
    }
  }
  return out;
}
