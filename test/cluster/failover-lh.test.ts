// Failover scenarios with lifeline on nodea (the group's preferred node) and heartbeat on nodeb: start, hb_standby, hb_takeover,
// crash, restart with failback, a healed partition, graceful stops; a client namespace checks the VIP after each step.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { playScenario, playStandbyWords } from './failover-scenarios.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');

test('failover scenarios: lifeline (nodea) + heartbeat (nodeb)', { skip: canRun ? false : 'needs root and heartbeat', timeout: 180000 }, async (t) => {
  await playScenario('lifeline', 'heartbeat', 2, 'llf-lh', (s) => t.diagnostic(s));
});

test('standby words across implementations: lifeline (nodea) + heartbeat (nodeb), one group each', { skip: canRun ? false : 'needs root and heartbeat', timeout: 420000 }, async (t) => {
  await playStandbyWords('lifeline', 'heartbeat', 5, 'llf-wlh', (s) => t.diagnostic(s));
});
