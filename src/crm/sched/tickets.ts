// Ticket constraints (rsc_ticket) as Pacemaker 2.1.5 applies them when it unpacks constraints: a resource whose
// ticket is not granted, or is in standby, is banned from every node, or frozen where it runs (loss-policy=freeze).
import { type Cib, INFINITY, isTrue } from '../cib.js';
import type { Rsc } from './types.js';

/** What of the CIB's ticket constraints the scheduler refuses: roles (promotable clones) and fencing on loss. */
export function ticketUnsupported(cib: Cib): string[] {
  const stonith = isTrue(cib.options.get('stonith-enabled') ?? 'true');
  const out: string[] = [];
  for (const t of cib.tickets ?? []) {
    if (t.role !== undefined) out.push(`ticket rsc-role=${t.role} (${t.id})`);
    // Without fencing Pacemaker resets loss-policy=fence to stop (a config error); with it, nodes are fenced.
    if (t.lossPolicy === 'fence' && stonith) out.push(`ticket loss-policy=fence (${t.id})`);
  }
  return out;
}

/** The model's parts tickets need: resources by id, the leaves of a resource, every node's name, adding a score. */
interface TicketModel {
  readonly cib: Cib;
  readonly byId: ReadonlyMap<string, Rsc>;
  readonly leaves: (r: Rsc) => Rsc[];
  readonly nodeNames: readonly string[];
  readonly applyLoc: (r: Rsc, node: string, score: number) => void;
}

/**
 * constraints_for_ticket for every rsc_ticket, on the leaf primitives of its resource: not granted and active →
 * loss-policy (stop, demote without a role and fence without fencing ban it everywhere; freeze leaves it unmanaged
 * where it runs); not granted and inactive, or granted in standby → banned everywhere. A constraint naming no
 * known resource is ignored, as Pacemaker ignores it with a configuration error.
 */
export function applyTickets(m: TicketModel): void {
  const states = m.cib.ticketStates;
  for (const t of m.cib.tickets ?? []) {
    const r = m.byId.get(t.rsc);
    if (!r || t.ticket === '') continue;
    const st = states?.get(t.ticket) ?? { granted: false, standby: false };
    if (st.granted && !st.standby) continue;
    for (const leaf of m.leaves(r)) {
      const ban = (): void => { for (const n of m.nodeNames) m.applyLoc(leaf, n, -INFINITY); };
      if (!st.granted && leaf.runningOn.length > 0) {
        if (t.lossPolicy === 'freeze') { leaf.managed = false; leaf.blocked = true; leaf.frozen = true; } else ban();
      } else ban();
    }
  }
}



