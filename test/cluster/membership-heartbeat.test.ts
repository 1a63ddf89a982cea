// A Lifeline membership machine and a real heartbeat 3.0.6 daemon in two network namespaces: they must see each
// other as healthy peers, and Lifeline must declare heartbeat dead within its deadtime after a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEARTBEAT = '/usr/libexec/heartbeat/heartbeat';
// Names and addresses reserved for this test (prefix llm, 10.210.0.0/16).
const NS_A = 'llm-hb-a';
const NS_B = 'llm-hb-b';
const AUTHKEYS = 'auth 1\n1 sha1 lifeline-membership-interop\n';

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

function pidsIn(ns: string): number[] {
  const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter(Boolean).map(Number) : [];
}

function killAllIn(ns: string): void {
  for (const pid of pidsIn(ns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function cleanup(dir: string | undefined): void {
  for (const ns of [NS_A, NS_B]) killAllIn(ns);
  for (const ns of [NS_A, NS_B]) spawnSync('ip', ['netns', 'del', ns]);
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const canRun = process.getuid?.() === 0 && existsSync(HEARTBEAT);

test('Lifeline and heartbeat 3.0.6 see each other active; Lifeline declares the crashed heartbeat dead in time', { skip: canRun ? false : 'needs root and the heartbeat package', timeout: 60000 }, async (t) => {
  let dir: string | undefined;
  cleanup(undefined); // a previous run killed hard may have left them
  try {
    dir = mkdtempSync(join(tmpdir(), 'llm-hb-'));
    // Two namespaces on one veth pair, with broadcast addresses (bcast needs one).
    sh('ip', ['netns', 'add', NS_A]);
    sh('ip', ['netns', 'add', NS_B]);
    sh('ip', ['link', 'add', 'llm-hb-va', 'type', 'veth', 'peer', 'name', 'llm-hb-vb']);
    sh('ip', ['link', 'set', 'llm-hb-va', 'netns', NS_A]);
    sh('ip', ['link', 'set', 'llm-hb-vb', 'netns', NS_B]);
    for (const [ns, dev, addr] of [[NS_A, 'llm-hb-va', '10.210.7.1/24'], [NS_B, 'llm-hb-vb', '10.210.7.2/24']] as const) {
      sh('ip', ['-n', ns, 'link', 'set', dev, 'name', 'eth0']);
      sh('ip', ['-n', ns, 'addr', 'add', addr, 'brd', '+', 'dev', 'eth0']);
      sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }

    // heartbeat as nodea, with its own /etc/ha.d, /var/lib/heartbeat and /run (mount + UTS namespaces).
    const etc = join(dir, 'etc');
    const lib = join(dir, 'lib');
    cpSync('/etc/ha.d', etc, { recursive: true });
    cpSync('/var/lib/heartbeat', lib, { recursive: true });
    for (const f of ['hb_generation', 'hb_uuid', 'hostcache', 'delhostcache']) rmSync(join(lib, f), { force: true });
    const log = join(dir, 'ha-log');
    writeFileSync(join(etc, 'ha.cf'), `logfile ${log}\nlogfacility none\nkeepalive 200ms\ndeadtime 2\nwarntime 1\ninitdead 10\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea\nnode nodeb\n`);
    writeFileSync(join(etc, 'authkeys'), AUTHKEYS);
    chmodSync(join(etc, 'authkeys'), 0o600);
    writeFileSync(join(etc, 'haresources'), '');
    const script = [
      'set -e',
      'hostname nodea',
      'mount --make-rprivate /',
      `mount --bind ${etc} /etc/ha.d`,
      `mount --bind ${lib} /var/lib/heartbeat`,
      'mount -t tmpfs none /run',
      'mkdir -p /run/heartbeat/ccm /run/resource-agents /run/lock',
      HEARTBEAT,
      'exec sleep 120',
    ].join('\n');
    spawn('ip', ['netns', 'exec', NS_A, 'unshare', '-m', '-u', 'sh', '-c', script], { stdio: 'ignore', detached: true }).unref();

    // Lifeline's membership as nodeb.
    const here = fileURLToPath(import.meta.url);
    const peer = here.replace(/membership-heartbeat\.test\.(ts|js)$/, 'membership-peer.$1');
    const conf = {
      self: 'nodeb', nodes: ['nodea', 'nodeb'], uuidHex: '4c69666531696e65206e6f646562a0b1', generation: 42,
      keepalive: 200, deadtime: 2000, warntime: 1000, initdead: 10000,
      authkeys: AUTHKEYS, broadcast: '10.210.7.255', port: 694, runFor: 20000,
    };
    const child = spawn('ip', ['netns', 'exec', NS_B, process.execPath, ...process.execArgv, peer, JSON.stringify(conf)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));

    // Let them find each other, then crash heartbeat (every process of nodea at once).
    const lines = () => output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: number; kind: string; text?: string; node?: string; status?: string; wallAtZero?: number });
    const deadline = Date.now() + 12000;
    while (!lines().some((l) => l.kind === 'node-status' && l.node === 'nodea' && l.status === 'active') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Steady state, past heartbeat's first 5 s in which it advertises deadtime + 2 s (dt) and we honour that.
    await new Promise((r) => setTimeout(r, 6000));
    const killedAt = Date.now();
    killAllIn(NS_A);
    const exit = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(exit, 0);

    const ours = lines();
    const texts = ours.filter((l) => l.kind === 'log').map((l) => l.text!);
    for (const want of ['Link nodea:eth0 up.', 'Status update for node nodea: status active', 'Comm_now_up(): updating status to active', "Local status now set to: 'active'"]) {
      assert.ok(texts.includes(want), `Lifeline logs "${want}":\n${texts.join('\n')}`);
    }
    assert.ok(!ours.some((l) => l.kind === 'bad-packet' || l.kind === 'sign-error'), 'every packet verified, every message signed');
    const hb = readFileSync(log, 'utf8');
    for (const want of ['Link nodeb:eth0 up.', 'Status update for node nodeb: status active', 'Comm_now_up(): updating status to active']) {
      assert.ok(hb.includes(want), `heartbeat logs "${want}":\n${hb}`);
    }
    assert.ok(!/Late heartbeat|node nodeb: is dead|bad node|replay attack|Cannot rexmit/.test(hb), `heartbeat saw nothing wrong:\n${hb}`);
    // Lifeline learns of the crash by silence only: death within [deadtime - keepalive, deadtime] after the kill,
    // with slack for scheduling (the peer's times are put on this process's wall clock).
    const dead = ours.find((l) => l.kind === 'log' && l.text === 'node nodea: is dead');
    assert.ok(dead, `Lifeline declares nodea dead:\n${texts.join('\n')}`);
    const wallAtZero = ours.find((l) => l.kind === 'clock')!.wallAtZero!;
    const after = Math.round(wallAtZero + dead.t - killedAt);
    t.diagnostic(`Lifeline declared the crashed heartbeat dead ${after} ms after the kill (deadtime 2000 ms, keepalive 200 ms)`);
    assert.ok(after > 1500 && after < 3000, `declared ${after} ms after the kill`);
  } finally {
    cleanup(dir);
  }
});
