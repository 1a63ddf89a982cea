// Real agents from Debian's resource-agents run by the executor on namespace hosts: IPaddr2 start/monitor/stop,
// Dummy with its state in the host's private /run, a hanging agent killed with its children at its timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { isAlive, withCluster, type Host } from '../../../src/harness/index.js';
import { Executor, processLauncher, parseAgentRef, EXEC, OCF, NodeHistory, type OpRequest, type OpResult, type AgentRef } from '../../../src/crm/executor/index.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2') && existsSync('/usr/lib/ocf/resource.d/heartbeat/Dummy');
const skip = canRun ? false : 'needs root and Debian\'s resource-agents';
const DUMMY = parseAgentRef('ocf:heartbeat:Dummy') as AgentRef;
const IP = parseAgentRef('ocf:heartbeat:IPaddr2') as AgentRef;

/** An executor whose agents run on `h` (its netns, hostname and private /run), logging into `logs`. */
function executorOn(h: Host, logs: string[], ocfRoot?: string): Executor {
  return new Executor({ launcher: processLauncher((argv) => h.wrap(argv)), config: { nodeName: h.hostname, ...(ocfRoot ? { ocfRoot } : {}) }, log: (l, t) => logs.push(`${l}: ${t}`) });
}
const op = (over: Partial<OpRequest> & { action: string }): OpRequest => ({ rscId: 'app', agent: DUMMY, intervalMs: 0, timeoutMs: 20_000, params: {}, ...over });
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

