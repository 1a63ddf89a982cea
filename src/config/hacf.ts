// Parses /etc/ha.d/ha.cf as heartbeat 3.0.6's parse_config and init_config do, into a typed HaCf with every default.
// Pure: text, file name and this node's name in; the effective configuration and ALL diagnostics (with lines) out.

import { diag, type Code, type Diagnostic } from '../errors.js';
import { millis, nodeName, type Millis, type NodeName } from '../types.js';
import { isIPv4Multicast } from './address.js';
import { formatDuration, parseDuration } from './duration.js';
import type {
  ApiAuth, AutoFailback, AutoJoin, ClientChild, HaCf, Medium, PacemakerMode, PingNode, StonithConfig,
} from './hacf-model.js';

export type * from './hacf-model.js';

/** heartbeat's MAXMEDIA: at most this many media (ping nodes included). */
export const MAX_MEDIA = 64;
/** heartbeat's MAXNODE: at most this many `node` names. */
export const MAX_NODES = 100;
/** heartbeat's UDPPORT: the IANA ha-cluster port, used when no udpport precedes a medium. */
export const DEFAULT_UDPPORT = 694;
/** heartbeat's DEFAULTBAUDRATE for serial media. */
export const DEFAULT_BAUD = 19200;
/** Baud rates heartbeat's StringToBaud knows on Linux. */
export const BAUD_RATES: readonly number[] = [9600, 19200, 38400, 57600, 115200, 230400, 460800];
/** Facility names libplumb's cl_syslogfac_str2int accepts (case-sensitive, checked on this machine). */
export const SYSLOG_FACILITIES: readonly string[] = ['none', 'auth', 'authpriv', 'cron', 'daemon', 'ftp', 'kern', 'lpr', 'mail',
  'news', 'syslog', 'user', 'uucp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];

/** What parseHaCf returns: the configuration when there is no error, and every diagnostic in line order. */
export interface HaCfParse {
  readonly value?: HaCf;
  readonly diagnostics: readonly Diagnostic[];
  /** The node names read, even when the file has errors, so haresources can still be checked against them. */
  readonly nodes: readonly NodeName[];
  /**
   * The configuration as far as it could be read, defaults filled, even when there are errors. Only for checking the
   * other files against it (node names, pacemaker mode) so that all errors are reported at once; never to run.
   */
  readonly partial: HaCf;
}

/** The configuration as it is being read: what the handlers write to. Frozen into a HaCf at the end. */
interface Draft {
  nodes: NodeName[];
  media: Medium[];
  pingNodes: PingNode[];
  keepalive?: number;
  deadtime?: number;
  warntime?: number;
  initdead?: number;
  deadping?: number;
  udpport?: number;
  baud?: number;
  autoFailback?: AutoFailback;
  pacemaker?: PacemakerMode;
  autojoin?: AutoJoin;
  cluster?: string;
  hopfudge?: number;
  logfile?: string;
  debugfile?: string;
  logfacility?: string;
  useLogd?: boolean;
  connLogdTime?: number;
  debug?: number;
  msgfmt?: 'classic' | 'netstring';
  hbgenmethod?: 'file' | 'time';
  uuidfrom?: 'file' | 'nodename';
  realtime?: boolean;
  rtprio?: number;
  coredumps?: boolean;
  coreroot?: string;
  compression?: string;
  compressionThreshold?: number;
  traditionalCompression?: boolean;
  maxRexmitDelay?: number;
  memreserve?: number;
  logBadpack?: boolean;
  syslogmsgfmt?: boolean;
  useApphbd?: boolean;
  recordConfigChanges?: boolean;
  recordPengineInputs?: boolean;
  enableConfigWrites?: boolean;
  crmDaemonDir?: string;
  crmdSpawnsPengine?: boolean;
  quorumServer?: string;
  watchdog?: string;
  env: Map<string, string>;
  apiauth: ApiAuth[];
  clients: ClientChild[];
  stonith: StonithConfig[];
  explicit: Map<string, number>;
  /** True once a medium or whole-line directive was read: heartbeat's any_media_statements_yet. */
  anyMediaYet: boolean;
  /** The udpport each UDP plugin (bcast, ucast, ucast6) and the baud the serial plugin fixed at their first line. */
  pluginPort: Map<string, number>;
}

/** What a handler gets: the draft, where it is, and a way to report. */
interface Ctx {
  readonly d: Draft;
  readonly file: string;
  readonly line: number;
  readonly directive: string;
  report(code: Code, vars: Record<string, string | number>, extra?: { severity?: 'error' | 'warning'; found?: string; expected?: string }): void;
}

/**
 * How a directive's text is handed to its handler, mirroring heartbeat's three kinds:
 * `word`: called once per word (heartbeat's add_option loop; commas separate words too), so `node a b` adds two nodes
 * and `keepalive 1 2` sets keepalive twice; `line`: called once with the rest of the line (mcast, ucast, apiauth...).
 */
interface Directive {
  readonly kind: 'word' | 'line';
  readonly handle: (ctx: Ctx, value: string) => void;
  /** One line for `lifeline check` and docs/config.md. */
  readonly help: string;
}

// ---- value readers shared by the handlers ----

const BOOL_TRUE = ['true', 'on', 'yes', 'y', '1'];
const BOOL_FALSE = ['false', 'off', 'no', 'n', '0'];

/** cl_str_to_boolean: true/on/yes/y/1 and false/off/no/n/0, case-insensitive. */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (BOOL_TRUE.includes(t)) return true;
  if (BOOL_FALSE.includes(t)) return false;
  return undefined;
}

