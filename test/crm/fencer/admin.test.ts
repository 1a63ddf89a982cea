// stonith_admin against a fencer on the manual clock: Pacemaker's option names, list and history output, the
// "Couldn't fence" line and its exit codes, and the fence_* control requests the daemon answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stonithAdmin, directBackend, parseAdminArgs, historyLine } from '../../../src/crm/fencer/index.js';
import { FencerRig, cib } from './twin.js';

const OFF_ON = ['on', 'off', 'reboot', 'status'];

/** Runs stonith_admin ARGS while the rig's clock moves on. */
async function admin(r: FencerRig, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  let code: number | undefined;
  void stonithAdmin(args, directBackend(r.fencer, 'node1', 'stonith_admin.42', async () => ['fence_ipmilan', 'external/ipmi']), { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }).then((c) => { code = c; });
  for (let i = 0; i < 3000 && code === undefined; i++) { r.clock.advance(100); await Promise.resolve(); await Promise.resolve(); await Promise.resolve(); }
  assert.notEqual(code, undefined, 'stonith_admin finished');
  return { code: code!, out, err };
}

test('stonith_admin options: Pacemaker\'s long and short names, one command at a time', () => {
  assert.deepEqual(parseAdminArgs(['--reboot', 'node2', '-t', '30']).command, { kind: 'fence', action: 'reboot', target: 'node2' });
  assert.equal(parseAdminArgs(['--reboot=node2', '--timeout=30']).timeoutS, 30);
  assert.deepEqual(parseAdminArgs(['-F', 'node2']).command, { kind: 'fence', action: 'off', target: 'node2' });
  assert.deepEqual(parseAdminArgs(['--off', 'node2']).command, { kind: 'fence', action: 'off', target: 'node2' });
  assert.match(parseAdminArgs(['-L', '-B', 'x']).error!, /only one command/);
  assert.match(parseAdminArgs(['--bogus']).error!, /Unknown option --bogus/);
});

test('list, reboot, history and confirm through stonith_admin; failures print Couldn\'t fence with Pacemaker\'s exit codes', async () => {
  const r = new FencerRig()
    .agent('fence_good', OFF_ON, () => ({ code: 0, durationMs: 300 }))
    .agent('fence_hang', OFF_ON, () => ({ code: 0, hang: true }))
    .agent('fence_fail', OFF_ON, () => ({ code: 1, stderr: 'Failed: Unable to obtain correct plug status\n' }));
  await r.configure(cib([
    { id: 'f_node2', agent: 'fence_good', params: { pcmk_host_list: 'node2' } },
    { id: 'f_node3', agent: 'fence_hang', params: { pcmk_host_list: 'node3' } },
    { id: 'f_node4', agent: 'fence_fail', params: { pcmk_host_list: 'node4' } },
  ]));
  assert.deepEqual(await admin(r, ['--list-registered']), { code: 0, out: 'f_node2\nf_node3\nf_node4\n3 fence devices found\n', err: '' });
  assert.deepEqual(await admin(r, ['--list', 'node2']), { code: 0, out: 'f_node2\n1 fence device found\n', err: '' });
  assert.deepEqual(await admin(r, ['-I']), { code: 0, out: 'fence_ipmilan\nexternal/ipmi\n2 fence devices found\n', err: '' });
  assert.deepEqual(await admin(r, ['--reboot', 'node2']), { code: 0, out: '', err: '' });
  assert.deepEqual(await admin(r, ['--reboot', 'node3', '--timeout', '5']), { code: 124, out: '', err: 'stonith_admin: Couldn\'t fence node3: Timer expired (Fence agent did not complete within 5s)\n' });
  assert.deepEqual(await admin(r, ['--fence', 'node4']), { code: 1, out: '', err: 'stonith_admin: Couldn\'t fence node4: Error\n' });
  assert.deepEqual(await admin(r, ['--reboot', 'node9']), { code: 105, out: '', err: 'stonith_admin: Couldn\'t fence node9: No such device\n' });
  const h = await admin(r, ['--history', 'node2']);
  assert.match(h.out, /^reboot of node2 successful: delegate=node1, client=stonith_admin\.42, origin=node1, last-successful='2026-12-07 06:0\d:\d\dZ'\n1 event found\n$/);
  const all = await admin(r, ['--history', '*', '--verbose']);
  assert.match(all.out, /^turning off of node4 failed: delegate=node1, client=stonith_admin\.42, origin=node1, completed='[^']+'\n/m);
  assert.match(all.out, /^reboot of node3 failed \(Fence agent did not complete within 5s\): delegate=node1,/m);
  assert.match(all.out, /^4 events found$/m, 'node9 had no device: recorded too');
  assert.deepEqual(await admin(r, ['--confirm', 'node5']), { code: 0, out: '', err: '' });
  assert.match((await admin(r, ['-H', 'node5'])).out, /^turning off of node5 successful: delegate=a human, client=stonith_admin\.42/);
  assert.equal((await admin(r, [])).code, 64);
});

test('the fence_* control requests a daemon forwards to its fencer', async () => {
  const r = new FencerRig().agent('fence_good', OFF_ON, () => ({ code: 0, durationMs: 300 }));
  await r.configure(cib([{ id: 'f_node2', agent: 'fence_good', params: { pcmk_host_list: 'node2' } }]));
  assert.equal(r.fencer.control({ cmd: 'status' }), undefined, 'not the fencer\'s');
  assert.deepEqual(await r.fencer.control({ cmd: 'fence_list_registered' }), { ok: true, devices: ['f_node2'] });
  const p = r.fencer.control({ cmd: 'fence_request', target: 'node2', action: 'reboot', client: 'stonith_admin.7' })!;
  for (let i = 0; i < 20; i++) { r.clock.advance(100); await Promise.resolve(); }
  const a = (await p) as { ok: boolean; result: { ok: boolean; devices: string[] } };
  assert.equal(a.ok, true);
  assert.deepEqual([a.result.ok, a.result.devices], [true, ['f_node2']]);
  assert.deepEqual(await r.fencer.control({ cmd: 'fence_request', target: 'node2', action: 'kaboom' }), { ok: false, error: 'fence_request needs a target and an action (reboot, off or on)' });
  const hist = (await r.fencer.control({ cmd: 'fence_history', target: 'node2' })) as { history: Parameters<typeof historyLine>[0][] };
  assert.match(historyLine(hist.history[0]!, true), /^reboot of node2 successful: delegate=node1, client=stonith_admin\.7/);
});
