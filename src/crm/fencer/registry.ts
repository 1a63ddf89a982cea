// The fencer's device registry (Pacemaker 2.1.5 fenced_commands.c): `stonith:` primitives of the CIB become devices
// with their parameters, host list, host map and delay settings; pure, so host checks are decided from data alone.

import { parseCib, isTrue, primitivesOf, type PrimitiveDef } from '../cib.js';
import { parseTopology, type Topology } from './topology.js';

/** How a device decides whether it can fence a target (pcmk_host_check). */
export type HostCheck = 'static-list' | 'dynamic-list' | 'status' | 'none';

/** What an agent's metadata says it can do (read_action_metadata, stonith__device_parameter_flags). */
export interface AgentCaps {
  readonly list: boolean;
  readonly status: boolean;
  readonly reboot: boolean;
  readonly on: boolean;
  /** The agent has a `port` parameter (preferred) or a `plug` one: the target goes there. */
  readonly hostArg?: 'port' | 'plug';
  /** `on` with automatic="1" (or required="1"): unfencing. */
  readonly automaticUnfencing: boolean;
}

/** fence-agents' metadata interface, or a cluster-glue plugin run through `stonith` (Pacemaker's st_lha). */
export type AgentKind = 'rhcs' | 'lha';

/** One registered fence device. */
export interface Device {
  /** The primitive's id (`fence_nodea`). */
  readonly id: string;
  /** The agent: `fence_ipmilan`, or a cluster-glue type such as `external/ipmi`. */
  readonly agent: string;
  readonly kind: AgentKind;
  /** Instance attributes, pcmk_* included (they are filtered out when the agent runs). */
  readonly params: ReadonlyMap<string, string>;
  /** pcmk_host_list (and the targets of pcmk_host_map), for static-list. */
  readonly targets: readonly string[];
  /** pcmk_host_map: node name (lower case) → the agent's name for it (port/plug). */
  readonly aliases: ReadonlyMap<string, string>;
  /** The resource's `priority` meta attribute: devices are tried highest first. */
  readonly priority: number;
  readonly caps: AgentCaps;
}

/** The fencing-related cluster options, with Pacemaker's defaults. */
export interface FencerOptions {
  /** stonith-enabled (default true). */
  readonly enabled: boolean;
  /** stonith-action: reboot (default) or off (poweroff is an old synonym). */
  readonly action: 'reboot' | 'off';
  /** stonith-timeout in ms (default 60 s). */
  readonly timeoutMs: number;
  /** priority-fencing-delay in ms (default 0: disabled). */
  readonly priorityDelayMs: number;
}

export const DEFAULT_OPTIONS: FencerOptions = { enabled: true, action: 'reboot', timeoutMs: 60_000, priorityDelayMs: 0 };

/** A configuration problem, named by resource id (dropped devices are counted by the caller). */
export interface RegistryProblem {
  readonly id: string;
  readonly text: string;
}

/** Everything the fencer takes from one CIB. */
export interface FencerConfig {
  readonly devices: readonly Device[];
  readonly topology: Topology;
  readonly options: FencerOptions;
  readonly problems: readonly RegistryProblem[];
}

/** Capabilities assumed before the metadata is known, and for cluster-glue plugins (st_lha's generic actions). */
export const LHA_CAPS: AgentCaps = { list: true, status: true, reboot: true, on: true, automaticUnfencing: false };
export const UNKNOWN_CAPS: AgentCaps = { list: false, status: false, reboot: true, on: false, automaticUnfencing: false };

/** A cluster-glue plugin type (`external/ipmi`, `meatware`, `null`, ...) rather than a fence-agents program. */
export function agentKind(agent: string): AgentKind {
  return agent.startsWith('fence_') ? 'rhcs' : 'lha';
}

/**
 * stonith__parse_targets: one entry per word, words separated by blanks, `,` or `;`, lines by newlines (also a
 * literal `\n`); an entry is its leading [a-zA-Z0-9_.-] run; lines mentioning "invalid"/"variable" (agents'
 * complaints) and the words on/off are skipped.
 */
export function parseTargets(spec: string): string[] {
  const out: string[] = [];
  for (const line of spec.split(/\n|\\n/)) {
    if (line.includes('invalid') || line.includes('variable')) continue;
    for (const word of line.split(/[\s,;]+/)) {
      if (word === '') continue;
      const m = /^[a-zA-Z0-9_.-]+/.exec(word);
      if (!m) continue;
      if (/^(on|off)$/i.test(m[0])) continue;
      out.push(m[0]);
    }
  }
  return out;
}

