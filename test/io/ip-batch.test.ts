// The ip -batch channel: framing and error attribution against a fake child that speaks ip's batch protocol
// (output in arbitrary pieces, death, silence), then the real `ip -force -batch -` in a namespace of its own (hl-ipb-*).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpChannel, SENTINEL, spawnIpBatch, type BatchChild } from '../../src/io/ip-batch.js';
import type { Exec } from '../../src/io/process.js';
import { canUseNetns, Rig } from '../resources/netns-rig.js';

/** A fake `ip -j -4 -force -batch -` keeping a set of addresses; `hang` stops it answering, `die` ends it. */
class FakeIp implements BatchChild {
  readonly addrs = new Set<string>();
  readonly written: string[] = [];
  private data: (t: string) => void = () => {};
  private exit: (why: string) => void = () => {};
  private line = 0;
  private pending = '';
  hang = false;
  alive = true;
  /** Splits every answer into pieces of this many characters (1 = byte by byte). */
  constructor(private readonly piece = 7) {}
  write(text: string): boolean {
    if (!this.alive) return false;
    this.written.push(text);
    this.pending += text;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const cmd = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      this.line++;
      if (!this.hang) this.emit(this.answer(cmd, this.line));
    }
    return true;
  }
  private answer(cmd: string, n: number): string {
    const w = cmd.split(' ');
    const failed = (msg: string): string => `${msg}\nCommand failed -:${n}\n`;
    if (cmd === SENTINEL) return failed(`Object "${SENTINEL}" is unknown, try "ip help".`);
    if (w[0] === 'addr' && w[1] === 'show') return `${JSON.stringify([...this.addrs].map((a) => ({ ifname: 'eth0', addr_info: [{ family: 'inet', local: a.split('/')[0], prefixlen: 24 }] })))}\n`;
    if (w[0] === 'addr' && w[1] === 'add') {
      if (this.addrs.has(w[2]!)) return failed('Error: ipv4: Address already assigned.');
      this.addrs.add(w[2]!);
      return '';
    }
    if (w[0] === 'addr' && w[1] === 'del') return this.addrs.delete(w[2]!) ? '' : failed('Error: ipv4: Address not found.');
    return failed(`Object "${w[0]}" is unknown, try "ip help".`);
  }
  private emit(text: string): void {
    for (let i = 0; i < text.length; i += this.piece) {
      const part = text.slice(i, i + this.piece);
      queueMicrotask(() => { if (this.alive) this.data(part); });
    }
  }
  onData(cb: (t: string) => void): void { this.data = cb; }
  onExit(cb: (why: string) => void): void { this.exit = cb; }
  kill(): void { if (this.alive) { this.alive = false; this.exit('killed'); } }
  die(): void { this.kill(); }
}

function recorder(): { exec: Exec; calls: string[][] } {
  const calls: string[][] = [];
  const exec: Exec = async (argv) => { calls.push([...argv]); return { code: 0, signal: null, timedOut: false, output: '[]\n', stdout: '[]\n' }; };
  return { exec, calls };
}

