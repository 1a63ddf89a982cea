// The fencer with real fence agents against real simulated BMCs: fence_ipmilan (Debian's fence-agents) over IPMI
// LAN UDP to OpenIPMI's ipmi_sim, one BMC per node, in namespaces; reboot, wrong password → level 2, a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isAlive, startBmc, withCluster, type Bmc, type Host } from '../../../src/harness/index.js';
import { processLauncher } from '../../../src/crm/executor/index.js';
import { Fencer, stonithAdmin, directBackend } from '../../../src/crm/fencer/index.js';
import { cib, type Prim } from './twin.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/ipmi_sim') && existsSync('/usr/bin/ipmitool') && existsSync('/usr/sbin/fence_ipmilan');
const skip = canRun ? false : 'needs root, openipmi, ipmitool and fence-agents';

/** A fence agent that hangs (with a child, to show the whole process group goes at the timeout). */
const HANG_AGENT = `#!/bin/sh
# Test fixture: a fence agent whose power actions never finish.
action=
while read -r line; do case "$line" in action=*) action=\${line#action=};; esac; done
case "$action" in
  metadata) printf '%s\\n' '<?xml version="1.0" ?>' '<resource-agent name="fence_hang"><parameters><parameter name="port"/><parameter name="pidfile"/></parameters>' '<actions><action name="reboot"/><action name="off"/><action name="on"/><action name="status"/><action name="metadata"/></actions></resource-agent>'; exit 0;;
esac
sleep 600 &
echo $! > "$PIDFILE"
wait
`;

function ipmi(id: string, bmc: Bmc, target: string, password = bmc.credentials.password, extra: Record<string, string> = {}): Prim {
  return { id, agent: 'fence_ipmilan', params: { ip: bmc.address, username: bmc.credentials.user, password, pcmk_host_list: target, ...extra } };
}

async function powerStatus(bmc: Bmc, from: Host): Promise<string> {
  return (await bmc.ipmitool(from, ['power', 'status'])).stdout.trim();
}

