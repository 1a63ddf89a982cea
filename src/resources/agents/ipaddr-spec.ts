// Pure IPv4 arithmetic for heartbeat's IPaddr resources: parsing `ip[/bits[/nic[/broadcast]]]`, finding the
// interface as findif does from the routing table, and computing netmask, broadcast and the `eth0:N` label.

import { diag, type Diagnostic } from '../../errors.js';
import { err, ok, type Result } from '../../types.js';
import { parseAddressSpec } from '../../config/haresources.js';

/** An IPaddr argument as written; absent parts are found at start time. */
export interface IpSpec {
  readonly ip: string;
  readonly prefix?: number;
  readonly nic?: string;
  readonly broadcast?: string;
}

/** A fully resolved address: what `ip addr add` gets. */
export interface IpPlan {
  readonly ip: string;
  readonly prefix: number;
  readonly nic: string;
  readonly broadcast: string;
  /** `eth0:0` style label (IPaddr), or undefined (IPaddr2 without a label). */
  readonly label?: string;
}

/** One IPv4 route as `ip -j -4 route show` prints it. */
export interface Route {
  readonly dst: string;
  readonly dev: string;
  readonly scope?: string;
  readonly prefsrc?: string;
  readonly metric?: number;
}

/** One IPv4 address on an interface, from `ip -j -4 addr show`. */
export interface IfAddr {
  readonly ifname: string;
  readonly local: string;
  readonly prefixlen: number;
  readonly label?: string;
  readonly broadcast?: string;
}

/** Parses a dotted quad into a 32-bit unsigned number, or undefined. */
export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** Renders a 32-bit number as a dotted quad. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** The netmask of a prefix length, as a number (prefix 0 → 0). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** heartbeat's broadcast when none is given: the highest address of the subnet. */
export function defaultBroadcast(ip: string, prefix: number): string {
  const n = parseIpv4(ip)!;
  return formatIpv4((n | (~prefixMask(prefix) >>> 0)) >>> 0);
}

/**
 * Parses `ip[/bits[/nic[/broadcast]]]` (also `ip/bits/broadcast`) through the config parser's `parseAddressSpec`,
 * so `lifeline check` and the agent can never disagree about what an address word means.
 */
export function parseIpSpec(text: string, where: { file: string; line?: number } = { file: 'haresources' }): Result<IpSpec, Diagnostic> {
  const { spec, problems } = parseAddressSpec(text, text);
  if (!spec) {
    const first = problems[0]!;
    const what = first.code === 'LL_HARES_BAD_ADDRESS' ? 'address' : first.code === 'LL_HARES_BAD_PREFIX' ? 'netmask'
      : first.code === 'LL_HARES_BAD_BROADCAST' ? 'broadcast' : 'form';
    return err(diag('LL_RES_BAD_IPADDR', { value: text, what }, { location: where, found: text, expected: first.expected }));
  }
  return ok({ ip: spec.ip, ...(spec.prefix !== undefined ? { prefix: spec.prefix } : {}), ...(spec.iface !== undefined ? { nic: spec.iface } : {}),
    ...(spec.broadcast !== undefined ? { broadcast: spec.broadcast } : {}) });
}

/**
 * findif: the connected (scope link) route with the longest prefix covering the address gives the
 * interface and the netmask when they were not written. With an interface given, only its routes count.
 * `matchWrittenPrefix` is findif.sh's `ip route list match ADDR/BITS` (IPaddr2): with a netmask written, only
 * routes covering that whole subnet count; heartbeat's C findif (IPaddr) looks at the address alone.
 */
