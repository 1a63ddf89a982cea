// haresources monitoring on two real daemons: a resource killed under its running group is restarted in place,
// and after `restarts` restarts the next failure hands the group to the peer as hb_standby does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lifelineKind, startDaemon, withCluster, type Host } from '../../src/harness/index.js';
import { AUTHKEYS, haCf, lifeline } from '../cluster/daemon-fixture.js';

const canRun = process.getuid?.() === 0;
const dummysvc = `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/dummysvc.running ;;
  stop) rm -f /var/run/heartbeat/dummysvc.running ;;
  status) if [ -e /var/run/heartbeat/dummysvc.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
const marker = (h: Host) => join(h.dirs.run, 'heartbeat', 'dummysvc.running');
const running = (h: Host) => existsSync(marker(h));

async function until(what: string, f: () => boolean, timeoutMs: number): Promise<number> {
  const t = performance.now();
  while (!f()) {
    if (performance.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.round(performance.now() - t);
}

test('monitor: killed resource restarted twice in place, the third failure hands the group to nodeb', { skip: canRun ? false : 'needs root', timeout: 90_000 }, async (t) => {
  await withCluster({ prefix: 'lk-mo', networks: ['10.213.5.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cfg = { haCf: haCf('bcast eth0', ['nodea', 'nodeb']), authkeys: AUTHKEYS, haresources: 'nodea dummysvc\n', resourceScripts: { dummysvc } };
    for (const h of [a, b]) writeFileSync(join(h.dirs.etc, 'monitors'), 'dummysvc interval=300ms timeout=5 restarts=2\n');
    await startDaemon(a, cfg, lifelineKind());
    await startDaemon(b, cfg, lifelineKind());
    await until('nodea starts dummysvc', () => running(a), 30_000);
    const check = await lifeline(a, ['check']);
    assert.equal(check.code, 0, check.stdout);

    // The interval is 300 ms: each restart should come within a few intervals (generous: 10 s).
    for (const n of [1, 2]) {
      rmSync(marker(a));
      const took = await until(`restart ${n}`, () => running(a), 10_000);
      t.diagnostic(`restart ${n}: dummysvc back ${took} ms after it was killed`);
      await a.waitForLog(new RegExp(`Restarting resource dummysvc in place \\(restart ${n} of 2\\)`));
    }
    assert.ok(!running(b));
    rmSync(marker(a));
    const moved = await until('nodeb takes dummysvc', () => running(b), 20_000);
    t.diagnostic(`third failure: dummysvc runs on nodeb ${moved} ms later`);
    await a.waitForLog(/Resource dummysvc failed after 2 restart\(s\): giving local resources to the other node \(hb_standby local\)/);
    assert.ok(!running(a), 'never on both nodes');
    const s = await lifeline(a, ['status']);
    assert.match(s.stdout, /^monitor dummysvc: every 300 ms, last failed, 3 failure\(s\), 2 restart\(s\), 1 hand-over\(s\)$/m);
  });
});
