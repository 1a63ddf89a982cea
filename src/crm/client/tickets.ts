// Pure: what crm_ticket reads and writes in a CIB: the tickets known (ticket_state in the status section, and
// those only named by rsc_ticket constraints), their lines as crm_ticket prints them, and the CibRequests it sends.
import type { CibRequest } from '../contract.js';
import { getAttr, type XEl } from '../xml-lite.js';

/** One ticket as crm_ticket's working set holds it: granted, standby, and every attribute of its state. */
export interface TicketInfo {
  readonly id: string;
  readonly granted: boolean;
  readonly standby: boolean;
  /** The ticket_state's attributes but its id, in document order; absent for a ticket only constraints name. */
  readonly state: ReadonlyArray<readonly [string, string]>;
  readonly lastGranted?: number;
  /** Whether a ticket_state element exists for it. */
  readonly hasState: boolean;
}

const kid = (e: XEl | undefined, tag: string): XEl | undefined => e?.kids.find((k) => k.tagName === tag);
const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|yes|on|y|1)$/i.test(v);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The `<tickets>` element of the status section. */
export const ticketsElement = (cib: XEl): XEl | undefined => kid(kid(cib, 'status'), 'tickets');

/** The ticket_state of `id`, if any. */
export function ticketState(cib: XEl, id: string): XEl | undefined {
  return ticketsElement(cib)?.kids.find((k) => k.tagName === 'ticket_state' && getAttr(k, 'id') === id);
}

/** The rsc_ticket constraints (of one ticket, or all). */
export function ticketConstraints(cib: XEl, ticket?: string): XEl[] {
  const cons = kid(kid(cib, 'configuration'), 'constraints');
  return (cons?.kids ?? []).filter((k) => k.tagName === 'rsc_ticket' && (ticket === undefined || getAttr(k, 'ticket') === ticket));
}

/** Every ticket: those with a state first (document order), then those only constraints name (never granted). */
export function knownTickets(cib: XEl): TicketInfo[] {
  const out = new Map<string, TicketInfo>();
  for (const t of ticketsElement(cib)?.kids ?? []) {
    const id = getAttr(t, 'id');
    if (t.tagName !== 'ticket_state' || !id || out.has(id)) continue;
    const state: Array<[string, string]> = [];
    for (let i = 0; i < t.attrs.length; i += 2) if (t.attrs[i] !== 'id') state.push([t.attrs[i]!, t.attrs[i + 1]!]);
    const lg = getAttr(t, 'last-granted');
    out.set(id, { id, granted: truthy(getAttr(t, 'granted')), standby: truthy(getAttr(t, 'standby')), state, hasState: true,
      ...(lg !== undefined && /^\d+$/.test(lg) ? { lastGranted: Number(lg) } : {}) });
  }
  for (const c of ticketConstraints(cib)) {
    const id = getAttr(c, 'ticket');
    if (id && !out.has(id)) out.set(id, { id, granted: false, standby: false, state: [], hasState: false });
  }
  return [...out.values()];
}

/** asctime(localtime(t)) without its newline, quoted: how crm_ticket prints last-granted and expires. */
export function ticketDate(epochS: number): string {
  const d = new Date(epochS * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]!;
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]!;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `'${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}'`;
}

/** One ticket's line of `--info` (details false) or `--details`, or its id alone (`--raw`). */
export function ticketLine(t: TicketInfo, mode: 'info' | 'details' | 'raw'): string {
  if (mode === 'raw') return t.id;
  const head = `${t.id}\t${t.granted ? 'granted' : 'revoked'} ${t.standby ? '[standby]' : '         '}`;
  if (mode === 'details' && t.state.length > 0) {
    const fields = t.state.map(([k, v]) => `${k}=${(k === 'last-granted' || k === 'expires') ? ticketDate(parseInt(v, 10) || 0) : v}`);
    return `${head} (${fields.join(', ')})`;
  }
  return t.lastGranted !== undefined ? `${head} last-granted=${ticketDate(t.lastGranted)}` : head;
}

/**
 * The change crm_ticket makes: attributes set (granted/standby and -S/-v pairs) and deleted (-D) on the ticket's
 * state. With deletions on an existing state the whole ticket_state is replaced (as crm_ticket does); otherwise a
 * modify of `<status><tickets><ticket_state>`. `now` stamps last-granted when a not-granted ticket is granted.
 */
export function modifyTicketRequest(cib: XEl, id: string, set: ReadonlyArray<readonly [string, string]>, del: readonly string[], now: number): CibRequest | undefined {
  const existing = ticketState(cib, id);
  if (!existing && set.length === 0) return undefined;
  const attrs = new Map<string, string>();
  if (existing) for (let i = 0; i < existing.attrs.length; i += 2) attrs.set(existing.attrs[i]!, existing.attrs[i + 1]!);
  attrs.set('id', id);
  for (const d of del) attrs.delete(d);
  const wasGranted = knownTickets(cib).find((t) => t.id === id)?.granted ?? false;
  for (const [k, v] of set) {
    attrs.set(k, v);
    if (k.toLowerCase() === 'granted' && !wasGranted && truthy(v)) attrs.set('last-granted', String(now));
  }
  const el = `<ticket_state ${[...attrs].map(([k, v]) => `${k}="${esc(v)}"`).join(' ')}/>`;
  if (existing && del.length > 0) return { cmd: 'cib_replace', section: 'status', xml: el };
  return { cmd: 'cib_modify', section: 'status', xml: `<status><tickets>${el}</tickets></status>` };
}

/** The removal of a ticket's state (crm_ticket --cleanup). */
export const deleteTicketRequest = (id: string): CibRequest => ({ cmd: 'cib_delete', section: 'status', xml: `<ticket_state id="${esc(id)}"/>` });
