// The `crm on` campaign's shell: three real daemons with `crm on` (real ocf:pacemaker:Dummy + ocf:heartbeat:IPaddr2
// group) and a client in namespaces, each fault injected for real, a CIB change committed during it, ./crm-audit.ts run.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lifelineKind, namespacePids, startDaemon, withCluster, type Cluster, type Host, type RunningDaemon } from '../harness/index.js';
import { controlRequest } from '../daemon/client.js';
import { appVipGroup } from '../harness/crm-group.js';
import { mulberry32 } from '../random.js';
import { VipWatch } from './vip-watch.js';
import { arpOverlaps, LINK_LINES, LOSS_LINES, SEVERE, SPLIT_LINES } from './audit.js';
import { auditCrm, type CrmNodeObservation, type CrmObservation } from './crm-audit.js';
import {
  CRM_NODES, describeCrmFault, expectCrm, initialCrmModel, nextCrmFault, upNodes,
  type CrmExpectation, type CrmFault, type CrmFaultKind, type CrmModel, type CrmNode,
} from './crm-plan.js';

export interface CrmCampaignOptions {
  readonly seed: number;
  readonly faults: number;
  readonly prefix: string;
  /** Third octet of the campaign's /24s in 10.246/16 and 10.247/16. */
  readonly subnet: number;
  readonly artefacts: string;
  readonly only?: ReadonlySet<CrmFaultKind>;
  readonly replay?: readonly CrmFault[];
  readonly log?: (line: string) => void;
}

export interface CrmCampaignResult {
  readonly seed: number;
  readonly records: { n: number; fault: string; settledMs: number; holder: string }[];
  readonly failures: string[];
  readonly countsByKind: Record<string, number>;
  /** CIB changes committed (answered ok) during the campaign, every one found in every member's CIB after. */
  readonly committed: number;
  readonly artefacts: string;
}

const KEEPALIVE_MS = 200;
const DEADTIME_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const haCf = `keepalive ${KEEPALIVE_MS}ms\ndeadtime ${DEADTIME_MS / 1000}\nwarntime 1\ninitdead 4\nudpport 694\nbcast eth0 eth1\n`
  + `auto_failback on\nnode ${CRM_NODES.join(' ')}\ncrm on\n`;

const config = (vip: string) => `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="false"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources>${appVipGroup(vip)}</resources>
  <constraints/>
</configuration>`;

/** How long the cluster may take to settle after a fault: initdead, deadtime, a join and two transitions, plus slack. */
export const crmSettleBoundMs = (f: CrmFault) => 4000 + DEADTIME_MS + 40_000 + ('ms' in f ? f.ms : 0);

/** Severe lines a fault explains on a node (membership's split-brain and loss lines; sends on a downed link). */
function allowed(f: CrmFault, e: CrmExpectation, n: CrmNode): RegExp[] {
  const out: RegExp[] = [...LOSS_LINES];
  if (e.unfencedPartition || f.kind === 'crash' || f.kind === 'restart') out.push(...SPLIT_LINES);
  if (f.kind === 'link-down' && f.node === n) out.push(...LINK_LINES);
  // The failed monitor the campaign caused is logged at error level, as Pacemaker's execd does.
  if (f.kind === 'monitor-fail') out.push(/pacemaker-execd: Result of monitor operation for app on \S+: not running \|.* rc=7/);
  return out;
}

const runDir = (h: Host) => join(h.dirs.run, 'heartbeat');
const dummyFile = (h: Host) => join(h.dirs.run, 'resource-agents', 'Dummy-app.state');

