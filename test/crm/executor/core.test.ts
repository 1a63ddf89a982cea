// The executor core driven on a manual clock with the twin's scripted agents: environment, timeouts, recurring
// monitors with start-delay, cancellation, per-resource serialization and the rc / status mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExecutorCore, Executor, ManualClock, TwinLauncher, Faults, dummyAgent, statefulAgent, ipAddrAgent, defaultInvocationConfig,
  parseAgentRef, EXEC, OCF, severityOf, normalizeOcfRc, lsbToOcf, fenceToOcf, type OpRequest, type OpResult, type AgentRef,
} from '../../../src/crm/executor/index.js';

const DUMMY = parseAgentRef('ocf:heartbeat:Dummy') as AgentRef;
const IP = parseAgentRef('ocf:heartbeat:IPaddr2') as AgentRef;
const req = (over: Partial<OpRequest> & { action: string }): OpRequest => ({ rscId: 'app', agent: DUMMY, intervalMs: 0, timeoutMs: 20_000, params: {}, ...over });

/** An executor on a manual clock with Dummy, Stateful and IPaddr2 twins installed, collecting results and logs. */
function rig(faults = new Faults()) {
  const clock = new ManualClock();
  const twin = new TwinLauncher(clock)
    .install('/usr/lib/ocf/resource.d/heartbeat/Dummy', faults.wrap(dummyAgent()))
    .install('/usr/lib/ocf/resource.d/pacemaker/Stateful', statefulAgent())
    .install('/usr/lib/ocf/resource.d/heartbeat/IPaddr2', ipAddrAgent())
    .install('/usr/sbin/fence_dummy', ({ stdin }) => ({ code: /^action=monitor$/m.test(stdin ?? '') && /^port=n1$/m.test(stdin ?? '') ? 0 : 1 }));
  const logs: string[] = [];
  const ex = new Executor({ launcher: twin, clock, config: { nodeName: 'node1' }, log: (l, t) => logs.push(`${l}: ${t}`) });
  const results: Array<OpResult & { at: number }> = [];
  const submit = (r: OpRequest) => ex.submit(r, (x) => results.push({ ...x, at: clock.now() - t0 }));
  const t0 = clock.now();
  return { clock, twin, ex, logs, results, submit, t0, faults };
}

test('an OCF agent gets OCF_ROOT, OCF_RESKEY_<param> and OCF_RESKEY_CRM_meta_* with times in ms, as execd sets them', () => {
  const core = new ExecutorCore(defaultInvocationConfig({ nodeName: 'server1' }));
  const s = core.submit(req({ rscId: 'vip', agent: IP, action: 'monitor', intervalMs: 5000, timeoutMs: 15_000, params: { ip: '10.235.1.50', cidr_netmask: '24' }, meta: { 'migration-threshold': '2' } }), 0);
  const launch = s.effects.find((e) => e.kind === 'launch');
  assert.ok(launch && launch.kind === 'launch');
  assert.deepEqual(launch.argv, ['/usr/lib/ocf/resource.d/heartbeat/IPaddr2', 'monitor']);
  const env = launch.env;
  assert.equal(env.OCF_ROOT, '/usr/lib/ocf');
  assert.equal(env.OCF_RESOURCE_INSTANCE, 'vip');
  assert.equal(env.OCF_RESOURCE_TYPE, 'IPaddr2');
  assert.equal(env.OCF_RESOURCE_PROVIDER, 'heartbeat');
  assert.equal(env.OCF_RESKEY_ip, '10.235.1.50');
  assert.equal(env.OCF_RESKEY_cidr_netmask, '24');
  assert.equal(env.OCF_RESKEY_CRM_meta_timeout, '15000');
  assert.equal(env.OCF_RESKEY_CRM_meta_interval, '5000');
  assert.equal(env.OCF_RESKEY_CRM_meta_name, 'monitor');
  assert.equal(env.OCF_RESKEY_CRM_meta_on_node, 'server1');
  assert.equal(env.OCF_RESKEY_CRM_meta_migration_threshold, '2');
  assert.equal(env.OCF_RA_VERSION_MAJOR, '1');
  assert.ok(s.effects.some((e) => e.kind === 'log' && e.text === `executing - rsc:vip action:monitor call_id:${s.callId}`));
});

test('a hanging start is killed (process group SIGKILL) at its timeout and reported "Timed Out", rc 1', () => {
  const { clock, logs, results, submit, faults } = rig();
  faults.inject('start', { code: 0, hang: true });
  submit(req({ action: 'start', timeoutMs: 2000 }));
  clock.advance(1999);
  assert.equal(results.length, 0, 'still running before its timeout');
  clock.advance(1);
  assert.equal(results.length, 1);
  const r = results[0]!;
  assert.equal(r.opStatus, EXEC.TIMEOUT);
  assert.equal(r.rc, OCF.UNKNOWN_ERROR);
  assert.equal(r.execMs, 2000);
  assert.match(logs.join('\n'), /warning: app_start_0\[\d+\] timed out after 2000ms/);
  assert.match(logs.join('\n'), /error: Result of start operation for app on node1: Timed Out/);
});

