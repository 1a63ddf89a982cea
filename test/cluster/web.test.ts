// `lifeline web` on a real two-node cluster in namespaces (hw-*, 10.231.1.0/24): chromium shows both nodes and the
// group's owner, the owner is killed, the page draws the failover; /metrics against status; the API's guards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import parsePrometheus from 'parse-prometheus-text-format';
import { chromium } from 'playwright-core';
import { lifelineKind, startDaemon, withCluster } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';
import { AUTHKEYS, DEADTIME_MS, haCf, lifeline } from './daemon-fixture.js';
import { chromiumInHost, curl, load, runWeb, startWeb, TOKEN, webFiles, type Answer } from './web-rig.js';
import { contractProblems, loadOpenApi } from '../web/openapi-check.js';

const canRun = process.getuid?.() === 0;
const VIP = '10.231.1.100';
const ARTEFACTS = join(repoRoot(), 'dist', 'test-artifacts', 'web');
const doc = loadOpenApi(join(repoRoot(), 'docs', 'openapi.json'));
const dummysvc = '#!/bin/sh\ncase "$1" in start) touch /var/run/heartbeat/dummysvc.running ;; stop) rm -f /var/run/heartbeat/dummysvc.running ;;\nstatus) [ -e /var/run/heartbeat/dummysvc.running ] && echo running || echo stopped ;; esac\nexit 0\n';

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Asserts that an API answer is one the OpenAPI file documents, with a fitting body. */
function contract(method: string, path: string, a: Answer): void {
  assert.deepEqual(contractProblems(doc, method, path.replace(/\?.*$/, ''), a.status, a.json), [], `${method} ${path} → ${a.status} ${a.body.slice(0, 300)}`);
}

type Families = ReturnType<typeof parsePrometheus>;
const sample = (m: Families, name: string, labels: Record<string, string> = {}) =>
  m.find((f) => f.name === name)?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
const value = (m: Families, name: string, labels: Record<string, string> = {}) => Number(sample(m, name, labels)?.value ?? NaN);

