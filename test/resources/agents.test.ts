// The resource agents for real: a VIP added and removed natively inside a namespace with its gratuitous ARPs
// seen from a second namespace, resource.d/init.d scripts, a hung script killed, and the Debian OCF agents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArpSender } from '../../src/io/arp-sender.js';
import { IpChannel } from '../../src/io/ip-batch.js';
import { netnsExec, runProcess } from '../../src/io/process.js';
import { agentFor, defaultAgentContext, resourceSpecFromWord } from '../../src/resources/agents/lookup.js';
import type { Agent, AgentContext } from '../../src/resources/agents/agent.js';
import { canUseNetns, Rig } from './netns-rig.js';

const spec = resourceSpecFromWord;

function mustAgent(text: string, ctx: AgentContext): Agent {
  const r = agentFor(spec(text), ctx);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

interface JsonAddr { ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; label?: string; broadcast?: string }> }
function addrsIn(rig: Rig, ns: string): Array<{ local: string; prefixlen: number; label?: string; broadcast?: string }> {
  return (JSON.parse(rig.run(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0'])) as JsonAddr[]).flatMap((i) => i.addr_info);
}

function tempConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llr-agents-'));
  mkdirSync(join(dir, 'resource.d'));
  mkdirSync(join(dir, 'init.d'));
  return dir;
}

/** A process counts as gone once it is dead or a zombie (this machine's pid 1 may not reap orphans). */
function alive(pid: number): boolean {
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const via of ['the ip -batch channel and the ARP helper', 'one process per command'] as const) {
test(`native IPaddr through ${via}: a bare address gets eth0:0, the found netmask and broadcast; gratuitous ARPs reach the peer; stop removes it`,
  { skip: !canUseNetns && 'needs root for network namespaces' }, async () => {
    const helpers = via !== 'one process per command';
    // The first variant is the lean engineer's (hl-*, 10.248.7.0/24), the second the resources one's (llr-*, 10.220.1.0/24).
    const rig = helpers ? new Rig('ip', 7, { prefix: 'hl', net: '10.248' }) : new Rig('ip', 1);
    const net = helpers ? '10.248.7' : '10.220.1';
    const esc = net.replace(/\./g, '\\.');
    const closers: Array<() => void> = [];
    try {
      rig.up();
      const a = rig.node('a', 1);
      const b = rig.node('b', 2);
      // Watch ARP from the second namespace on the same bridge.
      const dump = rig.spawnIn(b, ['tcpdump', '-l', '-n', '-i', 'eth0', 'arp']);
      const seen: string[] = [];
      let listening = false;
      dump.stdout!.on('data', (d: Buffer) => seen.push(...d.toString().split('\n').filter(Boolean)));
      dump.stderr!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) listening = true; });
      for (let i = 0; i < 100 && !listening; i++) await sleep(50);
      assert.ok(listening, 'tcpdump did not start');

      const log: string[] = [];
      const ip = helpers ? new IpChannel({ netns: a }) : undefined;
      const arp = helpers ? new ArpSender({ netns: a }) : undefined;
      const ctx = defaultAgentContext((l) => log.push(l), { exec: netnsExec(a), ...(ip && arp ? { ip, arp } : {}) });
      closers.push(() => { ip?.close(); arp?.close(); });
      const vip = mustAgent(`${net}.100`, ctx);
      assert.deepEqual(await vip.run('status'), { ok: false, running: false, rc: 7, timedOut: false });

      const t0 = performance.now();
      const started = await vip.run('start');
      const startMs = performance.now() - t0;
      assert.equal(started.ok, true, log.join('\n'));
      const added = addrsIn(rig, a).find((x) => x.local === `${net}.100`);
      assert.deepEqual(added && { prefixlen: added.prefixlen, label: added.label, broadcast: added.broadcast },
        { prefixlen: 24, label: 'eth0:0', broadcast: `${net}.255` });
      assert.ok(log.includes(`IPaddr(IPaddr_${net}.100): INFO: Using calculated netmask for ${net}.100: 24`));
      const arpAtReturn = seen.filter((l) => l.includes(`${net}.100`)).length;

      // send_arp's way: several announcements, spaced (5 × 200 ms here).
      let arps: string[] = [];
      for (let i = 0; i < 60; i++) {
        arps = seen.filter((l) => new RegExp(`Request who-has ${esc}\\.100 .*tell ${esc}\\.100,`).test(l));
        if (arps.length >= 5) break;
        await sleep(50);
      }
      assert.equal(arps.length, 5, `gratuitous ARPs seen from the peer: ${arps.length}\n${seen.join('\n')}`);
      // Spaced, not a burst: tcpdump's timestamps (HH:MM:SS.micro) show the gaps.
      const at = arps.map((l) => { const [h, m, sec] = l.split(' ')[0]!.split(':').map(Number); return (h! * 3600 + m! * 60 + sec!) * 1000; });
      const gaps = at.slice(1).map((t, i) => t - at[i]!);
      assert.ok(gaps.every((g) => g > 100), `ARP gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
      console.log(`# native IPaddr start returned after ${startMs.toFixed(1)} ms with ${arpAtReturn} ARP(s) out; ${arps.length} gratuitous ARPs seen, gaps ${gaps.map((g) => g.toFixed(0)).join('/')} ms`);

      assert.equal((await vip.run('status')).running, true);
      assert.equal((await vip.run('monitor')).running, true);
      assert.equal((await vip.run('start')).ok, true, 'start when running succeeds and adds nothing');
      assert.equal(addrsIn(rig, a).filter((x) => x.local === `${net}.100`).length, 1);

      // A second IPaddr address takes the next free label; an explicit broadcast is used as written.
      const second = mustAgent(`IPaddr::${net}.101/24/eth0/${net}.127`, ctx);
      assert.equal((await second.run('start')).ok, true, log.join('\n'));
      const s2 = addrsIn(rig, a).find((x) => x.local === `${net}.101`);
      assert.deepEqual(s2 && { label: s2.label, broadcast: s2.broadcast }, { label: 'eth0:1', broadcast: `${net}.127` });
      // IPaddr2 adds the address without an alias label.
      const third = mustAgent(`IPaddr2::${net}.102/24`, ctx);
      assert.equal((await third.run('start')).ok, true);
      assert.equal(addrsIn(rig, a).find((x) => x.local === `${net}.102`)?.label, 'eth0');

      for (const ag of [vip, second, third]) assert.equal((await ag.run('stop')).ok, true);
      assert.deepEqual(addrsIn(rig, a).map((x) => x.local), [`${net}.1`]);
      assert.deepEqual(await vip.run('status'), { ok: false, running: false, rc: 7, timedOut: false });
      assert.equal((await vip.run('stop')).ok, true, 'stop when stopped succeeds');

      // An address no connected route covers cannot be placed: a clear failure, nothing added.
      const stray = mustAgent('10.221.0.5', ctx);
      const r = await stray.run('start');
      assert.equal(r.ok, false);
      assert.match(r.reason ?? '', /no connected route/);
    } finally {
      for (const c of closers) c();
      rig.cleanup();
    }
  });
}