export async function runCrmCampaign(o: CrmCampaignOptions): Promise<CrmCampaignResult> {
  const say = o.log ?? (() => { /* quiet */ });
  const vip = `10.246.${o.subnet}.100`;
  mkdirSync(o.artefacts, { recursive: true });
  const records: CrmCampaignResult['records'] = [];
  const failures: string[] = [];
  const counts: Record<string, number> = {};
  const lines: string[] = [];
  const marks: string[] = [];
  const spec = { prefix: o.prefix, networks: [`10.246.${o.subnet}.0/24`, `10.247.${o.subnet}.0/24`], hosts: [...CRM_NODES, { name: 'client', networks: [0] }] };
  await withCluster(spec, async (c: Cluster) => {
    const hosts = Object.fromEntries(CRM_NODES.map((n) => [n, c.host(n)])) as Record<CrmNode, Host>;
    const daemons: Partial<Record<CrmNode, RunningDaemon>> = {};
    const client = c.host('client');
    const clientMac = (await client.mustExec(['cat', '/sys/class/net/eth0/address'])).trim().toLowerCase();
    const watch = new VipWatch(client, vip, clientMac);
    await watch.start();
    const rnd = mulberry32(o.seed);
    const markRnd = mulberry32(o.seed ^ 0x5bd1e995);
    let configured = false;
    let m: CrmModel = initialCrmModel(DEADTIME_MS);

    const start = async (n: CrmNode) => {
      daemons[n] = await startDaemon(hosts[n], { haCf, authkeys: 'auth 1\n1 sha1 lifeline-cts-crm\n', haresources: '' }, lifelineKind());
    };
    const crash = async (n: CrmNode) => {
      await hosts[n].crash();
      // A crashed machine reboots with an empty /run: the agent's state file goes with it.
      rmSync(dummyFile(hosts[n]), { force: true });
      daemons[n] = undefined;
    };
    const mainPid = async (n: CrmNode) => {
      for (const pid of await namespacePids(hosts[n].netns)) {
        try { if (/lifeline\.js daemon .*--foreground/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))) return pid; } catch { /* gone */ }
      }
      return undefined;
    };
    const observe = async (): Promise<CrmObservation> => {
      const one = async (n: CrmNode): Promise<CrmNodeObservation> => {
        const alive = (await mainPid(n)) !== undefined;
        const base = { daemonAlive: alive, hasVip: await hosts[n].hasAddress(vip), dummy: existsSync(dummyFile(hosts[n])) };
        if (!alive) return base;
        const s = await controlRequest(runDir(hosts[n]), { cmd: 'crm_status' }, 3000).catch(() => undefined) as Record<string, unknown> | undefined;
        const q = await controlRequest(runDir(hosts[n]), { cmd: 'cib_query' }, 3000).catch(() => undefined) as Record<string, unknown> | undefined;
        return {
          ...base,
          ...(s?.ok ? { crm: { dc: (s.dc as string | null) ?? null, quorum: s.quorum === true, members: (s.members as string[]) ?? [], idle: s.idle === true } } : {}),
          ...(q?.ok && typeof q.xml === 'string' ? { cib: q.xml } : {}),
        };
      };
      const all = await Promise.all(CRM_NODES.map(one));
      return Object.fromEntries(CRM_NODES.map((n, i) => [n, all[i]!])) as CrmObservation;
    };
    /** A CIB change through a node of the quorate side; counted as committed only when answered ok. */
    const commitMark = async (sides: readonly CrmNode[]) => {
      const live = sides.filter((n) => daemons[n]);
      if (live.length < 2) return;
      const n = live[Math.floor(markRnd() * live.length)]!;
      const id = `cts-mark-${marks.length + 1}-${Math.floor(markRnd() * 1e6)}`;
      const xml = `<cluster_property_set id="${id}"><nvpair id="${id}-v" name="${id}" value="1"/></cluster_property_set>`;
      const r = await controlRequest(runDir(hosts[n]), { cmd: 'cib_create', section: 'crm_config', xml }, 20_000).catch(() => undefined);
      if ((r as { ok?: boolean } | undefined)?.ok) marks.push(id);
    };
    const inject = async (f: CrmFault): Promise<void> => {
      const others = 'node' in f ? CRM_NODES.filter((x) => x !== f.node) : [...CRM_NODES];
      switch (f.kind) {
        case 'start': return start(f.node);
        case 'crash': await crash(f.node); return commitMark(others);
        case 'restart': await daemons[f.node]?.stop(30_000); await start(f.node); return;
        case 'partition': case 'link-down': case 'pause': {
          if (f.kind === 'partition') await c.partition([[...others, 'client'], [f.node]]);
          else if (f.kind === 'link-down') for (const i of ['eth0', 'eth1']) await hosts[f.node].linkDown(i);
          else await hosts[f.node].freeze();
          await sleep(f.ms / 2);
          if (f.ms > DEADTIME_MS) await commitMark(others);
          await sleep(f.ms / 2);
          if (f.kind === 'partition') await c.heal();
          else if (f.kind === 'link-down') for (const i of ['eth0', 'eth1']) await hosts[f.node].linkUp(i);
          else await hosts[f.node].thaw();
          return;
        }
        case 'monitor-fail': {
          const holder = CRM_NODES.find((n) => existsSync(dummyFile(hosts[n])));
          if (holder) rmSync(dummyFile(hosts[holder]), { force: true });
          return commitMark(upNodes(m));
        }
      }
    };
    const t0 = performance.now();
    try {
      const plan = o.replay ? [...o.replay] : CRM_NODES.map((node) => ({ kind: 'start', node }) as CrmFault);
      for (let i = 0; i < (o.replay ? plan.length : o.faults + 3); i++) {
        const f = plan[i] ?? nextCrmFault(m, rnd, o.only);
        const e = expectCrm(m, f);
        const line = describeCrmFault(f);
        lines.push(line);
        counts[f.kind] = (counts[f.kind] ?? 0) + 1;
        const logMarks = await Promise.all(CRM_NODES.map((n) => hosts[n].logMark()));
        const from = performance.now();
        await inject(f);
        const injectedAt = performance.now();
        m = e.model;
        // The configuration goes in once all three run (as the rig of test/cluster/crm-failover.test.ts).
        const problems: string[] = [];
        if (!configured && upNodes(m).length === 3) {
          const s = await waitFor(async () => { const ob = await observe(); return CRM_NODES.every((n) => ob[n].crm?.dc && ob[n].crm?.quorum && ob[n].crm!.members.length === 3); }, 40_000);
          if (!s) problems.push('no DC with quorum on all three within 40 s');
          const r = await controlRequest(runDir(hosts.c2), { cmd: 'cib_replace', section: 'configuration', xml: config(vip) }, 30_000).catch((x: Error) => ({ ok: false, error: x.message }));
          if (!(r as { ok?: boolean })?.ok) problems.push(`cib_replace of the configuration failed: ${JSON.stringify(r)}`);
          configured = true;
        }
        const exp = configured ? e : { ...e, copies: 0 as const };
        // Settled: the audits pass for 3 s in a row (more than a monitor interval), or the bound passes.
        let okSince: number | undefined;
        let last: string[] = [];
        let holder = 'none';
        const bound = crmSettleBoundMs(f);
        for (;;) {
          const ob = await observe();
          last = auditCrm(exp, ob, marks);
          const now = performance.now();
          if (last.length === 0) { okSince ??= now; holder = CRM_NODES.find((n) => ob[n].hasVip) ?? 'none'; if (now - okSince >= 3000) break; } else okSince = undefined;
          if (now - injectedAt > bound) { problems.push(...last.map((x) => `not settled within ${bound} ms: ${x}`)); break; }
          await sleep(200);
        }
        // The continuous audit: two MACs answering one ARP request outside an unfenced partition.
        if (!e.unfencedPartition) {
          for (const [a, b] of arpOverlaps(watch.repliesSince(from))) problems.push(`the VIP answered from two MACs at once (${a.mac} and ${b.mac}, ${Math.round(a.atMs - t0)} ms)`);
        }
        if (problems.length === 0 && configured && e.copies === 1) {
          const seen = watch.macsSince(performance.now() - 1500);
          const want = (await hosts[holder as CrmNode]?.mustExec(['cat', '/sys/class/net/eth0/address']))?.trim().toLowerCase();
          if (seen.length !== 1 || seen[0] !== want) problems.push(`arping from the client sees [${seen.join(', ')}] answer for the VIP; expected ${holder}'s ${want}`);
        }
        for (const [k, n] of CRM_NODES.entries()) {
          const text = (await hosts[n].readLog()).slice(logMarks[k]!);
          const ok = allowed(f, e, n);
          for (const l of text.split('\n')) if (SEVERE.test(l) && !ok.some((re) => re.test(l))) problems.push(`${n} logged: ${l.trim()}`);
        }
        const settledMs = Math.round((okSince ?? performance.now()) - injectedAt);
        records.push({ n: i + 1, fault: line, settledMs, holder });
        say(`#${i + 1} ${line}: ${problems.length ? 'FAILED' : 'ok'}, settled ${settledMs} ms after the fault, group on ${holder}, ${marks.length} change(s) committed`);
        if (problems.length) { failures.push(...problems.map((p) => `#${i + 1} ${line}: ${p}`)); break; }
      }
    } finally {
      await watch.stop();
      writeFileSync(join(o.artefacts, 'faults.txt'), `seed ${o.seed}\n${lines.join('\n')}\n`);
      for (const n of CRM_NODES) {
        for (const f of [hosts[n].logFile, join(hosts[n].dirs.log, 'lifeline.out'), join(hosts[n].dirs.lib, 'crm', 'cib.xml')]) {
          if (existsSync(f)) copyFileSync(f, join(o.artefacts, `${n}-${f.split('/').pop()}`));
        }
      }
    }
  });
  return { seed: o.seed, records, failures, countsByKind: counts, committed: marks.length, artefacts: o.artefacts };
}

async function waitFor(f: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) { if (await f()) return true; await sleep(200); }
  return false;
}
