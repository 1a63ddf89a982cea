// Resource messages read from and written to heartbeat's field lists, checked against messages seen in the
// captures of a real heartbeat 3.0.6 cluster (recorded as test/fixtures/heartbeat-3.0.6, fields as decoded there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HaMessage } from '../../src/wire/message.js';
import { parseResourceMessage, resourceMessageFields } from '../../src/resources/messages.js';

const TRANSPORT = new Set(['src', 'seq', 'hg', 'ts', 'ld', 'ttl', 'auth', 'srcuuid', 'destuuid']);

function msg(pairs: Array<[string, string]>): HaMessage {
  return { fields: pairs.map(([name, value]) => ({ name, type: 0 as const, value })) };
}

// Field lists in wire order, as captured (transport fields included where heartbeat puts them).
const captured: Array<Array<[string, string]>> = [
  [['t', 'starting'], ['src', 'nodea'], ['seq', '8']],
  [['t', 'resource'], ['rsc_hold', 'none'], ['rtype', 'full'], ['isstable', '0'], ['src', 'nodeb'], ['seq', '9']],
  [['t', 'resource'], ['rsc_hold', 'local'], ['rtype', 'full'], ['isstable', '1'], ['info', 'req_our_resources()'], ['src', 'nodeb']],
  [['t', 'resource'], ['rsc_hold', 'foreign'], ['info', 'mach_down'], ['src', 'nodeb']],
  [['t', 'ip-request-resp'], ['dest', 'nodea'], ['ipaddr', '10.77.0.100/24/eth0'], ['weown', 'yes'], ['ok', 'OK'], ['src', 'nodea']],
  [['t', 'ask_resources'], ['rsc_hold', 'foreign'], ['info', 'me'], ['src', 'nodeb']],
  [['t', 'ask_resources'], ['rsc_hold', 'foreign'], ['info', 'other'], ['src', 'nodea']],
  [['t', 'stonith'], ['node', 'nodea'], ['result', 'n_stnth'], ['src', 'nodeb']],
  [['t', 'shutdone'], ['st', 'dead'], ['src', 'nodeb']],
];

test('every captured resource message parses and renders back to the same fields in the same order', () => {
  for (const pairs of captured) {
    const parsed = parseResourceMessage(msg(pairs));
    assert.ok(parsed, `not parsed: ${JSON.stringify(pairs)}`);
    assert.deepEqual(resourceMessageFields(parsed), pairs.filter(([n]) => !TRANSPORT.has(n)));
  }
});

test('mach_down\'s resource message has no rtype and no isstable, and parses so', () => {
  const m = parseResourceMessage(msg(captured[3]!));
  assert.deepEqual(m, { t: 'resource', rscHold: 'foreign', info: 'mach_down' });
});

test('messages missing a required field, or of other types, are not resource messages', () => {
  assert.equal(parseResourceMessage(msg([['t', 'resource'], ['rsc_hold', 'some']])), undefined);
  assert.equal(parseResourceMessage(msg([['t', 'ask_resources'], ['rsc_hold', 'all']])), undefined);
  assert.equal(parseResourceMessage(msg([['t', 'status'], ['st', 'active']])), undefined);
  assert.equal(parseResourceMessage(msg([['t', 'ip-request-resp'], ['ipaddr', 'x']])), undefined);
  // heartbeat reads a missing rsc_hold in ask_resources as "all".
  assert.deepEqual(parseResourceMessage(msg([['t', 'ask_resources'], ['info', 'me']])), { t: 'ask_resources', rscHold: 'all', info: 'me' });
});