test('pipelined commands each get their own answer; a failure is attributed to the command that failed', async () => {
  for (const piece of [1, 7, 1000]) {
    const fake = new FakeIp(piece);
    const { exec, calls } = recorder();
    const ch = new IpChannel({ spawnChild: () => fake, fallback: exec });
    const [a, dup, del, bad, show] = await Promise.all([
      ch.run(['addr', 'add', '10.0.0.5/24', 'dev', 'eth0'], 1000),
      ch.run(['addr', 'add', '10.0.0.5/24', 'dev', 'eth0'], 1000),
      ch.run(['addr', 'del', '10.0.0.9/24', 'dev', 'eth0'], 1000),
      ch.run(['bogus'], 1000),
      ch.run(['addr', 'show'], 1000),
    ]);
    assert.deepEqual([a.code, a.output], [0, ''], `piece ${piece}`);
    assert.deepEqual([dup.code, dup.output], [1, 'Error: ipv4: Address already assigned.\n']);
    assert.deepEqual([del.code, del.output], [1, 'Error: ipv4: Address not found.\n']);
    assert.equal(bad.code, 1);
    assert.match(bad.output, /Object "bogus" is unknown/);
    assert.equal(show.code, 0);
    assert.equal((JSON.parse(show.stdout) as unknown[]).length, 1);
    assert.ok([a, dup, del, bad, show].every((r) => r.via === 'batch'));
    assert.deepEqual(calls, [], 'no process was started');
    // Every command went out followed by its sentinel.
    assert.equal(fake.written.join(''), ['addr add 10.0.0.5/24 dev eth0', 'addr add 10.0.0.5/24 dev eth0', 'addr del 10.0.0.9/24 dev eth0', 'bogus', 'addr show']
      .map((c) => `${c}\n${SENTINEL}\n`).join(''));
    ch.close();
  }
});

test('a child that dies is restarted: the waiting read is asked of a process, a waiting change fails with the reason', async () => {
  const fakes: FakeIp[] = [];
  const { exec, calls } = recorder();
  const ch = new IpChannel({ spawnChild: () => { const f = new FakeIp(); fakes.push(f); return f; }, fallback: exec });
  assert.equal((await ch.run(['addr', 'add', '10.0.0.5/24', 'dev', 'eth0'], 1000)).code, 0);
  fakes[0]!.hang = true;
  const change = ch.run(['addr', 'add', '10.0.0.6/24', 'dev', 'eth0'], 1000);
  const read = ch.run(['addr', 'show'], 1000);
  fakes[0]!.die();
  const [c, r] = await Promise.all([change, read]);
  assert.equal(c.code, -1);
  assert.match(c.output, /killed/);
  assert.deepEqual([r.code, r.via], [0, 'process']);
  assert.deepEqual(calls, [['ip', '-j', '-4', 'addr', 'show']]);
  // The next command starts a new child, which counts its lines from 1 again.
  const again = await ch.run(['addr', 'add', '10.0.0.7/24', 'dev', 'eth0'], 1000);
  assert.deepEqual([again.code, again.via, fakes.length], [0, 'batch', 2]);
  ch.close();
});

test('a command that gets no answer times out alone; three deaths in the window make the channel use processes', async () => {
  const fakes: FakeIp[] = [];
  const { exec, calls } = recorder();
  let t = 0;
  const ch = new IpChannel({ spawnChild: () => { const f = new FakeIp(); f.hang = true; fakes.push(f); return f; }, fallback: exec, now: () => t });
  for (let i = 0; i < 3; i++) {
    const r = await ch.run(['addr', 'add', `10.0.0.${i}/24`, 'dev', 'eth0'], 20);
    assert.deepEqual([r.code, r.timedOut], [-1, true]);
  }
  assert.equal(fakes.length, 3);
  assert.ok(fakes.every((f) => !f.alive), 'each stuck child was killed');
  assert.equal(ch.live, false);
  const r = await ch.run(['addr', 'show'], 20);
  assert.deepEqual([r.code, r.via], [0, 'process']);
  t += 10_001;
  assert.equal(ch.live, true, 'the channel is tried again after the window');
  assert.equal(calls.length, 1);
  ch.close();
});

test('words the batch reader would split or unquote go through a process; a child that cannot start falls back', async () => {
  const { exec, calls } = recorder();
  const ch = new IpChannel({ spawnChild: () => new FakeIp(), fallback: exec, netns: 'ns1' });
  assert.equal((await ch.run(['addr', 'add', '10.0.0.1/24', 'label', 'a b'], 100)).via, 'process');
  assert.equal((await ch.run(['addr', 'show', 'dev', 'x"y'], 100)).via, 'process');
  assert.deepEqual(calls, [['ip', '-n', 'ns1', '-j', '-4', 'addr', 'add', '10.0.0.1/24', 'label', 'a b'], ['ip', '-n', 'ns1', '-j', '-4', 'addr', 'show', 'dev', 'x"y']]);
  ch.close();
  const broken = new IpChannel({ spawnChild: () => { throw new Error('ENOENT'); }, fallback: exec });
  assert.equal((await broken.run(['addr', 'show'], 100)).via, 'process');
});