function bool(ctx: Ctx, value: string, set: (b: boolean) => void): void {
  const b = parseBoolean(value);
  if (b === undefined) {
    ctx.report('LL_HACF_BAD_VALUE', { directive: ctx.directive, value }, { found: value, expected: 'on/off (also yes/no, true/false, y/n, 1/0)' });
    return;
  }
  set(b);
}

/** A time value: reports invalid text and the `2s` extension; `min` is the smallest value heartbeat accepts. */
function time(ctx: Ctx, value: string, min: number, set: (ms: number) => void): void {
  const t = parseDuration(value);
  if (t === undefined || t.ms < min) {
    ctx.report('LL_HACF_BAD_TIME', { directive: ctx.directive, value }, {
      found: value, expected: `a time ${min > 0 ? 'above 0 ' : ''}in seconds ("2", "1.5") or milliseconds ("500ms")`,
    });
    return;
  }
  if (!t.heartbeatCompatible) {
    ctx.report('LL_HACF_TIME_UNIT_EXTENSION', { value, unit: value.replace(/^[\d.\s]+/, '') }, {
      severity: 'warning', found: value, expected: `"${formatDuration(t.ms)}" if heartbeat 3.0.6 nodes read this file`,
    });
  }
  set(t.ms);
}

/** An integer in [min, max], read strictly (heartbeat's atoi would take "12abc" as 12; we refuse it). */
function int(ctx: Ctx, value: string, min: number, max: number, set: (n: number) => void): void {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    ctx.report('LL_HACF_BAD_VALUE', { directive: ctx.directive, value }, { found: value, expected: `an integer from ${min} to ${max}` });
    return;
  }
  set(n);
}

function oneOf<T extends string>(ctx: Ctx, value: string, allowed: readonly T[], set: (v: T) => void, caseInsensitive = false): void {
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (!(allowed as readonly string[]).includes(v)) {
    ctx.report('LL_HACF_BAD_VALUE', { directive: ctx.directive, value }, { found: value, expected: allowed.join(' or ') });
    return;
  }
  set(v as T);
}

/** A single-valued directive written twice (or with two words) is legal in heartbeat, the last wins; say so. */
function once(ctx: Ctx, key: keyof Draft, value: string): void {
  if (ctx.d[key] !== undefined) {
    ctx.report('LL_HACF_REPEATED_VALUE', { directive: ctx.directive, value }, { severity: 'warning', found: value, expected: `one ${ctx.directive} setting` });
  }
}

const words = (text: string): string[] => text.split(/[\s,]+/).filter((w) => w !== '');

// ---- media ----

function addMedium(ctx: Ctx, m: Medium): void {
  if (ctx.d.media.length + ctx.d.pingNodes.length >= MAX_MEDIA) {
    ctx.report('LL_HACF_TOO_MANY_MEDIA', { max: MAX_MEDIA }, { found: ctx.directive, expected: `at most ${MAX_MEDIA} media` });
    return;
  }
  ctx.d.media.push(m);
  ctx.d.anyMediaYet = true;
}

/**
 * The UDP port a bcast or ucast medium uses. Each heartbeat plugin reads udpport once, when its first medium is
 * created, and keeps it: so every medium of a kind gets the udpport in effect at the first line of that kind.
 */
function port(d: Draft, kind?: 'bcast' | 'ucast' | 'ucast6'): number {
  const current = d.udpport ?? DEFAULT_UDPPORT;
  if (kind === undefined) return current;
  if (!d.pluginPort.has(kind)) d.pluginPort.set(kind, current);
  return d.pluginPort.get(kind)!;
}

function mcastLine(ctx: Ctx, rest: string, v6: boolean): void {
  const [iface, group, portText, ttlText, loopText, ...extra] = words(rest);
  const kind = v6 ? 'mcast6' : 'mcast';
  const missing = (what: string, expected: string) =>
    ctx.report('LL_HACF_MCAST_MISSING', { iface: iface ?? '', what }, { found: `${kind} ${rest}`, expected: `${kind} IFACE GROUP PORT ${v6 ? 'HOPS' : 'TTL'} LOOP (${expected})` });
  const bad = (what: string, value: string, expected: string) =>
    ctx.report('LL_HACF_MCAST_BAD', { iface: iface ?? '', what, value }, { found: value, expected });
  if (iface === undefined) { ctx.report('LL_HACF_MEDIUM_NO_IFACE', { kind }, { found: `${kind} ${rest}`.trim(), expected: `${kind} IFACE GROUP PORT TTL LOOP` }); return; }
  if (group === undefined) { missing('mcast address', 'the group is missing'); return; }
  let ok = true;
  if (v6 ? !/^ff[0-9a-f]{2}:[0-9a-f:]*$/i.test(group) : !isIPv4Multicast(group)) {
    bad('addr', group, v6 ? 'an IPv6 multicast address (ff12::/16 for local use)' : 'a class D address 224.0.0.0-239.255.255.255 (239.192.0.0/14 for local use)');
    ok = false;
  }
  if (portText === undefined) { missing('port', 'the UDP port is missing'); return; }
  const p = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(p > 0 && p < 65536)) { bad('port', portText, 'a UDP port from 1 to 65535'); ok = false; }
  if (ttlText === undefined) { missing(v6 ? 'hops' : 'ttl', 'the TTL is missing'); return; }
  const ttl = /^\d+$/.test(ttlText) ? Number(ttlText) : NaN;
  // heartbeat's mcast_parse refuses a TTL above 4 (its man page says 0-255, the code says otherwise).
  if (!(ttl >= 0 && ttl <= 4)) { bad(v6 ? 'hops' : 'ttl', ttlText, v6 ? 'hops from 0 to 4' : 'a TTL from 0 to 4 (1 keeps heartbeats on the local subnet)'); ok = false; }
  if (loopText === undefined) { missing('loop', 'the loop flag is missing: write 0'); return; }
  if (loopText !== '0' && loopText !== '1') { bad('loop', loopText, '0 or 1 (0: do not loop our own packets back)'); ok = false; }
  if (extra.length > 0) {
    ctx.report('LL_HACF_IGNORED_WORDS', { directive: kind }, { severity: 'warning', found: extra.join(' '), expected: 'nothing after the loop flag' });
  }
  if (!ok) return;
  const loop = loopText === '1' ? 1 : 0;
  addMedium(ctx, v6
    ? { kind: 'mcast6', iface, group, port: p, hops: ttl, loop, line: ctx.line }
    : { kind: 'mcast', iface, group, port: p, ttl, loop, line: ctx.line });
}

