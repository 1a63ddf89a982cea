// The replicated CIB with three real `lifeline daemon`s (`crm on`): two edits at once on two nodes (one wins, the
// other is refused naming both versions), a node rejoining with an older CIB, kill -9 in a loop of CIB writes (never
// a corrupt cib.xml), a corrupt cib.xml at start-up (reported, replaced by the peers' CIB, or the newest backup alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster, type Host } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import { compareVersions, formatVersion, listBackups, loadCibFiles, readVerified, versionOf, type CibVersion } from '../../src/crm/cib-store/index.js';
import { parseXml } from '../../src/crm/xml-lite.js';
import { haCf, startLifeline } from './daemon-fixture.js';
import { canRunCrm, cibId, cibOf, crmLogs, crmOf, LiveDifferential, runDir, sleep, SLACK_MS, until } from './crm-rig.js';

const NODES = ['hc1', 'hc2', 'hc3'];
const NET = '10.237.4';
const CF = `${haCf('bcast eth0', NODES)}crm on\n`;

const CONFIG = `<configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options">
    <nvpair id="o-stonith" name="stonith-enabled" value="false"/>
  </cluster_property_set></crm_config>
  <nodes/>
  <resources><primitive id="one" class="ocf" provider="pacemaker" type="Dummy">
    <instance_attributes id="one-ia"><nvpair id="one-state" name="state" value="/run/resource-agents/Dummy-one.state"/></instance_attributes>
    <operations><op id="one-mon" name="monitor" interval="3s" timeout="20s"/></operations>
  </primitive></resources>
  <constraints/>
</configuration>`;

const crmDir = (h: Host) => join(h.dirs.lib, 'crm');
const versionOfText = (xml: string): CibVersion => { const r = parseXml(xml); if (!r.ok) throw new Error(r.reason); return versionOf(r.root); };
/** Whether `disk` holds at least `v`'s configuration (cib.xml is written with num_updates 0, as Pacemaker does). */
const configAtLeast = (disk: CibVersion, v: CibVersion) => disk.adminEpoch > v.adminEpoch || (disk.adminEpoch === v.adminEpoch && disk.epoch >= v.epoch);
/** A crm_config property set with one nvpair: what one administrator's edit adds. */
const propSet = (id: string, value: string) => `<crm_config><cluster_property_set id="${id}"><nvpair id="${id}-v" name="${id}" value="${value}"/></cluster_property_set></crm_config>`;

