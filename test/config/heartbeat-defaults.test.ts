// Our defaults against the real heartbeat 3.0.6: `heartbeat -D` prints its default table and exits (no daemon starts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseDuration } from '../../src/config/duration.js';
import { parseBoolean, parseHaCf } from '../../src/config/hacf.js';
import type { HaCf } from '../../src/config/hacf-model.js';

const HEARTBEAT = '/usr/libexec/heartbeat/heartbeat';

/** How each directive heartbeat lists maps onto our HaCf, compared by meaning (1000ms = 1 s, true = on). */
const FIELD: Record<string, (c: HaCf) => unknown> = {
  cluster: (c) => c.cluster, hopfudge: (c) => c.hopfudge, keepalive: (c) => c.keepalive, deadtime: (c) => c.deadtime,
  baud: (c) => c.baud, auto_failback: (c) => c.autoFailback, hbgenmethod: (c) => c.hbgenmethod, realtime: (c) => c.realtime,
  msgfmt: (c) => c.msgfmt, conn_logd_time: (c) => c.connLogdTime, log_badpack: (c) => c.logBadpack, syslogmsgfmt: (c) => c.syslogmsgfmt,
  coredumps: (c) => c.coredumps, pacemaker: (c) => c.pacemaker !== 'off', autojoin: (c) => c.autojoin, uuidfrom: (c) => c.uuidfrom,
  compression: (c) => c.compression, compression_threshold: (c) => c.compressionThreshold,
  traditional_compression: (c) => c.traditionalCompression, max_rexmit_delay: (c) => c.maxRexmitDelay,
  record_config_changes: (c) => c.recordConfigChanges, record_pengine_inputs: (c) => c.recordPengineInputs,
  enable_config_writes: (c) => c.enableConfigWrites, memreserve: (c) => c.memreserve,
};
const TIMES = new Set(['keepalive', 'deadtime', 'conn_logd_time']);

test('every default heartbeat 3.0.6 prints with -D is our default', { skip: !existsSync(HEARTBEAT) && 'heartbeat is not installed (scripts/install-deps.sh installs it)' }, () => {
  const r = spawnSync(HEARTBEAT, ['-D'], { encoding: 'utf8', timeout: 10_000 });
  const rows = r.stdout.split('\n').map((l) => /^(\w+)\s+(\S+)\s+/.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[1] !== 'Directive');
  assert.ok(rows.length >= 20, `heartbeat -D printed ${rows.length} rows:\n${r.stdout}${r.stderr}`);
  const c = parseHaCf('node a\nbcast eth0\n', 'ha.cf', 'a').value!;
  for (const [, name, def] of rows) {
    const field = FIELD[name!];
    assert.ok(field, `heartbeat has a default for ${name} that this test does not map`);
    const expected = TIMES.has(name!) ? parseDuration(def!)!.ms : /^\d+$/.test(def!) ? Number(def) : parseBoolean(def!) ?? def;
    assert.equal(field(c), expected, `${name}: heartbeat ${def}`);
  }
});