function ucastLine(ctx: Ctx, rest: string, v6: boolean): void {
  const [iface, ...hosts] = words(rest);
  const kind = v6 ? 'ucast6' : 'ucast';
  if (iface === undefined) { ctx.report('LL_HACF_MEDIUM_NO_IFACE', { kind }, { found: kind, expected: `${kind} IFACE HOST` }); return; }
  if (hosts.length === 0) {
    ctx.report('LL_HACF_UCAST_MISSING_HOST', { iface }, { found: `${kind} ${rest}`.trim(), expected: `${kind} ${iface} PEER-ADDRESS-OR-NAME` });
    return;
  }
  // heartbeat's ucast_parse reads one host and silently drops the rest of the line; do the same, but say so.
  if (hosts.length > 1) {
    ctx.report('LL_HACF_IGNORED_WORDS', { directive: kind }, { severity: 'warning', found: hosts.slice(1).join(' '), expected: `one ${kind} line per peer` });
  }
  addMedium(ctx, { kind, iface, host: hosts[0]!, port: port(ctx.d, kind), line: ctx.line });
}

function pingGroupLine(ctx: Ctx, rest: string): void {
  const [name, ...hosts] = words(rest);
  if (name === undefined || hosts.length === 0) {
    ctx.report('LL_HACF_PING_GROUP_EMPTY', { name: name ?? '' }, { found: `ping_group ${rest}`.trim(), expected: 'ping_group NAME HOST [HOST...]' });
    return;
  }
  ctx.d.pingNodes.push({ kind: 'ping_group', name, hosts, line: ctx.line });
  ctx.d.anyMediaYet = true;
}

// ---- whole-line directives ----

function apiauthLine(ctx: Ctx, rest: string): void {
  const [client, ...specs] = rest.trim().split(/\s+/).filter((w) => w !== '');
  const bad = (why: string) => ctx.report('LL_HACF_BAD_APIAUTH', { text: rest.trim() }, { found: rest.trim(), expected: `apiauth CLIENT [uid=u1,u2] [gid=g1,g2] (${why})` });
  if (client === undefined) { bad('no client name'); return; }
  let uids: string[] | undefined;
  let gids: string[] | undefined;
  for (const s of specs) {
    const m = /^(uid|gid)=(.*)$/.exec(s);
    if (!m) { bad(`"${s}" is neither uid= nor gid=`); return; }
    const list = m[2]!.split(',').filter((x) => x !== '');
    if (m[1] === 'uid') { if (uids) { bad('duplicate uid list'); return; } uids = list; }
    else { if (gids) { bad('duplicate gid list'); return; } gids = list; }
  }
  if (!uids && !gids) { bad('one of uid= or gid= must be given'); return; }
  if (ctx.d.apiauth.some((a) => a.client === client)) {
    ctx.report('LL_HACF_DUPLICATE_APIAUTH', { client, text: rest.trim() }, { found: rest.trim(), expected: `one apiauth line for ${client}` });
    return;
  }
  ctx.d.apiauth.push({ client, uids: uids ?? [], gids: gids ?? [], line: ctx.line });
}

function clientChildLine(ctx: Ctx, rest: string, failfast: boolean): void {
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(rest);
  const bad = (reason: string, found: string) =>
    ctx.report('LL_HACF_BAD_CLIENT_CHILD', { directive: ctx.directive, text: rest.trim(), reason }, { found, expected: `${ctx.directive} USER /full/path/to/program [ARGS]` });
  if (!m) { bad('a user and a command are required', rest.trim()); return; }
  if (!m[2]!.startsWith('/')) { bad(`Client child command [${m[2]}] is not full pathname`, m[2]!); return; }
  ctx.d.clients.push({ user: m[1]!, command: m[2]!, failfast, line: ctx.line });
  ctx.report('LL_HACF_IGNORED', { directive: ctx.directive }, { severity: 'warning', found: rest.trim(), expected: 'a resource agent or systemd unit to supervise programs' });
}

function stonithLine(ctx: Ctx, rest: string, withHost: boolean): void {
  const w = rest.trim().split(/\s+/).filter((x) => x !== '');
  const bad = (reason: string) =>
    ctx.report('LL_HACF_BAD_STONITH', { directive: ctx.directive, text: rest.trim(), reason }, { found: rest.trim(), expected: withHost ? 'stonith_host HOST|* TYPE PARAMS...' : 'stonith TYPE CONFIGFILE' });
  if (withHost) {
    if (w.length < 1) { bad('No Stonith hostname argument given'); return; }
    if (w.length < 2) { bad('No Stonith type given'); return; }
    ctx.d.stonith.push({ kind: 'stonith_host', host: w[0]!.toLowerCase(), type: w[1]!, params: w.slice(2).join(' '), line: ctx.line });
  } else {
    if (w.length < 1) { bad('No Stonith type given'); return; }
    ctx.d.stonith.push({ kind: 'stonith', type: w[0]!, params: w.slice(1).join(' '), line: ctx.line });
  }
  ctx.d.anyMediaYet = true;
  // The plugin type and its parameters are checked against the installed cluster-glue by load.ts (fencing/device.ts).
}

