// Test clusters in Linux network namespaces: hosts on bridges, processes run "on a host", faults injected.
// Every namespace and temp dir belongs to one cluster prefix and is removed by destroy(), on exit, or by sweepStale.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, mustRun, run, type ExecResult, type RunOptions } from './run.js';
import { crashNamespace, destroyNamespacesSync, HARNESS_TMP, namespacePids, registerTeardown, sweepStale, unregisterTeardown, waitStopped } from './netns.js';
import { logSize, readLog, waitForLine, type LogMatch, type WaitOptions } from './log.js';

/** A cluster to build: a name prefix (owns every namespace name), the IPv4 /24s and the hosts. */
export interface ClusterSpec {
  /** Namespace prefix, e.g. `llh-hb`: namespaces are `<prefix>-br` and `<prefix>-<host>`. */
  readonly prefix: string;
  /** One IPv4 subnet per network (bridge), e.g. `['10.201.1.0/24']`. Host i gets `.i+1` on each. */
  readonly networks: readonly string[];
  /** Hosts, by name (the name is also its hostname) or with details. */
  readonly hosts: readonly (string | HostSpec)[];
  /** Remove leftovers of a crashed earlier run with the same prefix first (default true). */
  readonly sweep?: boolean;
}

/** One host of a `ClusterSpec`. */
export interface HostSpec {
  /** Short name, used in the namespace name (`<prefix>-<name>`) and as the default hostname. */
  readonly name: string;
  /** `uname -n` inside the host; default `name`. */
  readonly hostname?: string;
  /** Indexes into `ClusterSpec.networks` this host is attached to; interface k is `eth<k>`. Default: all. */
  readonly networks?: readonly number[];
  /** Last octet to use instead of the host's position + 1. */
  readonly octet?: number;
}

/** An interface of a host as the harness configured it. */
export interface HostLink {
  readonly ifname: string;
  readonly network: number;
  readonly address: string;
  readonly prefixLen: number;
  readonly broadcast: string;
  /** Name of the veth peer inside the bridge namespace (used for partitions). */
  readonly bridgePort: string;
}

/** Netem settings for `Host.netem`: loss in percent, delay and jitter in ms. */
export interface NetemSpec {
  readonly lossPct?: number;
  readonly delayMs?: number;
  readonly jitterMs?: number;
  /** Duplicate percentage. */
  readonly duplicatePct?: number;
}

/** Options for `Host.spawn`. */
export interface SpawnOnHostOptions {
  /** File that receives the process's stdout and stderr (default: discarded). */
  readonly outputFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep stdio as pipes on the ChildProcess instead (for commands whose output the caller reads). */
  readonly pipe?: boolean;
  /** Working directory (default: the caller's). */
  readonly cwd?: string;
}

const IPV4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/;

function subnetHost(subnet: string, octet: number): { address: string; prefixLen: number; broadcast: string } {
  const m = subnet.match(IPV4);
  if (!m || m[5] !== '24') throw new Error(`harness: network "${subnet}" must be an IPv4 /24 like 10.201.1.0/24`);
  const base = `${m[1]}.${m[2]}.${m[3]}`;
  return { address: `${base}.${octet}`, prefixLen: 24, broadcast: `${base}.255` };
}

/** Per-host directories that are bind-mounted over the system paths heartbeat (and Lifeline) use. */
export interface HostDirs {
  /** Root of this host's temp tree. */
  readonly root: string;
  /** Mounted on /etc/ha.d (starts as a copy of the machine's /etc/ha.d: harc, rc.d, resource.d, shellfuncs). */
  readonly etc: string;
  /** Mounted on /var/lib/heartbeat. */
  readonly lib: string;
  /** Mounted on /run (= /var/run): heartbeat.pid, heartbeat/ccm, resource-agents, lock. */
  readonly run: string;
  /** Free for log files: the harness points `logfile` here. */
  readonly log: string;
}

/**
 * A test host: its own network namespace with eth0 (eth1…) on the cluster's bridges, and for every process
 * started on it its own UTS namespace (hostname) and mount namespace with private /etc/ha.d, /var/lib/heartbeat
 * and /run. All of a host's processes are found by network namespace, so daemons that fork away are found too.
 */