test('the real ip -force -batch in a namespace: add, list, delete an address; a failing command in a pipeline is named',
  { skip: !canUseNetns && 'needs root for network namespaces' }, async () => {
    const rig = new Rig('ipb', 1, { prefix: 'hl', net: '10.248' });
    const children: BatchChild[] = [];
    try {
      rig.up();
      const ns = rig.node('a', 1);
      const ch = new IpChannel({ netns: ns, spawnChild: () => { const c = spawnIpBatch(ns); children.push(c); return c; } });
      const addrsOf = (out: string): string[] => (JSON.parse(out) as Array<{ addr_info?: Array<{ local: string }> }>).flatMap((i) => (i.addr_info ?? []).map((a) => a.local));
      const [add, dup, delMissing, list, routes] = await Promise.all([
        ch.run(['addr', 'add', '10.248.1.50/24', 'dev', 'eth0', 'label', 'eth0:0'], 5000),
        ch.run(['addr', 'add', '10.248.1.50/24', 'dev', 'eth0'], 5000),
        ch.run(['addr', 'del', '10.248.1.77/24', 'dev', 'eth0'], 5000),
        ch.run(['addr', 'show'], 5000),
        ch.run(['route', 'show', 'table', 'main'], 5000),
      ]);
      assert.deepEqual([add.code, add.via, add.output], [0, 'batch', '']);
      assert.equal(dup.code, 1);
      assert.match(dup.output, /already assigned|File exists/);
      assert.equal(delMissing.code, 1);
      assert.match(delMissing.output, /not found|Cannot assign/);
      assert.deepEqual(addrsOf(list.stdout).sort(), ['10.248.1.1', '10.248.1.50', '127.0.0.1']);
      assert.match(routes.stdout, /"dst":"10\.248\.1\.0\/24"/);
      assert.deepEqual(rig.run(ns, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']).match(/10\.248\.1\.50\/24/g), ['10.248.1.50/24']);
      // Answers are fast once the child runs (no process per command).
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) await ch.run(['addr', 'show'], 5000);
      console.log(`# ip -batch: 20 sequential addr show in ${(performance.now() - t0).toFixed(1)} ms`);
      // The child killed under it: the next command runs on a new one.
      children[0]!.kill();
      await new Promise((r) => setTimeout(r, 50));
      const del = await ch.run(['addr', 'del', '10.248.1.50/24', 'dev', 'eth0'], 5000);
      assert.deepEqual([del.code, del.via, children.length], [0, 'batch', 2]);
      const after = await ch.run(['addr', 'show', 'dev', 'eth0'], 5000);
      assert.deepEqual(addrsOf(after.stdout), ['10.248.1.1'], JSON.stringify(after));
      // ip keeps some state between batch commands: every read the agent makes answers exactly as a fresh ip would,
      // after each kind of change.
      const reads = [['addr', 'show'], ['route', 'show', 'table', 'main'], ['addr', 'show', 'dev', 'eth0']];
      for (const change of [['addr', 'add', '10.248.1.60/24', 'brd', '10.248.1.255', 'dev', 'eth0', 'label', 'eth0:1'], ['addr', 'del', '10.248.1.60/24', 'dev', 'eth0']]) {
        assert.equal((await ch.run(change, 5000)).code, 0);
        for (const r of [...reads, ...[...reads].reverse()]) {
          assert.equal((await ch.run(r, 5000)).stdout, rig.run(ns, ['ip', '-j', '-4', ...r]), `${r.join(' ')} after ${change.join(' ')}`);
        }
      }
      ch.close();
    } finally {
      for (const c of children) c.kill();
      rig.cleanup();
    }
  });
