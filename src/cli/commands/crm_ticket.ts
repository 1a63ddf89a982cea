// `crm_ticket`: Pacemaker's tool for the tickets of this cluster site: list them (-l, -L, -w), show their XML (-q)
// and constraints (-c), grant/revoke (with --force), standby/activate, get/set/delete attributes, clean up.
import { opt, RC_USAGE } from '../../crm/client/args.js';
import { cibRequest, cibTarget, isFailure, queryCib } from '../../crm/client/cib-client.js';
import { deleteTicketRequest, knownTickets, modifyTicketRequest, ticketConstraints, ticketLine, ticketsElement, ticketState } from '../../crm/client/tickets.js';
import { printXml } from '../../crm/client/attrs.js';
import { el } from '../../crm/cib-store/tree.js';

export const summary = 'crm_ticket: list, grant, revoke, standby or activate the tickets of this cluster site (Pacemaker\'s tool)';

/** Pacemaker's exit codes used here. */
const RC = { NOSUCH: 105, INSUFFICIENT_PRIV: 4 } as const;

/** The options in order: each command letter sets the mode; -S/-v pair up as Pacemaker's callbacks do. */
const SPECS = [
  opt('ticket', 't', 'ticket', true), opt('info', 'l', 'info'), opt('details', 'L', 'details'), opt('raw', 'w', 'raw'),
  opt('query-xml', 'q', 'query-xml'), opt('constraints', 'c', 'constraints'), opt('grant', 'g', 'grant'), opt('revoke', 'r', 'revoke'),
  opt('standby', 's', 'standby'), opt('activate', 'a', 'activate'), opt('get-attr', 'G', 'get-attr', true), opt('set-attr', 'S', 'set-attr', true),
  opt('delete-attr', 'D', 'delete-attr', true), opt('cleanup', 'C', 'cleanup'), opt('attr-value', 'v', 'attr-value', true),
  opt('default', 'd', 'default', true), opt('force', 'f', 'force'), opt('verbose', 'V', 'verbose'), opt('run-dir', undefined, 'run-dir', true),
];

interface Cmd {
  mode: 'S' | 'l' | 'L' | 'w' | 'q' | 'c' | 'G' | 'C';
  ticket?: string; getAttr?: string; def?: string; force: boolean; runDir?: string;
  set: Array<[string, string]>; del: string[];
  /** A -S or -v still waiting for its other half. */
  pendingName?: string; pendingValue?: string;
}

/** Walks argv in order (the set pairs and the last command letter depend on it). */
function parse(argv: readonly string[]): Cmd | string {
  const c: Cmd = { mode: 'S', force: false, set: [], del: [] };
  const setKv = (k: string, v: string) => { const i = c.set.findIndex(([x]) => x === k); if (i >= 0) c.set[i] = [k, v]; else c.set.push([k, v]); };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const long = a.startsWith('--') ? a.slice(2).split('=')[0]! : undefined;
    const spec = long !== undefined ? SPECS.find((s) => s.long.includes(long)) : a.startsWith('-') && a.length >= 2 ? SPECS.find((s) => s.short === a[1]) : undefined;
    if (!spec) return a.startsWith('-') ? `unrecognized option '${a}'` : `unexpected argument '${a}'`;
    let v: string | undefined;
    if (spec.value) {
      v = long !== undefined ? (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]) : a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) return `option '${a}' requires an argument`;
    } else if (long === undefined && a.length > 2) return `unrecognized option '${a}'`;
    switch (spec.key) {
      case 'ticket': c.ticket = v; break;
      case 'info': c.mode = 'l'; break;
      case 'details': c.mode = 'L'; break;
      case 'raw': c.mode = 'w'; break;
      case 'query-xml': c.mode = 'q'; break;
      case 'constraints': c.mode = 'c'; break;
      case 'cleanup': c.mode = 'C'; break;
      case 'get-attr': c.mode = 'G'; c.getAttr = v; break;
      case 'grant': setKv('granted', 'true'); break;
      case 'revoke': setKv('granted', 'false'); break;
      case 'standby': setKv('standby', 'true'); break;
      case 'activate': setKv('standby', 'false'); break;
      case 'delete-attr': c.del.push(v!); break;
      case 'set-attr': c.pendingName = v; break;
      case 'attr-value': c.pendingValue = v; break;
      case 'default': c.def = v; break;
      case 'force': c.force = true; break;
      case 'run-dir': c.runDir = v; break;
    }
    if (c.pendingName !== undefined && c.pendingValue !== undefined) { setKv(c.pendingName, c.pendingValue); delete c.pendingName; delete c.pendingValue; }
  }
  return c;
}

