// The web with `crm on` on 3 real daemons (real Dummy + IPaddr2): /api/v1/resources lists the CIB's primitives where
// they run, /metrics has them with their fail counts, and a crm move over TLS + token + CSRF moves the group for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { withCluster, type Host } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';
import { DEADTIME_MS, haCf, startLifeline } from './daemon-fixture.js';
import { canRunCrm, runDir } from './crm-rig.js';
import { curl, startWeb, TOKEN, webFiles, type Answer } from './web-rig.js';
import { contractProblems, loadOpenApi } from '../web/openapi-check.js';

const NODES = ['hwc1', 'hwc2', 'hwc3'];
const NET = '10.231.50';
const VIP = `${NET}.150`;
const WAIT_MS = DEADTIME_MS * 10 + 20_000;
const doc = loadOpenApi(join(repoRoot(), 'docs', 'openapi.json'));
const CONFIG = `primitive app ocf:pacemaker:Dummy op monitor interval=5s timeout=15s
primitive vip ocf:heartbeat:IPaddr2 params ip=${VIP} cidr_netmask=24 nic=eth0 op monitor interval=5s timeout=20s
group g app vip
location prefer-1 g 10: hwc1
property stonith-enabled=false
commit
`;

async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await f().catch((e: Error) => { last = e.message; return undefined; });
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Rsc = { id: string; group?: string; heldBy: string | null; failCount: number };
const contract = (method: string, path: string, a: Answer) =>
  assert.deepEqual(contractProblems(doc, method, path, a.status, a.json), [], `${method} ${path} → ${a.status} ${a.body.slice(0, 300)}`);

test('web with crm on: resources and metrics from the CIB, a crm move through the API moves the group', { skip: canRunCrm ? false : 'needs root and the pacemaker/resource-agents packages', timeout: 300_000 }, async () => {
  await withCluster({ prefix: 'hwc', networks: [`${NET}.0/24`], hosts: NODES }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const h1 = hosts[0]!;
    for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}crm on\n`);
    const holder = async () => { const hs: string[] = []; for (const h of hosts) if (await h.hasAddress(VIP)) hs.push(h.name); return hs.length === 1 ? hs[0] : undefined; };
    await until('a DC', async () => spawnSync(process.execPath, [resolve('bin', 'crm_mon.js'), '-1', '--run-dir', runDir(h1)], { encoding: 'utf8' }).stdout.includes('partition with quorum'));
    const cfg = spawnSync(process.execPath, [resolve('bin', 'crm.js'), 'configure', '--run-dir', runDir(h1)], { input: CONFIG, encoding: 'utf8', env: { ...process.env, LIFELINE_RUN_DIR: runDir(h1) } });
    assert.equal(cfg.status, 0, cfg.stderr);
    await until('the group on hwc1', async () => (await holder()) === 'hwc1');

    const addr = `${NET}.1`;
    const files = await webFiles(h1, [addr, '127.0.0.1']);
    startWeb(h1, [], join(files.dir, 'web-plain.out'));
    startWeb(h1, ['--listen', `${addr}:7631`, '--token-file', files.token, '--tls-cert', files.cert, '--tls-key', files.key], join(files.dir, 'web-tls.out'));
    const plain = 'http://127.0.0.1:7630';
    const tls = `https://${addr}:7631`;
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const resources = async (heldBy: string) => {
      const r = await curl(h1, `${plain}/api/v1/resources`);
      const body = r.json as { mode?: string; resources?: Rsc[] } | undefined;
      const rs = body?.resources ?? [];
      return r.status === 200 && body?.mode === 'crm' && rs.length === 2 && rs.every((x) => x.group === 'g' && x.heldBy === heldBy) ? r : undefined;
    };
    const first = await until('the page lists app and vip on hwc1', () => resources('hwc1'), 30_000);
    contract('GET', '/api/v1/resources', first);
    const metrics = (await curl(h1, `${plain}/metrics`)).body;
    assert.match(metrics, /ha_cluster_pacemaker_resources\{id="vip",node="hwc1",managed="true",role="started",status="active"\} 1/);
    assert.match(metrics, /ha_cluster_pacemaker_resources_total 2/);

    // A move through the API, as crm_resource -M does; then clear.
    const csrf = ((await curl(h1, `${tls}/api/v1/csrf`, { headers: auth })).json as { csrf: string }).csrf;
    const post = (action: string, data: string) => curl(h1, `${tls}/api/v1/actions/crm/${action}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, data });
    const moved = await post('move', '{"resource":"g","node":"hwc2"}');
    assert.equal(moved.status, 202, moved.body);
    contract('POST', '/api/v1/actions/crm/move', moved);
    await until('the VIP on hwc2 after the move', async () => (await holder()) === 'hwc2');
    await until('the page shows both on hwc2', () => resources('hwc2'), 30_000);
    const unknown = await post('move', '{"resource":"nosuch","node":"hwc2"}');
    assert.equal(unknown.status, 409, unknown.body);
    const cleared = await post('clear', '{"resource":"g"}');
    assert.equal(cleared.status, 202, cleared.body);
    await until('back on hwc1 after clear (location 10)', async () => (await holder()) === 'hwc1');
  });
});
