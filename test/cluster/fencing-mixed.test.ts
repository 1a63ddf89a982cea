// Mixed clusters fence each other with the same ha.cf lines and the same plugin: heartbeat 3.0.6 on one node,
// Lifeline on the other, real BMCs. Whichever survives powers the other off before it takes the VIP.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { withCluster } from '../../src/harness/index.js';
import { canRun, playKillOwner, rig, startBoth } from './fencing-rig.js';

const skip = canRun && existsSync('/usr/libexec/heartbeat/heartbeat') ? false : 'needs root, heartbeat, openipmi, ipmitool, cluster-glue';

test('heartbeat 3.0.6 survivor fences a killed Lifeline owner through its BMC, then takes the VIP', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-mixlh', networks: ['10.232.4.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.4', { nodea: 'lifeline', nodeb: 'heartbeat' });
    await startBoth(r);
    await playKillOwner(r, (m) => t.diagnostic(m));
  });
});

test('Lifeline survivor fences a killed heartbeat 3.0.6 owner through its BMC, then takes the VIP', { skip, timeout: 150_000 }, async (t) => {
  await withCluster({ prefix: 'hf-mixhl', networks: ['10.232.5.0/24'], hosts: ['nodea', 'nodeb', 'bmca', 'bmcb', 'client'] }, async (c) => {
    const r = await rig(c, '10.232.5', { nodea: 'heartbeat', nodeb: 'lifeline' });
    await startBoth(r);
    await playKillOwner(r, (m) => t.diagnostic(m));
  });
});
