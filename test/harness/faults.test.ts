// The harness itself: isolation of hosts, faults it injects, and cleanup on every way out.
// Each scenario checks the effect with real tools (ping, /proc, ip) inside the namespaces.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCluster, HARNESS_TMP, isAlive, lifelineKind, processState, listNamespaces, run, startDaemon, sweepStale, withCluster, type Cluster, type DaemonKind } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';
import { DAEMON_NODE_FLAGS } from '../../src/io/node-flags.js';

const PREFIX = 'llh-ft';

async function ping(c: Cluster, from: string, to: string, count = 1): Promise<{ ok: boolean; rttMs: number }> {
  const r = await c.host(from).execNet(['ping', '-c', String(count), '-i', '0.2', '-W', '1', c.host(to).address()]);
  const m = r.stdout.match(/rtt min\/avg\/max\/mdev = [\d.]+\/([\d.]+)/);
  return { ok: r.code === 0, rttMs: m ? Number(m[1]) : NaN };
}

describe('harness hosts and faults', { timeout: 60000 }, () => {
  let c: Cluster;
  before(async () => {
    c = await createCluster({ prefix: PREFIX, networks: ['10.201.4.0/24'], hosts: ['nodea', 'nodeb', { name: 'client', octet: 50 }] });
  });
  after(async () => {
    await c?.destroy();
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${PREFIX}-`)), []);
  });

  test('each host has its own hostname, addresses with broadcast, and private /etc/ha.d and /run', async () => {
    const a = c.host('nodea');
    assert.equal((await a.mustExec(['hostname'])).trim(), 'nodea');
    assert.equal((await c.host('client').mustExec(['uname', '-n'])).trim(), 'client');
    assert.equal(c.host('client').address(), '10.201.4.50');
    const j = JSON.parse(await a.mustExec(['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0'])) as { addr_info: { local: string; broadcast: string }[] }[];
    assert.deepEqual([j[0]?.addr_info[0]?.local, j[0]?.addr_info[0]?.broadcast], ['10.201.4.1', '10.201.4.255']);
    await a.mustExec(['sh', '-c', 'echo mine > /etc/ha.d/marker && touch /var/run/heartbeat/marker && touch /var/lib/heartbeat/marker']);
    assert.ok(existsSync(join(a.dirs.etc, 'marker')) && existsSync(join(a.dirs.run, 'heartbeat', 'marker')) && existsSync(join(a.dirs.lib, 'marker')));
    const b = await c.host('nodeb').exec(['sh', '-c', 'ls /etc/ha.d/marker /var/run/heartbeat/marker /var/lib/heartbeat/marker']);
    assert.notEqual(b.code, 0, 'nodeb sees nodea\'s private files');
    assert.equal(existsSync('/etc/ha.d/marker'), false, 'a host wrote into the machine\'s own /etc/ha.d');
    // The resource scripts of the machine's /etc/ha.d are there for heartbeat's harc.
    assert.ok(existsSync(join(a.dirs.etc, 'resource.d', 'IPaddr')));
  });

  test('partition cuts traffic between groups (broadcast too) and heal restores it', async () => {
    assert.equal((await ping(c, 'nodea', 'nodeb')).ok, true);
    await c.partition([['nodea'], ['nodeb', 'client']]);
    assert.equal((await ping(c, 'nodea', 'nodeb')).ok, false);
    assert.equal((await ping(c, 'client', 'nodeb')).ok, true);
    await c.heal();
    assert.equal((await ping(c, 'nodea', 'nodeb')).ok, true);
  });

  test('netem delay shows in the round trip time and goes away when cleared', async (t) => {
    try {
      await c.host('nodea').netem({ delayMs: 80 });
    } catch (e) {
      if (/not available in this kernel/.test((e as Error).message)) { t.skip('this kernel has no netem (CONFIG_NET_SCH_NETEM)'); return; }
      throw e;
    }
    const slow = await ping(c, 'nodea', 'nodeb', 2);
    assert.ok(slow.rttMs >= 80, `rtt ${slow.rttMs} ms with 80 ms netem delay`);
    await c.host('nodea').clearNetem();
    const fast = await ping(c, 'nodea', 'nodeb', 2);
    assert.ok(fast.rttMs < 40, `rtt ${fast.rttMs} ms after clearing netem`);
  });

  test('loss: 100 % drops everything, 30 % drops about a third of the replies, clear restores', async () => {
    const b = c.host('nodeb');
    await b.netem({ lossPct: 100 });
    assert.equal((await ping(c, 'nodea', 'nodeb')).ok, false);
    await b.netem({ lossPct: 30 });
    const r = await c.host('nodea').execNet(['ping', '-q', '-c', '300', '-i', '0.002', '-W', '1', b.address()]);
    const received = Number(r.stdout.match(/(\d+) received/)?.[1] ?? -1);
    assert.ok(received > 150 && received < 260, `${received} of 300 replies with 30 % loss on nodeb's egress`);
    await b.clearNetem();
    assert.equal((await ping(c, 'nodea', 'nodeb')).ok, true);
  });

  test('dropFrom: nodea stops hearing nodeb while the client still reaches nodea', async () => {
    const a = c.host('nodea');
    await a.dropFrom(c.host('nodeb'));
    assert.equal((await ping(c, 'nodeb', 'nodea')).ok, false);
    assert.equal((await ping(c, 'client', 'nodea')).ok, true);
    await a.clearDrops();
    assert.equal((await ping(c, 'nodeb', 'nodea')).ok, true);
  });

  test('freeze stops every process of a host, thaw resumes them', async () => {
    const h = c.host('nodeb');
    const child = h.spawn(['sleep', '1000']);
    await new Promise((r) => setTimeout(r, 100));
    const pid = child.pid as number;
    assert.deepEqual(await h.pids(), [pid]);
    await h.freeze();
    assert.equal(processState(pid), 'T');
    await h.thaw();
    assert.notEqual(processState(pid), 'T');
  });

  test('crash kills every process, including daemonized ones, and drops addresses a daemon added', async () => {
    const h = c.host('nodea');
    // A self-daemonizing process: the launcher exits, the daemon lives on in the namespace.
    await h.mustExec(['sh', '-c', 'setsid sleep 1000 >/dev/null 2>&1 < /dev/null &']);
    h.spawn(['sleep', '1000']);
    await h.mustExec(['ip', 'addr', 'add', '10.201.4.100/24', 'dev', 'eth0']);
    await new Promise((r) => setTimeout(r, 100));
    const before = await h.pids();
    assert.equal(before.length, 2);
    const killed = await h.crash();
    assert.deepEqual([...killed].sort(), [...before].sort());
    assert.deepEqual(await h.pids(), []);
    for (const p of before) assert.equal(isAlive(p), false);
    assert.equal(await h.hasAddress('10.201.4.100'), false);
    assert.equal(await h.hasAddress('10.201.4.1'), true);
  });

  test('a foreground daemon kind (as Lifeline\'s will be) gets the config, its hostname, and stops on SIGTERM', async () => {
    const h = c.host('client');
    const fg: DaemonKind = {
      name: 'fg',
      // Logs where ha.cf says, like a real daemon; exits cleanly on SIGTERM.
      command: () => ['sh', '-c', 'log=$(sed -n "s/^logfile //p" /etc/ha.d/ha.cf); echo "$(hostname) up, mode $(stat -c %a /etc/ha.d/authkeys)" >> "$log"; '
        + 'trap \'echo "$(hostname) stopping" >> "$log"; exit 0\' TERM; while :; do sleep 0.05; done'],
      daemonizes: false,
    };
    const d = await startDaemon(h, { haCf: 'bcast eth0\nnode client\n', authkeys: 'auth 1\n1 crc\n' }, fg);
    await h.waitForLog(/^client up, mode 600$/);
    assert.equal(d.launcherExit, null);
    assert.equal(await d.stop(5000), true);
    await h.waitForLog(/^client stopping$/, { timeoutMs: 2000 });
    assert.deepEqual(lifelineKind('/repo').command(h), [process.execPath, ...DAEMON_NODE_FLAGS, '/repo/bin/lifeline.js', 'daemon', '--config-dir', '/etc/ha.d',
      '--state-dir', '/var/lib/heartbeat', '--run-dir', '/var/run/heartbeat', '--node-name', 'client', '--foreground']);
  });

  test('waitForLog sees a line written after the mark and times out with the log tail otherwise', async () => {
    const h = c.host('nodeb');
    mkdirSync(h.dirs.log, { recursive: true });
    writeFileSync(h.logFile, 'old line: node nodea: is dead\n');
    const mark = await h.logMark();
    const w = h.waitForLog(/node (\w+): is dead/, { since: mark, timeoutMs: 5000 });
    setTimeout(() => writeFileSync(h.logFile, 'old line: node nodea: is dead\nnew: node nodec: is dead\n'), 50);
    const m = await w;
    assert.equal(m.match[1], 'nodec');
    await assert.rejects(h.waitForLog(/never/, { timeoutMs: 50 }), /timed out .*\n(.|\n)*nodec/);
  });
});

