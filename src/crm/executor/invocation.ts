// How each resource class is invoked (pure): the argv, the environment Pacemaker's execd builds (OCF_ROOT,
// OCF_RESKEY_*, OCF_RESKEY_CRM_meta_* with times in ms), the stdin of fence agents, and the rc mapping back to OCF.

import { fenceToOcf, lsbToOcf, normalizeOcfRc, systemdToOcf } from './rc.js';
import type { OpRequest } from './types.js';

/** Where agents live and who runs them: one config object with Pacemaker's defaults. */
export interface InvocationConfig {
  /** OCF_ROOT (Pacemaker's default /usr/lib/ocf). */
  readonly ocfRoot: string;
  /** LSB init scripts (default /etc/init.d). */
  readonly lsbDir: string;
  /** Fence agents (default /usr/sbin). */
  readonly fenceDir: string;
  /** heartbeat's resource scripts (class heartbeat; default /etc/ha.d/resource.d). */
  readonly heartbeatDir?: string;
  /** This node's name and id (OCF_RESKEY_CRM_meta_on_node / _on_node_uuid). */
  readonly nodeName?: string;
  readonly nodeUuid?: string;
  /** Environment the agents inherit (execd passes its own: PATH, LANG...). */
  readonly baseEnv: Readonly<Record<string, string>>;
}

/** Pacemaker 2.1.5's CRM feature set (OCF_RESKEY_crm_feature_set). */
export const CRM_FEATURE_SET = '3.16.2';

export function defaultInvocationConfig(over: Partial<InvocationConfig> = {}): InvocationConfig {
  return { ocfRoot: '/usr/lib/ocf', lsbDir: '/etc/init.d', fenceDir: '/usr/sbin', baseEnv: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, ...over };
}

/** A process to run for a request, or an answer given without running anything. */
export type Invocation =
  | { readonly kind: 'run'; readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly stdin?: string; readonly mapRc: (code: number) => number }
  | { readonly kind: 'answer'; readonly rc: number; readonly reason?: string };

/** The CRM_meta_* set execd passes: the op's own (name, interval, timeout, start-delay) plus the request's meta. */
export function metaParams(req: OpRequest, cfg: InvocationConfig): Record<string, string> {
  const m: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.meta ?? {})) m[`CRM_meta_${k.replace(/-/g, '_')}`] = v;
  m.CRM_meta_name = req.action;
  m.CRM_meta_interval = String(req.intervalMs);
  m.CRM_meta_timeout = String(req.timeoutMs);
  if (req.startDelayMs) m.CRM_meta_start_delay = String(req.startDelayMs);
  if (cfg.nodeName) m.CRM_meta_on_node = cfg.nodeName;
  if (cfg.nodeUuid ?? cfg.nodeName) m.CRM_meta_on_node_uuid = (cfg.nodeUuid ?? cfg.nodeName)!;
  return m;
}

/**
 * The shell's "cannot execute" codes as Pacemaker reports an exec failure (`services__handle_exec_error`):
 * 127 (not found) is "not installed", 126 (not executable) "insufficient privileges". Seen when agents run
 * through a wrapper (another namespace) that execs them, where a direct spawn would fail with ENOENT/EACCES.
 */
function execFailure(map: (code: number) => number): (code: number) => number {
  return (code) => (code === 127 ? 5 : code === 126 ? 4 : map(code));
}

/**
 * Runs a heartbeat script's `status` and answers OCF: 0 when it prints "running" or "OK" and not "not ... running",
 * else 7; 5 when the script is missing. The same reading as src/resources' statusOutputSaysRunning (a test holds both).
 */
export const HEARTBEAT_STATUS = '[ -x "$1" ] || exit 5; out=$("$@" 2>&1); case "$out" in *[Nn][Oo][Tt]\\ *[Rr]unning*) exit 7;; *[Rr]unning*|*OK*) exit 0;; *) exit 7;; esac';

/** True for parameter names an environment variable can carry. */
const envSafe = (k: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);