/**
 * build_port_aliases: `node1:port1;node2=port2 node3:port3` — `=` or `:` ends a name, `;`, blank or tab ends an
 * entry, `\` escapes the next character. Returns the map (names case-insensitive) and the ports in order.
 */
export function parseHostMap(map: string): { aliases: Map<string, string>; ports: string[] } {
  const aliases = new Map<string, string>();
  const ports: string[] = [];
  let name: string | undefined;
  let last = 0;
  for (let i = 0; i <= map.length; i++) {
    const c = map[i];
    if (c === '\\') { i++; continue; }
    if (c === '=' || c === ':') {
      if (i > last) name = map.slice(last, i);
      last = i + 1;
    } else if (c === undefined || c === ';' || c === ' ' || c === '\t') {
      if (name !== undefined) {
        const value = map.slice(last, i).replace(/\\/g, '');
        aliases.set(name.toLowerCase(), value);
        ports.push(value);
        name = undefined;
      }
      last = i + 1;
    }
  }
  return { aliases, ports };
}

/** Seconds as Pacemaker's crm_parse_interval_spec reads them ("5s", "2min", "500ms", bare = seconds), in ms. */
export function intervalMs(text: string | undefined): number {
  if (text === undefined) return 0;
  const m = /^\s*(\d+)\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?\s*$/.exec(text);
  if (!m) return 0;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'ms': case 'msec': return n;
    case 'us': case 'usec': return Math.floor(n / 1000);
    case 'm': case 'min': return n * 60_000;
    case 'h': case 'hr': return n * 3_600_000;
    default: return n * 1000;
  }
}

/** target_list_type: pcmk_host_check, else static-list with a host list or map, else by the agent's actions. */
export function hostCheckOf(d: Pick<Device, 'params' | 'caps'>): HostCheck | string {
  const set = d.params.get('pcmk_host_check');
  if (set !== undefined) return set.toLowerCase();
  if (d.params.has('pcmk_host_list') || d.params.has('pcmk_host_map')) return 'static-list';
  if (d.caps.list) return 'dynamic-list';
  if (d.caps.status) return 'status';
  return 'none';
}

/** get_action_delay_max, in whole seconds as fenced keeps it (fencing actions only). */
export function delayMaxS(d: Device, action: string): number {
  if (!isFencingAction(action)) return 0;
  return Math.floor(intervalMs(d.params.get('pcmk_delay_max')) / 1000);
}

/** get_action_delay_base: a plain time, or a per-node map `node1:5s;node2:0` (prefix match, as fenced does). */
export function delayBaseS(d: Device, action: string, target: string | undefined): number {
  if (!isFencingAction(action)) return 0;
  const raw = d.params.get('pcmk_delay_base');
  if (raw === undefined) return 0;
  let value = raw;
  if (target !== undefined) {
    for (const part of raw.split(/[; \t]+/).filter(Boolean)) {
      const i = part.indexOf(':');
      if (i <= 0 || i === part.length - 1) continue;
      if (target.toLowerCase().startsWith(part.slice(0, i).toLowerCase())) { value = part.slice(i + 1); break; }
    }
  }
  return value.includes(':') ? 0 : Math.floor(intervalMs(value) / 1000);
}

/** pcmk__is_fencing_action: reboot and off are fencing; on (unfencing), list, status, monitor are not. */
export function isFencingAction(action: string): boolean {
  return action === 'reboot' || action === 'off';
}

/** get_action_timeout: pcmk_ACTION_timeout (reboot read as off when the agent cannot reboot), else the default. */
export function actionTimeoutMs(d: Device, action: string, defaultMs: number): number {
  const a = action === 'reboot' && !d.caps.reboot ? 'off' : action;
  const v = d.params.get(`pcmk_${a}_timeout`);
  if (v === undefined) return defaultMs;
  // atoi() of the value, in seconds ("90s" is 90; junk is 0, which fenced would also use).
  return (parseInt(v, 10) || 0) * 1000;
}

