// Three `lifeline daemon`s with `crm on`, real Dummy + IPaddr2: a monitor failure (Dummy's state file removed) is
// restarted in place, a second moves the group away (migration-threshold=2), and the group comes back to its
// preferred node at the second failure-timeout expires (cluster-recheck-interval is 15 min: not what brings it back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';
import { appVipGroup, canRunCrm, cibOf, crmLogs, crmOf, LiveDifferential, runDir, SLACK_MS, soleHolder, until } from './crm-rig.js';

const NODES = ['hc1', 'hc2', 'hc3'];
const NET = '10.237.3';
const VIP = `${NET}.100`;
const FT_S = 20;
const MONITOR_S = 2;

const CONFIG = `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="false"/>
    <nvpair id="o-recheck" name="cluster-recheck-interval" value="15min"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources>${appVipGroup(VIP, { monitorS: MONITOR_S, meta: `<meta_attributes id="grp-meta"><nvpair id="grp-mt" name="migration-threshold" value="2"/><nvpair id="grp-ft" name="failure-timeout" value="${FT_S}s"/><nvpair id="grp-st" name="resource-stickiness" value="0"/></meta_attributes>` })}</resources>
  <constraints><rsc_location id="grp-prefers-hc2" rsc="grp" node="hc2" score="100"/></constraints>
</configuration>`;

test('crm on, 3 nodes: monitor failures with migration-threshold=2 move the group away; failure-timeout expiry brings it back at its second', { skip: canRunCrm ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 240_000 }, async (t) => {
  await withCluster({ prefix: 'hc-ft', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const hc2 = c.host('hc2');
    const diff = new LiveDifferential();
    let phase = 'start';
    const sampler = diff.sample(hosts, () => phase, 150);
    const holder = () => soleHolder(hosts, VIP);
    const failcount = async () => Number((await cibOf(hosts[0]!))?.match(/name="fail-count-app#monitor_2000" value="(\d+)"/)?.[1] ?? 0);
    try { await scenario(); } catch (e) {
      t.diagnostic(await crmLogs(hosts));
      throw e;
    } finally { await sampler.stop(); }

    async function scenario() {
      for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
      await until('one DC, quorum', async () => {
        const s = await Promise.all(hosts.map(crmOf));
        const dcs = new Set(s.map((x) => x?.crm?.dc ?? null));
        return dcs.size === 1 && !dcs.has(null) && s.every((x) => x?.crm?.quorum && x.crm.members.length === 3);
      }, 30_000 + SLACK_MS);
      const r = await controlRequest(runDir(hosts[0]!), { cmd: 'cib_replace', section: 'configuration', xml: CONFIG }, 30_000);
      assert.equal(r?.ok, true, JSON.stringify(r));
      await until('the group on hc2', async () => (await holder()) === 'hc2', 20_000 + SLACK_MS);
      const state = join(hc2.dirs.run, 'resource-agents', 'Dummy-app.state');

      phase = 'failure 1';
      rmSync(state);
      await until('fail count 1 and the group restarted on hc2', async () => (await failcount()) === 1 && (await holder()) === 'hc2', MONITOR_S * 1000 + 10_000 + SLACK_MS);
      phase = 'failure 2';
      rmSync(state);
      const away = await until('the group moved away from hc2', async () => { const h = await holder(); return h && h !== 'hc2' ? h : undefined; }, MONITOR_S * 1000 + 10_000 + SLACK_MS);
      const cib = (await cibOf(hosts[0]!))!;
      assert.equal(await failcount(), 2);
      const last = Number(cib.match(/name="last-failure-app#monitor_2000" value="(\d+)"/)?.[1]);
      assert.ok(last > 0, 'last-failure recorded');
      const expiryMs = (last + FT_S + 1) * 1000;
      t.diagnostic(`second failure at ${last} s: group on ${away}; expiry due at ${new Date(expiryMs).toISOString()}`);

      phase = 'away';
      // Stays away until the expiry (checked up to a second before it).
      while (Date.now() < expiryMs - 1000) {
        assert.equal(await holder(), away, 'the group stays away until failure-timeout expires');
        await new Promise((res) => setTimeout(res, 500));
      }
      phase = 'expiry';
      await until('the group back on hc2', async () => (await holder()) === 'hc2', 10_000 + SLACK_MS, 50);
      const late = Date.now() - expiryMs;
      t.diagnostic(`group back on hc2 ${late} ms after the failure-timeout expiry (monitor ${MONITOR_S}s, recheck interval 15min)`);
      console.log(`# crm failure-timeout: group back ${late} ms after the expiry`);
      // Well before any recheck interval: the expiry itself was the trigger (start of Dummy + IPaddr2 included).
      assert.ok(late >= -1000 && late <= DEADTIME_MS + 3000 + SLACK_MS, `back ${late} ms after the expiry`);
      const logs = await Promise.all(hosts.map((h) => h.readLog()));
      assert.ok(logs.some((l) => /cause=C_TIMER_POPPED \(recheck\)/.test(l)), 'the DC logs the recheck timer');
    }
    const d = await diff.finish();
    t.diagnostic(`live differential: ${diff.outcomes.length} CIBs saved, ${d.identical} identical, ${d.different.length} different, ${d.skipped.length} skipped`);
    console.log(`# crm failure-timeout live differential: ${d.identical}/${diff.outcomes.length} identical`);
    if (diff.enabled) {
      assert.equal(d.different.length, 0, d.different.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
      assert.equal(d.skipped.length, 0, d.skipped.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
    }
  });
});
