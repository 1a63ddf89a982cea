// Loads a heartbeat configuration directory (ha.cf, haresources, authkeys) and checks what only the OS can tell.
// The thin OS layer around the pure parsers: reads files, stats authkeys, lists interfaces, resolves ucast hosts.

import { readFile, stat, readdir, access, lstat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../errors.js';
import { configDigest } from './digest.js';
import { parseMonitors, type MonitorSpec } from './monitors.js';
import { parseAuthkeys } from './authkeys.js';
import type { AuthKeys } from './authkeys-model.js';
import { parseHaCf } from './hacf.js';
import type { HaCf } from './hacf-model.js';
import { parseHaresources } from './haresources.js';
import type { ResourceGroup } from './haresources-model.js';
import { adviseConfig, type HostFacts, type InterfaceAddress } from './advice.js';
import { checkStonith, type StonithCatalog } from '../fencing/device.js';
import { readConfigFile, stonithCatalog } from '../fencing/stonith-cli.js';

/** Everything read from one configuration directory. A part is present only when its file parsed without error. */
export interface LoadedConfig {
  readonly dir: string;
  readonly files: { readonly haCf: string; readonly haresources: string; readonly authkeys: string };
  readonly haCf?: HaCf;
  readonly groups?: readonly ResourceGroup[];
  readonly authkeys?: AuthKeys;
  /**
   * Where resource groups come from: `haresources` (read, `groups` set), `missing` (pacemaker off but no haresources
   * file: the node runs membership only, with no groups) or `crm` (pacemaker on: haresources is not read at all).
   */
  readonly resourceSource: 'haresources' | 'missing' | 'crm';
  /** The files' digest as the daemon advertises it in its status messages (config/digest.ts). */
  readonly digest: string;
  /** /etc/ha.d/monitors, when it exists (Lifeline's haresources monitoring). */
  readonly monitors?: readonly MonitorSpec[];
  readonly facts: HostFacts;
  /** Every error and warning of the three files and of the OS checks, file by file. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when no diagnostic is an error: heartbeat would start with this configuration. */
  readonly valid: boolean;
}

/** Options of loadConfigDir; the defaults ask the OS. Tests pass facts to stay independent of the machine. */
export interface LoadOptions {
  /** The node name to check as; default this machine's hostname (uname -n). */
  readonly nodeName?: string;
  readonly hostname?: string;
  /** Interface names present on this machine; default /sys/class/net. */
  readonly interfaces?: readonly string[];
  readonly addresses?: readonly InterfaceAddress[];
  /** Resolves a host name to addresses, or undefined; default dns.lookup (which reads /etc/hosts first). */
  readonly resolve?: (host: string) => Promise<readonly string[] | undefined>;
  /** Directories searched for haresources scripts after DIR/resource.d; default /etc/ha.d/resource.d and /etc/init.d. */
  readonly scriptDirs?: readonly string[];
  /** What cluster-glue knows about the plugin types ha.cf names; default: asks the installed `stonith` command. */
  readonly stonithCatalog?: (types: readonly string[]) => Promise<StonithCatalog>;
}

async function readText(path: string, out: Diagnostic[], required: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (required || (e as NodeJS.ErrnoException).code !== 'ENOENT') {
      out.push(diag('LL_IO_READ_FAILED', { file: path, reason: (e as Error).message }, { location: { file: path } }));
    }
    return undefined;
  }
}

async function localInterfaces(): Promise<string[]> {
  try {
    return await readdir('/sys/class/net');
  } catch {
    return Object.keys(networkInterfaces());
  }
}

function localAddresses(): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const [iface, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && a.cidr) out.push({ iface, address: a.address, prefix: Number(a.cidr.split('/')[1]) });
    }
  }
  return out;
}

async function dnsResolve(host: string): Promise<readonly string[] | undefined> {
  try {
    const r = await Promise.race([
      lookup(host, { all: true }),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000).unref()),
    ]);
    return r.map((x) => x.address);
  } catch {
    return undefined;
  }
}

/** Resource types handled inside Lifeline rather than by a script in resource.d or /etc/init.d. */
const BUILT_IN_TYPES = new Set(['IPaddr', 'IPaddr2', 'IPsrcaddr', 'OCF']);

/**
 * Reads and checks DIR/ha.cf, DIR/haresources and DIR/authkeys (its mode via stat), then what needs the OS:
 * interfaces named by media exist, ucast hosts resolve, haresources scripts exist. OS findings are errors when the
 * check runs as this machine (heartbeat would fail to start) and warnings when checking as another node.
 */
