// The heartbeat-era meatware flow in a Lifeline cluster: the survivor asks a human to reset the dead node and takes
// nothing over until the operator, having powered it off, confirms with cluster-glue's `meatclient -c NODE`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCluster } from '../../src/harness/index.js';
import { ArpAudit } from './arp-audit.js';
import { killDaemon, rig, skip, sleep, startBoth, waitFor } from './fencing-rig.js';

test('meatware: no takeover until the operator powers the node off and runs meatclient -c nodea', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-meat', networks: ['10.232.8.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.8');
    r.cfg = { ...r.cfg, haCf: r.cfg.haCf.replace(/^stonith_host .*\n/gm, '') + 'stonith_host * meatware nodea nodeb\n' };
    const audit = new ArpAudit(r.client, r.vip);
    try {
      await startBothMeat(r);
      await audit.ready();
      const mark = await r.b.logMark();
      await killDaemon(r, 'nodea');
      await r.b.waitForLog(/Resetting node nodea with \[Meatware STONITH device\]/, { since: mark, timeoutMs: 20_000 });
      await r.b.waitForLog(/OPERATOR INTERVENTION REQUIRED to reset nodea/, { since: mark, timeoutMs: 10_000 });
      await sleep(3000);
      assert.equal(await r.b.hasAddress(r.vip), false, 'nothing is taken while the operator has not confirmed');
      // The operator pulls the plug (here through the BMC), then tells the cluster.
      assert.equal((await r.bmca.ipmitool(r.client, ['power', 'off'])).code, 0);
      const confirm = Date.now();
      const mc = await r.b.exec(['meatclient', '-c', 'nodea'], { input: 'yes\n', timeoutMs: 20_000 });
      assert.equal(mc.code, 0, `${mc.stdout}${mc.stderr}`);
      await waitFor(async () => r.b.hasAddress(r.vip), 20_000, 'the VIP on nodeb after meatclient');
      t.diagnostic(`meatclient -c nodea -> VIP on nodeb ${Date.now() - confirm} ms`);
      assert.match((await r.b.readLog()).slice(mark), /node nodea now reset\./);
      await sleep(500);
      assert.deepEqual(audit.overlaps(), [], 'the VIP never answered from two machines');
      assert.deepEqual(audit.runs(), [r.macs.nodea, r.macs.nodeb]);
    } finally {
      audit.stop();
    }
  });
});

/** startBoth waits for an IPMI device check line; meatware's device id differs, so wait for the VIP only. */
async function startBothMeat(r: Awaited<ReturnType<typeof rig>>): Promise<void> {
  await startBoth(r, 'Meatware STONITH device');
}
