// The fencer on a manual clock with scripted fence agents: host checks (static, map, dynamic list, status, none),
// topology levels, delays, timeouts, retries, one operation per target, and fenced's log lines and results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMap, parseTargets, fencerOptions, delayBaseS, deviceFromPrimitive, agentArgs, capsFromMetadata, levelsFor, parseTopology } from '../../../src/crm/fencer/index.js';
import { FencerRig, cib, metadata } from './twin.js';

const ok = () => ({ code: 0, durationMs: 200 });
const OFF_ON = ['on', 'off', 'reboot', 'status', 'monitor'];

test('host lists and maps are read as fenced reads them', () => {
  assert.deepEqual(parseTargets('node1, node2;node3\nnode4 on\nFailed: invalid variable\n'), ['node1', 'node2', 'node3', 'node4']);
  const m = parseHostMap('node1:port1;node2=2 node3:a\\:b');
  assert.deepEqual([...m.aliases], [['node1', 'port1'], ['node2', '2'], ['node3', 'a:b']]);
  assert.deepEqual(fencerOptions(new Map([['stonith-timeout', '90s'], ['stonith-action', 'poweroff'], ['priority-fencing-delay', '15s']])),
    { enabled: true, action: 'off', timeoutMs: 90_000, priorityDelayMs: 15_000 });
  assert.equal(fencerOptions(new Map([['stonith-enabled', 'false']])).enabled, false);
  const d = deviceFromPrimitive({ kind: 'primitive', id: 'f', cls: 'stonith', type: 'fence_x', meta: new Map(), ops: [], params: new Map([['pcmk_delay_base', 'node1:5s;node2:0'], ['action', 'off']]) });
  assert.equal(delayBaseS(d, 'reboot', 'node1'), 5);
  assert.equal(delayBaseS(d, 'reboot', 'node2'), 0);
  assert.equal(delayBaseS(d, 'on', 'node1'), 0, 'delays apply to fencing actions only');
  assert.equal(d.params.get('pcmk_reboot_action'), 'off', 'a configured action=off becomes pcmk_reboot_action');
  const caps = capsFromMetadata(metadata('fence_x', ['list', 'reboot']))!;
  assert.deepEqual({ list: caps.list, status: caps.status, reboot: caps.reboot, hostArg: caps.hostArg }, { list: true, status: false, reboot: true, hostArg: 'port' });
  const t = parseTopology(cib([], {}, ['node1|2|b', 'node1|1|a,c', 'node2|1|zz']), new Set(['a', 'b', 'c']));
  assert.deepEqual(levelsFor(t, 'NODE1'), [{ index: 1, devices: ['a', 'c'] }, { index: 2, devices: ['b'] }]);
  assert.match(t.problems[0]!.text, /names device "zz", which is not a stonith resource/);
  const withArgs = deviceFromPrimitive({ kind: 'primitive', id: 'f', cls: 'stonith', type: 'fence_x', meta: new Map(), ops: [], params: new Map([['ip', '10.0.0.1'], ['pcmk_host_map', 'node2:blade7'], ['pcmk_host_check', 'static-list']]) }, caps);
  assert.deepEqual(agentArgs(withArgs, 'reboot', 'node2'), [['action', 'reboot'], ['nodename', 'node2'], ['port', 'blade7'], ['ip', '10.0.0.1']]);
});

