// `crm_failcount`: Pacemaker 2.1.5's script, in-process: -G sums `fail-count-RSC#OP_INTERVAL` of a node (or one
// operation's with -n/-I), -D is `crm_resource --cleanup` of that resource on that node (the DC re-probes it).
import { hostname } from 'node:os';
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibTarget, isFailure, queryCib } from '../../crm/client/cib-client.js';
import { nodeId } from '../../crm/client/attrs.js';
import { getAttr, type XEl } from '../../crm/xml-lite.js';
import { run as crmResource } from './crm_resource.js';

export const summary = 'crm_failcount: query (-G) or clear (-D) a resource\'s fail count on a node (Pacemaker\'s tool)';

const SPECS = [
  opt('quiet', 'q', 'quiet'), opt('quiet2', 'Q', 'quiet-compat'), opt('verbose', 'V', 'verbose'), opt('query', 'G', ['query', 'get-value']),
  opt('delete', 'D', ['delete', 'delete-attr']), opt('resource', 'r', ['resource', 'resource-id'], true), opt('operation', 'n', 'operation', true),
  opt('interval', 'I', 'interval', true), opt('node', 'N', ['node', 'uname'], true), opt('uname', 'U', 'uname-compat', true),
  opt('value', 'v', 'attr-value', true), opt('attrid', 'i', 'attr-id', true), opt('lifetime', 'l', 'lifetime', true), opt('run-dir', undefined, 'run-dir', true),
];

const USAGE = 'Usage: crm_failcount <command> [<options>]\n(-G | -D) -r RESOURCE [-N NODE] [-n OPERATION [-I INTERVAL]]\n';

/** The script's parse_interval: bare seconds, units s/ms/m/h/us, ISO 8601; unrecognized is 0 with a warning. */
export function failcountInterval(s: string): number | undefined {
  const m = /^\s*(\d+)\s*(s|sec|ms|msec|m|min|h|hr|us|usec)?\s*$/.exec(s);
  if (m) {
    const n = parseInt(m[1]!, 10);
    switch (m[2]) {
      case 'ms': case 'msec': return n;
      case 'm': case 'min': return n * 60_000;
      case 'h': case 'hr': return n * 3_600_000;
      case 'us': case 'usec': return Math.floor(n / 1000);
      default: return n * 1000;
    }
  }
  const w = /^P(\d+)W$/.exec(s);
  if (w) return parseInt(w[1]!, 10) * 604_800_000;
  const iso = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(s);
  if (iso) { const g = (i: number) => parseInt(iso[i] ?? '0', 10); return g(1) * 31_536_000_000 + g(2) * 2_592_000_000 + g(3) * 86_400_000 + g(4) * 3_600_000 + g(5) * 60_000 + g(6) * 1000; }
  return undefined;
}

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  const usage = (why: string) => { process.stderr.write(`error: ${why}\n`); process.stdout.write(`\n${USAGE}`); return RC_USAGE; };
  if (typeof p === 'string') return usage(p);
  let command = p.flags.get('query') ? 'query' : p.flags.get('delete') ? 'delete' : '';
  if (p.opts.has('value')) {
    if (p.opts.get('value') === '0') command = 'delete';
    else process.stderr.write('warning: ignoring deprecated option \'-v\' with nonzero value\n');
  }
  const rsc = p.opts.get('resource');
  const node = p.opts.get('node') ?? p.opts.get('uname') ?? hostname().toLowerCase();
  if (!command) return usage('must specify a command');
  if (!rsc) return usage('resource name required');
  const op = p.opts.get('operation');
  let interval = 0;
  if (p.opts.has('interval')) {
    const i = failcountInterval(p.opts.get('interval')!);
    if (i === undefined) process.stderr.write('warning: Unrecognized interval, using 0\n');
    interval = i ?? 0;
  }
  const quiet = !!(p.flags.get('quiet') || p.flags.get('quiet2'));
  const runDir = p.opts.get('run-dir');
  if (command === 'delete') {
    return crmResource(['--cleanup', '-N', node, '-r', rsc, ...(op ? ['-n', op, '-I', `${interval}ms`] : []), ...(quiet ? ['-Q'] : []), ...(runDir ? ['--run-dir', runDir] : [])]);
  }
  const cib = await queryCib(cibTarget(process.env, runDir));
  if (isFailure(cib)) { process.stderr.write('error: could not query CIB for fail counts\n'); return cib.rc; }
  const id = nodeId(cib, node);
  const attrs = id === undefined ? new Map<string, string>() : attrsOf(cib, id);
  const base = `fail-count-${rsc}`;
  let display = op ? `${base}#${op}_${interval}` : base;
  let count = op ? attrs.get(display) ?? '0' : sum([...attrs].filter(([k]) => k.startsWith(`${base}#`)).map(([, v]) => v));
  if (count === '0') {
    const bare = attrs.get(base) ?? '0';
    if (bare !== '0') { count = bare; display = base; }
  }
  process.stdout.write(quiet ? `${count}\n` : `scope=status  name=${display} value=${count}\n`);
  return 0;
}

/** The node's transient attributes (status section), name → value. */
function attrsOf(cib: XEl, id: string): Map<string, string> {
  const out = new Map<string, string>();
  const st = cib.kids.find((k) => k.tagName === 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'id') === id);
  for (const set of st?.kids.find((k) => k.tagName === 'transient_attributes')?.kids ?? []) {
    for (const nv of set.kids) if (nv.tagName === 'nvpair') out.set(getAttr(nv, 'name') ?? '', getAttr(nv, 'value') ?? '');
  }
  return out;
}

/** The script's sum: INFINITY wins, 1000000 or more is INFINITY. */
function sum(vals: readonly string[]): string {
  let s = 0;
  for (const v of vals) {
    if (v === 'INFINITY') return 'INFINITY';
    if (/^\d+$/.test(v)) s += parseInt(v, 10);
  }
  return s >= 1_000_000 ? 'INFINITY' : String(s);
}
