// The web's crm actions through the operator tools' helpers, against a control socket served by the CIB store's pure
// operations (the daemon's answers to cib_*, in-memory): move/clear/cleanup/node standby/online change the CIB as
// crm_resource and crm_standby do; an unknown resource is a refusal; a daemon without a CRM gives "unknown request".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_SOCKET } from '../../../src/daemon/pidfile.js';
import { performChange, printXml } from '../../../src/crm/cib-store/index.js';
import { parseXml, type XEl } from '../../../src/crm/xml-lite.js';
import { crmAction } from '../../../src/web/crm-actions.js';
import { actionResponse } from '../../../src/web/api.js';
import { webGroupCib } from '../web-group-cib.js';

function serve(dir: string, crm: boolean): { server: Server; cib: () => XEl } {
  const r = parseXml(webGroupCib('app-failed-3x'));
  assert.ok(r.ok);
  let cib = r.root;
  const server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const req = JSON.parse(buf.slice(0, nl)) as { cmd: string; [k: string]: unknown };
      let answer: unknown;
      if (!crm || !req.cmd.startsWith('cib_')) answer = { ok: false, error: `unknown request ${req.cmd}` };
      else {
        const { cmd, xml, section, xpath } = req as Record<string, string>;
        const done = performChange(cib, { req: { cmd, ...(xml ? { xml } : {}), ...(section ? { section } : {}), ...(xpath ? { xpath } : {}) } as never }, { origin: 'test' });
        cib = done.cib;
        answer = done.answer;
      }
      sock.end(`${JSON.stringify(answer)}\n`);
    });
  });
  server.listen(join(dir, CONTROL_SOCKET));
  return { server, cib: () => cib };
}

test('web crm actions: move, clear, cleanup, node standby/online change the CIB; refusals and a CRM-less daemon', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-webcrm-'));
  const d = serve(dir, true);
  try {
    await new Promise((res) => d.server.once('listening', res));
    const ask = (action: string, b: Record<string, string>) => crmAction(dir, { cmd: 'crm', action, ...b, via: 'web' });
    assert.equal((await ask('move', { resource: 'g_web', node: 'node2' }))?.ok, true);
    assert.match(printXml(d.cib()), /<rsc_location id="cli-prefer-g_web" rsc="g_web" role="Started" node="node2" score="INFINITY"\/>/);
    assert.equal((await ask('clear', { resource: 'g_web' }))?.ok, true);
    assert.doesNotMatch(printXml(d.cib()), /cli-prefer-g_web/);
    assert.match(printXml(d.cib()), /fail-count-app/);
    assert.equal((await ask('cleanup', { resource: 'app', node: 'node1' }))?.ok, true);
    assert.doesNotMatch(printXml(d.cib()), /fail-count-app/);
    assert.equal((await ask('node-standby', { node: 'node2' }))?.ok, true);
    assert.match(printXml(d.cib()), /name="standby" value="on"/);
    assert.equal((await ask('node-online', { node: 'node2' }))?.ok, true);
    assert.match(printXml(d.cib()), /name="standby" value="off"/);
    const bad = await ask('move', { resource: 'nope', node: 'node2' });
    assert.equal(bad?.ok, false);
    assert.throws(() => actionResponse(bad, { cmd: 'crm' }), (e: Error & { status?: number }) => /nope/.test(e.message) && e.status === 409);
  } finally {
    d.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const dir2 = mkdtempSync(join(tmpdir(), 'll-webcrm-'));
  const h = serve(dir2, false);
  try {
    await new Promise((res) => h.server.once('listening', res));
    const a = await crmAction(dir2, { cmd: 'crm', action: 'move', resource: 'g_web', node: 'node2' });
    assert.throws(() => actionResponse(a, { cmd: 'crm' }), (e: Error & { status?: number }) => e.status === 501);
  } finally {
    h.server.close();
    rmSync(dir2, { recursive: true, force: true });
  }
  // No daemon at all: silence, which the API answers 503.
  assert.equal(await crmAction(join(tmpdir(), 'no-such-run-dir-ll'), { cmd: 'crm', action: 'clear', resource: 'g_web' }), undefined);
});