/** pcmk_ACTION_retries (default 2): how many times one device is tried for one action. */
export function actionRetries(d: Device, action: string): number {
  const v = d.params.get(`pcmk_${action}_retries`);
  return v === undefined ? 2 : parseInt(v, 10) || 0;
}

/** A device built from one `stonith:` primitive; caps from the agent's metadata when known. */
export function deviceFromPrimitive(p: PrimitiveDef, caps?: AgentCaps): Device {
  const params = new Map(p.params);
  // fenced drops a configured `action` (it maps it to pcmk_off/reboot_action in build_device_from_xml).
  const act = params.get('action');
  if (act !== undefined) {
    params.delete('action');
    if (act === 'off' && !params.has('pcmk_reboot_action')) params.set('pcmk_reboot_action', act);
    else if (act !== '' && act !== 'reboot' && act !== 'off') {
      if (!params.has('pcmk_off_action')) params.set('pcmk_off_action', act);
      if (!params.has('pcmk_reboot_action')) params.set('pcmk_reboot_action', act);
    }
  }
  const kind = agentKind(p.type);
  const c = caps ?? (kind === 'lha' ? LHA_CAPS : UNKNOWN_CAPS);
  const listed = params.has('pcmk_host_list') ? parseTargets(params.get('pcmk_host_list')!) : [];
  const map = parseHostMap(params.get('pcmk_host_map') ?? '');
  const partial = { params, caps: c };
  const targets = hostCheckOf(partial) === 'static-list' ? [...listed, ...map.ports] : [];
  return { id: p.id, agent: p.type, kind, params, targets, aliases: map.aliases, priority: parseInt(p.meta.get('priority') ?? '0', 10) || 0, caps: c };
}

/** Every `stonith:` primitive of a CIB (top level or in a group), in document order. */
export function stonithPrimitives(xml: string): { primitives: PrimitiveDef[]; error?: string } {
  const r = parseCib(xml);
  if (!r.ok) return { primitives: [], error: r.error.message };
  const out: PrimitiveDef[] = [];
  for (const res of r.value.resources) for (const p of primitivesOf(res)) if (p.cls === 'stonith') out.push(p);
  return { primitives: out };
}

/** The cluster options the fencer obeys, read from crm_config with Pacemaker's defaults. */
export function fencerOptions(options: ReadonlyMap<string, string>): FencerOptions {
  const enabled = options.get('stonith-enabled');
  const action = options.get('stonith-action');
  const timeout = options.get('stonith-timeout');
  return {
    enabled: enabled === undefined ? true : isTrue(enabled),
    action: action === 'off' || action === 'poweroff' ? 'off' : 'reboot',
    timeoutMs: timeout !== undefined && intervalMs(timeout) > 0 ? intervalMs(timeout) : DEFAULT_OPTIONS.timeoutMs,
    priorityDelayMs: intervalMs(options.get('priority-fencing-delay')),
  };
}

/**
 * The fencer's whole configuration from a CIB: devices (with the metadata the shell learned, by agent), the
 * topology, the options. Bad pieces become problems named by id; a device with a bad pcmk_host_check stays
 * registered (fenced logs "Invalid value for pcmk_host_check" when it is asked and skips the device).
 */
export function configFromCib(xml: string, capsOf: (agent: string) => AgentCaps | undefined = () => undefined): FencerConfig {
  const problems: RegistryProblem[] = [];
  const parsed = parseCib(xml);
  if (!parsed.ok) return { devices: [], topology: { levels: [] }, options: DEFAULT_OPTIONS, problems: [{ id: 'cib', text: parsed.error.message }] };
  const devices: Device[] = [];
  for (const res of parsed.value.resources) {
    for (const p of primitivesOf(res)) {
      if (p.cls !== 'stonith') continue;
      if (!/^[A-Za-z0-9_./-]+$/.test(p.type) || p.type.includes('..')) { problems.push({ id: p.id, text: `bad fence agent name "${p.type}"` }); continue; }
      // A device stopped by the administrator is not registered (fenced_scheduler registers active devices only).
      if (p.meta.get('target-role') === 'Stopped') continue;
      devices.push(deviceFromPrimitive(p, capsOf(p.type)));
    }
  }
  const topology = parseTopology(xml, new Set(devices.map((d) => d.id)));
  for (const t of topology.problems ?? []) problems.push(t);
  return { devices, topology: { levels: topology.levels }, options: fencerOptions(parsed.value.options), problems };
}