test('a recurring monitor first runs after its start-delay, then an interval after each completion', () => {
  const { clock, results, submit } = rig();
  submit(req({ action: 'start' }));
  clock.advance(100);
  submit(req({ action: 'monitor', intervalMs: 5000, timeoutMs: 15_000, startDelayMs: 15_000 }));
  clock.advance(31_000);
  const mon = results.filter((r) => r.request.action === 'monitor');
  // Runs take the twin's 10 ms: 15.110 s, then 5 s after each completion.
  assert.deepEqual(mon.map((r) => r.at), [15_110, 20_120, 25_130, 30_140]);
  assert.ok(mon.every((r) => r.rc === 0 && r.callId === mon[0]!.callId), 'runs share the call id and answer running');
  assert.deepEqual(mon.map((r) => r.changed), [true, false, false, false]);
});

test('the monitor finds a removed state file: rc 7 reported as a change, then repeats quietly', () => {
  const { clock, twin, results, submit } = rig();
  submit(req({ action: 'start' }));
  submit(req({ action: 'monitor', intervalMs: 1000 }));
  clock.advance(1500);
  twin.host.files.delete('/run/resource-agents/Dummy-app.state');
  clock.advance(3000);
  const mon = results.filter((r) => r.request.action === 'monitor').map((r) => [r.rc, r.changed]);
  assert.deepEqual(mon, [[0, true], [0, false], [7, true], [7, false], [7, false]]);
});

test('cancelling a waiting recurring monitor reports Cancelled and no run follows; a running one is killed', () => {
  const { clock, results, submit, ex, faults } = rig();
  submit(req({ action: 'start' }));
  submit(req({ action: 'monitor', intervalMs: 1000 }));
  clock.advance(500);
  assert.equal(ex.cancel('app', 'monitor', 1000), true);
  clock.advance(5000);
  assert.deepEqual(results.map((r) => `${r.request.action}:${r.opStatus}`), ['start:0', 'monitor:0', 'monitor:1']);
  assert.equal(ex.cancel('app', 'monitor', 1000), false, 'nothing left to cancel');
  faults.inject('monitor', { code: 0, hang: true });
  submit(req({ action: 'monitor', intervalMs: 2000, timeoutMs: 60_000 }));
  clock.advance(100);
  assert.equal(ex.cancel('app', 'monitor', 2000), true);
  clock.advance(10);
  const last = results.at(-1)!;
  assert.equal(last.opStatus, EXEC.CANCELLED);
  assert.ok(last.execMs < 200, 'killed at the cancel, not at its timeout');
  clock.advance(10_000);
  assert.equal(results.at(-1), last, 'no run after the cancel');
});

test('operations on one resource run one at a time in order; another resource runs in parallel', () => {
  const { clock, results, submit, faults, twin } = rig();
  faults.inject('start', { code: 0, durationMs: 300 });
  submit(req({ action: 'start' }));
  submit(req({ action: 'monitor' }));
  submit(req({ rscId: 'other', action: 'start' }));
  clock.advance(1000);
  assert.deepEqual(twin.host.journal, ['app start', 'other start', 'app monitor']);
  const at = Object.fromEntries(results.map((r) => [`${r.request.rscId} ${r.request.action}`, r]));
  assert.equal(at['other start']!.at, 10, 'other resource not held up');
  assert.equal(at['app monitor']!.at, 310, 'monitor waited for the start');
  assert.equal(at['app monitor']!.queueMs, 300);
  // The faulted start answered 0 without acting; the real probe thus sees the resource stopped.
  assert.equal(at['app monitor']!.rc, 7);
});

test('a promotable agent: monitor answers 8 when promoted, 0 after demote; a missing agent is rc 5 not installed', () => {
  const { clock, results, submit } = rig();
  const st = parseAgentRef('ocf:pacemaker:Stateful') as AgentRef;
  for (const action of ['start', 'promote', 'monitor', 'demote', 'monitor']) submit(req({ rscId: 'db', agent: st, action }));
  submit(req({ rscId: 'x', agent: parseAgentRef('ocf:heartbeat:NoSuchAgent') as AgentRef, action: 'start' }));
  clock.advance(1000);
  assert.deepEqual(results.filter((r) => r.request.rscId === 'db').map((r) => r.rc), [0, 0, 8, 0, 0]);
  const x = results.find((r) => r.request.rscId === 'x')!;
  assert.equal(x.rc, OCF.NOT_INSTALLED);
  assert.equal(x.opStatus, EXEC.NOT_INSTALLED);
});

