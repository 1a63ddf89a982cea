// Real `lifeline daemon`s in namespaces without a haresources file: pacemaker off runs membership only (one warning,
// shown by `lifeline status`), crm on never mentions the file; an unreadable one (a directory) refuses to start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lifelineKind, startDaemon, withCluster, type Host } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

const canRun = process.getuid?.() === 0;
const AUTHKEYS = 'auth 1\n1 sha1 lifeline-no-haresources\n';
// keepalive 200 ms, deadtime 2 s: waits below are derived from initdead (10 s) with a wide margin for a loaded machine.
const haCf = (extra: string) => `keepalive 200ms\ndeadtime 2\nwarntime 1\ninitdead 10\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb nodec\n${extra}`;
const WAIT_MS = 30_000;

function lifeline(h: Host, args: readonly string[]) {
  return h.exec([process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), ...args], { timeoutMs: 20000 });
}

test('no haresources: pacemaker off starts membership only and says so once; crm on ignores it; a directory is refused', { skip: canRun ? false : 'needs root', timeout: 120_000 }, async () => {
  await withCluster({ prefix: 'lf-nohr', networks: ['10.201.161.0/24'], hosts: ['nodea', 'nodeb', 'nodec'] }, async (c) => {
    const [a, b, cc] = [c.host('nodea'), c.host('nodeb'), c.host('nodec')];
    for (const h of [a, b, cc]) rmSync(join(h.dirs.etc, 'haresources'), { force: true, recursive: true });
    await startDaemon(a, { haCf: haCf('crm off\n'), authkeys: AUTHKEYS }, lifelineKind());
    await startDaemon(b, { haCf: haCf('crm off\n'), authkeys: AUTHKEYS }, lifelineKind());
    await startDaemon(cc, { haCf: haCf('crm on\n'), authkeys: AUTHKEYS }, lifelineKind());
    for (const h of [a, b, cc]) {
      for (const o of [a, b, cc]) {
        if (o !== h) await h.waitForLog(new RegExp(`Status update for node ${o.hostname}: status active`), { timeoutMs: WAIT_MS });
      }
    }
    const file = '/etc/ha.d/haresources';
    for (const h of [a, b]) {
      const log = readFileSync(h.logFile, 'utf8');
      const lines = log.split('\n').filter((l) => l.includes('haresources'));
      assert.equal(lines.length, 1, `said once:\n${lines.join('\n')}`);
      assert.match(lines[0]!, /WARN: Cannot open resources file \[\/etc\/ha\.d\/haresources\]: no resource groups are managed, this node runs membership only \[LL_HARES_MISSING\]/);
      const st = await lifeline(h, ['status']);
      assert.equal(st.code, 0, st.stdout + st.stderr);
      assert.ok(st.stdout.includes(`resources: none (no resources file [${file}]: membership only)`), st.stdout);
      assert.match(st.stdout, /^nodec\tactive/m);
    }
    assert.ok(!readFileSync(cc.logFile, 'utf8').includes('haresources'), 'crm on: the file is not read, its absence not mentioned');
    const st = await lifeline(cc, ['status']);
    assert.ok(!st.stdout.includes('resources file'), st.stdout);

    // A haresources that exists but cannot be read: no start, exit 6 as heartbeat's configuration error, path named.
    await cc.crash();
    mkdirSync(join(cc.dirs.etc, 'haresources'));
    const d = await startDaemon(cc, { haCf: haCf('crm off\n'), authkeys: AUTHKEYS }, lifelineKind());
    const code = await new Promise<number | null>((r) => (d.process.exitCode !== null ? r(d.process.exitCode) : d.process.once('exit', (x) => r(x))));
    assert.equal(code, 6);
    assert.match(readFileSync(d.outputFile, 'utf8'), /ERROR: cannot read \/etc\/ha\.d\/haresources: .*EISDIR/);
  });
});
