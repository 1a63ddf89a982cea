// Failover scenarios of heartbeat 3.0.6's interop captures, played by two daemons (Lifeline or heartbeat) in namespaces
// while a third namespace, the client, checks after every step that exactly one host answers for the VIP.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  handCommand, kindOf, recordingScript, rscstatus, startDaemon, withCluster,
  type Cluster, type HaConfig, type Host, type Impl, type RunningDaemon,
} from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sh(argv: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile(argv[0]!, argv.slice(1), { timeout: 10000 }, (e, stdout) => {
      res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout });
    });
  });
}

/** One node of the scenario: its host, the daemon running there (if any) and how far its call log was read. */
interface Node {
  readonly host: Host;
  readonly impl: Impl;
  daemon: RunningDaemon | undefined;
  callsRead: number;
  /** The service as its calls say: a start while it runs is a protocol error (and, for Lifeline, a stop while stopped). */
  modelRunning: boolean;
  readonly callErrors: string[];
}

function calls(n: Node): string[] {
  const f = join(n.host.dirs.lib, 'recsvc.calls');
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
}

/** The start/stop calls a node made since the last look (status calls are heartbeat's and our probes). */
function newCalls(n: Node): string[] {
  const all = calls(n);
  const fresh = all.slice(n.callsRead).filter((c) => c !== 'status');
  n.callsRead = all.length;
  for (const c of fresh) {
    if (c === 'start' && n.modelRunning) n.callErrors.push(`${n.host.name}: start while running (call ${all.length})`);
    // heartbeat's ResourceManager stops every resource of a group it gives up, held or not (stop is idempotent);
    // Lifeline stops only what it started.
    if (c === 'stop' && !n.modelRunning && n.impl === 'lifeline') n.callErrors.push(`${n.host.name}: stop while stopped (call ${all.length})`);
    n.modelRunning = c === 'start';
  }
  return fresh;
}

const running = (n: Node) => existsSync(join(n.host.dirs.run, 'recsvc.running'));

/**
 * Watches both nodes all along: the service marker (read in-process, both at once) and the VIP (`ip addr`, one
 * namespace after the other). Two owners outside an allowed window is a violation. For the VIP, samples are taken
 * a, b, a, b, …: both are counted as owners only when a host held it before and after the other was seen holding
 * it, so a clean hand-over between two samples is not mistaken for an overlap.
 */
class OwnershipMonitor {
  readonly violations: string[] = [];
  allowTwo = false;
  private stopped = false;
  private done: Promise<void>;
  samples = 0;

  constructor(private readonly nodes: readonly Node[], private readonly vip: string, private readonly t0: number) {
    this.done = this.loop();
  }

  private async hasVip(n: Node): Promise<boolean> {
    const r = await sh(['ip', '-n', n.host.netns, '-4', '-o', 'addr', 'show']);
    return r.out.includes(` ${this.vip}/`);
  }