describe('cleanup on every way out', { timeout: 60000 }, () => {
  test('withCluster removes namespaces and processes when the body throws', async () => {
    let pids: number[] = [];
    await assert.rejects(withCluster({ prefix: 'llh-wc', networks: ['10.201.6.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
      c.host('nodea').spawn(['sleep', '1000']);
      await new Promise((r) => setTimeout(r, 100));
      pids = await c.host('nodea').pids();
      throw new Error('scenario failed');
    }), /scenario failed/);
    assert.equal(pids.length, 1);
    assert.equal(isAlive(pids[0] as number), false);
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith('llh-wc-')), []);
    assert.equal(existsSync(join(HARNESS_TMP, 'llh-wc')), false);
  });

  test('a bad spec fails cleanly and leaves nothing', async () => {
    await assert.rejects(createCluster({ prefix: 'llh-bad', networks: ['10.201.7.0/16'], hosts: ['nodea'] }), /must be an IPv4 \/24/);
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith('llh-bad-')), []);
  });

  for (const [mode, how] of [['exit', 'process.exit()'], ['wait', 'SIGTERM'], ['throw', 'an uncaught error']] as const) {
    test(`a test process that ends by ${how} without destroy() still removes its cluster`, async () => {
      const prefix = `llh-ab${mode}`;
      const self = fileURLToPath(import.meta.url);
      const ts = self.endsWith('.ts');
      const script = join(self, '..', '..', 'fixtures', `abandon-cluster.${ts ? 'ts' : 'js'}`);
      const child = spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), script, prefix, '10.201.8.0/24', mode], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      const exited = new Promise((r) => child.on('exit', r));
      for (let i = 0; i < 400 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
      const pids = (out.match(/ready ([\d,]+)/)?.[1] ?? '').split(',').map(Number).filter((n) => n > 0);
      assert.equal(pids.length, 1, `fixture output: ${out}`);
      if (mode === 'wait') child.kill('SIGTERM');
      await exited;
      assert.deepEqual(listNamespaces().filter((n) => n.startsWith(`${prefix}-`)), []);
      for (const p of pids) assert.equal(isAlive(p), false);
    });
  }

  test('sweepStale removes namespaces, their processes and temp dirs left by a crashed run', async () => {
    await run(['ip', 'netns', 'add', 'llh-sw-nodea']);
    const child = spawn('ip', ['netns', 'exec', 'llh-sw-nodea', 'sleep', '1000'], { stdio: 'ignore' });
    const dir = join(HARNESS_TMP, 'llh-sw');
    mkdirSync(dir, { recursive: true });
    await new Promise((r) => setTimeout(r, 100));
    const swept = sweepStale('llh-sw');
    assert.deepEqual(swept.namespaces, ['llh-sw-nodea']);
    assert.deepEqual(listNamespaces().filter((n) => n.startsWith('llh-sw-')), []);
    assert.equal(existsSync(dir), false);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(isAlive(child.pid as number), false);
  });
});
