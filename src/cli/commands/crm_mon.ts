// `crm_mon`: Pacemaker's cluster status from the local daemon (cib_query + crm_status) or CIB_file: `-1` once,
// else a view redrawn every `-i` seconds until Ctrl-C; `-r` inactive, `-f` fail counts, `-n` by node, `--output-as xml`.
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibTarget, isFailure, queryCib, RC_NOT_CONNECTED, type CibTarget } from '../../crm/client/cib-client.js';
import { monModel, type LiveStatus } from '../../crm/client/mon-model.js';
import { monText } from '../../crm/client/mon-text.js';
import { monXml } from '../../crm/client/mon-xml.js';
import { controlRequest } from '../../daemon/client.js';

export const summary = 'crm_mon: cluster status (nodes, DC, quorum, resources, fail counts) once (-1) or refreshing (Pacemaker\'s tool)';

const SPECS = [
  opt('one', '1', 'one-shot'), opt('interval', 'i', 'interval', true), opt('failcounts', 'f', 'failcounts'), opt('inactive', 'r', 'inactive'),
  opt('bynode', 'n', 'group-by-node'), opt('output', undefined, 'output-as', true), opt('asxml', 'X', 'as-xml'), opt('simple', 's', 'simple-status'),
  opt('quiet', 'Q', 'quiet'), opt('verbose', 'V', 'verbose'), opt('run-dir', undefined, 'run-dir', true), opt('show-detail', 'R', 'show-detail'),
  opt('timing', 't', 'timing-details'), opt('ops', 'o', 'operations'), opt('attrs', 'A', 'show-node-attributes'),
];

export interface MonRender { readonly rc: number; readonly text: string; readonly err?: string }

/** Interval as crm_mon takes it: bare seconds or with a unit (5s, 1m, 500ms); undefined when not one. */
export function parseMonInterval(s: string): number | undefined {
  const m = /^(\d+)(ms|s|m|min|h)?$/.exec(s.trim());
  if (!m) return undefined;
  const n = parseInt(m[1]!, 10);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' || m[2] === 'min' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
  return ms > 0 ? ms : undefined;
}

/** One picture of the cluster in the chosen format; a failure to reach the CIB is rc 102 with Pacemaker's words. */
export async function renderMon(target: CibTarget, o: { xml: boolean; inactive: boolean; failcounts: boolean; byNode: boolean; simple?: boolean; request?: string }): Promise<MonRender> {
  const cib = await queryCib(target);
  if (isFailure(cib)) {
    const words = cib.rc === RC_NOT_CONNECTED ? 'Error: cluster is not available on this node' : `Error: ${cib.error}`;
    return { rc: cib.rc === RC_NOT_CONNECTED ? RC_NOT_CONNECTED : cib.rc, text: '', err: `crm_mon: ${words}` };
  }
  let live: LiveStatus | undefined;
  if ('runDir' in target) {
    const s = await controlRequest(target.runDir, { cmd: 'crm_status' }, 5000);
    if (s?.ok) live = { dc: typeof s.dc === 'string' ? s.dc : null, quorum: s.quorum === true };
  }
  const now = Math.floor(Date.now() / 1000);
  const m = monModel(cib, now, live);
  if (typeof m === 'string') return { rc: 65, text: '', err: `crm_mon: Error: the CIB does not parse: ${m}` };
  if (o.xml) return { rc: 0, text: monXml(m, now, o.request ?? 'crm_mon') };
  if (o.simple) {
    const online = m.nodes.filter((n) => n.online).length;
    const running = m.nodes.reduce((a, n) => a + n.running, 0);
    if (!m.dc) return { rc: 2, text: 'CLUSTER CRIT: No DC\n' };
    const offline = m.nodes.filter((n) => !n.online).map((n) => n.name);
    if (offline.length) return { rc: 1, text: `CLUSTER WARN: offline node: ${offline.join(', ')}\n` };
    return { rc: 0, text: `CLUSTER OK: ${online} node${online === 1 ? '' : 's'} online, ${running} resource instance${running === 1 ? '' : 's'} configured\n` };
  }
  return { rc: 0, text: monText(m, { inactive: o.inactive, failcounts: o.failcounts, byNode: o.byNode, now }) };
}

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  if (typeof p === 'string') { process.stderr.write(`crm_mon: ${p}\n`); return RC_USAGE; }
  const fmt = p.flags.get('asxml') ? 'xml' : p.opts.get('output') ?? 'text';
  if (fmt !== 'text' && fmt !== 'xml') { process.stderr.write(`crm_mon: Error: unsupported output format "${fmt}" (text or xml)\n`); return RC_USAGE; }
  let intervalMs = 5000;
  if (p.opts.has('interval')) {
    const i = parseMonInterval(p.opts.get('interval')!);
    if (i === undefined) { process.stderr.write(`crm_mon: Error: invalid interval "${p.opts.get('interval')}"\n`); return RC_USAGE; }
    intervalMs = i;
  }
  const target = cibTarget(process.env, p.opts.get('run-dir'));
  const o = {
    xml: fmt === 'xml', inactive: !!p.flags.get('inactive'), failcounts: !!p.flags.get('failcounts'), byNode: !!p.flags.get('bynode'),
    simple: !!p.flags.get('simple'), request: `crm_mon ${argv.join(' ')}`.trim(),
  };
  // XML and the simple status are one-shot, as Pacemaker's are.
  if (p.flags.get('one') || o.xml || o.simple) {
    const r = await renderMon(target, o);
    if (r.err) process.stderr.write(`${r.err}\n`);
    process.stdout.write(r.text);
    return r.rc;
  }
  return liveView(target, o, intervalMs);
}

/** The refreshing view: the screen redrawn every interval; Ctrl-C (SIGINT) or SIGTERM ends it with 0. */
async function liveView(target: CibTarget, o: Parameters<typeof renderMon>[1], intervalMs: number): Promise<number> {
  let stop = false;
  let wake: (() => void) | undefined;
  const end = () => { stop = true; wake?.(); };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  const tty = process.stdout.isTTY === true;
  while (!stop) {
    const r = await renderMon(target, o);
    const body = r.err ? `${r.err}\nReconnecting...\n` : r.text;
    process.stdout.write(tty ? `\x1b[H\x1b[2J${body}` : `${body}\n`);
    await new Promise<void>((res) => { wake = res; setTimeout(res, intervalMs); if (stop) res(); });
  }
  process.removeListener('SIGINT', end);
  process.removeListener('SIGTERM', end);
  return 0;
}
