// Adapts a shipped example configuration (examples/web-server) to the demo's namespaces: node names kept, the
// example's /24s moved into the demo's private range, demo timing, private log file. Pure: text in, text out.
import { diag, type Diagnostic } from '../../errors.js';
import { err, ok, type Result } from '../../types.js';
import { formatDuration } from '../../config/duration.js';

/** The three files of a heartbeat configuration directory, as text. */
export interface ExampleFiles {
  readonly haCf: string;
  readonly haresources: string;
  readonly authkeys: string;
}

/** Demo timing written over the example's (the example's 2 s / 30 s would make a demo last minutes). */
export interface DemoTiming {
  readonly keepaliveMs: number;
  readonly deadtimeMs: number;
  readonly warntimeMs: number;
  readonly initdeadMs: number;
}

/** Where the demo puts the example: `base` = first two octets (`10.250`), `firstNet` = third octet of network 0. */
export interface DemoPlacement {
  readonly base: string;
  readonly firstNet: number;
}

/** One cluster node of the example. */
export interface DemoNode {
  /** The node name from ha.cf (`node1.example.com`); the demo host's hostname, so the daemon runs as that node. */
  readonly name: string;
  /** Short name for the namespace (`node1` → namespace `lle-node1`). */
  readonly host: string;
}

/** The example rewritten for the demo, and what was changed, for the newcomer to read. */
export interface AdaptedExample {
  readonly files: ExampleFiles;
  readonly nodes: readonly DemoNode[];
  /** One /24 per interface: index k is `eth<k>` on every host. */
  readonly networks: readonly string[];
  /** The IPv4 addresses of haresources after mapping (the VIPs), without prefix. */
  readonly vips: readonly string[];
  /** haresources resources that are scripts (not addresses): the demo supplies them in resource.d. */
  readonly scripts: readonly string[];
  /** Value of auto_failback in the example (`legacy` when absent, heartbeat's default). */
  readonly autoFailback: string;
  /** One human-readable line per change. */
  readonly changes: readonly string[];
}

const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const TIMING = ['keepalive', 'deadtime', 'warntime', 'initdead'] as const;

/** Splits a line into its text before `#` and the comment (heartbeat ignores everything from the first `#`). */
function splitComment(line: string): [string, string] {
  const i = line.indexOf('#');
  return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i)];
}

/** ha.cf's bare numbers are seconds: say so to the reader (`2` → `2 s`, `200ms` stays). */
const seconds = (v: string): string => (/^[0-9.]+$/.test(v) ? `${v} s` : v);

/** `10.0.0` of `10.0.0.1`. */
const net24 = (a: string): string => a.split('.').slice(0, 3).join('.');

function bad(reason: string, file: string, line?: number, found?: string): Diagnostic {
  return diag('LL_DEMO_EXAMPLE', { reason }, { location: { file, ...(line !== undefined ? { line } : {}) }, ...(found !== undefined ? { found } : {}) });
}

/**
 * Rewrites the example for the demo. Each /24 the example uses moves to `base.N.0/24` with the last octet kept:
 * the subnet of a `ucast IFACE HOST` line goes to IFACE's network (eth1 → network 1), the others (haresources
 * addresses) to the free networks from eth0 on. Timing directives get the demo's values; `logfile`/`logfacility`
 * are dropped (the harness logs to a private file). Node names stay as they are: each runs as its own hostname.
 */