export function findInterface(spec: IpSpec, routes: readonly Route[], matchWrittenPrefix = false): Result<{ nic: string; prefix: number; prefsrc?: string }, string> {
  const ip = parseIpv4(spec.ip)!;
  const baseNic = spec.nic?.split(':')[0];
  let best: { nic: string; prefix: number; metric: number; prefsrc?: string } | undefined;
  for (const r of routes) {
    if (r.dst === 'default' || r.scope !== 'link') continue; // findif.sh: connected routes only
    const [net, bits] = r.dst.includes('/') ? r.dst.split('/') : [r.dst, '32'];
    const n = parseIpv4(net!);
    const p = Number(bits);
    if (n === undefined || !(p >= 0 && p <= 32)) continue;
    if (matchWrittenPrefix && spec.prefix !== undefined && p > spec.prefix) continue;
    if (((ip & prefixMask(p)) >>> 0) !== ((n & prefixMask(p)) >>> 0)) continue;
    if (baseNic !== undefined && r.dev !== baseNic) continue;
    const metric = r.metric ?? 0;
    if (!best || p > best.prefix || (p === best.prefix && metric < best.metric)) {
      best = { nic: r.dev, prefix: p, metric, ...(r.prefsrc !== undefined ? { prefsrc: r.prefsrc } : {}) };
    }
  }
  if (!best) {
    if (baseNic !== undefined && spec.prefix !== undefined) return ok({ nic: baseNic, prefix: spec.prefix });
    return err(`Unable to find nic or netmask for ${spec.ip}: no connected route covers it`);
  }
  return ok({ nic: baseNic ?? best.nic, prefix: spec.prefix ?? best.prefix, ...(best.prefsrc !== undefined ? { prefsrc: best.prefsrc } : {}) });
}

/** IPaddr's find_free_interface: the first `nic:N` label not already used on that interface. */
export function freeLabel(nic: string, addrs: readonly IfAddr[]): string | undefined {
  const used = new Set(addrs.filter((a) => a.ifname === nic && a.label).map((a) => a.label));
  for (let j = 0; j < 512; j++) {
    const l = `${nic}:${j}`;
    if (l.length > 15) return undefined; // IFNAMSIZ: the kernel refuses longer labels
    if (!used.has(l)) return l;
  }
  return undefined;
}

/**
 * Resolves a spec into the exact address to add. `style` IPaddr labels the alias (`eth0:0`) and, like heartbeat's
 * C findif, broadcasts to the highest address of the VIP's subnet; IPaddr2 adds no label and, like findif.sh,
 * reuses the broadcast of the interface address the route names as source (checked against the real scripts).
 */
export function planAddress(spec: IpSpec, routes: readonly Route[], addrs: readonly IfAddr[], style: 'IPaddr' | 'IPaddr2'): Result<IpPlan, string> {
  const f = findInterface(spec, routes, style === 'IPaddr2');
  if (!f.ok) return f;
  const explicitLabel = spec.nic?.includes(':') ? spec.nic : undefined;
  const label = explicitLabel ?? (style === 'IPaddr' ? freeLabel(f.value.nic, addrs) : undefined);
  const srcBroadcast = style === 'IPaddr2' && f.value.prefsrc !== undefined
    ? addrs.find((a) => a.local === f.value.prefsrc && a.ifname === f.value.nic)?.broadcast : undefined;
  return ok({
    ip: spec.ip, prefix: f.value.prefix, nic: f.value.nic,
    broadcast: spec.broadcast ?? srcBroadcast ?? defaultBroadcast(spec.ip, f.value.prefix),
    ...(label ? { label } : {}),
  });
}

/** Reads `ip -j -4 route show` output. */
export function parseRoutesJson(text: string): Route[] {
  const v = JSON.parse(text) as Array<Record<string, unknown>>;
  return v.filter((r) => typeof r.dst === 'string' && typeof r.dev === 'string').map((r) => ({
    dst: r.dst as string, dev: r.dev as string,
    ...(typeof r.scope === 'string' ? { scope: r.scope } : {}),
    ...(typeof r.prefsrc === 'string' ? { prefsrc: r.prefsrc } : {}),
    ...(typeof r.metric === 'number' ? { metric: r.metric } : {}),
  }));
}

/** Reads `ip -j -4 addr show` output into one entry per IPv4 address. */
export function parseAddrsJson(text: string): IfAddr[] {
  const v = JSON.parse(text) as Array<{ ifname?: string; addr_info?: Array<Record<string, unknown>> }>;
  const out: IfAddr[] = [];
  for (const i of v) {
    for (const a of i.addr_info ?? []) {
      if (a.family !== 'inet' || typeof a.local !== 'string' || !i.ifname) continue;
      out.push({ ifname: i.ifname, local: a.local, prefixlen: Number(a.prefixlen),
        ...(typeof a.label === 'string' ? { label: a.label } : {}),
        ...(typeof a.broadcast === 'string' ? { broadcast: a.broadcast } : {}) });
    }
  }
  return out;
}