export async function loadConfigDir(dir: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const files = { haCf: join(dir, 'ha.cf'), haresources: join(dir, 'haresources'), authkeys: join(dir, 'authkeys') };
  const hostname = opts.hostname ?? osHostname();
  const nodeName = opts.nodeName ?? hostname;
  const resolved = new Map<string, readonly string[]>();
  const facts: HostFacts = { hostname, nodeName, addresses: opts.addresses ?? localAddresses(), resolved };
  const diagnostics: Diagnostic[] = [];

  const hacfText = await readText(files.haCf, diagnostics, true);
  const hacfParse = hacfText === undefined ? undefined : parseHaCf(hacfText, files.haCf, nodeName);
  if (hacfParse) diagnostics.push(...hacfParse.diagnostics);
  const haCf = hacfParse?.value;

  // haresources is read only when heartbeat itself manages resources (pacemaker off). With the CRM it is not read
  // at all; heartbeat 3.0.6 only warns that it exists. Without it and without the CRM the node runs membership only.
  const managesResources = (hacfParse?.partial.pacemaker ?? 'off') === 'off';
  let resourceSource: LoadedConfig['resourceSource'] = managesResources ? 'haresources' : 'crm';
  let haresText: string | undefined;
  if (hacfParse && !managesResources) {
    if (await lstat(files.haresources).then(() => true, () => false)) {
      diagnostics.push(diag('LL_HARES_UNUSED_WITH_CRM', { file: files.haresources }, {
        severity: 'warning', location: { file: files.haresources }, found: `pacemaker ${hacfParse.partial.pacemaker} in ${files.haCf}`, expected: 'resources in the CIB, or pacemaker off to use haresources',
      }));
    }
  } else if (hacfParse) {
    haresText = await readText(files.haresources, diagnostics, false);
    if (haresText === undefined && !diagnostics.some((d) => d.code === 'LL_IO_READ_FAILED' && d.location?.file === files.haresources)) {
      resourceSource = 'missing';
      diagnostics.push(diag('LL_HARES_MISSING', { file: files.haresources }, {
        severity: 'warning', location: { file: files.haresources },
      }));
    }
  }
  const haresParse = haresText === undefined || !hacfParse ? undefined : parseHaresources(haresText, files.haresources, hacfParse.nodes);
  if (haresParse) diagnostics.push(...haresParse.diagnostics);
  const groups = haresParse?.value;

  const authText = await readText(files.authkeys, diagnostics, true);
  let mode: number | undefined;
  try { mode = (await stat(files.authkeys)).mode; } catch { /* reported by readText */ }
  const authParse = authText === undefined ? undefined : parseAuthkeys(authText, files.authkeys, mode);
  if (authParse) diagnostics.push(...authParse.diagnostics);
  const authkeys = authParse?.value;

  // OS checks: exact only on the node itself, so elsewhere they are warnings.
  const self = nodeName.toLowerCase() === hostname.toLowerCase();
  const severity = self ? 'error' : 'warning';
  const where = self ? '' : ` on this machine (${hostname}); checked as ${nodeName}, it may exist there`;
  if (haCf) {
    const present = new Set(opts.interfaces ?? await localInterfaces());
    const reported = new Set<string>();
    for (const m of haCf.media) {
      if (m.kind === 'serial' || present.has(m.iface) || reported.has(m.iface)) continue;
      reported.add(m.iface);
      diagnostics.push(diag('LL_HACF_IFACE_MISSING', { iface: m.iface, where }, { severity, location: { file: files.haCf, line: m.line }, found: m.iface, expected: `one of ${[...present].join(', ')}` }));
    }
    const resolve = opts.resolve ?? dnsResolve;
    for (const m of haCf.media) {
      if (m.kind !== 'ucast' && m.kind !== 'ucast6') continue;
      const addrs = resolved.has(m.host) ? resolved.get(m.host) : await resolve(m.host);
      if (addrs !== undefined) resolved.set(m.host, addrs);
      else {
        diagnostics.push(diag('LL_HACF_HOST_UNRESOLVED', { kind: m.kind, host: m.host, where }, { severity, location: { file: files.haCf, line: m.line }, found: m.host, expected: 'an address, or a name in /etc/hosts or DNS' }));
      }
    }
  }
  if (groups && managesResources) {
    const dirs = [...new Set([join(dir, 'resource.d'), ...(opts.scriptDirs ?? ['/etc/ha.d/resource.d', '/etc/init.d'])])];
    for (const g of groups) {
      for (const r of g.resources) {
        if (BUILT_IN_TYPES.has(r.type)) continue;
        let found = false;
        for (const d of dirs) {
          try { await access(join(d, r.type), fsConstants.X_OK); found = true; break; } catch { /* try next */ }
        }
        if (!found) {
          diagnostics.push(diag('LL_HARES_SCRIPT_NOT_FOUND', { script: r.type, dirs: dirs.join(', ') }, { severity: 'warning', location: { file: files.haresources, line: g.line }, found: r.text, expected: `an executable ${r.type} in ${dirs.join(' or ')}` }));
        }
      }
    }
  }
  // STONITH: the plugin types and parameters are what the installed cluster-glue accepts (`stonith -t TYPE -n`).
  if (haCf && haCf.stonith.length > 0) {
    const catalog = await (opts.stonithCatalog ?? stonithCatalog)(haCf.stonith.map((s) => s.type));
    diagnostics.push(...checkStonith(haCf, nodeName, catalog, readConfigFile));
  }
  // Lifeline's opt-in monitor file (config/monitors.ts): checked when it exists.
  const monitorsText = groups && managesResources ? await readText(join(dir, 'monitors'), diagnostics, false) : undefined;
  const monitors = monitorsText === undefined || !groups ? undefined : parseMonitors(monitorsText, join(dir, 'monitors'), groups);
  if (monitors) diagnostics.push(...monitors.diagnostics);
  diagnostics.push(...adviseConfig({ ...(haCf ? { haCf } : {}), haresourcesFile: files.haresources, ...(groups ? { groups } : {}), authkeysFile: files.authkeys, ...(authkeys ? { authkeys } : {}) }, facts));
  return {
    dir, files, resourceSource, facts, diagnostics, valid: !diagnostics.some((d) => d.severity === 'error'),
    ...(haCf ? { haCf } : {}), ...(groups ? { groups } : {}), ...(authkeys ? { authkeys } : {}),
    digest: configDigest({
      ...(hacfText !== undefined ? { haCf: hacfText } : {}), ...(haresText !== undefined ? { haresources: haresText } : {}),
      ...(authText !== undefined ? { authkeys: authText } : {}),
    }),
    ...(monitors ? { monitors: monitors.value } : {}),
  };
}
