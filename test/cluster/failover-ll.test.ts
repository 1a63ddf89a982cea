// Failover scenarios with lifeline on nodea (the group's preferred node) and lifeline on nodeb: start, hb_standby, hb_takeover,
// crash, restart with failback, a healed partition, graceful stops; a client namespace checks the VIP after each step.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { playScenario } from './failover-scenarios.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');

test('failover scenarios: lifeline (nodea) + lifeline (nodeb), the owner\'s cable pulled and plugged back', { skip: canRun ? false : 'needs root and heartbeat', timeout: 180000 }, async (t) => {
  await playScenario('lifeline', 'lifeline', 1, 'llf-ll', (s) => t.diagnostic(s), 'linkdown');
});
