// The test rig's BMC: ipmi_sim in its own namespace, reached over real UDP by ipmitool and by cluster-glue's
// external/ipmi; power off is a power cut of the target host, power on brings its addresses back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isAlive, startBmc, withCluster } from '../../src/harness/index.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/ipmi_sim') && existsSync('/usr/bin/ipmitool') && existsSync('/usr/sbin/stonith');

test('BMC: ipmitool power off kills the host and removes its addresses; on restores them; external/ipmi resets it', { skip: canRun ? false : 'needs root, openipmi, ipmitool, cluster-glue', timeout: 90_000 }, async (t) => {
  await withCluster({ prefix: 'hf-bmc', networks: ['10.232.1.0/24'], hosts: ['nodea', 'nodeb', 'bmca'] }, async (c) => {
    const nodea = c.host('nodea');
    const nodeb = c.host('nodeb');
    const bmc = await startBmc(c.host('bmca'), nodea);
    const victim = nodea.spawn(['sleep', '600']);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(isAlive(victim.pid!));

    const st = await bmc.ipmitool(nodeb, ['power', 'status']);
    assert.match(st.stdout, /Chassis Power is on/, 'power status over UDP from another namespace');
    const t0 = Date.now();
    const off = await bmc.ipmitool(nodeb, ['power', 'off']);
    assert.equal(off.code, 0, off.stderr);
    t.diagnostic(`ipmitool power off answered in ${Date.now() - t0} ms`);
    assert.equal(isAlive(victim.pid!), false, 'every process of the host is gone when the BMC answers');
    assert.deepEqual((await nodea.addresses()).filter((a) => a.ifname !== 'lo'), [], 'no address left');
    assert.match((await bmc.ipmitool(nodeb, ['power', 'status'])).stdout, /Chassis Power is off/);
    assert.equal((await bmc.ipmitool(nodeb, ['power', 'on'])).code, 0);
    assert.ok(await nodea.hasAddress(nodea.address()), 'power on: the address is back');
    assert.equal((await nodeb.execNet(['ping', '-c', '1', '-W', '2', nodea.address()])).code, 0, 'and answers');

    // fence-agents' fence_ipmilan (what a Pacemaker stonith:fence_ipmilan resource runs) reaches it the same way.
    if (existsSync('/usr/sbin/fence_ipmilan')) {
      const fa = ['fence_ipmilan', '-a', bmc.address, '-l', bmc.credentials.user, '-p', bmc.credentials.password];
      const status = await nodeb.execNet([...fa, '-o', 'status'], { timeoutMs: 60_000 });
      assert.match(status.stdout, /Status: ON/, `${status.stdout}${status.stderr}`);
    }

    // cluster-glue's external/ipmi, as heartbeat runs it: stonith -t external/ipmi -p PARAMS -T reset NODE.
    const v2 = nodea.spawn(['sleep', '600']);
    await new Promise((r) => setTimeout(r, 200));
    const t1 = Date.now();
    const reset = await nodeb.execNet(['stonith', '-t', 'external/ipmi', '-p', bmc.externalIpmiParams(), '-T', 'reset', 'nodea'], { timeoutMs: 60_000 });
    assert.equal(reset.code, 0, `${reset.stdout}${reset.stderr}`);
    t.diagnostic(`stonith external/ipmi reset took ${Date.now() - t1} ms`);
    assert.equal(isAlive(v2.pid!), false, 'the reset killed the host\'s processes');
    assert.deepEqual(bmc.events().map((e) => e.what), ['off', 'on', 'off', 'on']);
    assert.ok(await nodea.hasAddress(nodea.address()), 'and it came back powered on');

    // An unplugged BMC: the reset fails (it is never taken as done).
    await bmc.unplug();
    const t2 = Date.now();
    const fail = await nodeb.execNet(['stonith', '-t', 'external/ipmi', '-p', bmc.externalIpmiParams(), '-T', 'reset', 'nodea'], { timeoutMs: 120_000 });
    t.diagnostic(`reset through an unplugged BMC failed (exit ${fail.code}) after ${Date.now() - t2} ms`);
    assert.notEqual(fail.code, 0);
    assert.equal(bmc.events().length, 4, 'no power event');
  });
});
