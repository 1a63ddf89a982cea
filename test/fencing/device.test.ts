// ha.cf's stonith lines: which device a node uses (heartbeat's last-applicable-line rule) and `lifeline check`'s
// findings against a catalogue of plugin types, with file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaCf } from '../../src/config/hacf.js';
import { checkStonith, deviceFor, paramPairs, type StonithCatalog } from '../../src/fencing/device.js';

const BASE = 'keepalive 1\ndeadtime 10\ninitdead 20\nbcast eth0\nnode nodea nodeb\nauto_failback on\nuse_logd no\nlogfile /var/log/ha-log\n';
const hacf = (extra: string, me = 'nodeb') => {
  const r = parseHaCf(BASE + extra, '/etc/ha.d/ha.cf', me);
  assert.ok(r.value, JSON.stringify(r.diagnostics));
  return r.value;
};
const CATALOG: StonithCatalog = {
  installed: true,
  names: new Map<string, readonly string[] | null>([
    ['external/ipmi', ['hostname', 'ipaddr', 'userid', 'passwd', 'interface']], ['null', ['hostlist']], ['meatware', ['hostlist']],
    ['external/ssh', ['hostlist']], ['baytech', []],
  ]),
};
const where = (ds: readonly { code: string; location?: { line?: number } }[]) => ds.map((d) => [d.code, d.location?.line]);

test('each node uses the last stonith line that applies to it: its own name or *', () => {
  const h = hacf('stonith_host nodea external/ipmi nodeb 10.0.0.12 admin secret lan\nstonith_host nodeb external/ipmi nodea 10.0.0.11 admin secret lan\n');
  assert.deepEqual(deviceFor(h, 'nodeb'), { type: 'external/ipmi', params: 'nodea 10.0.0.11 admin secret lan', line: 10 });
  assert.deepEqual(deviceFor(h, 'nodea')?.params, 'nodeb 10.0.0.12 admin secret lan');
  assert.equal(deviceFor(h, 'nodec'), undefined, 'a node no line names has no device ("No STONITH device configured.")');
  const star = hacf('stonith_host * null nodea nodeb\nstonith_host nodea meatware nodeb\n');
  assert.equal(deviceFor(star, 'nodea')?.type, 'meatware');
  assert.equal(deviceFor(star, 'nodeb')?.type, 'null');
});

test('stonith TYPE FILE: the parameters are the first line of the file that is not a comment', () => {
  const h = hacf('stonith external/ipmi /etc/ha.d/ipmi.cfg\n');
  const d = deviceFor(h, 'nodeb', () => '# BMC of nodea\n\nnodea 10.0.0.11 admin secret lan\n');
  assert.equal(d?.params, 'nodea 10.0.0.11 admin secret lan');
  assert.equal(d?.configFile, '/etc/ha.d/ipmi.cfg');
});

test('parameters pair with the plugin\'s config names in order; the last takes the rest of the line', () => {
  assert.deepEqual([...paramPairs(['hostlist'], 'nodea nodeb')!], [['hostlist', 'nodea nodeb']]);
  assert.deepEqual([...paramPairs(['a', 'b'], '  x   y z ')!], [['a', 'x'], ['b', 'y z ']]);
  assert.equal(paramPairs(['a', 'b', 'c'], 'x y'), undefined);
  assert.equal(paramPairs(['hostlist'], ''), undefined);
});

test('check: unknown plugin, missing parameters, unreadable config file, each at its line', () => {
  const h = hacf('stonith_host nodea ipmi nodeb 10.0.0.12\nstonith_host nodeb external/ipmi nodea 10.0.0.11 admin\nstonith null /nonexistent\n');
  const ds = checkStonith(h, 'nodeb', CATALOG, () => undefined);
  assert.deepEqual(where(ds), [['LL_STONITH_BAD_TYPE', 9], ['LL_STONITH_BAD_PARAMS', 10], ['LL_STONITH_BAD_CONFIG_FILE', 11], ['LL_STONITH_LAST_WINS', 10]]);
  assert.equal(ds[0]!.message, 'Invalid Stonith type [ipmi]');
  assert.match(ds[0]!.expected!, /external\/ipmi/);
  assert.equal(ds[1]!.expected, '5 parameter(s) in this order: hostname ipaddr userid passwd interface');
  assert.ok(ds.slice(0, 3).every((d) => d.severity === 'error' && d.location?.file === '/etc/ha.d/ha.cf'));
  assert.equal(ds[3]!.severity, 'warning', 'two lines apply to nodeb: heartbeat uses the last');
});

test('check: a one-host device shared by `*` resets the node itself on that node; cluster-glue missing', () => {
  const h = hacf('stonith_host * external/ipmi nodea 10.0.0.11 admin secret lan\n');
  const ds = checkStonith(h, 'nodeb', CATALOG, () => undefined);
  assert.deepEqual(where(ds), [['LL_STONITH_RESETS_ITSELF', 9]]);
  assert.equal(ds[0]!.severity, 'warning');
  assert.match(ds[0]!.message, /on nodea this external\/ipmi device resets nodea itself/);
  assert.deepEqual(where(checkStonith(h, 'nodeb', { installed: false, names: new Map() }, () => undefined)), [['LL_STONITH_NOT_INSTALLED', 9]]);
  assert.deepEqual(checkStonith(hacf('stonith_host * null nodea nodeb\n'), 'nodeb', CATALOG, () => undefined), []);
});
