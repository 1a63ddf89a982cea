// Five `lifeline daemon`s with `crm on` in namespaces, real Dummy + IPaddr2: a 3|2 partition (the majority keeps
// or recovers every resource, the minority stops its own: no-quorum-policy=stop), then the heal (one CIB, one copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { withCluster, type Host } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';
import { canRunCrm, cibId, cibOf, crmLogs, crmOf, dummyState, LiveDifferential, runDir, sleep, SLACK_MS, until } from './crm-rig.js';

const NODES = ['hc1', 'hc2', 'hc3', 'hc4', 'hc5'];
const MAJORITY = ['hc1', 'hc2', 'hc3'];
const MINORITY = ['hc4', 'hc5'];
const NET = '10.237.2';
const VIP = `${NET}.100`;

const dummy = (id: string) => `<primitive id="${id}" class="ocf" provider="pacemaker" type="Dummy">
      <instance_attributes id="${id}-ia"><nvpair id="${id}-state" name="state" value="/run/resource-agents/Dummy-${id}.state"/></instance_attributes>
      <operations><op id="${id}-mon" name="monitor" interval="2s" timeout="20s"/></operations>
    </primitive>`;

/** The group prefers a minority node (the majority must recover it), `solo` a majority node (it must stay). */
const CONFIG = `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="false"/>
    <nvpair id="o-nqp" name="no-quorum-policy" value="stop"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources>
    <group id="grp">
    ${dummy('app')}
    <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
      <instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="${VIP}"/><nvpair id="vip-mask" name="cidr_netmask" value="24"/><nvpair id="vip-nic" name="nic" value="eth0"/></instance_attributes>
      <operations><op id="vip-mon" name="monitor" interval="2s" timeout="20s"/></operations>
    </primitive>
    </group>
    ${dummy('solo')}
  </resources>
  <constraints>
    <rsc_location id="grp-prefers-hc5" rsc="grp" node="hc5" score="100"/>
    <rsc_location id="solo-prefers-hc1" rsc="solo" node="hc1" score="100"/>
  </constraints>
</configuration>`;