test('web: the page shows the failover, /metrics matches status, actions need TLS+token+CSRF, guards hold under load', { skip: canRun ? false : 'needs root', timeout: 180000 }, async (t) => {
  mkdirSync(ARTEFACTS, { recursive: true });
  await withCluster({ prefix: 'hw-web', networks: ['10.231.1.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cfg = { haCf: haCf('bcast eth0', ['nodea', 'nodeb']), authkeys: AUTHKEYS, haresources: `nodea ${VIP} dummysvc\n`, resourceScripts: { dummysvc } };
    await startDaemon(a, cfg, lifelineKind());
    await startDaemon(b, cfg, lifelineKind());
    const bAddr = b.links[0]!.address;
    const files = await webFiles(b, [bAddr, '127.0.0.1']);

    // Refusals at start: a non-loopback listener without TLS, a token file others may read.
    const noTls = await runWeb(b, ['--listen', `${bAddr}:7631`, '--token-file', files.token]);
    assert.equal(noTls.code, 1);
    assert.match(noTls.stderr, /LL_WEB_TLS_REQUIRED: --listen 10\.231\.1\.2 is not a loopback address: it needs --tls-cert and --tls-key/);
    const loose = join(files.dir, 'token-644');
    writeFileSync(loose, `${TOKEN}\n`);
    chmodSync(loose, 0o644);
    const badMode = await runWeb(b, ['--listen', `${bAddr}:7631`, '--token-file', loose, '--tls-cert', files.cert, '--tls-key', files.key]);
    assert.equal(badMode.code, 1);
    assert.match(badMode.stderr, /LL_WEB_TOKEN_PERMISSIONS: .*token-644: token file has mode 644/);

    startWeb(b, [], join(files.dir, 'web-plain.out'));
    startWeb(b, ['--listen', `${bAddr}:7631`, '--token-file', files.token, '--tls-cert', files.cert, '--tls-key', files.key], join(files.dir, 'web-tls.out'));
    const plain = 'http://127.0.0.1:7630';
    const tls = `https://${bAddr}:7631`;
    const auth = { Authorization: `Bearer ${TOKEN}` };
    await until('both web listeners answer', async () => ((await curl(b, `${plain}/api/v1/status`)).status === 200 && (await curl(b, `${tls}/api/v1/status`, { headers: auth })).status === 200) || undefined, 20000);
    await until('nodea holds the group', async () => {
      const r = await curl(b, `${plain}/api/v1/resources`);
      return (r.json as { resources: { heldBy: string | null }[] }).resources[0]?.heldBy === 'nodea' || undefined;
    }, 30000);

    const browser = await chromium.launch({ executablePath: chromiumInHost(b, files.dir), headless: true, args: ['--no-sandbox'] });
    try {
      // The test's own probes are evaluated strings, which the page's CSP (no eval) forbids; the page's script is ours alone.
      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, bypassCSP: true });
      const consoleErrors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      const resp = await page.goto(`${plain}/`);
      assert.match(resp?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
      await page.waitForFunction(`(() => { const t = document.querySelector('#nodes tbody')?.textContent || ''; const r = document.querySelector('#resources tbody')?.textContent || '';
        return /nodea/.test(t) && /nodeb \\(this node\\)/.test(t) && /active/.test(t) && r.includes('${VIP}') && /nodea/.test(r); })()`, undefined, { timeout: 15000 });
      await page.screenshot({ path: join(ARTEFACTS, 'before-failover.png'), fullPage: true });

      // API contract on every read route, then the guards.
      for (const p of ['/api/v1/status', '/api/v1/nodes', '/api/v1/resources', '/api/v1/events?limit=5', '/api/v1/events?limit=0']) contract('GET', p, await curl(b, `${plain}${p}`));
      const noToken = await curl(b, `${tls}/api/v1/status`);
      assert.equal(noToken.status, 401); contract('GET', '/api/v1/status', noToken);
      for (let i = 0; i < 3; i++) assert.equal((await curl(b, `${tls}/api/v1/status`, { headers: { Authorization: 'Bearer wrong-wrong-wrong-wrong' } })).status, 401);
      const tlsMetrics = parsePrometheus((await curl(b, `${tls}/metrics`, { headers: auth })).body);
      assert.equal(value(tlsMetrics, 'lifeline_web_auth_failures_total'), 3, 'wrong tokens counted');
      const plainAction = await curl(b, `${plain}/api/v1/actions/standby`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, data: '{}' });
      assert.equal(plainAction.status, 403); assert.match(plainAction.body, /LL_WEB_TLS_REQUIRED/); contract('POST', '/api/v1/actions/standby', plainAction);
      const noCsrf = await curl(b, `${tls}/api/v1/actions/takeover`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, data: '{}' });
      assert.equal(noCsrf.status, 403); assert.match(noCsrf.body, /LL_WEB_CSRF/);
      for (const p of ['/assets/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2fserver.js']) {
        const r = await curl(b, `${plain}${p}`, { pathAsIs: true });
        assert.equal(r.status, 404, `${p}: ${r.body}`);
        assert.doesNotMatch(r.body, /root:/);
      }
      const big = join(files.dir, 'big.json');
      writeFileSync(big, `{"which":"${'a'.repeat(10 * 1024 * 1024)}"}`);
      const huge = await curl(b, `${tls}/api/v1/actions/standby`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, dataFile: big });
      assert.equal(huge.status, 413); contract('POST', '/api/v1/actions/standby', huge);

      // 1,000 requests/s for 5 s: rate-limited answers, the daemons' heartbeats unaffected.
      await new Promise((r) => setTimeout(r, 5500 - 0)); // past the start-up dead time boost, too
      const marks = await Promise.all([a.logMark(), b.logMark()]);
      const l = await load(b, `${plain}/api/v1/status`, 1000, 5);
      t.diagnostic(`load: ${l.sent} requests in 5 s → ${JSON.stringify(l.byStatus)}`);
      assert.equal(l.sent, 5000);
      assert.ok((l.byStatus['429'] ?? 0) > 4000 && (l.byStatus['200'] ?? 0) >= 100, JSON.stringify(l.byStatus));
      for (const [i, h] of [a, b].entries()) assert.doesNotMatch((await h.readLog()).slice(marks[i]), /Late heartbeat/, `${h.name}: no late heartbeat under load`);
      await new Promise((r) => setTimeout(r, 2500)); // the bucket refills

      // Kill the owner: the page shows nodeb holding the group and the failover on the timeline.
      const mark = await b.logMark();
      const crashed = performance.now();
      await a.crash();
      const seen = page.waitForFunction(`(() => { const r = document.querySelector('#resources tbody')?.textContent || '';
        const f = document.querySelector('g.failover[data-node="nodea"]'); return /nodeb/.test(r) && f && f.getAttribute('data-takeover-ms') !== ''; })()`,
      undefined, { timeout: DEADTIME_MS + 15000 }).then(() => performance.now());
      seen.catch(() => { /* awaited below */ });
      const logged = await b.waitForLog(/mach_down takeover complete for node nodea/, { since: mark, timeoutMs: DEADTIME_MS + 15000 });
      const onPage = await seen;
      const fo = await page.$eval('g.failover[data-node="nodea"]', (g) => [g.getAttribute('data-detection-ms'), g.getAttribute('data-takeover-ms')]);
      t.diagnostic(`crash → takeover logged ${Math.round(logged.seenAt - crashed)} ms, → on the page ${Math.round(onPage - crashed)} ms (${Math.round(onPage - logged.seenAt)} ms after the log line); drawn detection ${fo[0]} ms, takeover ${fo[1]} ms`);
      assert.ok(onPage - logged.seenAt < 2000, `page ${Math.round(onPage - logged.seenAt)} ms after the log line`);
      assert.ok(onPage - crashed < DEADTIME_MS + 3000, `crash → page ${Math.round(onPage - crashed)} ms (deadtime ${DEADTIME_MS} ms)`);
      assert.ok(Number(fo[0]) >= DEADTIME_MS - 50 && Number(fo[0]) < DEADTIME_MS + 1000, `detection ${fo[0]} ms`);
      await page.screenshot({ path: join(ARTEFACTS, 'after-failover.png'), fullPage: true });
      assert.deepEqual(consoleErrors, []);

      // /metrics against lifeline status --json, value by value (counters moving: bracketed by two status reads).
      const before = JSON.parse((await lifeline(b, ['status', '--json'])).stdout) as { counters: Record<string, number>; nodes: { name: string; status: string }[] };
      await new Promise((r) => setTimeout(r, 600));
      const m = parsePrometheus((await curl(b, `${plain}/metrics`)).body);
      const after = JSON.parse((await lifeline(b, ['status', '--json'])).stdout) as typeof before;
      for (const [metric, key] of [['lifeline_packets_sent_total', 'sent'], ['lifeline_packets_received_total', 'received'], ['lifeline_retransmissions_total', 'rexmitsSent']] as const) {
        const v = value(m, metric);
        assert.ok(v >= (before.counters[key] ?? 0) && v <= (after.counters[key] ?? 0), `${metric} ${v} within status ${before.counters[key]}..${after.counters[key]}`);
      }
      for (const n of after.nodes) {
        assert.equal(value(m, 'lifeline_node_status', { node: n.name, status: n.status }), 1, `${n.name} ${n.status}`);
        assert.equal(sample(m, 'ha_cluster_pacemaker_nodes', { name: n.name, status: 'online' }) !== undefined, n.status !== 'dead', n.name);
      }
      // Event-driven series against the daemon's own totals of its event ring.
      const totals = ((await curl(b, `${plain}/api/v1/status`)).json as { totals: Record<string, number> }).totals;
      t.diagnostic(`daemon event totals: ${JSON.stringify(totals)}`);
      assert.equal(totals['takeover-done'], 1, 'one takeover, counted once');
      assert.equal(value(m, 'lifeline_failovers_total'), totals['takeover-done']);
      assert.equal(value(m, 'lifeline_node_deaths_total', { node: 'nodea' }), totals['node-dead']);
      assert.equal(m.find((f) => f.name === 'lifeline_failover_detection_seconds')?.metrics[0]?.count, String(totals['node-dead']));
      assert.equal(value(m, 'ha_cluster_pacemaker_resources', { id: VIP, node: 'nodeb', role: 'started' }), 1);
      assert.equal(value(m, 'lifeline_link_up', { node: 'nodea', link: 'eth0' }), 0);

      // An action with token and CSRF over TLS is carried out by the daemon (its event ring records it).
      const csrf = await curl(b, `${tls}/api/v1/csrf`, { headers: auth });
      contract('GET', '/api/v1/csrf', csrf);
      const ok = await curl(b, `${tls}/api/v1/actions/takeover`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'X-CSRF-Token': (csrf.json as { csrf: string }).csrf }, data: '{"which":"all"}' });
      assert.equal(ok.status, 202, ok.body); contract('POST', '/api/v1/actions/takeover', ok);
      const crm = await curl(b, `${tls}/api/v1/actions/crm/cleanup`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'X-CSRF-Token': (csrf.json as { csrf: string }).csrf }, data: `{"resource":"${VIP}"}` });
      assert.equal(crm.status, 501, crm.body); contract('POST', '/api/v1/actions/crm/cleanup', crm);
      const ev = await until('the command event', async () => {
        const r = await curl(b, `${plain}/api/v1/events?limit=1000`);
        const e = (r.json as { events: { code: string; text: string }[] }).events.find((x) => x.code === 'LL_EV_COMMAND');
        return e;
      }, 3000);
      assert.equal(ev.text, 'command takeover all (via web)');
    } finally {
      await browser.close();
    }
  });
});
