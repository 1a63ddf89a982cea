// `lifeline demo` end to end, from the built CLI: it builds its namespaces, reports a failover and a failback and
// exits 0, leaves nothing behind, cleans up on Ctrl-C half-way, and refuses to run without root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { HARNESS_TMP, listNamespaces } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';

const canRun = process.getuid?.() === 0;
const bin = join(repoRoot(), 'bin', 'lifeline.js');

/** Runs the CLI; `onOut` sees the output so far and may act (send a signal). */
function runDemo(args: string[], opts: { uid?: number; onOut?: (out: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}) });
    let out = '';
    const onData = (d: Buffer): void => { out += d.toString(); opts.onOut?.(out, (s) => child.kill(s)); };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

const leftovers = (prefix: string): string[] => listNamespaces().filter((n) => n.startsWith(`${prefix}-`));

test('lifeline demo: the owner is killed, the survivor serves within deadtime + 3 s, the node fails back, exit 0, nothing left', { skip: canRun ? false : 'needs root', timeout: 120000 }, async () => {
  // The status page the demo prints (any free port here: tests may run beside a demo on 7630), asked once it is up.
  let page: Promise<{ status: number; body: string }> | undefined;
  const r = await runDemo(['--prefix', 'lle-t', '--net', '11', '--web', '0'], {
    onOut: (out) => {
      const m = /status page of node2\.example\.com: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m && !page) page = fetch(`${m[1]}api/v1/status`).then(async (a) => ({ status: a.status, body: await a.text() }), (e: Error) => ({ status: 0, body: e.message }));
    },
  });
  assert.equal(r.code, 0, r.out);
  assert.ok(page, `no status page URL in:\n${r.out}`);
  const answer = await page;
  assert.equal(answer.status, 200, answer.body);
  const status = JSON.parse(answer.body) as { nodes: { name: string }[] };
  assert.deepEqual(status.nodes.map((n) => n.name).sort(), ['node1.example.com', 'node2.example.com'], answer.body);
  const order = ['answered by node1.example.com', 'CRASH: kill -9', 'answered by node2.example.com', 'restarting lifeline daemon on node1', 'answered by node1.example.com'];
  let at = 0;
  for (const s of order) {
    const i = r.out.indexOf(s, at);
    assert.ok(i >= 0, `"${s}" missing (or out of order) in:\n${r.out}`);
    at = i + s.length;
  }
  const m = /Failover time: ([\d.]+) (s|ms) from the crash of node1\.example\.com to the first answer from node2\.example\.com/.exec(r.out);
  assert.ok(m, r.out);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  // deadtime is 2 s: the survivor cannot answer before ~1.6 s (deadtime minus one keepalive of jitter) nor, on a sane machine, after 5 s.
  assert.ok(ms > 1500 && ms < 5000, `failover ${ms} ms`);
  assert.match(r.out, /declared node1\.example\.com dead [\d.]+ s after the crash/);
  assert.match(r.out, /Failback: node1\.example\.com serves again/);
  assert.match(r.out, /done: no lle-t-\* namespace left/);
  assert.deepEqual(leftovers('lle-t'), []);
  assert.ok(!existsSync(join(HARNESS_TMP, 'lle-t')), 'the private directories are removed');
});

test('lifeline demo: Ctrl-C half-way removes every namespace and process', { skip: canRun ? false : 'needs root', timeout: 60000 }, async () => {
  let sent = false;
  const r = await runDemo(['--prefix', 'lle-i', '--net', '21'], {
    onOut: (out, kill) => { if (!sent && /starting lifeline daemon on node2/.test(out)) { sent = true; kill('SIGINT'); } },
  });
  assert.ok(sent, r.out);
  assert.match(r.out, /interrupted: cleaning up/);
  assert.notEqual(r.code, 0);
  assert.deepEqual(leftovers('lle-i'), []);
  assert.ok(!existsSync(join(HARNESS_TMP, 'lle-i')), 'the private directories are removed');
});

test('lifeline demo refuses to run without root, saying why', { skip: canRun ? false : 'needs root to switch to nobody', timeout: 20000 }, async () => {
  const r = await runDemo([], { uid: 65534 });
  assert.equal(r.code, 1);
  assert.match(r.out, /needs root.*network namespaces.*\[LL_DEMO_NOT_ROOT\]/);
});
