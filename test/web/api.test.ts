// The API's pure decisions: who is authenticated where, what an action becomes on the control socket and which
// answers are refused, event paging, and the listener and token-file rules. No sockets, no daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventRing } from '../../src/events/ring.js';
import { actionRequest, actionResponse, authenticate, credential, eventsPage, resourcesOf, statusOf } from '../../src/web/api.js';
import type { StatusSnapshot } from '../../src/daemon/daemon.js';
import { listenerProblem } from '../../src/web/server.js';
import { CsrfTokens, loadTokenFile, WebError } from '../../src/web/security.js';
import { parseListen } from '../../src/cli/commands/web.js';
import { groupId } from '../../src/daemon/socket-access.js';
import { crmResources } from '../../src/web/crm-view.js';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';
const code = (f: () => unknown) => { try { f(); return 'none'; } catch (e) { return e instanceof WebError ? `${e.status} ${e.code}` : String(e); } };

test('anonymous reading only from loopback on a loopback listener; a wrong token is refused and counted everywhere', () => {
  const loop = { tls: false, loopback: true, token: TOKEN };
  const wide = { tls: true, loopback: false, token: TOKEN };
  let failures = 0;
  const count = () => { failures++; };
  assert.equal(authenticate({ headers: {}, remote: '127.0.0.1' }, loop, count), 'anonymous');
  assert.equal(authenticate({ headers: {}, remote: '::ffff:127.0.0.1' }, loop, count), 'anonymous');
  assert.equal(code(() => authenticate({ headers: {}, remote: '10.231.1.2' }, loop, count)), '401 LL_WEB_AUTH_REQUIRED');
  assert.equal(code(() => authenticate({ headers: {}, remote: '127.0.0.1' }, wide, count)), '401 LL_WEB_AUTH_REQUIRED');
  assert.equal(authenticate({ headers: { authorization: `Bearer ${TOKEN}` }, remote: '10.231.1.2' }, wide, count), 'token');
  const basic = `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`;
  assert.equal(authenticate({ headers: { authorization: basic }, remote: '10.231.1.2' }, wide, count), 'token');
  assert.equal(failures, 0);
  assert.equal(code(() => authenticate({ headers: { authorization: 'Bearer wrong-token-wrong-token' }, remote: '127.0.0.1' }, loop, count)), '401 LL_WEB_TOKEN_WRONG');
  assert.equal(code(() => authenticate({ headers: { authorization: `Bearer ${TOKEN}` }, remote: '127.0.0.1' }, { tls: false, loopback: true }, count)), '401 LL_WEB_TOKEN_WRONG', 'no token file: nothing authenticates');
  assert.equal(failures, 2);
  assert.equal(credential('Basic !!!'), undefined);
});

test('actions become control-socket requests; bad bodies are 400 and name the field', () => {
  assert.deepEqual(actionRequest('standby', ''), { cmd: 'standby', which: 'all', via: 'web' });
  assert.deepEqual(actionRequest('takeover', '{"which":"foreign"}'), { cmd: 'takeover', which: 'foreign', via: 'web' });
  assert.deepEqual(actionRequest('crm/move', '{"resource":"vip","node":"nodeb"}'), { cmd: 'crm', action: 'move', resource: 'vip', node: 'nodeb', via: 'web' });
  assert.deepEqual(actionRequest('crm/node-standby', '{"node":"nodea"}'), { cmd: 'crm', action: 'node-standby', node: 'nodea', via: 'web' });
  assert.equal(code(() => actionRequest('standby', '{"which":"everything"}')), '400 LL_WEB_BAD_BODY');
  assert.equal(code(() => actionRequest('standby', '{"which":"all","x":1}')), '400 LL_WEB_BAD_BODY');
  assert.equal(code(() => actionRequest('standby', '[1]')), '400 LL_WEB_BAD_BODY');
  assert.equal(code(() => actionRequest('standby', '{')), '400 LL_WEB_BAD_JSON');
  assert.equal(code(() => actionRequest('crm/move', '{"node":"nodeb"}')), '400 LL_WEB_BAD_BODY');
  assert.equal(code(() => actionRequest('crm/cleanup', '{"resource":"../../etc"}')), '400 LL_WEB_BAD_BODY');
  assert.equal(code(() => actionRequest('reboot', '')), '404 LL_WEB_NOT_FOUND');
});

