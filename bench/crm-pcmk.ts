// Real Pacemaker 2.1.5 + corosync 3 on a harness host: its own network, mount and UTS namespace with private
// /etc/corosync, /var/lib/pacemaker, /var/lib/corosync, /var/log/{pacemaker,cluster}, /run and /dev/shm.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type ExecResult, type Host } from '../src/harness/index.js';
import { childEnv } from '../src/harness/run.js';

/** A Pacemaker node's private tree under the host's temp dir, each bound over the system path. */
export function pcmkDirs(h: Host): Record<string, string> {
  const r = join(h.dirs.root, 'pcmk');
  return {
    '/etc/corosync': join(r, 'etc-corosync'),
    '/var/lib/pacemaker': join(r, 'var-lib-pacemaker'),
    '/var/lib/corosync': join(r, 'var-lib-corosync'),
    '/var/log/pacemaker': join(r, 'log-pacemaker'),
    '/var/log/cluster': join(r, 'log-cluster'),
    '/dev/shm': join(r, 'dev-shm'),
  };
}

/** The pacemaker log (`PCMK_logfile`) of a host, seen from outside. */
export const pcmkLog = (h: Host): string => join(pcmkDirs(h)['/var/log/pacemaker']!, 'pacemaker.log');
/** The corosync log of a host, seen from outside. */
export const corosyncLog = (h: Host): string => join(pcmkDirs(h)['/var/log/cluster']!, 'corosync.log');

function idOf(file: string, name: string): number {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const id = Number(line?.split(':')[2]);
  if (!Number.isInteger(id)) throw new Error(`crm bench: no ${name} in ${file} (is pacemaker installed?)`);
  return id;
}

/** Creates the private tree as the packages do (pacemaker's directories owned by hacluster:haclient). */
export function preparePcmkHost(h: Host): void {
  const d = pcmkDirs(h);
  const uid = idOf('/etc/passwd', 'hacluster'), gid = idOf('/etc/group', 'haclient');
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  chmodSync(d['/dev/shm']!, 0o1777);
  for (const sub of ['cib', 'pengine', 'blackbox', 'cores']) {
    const p = join(d['/var/lib/pacemaker']!, sub);
    mkdirSync(p, { recursive: true });
    chownSync(p, uid, gid);
    chmodSync(p, 0o750);
  }
  chownSync(d['/var/lib/pacemaker']!, uid, gid);
  chownSync(d['/var/log/pacemaker']!, uid, gid);
  chmodSync(d['/var/log/pacemaker']!, 0o770);
  mkdirSync(join(h.dirs.run, 'resource-agents'), { recursive: true });
  mkdirSync(join(h.dirs.run, 'crm'), { recursive: true });
  chownSync(join(h.dirs.run, 'crm'), uid, gid);
}

/** The argv that runs `argv` on `h` with the Pacemaker node's private mounts (as Host.wrap does for heartbeat's). */
export function pcmkWrap(h: Host, argv: readonly string[]): string[] {
  const binds = Object.entries(pcmkDirs(h)).map(([to, from]) => `mkdir -p '${to}' && mount --bind '${from}' '${to}'`);
  const script = ['set -e', `mount --bind '${h.dirs.run}' /run`, ...binds, `hostname '${h.hostname}'`, 'exec "$@"'].join('\n');
  return ['ip', 'netns', 'exec', h.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', ...argv];
}

/** Pacemaker's environment: log to the private file only. */
const PCMK_ENV = { PCMK_logfile: '/var/log/pacemaker/pacemaker.log', PCMK_logfacility: 'none', PCMK_debug: 'no', LC_ALL: 'C' };

/** Runs a command on a Pacemaker host to completion (crm_mon, cibadmin, crm_attribute…). */
export function pcmkExec(h: Host, argv: readonly string[], timeoutMs = 30_000, input?: string): Promise<ExecResult> {
  return run(pcmkWrap(h, argv), { timeoutMs, env: childEnv(PCMK_ENV), ...(input !== undefined ? { input } : {}) });
}

/** Starts a long-running process on a Pacemaker host, its output appended to `outputFile`. */
export function pcmkSpawn(h: Host, argv: readonly string[], outputFile: string): ChildProcess {
  const [cmd, ...args] = pcmkWrap(h, argv);
  const fd = openSync(outputFile, 'a');
  try {
    const c = spawn(cmd!, args, { stdio: ['ignore', fd, fd], env: childEnv(PCMK_ENV) });
    c.on('error', () => { /* seen through the cluster never forming */ });
    return c;
  } finally { closeSync(fd); }
}

/** corosync.conf for the hosts (knet over UDP, no crypto, votequorum); `tokenMs` undefined = corosync's default. */
export function corosyncConf(hosts: readonly Host[], tokenMs?: number): string {
  return `totem {
  version: 2
  cluster_name: hbc
  transport: knet
  crypto_cipher: none
  crypto_hash: none
${tokenMs !== undefined ? `  token: ${tokenMs}\n` : ''}}
nodelist {
${hosts.map((h, i) => `  node {\n    ring0_addr: ${h.address()}\n    name: ${h.hostname}\n    nodeid: ${i + 1}\n  }`).join('\n')}
}
quorum {
  provider: corosync_votequorum
}
logging {
  to_logfile: yes
  logfile: /var/log/cluster/corosync.log
  to_stderr: no
  to_syslog: no
  timestamp: hires
}
`;
}

/** Writes corosync.conf and starts corosync, then pacemakerd, in the foreground on `h`. */
export async function startPacemaker(h: Host, conf: string): Promise<void> {
  preparePcmkHost(h);
  writeFileSync(join(pcmkDirs(h)['/etc/corosync']!, 'corosync.conf'), conf);
  const out = join(h.dirs.log, 'pcmk.out');
  pcmkSpawn(h, ['corosync', '-f'], out);
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await pcmkExec(h, ['corosync-cfgtool', '-s'], 10_000);
    if (r.code === 0) break;
    if (Date.now() > end) throw new Error(`corosync on ${h.name} did not start: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 200));
  }
  pcmkSpawn(h, ['pacemakerd'], out);
}
