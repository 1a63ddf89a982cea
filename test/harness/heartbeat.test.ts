// Two real heartbeat 3.0.6 nodes in namespaces see each other, and one notices when the other crashes.
// Also proves the harness leaves no namespace and no process behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCluster, isAlive, listNamespaces, startDaemon, type Cluster } from '../../src/harness/index.js';

const PREFIX = 'llh-hb';
const haCf = `keepalive 200ms
deadtime 2
warntime 1
initdead 10
udpport 694
bcast eth0
auto_failback on
node nodea nodeb
`;
const authkeys = 'auth 1\n1 sha1 harness-test-key\n';
// A resource.d script that records its state in the host's private /var/run (so each host has its own).
const dummysvc = `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/dummysvc.running ;;
  stop) rm -f /var/run/heartbeat/dummysvc.running ;;
  status) if [ -e /var/run/heartbeat/dummysvc.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
const config = { haCf, authkeys, haresources: 'nodea dummysvc\n', resourceScripts: { dummysvc } };

test('nodeb declares nodea dead after nodea crashes; teardown leaves nothing behind', { timeout: 90000 }, async () => {
  let cluster: Cluster | undefined;
  let pids: number[] = [];
  try {
    cluster = await createCluster({ prefix: PREFIX, networks: ['10.201.1.0/24'], hosts: ['nodea', 'nodeb'] });
    const a = cluster.host('nodea');
    const b = cluster.host('nodeb');
    const daemons = [];
    for (const h of [a, b]) {
      const d = await startDaemon(h, config);
      daemons.push(d);
      assert.equal(d.launcherExit, 0, `heartbeat on ${h.name} failed to start:\n${await h.readLog(d.outputFile)}\n${await h.readLog()}`);
    }
    // Each sees the other's link and both reach 'active' (wording from the reference logs).
    await a.waitForLog(/info: Link nodeb:eth0 up\./, { timeoutMs: 15000 });
    await b.waitForLog(/info: Link nodea:eth0 up\./, { timeoutMs: 15000 });
    await a.waitForLog(/Status update for node nodeb: status active/, { timeoutMs: 15000 });
    await b.waitForLog(/Status update for node nodea: status active/, { timeoutMs: 15000 });
    // Each host really has its own hostname.
    assert.equal((await a.mustExec(['uname', '-n'])).trim(), 'nodea');

    pids = [...(await a.pids()), ...(await b.pids())];
    assert.ok(pids.length >= 6, `expected heartbeat's processes on both hosts, got ${pids.length}`);
    const mark = await b.logMark();
    const t0 = performance.now();
    const killed = await a.crash();
    assert.ok(killed.length >= 3);
    assert.deepEqual(await a.pids(), []);
    const dead = await b.waitForLog(/WARN: node nodea: is dead/, { since: mark, timeoutMs: 10000 });
    const detectMs = dead.seenAt - t0;
    console.log(`# heartbeat (keepalive 200ms, deadtime 2s) declared the crashed peer dead after ${detectMs.toFixed(0)} ms`);
    assert.ok(detectMs > 1000, `death declared too early (${detectMs} ms): was it a crash?`);
    await b.waitForLog(/info: Link nodea:eth0 dead\./, { since: mark, timeoutMs: 5000 });
    // The survivor took the group over (its resource.d script ran in its private /var/run).
    await b.waitForLog(/mach_down takeover complete for node nodea\./, { since: mark, timeoutMs: 10000 });
    assert.equal((await b.mustExec(['/etc/ha.d/resource.d/dummysvc', 'status'])).trim(), 'running');
    assert.equal((await a.exec(['test', '-e', '/var/run/heartbeat/dummysvc.running'])).code, 1);
    // A graceful stop of the survivor (SIGTERM as heartbeat -k sends; heartbeat takes a few seconds while a
    // takeover is recent), then its shutdown line, then no process left.
    assert.equal(await daemons[1]?.stop(), true);
    await b.waitForLog(/nodeb Heartbeat shutdown complete\./, { since: mark, timeoutMs: 5000 });
    assert.deepEqual(await b.pids(), []);
  } finally {
    await cluster?.destroy();
  }
  assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${PREFIX}-`)), []);
  for (const p of pids) assert.equal(isAlive(p), false, `process ${p} survived teardown`);
});