test('the daemon\'s answers: ok is 202, a refusal 409 with its words, an unknown request 501, silence 503', () => {
  const r = { cmd: 'standby' };
  assert.equal(actionResponse({ ok: true }, r).status, 202);
  assert.equal(code(() => actionResponse({ ok: false, error: 'standby: this node is shutting down' }, r)), '409 LL_WEB_DAEMON_REFUSED');
  assert.equal(code(() => actionResponse({ ok: false, error: 'unknown request crm' }, { cmd: 'crm' })), '501 LL_WEB_NOT_SUPPORTED');
  assert.equal(code(() => actionResponse(undefined, r)), '503 LL_WEB_DAEMON_DOWN');
});

test('events are paged by sequence number, oldest first, with the since of the next page', () => {
  const ring = new EventRing(() => 0, () => 0);
  for (let i = 0; i < 7; i++) ring.fromControl({ cmd: 'standby', which: 'all' });
  const evs = ring.since(0).events;
  const p1 = eventsPage(evs, new URLSearchParams('limit=3')) as { events: { seq: number }[]; next: number; more: boolean };
  assert.deepEqual(p1.events.map((e) => e.seq), [1, 2, 3]);
  assert.deepEqual([p1.next, p1.more], [3, true]);
  const p3 = eventsPage(evs, new URLSearchParams('since=6&limit=3')) as typeof p1;
  assert.deepEqual([p3.events.map((e) => e.seq), p3.more], [[7], false]);
  assert.equal(code(() => eventsPage(evs, new URLSearchParams('limit=0'))), '400 LL_WEB_BAD_QUERY');
  assert.equal(code(() => eventsPage(evs, new URLSearchParams('since=-1'))), '400 LL_WEB_BAD_QUERY');
  assert.equal(code(() => eventsPage(evs, new URLSearchParams('limit=5000'))), '400 LL_WEB_BAD_QUERY');
});

test('a non-loopback listener needs TLS and a token; CSRF tokens are bound to the API token', () => {
  assert.equal(listenerProblem({ host: '127.0.0.1' }), undefined);
  assert.match(listenerProblem({ host: '0.0.0.0', token: TOKEN }) ?? '', /^LL_WEB_TLS_REQUIRED/);
  assert.match(listenerProblem({ host: '10.231.1.2', tls: { cert: 'c', key: 'k' } }) ?? '', /^LL_WEB_TOKEN_REQUIRED/);
  assert.equal(listenerProblem({ host: '10.231.1.2', token: TOKEN, tls: { cert: 'c', key: 'k' } }), undefined);
  const c = new CsrfTokens();
  assert.equal(c.valid(TOKEN, c.issue(TOKEN)), true);
  assert.equal(c.valid(TOKEN, c.issue('another-token-of-some-length')), false);
  assert.equal(c.valid(TOKEN, undefined), false);
  assert.deepEqual(parseListen('127.0.0.1:7630'), { host: '127.0.0.1', port: 7630 });
  assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseListen('9000'), { host: '127.0.0.1', port: 9000 });
  assert.equal(parseListen('host:99999'), undefined);
  assert.equal(groupId('haclient', 'root:x:0:\nhaclient:x:105:\n'), 105);
  assert.equal(groupId('nope', 'root:x:0:\n'), undefined);
});