function pacemaker(ctx: Ctx, value: string): void {
  if (ctx.d.pacemaker !== undefined) {
    ctx.report('LL_HACF_PACEMAKER_TWICE', {}, { found: `${ctx.directive} ${value}`, expected: 'one pacemaker (or crm) line' });
    return;
  }
  const v = value.toLowerCase();
  if (['respawn', 'minimal', 'manual', 'valgrind', 'ccm-only'].includes(v)) { ctx.d.pacemaker = v as PacemakerMode; return; }
  const b = parseBoolean(v);
  if (b === undefined) {
    ctx.report('LL_HACF_BAD_VALUE', { directive: ctx.directive, value }, { found: value, expected: 'on, off, respawn, yes, no (or minimal, manual, valgrind, ccm-only)' });
    return;
  }
  ctx.d.pacemaker = b ? 'on' : 'off';
}

/**
 * The supported directives, one entry each, in heartbeat 3.0.6's order (Directives[], WLdirectives[], then the
 * HBcomm media plugins installed with it). A name not in this table is "Illegal directive".
 */
export const DIRECTIVES: Readonly<Record<string, Directive>> = {
  cluster: { kind: 'word', help: 'cluster name (default linux-ha)', handle: (c, v) => { once(c, 'cluster', v); c.d.cluster = v; } },
  node: {
    kind: 'word', help: 'cluster member names as `uname -n` prints them; several per line allowed',
    handle: (c, v) => {
      const n = nodeName(v.toLowerCase());
      if (c.d.nodes.includes(n)) { c.report('LL_HACF_DUPLICATE_NODE', { node: v }, { severity: 'warning', found: v, expected: 'each node once' }); return; }
      if (c.d.nodes.length >= MAX_NODES) { c.report('LL_HACF_TOO_MANY_NODES', { max: MAX_NODES }, { found: v, expected: `at most ${MAX_NODES} nodes` }); return; }
      c.d.nodes.push(n);
    },
  },
  hopfudge: { kind: 'word', help: 'hops beyond the node count a message may be forwarded (default 1)', handle: (c, v) => { once(c, 'hopfudge', v); int(c, v, 0, 255, (n) => { c.d.hopfudge = n; }); } },
  keepalive: { kind: 'word', help: 'interval between heartbeats (default 1 s)', handle: (c, v) => { once(c, 'keepalive', v); time(c, v, 1, (ms) => { c.d.keepalive = ms; }); } },
  deadtime: { kind: 'word', help: 'silence after which a node is declared dead (default 30 s)', handle: (c, v) => { once(c, 'deadtime', v); time(c, v, 0, (ms) => { c.d.deadtime = ms; }); } },
  deadping: { kind: 'word', help: 'silence after which a ping node is declared dead (default deadtime)', handle: (c, v) => { once(c, 'deadping', v); time(c, v, 0, (ms) => { c.d.deadping = ms; }); } },
  initdead: { kind: 'word', help: 'deadtime used at start-up (default derived from deadtime)', handle: (c, v) => { once(c, 'initdead', v); time(c, v, 0, (ms) => { c.d.initdead = ms; }); } },
  warntime: { kind: 'word', help: 'silence after which a late heartbeat is logged (default deadtime/2)', handle: (c, v) => { once(c, 'warntime', v); time(c, v, 1, (ms) => { c.d.warntime = ms; }); } },
  watchdog: {
    kind: 'word', help: 'watchdog device to feed', handle: (c, v) => {
      if (c.d.watchdog !== undefined) { c.report('LL_HACF_WATCHDOG_TWICE', {}, { found: v, expected: 'one watchdog line' }); return; }
      c.d.watchdog = v;
      c.report('LL_HACF_IGNORED', { directive: 'watchdog' }, { severity: 'warning', found: v, expected: 'a watchdog configured outside Lifeline' });
    },
  },
  baud: {
    kind: 'word', help: 'serial speed (default 19200); must precede serial lines', handle: (c, v) => {
      if (c.d.baud !== undefined) { c.report('LL_HACF_BAUD_TWICE', {}, { found: v, expected: 'one baud line' }); return; }
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!BAUD_RATES.includes(n)) { c.report('LL_HACF_BAD_BAUD', { value: v }, { found: v, expected: BAUD_RATES.join(', ') }); return; }
      if (c.d.media.some((m) => m.kind === 'serial')) c.report('LL_HACF_BAUD_AFTER_MEDIA', { baud: DEFAULT_BAUD }, { severity: 'warning', found: `baud ${v}`, expected: 'baud above the serial lines' });
      c.d.baud = n;
    },
  },
  udpport: {
    kind: 'word', help: 'UDP port of bcast/ucast (default 694); must precede media lines', handle: (c, v) => {
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n > 0 && n < 65536)) { c.report('LL_HACF_BAD_PORT', { value: v }, { found: v, expected: 'a UDP port from 1 to 65535 (694 is ha-cluster)' }); return; }
      once(c, 'udpport', v);
      if (c.d.anyMediaYet) c.report('LL_HACF_UDPPORT_AFTER_MEDIA', { port: port(c.d) }, { severity: 'warning', found: `udpport ${v}`, expected: 'udpport above all media lines' });
      c.d.udpport = n;
    },
  },
  logfacility: { kind: 'word', help: 'syslog facility, or none', handle: (c, v) => { once(c, 'logfacility', v); oneOf(c, v, SYSLOG_FACILITIES, (f) => { c.d.logfacility = f; }); } },
  logfile: { kind: 'word', help: 'file for non-debug messages', handle: (c, v) => { once(c, 'logfile', v); c.d.logfile = v; } },
  debugfile: { kind: 'word', help: 'file for debug messages', handle: (c, v) => { once(c, 'debugfile', v); c.d.debugfile = v; } },
  nice_failback: {
    kind: 'word', help: 'obsolete: on means auto_failback off, off means auto_failback legacy', handle: (c, v) => {
      const b = parseBoolean(v);
      if (b === undefined) { c.report('LL_HACF_BAD_VALUE', { directive: 'nice_failback', value: v }, { found: v, expected: 'on or off' }); return; }
      const mode: AutoFailback = b ? 'off' : 'legacy';
      c.report('LL_HACF_NICE_FAILBACK', { text: `nice_failback ${v}`, mode }, { severity: 'warning', found: `nice_failback ${v}`, expected: `auto_failback ${b ? 'off' : 'on'}` });
      c.d.autoFailback = mode;
    },
  },
  auto_failback: {
    kind: 'word', help: 'on: groups return to their preferred node; off: they stay; legacy (default)', handle: (c, v) => {
      once(c, 'autoFailback', v);
      const b = parseBoolean(v);
      if (b !== undefined) { c.d.autoFailback = b ? 'on' : 'off'; return; }
      if (v.toLowerCase() === 'legacy') { c.d.autoFailback = 'legacy'; return; }
      c.report('LL_HACF_BAD_VALUE', { directive: 'auto_failback', value: v }, { found: v, expected: 'on, off or legacy' });
    },
  },
  rtprio: { kind: 'word', help: 'SCHED_FIFO priority 1-99 (default halfway)', handle: (c, v) => { once(c, 'rtprio', v); int(c, v, 1, 99, (n) => { c.d.rtprio = n; }); } },
  hbgenmethod: { kind: 'word', help: 'generation number kept in a file (default) or taken from the time', handle: (c, v) => { once(c, 'hbgenmethod', v); oneOf(c, v, ['file', 'time'] as const, (m) => { c.d.hbgenmethod = m; }); } },
  realtime: { kind: 'word', help: 'lock in memory and run at realtime priority (default on)', handle: (c, v) => { once(c, 'realtime', v); bool(c, v, (b) => { c.d.realtime = b; }); } },
  debug: { kind: 'word', help: 'debug level 0-255 (default 0)', handle: (c, v) => { once(c, 'debug', v); int(c, v, 0, 255, (n) => { c.d.debug = n; }); } },
  msgfmt: { kind: 'word', help: 'wire format: classic (default) or netstring', handle: (c, v) => { once(c, 'msgfmt', v); oneOf(c, v, ['classic', 'netstring'] as const, (f) => { c.d.msgfmt = f; }); } },
  use_logd: { kind: 'word', help: 'log through the logging daemon', handle: (c, v) => { once(c, 'useLogd', v); bool(c, v, (b) => { c.d.useLogd = b; }); } },
  conn_logd_time: { kind: 'word', help: 'interval between logd reconnection attempts (default 60 s)', handle: (c, v) => { once(c, 'connLogdTime', v); time(c, v, 1, (ms) => { c.d.connLogdTime = ms; }); } },
  use_apphbd: { kind: 'word', help: 'register with apphbd', handle: (c, v) => { bool(c, v, (b) => { c.d.useApphbd = b; }); } },
  log_badpack: { kind: 'word', help: 'warn about bad packets (default true)', handle: (c, v) => { bool(c, v, (b) => { c.d.logBadpack = b; }); } },
  syslogmsgfmt: { kind: 'word', help: 'write log files in syslog format (default true, as `heartbeat -D` prints)', handle: (c, v) => { bool(c, v, (b) => { c.d.syslogmsgfmt = b; }); } },
  coredumps: { kind: 'word', help: 'enable core dumps (default true)', handle: (c, v) => { bool(c, v, (b) => { c.d.coredumps = b; }); } },
  coreroot: { kind: 'word', help: 'root directory of the core dump area', handle: (c, v) => { c.d.coreroot = v; } },
  crm: { kind: 'word', help: "historical alias for 'pacemaker'", handle: pacemaker },
  pacemaker: { kind: 'word', help: 'enable Pacemaker-style resource management: off (default), on, respawn', handle: pacemaker },
  crm_daemon_dir: { kind: 'word', help: 'where Pacemaker daemons are looked for first', handle: (c, v) => { c.d.crmDaemonDir = v; } },
  crmd_spawns_pengine: { kind: 'word', help: 'whether crmd spawns the policy engine itself', handle: (c, v) => { bool(c, v, (b) => { c.d.crmdSpawnsPengine = b; }); } },
  autojoin: { kind: 'word', help: 'none (default), other or any: who may join without a node line', handle: (c, v) => { once(c, 'autojoin', v); oneOf(c, v, ['none', 'other', 'any'] as const, (a) => { c.d.autojoin = a; }, true); } },
  uuidfrom: { kind: 'word', help: 'node UUID from a file (default) or from the node name', handle: (c, v) => { once(c, 'uuidfrom', v); oneOf(c, v, ['file', 'nodename'] as const, (u) => { c.d.uuidfrom = u; }); } },
  compression: { kind: 'word', help: 'compression module for big messages (default zlib)', handle: (c, v) => { oneOf(c, v, ['zlib', 'bz2'] as const, (m) => { c.d.compression = m; }); } },
  compression_threshold: { kind: 'word', help: 'compress messages bigger than N KB (default 2)', handle: (c, v) => { int(c, v, 1, 1 << 20, (n) => { c.d.compressionThreshold = n; }); } },
  traditional_compression: { kind: 'word', help: 'compress whole messages (default off)', handle: (c, v) => { bool(c, v, (b) => { c.d.traditionalCompression = b; }); } },
  env: {
    kind: 'word', help: 'NAME=VALUE exported as HA_NAME to respawned clients', handle: (c, v) => {
      const i = v.indexOf('=');
      if (i <= 0) { c.report('LL_HACF_BAD_ENV', { value: v }, { found: v, expected: 'NAME=VALUE' }); return; }
      c.d.env.set(v.slice(0, i), v.slice(i + 1));
    },
  },
  max_rexmit_delay: { kind: 'word', help: 'longest delay before answering a retransmit request, ms (default 250)', handle: (c, v) => { int(c, v, 1, 3_600_000, (n) => { c.d.maxRexmitDelay = n; }); } },
  record_config_changes: { kind: 'word', help: 'record CIB changes (default on)', handle: (c, v) => { bool(c, v, (b) => { c.d.recordConfigChanges = b; }); } },
  record_pengine_inputs: { kind: 'word', help: 'record policy engine inputs (default on)', handle: (c, v) => { bool(c, v, (b) => { c.d.recordPengineInputs = b; }); } },
  enable_config_writes: { kind: 'word', help: 'write configuration changes to disk (default on)', handle: (c, v) => { bool(c, v, (b) => { c.d.enableConfigWrites = b; }); } },
  memreserve: { kind: 'word', help: 'KB of memory to preallocate (default 6500)', handle: (c, v) => { int(c, v, 1, 1 << 22, (n) => { c.d.memreserve = n; }); } },
  quorum_server: { kind: 'word', help: 'name or address of a quorum server', handle: (c, v) => { c.d.quorumServer = v; c.report('LL_HACF_IGNORED', { directive: 'quorum_server' }, { severity: 'warning', found: v }); } },
  // whole-line directives (heartbeat's WLdirectives[])
  stonith: { kind: 'line', help: 'stonith TYPE CONFIGFILE: reset a dead peer with this cluster-glue plugin before taking its groups', handle: (c, r) => stonithLine(c, r, false) },
  stonith_host: { kind: 'line', help: 'stonith_host HOST|* TYPE PARAMS: the STONITH device used on HOST (last matching line wins)', handle: (c, r) => stonithLine(c, r, true) },
  apiauth: { kind: 'line', help: 'apiauth CLIENT uid=LIST gid=LIST: who may use an API client name', handle: apiauthLine },
  respawn: { kind: 'line', help: 'respawn USER /path/to/program: run and restart a program', handle: (c, r) => clientChildLine(c, r, false) },
  failfast: { kind: 'line', help: 'failfast USER /path/to/program: like respawn, reboot if it dies', handle: (c, r) => clientChildLine(c, r, true) },
  // media (heartbeat's HBcomm plugins)
  bcast: { kind: 'word', help: 'bcast IFACE...: UDP broadcast on each interface', handle: (c, v) => addMedium(c, { kind: 'bcast', iface: v, port: port(c.d, 'bcast'), line: c.line }) },
  mcast: { kind: 'line', help: 'mcast IFACE GROUP PORT TTL LOOP: UDP multicast', handle: (c, r) => mcastLine(c, r, false) },
  mcast6: { kind: 'line', help: 'mcast6 IFACE GROUP PORT HOPS LOOP: UDP multicast over IPv6', handle: (c, r) => mcastLine(c, r, true) },
  ucast: { kind: 'line', help: 'ucast IFACE HOST: UDP unicast to one peer (one line per peer)', handle: (c, r) => ucastLine(c, r, false) },
  ucast6: { kind: 'line', help: 'ucast6 IFACE HOST: UDP unicast over IPv6 to one peer', handle: (c, r) => ucastLine(c, r, true) },
  serial: {
    kind: 'word', help: 'serial DEVICE...: heartbeats over a null-modem cable', handle: (c, v) => {
      if (!v.startsWith('/')) { c.report('LL_HACF_SERIAL_NOT_PATH', { device: v }, { found: v, expected: 'a full path such as /dev/ttyS0' }); return; }
      // Like the UDP plugins' port, the serial plugin reads baud once, at the first serial line.
      if (!c.d.pluginPort.has('serial')) c.d.pluginPort.set('serial', c.d.baud ?? DEFAULT_BAUD);
      addMedium(c, { kind: 'serial', device: v, baud: c.d.pluginPort.get('serial')!, line: c.line });
    },
  },
  ping: { kind: 'word', help: 'ping HOST...: ping nodes', handle: (c, v) => { c.d.pingNodes.push({ kind: 'ping', name: v, hosts: [v], line: c.line }); c.d.anyMediaYet = true; } },
  ping6: { kind: 'word', help: 'ping6 HOST...: IPv6 ping nodes', handle: (c, v) => { c.d.pingNodes.push({ kind: 'ping6', name: v, hosts: [v], line: c.line }); c.d.anyMediaYet = true; } },
  ping_group: { kind: 'line', help: 'ping_group NAME HOST...: a ping node that is up when any host answers', handle: pingGroupLine },
};