test('IPaddr2 without ip is not configured (6, fatal) with its exit reason; fence agents read key=value on stdin', () => {
  const { clock, results, submit } = rig();
  submit(req({ rscId: 'vip', agent: IP, action: 'start' }));
  const fence = parseAgentRef('stonith:fence_dummy') as AgentRef;
  submit(req({ rscId: 'f1', agent: fence, action: 'start', params: { port: 'n1', pcmk_host_list: 'n1' } }));
  submit(req({ rscId: 'f2', agent: fence, action: 'monitor', params: { port: 'n2' } }));
  submit(req({ rscId: 'f3', agent: fence, action: 'stop' }));
  clock.advance(1000);
  const by = (id: string) => results.find((r) => r.request.rscId === id)!;
  assert.equal(by('vip').rc, 6);
  assert.equal(by('vip').exitReason, 'IP address (the ip parameter) is mandatory');
  assert.equal(severityOf(by('vip').rc, 0), 'fatal');
  assert.equal(by('f1').rc, 0);
  assert.equal(by('f2').rc, 1);
  assert.equal(by('f3').rc, 0);
  assert.equal(by('f3').execMs, 0, 'stop of a fence device runs no agent');
});

test('rc mapping: OCF severities, out-of-range codes, LSB status codes and fence agents as Pacemaker maps them', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((rc) => severityOf(rc, 0)),
    ['none', 'soft', 'hard', 'hard', 'hard', 'hard', 'fatal', 'soft', 'soft', 'soft']);
  assert.equal(severityOf(7, 7), 'none');
  assert.equal(severityOf(190, 0), 'none');
  assert.equal(normalizeOcfRc(42), 1);
  assert.equal(normalizeOcfRc(191), 191);
  assert.equal(normalizeOcfRc(-1), 1);
  assert.deepEqual([0, 1, 2, 3, 4, 150, 151, 9].map((c) => lsbToOcf('status', c)), [0, 7, 7, 7, 1, 5, 4, 1]);
  assert.deepEqual([0, 1, 5, 7, 8].map((c) => lsbToOcf('start', c)), [0, 1, 5, 7, 1]);
  assert.deepEqual([fenceToOcf('monitor', 0), fenceToOcf('monitor', 2), fenceToOcf('metadata', 2)], [0, 7, 1]);
});

test('an LSB monitor runs the script\'s status; systemd units are asked with systemctl is-active', () => {
  const core = new ExecutorCore(defaultInvocationConfig());
  const l = core.submit(req({ rscId: 'ssh', agent: parseAgentRef('lsb:ssh') as AgentRef, action: 'monitor' }), 0).effects.find((e) => e.kind === 'launch');
  assert.ok(l && l.kind === 'launch');
  assert.deepEqual(l.argv, ['/etc/init.d/ssh', 'status']);
  const s = core.submit(req({ rscId: 'web', agent: parseAgentRef('systemd:nginx') as AgentRef, action: 'monitor' }), 0).effects.find((e) => e.kind === 'launch');
  assert.ok(s && s.kind === 'launch');
  assert.deepEqual(s.argv, ['systemctl', 'is-active', '--quiet', 'nginx.service']);
  assert.equal(typeof parseAgentRef('ocf:Dummy'), 'string');
  assert.equal(typeof parseAgentRef('upstart:ssh'), 'string');
  assert.deepEqual(parseAgentRef('heartbeat:IPaddr'), { cls: 'heartbeat', type: 'IPaddr' }, 'heartbeat\'s resource.d scripts are a class');
});

test('1,000 resources with 10 s monitors on the twin: every monitor runs each interval, cost per run measured', (t) => {
  const { clock, results, submit } = rig();
  for (let i = 0; i < 1000; i++) submit(req({ rscId: `r${i}`, action: 'start' }));
  clock.advance(100);
  for (let i = 0; i < 1000; i++) submit(req({ rscId: `r${i}`, action: 'monitor', intervalMs: 10_000 }));
  const t0 = performance.now();
  clock.advance(60_000);
  const ms = performance.now() - t0;
  const runs = results.filter((r) => r.request.action === 'monitor');
  // First run at once, then every 10.01 s: 6 runs in the minute per resource.
  assert.equal(runs.length, 6000);
  assert.ok(runs.every((r) => r.rc === 0));
  t.diagnostic(`${runs.length} twin monitor runs in ${ms.toFixed(0)} ms (${((ms * 1000) / runs.length).toFixed(0)} µs per run, core + twin + clock)`);
});

test('bad input: a zero timeout runs with the 20 s default; a throwing result handler is logged, the executor goes on', () => {
  const { clock, logs, results, ex, submit, faults } = rig();
  faults.inject('start', { code: 0, hang: true });
  submit(req({ action: 'start', timeoutMs: 0 }));
  clock.advance(19_999);
  assert.equal(results.length, 0, 'not killed at once');
  clock.advance(1);
  assert.equal(results[0]!.opStatus, EXEC.TIMEOUT);
  assert.match(logs.join('\n'), /warning: app_start_0: invalid timeout 0, using 20000ms/);
  ex.submit(req({ rscId: 'b', action: 'start' }), () => { throw new Error('handler bug'); });
  submit(req({ rscId: 'b', action: 'monitor' }));
  clock.advance(100);
  assert.match(logs.join('\n'), /error: result handler for call \d+ failed: handler bug/);
  assert.equal(results.at(-1)!.request.rscId, 'b');
  assert.equal(results.at(-1)!.rc, 0, 'the next operation still ran');
});
