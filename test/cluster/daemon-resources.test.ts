// `lifeline daemon` with haresources: the preferred node starts its group, the survivor takes it over when that
// node crashes, and a graceful stop releases it — the resource layer running as the daemon's second consumer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lifelineKind, startDaemon, withCluster, type Host } from '../../src/harness/index.js';
import { AUTHKEYS, haCf } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;
// Records its state in the host's private /var/run, so each host has its own marker.
const dummysvc = `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/dummysvc.running ;;
  stop) rm -f /var/run/heartbeat/dummysvc.running ;;
  status) if [ -e /var/run/heartbeat/dummysvc.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
const running = (h: Host) => existsSync(join(h.dirs.run, 'heartbeat', 'dummysvc.running'));

async function until(what: string, f: () => boolean, timeoutMs: number): Promise<number> {
  const t = performance.now();
  while (!f()) {
    if (performance.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Math.round(performance.now() - t);
}

test('haresources group: started on its node, taken over after a crash, released on stop', { skip: canRun ? false : 'needs root', timeout: 60000 }, async (t) => {
  await withCluster({ prefix: 'lld-rs', networks: ['10.240.7.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cfg = { haCf: haCf('bcast eth0', ['nodea', 'nodeb']), authkeys: AUTHKEYS, haresources: 'nodea dummysvc\n', resourceScripts: { dummysvc } };
    await startDaemon(a, cfg, lifelineKind());
    const db = await startDaemon(b, cfg, lifelineKind());
    await until('nodea starts dummysvc', () => running(a), 30000);
    assert.ok(!running(b), 'never on two nodes at once');
    await new Promise((r) => setTimeout(r, 5500)); // past the start-up dead time boost
    assert.ok(running(a) && !running(b));

    const crashed = performance.now();
    await a.crash();
    await until('nodeb takes dummysvc over', () => running(b), 15000);
    const took = Math.round(performance.now() - crashed);
    t.diagnostic(`nodeb runs dummysvc ${took} ms after nodea crashed (deadtime 2000 ms)`);
    assert.ok(took < 5000, `${took} ms`);
    await b.waitForLog(/mach_down takeover complete for node nodea/);

    assert.ok(await db.stop(20000), 'nodeb stops');
    assert.ok(!running(b), 'a graceful stop releases the group');
    await b.waitForLog(/All HA resources relinquished/);
  });
});
