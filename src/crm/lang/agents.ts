// Which resource agents exist and what their OCF meta-data says (parameters, advised timeouts), for verify.
// The catalogue is an interface: tests pass a fixed one; `systemAgentCatalog` looks at this machine's agent dirs.

import { accessSync, constants, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';

/** One `<parameter>` of an agent's meta-data. */
export interface AgentParameter {
  readonly name: string;
  readonly required: boolean;
}

/** One `<action>` of an agent's meta-data, with the timeout the agent advises. */
export interface AgentAction {
  readonly name: string;
  readonly timeout?: string;
  readonly interval?: string;
  readonly role?: string;
}

/** What verify needs to know of an agent. */
export interface AgentInfo {
  readonly parameters: readonly AgentParameter[];
  readonly actions: readonly AgentAction[];
}

/** Answers "is this agent installed" and "what is its meta-data"; undefined means "cannot tell", which skips the check. */
export interface AgentCatalog {
  exists(cls: string, provider: string | undefined, type: string): boolean | undefined;
  metadata(cls: string, provider: string | undefined, type: string): AgentInfo | undefined;
}

/** `ocf:heartbeat:IPaddr2`, `lsb:postgresql`: the key agents are named by. */
export const agentKey = (cls: string, provider: string | undefined, type: string): string =>
  provider !== undefined ? `${cls}:${provider}:${type}` : `${cls}:${type}`;

/** A catalogue from a fixed table: key → meta-data (or `true` for "installed, no meta-data"); anything else is absent. */
export function staticAgentCatalog(agents: Readonly<Record<string, AgentInfo | true>>): AgentCatalog {
  return {
    exists: (c, p, t) => agentKey(c, p, t) in agents,
    metadata: (c, p, t) => {
      const a = agents[agentKey(c, p, t)];
      return a === true ? undefined : a;
    },
  };
}

/** Parses OCF meta-data XML (`<resource-agent><parameters>…<actions>…`); undefined when it is not that. */
export function parseAgentMetadata(xml: string): AgentInfo | undefined {
  let root: Element | null;
  try {
    root = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    return undefined;
  }
  if (!root || root.tagName !== 'resource-agent') return undefined;
  const parameters: AgentParameter[] = [];
  const actions: AgentAction[] = [];
  const params = root.getElementsByTagName('parameter');
  for (let i = 0; i < params.length; i++) {
    const p = params.item(i)!;
    parameters.push({ name: p.getAttribute('name') ?? '', required: p.getAttribute('required') === '1' });
  }
  const acts = root.getElementsByTagName('action');
  for (let i = 0; i < acts.length; i++) {
    const a = acts.item(i)!;
    const get = (n: string) => (a.hasAttribute(n) ? a.getAttribute(n) ?? undefined : undefined);
    const timeout = get('timeout');
    const interval = get('interval');
    const role = get('role');
    actions.push({ name: get('name') ?? '', ...(timeout ? { timeout } : {}), ...(interval ? { interval } : {}), ...(role ? { role } : {}) });
  }
  return { parameters, actions };
}

/** Where this machine's agents live; a field is a list of directories searched in order. */
export interface AgentDirs {
  readonly ocfRoot: string;
  readonly initDirs: readonly string[];
  readonly systemdDirs: readonly string[];
  readonly stonithDirs: readonly string[];
  readonly nagiosDirs: readonly string[];
  /** heartbeat's resource scripts (class heartbeat: `/etc/ha.d/resource.d/NAME ARGS... start`). */
  readonly heartbeatDirs?: readonly string[];
}

/** Debian's locations (resource-agents, pacemaker, cluster-glue, fence-agents, systemd). */
export const DEFAULT_AGENT_DIRS: AgentDirs = {
  ocfRoot: '/usr/lib/ocf',
  initDirs: ['/etc/init.d'],
  systemdDirs: ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system', '/run/systemd/system'],
  stonithDirs: ['/usr/sbin', '/usr/lib/stonith/plugins', '/usr/lib/x86_64-linux-gnu/stonith/plugins', '/usr/lib/aarch64-linux-gnu/stonith/plugins'],
  nagiosDirs: ['/usr/lib/nagios/plugins'],
  heartbeatDirs: ['/etc/ha.d/resource.d'],
};

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The agents installed on this machine. OCF meta-data comes from running `AGENT meta-data` (as crmsh does),
 * with a 5 s limit, cached per agent. This is the one part of src/crm/lang that touches the OS.
 */
export function systemAgentCatalog(dirs: AgentDirs = DEFAULT_AGENT_DIRS): AgentCatalog {
  const cache = new Map<string, AgentInfo | undefined>();
  const ocfPath = (provider: string | undefined, type: string) => join(dirs.ocfRoot, 'resource.d', provider ?? '', type);
  const anyIn = (ds: readonly string[], names: string[]) => ds.some((d) => names.some((n) => existsSync(join(d, n))));
  return {
    exists(cls, provider, type) {
      if (type.includes('..')) return false;
      switch (cls) {
        case 'ocf': return provider !== undefined && executable(ocfPath(provider, type));
        case 'lsb': return anyIn(dirs.initDirs, [type]);
        case 'systemd': return anyIn(dirs.systemdDirs, type.includes('.') ? [type] : [`${type}.service`, type]);
        case 'service':
          return anyIn(dirs.initDirs, [type]) || anyIn(dirs.systemdDirs, type.includes('.') ? [type] : [`${type}.service`, type]);
        case 'stonith':
          // fence_* agents sit in /usr/sbin; cluster-glue plugins are external/NAME or stonith2/NAME.
          return type.startsWith('fence_') ? anyIn(dirs.stonithDirs, [type])
            : anyIn(dirs.stonithDirs, [type, join('external', type), join('stonith2', `${type}.so`)]);
        case 'nagios': return anyIn(dirs.nagiosDirs, [type]);
        case 'heartbeat': return anyIn(dirs.heartbeatDirs ?? ['/etc/ha.d/resource.d'], [type]);
        default: return undefined;
      }
    },
    metadata(cls, provider, type) {
      if (cls !== 'ocf' || provider === undefined) return undefined;
      const key = agentKey(cls, provider, type);
      if (cache.has(key)) return cache.get(key);
      let info: AgentInfo | undefined;
      try {
        const out = execFileSync(ocfPath(provider, type), ['meta-data'], {
          env: { ...process.env, OCF_ROOT: dirs.ocfRoot }, timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
        });
        info = parseAgentMetadata(out);
      } catch {
        info = undefined;
      }
      cache.set(key, info);
      return info;
    },
  };
}
