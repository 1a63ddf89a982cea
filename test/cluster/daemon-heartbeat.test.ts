// `lifeline daemon` and a real heartbeat 3.0.6 daemon form one cluster (sha1, md5 and crc authkeys): each logs the
// other's link up and status active; each declares the other dead after it crashes (Lifeline restarts in between).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { heartbeatKind, startDaemon, withCluster } from '../../src/harness/index.js';
import { crashAndMeasure, DEADTIME_MS, haCf, KEEPALIVE_MS, startLifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');
const bound = DEADTIME_MS + KEEPALIVE_MS + 1500;
const methods = (process.env.LLD_HB_METHODS ?? 'sha1,md5,crc').split(',');

for (const [i, method] of methods.entries()) {
  test(`Lifeline and heartbeat 3.0.6 (${method}): both active, each detects the other's crash`, { skip: canRun ? false : 'needs root and heartbeat', timeout: 60000 }, async (t) => {
    const authkeys = `auth 2\n2 ${method}${method === 'crc' ? '' : ' lifeline-interop-key'}\n`;
    await withCluster({ prefix: `lld-hb${i}`, networks: [`10.240.${10 + i}.0/24`], hosts: ['nodea', 'nodeb'] }, async (c) => {
      const [a, b] = [c.host('nodea'), c.host('nodeb')];
      const cf = haCf('bcast eth0', ['nodea', 'nodeb']);
      await startLifeline(a, cf, authkeys);
      const hb = await startDaemon(b, { haCf: cf, authkeys, haresources: '' }, heartbeatKind);
      assert.equal(hb.launcherExit, 0, await b.readLog(hb.outputFile));
      await waitAllActive([a, b]);
      for (const [h, peer] of [[a, 'nodeb'], [b, 'nodea']] as const) {
        const log = await h.readLog();
        assert.doesNotMatch(log, new RegExp(`Late heartbeat|node ${peer}: is dead|bad node|replay attack|dropped packet|Cannot rexmit`), `${h.name}'s log:\n${log}`);
      }

      // heartbeat detects Lifeline's crash (past Lifeline's 5 s start-up dead time boost).
      await new Promise((r) => setTimeout(r, 5500));
      const [hbSaw] = await crashAndMeasure(a, [b]);
      t.diagnostic(`${method}: heartbeat declared the crashed Lifeline dead after ${hbSaw} ms`);
      assert.ok(hbSaw! < bound, `${hbSaw} ms`);

      // Lifeline comes back (new generation); heartbeat takes it as a restart; then Lifeline detects heartbeat's crash.
      const [markA, markB] = [await a.logMark(), await b.logMark()];
      await startLifeline(a, cf, authkeys);
      await b.waitForLog(/Heartbeat restart on node nodea/, { since: markB, timeoutMs: 20000 });
      await b.waitForLog(/Status update for node nodea: status active/, { since: markB, timeoutMs: 20000 });
      await a.waitForLog(/Status update for node nodeb: status active/, { since: markA, timeoutMs: 20000 });
      const [llSaw] = await crashAndMeasure(b, [a]);
      t.diagnostic(`${method}: Lifeline declared the crashed heartbeat dead after ${llSaw} ms`);
      assert.ok(llSaw! < bound, `${llSaw} ms`);
    });
  });
}