test('crm on, 5 nodes: a 3|2 partition (majority recovers, minority stops) and the heal (one CIB, one copy of each resource)', { skip: canRunCrm ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 240_000 }, async (t) => {
  await withCluster({ prefix: 'hc-part', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const byName = (ns: readonly string[]) => ns.map((n) => c.host(n));
    const diff = new LiveDifferential();
    let phase = 'start';
    const sampler = diff.sample(hosts, () => phase, 150);
    /** Where each resource runs: VIP by `ip addr` in every namespace, Dummies by their state files. */
    const where = async (hs: readonly Host[]) => {
      const vip: string[] = [], app: string[] = [], solo: string[] = [];
      for (const h of hs) {
        if (await h.hasAddress(VIP)) vip.push(h.name);
        if (dummyState(h, 'app')) app.push(h.name);
        if (dummyState(h, 'solo')) solo.push(h.name);
      }
      return { vip, app, solo };
    };
    const placedAs = async (hs: readonly Host[], grp: readonly string[], solo: readonly string[]) => {
      const w = await where(hs);
      return w.vip.length === 1 && grp.includes(w.vip[0]!) && w.app.join() === w.vip.join() && w.solo.length === 1 && solo.includes(w.solo[0]!) ? w : undefined;
    };
    const view = async (hs: readonly Host[], size: number, quorum: boolean) => {
      const s = await Promise.all(hs.map(crmOf));
      const dcs = new Set(s.map((x) => x?.crm?.dc ?? null));
      return dcs.size === 1 && !dcs.has(null) && s.every((x) => x?.crm?.quorum === quorum && x.crm.members.length === size && x.crm.idle !== undefined)
        ? [...dcs][0]! : undefined;
    };
    try { await scenario(); } catch (e) {
      t.diagnostic(await crmLogs(hosts));
      throw e;
    } finally { await sampler.stop(); }

    async function scenario() {
      for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
      const dc0 = await until('one DC for all five, quorum', () => view(hosts, 5, true), 30_000 + SLACK_MS);
      t.diagnostic(`DC elected: ${dc0}`);
      const r = await controlRequest(runDir(hosts[0]!), { cmd: 'cib_replace', section: 'configuration', xml: CONFIG }, 30_000);
      assert.equal(r?.ok, true, JSON.stringify(r));
      phase = 'placed';
      await until('grp on hc5, solo on hc1', () => placedAs(hosts, ['hc5'], ['hc1']), 20_000 + SLACK_MS);

      // The cut: two bridges, broadcast included.
      phase = 'partition';
      const t0 = performance.now();
      await c.partition([MAJORITY, MINORITY]);
      const maj = byName(MAJORITY), min = byName(MINORITY);
      const [dcMaj, dcMin] = await Promise.all([
        until('a quorate DC among the three', () => view(maj, 3, true), DEADTIME_MS + 10_000 + SLACK_MS),
        until('a DC without quorum among the two', () => view(min, 2, false), DEADTIME_MS + 10_000 + SLACK_MS),
      ]);
      const views = performance.now() - t0;
      const recovered = await until('the majority runs grp and solo, the minority nothing', async () => {
        const wMin = await where(min);
        if (wMin.vip.length || wMin.app.length || wMin.solo.length) return undefined;
        return placedAs(maj, MAJORITY, ['hc1']);
      }, DEADTIME_MS + 15_000 + SLACK_MS);
      const recoveredMs = performance.now() - t0;
      t.diagnostic(`partition 3|2: DCs ${dcMaj} (quorum) and ${dcMin} (no quorum) after ${Math.round(views)} ms; grp on ${recovered.vip[0]}, minority stopped, after ${Math.round(recoveredMs)} ms`);
      // It stays so: the minority does not start anything again, the majority runs each resource once.
      await sleep(4000);
      assert.ok(await placedAs(maj, MAJORITY, ['hc1']), JSON.stringify(await where(hosts)));
      assert.deepEqual(await where(min), { vip: [], app: [], solo: [] });

      // The heal: one DC, one CIB everywhere, each resource once (grp back on hc5: stickiness 0).
      phase = 'heal';
      const t1 = performance.now();
      await c.heal();
      const dc1 = await until('one DC for all five again', () => view(hosts, 5, true), DEADTIME_MS + 15_000 + SLACK_MS);
      const joined = performance.now() - t1;
      const placed = await until('grp on hc5 alone, solo on hc1 alone, every CIB the same', async () => {
        const w = await placedAs(hosts, ['hc5'], ['hc1']);
        if (!w) return undefined;
        const ids = await Promise.all(hosts.map(async (h) => { const x = await cibOf(h); return x ? cibId(x) : undefined; }));
        return ids.every((i) => i && i.version === ids[0]!.version && i.digest === ids[0]!.digest) ? ids[0] : undefined;
      }, 20_000 + SLACK_MS);
      const healedMs = performance.now() - t1;
      t.diagnostic(`heal: DC ${dc1} for 5 after ${Math.round(joined)} ms; one CIB ${placed.version} (digest ${placed.digest.slice(0, 8)}) on all, grp on hc5 alone after ${Math.round(healedMs)} ms`);
      console.log(`# crm partition 3|2: views ${Math.round(views)} ms, recovered ${Math.round(recoveredMs)} ms; heal: DC ${Math.round(joined)} ms, converged ${Math.round(healedMs)} ms`);
      await sleep(3000);
      const w = await where(hosts);
      assert.deepEqual(w, { vip: ['hc5'], app: ['hc5'], solo: ['hc1'] });
    }
    const d = await diff.finish();
    t.diagnostic(`live differential: ${diff.outcomes.length} CIBs saved, ${d.identical} identical, ${d.different.length} different, ${d.skipped.length} skipped`);
    console.log(`# crm partition live differential: ${d.identical}/${diff.outcomes.length} identical`);
    if (diff.enabled) {
      assert.equal(d.different.length, 0, d.different.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
      assert.equal(d.skipped.length, 0, d.skipped.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
    }
  });
});