export function adaptExample(src: ExampleFiles, timing: DemoTiming, place: DemoPlacement, dir = 'examples/web-server'): Result<AdaptedExample, Diagnostic> {
  const haCfFile = `${dir}/ha.cf`;
  const hrFile = `${dir}/haresources`;
  const changes: string[] = [];
  const nodes: DemoNode[] = [];
  let maxIf = 0;
  let autoFailback = 'legacy';
  const subnetToNet = new Map<string, number>();
  const hcLines = src.haCf.split('\n');
  for (const [i, raw] of hcLines.entries()) {
    const words = splitComment(raw)[0].trim().split(/[\s,]+/).filter((w) => w !== '');
    const [key, ...args] = words;
    if (key === undefined) continue;
    for (const w of args) {
      const m = /^eth(\d+)$/.exec(w);
      if (m) maxIf = Math.max(maxIf, Number(m[1]));
    }
    if (key === 'node') {
      for (const n of args) {
        const host = n.toLowerCase().split('.')[0]!.replace(/[^a-z0-9]/g, '');
        if (!/^[a-z][a-z0-9]{0,14}$/.test(host)) return err(bad('a node name the demo cannot turn into a namespace name', haCfFile, i + 1, n));
        nodes.push({ name: n.toLowerCase(), host });
      }
    }
    if (key === 'auto_failback' && args[0]) autoFailback = args[0];
    if (key === 'ucast' && args.length >= 2) {
      const ifm = /^eth(\d+)$/.exec(args[0]!);
      const addr = /^\d+\.\d+\.\d+\.\d+$/.test(args[1]!) ? args[1]! : undefined;
      if (ifm && addr && !subnetToNet.has(net24(addr))) subnetToNet.set(net24(addr), Number(ifm[1]));
    }
  }
  if (nodes.length !== 2) return err(bad(`the demo needs exactly two nodes, found ${nodes.length}`, haCfFile, undefined, nodes.map((n) => n.name).join(' ')));
  if (new Set(nodes.map((n) => n.host)).size !== nodes.length) return err(bad('two node names give the same namespace name', haCfFile));

  // haresources addresses take the networks no ucast line claimed, from eth0 on.
  const hrLines = src.haresources.split('\n');
  const vips: string[] = [];
  const scripts: string[] = [];
  let continued = false;
  for (const raw of hrLines) {
    const body = splitComment(raw)[0].trim();
    const words = body.split(/\s+/).filter((w) => w !== '' && w !== '\\');
    const isContinuation = continued;
    continued = body.endsWith('\\');
    for (const w of isContinuation ? words : words.slice(1)) {
      const addr = /^(?:IPaddr2?::)?(\d+\.\d+\.\d+\.\d+)/.exec(w);
      if (addr) {
        vips.push(addr[1]!);
        if (!subnetToNet.has(net24(addr[1]!))) {
          const used = new Set(subnetToNet.values());
          let k = 0;
          while (used.has(k)) k++;
          subnetToNet.set(net24(addr[1]!), k);
        }
      } else if (!w.includes('::')) scripts.push(w);
    }
  }
  const netCount = Math.max(maxIf + 1, ...[...subnetToNet.values()].map((k) => k + 1));
  if (place.firstNet + netCount - 1 > 254) return err(bad('the demo subnet base leaves no room for the example networks', haCfFile));
  const networks = Array.from({ length: netCount }, (_, k) => `${place.base}.${place.firstNet + k}.0/24`);
  const mapAddr = (a: string): string => {
    const k = subnetToNet.get(net24(a));
    return k === undefined ? a : `${place.base}.${place.firstNet + k}.${a.split('.')[3]}`;
  };
  for (const [sub, k] of subnetToNet) changes.push(`${sub}.0/24 → ${place.base}.${place.firstNet + k}.0/24 (eth${k})`);

  const timingValue: Record<(typeof TIMING)[number], number> = {
    keepalive: timing.keepaliveMs, deadtime: timing.deadtimeMs, warntime: timing.warntimeMs, initdead: timing.initdeadMs,
  };
  const seen = new Set<string>();
  const outCf: string[] = [];
  for (const raw of hcLines) {
    const [body, comment] = splitComment(raw);
    const key = body.trim().split(/\s+/)[0] ?? '';
    if ((TIMING as readonly string[]).includes(key)) {
      const k = key as (typeof TIMING)[number];
      seen.add(k);
      const was = body.trim().split(/\s+/).slice(1).join(' ');
      const now = formatDuration(timingValue[k]);
      changes.push(`${k} ${seconds(was)} → ${seconds(now)}`);
      outCf.push(`${k} ${now}  # demo (example: ${was})`);
    } else if (key === 'logfile' || key === 'logfacility') {
      changes.push(`${key} ${body.trim().split(/\s+/).slice(1).join(' ')} → dropped (the demo logs to a private file)`);
      outCf.push(`# ${body.trim()}  (demo: dropped)`);
    } else {
      outCf.push(body.replace(IPV4, (a) => mapAddr(a)) + comment);
    }
  }
  for (const k of TIMING) if (!seen.has(k)) { outCf.push(`${k} ${formatDuration(timingValue[k])}  # demo`); changes.push(`${k} → ${formatDuration(timingValue[k])}`); }
  const outHr = hrLines.map((raw) => { const [body, comment] = splitComment(raw); return body.replace(IPV4, (a) => mapAddr(a)) + comment; });
  return ok({
    files: { haCf: outCf.join('\n'), haresources: outHr.join('\n'), authkeys: src.authkeys },
    nodes, networks, vips: vips.map(mapAddr), scripts, autoFailback, changes,
  });
}
