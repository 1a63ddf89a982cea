// The adapter against the installed cluster-glue: the catalogue, a reset with the null plugin, the meatware flow
// (`meatclient -c NODE` confirms by hand), and a hung plugin's process group killed at the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configNames, deviceIdSync, resetNode, runStonith, stonithCatalog, STONITH_COMMAND } from '../../src/fencing/stonith-cli.js';
import { isAlive } from '../../src/harness/netns.js';

const skip = existsSync(STONITH_COMMAND) ? false : 'needs cluster-glue (scripts/install-deps.sh)';

test('catalogue: config names of known types, null for an unknown one', { skip }, async () => {
  assert.deepEqual(await configNames('external/ipmi'), ['hostname', 'ipaddr', 'userid', 'passwd', 'interface']);
  assert.equal(await configNames('no-such-plugin'), null);
  const c = await stonithCatalog(['null', 'bogus']);
  assert.deepEqual(c.names.get('null'), ['hostlist']);
  assert.equal(c.names.get('bogus'), null);
  assert.ok(c.names.has('meatware') && c.names.has('external/ssh'), 'every installed type is known');
  assert.equal(deviceIdSync('external/ipmi'), 'IPMI STONITH device');
  assert.equal(deviceIdSync('null'), 'NULL STONITH device');
});

test('null plugin: a reset succeeds (S_OK); a parameter line with too few words fails', { skip }, async () => {
  assert.equal((await resetNode({ type: 'null', params: 'nodea nodeb', line: 1 }, 'nodea', { timeoutMs: 10_000 })).outcome, 'ok');
  assert.equal((await resetNode({ type: 'external/ipmi', params: 'nodea', line: 1 }, 'nodea', { timeoutMs: 10_000 })).outcome, 'failed');
});

test('meatware: the reset waits for the operator, who confirms with meatclient -c NODE', { skip, timeout: 30_000 }, async () => {
  const node = `hfmeat${process.pid}`;
  const dev = { type: 'meatware', params: node, line: 1 };
  const t0 = performance.now();
  const pending = resetNode(dev, node, { timeoutMs: 20_000 });
  let confirmed = false;
  // meatclient finds the FIFO once the plugin has made it; ask until it has.
  for (let i = 0; i < 100 && !confirmed; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(`/var/run/meatware.${node}`) && !existsSync(`/run/meatware.${node}`)) continue;
    const mc = spawn('meatclient', ['-c', node], { stdio: ['pipe', 'ignore', 'ignore'] });
    mc.stdin.end('yes\n');
    confirmed = await new Promise<boolean>((r) => mc.on('exit', (code) => r(code === 0)));
  }
  assert.ok(confirmed, 'meatclient confirmed');
  assert.equal((await pending).outcome, 'ok');
  assert.ok(performance.now() - t0 > 100, 'the reset waited for the operator');
});

test('a hung plugin: its whole process group is killed at the timeout and the run is a timeout', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hf-stonith-'));
  try {
    const pidFile = join(dir, 'child.pid');
    const script = join(dir, 'hang.sh');
    writeFileSync(script, `#!/bin/sh\nsleep 60 &\necho $! > ${pidFile}\nwait\n`);
    chmodSync(script, 0o755);
    const t0 = performance.now();
    const r = await runStonith([], { timeoutMs: 500, command: script });
    assert.equal(r.timedOut, true);
    assert.ok(performance.now() - t0 < 5000);
    const { readFileSync } = await import('node:fs');
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(isAlive(child), false, 'the plugin\'s own child went with it');
    // Aborting (the daemon stops) kills the group at once.
    const ac = new AbortController();
    const t1 = performance.now();
    const pending = runStonith([], { timeoutMs: 60_000, command: script, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    assert.equal((await pending).timedOut, true);
    assert.ok(performance.now() - t1 < 5000, 'abort ended the run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
