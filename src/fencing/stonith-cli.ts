// The thin adapter to cluster-glue's `stonith` command: list plugin types and their parameters, reset a node,
// check a device. Every run is its own process group, killed whole when it outlives its timeout.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FenceOutcome } from './machine.js';
import type { StonithCatalog, StonithDevice } from './device.js';

/** Where Debian's cluster-glue installs the command and the external plugins. */
export const STONITH_COMMAND = '/usr/sbin/stonith';
export const EXTERNAL_PLUGIN_DIRS = ['/usr/lib/stonith/plugins/external', '/usr/lib/x86_64-linux-gnu/stonith/plugins/external', '/usr/lib/aarch64-linux-gnu/stonith/plugins/external'];

/** stonith.h's S_BADHOST: the device cannot reset that host. */
const S_BADHOST = 4;

/** ST_DEVICEID of the compiled plugins heartbeat users meet most (their idinfo strings); external ones are asked. */
const COMPILED_DEVICE_IDS: Readonly<Record<string, string>> = {
  null: 'NULL STONITH device', meatware: 'Meatware STONITH device', ssh: 'SSH STONITH device',
  ipmilan: 'IPMI Over LAN', suicide: 'Suicide STONITH device',
};

/** The result of one run: exit code (null when killed), output, and whether the timeout killed it. */
export interface StonithRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Options of a run: the environment the plugin logs through (heartbeat's HA_logfile & co.). */
export interface StonithRunOptions {
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly command?: string;
  /** Aborting kills the run's process group (the daemon stops: no reset may land after it is gone). */
  readonly signal?: AbortSignal;
}

/**
 * Runs `stonith ARGS` in a process group of its own; on timeout the whole group gets SIGKILL, so an ipmitool or
 * ssh the plugin started cannot outlive the attempt and reset the node later.
 */
export function runStonith(args: readonly string[], o: StonithRunOptions): Promise<StonithRun> {
  return new Promise((resolve) => {
    const child = spawn(o.command ?? STONITH_COMMAND, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => { if (stdout.length < 65536) stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { if (stderr.length < 65536) stderr += b.toString(); });
    const killGroup = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, o.timeoutMs);
    const onAbort = () => { timedOut = true; killGroup(); };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: 127, stdout, stderr: `${stderr}${e.message}`, timedOut }); });
    child.on('close', (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // Children the plugin left behind (a backgrounded ipmitool) go with the attempt.
      killGroup();
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** `-p` form of a device's parameters, as heartbeat hands them to stonith_set_config_info. */
function deviceArgs(d: StonithDevice): string[] {
  return ['-t', d.type, '-p', d.params];
}

/** Maps a run to the fencing machine's outcome: 0 = S_OK, 4 = S_BADHOST, killed = timeout, else failed. */
export function outcomeOf(r: StonithRun): FenceOutcome {
  if (r.timedOut) return 'timeout';
  if (r.code === 0) return 'ok';
  return r.code === S_BADHOST ? 'badhost' : 'failed';
}

/** `stonith -t TYPE -p PARAMS -T reset NODE` (heartbeat's ST_GENERIC_RESET). */
export async function resetNode(d: StonithDevice, node: string, o: StonithRunOptions): Promise<{ outcome: FenceOutcome; detail: string }> {
  const r = await runStonith([...deviceArgs(d), '-T', 'reset', node], o);
  return { outcome: outcomeOf(r), detail: `${r.stdout}${r.stderr}`.trim() };
}

/** `stonith -t TYPE -p PARAMS -S`: the device answers. */
export async function deviceStatus(d: StonithDevice, o: StonithRunOptions): Promise<{ outcome: FenceOutcome; detail: string }> {
  const r = await runStonith([...deviceArgs(d), '-S'], o);
  return { outcome: outcomeOf(r), detail: `${r.stdout}${r.stderr}`.trim() };
}

/** The config names of a plugin type (`stonith -t TYPE -n`), or null when cluster-glue does not know the type. */
export async function configNames(type: string, command = STONITH_COMMAND): Promise<string[] | null> {
  const r = await runStonith(['-t', type, '-n'], { timeoutMs: 10_000, command });
  if (r.code !== 0) return null;
  return r.stdout.split(/\s+/).filter((w) => w !== '');
}

/** The catalogue for `lifeline check` and start-up: config names of each type ha.cf uses. */
export async function stonithCatalog(types: readonly string[], command = STONITH_COMMAND): Promise<StonithCatalog> {
  if (!existsSync(command)) return { installed: false, names: new Map() };
  const names = new Map<string, readonly string[] | null>();
  // Every installed type is known (its names unasked); the types ha.cf uses get their real config names.
  const all = await runStonith(['-L'], { timeoutMs: 10_000, command });
  for (const t of all.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) names.set(t, []);
  for (const t of new Set(types)) names.set(t, await configNames(t, command));
  return { installed: true, names };
}

/**
 * heartbeat's `[%s]` in "Resetting node X with [...]": the plugin's ST_DEVICEID. Asked once at start-up (an
 * external plugin answers `getinfo-devid`), synchronously, with a short bound.
 */
export function deviceIdSync(type: string): string {
  if (type.startsWith('external/')) {
    const script = EXTERNAL_PLUGIN_DIRS.map((d) => join(d, type.slice('external/'.length))).find((p) => existsSync(p));
    if (script) {
      const r = spawnSync(script, ['getinfo-devid'], { timeout: 5000, encoding: 'utf8' });
      if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
    }
    return type;
  }
  return COMPILED_DEVICE_IDS[type] ?? type;
}

/** Reads a `stonith TYPE FILE` config file for the pure checks; undefined when it cannot be read. */
export function readConfigFile(file: string): string | undefined {
  try { return readFileSync(file, 'utf8'); } catch { return undefined; }
}

/**
 * The logging environment heartbeat gives its children (cl_inherit_logging_environment, ha_log.sh), so the
 * plugin's own lines land in the same log as the daemon's.
 */
export function pluginLogEnv(h: { logfile?: string; debugfile?: string; logfacility?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HA_use_logd: 'no', HA_LOGD: 'no' };
  if (h.logfile) { env.HA_logfile = h.logfile; env.HA_LOGFILE = h.logfile; }
  if (h.debugfile) { env.HA_debugfile = h.debugfile; env.HA_DEBUGLOG = h.debugfile; }
  env.HA_logfacility = h.logfacility ?? 'none';
  env.HA_LOGFACILITY = h.logfacility ?? 'none';
  return env;
}
