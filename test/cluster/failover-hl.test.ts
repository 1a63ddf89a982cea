// Failover scenarios with heartbeat on nodea (the group's preferred node) and lifeline on nodeb: start, hb_standby, hb_takeover,
// crash, restart with failback, a healed partition, graceful stops; a client namespace checks the VIP after each step.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { playScenario, playStandbyWords } from './failover-scenarios.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');

test('failover scenarios: heartbeat (nodea) + lifeline (nodeb)', { skip: canRun ? false : 'needs root and heartbeat', timeout: 180000 }, async (t) => {
  await playScenario('heartbeat', 'lifeline', 3, 'llf-hl', (s) => t.diagnostic(s));
});

test('standby words across implementations: heartbeat (nodea) + lifeline (nodeb), one group each', { skip: canRun ? false : 'needs root and heartbeat', timeout: 420000 }, async (t) => {
  await playStandbyWords('heartbeat', 'lifeline', 6, 'llf-whl', (s) => t.diagnostic(s));
});