test('crm on, 3 nodes: concurrent edits, a rejoin with an older CIB, kill -9 amid CIB writes, a corrupt cib.xml at start-up', { skip: canRunCrm ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 240_000 }, async (t) => {
  await withCluster({ prefix: 'hc-cib', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const [hc1, hc2, hc3] = hosts as [Host, Host, Host];
    const diff = new LiveDifferential();
    let phase = 'start';
    const sampler = diff.sample(hosts, () => phase, 150);
    const oneView = async (hs: readonly Host[]) => {
      const s = await Promise.all(hs.map(crmOf));
      const dcs = new Set(s.map((x) => x?.crm?.dc ?? null));
      return dcs.size === 1 && !dcs.has(null) && s.every((x) => x?.crm?.members.length === hs.length) ? [...dcs][0]! : undefined;
    };
    /** Every host's replica at the same version and digest; that CIB's text. */
    const sameCib = (hs: readonly Host[]) => until('the same CIB on every node', async () => {
      const xs = await Promise.all(hs.map(cibOf));
      if (xs.some((x) => !x)) return undefined;
      const ids = xs.map((x) => cibId(x!));
      return ids.every((i) => i.version === ids[0]!.version && i.digest === ids[0]!.digest) ? xs[0]! : undefined;
    }, 15_000 + SLACK_MS);
    const modify = (h: Host, xml: string, base?: CibVersion) => controlRequest(runDir(h), { cmd: 'cib_modify', section: 'crm_config', xml, ...(base ? { base } : {}) }, 30_000);
    try { await scenario(); } catch (e) {
      t.diagnostic(await crmLogs(hosts));
      throw e;
    } finally { await sampler.stop(); }

    async function scenario() {
      for (const h of hosts) await startLifeline(h, CF);
      await until('one DC for the three', () => oneView(hosts), 30_000 + SLACK_MS);
      assert.equal((await controlRequest(runDir(hc1), { cmd: 'cib_replace', section: 'configuration', xml: CONFIG }, 30_000))?.ok, true);
      await sameCib(hosts);

      // 1. Two administrators, on hc2 and hc3, edit the same version at once.
      phase = 'concurrent edits';
      const base = versionOfText((await cibOf(hc1))!);
      const [a2, a3] = await Promise.all([modify(hc2, propSet('editor-hc2', 'yes'), base), modify(hc3, propSet('editor-hc3', 'yes'), base)]);
      const answers = [a2, a3] as Array<{ ok: boolean; rc?: number; error?: string }>;
      assert.equal(answers.filter((a) => a.ok).length, 1, JSON.stringify(answers));
      const lost = answers.find((a) => !a.ok)!;
      const won = answers[0]!.ok ? 'editor-hc2' : 'editor-hc3', refused = won === 'editor-hc2' ? 'editor-hc3' : 'editor-hc2';
      const after = await sameCib(hosts);
      const now = versionOfText(after);
      assert.equal(lost.rc, 103, JSON.stringify(lost)); // pcmk_err_old_data, cibadmin's "Update was older than existing configuration"
      assert.match(lost.error!, new RegExp(`made on CIB version ${formatVersion(base).replace(/\./g, '\\.')}, the cluster's CIB is now \\d+\\.\\d+\\.\\d+`));
      assert.ok(after.includes(`name="${won}"`) && !after.includes(`name="${refused}"`), 'the winner is in every replica, the refused edit nowhere');
      t.diagnostic(`concurrent edits on ${formatVersion(base)}: ${won} applied (now ${formatVersion(now)}), ${refused} refused: ${lost.error}`);

      // 2. hc3 dies, the configuration moves on three epochs, hc3 comes back with its older cib.xml.
      phase = 'rejoin older';
      await hc3.crash();
      await until('hc1 and hc2 alone', () => oneView([hc1, hc2]), 10_000 + SLACK_MS);
      for (let i = 0; i < 3; i++) assert.equal((await modify(hc1, propSet(`while-away-${i}`, String(i))))?.ok, true);
      const stale = (await loadCibFiles(crmDir(hc3))).cib!.version;
      const newest = versionOfText((await cibOf(hc1))!);
      assert.ok(compareVersions(stale, newest) < 0, `${formatVersion(stale)} older than ${formatVersion(newest)}`);
      await startLifeline(hc3, CF);
      await until('three members again', () => oneView(hosts), 20_000 + SLACK_MS);
      const rejoined = await sameCib(hosts);
      assert.ok(compareVersions(versionOfText(rejoined), newest) >= 0 && rejoined.includes('name="while-away-2"'));
      await until('hc3 wrote the newest CIB to its disk', async () => { const d = (await loadCibFiles(crmDir(hc3))).cib; return d && configAtLeast(d.version, newest); }, 10_000);
      t.diagnostic(`rejoin: hc3 came back with ${formatVersion(stale)}, got ${formatVersion(versionOfText(rejoined))}`);

      // 3. kill -9 of hc2 while hc1 writes the CIB in a loop, three times at different moments: never a corrupt cib.xml.
      let writes = 0;
      for (const [round, delayMs] of [[1, 150], [2, 700], [3, 1300]] as const) {
        phase = `kill amid writes ${round}`;
        let on = true;
        const loop = (async () => { for (let i = 0; on; i++) { const r = await modify(hc1, propSet(`loop-${round}`, String(i))); if (r?.ok) { writes++; await diff.capture([hc1], phase); } } })();
        await sleep(delayMs);
        await hc2.crash();
        on = false;
        await loop;
        const disk = await loadCibFiles(crmDir(hc2));
        assert.equal(disk.primary, 'ok', `round ${round}: ${disk.diagnostics.map((d) => d.message).join('; ')}`);
        const mark = await hc2.logMark();
        await startLifeline(hc2, CF);
        await until('three members again', () => oneView(hosts), 20_000 + SLACK_MS);
        await sameCib(hosts);
        assert.doesNotMatch((await hc2.readLog()).slice(mark), /corrupt/);
      }
      t.diagnostic(`kill -9 amid writes: 3 rounds, ${writes} writes acknowledged, cib.xml valid after every crash`);

      // 4. A corrupt cib.xml at start-up: reported, never loaded, replaced by the cluster's CIB.
      phase = 'corrupt';
      await hc2.crash();
      const file = join(crmDir(hc2), 'cib.xml');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
      const mark = await hc2.logMark();
      await startLifeline(hc2, CF);
      await hc2.waitForLog(/cib\.xml is corrupt: it will NOT be used/, { since: mark, timeoutMs: 10_000 });
      await until('three members again', () => oneView(hosts), 20_000 + SLACK_MS);
      const cluster = await sameCib(hosts);
      await until('hc2 wrote the cluster\'s CIB over the corrupt file', async () => {
        const d = await readVerified(file, 'cib.xml');
        return d && 'version' in d && configAtLeast(d.version, versionOfText(cluster)) ? d : undefined;
      }, 10_000);
      t.diagnostic(`corrupt cib.xml on hc2: reported, replaced by ${formatVersion(versionOfText(cluster))} from the peers`);

      // 5. Alone: every node down, hc1's cib.xml corrupt; hc1 starts by itself on its newest valid backup.
      phase = 'alone';
      for (const h of hosts) await h.crash();
      const f1 = join(crmDir(hc1), 'cib.xml');
      writeFileSync(f1, '<cib epoch="999"><configuration>');
      let best: CibVersion | undefined;
      for (const b of await listBackups(crmDir(hc1))) {
        const d = await readVerified(join(crmDir(hc1), b), b);
        if (d && 'version' in d && (!best || compareVersions(d.version, best) > 0)) best = d.version;
      }
      assert.ok(best, 'hc1 has a valid backup');
      const m1 = await hc1.logMark();
      await startLifeline(hc1, CF);
      await hc1.waitForLog(/cib\.xml is corrupt: it will NOT be used; continuing with \S*cib-\d+\.raw/, { since: m1, timeoutMs: 10_000 });
      const alone = await until('hc1 answers alone', () => cibOf(hc1), 15_000 + SLACK_MS);
      assert.equal(formatVersion(versionOfText(alone)).split('.').slice(0, 2).join('.'), formatVersion(best!).split('.').slice(0, 2).join('.'));
      assert.ok(!alone.includes('epoch="999"'));
      t.diagnostic(`alone with a corrupt cib.xml: hc1 runs on its newest valid backup (${formatVersion(best!)})`);
    }
    const d = await diff.finish();
    t.diagnostic(`live differential: ${diff.outcomes.length} CIBs saved, ${d.identical} identical, ${d.different.length} different, ${d.skipped.length} skipped`);
    console.log(`# crm cib live differential: ${d.identical}/${diff.outcomes.length} identical`);
    if (diff.enabled) {
      assert.equal(d.different.length, 0, d.different.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
      assert.equal(d.skipped.length, 0, d.skipped.slice(0, 3).map((x) => `${x.name}: ${x.detail}`).join('\n'));
    }
  });
});
