// crm on with fencing: three `lifeline daemon`s, a fence_ipmilan device per node against its own ipmi_sim BMC, a Dummy
// + IPaddr2 group; kill -9 of the group's node → the DC fences it through its BMC, then the group runs elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBmc, withCluster, type Bmc } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';
import { appVipGroup, crmOf, groupHolders, runDir, soleHolder, until } from './crm-rig.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ocf/resource.d/pacemaker/Dummy') && existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2')
  && existsSync('/usr/bin/ipmi_sim') && existsSync('/usr/sbin/fence_ipmilan');
const NODES = ['hf1', 'hf2', 'hf3'];
const NET = '10.232.9';
const VIP = `${NET}.100`;
const SLACK_MS = 8000;

function config(bmcs: readonly Bmc[], password?: string): string {
  const devices = bmcs.map((b, i) => `<primitive id="fence_${NODES[i]}" class="stonith" type="fence_ipmilan"><instance_attributes id="f${i}-ia">
      <nvpair id="f${i}-ip" name="ip" value="${b.address}"/><nvpair id="f${i}-u" name="username" value="${b.credentials.user}"/>
      <nvpair id="f${i}-p" name="password" value="${password ?? b.credentials.password}"/><nvpair id="f${i}-h" name="pcmk_host_list" value="${NODES[i]}"/>
    </instance_attributes><operations><op id="f${i}-mon" name="monitor" interval="60s" timeout="30s"/></operations></primitive>`).join('\n');
  return `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="true"/><nvpair id="o-st" name="stonith-timeout" value="40s"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources>${devices}
  ${appVipGroup(VIP)}</resources>
  <constraints/>
</configuration>`;
}


async function scenario(t: { diagnostic(s: string): void }, badPassword: boolean): Promise<void> {
  await withCluster({ prefix: badPassword ? 'hf-cfb' : 'hf-cf', networks: [`${NET}.0/24`], hosts: [...NODES, 'hb1', 'hb2', 'hb3'] }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const bmcs = await Promise.all(hosts.map((h, i) => startBmc(c.host(`hb${i + 1}`), h)));
    try { await run(); } catch (e) {
      for (const h of hosts) t.diagnostic(`--- ${h.name}\n${(await h.readLog()).split('\n').filter((l) => /crm|Transition|Initiating|fenc|Fenc|pacemaker|rror/.test(l)).slice(-40).join('\n')}`);
      throw e;
    }
    async function run() {
      for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
      await until('one DC with quorum', async () => {
        const s = await Promise.all(hosts.map(crmOf));
        const dcs = new Set(s.map((x) => x?.crm?.dc ?? null));
        return dcs.size === 1 && !dcs.has(null) && s.every((x) => x?.crm?.quorum && x.crm.members.length === 3);
      }, 30_000 + SLACK_MS);
      const r = await controlRequest(runDir(hosts[1]!), { cmd: 'cib_replace', section: 'configuration', xml: config(bmcs, badPassword ? 'wrong-password' : undefined) }, 30_000);
      assert.equal(r?.ok, true, JSON.stringify(r));
      const first = await until('the group running on one node', async () => {
        return soleHolder(hosts, VIP);
      }, 40_000 + SLACK_MS);
      const vi = NODES.indexOf(first!);
      const victim = hosts[vi]!, bmc = bmcs[vi]!;
      const survivors = hosts.filter((h) => h !== victim);
      const eventsBefore = bmc.events().length;
      const t0 = performance.now();
      await victim.crash();
      if (!badPassword) {
        await until('the BMC powering the node off', async () => bmc.events().slice(eventsBefore).some((e) => /off/.test(JSON.stringify(e))), DEADTIME_MS + 30_000 + SLACK_MS);
        const fenced = performance.now() - t0;
        const moved = await until('the group on a survivor', async () => {
          return soleHolder(survivors, VIP);
        }, 40_000 + SLACK_MS);
        const started = performance.now() - t0;
        const log = (await Promise.all(survivors.map((h) => h.readLog()))).join('\n');
        assert.match(log, new RegExp(`Peer ${first} was terminated \\(reboot\\)`));
        console.log(`# crm fencing: kill -9 of ${first} → BMC power off after ${Math.round(fenced)} ms, group running on ${moved} after ${Math.round(started)} ms (deadtime ${DEADTIME_MS} ms); BMC events ${JSON.stringify(bmc.events().slice(eventsBefore))}`);
      } else {
        await new Promise((res) => setTimeout(res, DEADTIME_MS + 25_000));
        assert.deepEqual(await groupHolders(survivors, VIP), [], 'the group is not started elsewhere while the node is not fenced');
        const log = (await Promise.all(survivors.map((h) => h.readLog()))).join('\n');
        assert.match(log, new RegExp(`Fencing of ${first} failed`));
        console.log(`# crm fencing, wrong password: ${first} not fenced, group running nowhere ${DEADTIME_MS + 25_000} ms after the kill`);
      }
    }
  });
}

const skip = canRun ? false : 'needs root, pacemaker/resource-agents, openipmi and fence-agents';
test('crm on, 3 nodes, fence_ipmilan per node: kill -9 of the group\'s node → fenced through its BMC, then the group moves', { skip, timeout: 240_000 }, async (t) => { await scenario(t, false); });
test('crm on, 3 nodes, fence devices with a wrong password: the group is not started elsewhere', { skip, timeout: 240_000 }, async (t) => { await scenario(t, true); });
