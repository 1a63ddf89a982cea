// From a parsed ha.cf to the membership machine: the capture cluster's own ha.cf, and the media names links carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaCf } from '../../src/config/hacf.js';
import { initialState, linkStatus, membershipConfig, membershipInputFromHaCf } from '../../src/membership/index.js';
import { generation, millis, nodeName } from '../../src/types.js';

const id = { self: nodeName('nodeb'), uuid: new Uint8Array(16), generation: generation(7), wallClockOffset: millis(0) };

test('the capture cluster\'s ha.cf gives the timings the real nodes ran with', () => {
  const text = 'keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea\nnode nodeb\n';
  const h = parseHaCf(text, 'ha.cf', 'nodeb');
  assert.ok(h.value, JSON.stringify(h.diagnostics));
  const r = membershipConfig(membershipInputFromHaCf(h.value, id));
  assert.ok(r.ok);
  const c = r.value.config;
  assert.deepEqual([c.keepalive, c.deadtime, c.warntime, c.initdead, c.rexmitDelayMax], [1000, 5000, 3000, 10000, 250]);
  assert.deepEqual(c.nodes, ['nodea', 'nodeb']);
  assert.deepEqual(c.media, ['eth0']);
  assert.equal(c.autojoin, 'none');
  assert.equal(linkStatus(initialState(c), 'nodea', 'eth0'), 'init');
});

test('links are named by interface, or by device for serial media; one interface used twice is one link', () => {
  const text = 'keepalive 100ms\ndeadtime 500ms\nbcast eth0\nucast eth0 10.0.0.2\nmcast eth1 239.0.0.1 694 1 0\nserial /dev/ttyS0\nautojoin other\ncrm on\nauto_failback on\nmax_rexmit_delay 120\nnode nodea nodeb\n';
  const h = parseHaCf(text, 'ha.cf', 'nodeb');
  assert.ok(h.value, JSON.stringify(h.diagnostics));
  const r = membershipConfig(membershipInputFromHaCf(h.value, id));
  assert.ok(r.ok);
  assert.deepEqual(r.value.config.media, ['eth0', 'eth1', '/dev/ttyS0']);
  assert.equal(r.value.config.autojoin, 'other');
  assert.equal(r.value.config.rexmitDelayMax, 120);
  assert.equal(r.value.config.initdead, 12000, "heartbeat's default for a deadtime under 6 s");
});
