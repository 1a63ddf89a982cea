// What goes to syslog for `logfacility` (priority, heartbeat's message form) and heartbeat's wording for each opened medium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FACILITY_CODES, syslogLine, syslogPriority } from '../../src/io/syslog.js';
import { mediumStartedLine } from '../../src/daemon/daemon.js';
import { SYSLOG_FACILITIES } from '../../src/config/hacf.js';

test('every facility ha.cf accepts (but none) has its RFC 5424 code', () => {
  for (const f of SYSLOG_FACILITIES) if (f !== 'none') assert.equal(typeof FACILITY_CODES[f], 'number', f);
  assert.equal(FACILITY_CODES.daemon, 3);
  assert.equal(FACILITY_CODES.local7, 23);
});

test('a WARN line of facility daemon is <28>, carries [pid]: WARN: text as heartbeat\'s cl_log gives syslog, on one line', () => {
  assert.equal(syslogPriority(3, 'warn'), 28);
  assert.equal(syslogPriority(16, 'crit'), 130);
  assert.equal(syslogLine(3, 'warn', 812, 'WARN', 'node nodeb: is dead'), '<28>[812]: WARN: node nodeb: is dead\n');
  assert.equal(syslogLine(3, 'error', 1, 'ERROR', 'two\nlines'), '<27>[1]: ERROR: two lines\n');
});

test('an opened medium is logged with the words of heartbeat\'s plugin', () => {
  assert.equal(mediumStartedLine({ kind: 'bcast', ifname: 'eth0' }), 'glib: UDP Broadcast heartbeat started on port 694 (694) interface eth0');
  assert.equal(mediumStartedLine({ kind: 'mcast', ifname: 'eth1', group: '225.0.0.178', port: 694, ttl: 1, loop: false }),
    'glib: UDP multicast heartbeat started for group 225.0.0.178 port 694 interface eth1 (ttl=1 loop=0)');
  assert.equal(mediumStartedLine({ kind: 'ucast', ifname: 'ens33', host: '172.30.105.101', port: 694 }), 'glib: ucast: started on port 694 interface ens33 to 172.30.105.101');
  assert.equal(mediumStartedLine({ kind: 'serial', device: '/dev/ttyS0' }), 'glib: Starting serial heartbeat on tty /dev/ttyS0 (19200 baud)');
});
