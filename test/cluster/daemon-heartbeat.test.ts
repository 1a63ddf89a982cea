// `lifeline daemon` and a real heartbeat 3.0.6 daemon form one cluster on bcast (sha1, md5, crc), mcast and ucast (sha1):
// each logs the other's link up and status active; each declares the other dead after a kill -9 (Lifeline restarts in between).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { heartbeatKind, startDaemon, withCluster, type Host } from '../../src/harness/index.js';
import { crashAndMeasure, DEADTIME_MS, haCf, KEEPALIVE_MS, startLifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/libexec/heartbeat/heartbeat');
const bound = DEADTIME_MS + KEEPALIVE_MS + 1500;
const methods = (process.env.LLD_HB_METHODS ?? 'sha1,md5,crc').split(',');

/** One mixed cluster: the medium, its ha.cf line for a node (ucast names the peer), the auth method. */
interface Case { medium: 'bcast' | 'mcast' | 'ucast'; method: string; subnet: number }
const cases: Case[] = [
  ...methods.map((method, i) => ({ medium: 'bcast' as const, method, subnet: 10 + i })),
  { medium: 'mcast', method: 'sha1', subnet: 13 },
  { medium: 'ucast', method: 'sha1', subnet: 14 },
];

function mediaLine(medium: Case['medium'], peer: Host): string {
  if (medium === 'mcast') return 'mcast eth0 239.0.0.44 694 1 0';
  if (medium === 'ucast') return `ucast eth0 ${peer.address()}`;
  return 'bcast eth0';
}

for (const [i, { medium, method, subnet }] of cases.entries()) {
  test(`Lifeline and heartbeat 3.0.6 on ${medium} (${method}): both active, each detects the other's crash`, { skip: canRun ? false : 'needs root and heartbeat', timeout: 60000 }, async (t) => {
    const authkeys = `auth 2\n2 ${method}${method === 'crc' ? '' : ' lifeline-interop-key'}\n`;
    await withCluster({ prefix: `lld-hb${i}`, networks: [`10.240.${subnet}.0/24`], hosts: ['nodea', 'nodeb'] }, async (c) => {
      const [a, b] = [c.host('nodea'), c.host('nodeb')];
      const cfA = haCf(mediaLine(medium, b), ['nodea', 'nodeb']);
      const cfB = haCf(mediaLine(medium, a), ['nodea', 'nodeb']);
      await startLifeline(a, cfA, authkeys);
      const hb = await startDaemon(b, { haCf: cfB, authkeys, haresources: '' }, heartbeatKind);
      assert.equal(hb.launcherExit, 0, await b.readLog(hb.outputFile));
      await waitAllActive([a, b]);
      for (const [h, peer] of [[a, 'nodeb'], [b, 'nodea']] as const) {
        const log = await h.readLog();
        // Lifeline's status messages carry its `llcfg` digest field: heartbeat takes them without a word (its only
        // ERROR line is about its own mlockall in a namespace with small memlock limits).
        assert.doesNotMatch(log, new RegExp(`ERROR: (?!Cannot lock ourselves into memory)|Late heartbeat|node ${peer}: is dead|bad node|replay attack|dropped packet|Cannot rexmit`), `${h.name}'s log:\n${log}`);
      }

      // heartbeat detects Lifeline's crash (past Lifeline's 5 s start-up dead time boost).
      await new Promise((r) => setTimeout(r, 5500));
      const [hbSaw] = await crashAndMeasure(a, [b]);
      t.diagnostic(`${medium} ${method}: heartbeat declared the crashed Lifeline dead after ${hbSaw} ms`);
      assert.ok(hbSaw! < bound, `${hbSaw} ms`);

      // Lifeline comes back (new generation); heartbeat takes it as a restart; then Lifeline detects heartbeat's crash.
      const [markA, markB] = [await a.logMark(), await b.logMark()];
      await startLifeline(a, cfA, authkeys);
      await b.waitForLog(/Heartbeat restart on node nodea/, { since: markB, timeoutMs: 20000 });
      await b.waitForLog(/Status update for node nodea: status active/, { since: markB, timeoutMs: 20000 });
      await a.waitForLog(/Link nodeb:eth0 up/, { since: markA, timeoutMs: 20000 });
      await a.waitForLog(/Status update for node nodeb: status active/, { since: markA, timeoutMs: 20000 });
      const [llSaw] = await crashAndMeasure(b, [a]);
      t.diagnostic(`${medium} ${method}: Lifeline declared the crashed heartbeat dead after ${llSaw} ms`);
      assert.ok(llSaw! < bound, `${llSaw} ms`);
      assert.ok(llSaw! > DEADTIME_MS - KEEPALIVE_MS - 100, `not before deadtime: ${llSaw} ms`);
    });
  });
}
