// The daemon's log: heartbeat's line format, JSON lines, and rate limiting that keeps a packet flood out of the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLogLine, Logger } from '../../src/daemon/log.js';

test('a log line looks like heartbeat 3.0.6 logfile lines', () => {
  const line = formatLogLine(new Date(2026, 10, 5, 2, 3, 4), 'nodea', 'lifeline', 12428, 'warn', 'node nodeb: is dead');
  assert.equal(line, 'Nov 05 02:03:04 nodea lifeline: [12428]: WARN: node nodeb: is dead\n');
  assert.match(formatLogLine(new Date(), 'n', 'heartbeat', 1, 'crit', 'x'), /^\w{3} \d\d \d\d:\d\d:\d\d n heartbeat: \[1\]: CRIT: x\n$/);
});

test('logfile gets all but debug, debugfile everything, json-log one object per line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lld-log-'));
  try {
    const files = { logfile: join(dir, 'ha-log'), debugfile: join(dir, 'ha-debug'), jsonLog: join(dir, 'log.json') };
    const l = new Logger(files, 'nodea', 'lifeline', () => new Date(2026, 0, 2, 3, 4, 5), 77);
    l.log('info', 'Link nodeb:eth0 up.');
    l.log('debug', 'noise', { node: 'nodeb' });
    assert.equal(readFileSync(files.logfile, 'utf8'), 'Jan 02 03:04:05 nodea lifeline: [77]: info: Link nodeb:eth0 up.\n');
    assert.equal(readFileSync(files.debugfile, 'utf8').split('\n').length, 3);
    const json = readFileSync(files.jsonLog, 'utf8').trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);
    assert.deepEqual(json.map((j) => [j.level, j.text, j.node]), [['info', 'Link nodeb:eth0 up.', undefined], ['debug', 'noise', 'nodeb']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('limited() logs once per interval and then says how many lines it held back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lld-log-'));
  try {
    const logfile = join(dir, 'ha-log');
    const l = new Logger({ logfile }, 'nodea');
    for (let i = 0; i < 1000; i++) l.limited('bad', i, 10000, 'error', 'dropped packet');
    l.limited('other', 5, 10000, 'error', 'other problem');
    l.limited('bad', 10000, 10000, 'error', 'dropped packet');
    const lines = readFileSync(logfile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[2]!, /ERROR: dropped packet \(999 similar message\(s\) suppressed\)$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable log file does not throw', () => {
  const l = new Logger({ logfile: '/nonexistent-dir/ha-log' }, 'nodea');
  assert.doesNotThrow(() => l.log('error', 'x'));
});