/** crm_ticket's warning before a grant or revoke without --force (printed on stdout, as it does). */
function warning(id: string, action: 'grant' | 'revoke'): string {
  const head = action === 'grant'
    ? `This command cannot help you verify whether '${id}' has been already granted elsewhere.\n`
    : `Revoking '${id}' can trigger the specified 'loss-policy'(s) relating to '${id}'.\n\nYou can check that with:\n` +
      `crm_ticket --ticket ${id} --constraints\n\nOtherwise before revoking '${id}', you may want to make '${id}' standby with:\n` +
      `crm_ticket --ticket ${id} --standby\n\n`;
  return `${head}If you really want to ${action} '${id}' ${action === 'grant' ? 'to' : 'from'} this site now, and you know what you are doing,\nplease specify --force.\n`;
}

const isTrue = (v: string) => /^(true|yes|on|y|1)$/i.test(v);

export async function run(argv: readonly string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const fail = (rc: number, msg: string) => { process.stderr.write(`crm_ticket: ${msg}\n`); return rc; };
  const c = parse(argv);
  if (typeof c === 'string') return fail(RC_USAGE, c);
  const target = cibTarget(process.env, c.runDir);
  const cib = await queryCib(target);
  if (isFailure(cib)) return fail(cib.rc, `Could not get local CIB: ${cib.error}`);
  const tickets = knownTickets(cib);
  const find = (id: string) => tickets.find((t) => t.id === id);
  const modified = c.set.length > 0 || c.del.length > 0;

  if (c.mode === 'l' || c.mode === 'L' || c.mode === 'w') {
    const how = c.mode === 'l' ? 'info' : c.mode === 'L' ? 'details' : 'raw';
    if (c.ticket !== undefined) {
      const t = find(c.ticket);
      if (!t) return fail(RC.NOSUCH, `No such ticket '${c.ticket}'`);
      out(`${ticketLine(t, how)}\n`);
    } else for (const t of tickets) out(`${ticketLine(t, how)}\n`);
    return 0;
  }
  if (c.mode === 'q') {
    const x = c.ticket !== undefined ? ticketState(cib, c.ticket) : ticketsElement(cib);
    if (!x) return fail(RC.NOSUCH, 'Could not query ticket XML: No such device or address');
    out(`State XML:\n\n${printXml(x)}`);
    return 0;
  }
  if (c.mode === 'c') {
    const cons = ticketConstraints(cib, c.ticket);
    if (cons.length === 0) return fail(RC.NOSUCH, 'Could not show ticket constraints: No such device or address');
    out(`Constraints XML:\n\n${printXml(cons.length === 1 ? cons[0]! : el('xpath-query', [], cons))}`);
    return 0;
  }
  if (c.mode === 'G') {
    if (c.ticket === undefined) return fail(RC.NOSUCH, 'Must supply ticket ID with -t');
    const v = find(c.ticket)?.state.find(([k]) => k === c.getAttr)?.[1];
    if (v !== undefined) { out(`${v}\n`); return 0; }
    if (c.def !== undefined) { out(`${c.def}\n`); return 0; }
    return RC.NOSUCH;
  }
  if (c.mode === 'C') {
    if (c.ticket === undefined) return fail(RC_USAGE, 'Must supply ticket ID with -t');
    if (!c.force) {
      const t = find(c.ticket);
      if (!t) return fail(RC.NOSUCH, `No such ticket '${c.ticket}'`);
      if (t.granted) { out(warning(c.ticket, 'revoke')); return RC.INSUFFICIENT_PRIV; }
    }
    if (!ticketState(cib, c.ticket)) return 0;
    const a = await cibRequest(target, deleteTicketRequest(c.ticket));
    if (!a.ok) return fail(a.rc, `Could not clean up ticket: ${a.error}`);
    out(`Cleaned up ${c.ticket}\n`);
    return 0;
  }
  if (modified) {
    if (c.ticket === undefined) return fail(RC_USAGE, 'Must supply ticket ID with -t');
    if (!c.force) {
      const granted = c.set.find(([k]) => k === 'granted');
      if (granted || c.del.some((d) => d.toLowerCase() === 'granted')) {
        out(warning(c.ticket, granted && isTrue(granted[1]) ? 'grant' : 'revoke'));
        return fail(RC.INSUFFICIENT_PRIV, 'Ticket modification not allowed');
      }
    }
    const req = modifyTicketRequest(cib, c.ticket, c.set, c.del, Math.floor(Date.now() / 1000));
    if (!req) return 0;
    const a = await cibRequest(target, req);
    if (!a.ok) return fail(a.rc, `Could not modify ticket: ${a.error}`);
    return 0;
  }
  if (c.pendingName === undefined) return fail(RC_USAGE, 'Must supply a command');
  if (c.ticket === undefined) return fail(RC_USAGE, 'Must supply ticket ID with -t');
  return fail(RC_USAGE, `Must supply value with -v for -S ${c.pendingName}`);
}
