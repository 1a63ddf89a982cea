// /etc/ha.d/monitors, Lifeline's haresources monitoring file: parsed against haresources' resources as written,
// every mistake refused with file:line, and `lifeline check` reads it when it exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMonitors } from '../../src/config/monitors.js';
import { parseHaresources } from '../../src/config/haresources.js';
import { formatDiagnostic } from '../../src/errors.js';

const groups = parseHaresources('nodea 10.0.0.5 httpd\nnodeb IPaddr::10.0.0.6/24 Filesystem::/dev/sdb1::/data::ext4\n', '/etc/ha.d/haresources', ['nodea', 'nodeb'] as never).value!;

test('resources as written in haresources, with interval, timeout and restarts, defaults for the rest', () => {
  const r = parseMonitors('# resource options\nhttpd interval=5 timeout=500ms restarts=0\n10.0.0.5\n', '/etc/ha.d/monitors', groups);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value.map((m) => [m.resource, m.group, m.intervalMs, m.timeoutMs, m.restarts, m.line]), [
    ['httpd', 0, 5000, 500, 0, 2],
    ['10.0.0.5', 0, 10_000, 20_000, 3, 3],
  ]);
});

test('unknown resources, options, bad values and duplicates are refused with file:line', () => {
  const r = parseMonitors('nginx\nhttpd interval=soon\nhttpd restarts=-1\nhttpd\nhttpd\nIPaddr::10.0.0.6/24 every=5\n', '/etc/ha.d/monitors', groups);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.location?.line]), [
    ['LL_MONITORS_UNKNOWN_RESOURCE', 1], ['LL_MONITORS_BAD_VALUE', 2], ['LL_MONITORS_BAD_VALUE', 3], ['LL_MONITORS_DUPLICATE', 5], ['LL_MONITORS_BAD_OPTION', 6],
  ]);
  assert.match(formatDiagnostic(r.diagnostics[0]!), /^\/etc\/ha\.d\/monitors:1: ERROR: resource "nginx" is in no haresources group/);
});
