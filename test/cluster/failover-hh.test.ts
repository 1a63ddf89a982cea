// Failover scenarios with heartbeat on nodea (the group's preferred node) and heartbeat on nodeb: start, hb_standby, hb_takeover,
// crash, restart with failback, a healed partition, graceful stops; a client namespace checks the VIP after each step.
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { playScenario } from './failover-scenarios.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');

test('failover scenarios: heartbeat (nodea) + heartbeat (nodeb)', { skip: process.env.LLF_HB_HB !== '1' ? 'reference run of heartbeat alone: set LLF_HB_HB=1' : canRun ? false : 'needs root and heartbeat', timeout: 180000 }, async (t) => {
  await playScenario('heartbeat', 'heartbeat', 4, 'llf-hh', (s) => t.diagnostic(s));
});
