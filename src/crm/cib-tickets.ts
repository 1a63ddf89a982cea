// Tickets in the CIB: `rsc_ticket` constraints (a resource that may run only while its cluster holds a ticket) and
// the `<tickets><ticket_state>` of the status section that says which tickets are granted or in standby.
import { getAttr, type XEl } from './xml-lite.js';

/** rsc_ticket: `rsc` depends on `ticket`; what happens on its loss is `lossPolicy` (Pacemaker's default: stop). */
export interface TicketCons {
  readonly id: string;
  readonly rsc: string;
  readonly ticket: string;
  /** `rsc-role`; undefined for none or Started (the constraint then applies to every role). */
  readonly role?: string;
  /** As written, lower-cased; undefined when absent. */
  readonly lossPolicy?: string;
}

/** A ticket's state; a ticket never mentioned in the status section is neither granted nor in standby. */
export interface TicketState {
  readonly granted: boolean;
  readonly standby: boolean;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|yes|on|y|1)$/i.test(v);

/** One `rsc_ticket` element (its `resource_set` form is refused before this is called). */
export function parseTicketConstraint(e: XEl): TicketCons {
  const role = getAttr(e, 'rsc-role');
  const loss = getAttr(e, 'loss-policy');
  return {
    id: getAttr(e, 'id') ?? '', rsc: getAttr(e, 'rsc') ?? '', ticket: getAttr(e, 'ticket') ?? '',
    ...(role !== undefined && role.toLowerCase() !== 'started' ? { role } : {}),
    ...(loss !== undefined ? { lossPolicy: loss.toLowerCase() } : {}),
  };
}

/** The `<tickets>` element of the status section → state per ticket id. */
export function parseTicketStates(tickets: XEl | undefined): Map<string, TicketState> {
  const out = new Map<string, TicketState>();
  for (const t of tickets?.kids ?? []) {
    if (t.tagName !== 'ticket_state') continue;
    const id = getAttr(t, 'id');
    if (id) out.set(id, { granted: truthy(getAttr(t, 'granted')), standby: truthy(getAttr(t, 'standby')) });
  }
  return out;
}
