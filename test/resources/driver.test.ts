// The machine driving real agents: inside an llr- namespace a node takes over its dead peer's group (a VIP and a
// resource.d script), then shuts down gracefully and gives everything back; the takeover time is printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { millis, nodeName } from '../../src/types.js';
import { netnsExec } from '../../src/io/process.js';
import { defaultAgentContext } from '../../src/resources/agents/lookup.js';
import { ResourceDriver } from '../../src/resources/driver.js';
import type { ResourceMessage } from '../../src/resources/messages.js';
import { canUseNetns, Rig } from './netns-rig.js';
import { group } from './sim.js';

test('a survivor takes over the dead peer\'s VIP and script for real, then gives them up on shutdown',
  { skip: !canUseNetns && 'needs root for network namespaces' }, async () => {
    const rig = new Rig('drv', 3);
    const dir = mkdtempSync(join(tmpdir(), 'llr-drv-'));
    let driver: ResourceDriver | undefined;
    try {
      rig.up();
      const b = rig.node('b', 2);
      mkdirSync(join(dir, 'resource.d'));
      const calls = join(dir, 'calls');
      writeFileSync(join(dir, 'resource.d', 'recorder'), `#!/bin/sh
echo "$*" >> '${calls}'
for last; do :; done
case "$last" in
  start) touch '${dir}/on';; stop) rm -f '${dir}/on';;
  status) [ -f '${dir}/on' ] && echo running || echo stopped;;
esac
`, { mode: 0o755 });
      const sent: ResourceMessage[] = [];
      const log: string[] = [];
      let shutdown: boolean | undefined;
      driver = new ResourceDriver({
        config: { me: nodeName('nodeb'), peer: nodeName('nodea'), autoFailback: 'on', stonith: false, pid: 42,
          groups: [group('nodea', '10.220.3.100/24', 'recorder::x::y')] },
        agents: defaultAgentContext((l) => log.push(l), { configDir: dir, exec: netnsExec(b) }),
        now: () => millis(performance.now()),
        send: (m) => sent.push(m),
        log: (_lvl, t) => log.push(t),
        onShutdownComplete: (restart) => { shutdown = restart; },
      });
      // Cluster up, the peer (nodea) holds its group and is stable.
      driver.feed({ type: 'comm-up', peerDead: false });
      driver.feed({ type: 'message', from: nodeName('nodea'), msg: { t: 'resource', rscHold: 'local', rtype: 'full', isstable: true } });
      await driver.idle();
      assert.deepEqual(sent[0], { t: 'starting' });

      const t0 = performance.now();
      driver.feed({ type: 'peer-dead' });
      await driver.idle();
      const takeoverMs = performance.now() - t0;
      const addrs = rig.run(b, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
      assert.match(addrs, /inet 10\.220\.3\.100\/24 brd 10\.220\.3\.255 .*eth0:0/);
      assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), ['x y status', 'x y start']);
      assert.ok(log.includes('No STONITH device configured.'));
      assert.ok(log.includes('mach_down takeover complete.'));
      console.log(`# peer-dead → VIP up and script started: ${takeoverMs.toFixed(1)} ms (heartbeat 3.0.6 scripts: 138–196 ms)`);

      driver.feed({ type: 'shutdown' });
      await driver.idle();
      assert.equal(shutdown, false);
      assert.doesNotMatch(rig.run(b, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']), /10\.220\.3\.100/);
      assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), ['x y status', 'x y start', 'x y stop']);
      assert.deepEqual(sent.slice(-1)[0], { t: 'shutdone', st: 'dead' });
    } finally {
      driver?.close();
      rig.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('a script that hangs during a takeover is killed at its timeout; the VIP started before it is stopped again and the group offered back',
  { skip: !canUseNetns && 'needs root for network namespaces' }, async () => {
    const rig = new Rig('drh', 5);
    const dir = mkdtempSync(join(tmpdir(), 'llr-drh-'));
    let driver: ResourceDriver | undefined;
    try {
      rig.up();
      const b = rig.node('b', 2);
      mkdirSync(join(dir, 'resource.d'));
      writeFileSync(join(dir, 'resource.d', 'stuck'), '#!/bin/sh\ncase "$1" in start) sleep 600;; status) echo stopped;; esac\nexit 0\n', { mode: 0o755 });
      const sent: ResourceMessage[] = [];
      const log: string[] = [];
      driver = new ResourceDriver({
        config: { me: nodeName('nodeb'), peer: nodeName('nodea'), autoFailback: 'on', stonith: false,
          failedStartStandbyDelay: millis(300), groups: [group('nodea', '10.220.5.100/24', 'stuck')] },
        agents: defaultAgentContext((l) => log.push(l), { configDir: dir, exec: netnsExec(b) }),
        now: () => millis(performance.now()),
        send: (m) => sent.push(m),
        log: (lvl, t) => log.push(`${lvl}: ${t}`),
        agentTimeoutMs: 500,
      });
      driver.feed({ type: 'comm-up', peerDead: false });
      driver.feed({ type: 'message', from: nodeName('nodea'), msg: { t: 'resource', rscHold: 'local', rtype: 'full', isstable: true } });
      await driver.idle();
      const t0 = performance.now();
      driver.feed({ type: 'peer-dead' });
      await driver.idle();
      const took = performance.now() - t0;
      assert.ok(log.includes('crit: Giving up resources due to failure of stuck'), log.join('\n'));
      assert.doesNotMatch(rig.run(b, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']), /10\.220\.5\.100/, 'VIP stopped again');
      assert.ok(took < 10_000, `the hung start was cut short (${took.toFixed(0)} ms)`);
      // 300 ms later the group is offered to the peer (heartbeat: hb_standby 30 s after the failure).
      await new Promise((r) => setTimeout(r, 600));
      assert.ok(sent.some((m) => m.t === 'ask_resources' && m.info === 'me' && m.rscHold === 'foreign'), JSON.stringify(sent));
      assert.ok(log.includes('info: Going standby [foreign].'));
    } finally {
      driver?.close();
      rig.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