  private async loop(): Promise<void> {
    const seq: { node: number; vip: boolean; allow: boolean }[] = [];
    for (let i = 0; !this.stopped; i++) {
      const at = Math.round(performance.now() - this.t0);
      if (!this.allowTwo && this.nodes.every(running)) this.violations.push(`${at} ms: the service runs on both nodes`);
      const k = i % 2;
      seq.push({ node: k, vip: await this.hasVip(this.nodes[k]!), allow: this.allowTwo });
      this.samples++;
      if (seq.length >= 3) {
        const [x, y, z] = seq.slice(-3) as [typeof seq[0], typeof seq[0], typeof seq[0]];
        if (x.vip && y.vip && z.vip && !x.allow && !y.allow && !z.allow) this.violations.push(`${at} ms: the VIP is on both nodes`);
        seq.shift();
      }
      await sleep(15);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** The timing of every scenario: heartbeat's fastest sane settings (keepalive 200 ms, deadtime 2 s). */
function haCfText(): string {
  return 'keepalive 200ms\ndeadtime 2\nwarntime 1\ninitdead 6\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n';
}

/**
 * `cl_status rscstatus` on each node after each step (`-` where no daemon runs), as two heartbeat 3.0.6 nodes
 * answer it in the same scenario. After a healed partition the words depend on which node restarted.
 */
const RSCSTATUS: Record<string, string> = {
  'start': 'nodea=local nodeb=local',
  'hb_standby': 'nodea=none nodeb=all',
  'hb_takeover': 'nodea=all nodeb=none',
  'crash': 'nodea=- nodeb=all',
  'failback': 'nodea=local nodeb=local',
  'graceful stop': 'nodea=- nodeb=all',
};

/** What `step` reports, for the test's diagnostics. */
export interface StepFigure { readonly step: string; readonly ms: number }

/**
 * Plays the scenario with `a` on nodea (the preferred node of the group) and `b` on nodeb. `net` is the third
 * octet of this run's /24 in 10.245.0.0/16; `prefix` its namespace prefix (llf-*).
 */
export async function playScenario(a: Impl, b: Impl, net: number, prefix: string, diag: (s: string) => void,
  fault: 'partition' | 'linkdown' = 'partition'): Promise<StepFigure[]> {
  const vip = `10.245.${net}.100`;
  const cfg: HaConfig = {
    haCf: haCfText(), authkeys: 'auth 1\n1 sha1 lifeline-failover-test\n',
    haresources: `nodea ${vip} recsvc\n`, resourceScripts: { recsvc: recordingScript() },
  };
  const figures: StepFigure[] = [];
  return withCluster({ prefix, networks: [`10.245.${net}.0/24`], hosts: ['nodea', 'nodeb', 'client'] }, async (c: Cluster) => {
    const na: Node = { host: c.host('nodea'), impl: a, daemon: undefined, callsRead: 0, modelRunning: false, callErrors: [] };
    const nb: Node = { host: c.host('nodeb'), impl: b, daemon: undefined, callsRead: 0, modelRunning: false, callErrors: [] };
    const nodes = [na, nb];
    const client = c.host('client');
    const macs = new Map<Node, string>();
    for (const n of nodes) macs.set(n, (await n.host.mustExec(['cat', '/sys/class/net/eth0/address'])).trim().toLowerCase());
    const t0 = performance.now();
    const mon = new OwnershipMonitor(nodes, vip, t0);
    const other = (n: Node) => (n === na ? nb : na);

    const start = async (n: Node) => {
      n.daemon = await startDaemon(n.host, cfg, kindOf(n.impl));
      if (n.impl === 'heartbeat') assert.equal(n.daemon.launcherExit, 0, `heartbeat started on ${n.host.name}`);
    };

    /** Waits until `owner` runs the group (service and VIP) and the other does not, then checks it stays so. */
    const settle = async (what: string, owner: Node | undefined, since: number, timeoutMs = 30000, retry?: () => Promise<boolean>): Promise<number> => {
      let retried = false;
      const ok = async () => {
        for (const n of nodes) {
          const want = n === owner;
          if (running(n) !== want || (await n.host.hasAddress(vip)) !== want) return false;
        }
        return true;
      };
      while (!(await ok())) {
        if (retry && !retried && performance.now() - since > 4000) { retried = true; await retry(); }
        if (performance.now() - since > timeoutMs) {
          const state = await Promise.all(nodes.map(async (n) => `${n.host.name}: service ${running(n) ? 'up' : 'down'}, VIP ${(await n.host.hasAddress(vip)) ? 'yes' : 'no'}`));
          throw new Error(`${what}: expected the group on ${owner?.host.name ?? 'no node'} within ${timeoutMs} ms; ${state.join('; ')}`);
        }
        await sleep(20);
      }
      const ms = Math.round(performance.now() - since);
      // Stable: no second move (a bounce back, a late takeover) in the next 1.5 s.
      await sleep(1500);
      assert.ok(await ok(), `${what}: the group moved again after settling on ${owner?.host.name ?? 'no node'}`);
      figures.push({ step: what, ms });
      diag(`${a}+${b} ${what}: group on ${owner?.host.name ?? 'no node'} after ${ms} ms`);
      return ms;
    };

    /** The client sees exactly one MAC answer for the VIP, the owner's, and a ping gets replies. */
    const clientSees = async (what: string, owner: Node) => {
      await client.execNet(['ip', 'neigh', 'flush', 'dev', 'eth0']);
      const r = await client.execNet(['arping', '-b', '-c', '2', '-w', '2', '-I', 'eth0', vip]);
      const seen = new Set([...r.stdout.matchAll(/reply from \S+ \[([0-9A-Fa-f:]+)\]/g)].map((m) => m[1]!.toLowerCase()));
      assert.deepEqual([...seen], [macs.get(owner)], `${what}: arping from the client sees ${[...seen].join(', ') || 'no MAC'}; expected ${owner.host.name}'s only (${r.stdout}${r.stderr})`);
      const p = await client.execNet(['ping', '-c', '3', '-i', '0.2', '-W', '1', vip]);
      assert.match(p.stdout, /[1-9]\d* received/, `${what}: ping ${vip} from the client: ${p.stdout} ${(await client.execNet(['ip', 'neigh'])).stdout} ${(await owner.host.execNet(['ip', 'addr'])).stdout} ${(await owner.host.execNet(['ip', 'neigh'])).stdout}`);
    };

    /** The start/stop calls each node made during the step, in order. */
    const expectCalls = (what: string, want: Record<string, string[]>) => {
      for (const n of nodes) assert.deepEqual(newCalls(n), want[n.host.name] ?? [], `${what}: resource.d calls on ${n.host.name}`);
    };

    /** What each node says it holds, after a step: `nodea=all nodeb=none`. */
    const rscWords = async (what: string): Promise<void> => {
      const w = (await Promise.all(nodes.map(async (n) => `${n.host.name}=${n.daemon ? await rscstatus(n.host, n.impl) : '-'}`))).join(' ');
      diag(`${a}+${b} ${what}: rscstatus ${w}`);
      const want = RSCSTATUS[what];
      if (want) assert.equal(w, want, `${what}: cl_status rscstatus on both nodes`);
    };

    /** `lifeline status` on every Lifeline node names the group and the node running it. */
    const statusShows = async (what: string, owner: Node) => {
      for (const n of nodes.filter((x) => x.impl === 'lifeline' && x.daemon)) {
        const r = await n.host.exec([process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), 'status'], { timeoutMs: 10000 });
        assert.equal(r.code, 0, `${what}: lifeline status on ${n.host.name}`);
        assert.ok(r.stdout.includes(`\tnodea ${vip} recsvc\trunning on ${owner.host.name}\n`), `${what}: lifeline status on ${n.host.name}:\n${r.stdout}`);
      }
    };

    try {
      // 1. Both start: the group comes up on its preferred node only.
      let t = performance.now();
      await Promise.all([start(na), start(nb)]);
      await settle('start', na, t, 40000);
      expectCalls('start', { nodea: ['start'] });
      await clientSees('start', na);
      await rscWords('start');
      await statusShows('start', na);
      for (const n of nodes.filter((x) => x.impl === 'lifeline')) {
        const bad = await n.host.exec([process.execPath, join(repoRoot(), 'bin', 'hb_standby.js'), 'everything']);
        assert.equal(bad.code, 1, 'hb_standby with a wrong word exits 1, as heartbeat\'s script');
        assert.match(bad.stderr, /wrong resources\(everything\)/);
      }

      // 2. hb_standby on the owner: the peer takes the group.
      t = performance.now();
      const again = await handOver(na.host, na.impl, 'hb_standby', 'all', diag);
      await settle('hb_standby', nb, t, 30000, again);
      expectCalls('hb_standby', { nodea: ['stop'], nodeb: ['start'] });
      await clientSees('hb_standby', nb);
      await rscWords('hb_standby');
      await statusShows('hb_standby', nb);

      // 3. hb_takeover on the preferred node: it gets the group back.
      t = performance.now();
      const again2 = await handOver(na.host, na.impl, 'hb_takeover', 'all', diag);
      await settle('hb_takeover', na, t, 30000, again2);
      expectCalls('hb_takeover', { nodea: ['start'], nodeb: ['stop'] });
      await clientSees('hb_takeover', na);
      await rscWords('hb_takeover');

      // 4. The owner crashes: the survivor takes over, logging that nothing protects the shared disks.
      const mark = await nb.host.logMark();
      t = performance.now();
      await na.host.crash();
      // A crashed machine reboots with an empty /var/run: the marker goes with it.
      rmSync(join(na.host.dirs.run, 'recsvc.running'), { force: true });
      na.daemon = undefined;
      newCalls(na);
      na.modelRunning = false;
      await settle('crash of the owner', nb, t);
      expectCalls('crash', { nodeb: ['start'] });
      await nb.host.waitForLog(/No STONITH device configured/, { since: mark, timeoutMs: 1000 });
      await nb.host.waitForLog(/Shared disks are not protected/, { since: mark, timeoutMs: 1000 });
      await clientSees('crash', nb);
      await rscWords('crash');

      // 5. The preferred node comes back: auto_failback on hands the group back.
      t = performance.now();
      await start(na);
      await settle('restart and failback', na, t, 40000);
      expectCalls('failback', { nodea: ['start'], nodeb: ['stop'] });
      await clientSees('failback', na);
      await rscWords('failback');

      // 6. The link between the nodes breaks — a switch partition (the client stays with nodea) or the owner's
      //    cable pulled (`linkdown`: the client then reaches nodeb only): each side believes the other dead and
      //    runs the group; once the link is back, the split brain ends with exactly one owner.
      mon.allowTwo = true;
      t = performance.now();
      const marks = await Promise.all(nodes.map((n) => n.host.logMark()));
      if (fault === 'partition') await c.partition([['nodea', 'client'], ['nodeb']]);
      else await na.host.linkDown('eth0');
      await settleBoth(nodes, vip, t, 20000);
      if (fault === 'linkdown') await clientSees('owner cable pulled', nb);
      // Split brain without fencing: both sides say so, loudly, as heartbeat does.
      for (const [i, n] of nodes.entries()) {
        await n.host.waitForLog(/No STONITH device configured/, { since: marks[i]!, timeoutMs: 2000 });
        await n.host.waitForLog(/Shared disks are not protected/, { since: marks[i]!, timeoutMs: 2000 });
      }
      diag(`${a}+${b} partition: both nodes run the group after ${Math.round(performance.now() - t)} ms`);
      expectCalls('partition', { nodeb: ['start'] });
      t = performance.now();
      if (fault === 'partition') await c.heal();
      else await na.host.linkUp('eth0');
      // One side gives everything up and restarts; auto_failback on then brings the group to the preferred node.
      await settle('partition healed', na, t, 45000);
      mon.allowTwo = false;
      for (const n of nodes) newCalls(n); // checked by the call model (no second start while running)
      if (a === 'lifeline' && b === 'lifeline') {
        // Exactly one of two Lifeline nodes restarts; the other keeps (or takes) the groups.
        const restarted = await Promise.all(nodes.map(async (n) => /Restarting: all resources given up after a healed partition/.test(await n.host.readLog())));
        assert.equal(restarted.filter(Boolean).length, 1, `one node restarts after the heal (${restarted.join(', ')})`);
      }
      const owner = na;
      const loser = nb;
      await clientSees('heal', owner);
      // A node that restarted after the heal is still starting up (heartbeat: `transition`, or no answer while it
      // re-execs): wait until both nodes are stable again before the next step.
      for (const since = performance.now(); ;) {
        const w = await Promise.all(nodes.map((n) => rscstatus(n.host, n.impl)));
        if (w.every((x) => /^(none|local|foreign|all)$/.test(x))) break;
        if (performance.now() - since > 30000) throw new Error(`after the heal the nodes do not settle: rscstatus ${w.join(', ')}`);
        await sleep(250);
      }
      await rscWords('heal');

      // 7. Graceful stop of the owner: the peer takes over at once; then the peer stops too, releasing everything.
      t = performance.now();
      assert.ok(await owner.daemon!.stop(30000), `${owner.host.name} stops`);
      owner.daemon = undefined;
      await settle('graceful stop of the owner', loser, t);
      expectCalls('graceful stop', { [owner.host.name]: ['stop'], [loser.host.name]: ['start'] });
      await clientSees('graceful stop', loser);
      await rscWords('graceful stop');
      t = performance.now();
      assert.ok(await loser.daemon!.stop(30000), `${loser.host.name} stops`);
      loser.daemon = undefined;
      await settle('last node stops', undefined, t);
      expectCalls('last stop', { [loser.host.name]: ['stop'] });
      // Nothing in Lifeline's own code failed along the way (a consumer or handler that throws is logged, not fatal).
      for (const n of nodes.filter((x) => x.impl === 'lifeline')) {
        const bad = (await n.host.readLog()).split('\n').filter((l) => /failed to start|resources failed|step failed|handler failed|stop failed|Error:/.test(l));
        assert.deepEqual(bad, [], `${n.host.name}: internal errors in the log`);
      }
    } catch (e) {
      // The cluster's tree goes at teardown: keep the daemons' logs and call records of a failed run.
      const keep = join(tmpdir(), 'lifeline-failover-logs', prefix);
      mkdirSync(keep, { recursive: true });
      for (const n of nodes) {
        for (const f of [n.host.logFile, join(n.host.dirs.lib, 'recsvc.calls'), join(n.host.dirs.log, `${n.impl}.out`)]) {
          if (existsSync(f)) copyFileSync(f, join(keep, `${n.host.name}.${basename(f)}`));
        }
      }
      diag(`logs of the failed run kept in ${keep}`);
      throw e;
    } finally {
      await mon.stop();
    }
    assert.deepEqual(mon.violations, [], 'never two owners outside the partition');
    assert.deepEqual([...na.callErrors, ...nb.callErrors], [], 'start and stop alternate on each node');
    assert.ok(mon.samples > 50, `the monitor sampled (${mon.samples})`);
    return figures;
  });
}

/** Waits until both nodes run the group (a partition). */
async function settleBoth(nodes: readonly Node[], vip: string, since: number, timeoutMs: number): Promise<void> {
  for (;;) {
    let all = true;
    for (const n of nodes) if (!running(n) || !(await n.host.hasAddress(vip))) all = false;
    if (all) return;
    if (performance.now() - since > timeoutMs) throw new Error('partition: both sides should run the group');
    await sleep(20);
  }
}

/**
 * Runs the command and returns a retry for the one failure that is heartbeat's own: its FIFO reader now and then
 * takes the script's message as empty (`ERROR: msg2string: Message with zero fields`, seen once in ~10 runs),
 * and nothing is sent. The retry re-runs the command only when heartbeat logged exactly that.
 */
async function handOver(h: Host, impl: Impl, cmd: 'hb_standby' | 'hb_takeover', which: string, diag: (s: string) => void) {
  const mark = await h.logMark();
  const r = await handCommand(h, impl, cmd, which);
  assert.equal(r.code, 0, `${cmd} ${which} on ${h.name}: ${r.stderr}`);
  return async (): Promise<boolean> => {
    if (impl !== 'heartbeat' || !/msg2string: Message with zero fields/.test((await h.readLog()).slice(mark))) return false;
    diag(`heartbeat on ${h.name} lost the ${cmd} message in its FIFO (msg2string: Message with zero fields): running ${cmd} again`);
    await handCommand(h, impl, cmd, which);
    return true;
  };
}

/**
 * The standby words in a mixed cluster, one group per node (`svca` prefers nodea, `svcb` nodeb): `local`,
 * `foreign`, `failback` and `all` sent by one implementation and carried out by the other. heartbeat's rc.d script
 * turns a received `hb_takeover failback` into `hb_standby` (all); Lifeline gives up only its foreign groups.
 */
export async function playStandbyWords(a: Impl, b: Impl, net: number, prefix: string, diag: (s: string) => void): Promise<void> {
  try {
    await standbyWordsOnce(a, b, net, prefix, diag);
  } catch (e) {
    if (!(e instanceof HeartbeatLostStart)) throw e;
    // heartbeat's own defect, not Lifeline's: the cluster is started again from nothing, once.
    diag(`${e.message}; starting the cluster again`);
    await standbyWordsOnce(a, b, net, prefix, diag);
  }
}

/**
 * heartbeat 3.0.6 now and then loses a message between its own processes at start-up (`ERROR: msg2string: Message
 * with zero fields`, seen on CI under load) and then never starts its group: the one start-up failure that is the
 * peer's and not Lifeline's. Raised only when heartbeat logged exactly that line and its group is missing.
 */
class HeartbeatLostStart extends Error {}

async function standbyWordsOnce(a: Impl, b: Impl, net: number, prefix: string, diag: (s: string) => void): Promise<void> {
  const vips = { svca: `10.245.${net}.100`, svcb: `10.245.${net}.101` };
  const cfg: HaConfig = {
    haCf: haCfText(), authkeys: 'auth 1\n1 sha1 lifeline-failover-test\n',
    haresources: `nodea ${vips.svca} svca\nnodeb ${vips.svcb} svcb\n`, resourceScripts: { svca: recordingScript('svca'), svcb: recordingScript('svcb') },
  };
  await withCluster({ prefix, networks: [`10.245.${net}.0/24`], hosts: ['nodea', 'nodeb'] }, async (c: Cluster) => {
    const hosts = { nodea: c.host('nodea'), nodeb: c.host('nodeb') };
    const impl = { nodea: a, nodeb: b };
    const runs = (h: Host, svc: string) => existsSync(join(h.dirs.run, `${svc}.running`));
    type Where = Record<'svca' | 'svcb', 'nodea' | 'nodeb'>;
    const state = async () => {
      const out: string[] = [];
      for (const svc of ['svca', 'svcb'] as const) {
        for (const n of ['nodea', 'nodeb'] as const) {
          const r = runs(hosts[n], svc);
          const v = await hosts[n].hasAddress(vips[svc]);
          if (r || v) out.push(`${svc}@${n}${r && v ? '' : r ? '(service only)' : '(VIP only)'}`);
        }
      }
      return out.join(' ');
    };
    // Bounds from the configuration: start-up waits initdead (6 s), then heartbeat asks for its resources ~10.5 s
    // after start (measured 10.5–10.8 s) and runs the scripts; a command waits for the peer's answer and the
    // scripts. Each bound is twice what the slowest implementation needs on an idle machine, plus 10 s.
    const boundMs = (what: string) => (what === 'start' ? 2 * (6000 + 11000) + 10000 : 20000);
    const report = async () => {
      const tails = (['nodea', 'nodeb'] as const).map((n) => {
        const f = hosts[n].logFile;
        const lines = existsSync(f) ? readFileSync(f, 'utf8').trimEnd().split('\n').slice(-12) : ['(no log)'];
        return `--- ${n} (${impl[n]}) ${f}:\n${lines.join('\n')}`;
      });
      return `found ${await state() || 'nothing'}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}\n${tails.join('\n')}`;
    };
    const heartbeatLost = async () => {
      for (const n of ['nodea', 'nodeb'] as const) {
        if (impl[n] === 'heartbeat' && /msg2string: Message with zero fields/.test(await hosts[n].readLog())) return n;
      }
      return null;
    };
    const expectWhere = async (what: string, where: Where, since: number, retry?: () => Promise<boolean>) => {
      const want = `svca@${where.svca} svcb@${where.svcb}`;
      let retried = false;
      while ((await state()) !== want) {
        if (retry && !retried && performance.now() - since > 4000) { retried = true; await retry(); }
        if (performance.now() - since > boundMs(what)) {
          const lost = what === 'start' ? await heartbeatLost() : null;
          if (lost) throw new HeartbeatLostStart(`${a}+${b} start: heartbeat on ${lost} logged msg2string: Message with zero fields and did not start its group (${await state()})`);
          throw new Error(`${a}+${b} ${what}: expected ${want} within ${boundMs(what)} ms, ${await report()}`);
        }
        await sleep(20);
      }
      const ms = Math.round(performance.now() - since);
      await sleep(1500);
      assert.equal(await state(), want, `${what}: stable`);
      diag(`${a}+${b} ${what}: ${want} after ${ms} ms`);
    };
    const command = async (node: 'nodea' | 'nodeb', cmd: 'hb_standby' | 'hb_takeover', which: string, where: Where) => {
      const t = performance.now();
      const again = await handOver(hosts[node], impl[node], cmd, which, diag);
      await expectWhere(`${cmd} ${which} on ${node} (${impl[node]})`, where, t, again);
    };

    const t = performance.now();
    for (const n of ['nodea', 'nodeb'] as const) {
      const d = await startDaemon(hosts[n], cfg, kindOf(impl[n]));
      if (impl[n] === 'heartbeat') assert.equal(d.launcherExit, 0);
    }
    await expectWhere('start', { svca: 'nodea', svcb: 'nodeb' }, t);
    await command('nodea', 'hb_standby', 'local', { svca: 'nodeb', svcb: 'nodeb' });
    await command('nodea', 'hb_takeover', 'local', { svca: 'nodea', svcb: 'nodeb' });
    await command('nodeb', 'hb_takeover', 'foreign', { svca: 'nodeb', svcb: 'nodeb' });
    // heartbeat receiving `failback` gives up everything; Lifeline only its foreign groups.
    await command('nodea', 'hb_takeover', 'failback', { svca: 'nodea', svcb: impl.nodeb === 'heartbeat' ? 'nodea' : 'nodeb' });
    await command('nodeb', 'hb_takeover', 'all', { svca: 'nodeb', svcb: 'nodeb' });
    await command('nodeb', 'hb_standby', 'all', { svca: 'nodea', svcb: 'nodea' });
    // Each service started and stopped in turn, never twice in a row, on each node.
    for (const n of ['nodea', 'nodeb'] as const) {
      for (const svc of ['svca', 'svcb']) {
        const f = join(hosts[n].dirs.lib, `${svc}.calls`);
        const seq = (existsSync(f) ? readFileSync(f, 'utf8').split('\n') : []).filter((x) => x === 'start' || x === 'stop');
        for (let i = 1; i < seq.length; i++) assert.ok(!(seq[i] === 'start' && seq[i - 1] === 'start'), `${svc} on ${n}: ${seq.join(',')}`);
      }
    }
  });
}
