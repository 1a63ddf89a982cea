// Starting a cluster daemon on a harness host: the real heartbeat 3.0.6 or Lifeline, from the same config files.
// A DaemonKind says how to launch and stop one kind; adding a daemon is adding a kind.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { Host } from './cluster.js';
import { isAlive } from './netns.js';
import { DAEMON_NODE_FLAGS } from '../io/node-flags.js';

/** The files of /etc/ha.d a daemon is started with. */
export interface HaConfig {
  /** ha.cf text. If it has no `logfile` line the harness adds `logfile <host.logFile>` and `logfacility none`. */
  readonly haCf: string;
  /** haresources text (optional: a membership-only cluster has none). */
  readonly haresources?: string;
  /** authkeys text; written with mode 600 as heartbeat demands. */
  readonly authkeys: string;
  /** Scripts for /etc/ha.d/resource.d by file name (written executable), e.g. `{ dummysvc: '#!/bin/sh…' }`. */
  readonly resourceScripts?: Readonly<Record<string, string>>;
}

/** How to run one kind of daemon on a host. */
export interface DaemonKind {
  /** Short name for messages: `heartbeat`, `lifeline`. */
  readonly name: string;
  /** argv to run on the host (through `Host.wrap`, so /etc/ha.d etc. are the host's own). */
  command(host: Host): string[];
  /** True when the command forks a daemon and exits (heartbeat); false when it stays in the foreground. */
  readonly daemonizes: boolean;
  /** argv of a graceful stop run on the host, or undefined to send SIGTERM to the foreground process. */
  stopCommand?(host: Host): string[];
  /** Pid file of a daemonizing kind, relative to the host's /run: `stop()` waits until that pid is gone. */
  readonly pidFile?: string;
}

/**
 * Debian's heartbeat 3.0.6: forks into the background. Stopped as `heartbeat -k` does it, SIGTERM to the pid in
 * /run/heartbeat.pid, but polled every 20 ms instead of -k's coarse wait (which adds about 3 s).
 */
export const heartbeatKind: DaemonKind = {
  name: 'heartbeat',
  command: () => ['/usr/libexec/heartbeat/heartbeat'],
  daemonizes: true,
  pidFile: 'heartbeat.pid',
};

/**
 * Lifeline's daemon from a repository checkout (default: this one), in the foreground, with the standard
 * paths: inside a host they are the host's private directories.
 */
export function lifelineKind(repoDir = repoRoot()): DaemonKind {
  return {
    name: 'lifeline',
    command: (host) => [process.execPath, ...DAEMON_NODE_FLAGS, join(repoDir, 'bin', 'lifeline.js'), 'daemon', '--config-dir', '/etc/ha.d',
      '--state-dir', '/var/lib/heartbeat', '--run-dir', '/var/run/heartbeat', '--node-name', host.hostname, '--foreground'],
    daemonizes: false,
  };
}

/** The checkout this file belongs to (works from src/ under tsx and from dist/src/ alike). */
export function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (d !== dirname(d) && !existsSync(join(d, 'bin', 'lifeline.js'))) d = dirname(d);
  return d;
}

/** A daemon started by `startDaemon`. */
export interface RunningDaemon {
  readonly kind: DaemonKind;
  readonly host: Host;
  /** The foreground process (Lifeline) or the launcher that has already exited (heartbeat). */
  readonly process: ChildProcess;
  /** File with the launcher's stdout/stderr (start-up errors land here, not in the log). */
  readonly outputFile: string;
  /** Exit code of a daemonizing launcher (0 when heartbeat started; 6 on a config error). */
  readonly launcherExit: number | null;
  /**
   * Graceful stop (the kind's stop command, else SIGTERM to the pid-file pid or to the foreground process); resolves true once the daemon's main
   * process is gone, false if it is still there after `timeoutMs` (default 15 s).
   */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Writes the config files into the host's /etc/ha.d (ha.cf, haresources, authkeys 600, resource.d scripts). */
export function writeHaConfig(host: Host, cfg: HaConfig): void {
  const etc = host.dirs.etc;
  let haCf = cfg.haCf.endsWith('\n') ? cfg.haCf : `${cfg.haCf}\n`;
  if (!/^\s*logfile\s/m.test(haCf)) haCf = `logfile ${host.logFile}\nlogfacility none\n${haCf}`;
  writeFileSync(join(etc, 'ha.cf'), haCf);
  if (cfg.haresources !== undefined) writeFileSync(join(etc, 'haresources'), cfg.haresources);
  writeFileSync(join(etc, 'authkeys'), cfg.authkeys, { mode: 0o600 });
  chmodSync(join(etc, 'authkeys'), 0o600);
  mkdirSync(join(etc, 'resource.d'), { recursive: true });
  for (const [name, text] of Object.entries(cfg.resourceScripts ?? {})) {
    writeFileSync(join(etc, 'resource.d', name), text, { mode: 0o755 });
    chmodSync(join(etc, 'resource.d', name), 0o755);
  }
}

/** Writes `cfg` into the host and starts a daemon of `kind` (default heartbeat) on it. */
export async function startDaemon(host: Host, cfg: HaConfig, kind: DaemonKind = heartbeatKind): Promise<RunningDaemon> {
  writeHaConfig(host, cfg);
  const outputFile = join(host.dirs.log, `${kind.name}.out`);
  const child = host.spawn(kind.command(host), { outputFile });
  let launcherExit: number | null = null;
  if (kind.daemonizes) {
    launcherExit = await new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  }
  return {
    kind, host, process: child, outputFile, launcherExit,
    async stop(timeoutMs = 15000) {
      const deadline = performance.now() + timeoutMs;
      if (kind.daemonizes) {
        const pidText = kind.pidFile ? await readFile(join(host.dirs.run, kind.pidFile), 'utf8').catch(() => '') : '';
        const pid = Number(pidText.trim());
        if (kind.stopCommand) await host.exec(kind.stopCommand(host), { timeoutMs });
        else if (pid > 0) { try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ } }
        if (!(pid > 0)) return true;
        while (isAlive(pid)) {
          if (performance.now() > deadline) return false;
          await new Promise((r) => setTimeout(r, 20));
        }
        return true;
      }
      if (child.exitCode !== null || child.signalCode !== null) return true;
      const exited = new Promise<boolean>((r) => child.once('exit', () => r(true)));
      if (kind.stopCommand) await host.exec(kind.stopCommand(host), { timeoutMs });
      else child.kill('SIGTERM');
      // The timer must not outlive the race: a pending one kept test processes alive for the whole timeout.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), Math.max(0, deadline - performance.now())); });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
  };
}
