// The demo's rewrite of examples/web-server: node names kept, the example's subnets moved into the demo range,
// demo timing and a private log written over the example's, and the example directory itself left untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { adaptExample } from '../../src/cli/demo/example.js';
import { parseHaCf } from '../../src/config/hacf.js';
import { parseHaresources } from '../../src/config/haresources.js';

const timing = { keepaliveMs: 200, deadtimeMs: 2000, warntimeMs: 1000, initdeadMs: 2000 };
const place = { base: '10.250', firstNet: 1 };
const example = () => ({
  haCf: readFileSync('examples/web-server/ha.cf', 'utf8'),
  haresources: readFileSync('examples/web-server/haresources', 'utf8'),
  authkeys: readFileSync('examples/web-server/authkeys', 'utf8'),
});

test('the shipped web-server example becomes a demo cluster: same nodes, VIP and heartbeat link in 10.250/16, demo timing', () => {
  const r = adaptExample(example(), timing, place);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const ex = r.value;
  assert.deepEqual(ex.nodes, [{ name: 'node1.example.com', host: 'node1' }, { name: 'node2.example.com', host: 'node2' }]);
  // The VIP's subnet takes eth0; the ucast line's subnet stays on eth1, where the example sends heartbeats.
  assert.deepEqual(ex.networks, ['10.250.1.0/24', '10.250.2.0/24']);
  assert.deepEqual(ex.vips, ['10.250.1.5']);
  assert.deepEqual(ex.scripts, ['httpd']);
  assert.equal(ex.autoFailback, 'on');
  assert.match(ex.files.haCf, /^ucast eth1 10\.250\.2\.1\b/m);
  assert.match(ex.files.haCf, /^keepalive 200ms\b/m);
  assert.match(ex.files.haCf, /^deadtime 2\b/m);
  assert.doesNotMatch(ex.files.haCf, /^\s*logfile/m);
  assert.match(ex.files.haresources, /^node1\.example\.com 10\.250\.1\.5 httpd/m);
  assert.ok(ex.changes.includes('deadtime 30 s → 2 s'), ex.changes.join('\n'));
  // The result is a configuration heartbeat would accept, for either node.
  for (const n of ex.nodes) {
    const cf = parseHaCf(ex.files.haCf, 'ha.cf', n.name);
    assert.deepEqual(cf.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(cf.value?.deadtime, 2000);
    assert.equal(cf.value?.keepalive, 200);
  }
  const hr = parseHaresources(ex.files.haresources, 'haresources', ex.nodes.map((n) => n.name));
  assert.deepEqual(hr.diagnostics.filter((d) => d.severity === 'error'), []);
});

test('timing directives the example leaves out are added; another subnet base moves every address', () => {
  const r = adaptExample({ haCf: 'bcast eth0\nnode a b\nauto_failback off\n', haresources: 'a 192.168.7.20/24 svc \\\n  other\n', authkeys: 'auth 1\n1 crc\n' },
    timing, { base: '10.250', firstNet: 11 });
  assert.ok(r.ok);
  assert.deepEqual(r.value.networks, ['10.250.11.0/24']);
  assert.deepEqual(r.value.vips, ['10.250.11.20']);
  assert.deepEqual(r.value.scripts, ['svc', 'other'], 'a continued line is part of the group');
  assert.match(r.value.files.haCf, /^initdead 2 {2}# demo$/m);
  assert.equal(r.value.autoFailback, 'off');
});

test('an example the demo cannot run is refused with the file and the value', () => {
  const three = adaptExample({ haCf: 'bcast eth0\nnode a b c\n', haresources: '', authkeys: '' }, timing, place, 'ex');
  assert.ok(!three.ok);
  assert.equal(three.error.code, 'LL_DEMO_EXAMPLE');
  assert.equal(three.error.location?.file, 'ex/ha.cf');
  assert.equal(three.error.found, 'a b c');
  const badName = adaptExample({ haCf: 'bcast eth0\nnode 1st second\n', haresources: '', authkeys: '' }, timing, place, 'ex');
  assert.ok(!badName.ok);
  assert.equal(badName.error.location?.line, 2);
  assert.equal(badName.error.found, '1st');
});