/** Every directive name Lifeline accepts in ha.cf, in table order. */
export const DIRECTIVE_NAMES: readonly string[] = Object.keys(DIRECTIVES);

/** The initdead heartbeat derives when none is written: deadtime if over 10 s, 12 s if deadtime is under 6 s, else 2 x deadtime. */
export function defaultInitdead(deadtime: number): number {
  if (deadtime > 10_000) return deadtime;
  return deadtime < 6000 ? 12_000 : 2 * deadtime;
}

/**
 * Parses ha.cf. `localNode` is this machine's node name (`uname -n`), which must be among the `node` lines.
 * Returns the effective configuration only when there is no error; warnings come either way.
 */
export function parseHaCf(text: string, file: string, localNode: string): HaCfParse {
  const diagnostics: Diagnostic[] = [];
  const d: Draft = { nodes: [], media: [], pingNodes: [], env: new Map(), apiauth: [], clients: [], stonith: [], explicit: new Map(), anyMediaYet: false, pluginPort: new Map() };
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    // heartbeat zaps everything from the first '#', wherever it is, then strips CR/LF.
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).replace(/\r/g, '').trim();
    if (body === '') return;
    let directive = /^\S+/.exec(body)![0];
    const rest = body.slice(directive.length).trim();
    const report: Ctx['report'] = (code, vars, extra = {}) =>
      diagnostics.push(diag(code, vars, { ...extra, location: { file, line } }));
    if (directive === 'udp') {
      report('LL_HACF_UDP_ALIAS', {}, { severity: 'warning', found: 'udp', expected: 'bcast' });
      directive = 'bcast';
    }
    const entry = Object.hasOwn(DIRECTIVES, directive) ? DIRECTIVES[directive] : undefined;
    if (!entry) {
      report('LL_HACF_BAD_DIRECTIVE', { directive, file }, { found: directive, expected: nearest(directive) });
      return;
    }
    const ctx: Ctx = { d, file, line, directive, report };
    d.explicit.set(directive === 'crm' ? 'pacemaker' : directive === 'nice_failback' ? 'auto_failback' : directive, line);
    if (entry.kind === 'line') {
      entry.handle(ctx, rest);
      return;
    }
    const values = words(rest);
    if (values.length === 0) {
      report('LL_HACF_NO_VALUE', { directive }, { severity: 'warning', found: directive, expected: `"${directive} VALUE"` });
      d.explicit.delete(directive);
      return;
    }
    for (const v of values) entry.handle(ctx, v);
  });
  const value = finish(d, file, localNode, diagnostics);
  const failed = diagnostics.some((x) => x.severity === 'error');
  return failed ? { diagnostics, nodes: value.nodes, partial: value } : { value, diagnostics, nodes: value.nodes, partial: value };
}