test('static list: only the listed node is eligible; the agent gets action, nodename, port and its own params on stdin, never pcmk_*', async () => {
  const r = new FencerRig().agent('fence_x', OFF_ON, ok);
  await r.configure(cib([
    { id: 'fence_n2', agent: 'fence_x', params: { ip: '10.244.9.2', username: 'admin', pcmk_host_list: 'node2' } },
    { id: 'fence_n3', agent: 'fence_x', params: { ip: '10.244.9.3', pcmk_host_map: 'node3:blade3' } },
  ]));
  assert.deepEqual(r.fencer.registered(), ['fence_n2', 'fence_n3']);
  const res = await r.fence({ target: 'node2' });
  assert.equal(res.ok, true);
  assert.deepEqual(res.devices, ['fence_n2']);
  assert.deepEqual(r.calls(), [{ agent: 'fence_x', args: { action: 'reboot', nodename: 'node2', port: 'node2', ip: '10.244.9.2', username: 'admin' }, at: r.calls()[0]!.at }]);
  assert.ok(r.logged(/fence_n3 is not eligible to fence \(reboot\) node2: static-list/).length);
  assert.ok(r.logged(/^notice: Operation 'reboot' \[\d+\] targeting node2 using fence_n2 returned 0 \| call 1 from pacemaker-controld\.1000$/).length, r.logs.join('\n'));
  assert.ok(r.logged(/^notice: Operation 'reboot' targeting node2 by node1 for pacemaker-controld\.1000@node1: OK \(complete\)/).length);
  const m = await r.fence({ target: 'node3' });
  assert.deepEqual(m.devices, ['fence_n3']);
  assert.equal(r.calls().at(-1)!.args.port, 'blade3', 'pcmk_host_map: the agent is told its own name for the node');
  assert.ok(r.logged(/fence_n3 is eligible to fence \(reboot\) node3 \(as 'blade3'\): static-list/).length);
  assert.equal(r.notified.length, 2, 'one notification per operation');
  const none = await r.fence({ target: 'node4' });
  assert.equal(none.ok, false);
  assert.equal(none.execStatus, 'No fence device');
  assert.ok(r.logged(/Couldn't find anyone to fence \(reboot\) node4 using any device/).length);
  const self = await r.fence({ target: 'node1' });
  assert.equal(self.execStatus, 'No fence device', 'a node never fences itself');
  assert.deepEqual(r.fencer.history('node2').map((h) => [h.state, h.delegate]), [['done', 'node1']]);
});

test('dynamic-list (the default for an agent with a list action): asked once, its answer cached for 60 s; status is asked per target', async () => {
  const r = new FencerRig()
    .agent('fence_lister', ['list', 'reboot', 'off', 'on'], (a) => (a.action === 'list' ? { code: 0, stdout: 'node2,guest2\nnode3,guest3\n' } : ok()))
    .agent('fence_st', ['status', 'reboot', 'off', 'on'], (a) => (a.action === 'status' ? { code: a.port === 'node4' ? 2 : 1 } : ok()));
  await r.configure(cib([{ id: 'lister', agent: 'fence_lister' }, { id: 'st', agent: 'fence_st' }]));
  assert.ok((await r.fence({ target: 'node2' })).ok);
  assert.ok((await r.fence({ target: 'node3' })).ok);
  assert.equal(r.calls('fence_lister', 'list').length, 1, 'the second request used the cached list');
  assert.ok(r.logged(/Refreshing target list for lister/).length);
  assert.equal(r.calls('fence_st', 'status').length, 2, 'status runs for every request');
  r.clock.advance(61_000);
  const four = await r.fence({ target: 'node4' });
  assert.deepEqual(four.devices, ['st'], 'status 2 (off) still means the device knows the node');
  assert.equal(r.calls('fence_lister', 'list').length, 2, 'a list older than 60 s is asked again');
  assert.deepEqual(await (async () => { const p = r.fencer.capableDevices('node3'); r.clock.advance(1000); return p; })(), ['lister']);
});

test('a list that never worked: the device cannot fence, and switches to pcmk_host_check=status', async () => {
  const r = new FencerRig().agent('fence_bad', ['list', 'status', 'reboot'], (a) => (a.action === 'list' ? { code: 1 } : a.action === 'status' ? { code: 0 } : ok()));
  await r.configure(cib([{ id: 'bad', agent: 'fence_bad' }]));
  assert.equal((await r.fence({ target: 'node2' })).execStatus, 'No fence device');
  assert.ok(r.logged(/warning: Assuming bad cannot fence node2 because list returned error code 1/).length);
  assert.ok(r.logged(/Switching to pcmk_host_check='status' for bad/).length);
  assert.ok((await r.fence({ target: 'node2' })).ok, 'the next request asks status instead');
});

test('topology: level 1 fails after its retries, level 2 fences; a two-device level reboots as off, off, on, on', async () => {
  const r = new FencerRig()
    .agent('fence_ipmi', OFF_ON, () => ({ code: 1, stderr: 'Failed: Unable to obtain correct plug status or plug is not available\n', durationMs: 500 }))
    .agent('fence_pdu', OFF_ON, ok);
  await r.configure(cib([
    { id: 'ipmi2', agent: 'fence_ipmi', params: { pcmk_host_list: 'node2' } },
    { id: 'pduA', agent: 'fence_pdu', params: { pcmk_host_list: 'node2' } },
    { id: 'pduB', agent: 'fence_pdu', params: { pcmk_host_list: 'node2' } },
  ], {}, ['node2|1|ipmi2', 'node2|2|pduA,pduB']));
  const res = await r.fence({ target: 'node2' });
  assert.equal(res.ok, true);
  assert.deepEqual(res.devices, ['pduA', 'pduB']);
  assert.equal(r.calls('fence_ipmi').length, 2, 'pcmk_reboot_retries defaults to 2 tries');
  assert.equal(r.calls('fence_ipmi')[1]!.at - r.calls('fence_ipmi')[0]!.at, 1500, 'the retry comes 1 s after the failure');
  assert.deepEqual(r.calls('fence_pdu').map((c) => c.args.action), ['off', 'off', 'on', 'on']);
  assert.ok(r.logged(/^warning: fence_ipmi\[\d+\] stderr: \[ Failed: Unable to obtain correct plug status/).length, 'the agent\'s own error is logged');
  assert.ok(r.logged(/^error: Operation 'reboot' \[\d+\] targeting node2 using ipmi2 returned 1, retrying with level 2 \(2 devices remaining\)/).length, r.logs.join('\n'));
  assert.ok(r.logged(/Remapping multiple-device reboot targeting node2 to 'off'/).length);
  assert.ok(r.logged(/Remapped 'off' targeting node2 complete, remapping to 'on'/).length);
});

test('every level failing: the operation fails, with fenced\'s "All fencing options ... failed" and history', async () => {
  const r = new FencerRig().agent('fence_x', OFF_ON, () => ({ code: 1 }));
  await r.configure(cib([{ id: 'a', agent: 'fence_x', params: { pcmk_host_list: 'node2', pcmk_reboot_retries: '1' } }, { id: 'b', agent: 'fence_x', params: { pcmk_host_list: 'node2', pcmk_reboot_retries: '1' } }], {}, ['node2|1|a', 'node2|2|b']));
  const res = await r.fence({ target: 'node2' });
  assert.equal(res.ok, false);
  assert.equal(res.execStatus, 'complete');
  assert.equal(r.calls().length, 2, 'pcmk_reboot_retries=1: one try per device');
  assert.ok(r.logged(/All fencing options targeting node2 for client pacemaker-controld\.1000@node1 failed/).length);
  assert.ok(r.logged(/^error: Operation 'reboot' targeting node2 by node1 for pacemaker-controld\.1000@node1: Error occurred \(complete\)/).length);
  assert.equal(r.fencer.history('node2')[0]!.state, 'failed');
});

test('a hanging agent is killed at stonith-timeout, not retried, and the operation reports Timed Out', async () => {
  const r = new FencerRig().agent('fence_hang', OFF_ON, () => ({ code: 0, hang: true }));
  await r.configure(cib([{ id: 'h', agent: 'fence_hang', params: { pcmk_host_list: 'node2' } }], { 'stonith-timeout': '5s' }));
  const res = await r.fence({ target: 'node2' });
  assert.equal(res.ok, false);
  assert.equal(res.execStatus, 'Timed Out');
  assert.ok(res.tookMs >= 5000 && res.tookMs <= 5200, `took ${res.tookMs} ms`);
  assert.equal(r.calls().length, 1, 'no retry after a timeout');
  assert.ok(r.logged(/could not be executed: Timed Out \(Fence agent did not complete within 5s\)/).length, r.logs.join('\n'));
  // pcmk_reboot_timeout overrides stonith-timeout for that device.
  const r2 = new FencerRig().agent('fence_hang', OFF_ON, () => ({ code: 0, hang: true }));
  await r2.configure(cib([{ id: 'h', agent: 'fence_hang', params: { pcmk_host_list: 'node2', pcmk_reboot_timeout: '2' } }], { 'stonith-timeout': '5s' }));
  const res2 = await r2.fence({ target: 'node2' });
  assert.ok(res2.tookMs >= 2000 && res2.tookMs < 2300, `took ${res2.tookMs} ms`);
});

test('a failure then a success within 70 % of the timeout is retried once and succeeds; agents without reboot get off', async () => {
  const r = new FencerRig().agent('fence_flaky', ['off', 'on', 'status'], (_a, n) => ({ code: n === 0 ? 1 : 0, durationMs: 300 }));
  await r.configure(cib([{ id: 'fl', agent: 'fence_flaky', params: { pcmk_host_list: 'node2' } }]));
  const res = await r.fence({ target: 'node2' });
  assert.equal(res.ok, true);
  assert.deepEqual(r.calls().map((c) => c.args.action), ['off', 'off']);
  assert.ok(r.logged(/Remapping 'reboot' action targeting node2 using fl to 'off' because agent 'fence_flaky' does not support reboot/).length);
  assert.ok(r.logged(/Attempt 2 to execute fence_flaky \(off\)\. remaining timeout is 59/).length, r.logs.join('\n'));
});

test('delays: pcmk_delay_max picks a random delay, pcmk_delay_base a fixed one, the requested (priority-fencing) delay adds to them', async () => {
  const r = new FencerRig().agent('fence_x', OFF_ON, ok);
  await r.configure(cib([{ id: 'd', agent: 'fence_x', params: { pcmk_host_list: 'node2 node3', pcmk_delay_max: '10s', pcmk_delay_base: 'node2:3s;node3:0' } }]));
  r.randoms = [4];
  const start = r.clock.now() - r.t0;
  const res = await r.fence({ target: 'node2', delayMs: 5000 });
  assert.equal(r.calls()[0]!.at - start, 5000 + 3000 + 4000, 'requested 5 s + base 3 s + random 4 s of (max - base)');
  assert.ok(res.ok);
  assert.ok(r.logged(/Delaying 'reboot' action targeting node2 using d for 12s \| timeout=60s requested_delay=5s base=3s max=10s/).length, r.logs.join('\n'));
  const before = r.calls().length;
  await r.fence({ target: 'node3', delayMs: -1 });
  assert.equal(r.calls()[before]!.at - r.calls()[before - 1]!.at < 1000, true, 'a negative requested delay disables pcmk_delay_*');
});

test('one operation per target: an identical request from another client is merged, a different action waits its turn', async () => {
  const r = new FencerRig().agent('fence_x', OFF_ON, () => ({ code: 0, durationMs: 2000 }));
  await r.configure(cib([{ id: 'x', agent: 'fence_x', params: { pcmk_host_list: 'node2' } }]));
  const got: Array<[string, boolean, number]> = [];
  const t0 = r.clock.now();
  const track = (p: Promise<{ client: string; merged: boolean }>) => p.then((x) => got.push([x.client, x.merged, r.clock.now() - t0]));
  track(r.fencer.fence({ target: 'node2', action: 'reboot', client: 'pacemaker-controld.1', origin: 'node1' }));
  track(r.fencer.fence({ target: 'node2', action: 'reboot', client: 'stonith_admin.7', origin: 'node1' }));
  track(r.fencer.fence({ target: 'node2', action: 'off', client: 'stonith_admin.8', origin: 'node1' }));
  for (let i = 0; i < 100; i++) { r.clock.advance(100); await Promise.resolve(); await Promise.resolve(); }
  assert.deepEqual(r.calls().map((c) => c.args.action), ['reboot', 'off'], 'one reboot for both reboot requests, then the off');
  assert.deepEqual(got.map(([c, m]) => [c, m]), [['pacemaker-controld.1', false], ['stonith_admin.7', true], ['stonith_admin.8', false]]);
  assert.ok(got[2]![2] >= got[0]![2] + 2000, 'the off started only after the reboot finished');
  assert.ok(r.logged(/Merging fencing action 'reboot' targeting node2 originating from client stonith_admin\.7 with identical request from pacemaker-controld\.1@node1/).length);
  assert.equal(r.notified.length, 2, 'two operations ran');
});

test('stonith_admin --confirm records a manual fencing by "a human"', async () => {
  const r = new FencerRig();
  await r.configure(cib([]));
  const res = r.fencer.confirm('node2', 'stonith_admin.9', 'node1');
  assert.equal(res.ok, true);
  assert.equal(res.delegate, 'a human');
  assert.ok(r.logged(/Received manual confirmation that node2 has been fenced/).length);
  assert.equal(r.notified.length, 1);
});

test('pcmk_action_limit: one agent per device at a time by default (two nodes on one PDU run one after the other); -1 lifts it', async () => {
  for (const [limit, gap] of [[undefined, 2000], ['-1', 0]] as const) {
    const r = new FencerRig().agent('fence_pdu', OFF_ON, () => ({ code: 0, durationMs: 2000 }));
    await r.configure(cib([{ id: 'pdu', agent: 'fence_pdu', params: { pcmk_host_list: 'node2 node3', ...(limit ? { pcmk_action_limit: limit } : {}) } }]));
    const done: string[] = [];
    void r.fencer.fence({ target: 'node2', action: 'reboot', client: 'c', origin: 'node1' }).then((x) => done.push(`${x.target} ${x.ok}`));
    void r.fencer.fence({ target: 'node3', action: 'reboot', client: 'c', origin: 'node1' }).then((x) => done.push(`${x.target} ${x.ok}`));
    for (let i = 0; i < 60; i++) { r.clock.advance(100); await Promise.resolve(); await Promise.resolve(); }
    assert.deepEqual(done, ['node2 true', 'node3 true']);
    const [a, b] = r.calls();
    assert.equal(b!.at - a!.at, gap, `limit ${limit ?? 'default'}: node3's agent started ${b!.at - a!.at} ms after node2's`);
  }
});
