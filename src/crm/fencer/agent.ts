// How the fencer runs an agent (pure): fence-agents' stdin interface (Pacemaker's make_args: action=, nodename=,
// port=/plug=, the device's own parameters one per line), cluster-glue plugins through `stonith`, and metadata.

import { parseXml, getAttr, type XEl } from '../xml-lite.js';
import type { AgentCaps, Device } from './registry.js';

/** Where the programs live (Debian: fence-agents in /usr/sbin, cluster-glue's `stonith` in /usr/sbin). */
export interface AgentPaths {
  readonly fenceDir: string;
  readonly stonithCommand: string;
}

export const DEFAULT_PATHS: AgentPaths = { fenceDir: '/usr/sbin', stonithCommand: '/usr/sbin/stonith' };

/** One process to start: argv and the text for its stdin. */
export interface AgentCommand {
  readonly argv: readonly string[];
  readonly stdin?: string;
}

/** pcmk_stonith_param + the filters of append_config_arg: what the fencer keeps for itself. */
export function isFencerParam(name: string): boolean {
  return name.startsWith('pcmk_') || name === 'action' || name === 'crm_feature_set' || name.includes('CRM_meta') || name === 'provides' || name === 'stonith-timeout';
}

/**
 * make_args: the agent's key=value arguments for `action` against `target`. pcmk_ACTION_action renames the
 * action; the target goes in nodename= and in the host argument (pcmk_host_argument, else port/plug as the
 * metadata has it, else port) unless that parameter is configured (other than "dynamic") or is "none".
 */
export function agentArgs(d: Device, action: string, target: string | undefined): Array<[string, string]> {
  const args = new Map<string, string>();
  args.set('action', d.params.get(`pcmk_${action}_action`) ?? action);
  if (target !== undefined) {
    args.set('nodename', target);
    const param = d.params.get('pcmk_host_argument') ?? d.caps.hostArg ?? 'port';
    if (param.toLowerCase() !== 'none') {
      const configured = d.params.get(param);
      if (configured === undefined || configured.toLowerCase() === 'dynamic') args.set(param, d.aliases.get(target.toLowerCase()) ?? target);
    }
  }
  for (const [k, v] of d.params) if (!isFencerParam(k) && !args.has(k)) args.set(k, v);
  return [...args.entries()];
}

/** cluster-glue's verbs for the fencer's actions. */
const LHA_VERB: Readonly<Record<string, string>> = { reboot: 'reset', off: 'off', on: 'on' };

/** The process for one action: `fence_X` reading its arguments on stdin, or `stonith -t TYPE name=value ...`. */
export function agentCommand(d: Device, action: string, target: string | undefined, paths: AgentPaths = DEFAULT_PATHS): AgentCommand {
  if (d.kind === 'rhcs') {
    const lines = agentArgs(d, action, target).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`);
    return { argv: [`${paths.fenceDir}/${d.agent}`], stdin: `${lines.join('\n')}\n` };
  }
  const params = [...d.params].filter(([k]) => !isFencerParam(k)).map(([k, v]) => `${k}=${v}`);
  const base = [paths.stonithCommand, '-t', d.agent, ...params];
  const verb = LHA_VERB[action];
  if (verb !== undefined && target !== undefined) return { argv: [...base, '-T', verb, d.aliases.get(target.toLowerCase()) ?? target] };
  if (action === 'list') return { argv: [...base, '-l'] };
  if (action === 'metadata') return { argv: [paths.stonithCommand, '-t', d.agent, '-m'] };
  return { argv: [...base, '-S'] };
}

/** The metadata command of an agent (before any device exists): `fence_X` with action=metadata on stdin. */
export function metadataCommand(agent: string, paths: AgentPaths = DEFAULT_PATHS): AgentCommand {
  if (agent.startsWith('fence_')) return { argv: [`${paths.fenceDir}/${agent}`], stdin: 'action=metadata\n' };
  return { argv: [paths.stonithCommand, '-t', agent, '-m'] };
}

function all(e: XEl, name: string, out: XEl[] = []): XEl[] {
  if (e.tagName === name) out.push(e);
  for (const k of e.kids) all(k, name, out);
  return out;
}

const truthy = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on', 'y'].includes(v.toLowerCase());

/**
 * read_action_metadata + stonith__device_parameter_flags: which actions the agent has (list, status, reboot,
 * on with automatic="1"), and whether it takes the target as `port` (preferred) or `plug`. Undefined when the
 * text is not metadata XML.
 */
export function capsFromMetadata(xml: string): AgentCaps | undefined {
  const start = xml.indexOf('<');
  if (start < 0) return undefined;
  const doc = parseXml(xml.slice(start));
  if (!doc.ok) return undefined;
  const actions = all(doc.root, 'action');
  const names = new Set(actions.map((a) => getAttr(a, 'name')));
  const params = new Set(all(doc.root, 'parameter').map((p) => getAttr(p, 'name')));
  const on = actions.find((a) => getAttr(a, 'name') === 'on');
  return {
    list: names.has('list'), status: names.has('status'), reboot: names.has('reboot'), on: names.has('on'),
    ...(params.has('port') ? { hostArg: 'port' as const } : params.has('plug') ? { hostArg: 'plug' as const } : {}),
    automaticUnfencing: on !== undefined && (truthy(getAttr(on, 'automatic')) || truthy(getAttr(on, 'required'))),
  };
}

/** The parameters a metadata document declares, for `stonith_admin --metadata` users and checks. */
export function metadataParameters(xml: string): string[] {
  const start = xml.indexOf('<');
  const doc = start < 0 ? undefined : parseXml(xml.slice(start));
  if (!doc || !doc.ok) return [];
  return all(doc.root, 'parameter').map((p) => getAttr(p, 'name') ?? '').filter(Boolean);
}

/** The agent's words on a failure: its last non-empty stderr line without the "ERROR:"-style log prefix. */
export function agentReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/DeprecationWarning|from pipes import/.test(l));
  const last = lines.at(-1);
  return last === undefined ? undefined : last.replace(/^\d{4}-\d\d-\d\d [\d:,.]+ /, '');
}
