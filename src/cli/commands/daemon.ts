// `lifeline daemon`: runs the cluster daemon (detached unless --foreground), or --stop / --reload a running one.
// Exit codes as heartbeat: 0 started or stopped, 6 configuration refused, 1 already running / not running.
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Daemon, type DaemonOptions } from '../../daemon/daemon.js';
import { processAlive, readPid, runningPid } from '../../daemon/pidfile.js';
import { notifyReadyWhenUp } from '../sd-notify.js';
import { DAEMON_NODE_FLAGS } from '../../io/node-flags.js';

export const summary = 'run the cluster daemon (--foreground, --stop, --reload; --config-dir, --state-dir, --run-dir, --node-name, --json-log, --syslog-socket)';

const USAGE = 'usage: lifeline daemon [--config-dir DIR] [--state-dir DIR] [--run-dir DIR] [--node-name NAME] [--json-log FILE] [--syslog-socket PATH] [--foreground | --stop | --reload]\n';

interface Parsed extends DaemonOptions {
  foreground: boolean;
  action: 'run' | 'stop' | 'reload';
}

function parse(argv: readonly string[]): Parsed | string {
  const p: { -readonly [K in keyof Parsed]: Parsed[K] } = {
    configDir: '/etc/ha.d', stateDir: '/var/lib/heartbeat', runDir: '/var/run/heartbeat',
    nodeName: hostname().toLowerCase(), foreground: false, action: 'run',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      switch (a) {
        case '--config-dir': p.configDir = value(); break;
        case '--state-dir': p.stateDir = value(); break;
        case '--run-dir': p.runDir = value(); break;
        case '--node-name': p.nodeName = value().toLowerCase(); break;
        case '--json-log': p.jsonLog = value(); break;
        case '--syslog-socket': p.syslogSocket = value(); break;
        case '--foreground': p.foreground = true; break;
        case '--stop': case '-k': p.action = 'stop'; break;
        case '--reload': case '-r': p.action = 'reload'; break;
        default: return `unknown argument "${a}"`;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(argv: readonly string[]): Promise<number> {
  const p = parse(argv);
  if (typeof p === 'string') { process.stderr.write(`lifeline daemon: ${p}\n${USAGE}`); return 2; }
  if (p.action === 'stop') return stop(p.runDir);
  if (p.action === 'reload') {
    const pid = runningPid(p.runDir);
    if (pid === undefined) { process.stderr.write(`lifeline daemon: no daemon runs with run directory ${p.runDir}\n`); return 1; }
    process.kill(pid, 'SIGHUP');
    return 0;
  }
  if (!p.foreground) return detach(argv, p.runDir);
  return foreground(p);
}

/** heartbeat -k: SIGTERM to the pid file's process, then wait until it is gone. */
async function stop(runDir: string): Promise<number> {
  const pid = runningPid(runDir);
  if (pid === undefined) { process.stderr.write(`lifeline daemon: no daemon runs with run directory ${runDir}\n`); return 1; }
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 60000; waited += 50) {
    if (!processAlive(pid)) return 0;
    await sleep(50);
  }
  process.stderr.write(`lifeline daemon: pid ${pid} still running after 60 s\n`);
  return 1;
}

/** Re-runs ourselves detached with --foreground, stdio to RUN_DIR/lifeline.out; returns once the child wrote its pid. */
async function detach(argv: readonly string[], runDir: string): Promise<number> {
  mkdirSync(runDir, { recursive: true });
  const outFile = join(runDir, 'lifeline.out');
  const fd = openSync(outFile, 'a');
  const before = fstatSync(fd).size;
  const bin = fileURLToPath(new URL('../../../../bin/lifeline.js', import.meta.url));
  const script = process.argv[1] && /lifeline(\.js)?$/.test(process.argv[1]) ? process.argv[1] : bin;
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, ...process.execArgv, script, 'daemon', ...argv, '--foreground'], {
    detached: true, stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exitCode: number | null = null;
  child.on('exit', (c) => { exitCode = c ?? 1; });
  child.unref();
  for (let waited = 0; waited < 30000; waited += 25) {
    if (exitCode !== null) {
      // The child's diagnostics (config errors…) are in the output file: show what this start wrote.
      try { process.stderr.write(readFileSync(outFile).subarray(before).toString('utf8')); } catch { /* no output */ }
      return exitCode;
    }
    if (readPid(runDir) === child.pid) return 0;
    await sleep(25);
  }
  process.stderr.write('lifeline daemon: the daemon did not start within 30 s\n');
  return 1;
}

async function foreground(p: Parsed): Promise<number> {
  // A daemon that asks for a restart (healed partition) is started again in this process, with a new generation.
  for (;;) {
    const started = await Daemon.start(p);
    if (!started.ok) return started.error.code;
    const d = started.value;
    let signalled = false;
    const onStop = () => { signalled = true; void d.stop(); };
    const onHup = () => { void d.reload(); };
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', onHup);
    let down = false;
    void notifyReadyWhenUp(p.runDir, () => down || signalled);
    await d.whenStopped();
    down = true;
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onHup);
    if (!d.restartRequested || signalled) return 0;
  }
}