test('real agents on namespace hosts: IPaddr2, Dummy in a private /run, a hang killed at its timeout, fence_dummy, exec-op', { skip, timeout: 120_000 }, async (t) => {
  await withCluster({ prefix: 'hx-ex', networks: ['10.235.1.0/24'], hosts: ['server1', 'server2'] }, async (c) => {
    const [s1, s2] = [c.host('server1'), c.host('server2')];
    const logs: string[] = [];
    const ex1 = executorOn(s1, logs), ex2 = executorOn(s2, logs);

    await t.test('IPaddr2 puts 10.235.1.50 on eth0, its monitor sees it, a recurring monitor detects its removal, stop removes it', async () => {
      const vip = { ip: '10.235.1.50', cidr_netmask: '24', nic: 'eth0' };
      assert.equal((await ex1.run(op({ rscId: 'vip', agent: IP, action: 'monitor', params: vip }))).rc, OCF.NOT_RUNNING, 'probe: not running');
      const start = await ex1.run(op({ rscId: 'vip', agent: IP, action: 'start', params: vip }));
      assert.equal(start.rc, OCF.OK, start.stderr);
      assert.ok(await s1.hasAddress('10.235.1.50'));
      assert.ok(!(await s2.hasAddress('10.235.1.50')));
      const seen: OpResult[] = [];
      const history = new NodeHistory('server1');
      let failedAt = 0;
      const detected = new Promise<void>((res) => ex1.submit(op({ rscId: 'vip', agent: IP, action: 'monitor', intervalMs: 500, timeoutMs: 10_000, params: vip }), (r) => {
        seen.push(r);
        history.record(r);
        if (r.rc === OCF.NOT_RUNNING && !failedAt) { failedAt = Date.now(); res(); }
      }));
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 50));
      assert.ok(seen.every((r) => r.rc === OCF.OK));
      const removedAt = Date.now();
      await s1.execNet(['ip', 'addr', 'del', '10.235.1.50/24', 'dev', 'eth0']);
      await detected;
      assert.ok(ex1.cancel('vip', 'monitor', 500));
      t.diagnostic(`IPaddr2 start ${start.execMs} ms; removed address detected by the 500 ms monitor after ${failedAt - removedAt} ms`);
      assert.ok(failedAt - removedAt < 2000);
      assert.equal(history.attrs.get('fail-count-vip#monitor_500'), '1');
      const stop = await ex1.run(op({ rscId: 'vip', agent: IP, action: 'stop', params: vip }));
      assert.equal(stop.rc, OCF.OK);
    });

    await t.test('Dummy keeps its state in the host\'s own /run/resource-agents: started on server1, stopped on server2', async () => {
      assert.equal((await ex1.run(op({ action: 'monitor' }))).rc, OCF.NOT_RUNNING);
      assert.equal((await ex1.run(op({ action: 'start' }))).rc, OCF.OK);
      assert.ok(existsSync(join(s1.dirs.run, 'resource-agents', 'Dummy-app.state')), 'state file in server1\'s private /run');
      assert.ok(!existsSync('/run/resource-agents/Dummy-app.state'), 'not in the machine\'s /run');
      assert.equal((await ex2.run(op({ action: 'monitor' }))).rc, OCF.NOT_RUNNING, 'server2 has its own /run');
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        const r = await ex1.run(op({ action: 'monitor' }));
        times.push(performance.now() - t0);
        assert.equal(r.rc, OCF.OK);
      }
      t.diagnostic(`Dummy monitor on a namespace host: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${times.length} runs (incl. netns+mount namespace entry)`);
      rmSync(join(s1.dirs.run, 'resource-agents', 'Dummy-app.state'));
      assert.equal((await ex1.run(op({ action: 'monitor' }))).rc, OCF.NOT_RUNNING, 'removed state file: not running');
      assert.equal((await ex1.run(op({ action: 'stop' }))).rc, OCF.OK);
      assert.match(logs.join('\n'), /info: app start \(call \d+, PID \d+\) exited with status 0 \(execution time \d+(\.\d+)?m?s\)/);
    });

    await t.test('a hanging agent and the child it forked are killed at the timeout; the result is Timed Out', async () => {
      const root = mkdtempSync(join(tmpdir(), 'hx-ocf-'));
      try {
        mkdirSync(join(root, 'resource.d', 'hx'), { recursive: true });
        const script = join(root, 'resource.d', 'hx', 'Hang');
        writeFileSync(script, `#!/bin/sh\ncase "$1" in\n  start) sleep 300 & echo $$ $! > "${root}/pids"; sleep 300 ;;\n  *) exit 0 ;;\nesac\n`);
        chmodSync(script, 0o755);
        const ex = executorOn(s1, logs, root);
        const t0 = performance.now();
        const r = await ex.run(op({ rscId: 'hang', agent: parseAgentRef('ocf:hx:Hang') as AgentRef, action: 'start', timeoutMs: 1000 }));
        const took = performance.now() - t0;
        assert.equal(r.opStatus, EXEC.TIMEOUT);
        assert.equal(r.rc, OCF.UNKNOWN_ERROR);
        assert.ok(took >= 1000 && took < 3000, `took ${took} ms`);
        const pids = readFileSync(join(root, 'pids'), 'utf8').trim().split(/\s+/).map(Number);
        await new Promise((res) => setTimeout(res, 100));
        assert.deepEqual(pids.filter(isAlive), [], 'the agent and its sleep are gone');
        t.diagnostic(`hanging start (timeout 1000 ms) reported after ${took.toFixed(0)} ms`);
        assert.match(logs.join('\n'), /warning: hang_start_0\[\d+\] timed out after 1000ms/);
      } finally { rmSync(root, { recursive: true, force: true }); }
    });

    await t.test('fence_dummy as stonith:fence_dummy (key=value on stdin); a missing OCF agent is rc 5 not installed', async () => {
      const fence = parseAgentRef('stonith:fence_dummy') as AgentRef;
      const meta = await ex2.run(op({ rscId: 'fence1', agent: fence, action: 'meta-data' }));
      assert.equal(meta.rc, OCF.OK);
      assert.match(meta.stdout, /<resource-agent name="fence_dummy"/);
      assert.equal((await ex2.run(op({ rscId: 'fence1', agent: fence, action: 'start', params: { pcmk_host_list: 'server1' } }))).rc, OCF.OK);
      assert.equal((await ex2.run(op({ rscId: 'fence1', agent: fence, action: 'monitor' }))).rc, OCF.OK);
      const missing = await ex2.run(op({ rscId: 'x', agent: parseAgentRef('ocf:heartbeat:NoSuchAgent') as AgentRef, action: 'start' }));
      assert.equal(missing.rc, OCF.NOT_INSTALLED);
    });

    await t.test('lifeline crm exec-op on the host: exit code is the agent\'s rc', async () => {
      const cli = [process.execPath, resolve('bin/lifeline.js'), 'crm', 'exec-op', 'ocf:heartbeat:Dummy'];
      assert.equal((await s2.exec([...cli, 'monitor', '-r', 'web', '-q'])).code, 7);
      assert.equal((await s2.exec([...cli, 'start', '-r', 'web', '-q'])).code, 0);
      const mon = await s2.exec([...cli, 'monitor', '-r', 'web', '--interval', '10s']);
      assert.equal(mon.code, 0);
      assert.match(mon.stderr, /Result of monitor operation for web on server2: ok/);
      assert.equal((await s2.exec([...cli, 'stop', '-r', 'web', '-q'])).code, 0);
      assert.equal((await s2.exec([process.execPath, resolve('bin/lifeline.js'), 'crm', 'exec-op', 'ocf:heartbeat:IPaddr2', 'start', 'ip=', '-q'])).code, 6);
    });
  });
});