export class Host {
  /** Log file the harness tells daemons to use (`logfile` in ha.cf). */
  readonly logFile: string;
  private readonly children = new Set<ChildProcess>();

  constructor(
    /** Short name from the spec. */
    readonly name: string,
    /** `uname -n` inside the host: the cluster node name. */
    readonly hostname: string,
    /** Network namespace name. */
    readonly netns: string,
    /** The host's interfaces, eth0 first. */
    readonly links: readonly HostLink[],
    /** The host's private directories. */
    readonly dirs: HostDirs,
  ) {
    this.logFile = join(dirs.log, 'ha-log');
  }

  /** IPv4 address of an interface (default eth0). */
  address(ifname = 'eth0'): string {
    return this.link(ifname).address;
  }

  /** The harness's record of one interface; throws for an unknown name. */
  link(ifname = 'eth0'): HostLink {
    const l = this.links.find((x) => x.ifname === ifname);
    if (!l) throw new Error(`harness: host ${this.name} has no interface ${ifname}`);
    return l;
  }

  /**
   * The argv that runs `argv` on this host: inside its netns, with a new UTS and mount namespace in which the
   * hostname is set and the private directories are bind-mounted. `unshare` and `sh` exec, so the pid of the
   * spawned process is the pid of the command itself.
   */
  wrap(argv: readonly string[]): string[] {
    const d = this.dirs;
    const script = [
      'set -e',
      'mkdir -p /var/lib/heartbeat',
      `mount --bind '${d.run}' /run`,
      `mount --bind '${d.etc}' /etc/ha.d`,
      `mount --bind '${d.lib}' /var/lib/heartbeat`,
      `hostname '${this.hostname}'`,
      'exec "$@"',
    ].join('\n');
    return ['ip', 'netns', 'exec', this.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', ...argv];
  }

  /** Runs a command on the host to completion (e.g. `['ip', '-j', 'addr']`). */
  exec(argv: readonly string[], opts: RunOptions = {}): Promise<ExecResult> {
    return run(this.wrap(argv), opts);
  }

  /** Runs a command on the host and returns its stdout; throws when it exits non-zero. */
  mustExec(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
    return mustRun(this.wrap(argv), opts);
  }

  /** Runs a command in the host's network namespace only (no mount/UTS set-up): cheaper, for ip/tc/ping. */
  execNet(argv: readonly string[], opts: RunOptions = {}): Promise<ExecResult> {
    return run(['ip', 'netns', 'exec', this.netns, ...argv], opts);
  }

  /** Starts a long-running command on the host; it is killed with the host at teardown at the latest. */
  spawn(argv: readonly string[], opts: SpawnOnHostOptions = {}): ChildProcess {
    const [cmd, ...args] = this.wrap(argv);
    let stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'ignore', 'ignore'];
    if (opts.pipe) stdio = ['pipe', 'pipe', 'pipe'];
    let fd: number | undefined;
    if (!opts.pipe && opts.outputFile) { fd = openSync(opts.outputFile, 'a'); stdio = ['ignore', fd, fd]; }
    let child: ChildProcess;
    try {
      child = spawn(cmd as string, args, { env: childEnv(opts.env), stdio, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    } finally {
      if (fd !== undefined) closeSync(fd); // the child has its own copy
    }
    child.on('error', () => { /* reported through exit code; never crash the test process */ });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Pids of every process running on the host. */
  pids(): Promise<number[]> {
    return namespacePids(this.netns);
  }

  /** Sends a signal to every process of the host. */
  async signalAll(sig: NodeJS.Signals): Promise<number[]> {
    const pids = await this.pids();
    for (const p of pids) { try { process.kill(p, sig); } catch { /* gone */ } }
    return pids;
  }

  /** SIGSTOP every process and wait until all are stopped: the host hangs (daemons stop sending but hold their sockets). */
  async freeze(): Promise<number[]> {
    const pids = await this.signalAll('SIGSTOP');
    await waitStopped(pids);
    return pids;
  }

  /** SIGCONT every process after `freeze`. */
  thaw(): Promise<number[]> { return this.signalAll('SIGCONT'); }

  /**
   * A real crash: freeze every process of the host, then SIGKILL them all, then (unless `keepAddresses`)
   * delete the addresses the harness did not configure (VIPs a daemon added), so the dead host stops
   * answering for them as a powered-off machine would. Returns the killed pids.
   */
  async crash(opts: { keepAddresses?: boolean } = {}): Promise<number[]> {
    const killed = await crashNamespace(this.netns);
    if (!opts.keepAddresses) await this.dropForeignAddresses();
    return killed;
  }

  /** Deletes every IPv4 address on the host's links that the harness did not put there. */
  async dropForeignAddresses(): Promise<string[]> {
    const dropped: string[] = [];
    for (const a of await this.addresses()) {
      const own = this.links.some((l) => l.ifname === a.ifname && l.address === a.address);
      if (own || a.ifname === 'lo') continue;
      await run(['ip', '-n', this.netns, 'addr', 'del', `${a.address}/${a.prefixLen}`, 'dev', a.ifname]);
      dropped.push(a.address);
    }
    return dropped;
  }

  /** IPv4 addresses currently on the host (`ip -j addr`), including VIPs added by daemons. */
  async addresses(): Promise<{ ifname: string; address: string; prefixLen: number; label: string }[]> {
    const out = await mustRun(['ip', '-n', this.netns, '-j', '-4', 'addr', 'show']);
    const ifs = JSON.parse(out || '[]') as { ifname: string; addr_info?: { family: string; local: string; prefixlen: number; label?: string }[] }[];
    return ifs.flatMap((i) => (i.addr_info ?? []).filter((a) => a.family === 'inet')
      .map((a) => ({ ifname: i.ifname, address: a.local, prefixLen: a.prefixlen, label: a.label ?? i.ifname })));
  }

  /** Whether `address` is currently configured on the host. */
  async hasAddress(address: string): Promise<boolean> {
    return (await this.addresses()).some((a) => a.address === address);
  }

  /** Takes an interface down inside the host (the daemons keep running: a cable pull seen from the host). */
  linkDown(ifname = 'eth0'): Promise<string> { return mustRun(['ip', '-n', this.netns, 'link', 'set', ifname, 'down']); }

  /** Brings an interface back up (its addresses stay configured). */
  linkUp(ifname = 'eth0'): Promise<string> { return mustRun(['ip', '-n', this.netns, 'link', 'set', ifname, 'up']); }

  /**
   * Degrades an interface's egress. Loss is applied with an nftables rule in the host (random drop), so it works
   * on kernels without netem; delay, jitter and duplication need `tc netem` (CONFIG_NET_SCH_NETEM) and throw a
   * clear error where the kernel lacks it. Replaces earlier settings of that interface.
   */
  async netem(spec: NetemSpec, ifname = 'eth0'): Promise<void> {
    const args: string[] = [];
    if (spec.delayMs !== undefined) { args.push('delay', `${spec.delayMs}ms`); if (spec.jitterMs) args.push(`${spec.jitterMs}ms`); }
    if (spec.duplicatePct !== undefined) args.push('duplicate', `${spec.duplicatePct}%`);
    if (args.length > 0) {
      const r = await run(['ip', 'netns', 'exec', this.netns, 'tc', 'qdisc', 'replace', 'dev', ifname, 'root', 'netem', ...args]);
      if (r.code !== 0) {
        throw new Error(/unknown/i.test(r.stderr)
          ? `harness: tc netem is not available in this kernel (CONFIG_NET_SCH_NETEM), so delay/jitter/duplication cannot be emulated; loss can`
          : `harness: tc netem on ${this.name}:${ifname} failed: ${r.stderr.trim()}`);
      }
    }
    if (spec.lossPct !== undefined) this.filters.loss.set(ifname, spec.lossPct); else this.filters.loss.delete(ifname);
    await this.applyFilters();
  }

  /** Removes netem and loss from an interface. */
  async clearNetem(ifname = 'eth0'): Promise<void> {
    await run(['ip', 'netns', 'exec', this.netns, 'tc', 'qdisc', 'del', 'dev', ifname, 'root']);
    this.filters.loss.delete(ifname);
    await this.applyFilters();
  }

  /**
   * One-way cut: this host stops receiving anything from these hosts (or addresses), while they still hear it.
   * (A symmetric cut is `Cluster.partition`.) Undo with `clearDrops`.
   */
  async dropFrom(...peers: (Host | string)[]): Promise<void> {
    for (const p of peers) {
      if (typeof p === 'string') this.filters.dropFrom.add(p);
      else for (const l of p.links) this.filters.dropFrom.add(l.address);
    }
    await this.applyFilters();
  }

  /** Ends every `dropFrom`. */
  async clearDrops(): Promise<void> {
    this.filters.dropFrom.clear();
    await this.applyFilters();
  }

  private readonly filters = { loss: new Map<string, number>(), dropFrom: new Set<string>() };

  /** Renders the host's nftables table `inet llh` from `filters` and loads it atomically. */
  private async applyFilters(): Promise<void> {
    const out = [...this.filters.loss].filter(([, pct]) => pct > 0)
      .map(([ifn, pct]) => pct >= 100 ? `oifname "${ifn}" drop` : `oifname "${ifn}" numgen random mod 100 < ${Math.round(pct)} drop`);
    const inp = [...this.filters.dropFrom].map((a) => `ip saddr ${a} drop`);
    const ruleset = [
      'table inet llh {}',
      'delete table inet llh',
      'table inet llh {',
      '  chain out { type filter hook output priority 0; policy accept;', ...out.map((r) => `    ${r}`), '  }',
      '  chain in { type filter hook input priority 0; policy accept;', ...inp.map((r) => `    ${r}`), '  }',
      '}',
      '',
    ].join('\n');
    await mustRun(['ip', 'netns', 'exec', this.netns, 'nft', '-f', '-'], { input: ruleset });
  }

  /** Text of the host's log file (see `logFile`). */
  readLog(file = this.logFile): Promise<string> { return readLog(file); }

  /** Current size of the log: pass as `since` to wait only for lines written afterwards. */
  logMark(file = this.logFile): Promise<number> { return logSize(file); }

  /** Waits for a line of the host's log matching `re` (polling every few ms); rejects with the log tail on timeout. */
  waitForLog(re: RegExp, opts: WaitOptions & { file?: string } = {}): Promise<LogMatch> {
    return waitForLine(opts.file ?? this.logFile, re, opts);
  }

  /** Child processes started by `spawn` that have not exited. */
  liveChildren(): ChildProcess[] { return [...this.children]; }
}

/** A set of hosts on one or more bridges, plus its teardown. Build with `createCluster` or `withCluster`. */
export class Cluster {
  private destroyed = false;
  private partitioned = false;
  /** Namespaces created so far, including those of a host whose set-up failed half-way. */
  readonly created: string[] = [];

  constructor(
    /** The namespace prefix given in the spec. */
    readonly prefix: string,
    /** Namespace that holds the bridges `br0`, `br1`… (one per network) and the host-side veth peers. */
    readonly bridgeNs: string,
    /** Hosts in spec order. */
    readonly hosts: readonly Host[],
    /** Temp dir of the whole cluster. */
    readonly dir: string,
    readonly networks: readonly string[],
  ) {}

  /** A host by name; throws for an unknown one. */
  host(name: string): Host {
    const h = this.hosts.find((x) => x.name === name || x.hostname === name);
    if (!h) throw new Error(`harness: no host "${name}" in cluster ${this.prefix}`);
    return h;
  }

  /** Every namespace the cluster owns. */
  namespaces(): string[] {
    return [...new Set([this.bridgeNs, ...this.hosts.map((h) => h.netns), ...this.created])];
  }

  /**
   * Splits the cluster at layer 2: each group of host names gets its own bridge (per network), hosts not
   * named stay on the original bridges. Traffic, broadcast included, then flows only inside a group.
   * `networks` limits the split to some networks (default: all).
   */
  async partition(groups: readonly (readonly string[])[], networks?: readonly number[]): Promise<void> {
    const nets = networks ?? this.networks.map((_, i) => i);
    for (const [gi, group] of groups.entries()) {
      for (const n of nets) {
        const br = `br${n}p${gi + 1}`;
        await run(['ip', '-n', this.bridgeNs, 'link', 'add', br, 'type', 'bridge', 'mcast_snooping', '0']);
        await mustRun(['ip', '-n', this.bridgeNs, 'link', 'set', br, 'up']);
        for (const name of group) {
          const l = this.host(name).links.find((x) => x.network === n);
          if (l) await mustRun(['ip', '-n', this.bridgeNs, 'link', 'set', l.bridgePort, 'master', br]);
        }
      }
    }
    this.partitioned = true;
  }

  /** Undoes `partition`: every host port back on its network's bridge. */
  async heal(): Promise<void> {
    if (!this.partitioned) return;
    for (const h of this.hosts) {
      for (const l of h.links) await mustRun(['ip', '-n', this.bridgeNs, 'link', 'set', l.bridgePort, 'master', `br${l.network}`]);
    }
    this.partitioned = false;
  }

  /**
   * A null-modem cable: a socat pty pair whose ends appear as `<cluster dir>/tty-<a>-<b>.a` / `.b`
   * (symlinks to /dev/pts/N). The socat process runs in the bridge namespace, so teardown kills it.
   */
  async serialLink(a: string, b: string): Promise<{ a: string; b: string }> {
    const pa = join(this.dir, `tty-${a}-${b}.a`);
    const pb = join(this.dir, `tty-${a}-${b}.b`);
    const child = spawn('ip', ['netns', 'exec', this.bridgeNs, 'socat', `pty,raw,echo=0,link=${pa}`, `pty,raw,echo=0,link=${pb}`],
      { env: childEnv(), stdio: 'ignore' });
    child.on('error', () => { /* surfaced by the wait below */ });
    for (let i = 0; i < 400 && !(existsSync(pa) && existsSync(pb)); i++) await new Promise((r) => setTimeout(r, 5));
    if (!(existsSync(pa) && existsSync(pb))) throw new Error('harness: socat did not create the pty pair');
    return { a: pa, b: pb };
  }

  /** Kills every process of every host and of the bridge namespace, deletes the namespaces and temp dirs. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    teardownSync(this);
    unregisterTeardown(this.prefix);
  }
}

function teardownSync(c: Cluster): void {
  destroyNamespacesSync(c.namespaces());
  rmSync(c.dir, { recursive: true, force: true });
}

/** Numeric id of a user or group from /etc/passwd or /etc/group; undefined when it does not exist. */
function idOf(file: string, name: string): number | undefined {
  try {
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    const id = Number(line?.split(':')[2]);
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function hostDirs(root: string): HostDirs {
  const d: HostDirs = { root, etc: join(root, 'etc-ha.d'), lib: join(root, 'var-lib-heartbeat'), run: join(root, 'run'), log: join(root, 'log') };
  for (const p of [d.etc, d.lib, d.run, d.log, join(d.lib, 'cores', 'root'), join(d.lib, 'cores', 'hacluster'), join(d.lib, 'cores', 'nobody'), join(d.run, 'heartbeat', 'ccm'), join(d.run, 'heartbeat', 'crm'),
    join(d.run, 'heartbeat', 'rsctmp'), join(d.run, 'resource-agents'), join(d.run, 'lock')]) mkdirSync(p, { recursive: true });
  if (existsSync('/etc/ha.d')) cpSync('/etc/ha.d', d.etc, { recursive: true, verbatimSymlinks: true });
  // heartbeat's ccm/crm children drop to hacluster; give them their directories as the package does.
  const uid = idOf('/etc/passwd', 'hacluster');
  const gid = idOf('/etc/group', 'haclient');
  if (uid !== undefined && gid !== undefined) for (const sub of ['ccm', 'crm']) chownSync(join(d.run, 'heartbeat', sub), uid, gid);
  return d;
}

/**
 * Builds a cluster: a bridge namespace with one bridge per network, and per host a namespace with `lo` up and
 * `eth<k>` (veth into bridge k) carrying `A/24 brd +`. Cleans up after itself if building fails, and registers
 * a teardown that runs if the process exits before `destroy()`.
 */
export async function createCluster(spec: ClusterSpec): Promise<Cluster> {
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(spec.prefix)) throw new Error(`harness: bad prefix "${spec.prefix}" (lowercase, digits, '-', ≤ 21 chars)`);
  if (spec.networks.length === 0) throw new Error('harness: a cluster needs at least one network');
  for (const n of spec.networks) subnetHost(n, 1); // reject a bad subnet before creating anything
  if (spec.sweep !== false) sweepStale(spec.prefix);
  const dir = join(HARNESS_TMP, spec.prefix);
  mkdirSync(dir, { recursive: true });
  const bridgeNs = `${spec.prefix}-br`;
  const hosts: Host[] = [];
  const specs: HostSpec[] = spec.hosts.map((h) => (typeof h === 'string' ? { name: h } : h));
  const cluster = new Cluster(spec.prefix, bridgeNs, hosts, dir, spec.networks);
  // Register first: a failure half-way must still remove what exists.
  registerTeardown(spec.prefix, () => teardownSync(cluster));
  try {
    cluster.created.push(bridgeNs);
    await mustRun(['ip', 'netns', 'add', bridgeNs]);
    await mustRun(['ip', '-n', bridgeNs, 'link', 'set', 'lo', 'up']);
    for (const [n] of spec.networks.entries()) {
      // No multicast snooping: without an IGMP querier it would make multicast delivery depend on timing.
      await mustRun(['ip', '-n', bridgeNs, 'link', 'add', `br${n}`, 'type', 'bridge', 'mcast_snooping', '0']);
      await mustRun(['ip', '-n', bridgeNs, 'link', 'set', `br${n}`, 'up']);
    }
    for (const [i, hs] of specs.entries()) {
      if (!/^[a-z][a-z0-9]{0,14}$/.test(hs.name)) throw new Error(`harness: bad host name "${hs.name}"`);
      const netns = `${spec.prefix}-${hs.name}`;
      cluster.created.push(netns);
      await mustRun(['ip', 'netns', 'add', netns]);
      await mustRun(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
      const links: HostLink[] = [];
      for (const [k, n] of (hs.networks ?? spec.networks.map((_, j) => j)).entries()) {
        const subnet = spec.networks[n];
        if (subnet === undefined) throw new Error(`harness: host ${hs.name} names network ${n}, which does not exist`);
        const ifname = `eth${k}`;
        const port = `h${i}n${n}`;
        const a = subnetHost(subnet, hs.octet ?? i + 1);
        // Create both ends directly in their namespaces, so the name eth0 never meets the machine's own eth0.
        await mustRun(['ip', 'link', 'add', ifname, 'netns', netns, 'type', 'veth', 'peer', 'name', port, 'netns', bridgeNs]);
        await mustRun(['ip', '-n', bridgeNs, 'link', 'set', port, 'master', `br${n}`]);
        await mustRun(['ip', '-n', bridgeNs, 'link', 'set', port, 'up']);
        await mustRun(['ip', '-n', netns, 'addr', 'add', `${a.address}/24`, 'brd', '+', 'dev', ifname]);
        await mustRun(['ip', '-n', netns, 'link', 'set', ifname, 'up']);
        links.push({ ifname, network: n, ...a, bridgePort: port });
      }
      hosts.push(new Host(hs.name, hs.hostname ?? hs.name, netns, links, hostDirs(join(dir, hs.name))));
    }
  } catch (e) {
    await cluster.destroy();
    throw e;
  }
  return cluster;
}

/** Builds a cluster, runs `fn` with it and always destroys it, whether `fn` succeeds or throws. */
export async function withCluster<T>(spec: ClusterSpec, fn: (c: Cluster) => Promise<T>): Promise<T> {
  const c = await createCluster(spec);
  try {
    return await fn(c);
  } finally {
    await c.destroy();
  }
}
