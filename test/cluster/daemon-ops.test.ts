// Operating `lifeline daemon` on one host: daemonizing, refusing a second instance, reload with a broken ha.cf
// (refused, keeps running), --stop, exit 6 on a broken config at start, generation bumped on every start, a renamed node gets a new uuid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster, writeHaConfig, type Host } from '../../src/harness/index.js';
import { AUTHKEYS, haCf, lifeline } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;
const DIRS = ['--config-dir', '/etc/ha.d', '--state-dir', '/var/lib/heartbeat', '--run-dir', '/var/run/heartbeat', '--node-name', 'nodea'];

async function until(what: string, f: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const generationOf = (h: Host) => Number(readFileSync(join(h.dirs.lib, 'hb_generation'), 'latin1').trim());

test('daemonize, second instance refused, broken reload kept running, --stop, exit 6, generation bumps', { skip: canRun ? false : 'needs root', timeout: 60000 }, async () => {
  await withCluster({ prefix: 'lld-op', networks: ['10.240.6.0/24'], hosts: ['nodea'] }, async (c) => {
    const a = c.host('nodea');
    writeHaConfig(a, { haCf: haCf('bcast eth0', ['nodea', 'nodeb']), authkeys: AUTHKEYS, haresources: '' });

    // Daemonizes: the launcher returns 0 once the child wrote its pid file.
    const started = await lifeline(a, ['daemon', ...DIRS]);
    assert.equal(started.code, 0, started.stderr);
    const pid = Number(readFileSync(join(a.dirs.run, 'heartbeat', 'lifeline.pid'), 'utf8'));
    assert.ok((await a.pids()).includes(pid), 'the pid file names a live process of the host');
    await until('status answers', async () => (await lifeline(a, ['status'])).code === 0);
    const gen1 = generationOf(a);
    const uuid1 = readFileSync(join(a.dirs.lib, 'hb_uuid'));
    assert.equal(uuid1.length, 16, 'hb_uuid: 16 raw bytes, as heartbeat writes it');

    // A second instance on the same run dir is refused, foreground or not.
    const second = await lifeline(a, ['daemon', ...DIRS, '--foreground']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`another daemon \\(pid ${pid}\\) already runs`));
    assert.equal((await lifeline(a, ['daemon', ...DIRS])).code, 1);

    // Reload with a broken ha.cf: refused with file:line in the log, the daemon keeps running and answering.
    const hacf = join(a.dirs.etc, 'ha.cf');
    const good = readFileSync(hacf, 'utf8');
    const badLine = good.split('\n').length;
    appendFileSync(hacf, 'keepalive fast\n');
    const mark = await a.logMark();
    assert.equal((await lifeline(a, ['daemon', '--reload', ...DIRS])).code, 0);
    const refused = await a.waitForLog(/Configuration reload refused/, { since: mark });
    const between = (await a.readLog()).slice(mark, refused.offset);
    assert.match(between, new RegExp(`/etc/ha.d/ha.cf:${badLine}: ERROR: .*fast`));
    assert.equal((await lifeline(a, ['status'])).code, 0);
    writeFileSync(hacf, good);
    assert.equal((await lifeline(a, ['daemon', '--reload', ...DIRS])).code, 0);
    await a.waitForLog(/Configuration reloaded/, { since: refused.offset });

    // A flood of garbage and of forged packets: dropped and counted, a few rate-limited log lines, daemon unmoved.
    const floodMark = await a.logMark();
    const flood = `const s=require('dgram').createSocket('udp4');s.bind(()=>{s.setBroadcast(true);let n=0;const go=()=>{if(n++>=300)return s.close();
      const m=n%2?Buffer.from('garbage '+n):Buffer.from('(>>>\\nt=status\\nsrc=nodeb\\n<<<\\n)');s.send(m,694,'10.240.6.255',go);};go();});`;
    const sent = await a.exec([process.execPath, '-e', flood], { timeoutMs: 20000 });
    assert.equal(sent.code, 0, sent.stderr);
    await until('bad packets counted', async () => {
      const r = await lifeline(a, ['status', '--json']);
      return r.code === 0 && (JSON.parse(r.stdout) as { counters: { badPackets: number } }).counters.badPackets >= 300;
    });
    const dropLines = (await a.readLog()).slice(floodMark).split('\n').filter((l) => l.includes('dropped packet'));
    assert.ok(dropLines.length >= 1 && dropLines.length <= 5, `rate-limited: ${dropLines.length} lines`);

    // --stop: SIGTERM, waits for the exit; pid file and socket gone; status says stopped.
    const stop = await lifeline(a, ['daemon', '--stop', ...DIRS]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.ok(!(await a.pids()).includes(pid));
    assert.ok(!existsSync(join(a.dirs.run, 'heartbeat', 'lifeline.pid')));
    assert.match(await a.readLog(), /Heartbeat shutdown complete\./);
    assert.equal((await lifeline(a, ['status'])).code, 1);
    assert.equal((await lifeline(a, ['daemon', '--stop', ...DIRS])).code, 1, 'nothing to stop');

    // A stale pid file (kill -9) does not block the next start; the generation goes up each start.
    const fg = await lifeline(a, ['daemon', ...DIRS]);
    assert.equal(fg.code, 0, fg.stderr);
    assert.equal(generationOf(a), gen1 + 1);
    await a.crash();
    assert.ok(existsSync(join(a.dirs.run, 'heartbeat', 'lifeline.pid')), 'kill -9 leaves the pid file');
    const again = await lifeline(a, ['daemon', ...DIRS]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(generationOf(a), gen1 + 2);
    assert.equal((await lifeline(a, ['daemon', '--stop', ...DIRS])).code, 0);

    // The machine is renamed (runs as nodeb with the same state directory): a new uuid, recorded for the new name.
    const uuidPath = join(a.dirs.lib, 'hb_uuid');
    const ownerPath = join(a.dirs.lib, 'lifeline_uuid_node');
    const uuidBefore = readFileSync(uuidPath);
    assert.deepEqual(uuidBefore, uuid1, 'hb_uuid kept across every restart, kill -9 included');
    assert.equal(readFileSync(ownerPath, 'utf8'), 'nodea\n');
    const renameMark = await a.logMark();
    const renamed = await lifeline(a, ['daemon', ...DIRS.slice(0, -1), 'nodeb']);
    assert.equal(renamed.code, 0, renamed.stderr);
    await a.waitForLog(/WARN: Node name changed from nodea to nodeb since hb_uuid was made: generating a new uuid/, { since: renameMark });
    await until('the renamed daemon answers', async () => (await lifeline(a, ['status'])).code === 0);
    assert.notDeepEqual(readFileSync(uuidPath), uuidBefore);
    assert.equal(readFileSync(ownerPath, 'utf8'), 'nodeb\n');
    assert.equal((await lifeline(a, ['daemon', '--stop', ...DIRS])).code, 0);

    // A broken ha.cf at start: exit 6 (as heartbeat), diagnostics with file:line, foreground and detached.
    appendFileSync(hacf, 'keepalive fast\n');
    for (const mode of [['--foreground'], []]) {
      const r = await lifeline(a, ['daemon', ...DIRS, ...mode]);
      assert.equal(r.code, 6, `${mode.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`/etc/ha.d/ha.cf:${badLine}: ERROR`));
    }
    assert.equal((await lifeline(a, ['status'])).code, 1);
  });
});