/** Suggests the closest known directive for a misspelt one ("keepalve" → "keepalive"). */
function nearest(word: string): string {
  let best = '';
  let bestDist = Infinity;
  for (const name of DIRECTIVE_NAMES) {
    const dist = editDistance(word.toLowerCase(), name);
    if (dist < bestDist) { best = name; bestDist = dist; }
  }
  return bestDist <= 3 ? `a known directive such as "${best}"` : 'a directive heartbeat knows (see docs/config.md)';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** init_config's part: fill defaults and check the relations between directives, with heartbeat's wording. */
function finish(d: Draft, file: string, localNode: string, out: Diagnostic[]): HaCf {
  const at = (directive: string) => ({ file, ...(d.explicit.has(directive) ? { line: d.explicit.get(directive)! } : {}) });
  const keepalive = d.keepalive ?? 1000;
  const deadtime = d.deadtime ?? 30_000;
  const warntime = d.warntime ?? Math.floor(deadtime / 2);
  const initdead = d.initdead ?? defaultInitdead(deadtime);
  const deadping = d.deadping ?? deadtime;
  const autojoin = d.autojoin ?? 'none';
  const pacemaker = d.pacemaker ?? 'off';

  if (d.media.length === 0 && d.pingNodes.length === 0) {
    out.push(diag('LL_HACF_NO_MEDIA', {}, { location: { file }, expected: 'at least one bcast, mcast, ucast or serial line' }));
  } else if (d.media.length === 0) {
    out.push(diag('LL_HACF_ONLY_PING_MEDIA', {}, { severity: 'warning', location: { file }, expected: 'a bcast, mcast, ucast or serial line besides ping' }));
  }
  if (d.nodes.length === 0 && autojoin !== 'any') {
    out.push(diag('LL_HACF_NO_NODES', {}, { location: { file }, expected: 'node lines naming every cluster member' }));
  }
  const me = localNode.toLowerCase();
  if (!d.nodes.includes(nodeName(me)) && autojoin !== 'any') {
    // The classic slip: ha.cf has the FQDN and uname -n the short name (or the reverse); heartbeat compares whole names.
    const short = (n: string) => n.split('.')[0];
    const near = d.nodes.find((n) => short(n) === short(me));
    const expected = near
      ? `"${me}" exactly: ha.cf has "${near}", and heartbeat compares whole names (make uname -n and the node line agree)`
      : `a "node ${me}" line (the name uname -n prints on this machine)`;
    out.push(diag('LL_HACF_NODE_NOT_IN_CONFIG', { node: me }, { location: at('node'), found: d.nodes.join(' ') || '(no node lines)', expected }));
  }
  if (deadtime <= 2 * keepalive) {
    out.push(diag('LL_HACF_DEADTIME_TOO_SMALL', { deadtime, keepalive }, { location: at(d.deadtime !== undefined ? 'deadtime' : 'keepalive'), found: `deadtime ${deadtime} ms, keepalive ${keepalive} ms`, expected: `deadtime above ${2 * keepalive} ms (more than twice keepalive)` }));
  }
  if (initdead < deadtime) {
    out.push(diag('LL_HACF_INITDEAD_LT_DEADTIME', { initdead, deadtime }, { location: at('initdead'), found: `initdead ${initdead} ms`, expected: `initdead >= deadtime (${deadtime} ms)` }));
  } else if (initdead < 10_000) {
    out.push(diag('LL_HACF_INITDEAD_SMALL', { initdead }, { severity: 'warning', location: at(d.initdead !== undefined ? 'initdead' : 'deadtime'), found: `initdead ${initdead} ms`, expected: 'initdead >= deadtime and >= 10 seconds' }));
  }
  if (d.deadping !== undefined && deadping <= 2 * keepalive) {
    out.push(diag('LL_HACF_DEADPING_TOO_SMALL', { deadping, keepalive }, { location: at('deadping'), found: `deadping ${deadping} ms`, expected: `deadping above ${2 * keepalive} ms` }));
  }
  // Not checked by heartbeat, but a warntime that cannot fire or fires on every packet defeats its purpose.
  if (d.warntime === undefined) {
    // derived as deadtime/2: only wrong when deadtime itself is, which is reported above
  } else if (warntime >= deadtime) {
    out.push(diag('LL_HACF_WARNTIME_NOT_BELOW_DEADTIME', { warntime, deadtime }, { severity: 'warning', location: at('warntime'), found: `warntime ${warntime} ms`, expected: `warntime below deadtime (${deadtime} ms)` }));
  } else if (warntime <= keepalive) {
    out.push(diag('LL_HACF_WARNTIME_BELOW_KEEPALIVE', { warntime, keepalive }, { severity: 'warning', location: at('warntime'), found: `warntime ${warntime} ms`, expected: `warntime above keepalive (${keepalive} ms)` }));
  }
  const autoFailback = d.autoFailback ?? 'legacy';
  if (autoFailback === 'legacy' && pacemaker === 'off') {
    out.push(diag('LL_HACF_LEGACY_FAILBACK', {}, { severity: 'warning', location: at('auto_failback'), found: 'auto_failback legacy', expected: 'auto_failback on or off' }));
  }
  // check_logd_usage: with no log destination at all, heartbeat turns logd on unless told not to.
  const hasLogTarget = d.logfile !== undefined || d.debugfile !== undefined || (d.logfacility !== undefined && d.logfacility !== 'none' && d.logfacility !== 'kern');
  let useLogd = d.useLogd;
  if (!hasLogTarget) {
    if (useLogd === false) out.push(diag('LL_HACF_NO_LOG', {}, { location: at('use_logd'), found: 'use_logd off', expected: 'use_logd on, or a logfile, debugfile or logfacility line' }));
    useLogd ??= true;
  } else if (!useLogd) {
    out.push(diag('LL_HACF_LOGD_DISABLED', {}, { severity: 'warning', location: at('use_logd'), expected: 'use_logd on' }));
  } else {
    const written = [d.logfile !== undefined ? 'logfile' : '', d.debugfile !== undefined ? 'debugfile' : '', d.logfacility !== undefined ? 'logfacility' : ''].filter((x) => x).join('/');
    out.push(diag('LL_HACF_LOGD_AND_FILES', { what: written }, { severity: 'warning', location: at('use_logd'), found: written, expected: 'either use_logd on or log files, not both' }));
  }
  if (pacemaker === 'off' && autojoin !== 'none') {
    out.push(diag('LL_HACF_AUTOJOIN_R1', {}, { location: at('autojoin'), found: `autojoin ${autojoin}`, expected: 'autojoin none with haresources, or pacemaker on' }));
  }
  out.sort((a, b) => (a.location?.line ?? Infinity) - (b.location?.line ?? Infinity));
  return Object.freeze({
    file,
    nodes: Object.freeze([...d.nodes]),
    media: Object.freeze(d.media.map((m) => Object.freeze(m))),
    pingNodes: Object.freeze(d.pingNodes.map((p) => Object.freeze({ ...p, hosts: Object.freeze([...p.hosts]) }))),
    keepalive: millis(keepalive),
    deadtime: millis(deadtime),
    warntime: millis(warntime),
    initdead: millis(initdead),
    deadping: millis(deadping),
    udpport: d.udpport ?? DEFAULT_UDPPORT,
    baud: d.baud ?? DEFAULT_BAUD,
    autoFailback,
    pacemaker,
    autojoin,
    cluster: d.cluster ?? 'linux-ha',
    hopfudge: d.hopfudge ?? 1,
    ...(d.logfile !== undefined ? { logfile: d.logfile } : {}),
    ...(d.debugfile !== undefined ? { debugfile: d.debugfile } : {}),
    ...(d.logfacility !== undefined ? { logfacility: d.logfacility } : {}),
    useLogd: useLogd ?? false,
    connLogdTime: millis(d.connLogdTime ?? 60_000),
    debug: d.debug ?? 0,
    msgfmt: d.msgfmt ?? 'classic',
    hbgenmethod: d.hbgenmethod ?? 'file',
    uuidfrom: d.uuidfrom ?? 'file',
    realtime: d.realtime ?? true,
    ...(d.rtprio !== undefined ? { rtprio: d.rtprio } : {}),
    coredumps: d.coredumps ?? true,
    ...(d.coreroot !== undefined ? { coreroot: d.coreroot } : {}),
    compression: d.compression ?? 'zlib',
    compressionThreshold: d.compressionThreshold ?? 2,
    traditionalCompression: d.traditionalCompression ?? false,
    maxRexmitDelay: millis(d.maxRexmitDelay ?? 250) as Millis,
    memreserve: d.memreserve ?? 6500,
    logBadpack: d.logBadpack ?? true,
    syslogmsgfmt: d.syslogmsgfmt ?? true,
    useApphbd: d.useApphbd ?? false,
    recordConfigChanges: d.recordConfigChanges ?? true,
    recordPengineInputs: d.recordPengineInputs ?? true,
    enableConfigWrites: d.enableConfigWrites ?? true,
    ...(d.crmDaemonDir !== undefined ? { crmDaemonDir: d.crmDaemonDir } : {}),
    ...(d.crmdSpawnsPengine !== undefined ? { crmdSpawnsPengine: d.crmdSpawnsPengine } : {}),
    ...(d.quorumServer !== undefined ? { quorumServer: d.quorumServer } : {}),
    ...(d.watchdog !== undefined ? { watchdog: d.watchdog } : {}),
    env: d.env,
    apiauth: Object.freeze([...d.apiauth]),
    clients: Object.freeze([...d.clients]),
    stonith: Object.freeze([...d.stonith]),
    explicit: d.explicit,
  });
}
