// The campaign's shell: a two-node haresources cluster (and a client) in namespaces, each fault of the plan
// injected for real, the cluster awaited until settled, the audits of ./audit.ts run, the logs kept as artefacts.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  handCommand, kindOf, recordingScript, rscstatus, startDaemon, withCluster, namespacePids,
  type Cluster, type HaConfig, type Host, type Impl, type RunningDaemon,
} from '../harness/index.js';
import { repoRoot } from '../harness/daemon.js';
import { mulberry32 } from '../random.js';
import { VipWatch } from './vip-watch.js';
import { auditArp, auditSettled, allowedFor, arpOverlaps, holder, unexpectedSevere, type Observation } from './audit.js';
import {
  NODES, describeFault, expect, initialModel, nextFault, other, settle,
  type Expectation, type Fault, type FaultKind, type Model, type NodeName, type Timing,
} from './plan.js';

export interface CampaignOptions {
  readonly seed: number;
  /** Faults to inject after the two starts. */
  readonly faults: number;
  readonly impl: Readonly<Record<NodeName, Impl>>;
  /** Namespace prefix and the third octet of this campaign's two /24s in 10.246/16 and 10.247/16. */
  readonly prefix: string;
  readonly subnet: number;
  /** Where the logs and the fault list go (kept after the run). */
  readonly artefacts: string;
  /** Only these kinds (a focused campaign); default all. */
  readonly only?: ReadonlySet<FaultKind>;
  /** Replays exactly these faults instead of drawing them. */
  readonly replay?: readonly Fault[];
  readonly log?: (line: string) => void;
}

export interface FaultRecord { readonly n: number; readonly fault: string; readonly settledMs: number; readonly owner: string }

export interface CampaignResult {
  readonly seed: number;
  readonly records: readonly FaultRecord[];
  /** Audit failures; the campaign stops at the first fault that has any. */
  readonly failures: readonly string[];
  readonly countsByKind: Readonly<Record<string, number>>;
  readonly artefacts: string;
}

