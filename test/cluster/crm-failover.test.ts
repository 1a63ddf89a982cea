// Three `lifeline daemon`s with `crm on` in namespaces, real agents: a Dummy + IPaddr2 group loaded with cib_replace
// starts once; kill -9 of its node moves it (ip addr and Dummy's state file checked); kill -9 of the DC elects another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { withCluster } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';
import { appVipGroup, crmOf, groupHolders, runDir, soleHolder, until } from './crm-rig.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ocf/resource.d/pacemaker/Dummy') && existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2');
const NODES = ['hc1', 'hc2', 'hc3'];
const NET = '10.237.1';
const VIP = `${NET}.100`;
/** The machine is shared and loaded: every bound below gets this much slack. */
const SLACK_MS = 8000;

const CONFIG = `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="false"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources>${appVipGroup(VIP)}</resources>
  <constraints/>
</configuration>`;


test('crm on, 3 nodes: a Dummy + IPaddr2 group starts once, survives kill -9 of its node and of the DC', { skip: canRun ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 240_000 }, async (t) => {
  await withCluster({ prefix: 'hc-crm', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    try { await scenario(); } catch (e) {
      for (const h of hosts) t.diagnostic(`--- ${h.name}\n${(await h.readLog()).split('\n').filter((l) => /crm|Transition|Initiating|pacemaker|CIB|cib|join|DC|rror/.test(l)).slice(-40).join('\n')}`);
      throw e;
    }
    async function scenario() {
    for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
    // One DC for all three, quorum.
    const dc = await until('one DC on every node', async () => {
      const s = await Promise.all(hosts.map(crmOf));
      const dcs = new Set(s.map((x) => x?.crm?.dc ?? null));
      return dcs.size === 1 && !dcs.has(null) && s.every((x) => x?.crm?.quorum && x.crm.members.length === 3) ? [...dcs][0]! : undefined;
    }, 30_000 + SLACK_MS);
    t.diagnostic(`DC elected: ${dc}`);
    const r = await controlRequest(runDir(hosts[1]!), { cmd: 'cib_replace', section: 'configuration', xml: CONFIG }, 30_000);
    assert.equal(r?.ok, true, JSON.stringify(r));
    const first = await until('the group running on one node', async () => {
      return soleHolder(hosts, VIP);
    }, 20_000 + SLACK_MS);
    // Exactly once: a few monitor intervals later it still runs there alone.
    await new Promise((res) => setTimeout(res, 5000));
    assert.deepEqual(await groupHolders(hosts, VIP), [first]);
    const st = (await crmOf(hosts[0]!))!;
    assert.equal(st.crm?.dc, dc);
    const q = await controlRequest(runDir(hosts[2]!), { cmd: 'cib_query', section: 'status' });
    assert.equal(q?.ok, true);
    const statusXml = String((q as unknown as { xml: string }).xml);
    for (const n of NODES) assert.match(statusXml, new RegExp(`uname="${n}"[^>]*in_ccm="true"[^>]*crmd="online"[^>]*join="member"|in_ccm="true" crmd="online" join="member"[^>]*`), n);
    assert.match(statusXml, /operation_key="app_monitor_2000"[^>]*rc-code="0"/);
    const cli = await hosts[0]!.exec([process.execPath, join(process.cwd(), 'bin', 'lifeline.js'), 'status', '--run-dir', '/var/run/heartbeat'], { timeoutMs: 20_000 });
    assert.match(cli.stdout, new RegExp(`DC: ${dc}\\n`));
    assert.match(cli.stdout, /quorum: yes/);

    // kill -9 of the node holding the group.
    const victim = c.host(first!);
    const survivors = hosts.filter((h) => h !== victim);
    const marks = await Promise.all(survivors.map((s) => s.logMark()));
    const t0 = performance.now();
    await victim.crash();
    const dead = await Promise.all(survivors.map((s, i) => s.waitForLog(new RegExp(`node ${victim.hostname}: is dead`), { since: marks[i]!, timeoutMs: DEADTIME_MS + SLACK_MS })));
    const detected = Math.min(...dead.map((d) => d.seenAt)) - t0;
    const moved = await until('the group on a survivor', async () => {
      return soleHolder(survivors, VIP);
    }, DEADTIME_MS + 10_000 + SLACK_MS);
    const started = performance.now() - t0;
    t.diagnostic(`kill -9 of ${first}: detected after ${Math.round(detected)} ms, group started on ${moved} after ${Math.round(started)} ms (detection -> started ${Math.round(started - detected)} ms; deadtime ${DEADTIME_MS} ms)`);
    console.log(`# crm failover: detection ${Math.round(detected)} ms, started ${Math.round(started)} ms after kill -9 (detection -> started ${Math.round(started - detected)} ms)`);

    // kill -9 of the DC (of the two left).
    const dcNow = (await crmOf(survivors[0]!))!.crm!.dc!;
    const dcHost = c.host(dcNow);
    const last = survivors.find((h) => h !== dcHost)!;
    const t1 = performance.now();
    await dcHost.crash();
    await until('a new DC', async () => { const s = await crmOf(last); return s?.crm?.dc === last.hostname; }, DEADTIME_MS + 1000 + SLACK_MS);
    const newDc = performance.now() - t1;
    t.diagnostic(`kill -9 of the DC ${dcNow}: ${last.name} is DC after ${Math.round(newDc)} ms`);
    console.log(`# crm DC kill: new DC after ${Math.round(newDc)} ms (deadtime ${DEADTIME_MS} ms)`);
    assert.ok(newDc <= DEADTIME_MS + 1000 + SLACK_MS);
    }
  });
});