test('fencer + fence_ipmilan + ipmi_sim: reboot powers the node off and on; a wrong password falls through to level 2; a hang times out', { skip, timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-fencer-'));
  // The fencer's agent directory: the real fence_ipmilan, and the hanging fixture.
  symlinkSync('/usr/sbin/fence_ipmilan', join(dir, 'fence_ipmilan'));
  writeFileSync(join(dir, 'fence_hang'), HANG_AGENT);
  chmodSync(join(dir, 'fence_hang'), 0o755);
  try {
    await withCluster({ prefix: 'hs-fn', networks: ['10.244.1.0/24'], hosts: ['node1', 'node2', 'node3', 'bmc2', 'bmc3'] }, async (c) => {
      const [n1, n2, n3] = [c.host('node1'), c.host('node2'), c.host('node3')];
      const [b2, b3] = await Promise.all([startBmc(c.host('bmc2'), n2), startBmc(c.host('bmc3'), n3)]);
      const logs: string[] = [];
      const fencer = new Fencer({
        nodeName: 'node1', launcher: processLauncher((argv) => ['ip', 'netns', 'exec', n1.netns, 'env', `PIDFILE=${join(dir, 'hang.pid')}`, ...argv]),
        paths: { fenceDir: dir, stonithCommand: '/usr/sbin/stonith' }, log: (l, x) => logs.push(`${l}: ${x}`), metadataTimeoutMs: 20_000,
      });
      t.after(() => fencer.stop());
      const cibXml = cib([ipmi('fence_node2', b2, 'node2'), ipmi('fence_node3_bad', b3, 'node3', 'wrong-password'), ipmi('fence_node3', b3, 'node3')],
        { 'stonith-timeout': '60s' }, ['node3|1|fence_node3_bad', 'node3|2|fence_node3']);
      await fencer.configure(cibXml);
      assert.deepEqual(fencer.registered(), ['fence_node2', 'fence_node3_bad', 'fence_node3']);
      assert.equal(fencer.core.config.devices[0]!.caps.hostArg, 'port', 'the metadata of fence_ipmilan was read');

      await t.test('reboot of node2: its BMC powers it off (its processes die) and on again; the fencer reports OK', async () => {
        const victim = n2.spawn(['sleep', '600']);
        await new Promise((r) => setTimeout(r, 200));
        assert.ok(isAlive(victim.pid!));
        const t0 = Date.now();
        const r = await fencer.fence({ target: 'node2', action: 'reboot', client: 'pacemaker-controld.1', origin: 'node1' });
        const took = Date.now() - t0;
        t.diagnostic(`fence_ipmilan reboot of node2 through ipmi_sim: ${took} ms`);
        assert.equal(r.ok, true, logs.join('\n'));
        assert.deepEqual(r.devices, ['fence_node2']);
        assert.deepEqual(b2.events().map((e) => e.what), ['off', 'on'], 'the BMC saw power off then on');
        assert.equal(isAlive(victim.pid!), false, 'the power cut killed node2\'s processes');
        assert.match(await powerStatus(b2, n1), /Chassis Power is on/);
        assert.ok(logs.some((l) => /^notice: Operation 'reboot' \[\d+\] targeting node2 using fence_node2 returned 0/.test(l)), logs.join('\n'));
        assert.ok(logs.some((l) => /^notice: Operation 'reboot' targeting node2 by node1 for pacemaker-controld\.1@node1: OK \(complete\)/.test(l)));
        assert.equal(b3.events().length, 0, 'node3\'s BMC untouched');
      });

      await t.test('stonith_admin --off node3: the wrong password fails (fence_ipmilan\'s error logged, retried), level 2 powers node3 off', async () => {
        const t0 = Date.now();
        let err = '';
        const code = await stonithAdmin(['--off', 'node3'], directBackend(fencer, 'node1', 'stonith_admin.1'), { stdout: () => {}, stderr: (x) => { err += x; } });
        t.diagnostic(`off of node3 through level 2 after the bad password: ${Date.now() - t0} ms`);
        assert.equal(code, 0, `${err}\n${logs.join('\n')}`);
        const bad = logs.filter((l) => /Operation 'off' \[\d+\] targeting node3 using fence_node3_bad returned 1, retrying with level 2/.test(l));
        assert.equal(bad.length, 1, logs.join('\n'));
        assert.ok(logs.some((l) => /^warning: fence_ipmilan\[\d+\] stderr: \[ .*Failed: Unable to obtain correct plug status or plug is not available/.test(l)), 'the agent\'s error');
        assert.ok(logs.some((l) => /Attempt 2 to execute fence_ipmilan \(off\)/.test(l)), 'the bad device was tried twice (pcmk_off_retries default 2)');
        assert.deepEqual(b3.events().map((e) => e.what), ['off']);
        assert.match(await powerStatus(b3, n1), /Chassis Power is off/);
        let hist = '';
        await stonithAdmin(['--history', 'node3'], directBackend(fencer, 'node1'), { stdout: (x) => { hist += x; }, stderr: () => {} });
        assert.match(hist, /^turning off of node3 successful: delegate=node1, client=stonith_admin\.1, origin=node1, last-successful='/);
        await b3.ipmitool(n1, ['power', 'on']);
      });

      await t.test('a hanging agent is killed with its child at stonith-timeout (4 s) and the request fails Timed Out', async () => {
        await fencer.configure(cib([{ id: 'fence_hang2', agent: 'fence_hang', params: { pcmk_host_list: 'node2' } }], { 'stonith-timeout': '4s' }));
        assert.deepEqual(fencer.registered(), ['fence_hang2']);
        const t0 = Date.now();
        const r = await fencer.fence({ target: 'node2', action: 'reboot', client: 'pacemaker-controld.1', origin: 'node1' });
        const took = Date.now() - t0;
        t.diagnostic(`hang killed after ${took} ms`);
        assert.equal(r.ok, false);
        assert.equal(r.execStatus, 'Timed Out');
        assert.ok(took >= 4000 && took < 6000, `took ${took} ms`);
        const child = Number(readFileSync(join(dir, 'hang.pid'), 'utf8'));
        await new Promise((res) => setTimeout(res, 200));
        assert.equal(isAlive(child), false, 'the agent\'s child died with its process group');
        assert.deepEqual(b2.events().map((e) => e.what), ['off', 'on'], 'nothing more reached node2\'s BMC');
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
