// A small namespace rig for the agent tests: a bridge namespace and node namespaces wired to it by veth pairs,
// every name prefixed `llr-` (addresses 10.220.0.0/16) unless told another prefix and /16; cleanup kills what runs inside and deletes them.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

function sh(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** True when this process may create namespaces (root). */
export const canUseNetns = process.getuid?.() === 0;

export class Rig {
  readonly namespaces: string[] = [];
  readonly children: ChildProcess[] = [];

  /** `tag` keeps rigs of different tests apart; `subnet` is the third octet of NET.X.0/24 (NET default 10.220). */
  constructor(readonly tag: string, readonly subnet: number, readonly opts: { prefix?: string; net?: string } = {}) {}

  get prefix(): string { return this.opts.prefix ?? 'llr'; }
  get net(): string { return this.opts.net ?? '10.220'; }
  get bridgeNs(): string { return `${this.prefix}-${this.tag}-br`; }

  /** Creates the bridge namespace. */
  up(): void {
    this.addNs(this.bridgeNs);
    sh(['ip', '-n', this.bridgeNs, 'link', 'add', 'br0', 'type', 'bridge']);
    sh(['ip', '-n', this.bridgeNs, 'link', 'set', 'br0', 'up']);
  }

  private addNs(ns: string): void {
    try { sh(['ip', 'netns', 'del', ns]); } catch { /* left over from nothing */ }
    sh(['ip', 'netns', 'add', ns]);
    this.namespaces.push(ns);
    sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }

  /** Adds node namespace `<prefix>-<tag>-<name>` with eth0 = NET.<subnet>.<host>/24 on the bridge. */
  node(name: string, host: number): string {
    const ns = `${this.prefix}-${this.tag}-${name}`;
    this.addNs(ns);
    const v = `v${name}`.slice(0, 15);
    sh(['ip', '-n', this.bridgeNs, 'link', 'add', v, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    sh(['ip', '-n', this.bridgeNs, 'link', 'set', v, 'master', 'br0', 'up']);
    sh(['ip', '-n', ns, 'addr', 'add', `${this.net}.${this.subnet}.${host}/24`, 'brd', '+', 'dev', 'eth0']);
    sh(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    return ns;
  }

  /** Starts a long-running process inside `ns`, tracked for cleanup. */
  spawnIn(ns: string, argv: string[]): ChildProcess {
    const c = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(c);
    return c;
  }

  /** Runs a command inside `ns` and returns its stdout. */
  run(ns: string, argv: string[]): string {
    return sh(['ip', 'netns', 'exec', ns, ...argv]);
  }

  /** Kills what we started and every process left in our namespaces, then deletes the namespaces. */
  cleanup(): void {
    for (const c of this.children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
    for (const ns of [...this.namespaces].reverse()) {
      try {
        for (const pid of sh(['ip', 'netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
          try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
        }
      } catch { /* namespace already gone */ }
      try { sh(['ip', 'netns', 'del', ns]); } catch { /* already gone */ }
    }
  }
}
