// heartbeat's time syntax, checked value by value against what libplumb's cl_get_msec returned on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/config/duration.js';

test('a bare number is seconds, ms and us are honoured, rounding as get_msec rounds', () => {
  // Each pair was observed from cl_get_msec in Debian's libplumb (heartbeat 3.0.6's own parser).
  const observed: Array<[string, number]> = [['2', 2000], ['1.5', 1500], ['0.1', 100], ['.5', 500], ['500ms', 500],
    ['500 ms', 500], ['2MS', 2], ['100us', 0], ['501us', 1], ['499us', 0], ['10', 10000], ['100ms', 100]];
  for (const [text, ms] of observed) {
    assert.equal(parseDuration(text)?.ms, ms, text);
    assert.equal(parseDuration(text)?.heartbeatCompatible, true, text);
  }
});

test('what get_msec refuses is refused, except "2s"/"2sec", accepted as a marked Lifeline extension', () => {
  for (const bad of ['abc', '', '-1', '1e3', '2 3', '1m', '1min', '1h', '1hr', '2x', '3secs']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
  assert.deepEqual(parseDuration('2s'), { ms: 2000, heartbeatCompatible: false });
  assert.deepEqual(parseDuration('1.5sec'), { ms: 1500, heartbeatCompatible: false });
});

test('durations are written back the way an administrator writes them', () => {
  assert.equal(formatDuration(30000), '30');
  assert.equal(formatDuration(500), '500ms');
});
