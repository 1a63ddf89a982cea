// The administrator mistakes the heartbeat how-tos and FAQ warn about, found in a parsed configuration plus OS facts.
// Pure: the parsed files and what the loader learnt about this machine in; warnings with file and line out.

import { diag, type Diagnostic } from '../errors.js';
import type { AuthKeys } from './authkeys-model.js';
import type { HaCf, Medium } from './hacf-model.js';
import { inSubnet, serviceAddresses } from './haresources.js';
import type { ResourceGroup } from './haresources-model.js';

/** One IPv4 address configured on an interface of this machine. */
export interface InterfaceAddress {
  readonly iface: string;
  readonly address: string;
  readonly prefix: number;
}

/** What the loader found out about the machine running the check. */
export interface HostFacts {
  /** `uname -n` of this machine. */
  readonly hostname: string;
  /** The node name the configuration was checked as (--node-name, else the hostname). */
  readonly nodeName: string;
  /** IPv4 addresses of this machine's interfaces; used to find which interface would carry a VIP given without /IF. */
  readonly addresses: readonly InterfaceAddress[];
  /** Addresses each ucast host resolved to on this machine (names the loader could not resolve are absent). */
  readonly resolved?: ReadonlyMap<string, readonly string[]>;
}

/** The parsed pieces `adviseConfig` looks at; each may be missing when its file failed to parse. */
export interface ParsedConfig {
  readonly haCf?: HaCf;
  readonly haresourcesFile: string;
  readonly groups?: readonly ResourceGroup[];
  readonly authkeysFile: string;
  readonly authkeys?: AuthKeys;
}

/** Renders a medium as its ha.cf line, for messages. */
export function describeMedium(m: Medium): string {
  switch (m.kind) {
    case 'bcast': return `bcast ${m.iface}`;
    case 'ucast': case 'ucast6': return `${m.kind} ${m.iface} ${m.host}`;
    case 'mcast': return `mcast ${m.iface} ${m.group} ${m.port} ${m.ttl} ${m.loop}`;
    case 'mcast6': return `mcast6 ${m.iface} ${m.group} ${m.port} ${m.hops} ${m.loop}`;
    case 'serial': return `serial ${m.device}`;
  }
}

const mediumIface = (m: Medium): string | undefined => (m.kind === 'serial' ? undefined : m.iface);

/**
 * Looks for the mistakes the seed documents warn about: heartbeats sharing the service NIC, every medium on one NIC,
 * crc over a network others can reach, deadtime/warntime against the FAQ's advice, ucast aimed at a VIP, and a check
 * run under a name other than this machine's.
 */
export function adviseConfig(cfg: ParsedConfig, facts: HostFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hacf = cfg.haCf;
  if (facts.nodeName.toLowerCase() !== facts.hostname.toLowerCase()) {
    out.push(diag('LL_CHECK_NODE_NOT_HOSTNAME', { hostname: facts.hostname, node: facts.nodeName }, {
      severity: 'warning', found: facts.nodeName, expected: `checks of interfaces and host names are only exact on ${facts.nodeName} itself`,
    }));
  }
  if (!hacf) return out;
  const at = (line: number) => ({ file: hacf.file, line });

  // Which interface carries each service address: written as ADDR/PREFIX/IFACE, or the local interface owning its subnet.
  const vips = cfg.groups ? serviceAddresses(cfg.groups) : [];
  const vipIfaces = new Map<string, string>();
  for (const v of vips) {
    const iface = v.iface ?? facts.addresses.find((a) => inSubnet(v.ip, a.address, a.prefix) && a.prefix < 32)?.iface;
    if (iface && !vipIfaces.has(iface)) vipIfaces.set(iface, v.ip);
  }
  for (const m of hacf.media) {
    const iface = mediumIface(m);
    if (iface && vipIfaces.has(iface)) {
      out.push(diag('LL_CHECK_MEDIUM_ON_VIP_IFACE', { medium: describeMedium(m), iface, vip: vipIfaces.get(iface)! }, {
        severity: 'warning', location: at(m.line), found: describeMedium(m), expected: 'heartbeats on an interface that carries no service address',
      }));
    }
  }

  const ifaces = new Set(hacf.media.map(mediumIface));
  if (hacf.media.length > 0 && ifaces.size === 1 && !ifaces.has(undefined)) {
    const iface = [...ifaces][0]!;
    out.push(diag('LL_CHECK_MEDIA_ONE_IFACE', { iface }, {
      severity: 'warning', location: at(hacf.media[0]!.line), found: hacf.media.map(describeMedium).join('; '), expected: 'a second medium on another NIC or a serial cable',
    }));
  }

  if (cfg.authkeys?.active.method === 'crc') {
    const net = hacf.media.find((m) => m.kind !== 'serial');
    if (net) {
      out.push(diag('LL_CHECK_CRC_SHARED_NETWORK', { medium: describeMedium(net) }, {
        severity: 'warning', location: { file: cfg.authkeysFile }, found: 'crc', expected: 'sha1 with a random secret (or crc only on a crossover cable or serial line)',
      }));
    }
  }

  if (hacf.explicit.has('warntime') && hacf.deadtime < 1.5 * hacf.warntime && hacf.warntime < hacf.deadtime) {
    out.push(diag('LL_CHECK_DEADTIME_ADVICE', { deadtime: hacf.deadtime, warntime: hacf.warntime }, {
      severity: 'warning', location: at(hacf.explicit.get('deadtime') ?? hacf.explicit.get('warntime')!), found: `deadtime ${hacf.deadtime} ms`,
      expected: `deadtime of at least ${Math.ceil(1.5 * hacf.warntime)} ms`,
    }));
  }

  const vipSet = new Set(vips.map((v) => v.ip));
  for (const m of hacf.media) {
    if (m.kind !== 'ucast' && m.kind !== 'ucast6') continue;
    // Seed 002: node names must resolve to the servers' fixed addresses, not to the VIP that moves between them.
    const vip = [m.host, ...(facts.resolved?.get(m.host) ?? [])].find((a) => vipSet.has(a));
    if (vip !== undefined) {
      out.push(diag('LL_CHECK_UCAST_TO_VIP', { host: vip === m.host ? m.host : `${m.host} = ${vip}` }, { severity: 'warning', location: at(m.line), found: m.host, expected: "the peer node's own fixed address or name" }));
    }
  }

  // crm on with two nodes: quorum is corosync's two_node rule (src/crm/cluster/quorum.ts), so either survivor of
  // a partition keeps quorum; only fencing keeps both halves from running the resources.
  if (hacf.pacemaker !== undefined && hacf.pacemaker !== 'off' && hacf.nodes.length === 2) {
    out.push(diag('LL_CHECK_CRM_TWO_NODE', { a: hacf.nodes[0]!, b: hacf.nodes[1]! }, {
      severity: 'warning', location: at(hacf.explicit.get('pacemaker') ?? hacf.explicit.get('node') ?? 1), found: `node ${hacf.nodes.join(' ')}`,
      expected: 'a stonith: resource (fence_ipmilan …) with pcmk_delay_max or priority-fencing-delay, two heartbeat media, or a third node',
    }));
  }

  return out;
}
