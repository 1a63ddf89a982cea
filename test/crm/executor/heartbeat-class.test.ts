// The heartbeat class (heartbeat:NAME, /etc/ha.d/resource.d scripts as haresources ran them) in the executor: the
// `::` arguments as parameters 1, 2, ... before the verb, monitor as `status` read from its output as heartbeat does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultInvocationConfig, HEARTBEAT_STATUS, invocationFor } from '../../../src/crm/executor/invocation.js';
import { parseAgentRef, type OpRequest } from '../../../src/crm/executor/types.js';
import { statusOutputSaysRunning } from '../../../src/resources/agents/agent.js';
import { millis } from '../../../src/types.js';

/** Runs an invocation as the executor's process adapter would, and maps its exit code. */
function runOp(req: OpRequest, dir: string): number {
  const inv = invocationFor(req, defaultInvocationConfig({ heartbeatDir: dir }));
  assert.equal(inv.kind, 'run');
  if (inv.kind !== 'run') return -1;
  const r = spawnSync(inv.argv[0]!, inv.argv.slice(1), { env: inv.env, encoding: 'utf8' });
  return inv.mapRc(r.status ?? -1);
}

test('a heartbeat script gets its arguments before the verb; monitor is status read from the output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-hbclass-'));
  try {
    const state = join(dir, 'state');
    // As heartbeat's resource.d scripts are: ARGS... start|stop|status, status printing running/stopped, exit 0.
    writeFileSync(join(dir, 'svc'), `#!/bin/sh\nS=${state}\ncase "$2" in start) echo "$1" > $S;; stop) rm -f $S;; status) [ -e $S ] && echo "svc $(cat $S) is running" || echo "svc is stopped";; esac\nexit 0\n`, { mode: 0o755 });
    const agent = parseAgentRef('heartbeat:svc');
    assert.ok(typeof agent !== 'string', String(agent));
    const req = (action: string): OpRequest => ({ rscId: 'svc', agent, action, intervalMs: millis(0), timeoutMs: millis(20000), params: { 1: 'r0' } });
    assert.equal(runOp(req('monitor'), dir), 7, 'stopped before the start');
    assert.equal(runOp(req('start'), dir), 0);
    assert.ok(existsSync(state));
    assert.equal(runOp(req('monitor'), dir), 0, 'running after the start');
    assert.equal(runOp(req('stop'), dir), 0);
    assert.equal(runOp(req('monitor'), dir), 7);
    assert.equal(runOp({ ...req('monitor'), agent: { cls: 'heartbeat', type: 'nosuch' } }, dir), 5, 'a missing script is not installed');
    assert.equal(invocationFor(req('promote'), defaultInvocationConfig()).kind, 'answer');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shell reading of status output agrees with statusOutputSaysRunning on every sample', () => {
  const samples = ['running', 'httpd is running', 'OK', 'stopped', 'not running', 'httpd is not running', 'NOT Running', '', 'Running (pid 12)', 'unknown'];
  for (const out of samples) {
    const r = spawnSync('/bin/sh', ['-c', HEARTBEAT_STATUS, 'x', '/bin/echo', out], { encoding: 'utf8' });
    assert.equal(r.status === 0, statusOutputSaysRunning(out), JSON.stringify(out));
  }
});