test('the token file is refused when others may read it, or when it is short, as authkeys is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-token-'));
  try {
    const f = join(dir, 'token');
    writeFileSync(f, `${TOKEN}\n`);
    chmodSync(f, 0o644);
    assert.equal(code(() => loadTokenFile(f)), '0 LL_WEB_TOKEN_PERMISSIONS');
    chmodSync(f, 0o600);
    assert.equal(loadTokenFile(f), TOKEN);
    writeFileSync(f, 'short\n');
    assert.equal(code(() => loadTokenFile(f)), '0 LL_WEB_TOKEN_SHORT');
    assert.equal(code(() => loadTokenFile(join(dir, 'missing'))), '0 LL_WEB_TOKEN_UNREADABLE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the OpenAPI checker catches undocumented statuses and bodies that do not fit', async () => {
  const { loadOpenApi, contractProblems } = await import('./openapi-check.js');
  const doc = loadOpenApi();
  assert.deepEqual(contractProblems(doc, 'GET', '/api/v1/events', 400, { error: { code: 'LL_WEB_BAD_QUERY', message: 'x' } }), []);
  assert.deepEqual(contractProblems(doc, 'POST', '/api/v1/actions/crm/move', 501, { error: { code: 'LL_WEB_NOT_SUPPORTED', message: 'x' } }), []);
  assert.match(contractProblems(doc, 'GET', '/api/v1/events', 418, {}).join(), /not documented/);
  assert.match(contractProblems(doc, 'GET', '/api/v1/nodes', 200, { nodes: [{ name: 'a', status: 'up', self: 'no', links: [], lateHeartbeats: 0 }] }).join(), /nodes\[0\]\.self: expected boolean/);
  assert.match(contractProblems(doc, 'GET', '/api/v1/nope', 200, {}).join(), /not in the OpenAPI file/);
});

test('status: DC and quorum are null in haresources mode and the CRM\'s with crm on', () => {
  const base = {
    node: 'node1', pid: 1, version: '0', generation: 1, uptimeMs: 1, commUp: true, nodes: [], configDigest: '', media: [], counters: {},
  } as unknown as StatusSnapshot;
  const view = (status: StatusSnapshot) => ({ daemonUp: true, updatedAt: 0, status, totals: {}, lateByNode: {}, gaps: [] });
  const hares = statusOf(view(base));
  assert.equal(hares.dc, null);
  assert.equal(hares.quorum, null);
  const crm = { dc: 'node2', quorum: false, members: ['node1', 'node2'], cibVersion: '0:5:1', transitions: 3, idle: true, counters: {} };
  const withCrm = statusOf(view({ ...base, crm } as StatusSnapshot));
  assert.equal(withCrm.dc, 'node2');
  assert.equal(withCrm.quorum, false);
});

test('crm on: resources are the CIB\'s primitives with where they run and their fail counts, and fit the OpenAPI file', async () => {
  const { loadOpenApi, contractProblems } = await import('./openapi-check.js');
  const { webGroupCib, FAILED_AT } = await import('../crm/web-group-cib.js');
  const base = {
    node: 'node1', pid: 1, version: '0', generation: 1, uptimeMs: 1, commUp: true, nodes: [], configDigest: '', media: [], counters: {},
    crm: { dc: 'node1', quorum: true, members: ['node1', 'node2'], cibVersion: '0:5:1', transitions: 3, idle: true, counters: {} },
  } as unknown as StatusSnapshot;
  const crm = crmResources(webGroupCib('app-failed-3x'), FAILED_AT + 60, { dc: 'node1', quorum: true });
  assert.ok(crm);
  const body = resourcesOf({ daemonUp: true, updatedAt: 0, status: base, crm, totals: {}, lateByNode: {}, gaps: [] }) as {
    mode: string; resources: { id: string; group?: string; line: string; heldBy: string | null; failCount: number; failed: boolean }[] };
  assert.equal(body.mode, 'crm');
  assert.deepEqual(body.resources.map((r) => [r.group, r.id, r.line]), [['g_web', 'ip', 'ocf:heartbeat:IPaddr2'], ['g_web', 'app', 'ocf:heartbeat:Dummy']]);
  const app = body.resources.find((r) => r.id === 'app')!;
  assert.equal(app.failCount, 3, 'app failed 3 times on node1');
  assert.equal(app.heldBy, 'node1');
  assert.deepEqual(contractProblems(loadOpenApi(), 'GET', '/api/v1/resources', 200, body), []);
  // Before the first CIB read the list is empty, not haresources' groups.
  assert.deepEqual(resourcesOf({ daemonUp: true, updatedAt: 0, status: base, totals: {}, lateByNode: {}, gaps: [] }), { mode: 'crm', resources: [] });
});

test('crm on metrics: ha_cluster_pacemaker_resources per primitive and node, ha_cluster_pacemaker_fail_count per node', async () => {
  const { ClusterMetrics } = await import('../../src/web/metrics.js');
  const { webGroupCib, FAILED_AT } = await import('../crm/web-group-cib.js');
  const crm = crmResources(webGroupCib('app-failed-3x'), FAILED_AT + 60, { dc: 'node1', quorum: true })!;
  const status = {
    node: 'node1', pid: 1, version: '0', generation: 1, uptimeMs: 1, commUp: true, nodes: [], configDigest: '', media: [], counters: {},
    crm: { dc: 'node1', quorum: true, members: ['node1', 'node2'], cibVersion: '0:5:1', transitions: 3, idle: true, counters: {} },
  } as unknown as StatusSnapshot;
  const m = new ClusterMetrics();
  m.update({ daemonUp: true, updatedAt: 0, status, crm, totals: {}, lateByNode: {}, gaps: [] }, []);
  const text = await m.text();
  assert.match(text, /^ha_cluster_pacemaker_fail_count\{node="node1",resource="app"\} 3$/m);
  assert.match(text, /^ha_cluster_pacemaker_resources\{id="app",node="node1",managed="true",role="started",status="(failed|active)"\} 1$/m);
  assert.match(text, /^ha_cluster_pacemaker_resources_total 2$/m);
});
