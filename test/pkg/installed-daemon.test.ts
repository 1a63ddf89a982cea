// The daemon from the installed package, run as lifeline.service runs it (Type=notify, SIGTERM to the main process
// only), on two namespace hosts: READY=1 reaches the notify socket only once membership is up, and a stop releases
// the group before the process exits. The machine has no systemd as pid 1, so a socat socket stands in for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDaemon, withCluster, type DaemonKind, type Host } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

const root = repoRoot();
const canRun = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v dpkg-deb socat systemd-notify']).status === 0;
const AUTHKEYS = 'auth 1\n1 sha1 lifeline-package-test\n';
const haCf = 'keepalive 200ms\ndeadtime 2\nwarntime 1\ninitdead 30\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n';
const dummysvc = `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/dummysvc.running ;;
  stop) sleep 0.3; rm -f /var/run/heartbeat/dummysvc.running ;;
  status) if [ -e /var/run/heartbeat/dummysvc.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
const running = (h: Host) => existsSync(join(h.dirs.run, 'heartbeat', 'dummysvc.running'));
const notified = (h: Host) => { try { return readFileSync(join(h.dirs.run, 'lk-notify.log'), 'utf8'); } catch { return ''; } };

async function until(what: string, f: () => boolean, timeoutMs: number): Promise<number> {
  const t = performance.now();
  while (!f()) {
    if (performance.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.round(performance.now() - t);
}

test('installed lifeline daemon: READY=1 only after membership is up, SIGTERM releases the group first', { skip: canRun ? false : 'needs root, dpkg-deb, socat, systemd-notify', timeout: 120_000 }, async (t) => {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) { t.skip('dist/ not built'); return; }
  const out = mkdtempSync(join(tmpdir(), 'lk-sd-test-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const b = spawnSync(process.execPath, [join(root, 'packaging/build-deb.mjs'), '--out', out], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  const x = join(out, 'root');
  assert.equal(spawnSync('dpkg-deb', ['-x', b.stdout.trim(), x]).status, 0);
  // The unit's ExecStart, from the extracted package; NOTIFY_SOCKET as systemd sets it for Type=notify.
  const unit = readFileSync(join(x, 'lib/systemd/system/lifeline.service'), 'utf8');
  const execStart = /^ExecStart=(\S+) (.*)$/m.exec(unit)!;
  assert.equal(execStart[1], '/usr/sbin/lifeline');
  const kind: DaemonKind = {
    name: 'lifeline',
    command: () => ['env', 'NOTIFY_SOCKET=/run/lk-notify.sock', join(x, 'usr/sbin/lifeline'), ...execStart[2]!.split(' ')],
    daemonizes: false,
  };
  await withCluster({ prefix: 'lk-sd', networks: ['10.213.1.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, bb] = [c.host('nodea'), c.host('nodeb')];
    for (const h of [a, bb]) h.spawn(['socat', '-u', 'UNIX-RECV:/run/lk-notify.sock', 'OPEN:/run/lk-notify.log,creat,append']);
    await until('notify sockets', () => existsSync(join(a.dirs.run, 'lk-notify.sock')) && existsSync(join(bb.dirs.run, 'lk-notify.sock')), 10_000);
    const cfg = { haCf, authkeys: AUTHKEYS, haresources: 'nodea dummysvc\n', resourceScripts: { dummysvc } };
    const da = await startDaemon(a, cfg, kind);
    // nodea alone waits for nodeb (initdead 30 s): not ready yet, however long nodeb takes to come (up to 3 s here).
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(notified(a), '', 'READY before membership was up');
    await startDaemon(bb, cfg, kind);
    const readyAfter = await until('READY=1 from both nodes', () => /READY=1/.test(notified(a)) && /READY=1/.test(notified(bb)), 25_000);
    t.diagnostic(`READY=1 on both nodes ${readyAfter} ms after nodeb started (initdead 30 s)`);
    assert.match(notified(a), /STATUS=membership up/);
    await until('nodea starts dummysvc', () => running(a), 30_000);

    // systemctl stop with KillMode=process: SIGTERM to the main pid; the group is stopped before the daemon exits.
    const stopped = performance.now();
    assert.ok(await da.stop(30_000), 'nodea stops');
    t.diagnostic(`nodea stopped in ${Math.round(performance.now() - stopped)} ms`);
    assert.ok(!running(a), 'the daemon exited with its resource still running');
    await until('nodeb takes dummysvc over', () => running(bb), 15_000);
  });
});