/** Builds the invocation of `req` for its class. */
export function invocationFor(req: OpRequest, cfg: InvocationConfig): Invocation {
  const a = req.agent;
  const unsafe = Object.keys(req.params).find((k) => !envSafe(k));
  switch (a.cls) {
    case 'ocf': {
      if (unsafe !== undefined) return { kind: 'answer', rc: 2, reason: `parameter name "${unsafe}" cannot be passed to an OCF agent` };
      if (!a.provider || /[/]|^\.\.?$/.test(a.provider) || /[/]|^\.\.?$/.test(a.type)) return { kind: 'answer', rc: 5, reason: `bad agent name ${a.provider ?? ''}:${a.type}` };
      const env: Record<string, string> = {
        ...cfg.baseEnv, OCF_ROOT: cfg.ocfRoot, OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1',
        OCF_RESOURCE_INSTANCE: req.rscId, OCF_RESOURCE_TYPE: a.type, OCF_RESOURCE_PROVIDER: a.provider,
        OCF_EXIT_REASON_PREFIX: 'ocf-exit-reason:', OCF_RESKEY_crm_feature_set: CRM_FEATURE_SET,
      };
      for (const [k, v] of Object.entries(req.params)) env[`OCF_RESKEY_${k}`] = v;
      for (const [k, v] of Object.entries(metaParams(req, cfg))) if (envSafe(k)) env[`OCF_RESKEY_${k}`] = v;
      // OCF_CHECK_LEVEL is configured as an op attribute and passed under its own name.
      if (req.meta?.OCF_CHECK_LEVEL !== undefined) env.OCF_CHECK_LEVEL = req.meta.OCF_CHECK_LEVEL;
      return { kind: 'run', argv: [`${cfg.ocfRoot}/resource.d/${a.provider}/${a.type}`, req.action], env, mapRc: execFailure(normalizeOcfRc) };
    }
    case 'lsb': case 'service': {
      if (/[/]|^\.\.?$/.test(a.type)) return { kind: 'answer', rc: 5, reason: `bad script name ${a.type}` };
      // LSB scripts take no parameters; Pacemaker calls `status` for a monitor.
      const verb = req.action === 'monitor' ? 'status' : req.action;
      if (!['start', 'stop', 'status', 'restart', 'force-reload'].includes(verb)) return { kind: 'answer', rc: 3, reason: `LSB scripts have no ${req.action} action` };
      return { kind: 'run', argv: [`${cfg.lsbDir}/${a.type}`, verb], env: { ...cfg.baseEnv }, mapRc: execFailure((c) => lsbToOcf(verb, c)) };
    }
    case 'heartbeat': {
      if (/[/]|^\.\.?$/.test(a.type)) return { kind: 'answer', rc: 5, reason: `bad script name ${a.type}` };
      // heartbeat's resource.d scripts: the parameters 1, 2, ... are the haresources `::` arguments, before the verb.
      const args = Object.keys(req.params).filter((k) => /^\d+$/.test(k)).sort((x, y) => Number(x) - Number(y)).map((k) => req.params[k]!);
      const verb = req.action === 'monitor' ? 'status' : req.action;
      if (!['start', 'stop', 'status'].includes(verb)) return { kind: 'answer', rc: 3, reason: `heartbeat scripts have no ${req.action} action` };
      const script = `${cfg.heartbeatDir ?? '/etc/ha.d/resource.d'}/${a.type}`;
      if (verb !== 'status') return { kind: 'run', argv: [script, ...args, verb], env: { ...cfg.baseEnv }, mapRc: execFailure((c) => (c === 0 ? 0 : 1)) };
      // Running or not is read from what `status` prints, as heartbeat's ResourceManager does (statusOutputSaysRunning).
      return { kind: 'run', argv: ['/bin/sh', '-c', HEARTBEAT_STATUS, 'heartbeat-status', script, ...args, 'status'], env: { ...cfg.baseEnv }, mapRc: execFailure((c) => c) };
    }
    case 'systemd': {
      const unit = a.type.includes('.') ? a.type : `${a.type}.service`;
      const argv = req.action === 'monitor' ? ['systemctl', 'is-active', '--quiet', unit]
        : req.action === 'start' || req.action === 'stop' ? ['systemctl', req.action, unit] : undefined;
      if (!argv) return { kind: 'answer', rc: 3, reason: `systemd units have no ${req.action} action here` };
      return { kind: 'run', argv, env: { ...cfg.baseEnv }, mapRc: (c) => systemdToOcf(req.action, c) };
    }
    case 'stonith': {
      if (/[/]|^\.\.?$/.test(a.type)) return { kind: 'answer', rc: 5, reason: `bad fence agent name ${a.type}` };
      // The fencer owns the device: stop only unregisters it, start registers it and checks it with a monitor.
      if (req.action === 'stop') return { kind: 'answer', rc: 0 };
      // A probe asks the fencer whether the device is registered here, which only a start does (pacemaker-fenced
      // forgets its devices when it restarts): not running.
      if (req.action === 'monitor' && req.intervalMs === 0 && req.expectedRc === 7) return { kind: 'answer', rc: 7 };
      const verb = req.action === 'start' ? 'monitor' : req.action === 'meta-data' ? 'metadata' : req.action;
      if (!['monitor', 'metadata', 'validate-all', 'status', 'list'].includes(verb)) return { kind: 'answer', rc: 3, reason: `fence devices have no ${req.action} action here` };
      // Fence agents read key=value lines on stdin; the fencer's own pcmk_* options are not theirs.
      const lines = [`action=${verb}`, ...Object.entries(req.params).filter(([k]) => !k.startsWith('pcmk_') && k !== 'provides').map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`)];
      return { kind: 'run', argv: [`${cfg.fenceDir}/${a.type}`], env: { ...cfg.baseEnv }, stdin: lines.join('\n') + '\n', mapRc: execFailure((c) => fenceToOcf(verb, c)) };
    }
  }
}