export const TIMING: Timing = { keepaliveMs: 200, deadtimeMs: 2000, initdeadMs: 4000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function haCf(t: Timing, broken = false): string {
  return [
    `keepalive ${t.keepaliveMs}ms`, broken ? 'deadtime banana' : `deadtime ${t.deadtimeMs / 1000}`, 'warntime 1',
    `initdead ${t.initdeadMs / 1000}`, 'udpport 694', 'bcast eth0 eth1', 'auto_failback on', 'node nodea nodeb', '',
  ].join('\n');
}

/** How long the cluster may take to settle after a fault: twice the slowest path the configuration allows, plus 10 s. */
export function settleBoundMs(t: Timing, impl: Readonly<Record<NodeName, Impl>>, f: Fault): number {
  // heartbeat asks for its resources ~10.5 s after it starts; Lifeline within initdead.
  const acquire = NODES.some((n) => impl[n] === 'heartbeat') ? 11000 : 2000;
  return 2 * (t.initdeadMs + t.deadtimeMs + acquire) + 10000 + ('ms' in f ? f.ms : 0);
}

/** One node under test: its host and daemon, and what its service's call log said so far. */
interface Node {
  readonly name: NodeName;
  readonly host: Host;
  readonly impl: Impl;
  daemon: RunningDaemon | undefined;
  callsRead: number;
  running: boolean;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const say = o.log ?? (() => { /* quiet */ });
  const vip = `10.246.${o.subnet}.100`;
  const cfg: HaConfig = {
    haCf: haCf(TIMING), authkeys: 'auth 1\n1 sha1 lifeline-cts\n', haresources: `nodea ${vip} recsvc\n`, resourceScripts: { recsvc: recordingScript('recsvc', { statusExit3WhenStopped: true }) },
  };
  mkdirSync(o.artefacts, { recursive: true });
  const records: FaultRecord[] = [];
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  const faultLines: string[] = [];
  const spec = {
    prefix: o.prefix, networks: [`10.246.${o.subnet}.0/24`, `10.247.${o.subnet}.0/24`],
    hosts: ['nodea', 'nodeb', { name: 'client', networks: [0] }],
  };
  await withCluster(spec, async (c: Cluster) => {
    const nodes: Record<NodeName, Node> = {
      nodea: { name: 'nodea', host: c.host('nodea'), impl: o.impl.nodea, daemon: undefined, callsRead: 0, running: false },
      nodeb: { name: 'nodeb', host: c.host('nodeb'), impl: o.impl.nodeb, daemon: undefined, callsRead: 0, running: false },
    };
    const client = c.host('client');
    const macs = {} as Record<NodeName, string>;
    for (const n of NODES) macs[n] = (await nodes[n].host.mustExec(['cat', '/sys/class/net/eth0/address'])).trim().toLowerCase();
    const clientMac = (await client.mustExec(['cat', '/sys/class/net/eth0/address'])).trim().toLowerCase();
    const watch = new VipWatch(client, vip, clientMac);
    await watch.start();
    const t0 = performance.now();
    const rel = () => Math.round(performance.now() - t0);
    const ops = new FaultOps(c, nodes, cfg, vip);
    try {
      let m: Model = initialModel(o.impl, TIMING);
      const rnd = mulberry32(o.seed);
      const plan = o.replay ? [...o.replay] : [{ kind: 'start', node: 'nodea' }, { kind: 'start', node: 'nodeb' }] as Fault[];
      for (let i = 0; i < (o.replay ? plan.length : o.faults + 2); i++) {
        const f: Fault = plan[i] ?? nextFault(m, TIMING, rnd, o.only);
        const e: Expectation = expect(m, f);
        const line = describeFault(f);
        faultLines.push(line);
        counts[f.kind] = (counts[f.kind] ?? 0) + 1;
        const marks = await Promise.all(NODES.map((n) => nodes[n].host.logMark()));
        // The Lifeline nodes up count every bad packet broadcast (heartbeat's counter is not readable).
        const counters = f.kind === 'bad-packets' ? NODES.filter((n) => m.up[n] && nodes[n].impl === 'lifeline') : [];
        const badBefore = await Promise.all(counters.map((n) => ops.badPackets(nodes[n])));
        const from = rel();
        await ops.inject(f);
        const injectedAt = performance.now();
        const s = await ops.settle(e, settleBoundMs(TIMING, o.impl, f));
        const problems = [...s.failures];
        // The continuous audit: two MACs answering one request outside a split brain.
        if (!e.splitBrain) {
          for (const [a, b] of arpOverlaps(watch.repliesSince(from + t0))) {
            problems.push(`the VIP answered from two MACs at once (${a.mac} and ${b.mac}, ${Math.round(a.atMs - t0)} ms)`);
          }
        }
        const owner = s.owner;
        if (s.failures.length === 0) {
          await sleep(400);
          problems.push(...auditArp(owner, watch.macsSince(performance.now() - 350), macs));
        }
        for (const [k, n] of NODES.entries()) {
          const text = (await nodes[n].host.readLog()).slice(marks[k]!);
          for (const l of unexpectedSevere(text, allowedFor(f, e, n))) problems.push(`${n} logged: ${l.trim()}`);
        }
        problems.push(...ops.auditCalls());
        if (f.kind === 'bad-packets') {
          for (const [k, n] of counters.entries()) {
            const delta = (await ops.badPackets(nodes[n])) - badBefore[k]!;
            if (delta !== f.count) problems.push(`${n} counted ${delta} bad packets, ${f.count} were sent`);
          }
        }
        const settledMs = Math.round(s.atMs - injectedAt);
        records.push({ n: i + 1, fault: line, settledMs, owner: owner ?? 'none' });
        say(`#${i + 1} ${line}: ${problems.length ? 'FAILED' : 'ok'}, settled ${settledMs} ms after the fault, group on ${owner ?? 'no node'}`);
        m = settle(e.model, owner);
        if (problems.length) {
          failures.push(...problems.map((p) => `#${i + 1} ${line}: ${p}`));
          break;
        }
      }
    } finally {
      await watch.stop();
      writeFileSync(join(o.artefacts, 'faults.txt'), `seed ${o.seed}\n${faultLines.join('\n')}\n`);
      for (const n of NODES) {
        const h = nodes[n].host;
        for (const f of [h.logFile, join(h.dirs.log, 'lifeline.out'), join(h.dirs.log, 'heartbeat.out'), join(h.dirs.lib, 'recsvc.calls')]) {
          if (existsSync(f)) copyFileSync(f, join(o.artefacts, `${n}-${f.split('/').pop()}`));
        }
      }
    }
  });
  return { seed: o.seed, records, failures, countsByKind: counts, artefacts: o.artefacts };
}

/** Carries out faults on the cluster and observes it. */
class FaultOps {
  constructor(
    private readonly c: Cluster,
    private readonly nodes: Record<NodeName, Node>,
    private readonly cfg: HaConfig,
    private readonly vip: string,
  ) {}

  private readonly callErrors: string[] = [];

  async start(n: Node): Promise<void> {
    writeFileSync(join(n.host.dirs.etc, 'monitors'), 'recsvc interval=500ms timeout=5 restarts=1\n');
    n.daemon = await startDaemon(n.host, this.cfg, kindOf(n.impl));
  }

  async stop(n: Node): Promise<void> {
    await n.daemon?.stop(30000);
    n.daemon = undefined;
  }

  async crash(n: Node): Promise<void> {
    await n.host.crash();
    // A crashed machine reboots with an empty /var/run: the service's marker goes with it.
    rmSync(join(n.host.dirs.run, 'recsvc.running'), { force: true });
    n.daemon = undefined;
    this.readCalls(n);
    n.running = false;
  }

  /** The daemon's main process: Lifeline's foreground node process, heartbeat's master control process. */
  async mainPid(n: Node): Promise<number | undefined> {
    for (const pid of await namespacePids(n.host.netns)) {
      let cmd = '';
      try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { continue; }
      if (n.impl === 'lifeline' ? /lifeline\.js daemon .*--foreground/.test(cmd) : /^heartbeat: master control process/.test(cmd)) return pid;
    }
    return undefined;
  }

  async hand(n: Node, cmd: 'hb_standby' | 'hb_takeover'): Promise<void> {
    await handCommand(n.host, n.impl, cmd, 'all');
  }

  async reload(n: Node, broken: boolean): Promise<void> {
    if (broken) writeFileSync(join(n.host.dirs.etc, 'ha.cf'), `logfile ${n.host.logFile}\nlogfacility none\n${haCf(TIMING, true)}`);
    const pid = await this.mainPid(n);
    if (pid) process.kill(pid, 'SIGHUP');
    await sleep(1000);
    // Put the good file back (unread until the next start or reload): a broken file must not linger.
    if (broken) writeFileSync(join(n.host.dirs.etc, 'ha.cf'), `logfile ${n.host.logFile}\nlogfacility none\n${this.cfg.haCf}`);
  }

  /**
   * Broadcasts `count` malformed datagrams from the client to port 694 on the eth0 LAN: a `bcast` medium binds
   * its interface's broadcast address, so that is what it hears (a unicast to a node's address reaches no one).
   */
  async sendBad(count: number): Promise<void> {
    const to = this.c.host('client').link('eth0').broadcast;
    // Half are garbage, half look like heartbeat messages with a wrong digest: both must be dropped and counted.
    const script = `const s=require('dgram').createSocket('udp4');let i=0;const next=()=>{if(i>=${count})return s.close();i++;` +
      `const b=Buffer.from(i%2?'lifeline-cts garbage '+i:'>>>\\nt=status\\nst=active\\nsrc=nodeb\\nseq=1\\nhg=1\\nts=1\\nttl=3\\nauth=1 0123456789abcdef'+i+'\\n<<<\\n');` +
      `s.send(b,694,'${to}',(e)=>{if(e)throw e;setTimeout(next,5);});};s.bind(0,()=>{s.setBroadcast(true);next();});`;
    const r = await this.c.host('client').execNet([process.execPath, '-e', script], { timeoutMs: 10000 });
    if (r.code !== 0) throw new Error(`cts: sending bad packets failed: ${r.stderr}`);
  }

  async badPackets(n: Node): Promise<number> {
    const r = await n.host.exec([process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), 'status', '--json'], { timeoutMs: 10000 });
    try { return (JSON.parse(r.stdout) as { counters?: { badPackets?: number } }).counters?.badPackets ?? -1; } catch { return -1; }
  }

  async inject(f: Fault): Promise<void> {
    const N = this.nodes;
    const d = TIMING.deadtimeMs;
    switch (f.kind) {
      case 'start': return this.start(N[f.node]);
      case 'stop': return this.stop(N[f.node]);
      case 'crash': return this.crash(N[f.node]);
      case 'restart': await this.stop(N[f.node]); return this.start(N[f.node]);
      case 'pause': await N[f.node].host.freeze(); await sleep(f.ms); await N[f.node].host.thaw(); return;
      case 'link-down': {
        const ifs = f.media === 'all' ? ['eth0', 'eth1'] : ['eth1'];
        for (const i of ifs) await N[f.node].host.linkDown(i);
        await sleep(f.ms);
        for (const i of ifs) await N[f.node].host.linkUp(i);
        return;
      }
      case 'loss':
        for (const i of ['eth0', 'eth1']) await N[f.node].host.netem({ lossPct: f.pct }, i);
        await sleep(f.ms);
        for (const i of ['eth0', 'eth1']) await N[f.node].host.clearNetem(i);
        return;
      case 'one-way': await N[f.node].host.dropFrom(N[other(f.node)].host); await sleep(f.ms); await N[f.node].host.clearDrops(); return;
      case 'partition':
        for (let k = 0; k < f.flaps; k++) {
          await this.c.partition([['nodea', 'client'], ['nodeb']]);
          await sleep(k === f.flaps - 1 ? f.ms : Math.max(300, Math.round(f.ms / f.flaps)));
          await this.c.heal();
          if (k < f.flaps - 1) await sleep(Math.round(d / 2));
        }
        return;
      case 'restart-in-partition':
        await this.c.partition([['nodea', 'client'], ['nodeb']]);
        await sleep(Math.round(f.ms / 2));
        await this.stop(N[f.node]);
        await this.start(N[f.node]);
        await sleep(Math.round(f.ms / 2));
        await this.c.heal();
        return;
      case 'monitor-fail':
        // The service dies under the daemon: a restart may start it without stopping it first.
        this.readCalls(N[f.node]);
        rmSync(join(N[f.node].host.dirs.run, 'recsvc.running'), { force: true });
        N[f.node].running = false;
        return;
      case 'standby': return this.hand(N[f.node], 'hb_standby');
      case 'takeover': return this.hand(N[f.node], 'hb_takeover');
      case 'standby-in-failover': await this.crash(N[other(f.node)]); return this.hand(N[f.node], 'hb_standby');
      case 'reload': if (f.inFailover) await this.crash(N[other(f.node)]); return this.reload(N[f.node], f.broken);
      case 'bad-packets': return this.sendBad(f.count);
    }
  }

  async observe(): Promise<Observation> {
    const one = async (n: Node) => ({
      daemonAlive: (await this.mainPid(n)) !== undefined,
      hasVip: await n.host.hasAddress(this.vip),
      serviceRunning: existsSync(join(n.host.dirs.run, 'recsvc.running')),
    });
    return { nodes: { nodea: await one(this.nodes.nodea), nodeb: await one(this.nodes.nodeb) } };
  }

  /** Polls until the audits pass and keep passing for 1.5 s, or the bound passes (then the last failures). */
  async settle(e: Expectation, boundMs: number): Promise<{ failures: string[]; owner: NodeName | null; atMs: number }> {
    const since = performance.now();
    let okSince: number | undefined;
    let last: string[] = [];
    let lastObs: Observation | undefined;
    for (;;) {
      const o = await this.observe();
      lastObs = o;
      last = auditSettled(e, o);
      const now = performance.now();
      // Settled also means no resource transition in flux on either node (`cl_status rscstatus` says `transition`
      // then): heartbeat, and Lifeline as it, ignore hb_standby until then ("Other side is in flux").
      if (last.length === 0 && !(await this.stable())) last = ['a resource transition is still in flux'];
      if (last.length === 0) {
        okSince ??= now;
        if (now - okSince >= 1500) break;
      } else okSince = undefined;
      if (now - since > boundMs) return { failures: last.map((x) => `not settled within ${boundMs} ms: ${x}`), owner: null, atMs: now };
      await sleep(100);
    }
    const h = holder(lastObs);
    return { failures: [], owner: h === 'both' || h === 'torn' ? null : h, atMs: okSince ?? performance.now() };
  }

  /** Every running daemon answers `cl_status rscstatus` with none, local, foreign or all (not `transition`). */
  private async stable(): Promise<boolean> {
    for (const n of NODES.map((x) => this.nodes[x])) {
      if ((await this.mainPid(n)) === undefined) continue;
      if (!/^(none|local|foreign|all)$/.test(await rscstatus(n.host, n.impl))) return false;
    }
    return true;
  }

  /** Reads each node's service calls: a start while it runs is the audit failure "started twice". */
  private readCalls(n: Node): string[] {
    const f = join(n.host.dirs.lib, 'recsvc.calls');
    const all = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
    const fresh = all.slice(n.callsRead).filter((x) => x !== 'status');
    n.callsRead = all.length;
    for (const x of fresh) {
      if (x === 'start' && n.running) this.callErrors.push(`${n.name}: the service was started while it ran (call ${all.length})`);
      n.running = x === 'start';
    }
    return fresh;
  }

  auditCalls(): string[] {
    for (const n of NODES) this.readCalls(this.nodes[n]);
    return this.callErrors.splice(0);
  }
}
