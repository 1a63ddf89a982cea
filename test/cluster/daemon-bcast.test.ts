// Two `lifeline daemon` processes on bcast in namespaces: both see each other active, answer `status` and
// `cl_status`, and the survivor declares a crashed peer dead within deadtime + a keepalive (+ slack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withCluster } from '../../src/harness/index.js';
import { crashAndMeasure, DEADTIME_MS, haCf, KEEPALIVE_MS, lifeline, startLifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;

test('two Lifeline daemons on bcast: active, status/cl_status answers, crash detected in time', { skip: canRun ? false : 'needs root', timeout: 60000 }, async (t) => {
  await withCluster({ prefix: 'lld-bc', networks: ['10.240.1.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    for (const h of [a, b]) await startLifeline(h, haCf('bcast eth0', ['nodea', 'nodeb']));
    await waitAllActive([a, b]);
    for (const h of [a, b]) {
      const log = await h.readLog();
      assert.match(log, /lifeline: \[\d+\]: info: Heartbeat generation: \d+/);
      assert.doesNotMatch(log, /ERROR|dropped packet|is dead/, `nothing wrong in ${h.name}'s log:\n${log}`);
    }

    const st = await lifeline(a, ['status', '--json', '--run-dir', '/var/run/heartbeat']);
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout) as { node: string; nodes: { name: string; status: string; links: { name: string; status: string }[] }[] };
    assert.equal(s.node, 'nodea');
    assert.deepEqual(s.nodes.map((n) => [n.name, n.status]), [['nodea', 'active'], ['nodeb', 'active']]);
    assert.deepEqual(s.nodes[1]!.links, [{ name: 'eth0', status: 'up' }]);
    // Same files on both: nodeb's `llcfg` digest agrees with ours.
    assert.deepEqual((s.nodes[1] as { config?: unknown }).config, { state: 'same' });
    // ha.cf's default `realtime on`: the daemon runs SCHED_RR, its children (resource scripts) do not inherit it.
    const sched = spawnSync('chrt', ['-p', String((s as unknown as { pid: number }).pid)], { encoding: 'utf8' }).stdout;
    assert.match(sched, /SCHED_RR\|SCHED_RESET_ON_FORK/, sched);
    assert.match(sched, /priority: 1$/m, sched);
    const human = await lifeline(a, ['status']);
    assert.match(human.stdout, /^nodeb\tactive\t\(nodetype: normal\)\tconfiguration same$/m);

    const cl = async (...args: string[]) => lifeline(a, ['cl_status', ...args]);
    assert.deepEqual(await cl('hbstatus').then((r) => [r.code, r.stdout]), [0, 'Heartbeat is running on this machine.\n']);
    assert.deepEqual(await cl('listnodes').then((r) => [r.code, r.stdout]), [0, 'nodea\nnodeb\n']);
    assert.deepEqual(await cl('nodestatus', 'nodeb').then((r) => [r.code, r.stdout]), [0, 'active\n']);
    assert.deepEqual(await cl('nodetype', 'nodeb').then((r) => [r.code, r.stdout]), [0, 'normal\n']);
    assert.deepEqual(await cl('listhblinks', 'nodeb').then((r) => [r.code, r.stdout]), [0, '\teth0\n']);
    assert.deepEqual(await cl('hblinkstatus', 'nodeb', 'eth0').then((r) => [r.code, r.stdout]), [0, 'up\n']);
    assert.equal((await cl('nodestatus', 'nosuch')).code, 11);
    assert.equal((await cl('nodestatus')).code, 11);
    const none = await lifeline(a, ['cl_status', '--run-dir', '/nonexistent', 'hbstatus']);
    assert.deepEqual([none.code, none.stdout], [1, 'Heartbeat is stopped on this machine.\n']);

    // Past the 5 s start-up boost of the advertised dead time.
    await new Promise((r) => setTimeout(r, 5500));
    const [delay] = await crashAndMeasure(b, [a]);
    t.diagnostic(`nodea declared the crashed nodeb dead ${delay} ms after the kill (deadtime ${DEADTIME_MS}, keepalive ${KEEPALIVE_MS})`);
    assert.ok(delay! < DEADTIME_MS + KEEPALIVE_MS + 1500, `declared dead ${delay} ms after the crash`);
    assert.ok(delay! > DEADTIME_MS - KEEPALIVE_MS - 100, `not before deadtime: ${delay} ms`);
    await a.waitForLog(/Link nodeb:eth0 dead/);
    const after = await lifeline(a, ['cl_status', 'nodestatus', 'nodeb']);
    assert.deepEqual([after.code, after.stdout], [1, 'dead\n']);
  });
});