test('a resource.d script is run with its :: arguments first and the action last; status reads "running" heartbeat\'s way', async () => {
  const dir = tempConfig();
  try {
    const calls = join(dir, 'calls.log');
    const state = join(dir, 'state');
    writeFileSync(join(dir, 'resource.d', 'recorder'), `#!/bin/sh
echo "$*" >> '${calls}'
for last; do :; done
case "$last" in
  start) touch '${state}';;
  stop) rm -f '${state}';;
  status) if [ -f '${state}' ]; then echo "recorder is running"; else echo "recorder is not running"; fi;;
esac
exit 0
`, { mode: 0o755 });
    const log: string[] = [];
    const ctx = defaultAgentContext((l) => log.push(l), { configDir: dir, initDir: join(dir, 'init.d') });
    const ag = mustAgent('recorder::one::two words', ctx);
    assert.equal((await ag.run('status')).running, false, '"not running" means stopped even though it contains "running"');
    assert.equal((await ag.run('start')).ok, true);
    assert.equal((await ag.run('status')).running, true);
    assert.equal((await ag.run('stop')).ok, true);
    assert.equal((await ag.run('monitor')).running, false);
    assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'),
      ['one two words status', 'one two words start', 'one two words status', 'one two words stop', 'one two words status']);
    assert.ok(log.includes(`ResourceManager: info: Running ${join(dir, 'resource.d', 'recorder')} one two words start`));
    assert.ok(log.includes('recorder: recorder is running'), 'script output goes to the log callback');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scripts are looked up in resource.d, then init.d; LSB exit codes decide start/stop; a missing script is a clear error', async () => {
  const dir = tempConfig();
  try {
    writeFileSync(join(dir, 'init.d', 'websvc'), '#!/bin/sh\ncase "$1" in start) exit 0;; stop) exit 0;; status) echo OK; exit 0;; esac\nexit 3\n', { mode: 0o755 });
    // "running" on stderr does not count: heartbeat reads the status answer from stdout.
    writeFileSync(join(dir, 'resource.d', 'noisy'), '#!/bin/sh\necho "warning: lock file not running-safe" >&2\necho "noisy is stopped"\n', { mode: 0o755 });
    writeFileSync(join(dir, 'resource.d', 'broken'), '#!/bin/sh\necho "cannot start: no config" >&2\nexit 6\n', { mode: 0o755 });
    writeFileSync(join(dir, 'resource.d', 'notexec'), '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const log: string[] = [];
    const ctx = defaultAgentContext((l) => log.push(l), { configDir: dir, initDir: join(dir, 'init.d') });
    const web = mustAgent('websvc', ctx);
    assert.equal((await web.run('start')).ok, true);
    assert.equal((await web.run('status')).running, true, '"OK" in the output means running');
    assert.equal((await mustAgent('noisy', ctx).run('status')).running, false);
    const broken = await mustAgent('broken', ctx).run('start');
    assert.deepEqual({ ok: broken.ok, rc: broken.rc }, { ok: false, rc: 6 });
    assert.ok(log.includes('broken: cannot start: no config'), 'stderr is logged too');
    for (const name of ['nosuch', 'notexec']) {
      const r = agentFor(spec(name), ctx);
      assert.equal(r.ok, false);
      if (!r.ok) { assert.equal(r.error.code, 'LL_RES_SCRIPT_NOT_FOUND'); assert.match(r.error.message, new RegExp(`Cannot locate resource script ${name}`)); }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hung script is killed at its timeout, together with the children it started', async () => {
  const dir = tempConfig();
  try {
    const pids = join(dir, 'pids');
    writeFileSync(join(dir, 'resource.d', 'hang'), `#!/bin/sh\necho $$ > '${pids}'\nsleep 600 &\necho $! >> '${pids}'\nwait\n`, { mode: 0o755 });
    const ctx = defaultAgentContext(() => {}, { configDir: dir, initDir: join(dir, 'init.d') });
    const t0 = performance.now();
    const r = await mustAgent('hang', ctx).run('start', { timeoutMs: 400 });
    const took = performance.now() - t0;
    assert.equal(r.ok, false);
    assert.equal(r.timedOut, true);
    assert.ok(took < 5000, `killed promptly (took ${took.toFixed(0)} ms)`);
    const [shPid, sleepPid] = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    await sleep(100);
    for (const pid of [shPid!, sleepPid!]) assert.equal(alive(pid), false, `process ${pid} still alive`);
    console.log(`# hung script killed ${took.toFixed(0)} ms after start (timeout 400 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a script that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
  const r = await runProcess(['sh', '-c', 'trap "" TERM; sleep 600 & wait; wait'], { timeoutMs: 200, killGraceMs: 300 });
  assert.equal(r.timedOut, true);
  assert.equal(r.signal, 'SIGKILL');
});

test('OCF::Dummy::d1 runs the Debian Dummy agent with its instance file\'s parameters and OCF exit codes',
  { skip: !existsSync('/usr/lib/ocf/resource.d/heartbeat/Dummy') && 'resource-agents not installed' }, async () => {
    const dir = tempConfig();
    try {
      const stateFile = join(dir, 'dummy.state');
      mkdirSync(join(dir, 'conf', 'OCF', 'Dummy'), { recursive: true });
      writeFileSync(join(dir, 'conf', 'OCF', 'Dummy', 'd1'), `# Dummy instance\nOCF_RESKEY_state="${stateFile}"\n`);
      const log: string[] = [];
      const ctx = defaultAgentContext((l) => log.push(l), { configDir: dir });
      const d = mustAgent('OCF::Dummy::d1', ctx);
      assert.deepEqual(await d.run('monitor'), { ok: false, running: false, rc: 7, timedOut: false });
      assert.equal((await d.run('start')).ok, true, log.join('\n'));
      assert.ok(existsSync(stateFile), 'the agent used OCF_RESKEY_state from the instance file');
      assert.deepEqual(await d.run('status'), { ok: true, running: true, rc: 0, timedOut: false });
      assert.equal((await d.run('stop')).ok, true);
      assert.equal(existsSync(stateFile), false);
      assert.equal((await d.run('monitor')).running, false);
      const missing = agentFor(spec('OCF::NoSuchAgent::x'), ctx);
      assert.equal(!missing.ok && missing.error.code, 'LL_RES_OCF_AGENT_NOT_FOUND');
      const usage = agentFor(spec('OCF::Dummy'), ctx);
      assert.equal(!usage.ok && usage.error.code, 'LL_RES_OCF_USAGE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('OCF::IPaddr2::vip runs the Debian IPaddr2 agent inside a namespace: start, monitor, stop for real',
  { skip: (!canUseNetns && 'needs root for network namespaces') || (!existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2') && 'resource-agents not installed') }, async () => {
    const rig = new Rig('ocf', 2);
    const dir = tempConfig();
    try {
      rig.up();
      const a = rig.node('a', 1);
      mkdirSync(join(dir, 'conf', 'OCF', 'IPaddr2'), { recursive: true });
      writeFileSync(join(dir, 'conf', 'OCF', 'IPaddr2', 'vip'), 'ip=10.220.2.100\ncidr_netmask=24\nnic=eth0\n');
      const log: string[] = [];
      const ctx = defaultAgentContext((l) => log.push(l), { configDir: dir, exec: netnsExec(a) });
      const vip = mustAgent('OCF::IPaddr2::vip', ctx);
      assert.equal((await vip.run('monitor')).running, false, log.join('\n'));
      const st = await vip.run('start', { timeoutMs: 20_000 });
      assert.equal(st.ok, true, log.join('\n'));
      assert.ok(addrsIn(rig, a).some((x) => x.local === '10.220.2.100' && x.prefixlen === 24));
      assert.equal((await vip.run('monitor')).running, true);
      assert.equal((await vip.run('stop', { timeoutMs: 20_000 })).ok, true, log.join('\n'));
      assert.ok(!addrsIn(rig, a).some((x) => x.local === '10.220.2.100'));
      assert.equal((await vip.run('status')).running, false);
    } finally {
      rig.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
