// haresources failover in a mixed cluster: Lifeline (nodea) holds its group, heartbeat 3.0.6 (nodeb) holds its
// own; when Lifeline crashes heartbeat takes nodea's group over — never running on both nodes at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { heartbeatKind, lifelineKind, startDaemon, withCluster, type Host } from '../../src/harness/index.js';
import { AUTHKEYS, haCf } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');
const script = (name: string) => `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/${name}.running ;;
  stop) rm -f /var/run/heartbeat/${name}.running ;;
  status) if [ -e /var/run/heartbeat/${name}.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
const running = (h: Host, svc: string) => existsSync(join(h.dirs.run, 'heartbeat', `${svc}.running`));

async function until(what: string, f: () => boolean, timeoutMs: number): Promise<void> {
  const t = performance.now();
  while (!f()) {
    if (performance.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('Lifeline and heartbeat 3.0.6 share haresources: each starts its own group; heartbeat takes over after Lifeline crashes', { skip: canRun ? false : 'needs root and heartbeat', timeout: 60000 }, async (t) => {
  await withCluster({ prefix: 'lld-hr', networks: ['10.240.9.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cfg = { haCf: haCf('bcast eth0', ['nodea', 'nodeb']), authkeys: AUTHKEYS, haresources: 'nodea svca\nnodeb svcb\n',
      resourceScripts: { svca: script('svca'), svcb: script('svcb') } };
    await startDaemon(a, cfg, lifelineKind());
    const hb = await startDaemon(b, cfg, heartbeatKind);
    assert.equal(hb.launcherExit, 0);
    await until('each node starts its own group', () => running(a, 'svca') && running(b, 'svcb'), 40000);
    assert.ok(!running(a, 'svcb') && !running(b, 'svca'), 'no group on both nodes');
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok(running(a, 'svca') && running(b, 'svcb') && !running(a, 'svcb') && !running(b, 'svca'), 'stable');

    const crashed = performance.now();
    await a.crash();
    await until('heartbeat takes svca over', () => running(b, 'svca'), 15000);
    t.diagnostic(`heartbeat runs nodea's group ${Math.round(performance.now() - crashed)} ms after Lifeline crashed`);
  });
});
