// Two Lifeline daemons whose ha.cf differ: each notices it from the other's `llcfg` digest, logs it once and shows it
// in `lifeline status`; after the file is made the same and reloaded, both say the files match. With `crm on` the
// digest carries the CIB's admin_epoch.epoch and configuration hash: a commit moves it on both, with no mismatch logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCluster } from '../../src/harness/index.js';
import { haCf, lifeline, startLifeline, waitAllActive } from './daemon-fixture.js';
import { controlRequest } from '../../src/daemon/client.js';
import type { StatusSnapshot } from '../../src/daemon/daemon.js';

const canRun = process.getuid?.() === 0;
const DIRS = ['--config-dir', '/etc/ha.d', '--state-dir', '/var/lib/heartbeat', '--run-dir', '/var/run/heartbeat'];

type Node = { name: string; config?: { state: string; files?: string[] } };
async function peerView(h: Parameters<typeof lifeline>[0]): Promise<Node['config']> {
  const st = await lifeline(h, ['status', '--json', '--run-dir', '/var/run/heartbeat']);
  assert.equal(st.code, 0, st.stderr);
  return (JSON.parse(st.stdout) as { nodes: Node[] }).nodes.find((n) => n.name !== h.name)?.config;
}

async function until(what: string, f: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a peer with another ha.cf is logged once and shown in status; a reload that makes them equal clears it', { skip: canRun ? false : 'needs root', timeout: 90000 }, async () => {
  await withCluster({ prefix: 'llcd', networks: ['10.241.1.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const same = haCf('bcast eth0', ['nodea', 'nodeb']);
    await startLifeline(a, same);
    await startLifeline(b, same.replace('warntime 1\n', 'warntime 1500ms\n'));
    await waitAllActive([a, b]);
    await until('nodea sees the difference', async () => (await peerView(a))?.state === 'differs');
    assert.deepEqual(await peerView(a), { state: 'differs', files: ['ha.cf'] });
    assert.deepEqual(await peerView(b), { state: 'differs', files: ['ha.cf'] });
    const human = await lifeline(a, ['status']);
    assert.match(human.stdout, /^nodeb\tactive\t\(nodetype: normal\)\tconfiguration differs: ha\.cf$/m);
    // Once, not every keepalive: a second later there is still one line.
    await new Promise((r) => setTimeout(r, 1000));
    const warned = (await a.readLog()).match(/Configuration of node nodeb differs from ours: ha\.cf \(lifeline check --cluster lists the lines\)/g) ?? [];
    assert.equal(warned.length, 1, await a.readLog());

    // nodeb's warntime is set back and it reloads: its status messages now carry the same digest (its own logfile
    // line stays: where a node logs is its own business).
    const mark = await a.logMark();
    const file = join(b.dirs.etc, 'ha.cf');
    writeFileSync(file, readFileSync(file, 'utf8').replace('warntime 1500ms\n', 'warntime 1\n'));
    assert.equal((await lifeline(b, ['daemon', '--reload', ...DIRS, '--node-name', 'nodeb'])).code, 0);
    await a.waitForLog(/Configuration of node nodeb now matches ours/, { since: mark, timeoutMs: 10000 });
    await b.waitForLog(/Configuration of node nodea now matches ours/, { timeoutMs: 10000 });
    assert.deepEqual(await peerView(a), { state: 'same' });
    assert.deepEqual(await peerView(b), { state: 'same' });
  });
});

test('crm on: both nodes advertise the same CIB part; a commit moves it on both and no mismatch is logged', { skip: canRun ? false : 'needs root', timeout: 120000 }, async () => {
  await withCluster({ prefix: 'hl-cdc', networks: ['10.248.2.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cf = `${haCf('bcast eth0', ['nodea', 'nodeb'])}crm on\n`;
    await startLifeline(a, cf);
    await startLifeline(b, cf);
    await waitAllActive([a, b]);
    const cib = async (h: typeof a) => {
      const st = (await controlRequest(join(h.dirs.run, 'heartbeat'), { cmd: 'status' }))?.status as StatusSnapshot | undefined;
      return st?.configDigest.match(/ cib=(\d+\.\d+-[0-9a-f]{8})$/)?.[1];
    };
    // The peer's part as membership recorded it from its status messages: the same on both sides once the CIB is synced.
    let first = '';
    await until('both advertise one CIB part', async () => { const [x, y] = [await cib(a), await cib(b)]; first = x ?? ''; return x !== undefined && x === y; }, 40000);
    // A change goes through the DC: wait until both know one (the election waits for membership to settle).
    const dcOf = async (h: typeof a) => ((await controlRequest(join(h.dirs.run, 'heartbeat'), { cmd: 'status' }))?.status as StatusSnapshot | undefined)?.crm?.dc;
    await until('a DC known to both', async () => { const [x, y] = [await dcOf(a), await dcOf(b)]; return x !== undefined && x !== null && x === y; }, 40000);
    const r = await controlRequest(join(b.dirs.run, 'heartbeat'), { cmd: 'cib_replace', section: 'configuration', xml:
      '<configuration><crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o-stonith" name="stonith-enabled" value="false"/></cluster_property_set></crm_config><nodes/><resources/><constraints/></configuration>' }, 30000);
    assert.equal(r?.ok, true, JSON.stringify(r));
    let second = '';
    await until('the commit reaches both parts', async () => { const [x, y] = [await cib(a), await cib(b)]; second = x ?? ''; return x !== first && x === y; }, 20000);
    const [e1, e2] = [Number(first.split('-')[0]!.split('.')[1]), Number(second.split('-')[0]!.split('.')[1])];
    assert.ok(e2 > e1, `epoch ${e1} -> ${e2}`);
    // Past the settle time (5 s at this deadtime): the moment the two differed during the commit is not reported.
    await new Promise((res) => setTimeout(res, 6000));
    for (const h of [a, b]) assert.doesNotMatch(await h.readLog(), /CIB of node \S+ differs from ours/);
    // Both see the other's files as the same (the CIB part is not a file difference).
    assert.deepEqual(await peerView(a), { state: 'same' });
  });
});
