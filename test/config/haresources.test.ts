// haresources groups: preferred node first, resources in start order, bare addresses as IPaddr, every error with its line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSubnet, parseAddressSpec, parseHaresources, serviceAddresses } from '../../src/config/haresources.js';
import type { Diagnostic } from '../../src/errors.js';

const NODES = ['server1', 'server2'];
const where = (ds: readonly Diagnostic[]) => ds.map((d) => [d.code, d.location?.line] as const);

test('the seed groups: bare address, Type::args, init scripts, in start order', () => {
  const r = parseHaresources('server1 IPaddr::192.168.10.10/24 failback.sh\nserver2 192.168.5.3 bypassd smbd\n', 'haresources', NODES);
  assert.deepEqual(r.diagnostics, []);
  const [g1, g2] = r.value!;
  assert.equal(g1!.preferredNode, 'server1');
  assert.deepEqual(g1!.resources, [
    { type: 'IPaddr', args: ['192.168.10.10/24'], text: 'IPaddr::192.168.10.10/24' },
    { type: 'failback.sh', args: [], text: 'failback.sh' },
  ]);
  assert.deepEqual(g2!.resources.map((x) => [x.type, x.args]), [['IPaddr', ['192.168.5.3']], ['bypassd', []], ['smbd', []]]);
  assert.equal(g2!.line, 2);
});

test('every bare address form means IPaddr:: that address', () => {
  for (const a of ['192.168.1.5', '10.0.0.5/24', '10.0.0.5/24/eth1', '10.0.0.5/24/eth1/10.0.0.255', '10.0.0.5/255.255.255.0']) {
    const r = parseHaresources(`server1 ${a}\n`, 'haresources', NODES);
    assert.deepEqual(r.value?.[0]?.resources[0], { type: 'IPaddr', args: [a], text: a }, a);
  }
  assert.deepEqual(parseAddressSpec('10.0.0.5/24/eth1/10.0.0.255', 'x').spec, { ip: '10.0.0.5', prefix: 24, iface: 'eth1', broadcast: '10.0.0.255' });
  assert.equal(parseAddressSpec('10.0.0.5/255.255.0.0', 'x').spec?.prefix, 16);
});

test('Type::arg1::arg2 passes the arguments in order', () => {
  const r = parseHaresources('server1 Filesystem::/dev/sda1::/data::ext3 IPaddr2::10.0.0.9/24/eth0 MailTo::root@example.com::db\n', 'h', NODES);
  assert.deepEqual(r.value![0]!.resources.map((x) => [x.type, x.args]), [
    ['Filesystem', ['/dev/sda1', '/data', 'ext3']], ['IPaddr2', ['10.0.0.9/24/eth0']], ['MailTo', ['root@example.com', 'db']]]);
});

test('"\\" continues a group on the next line; comments and blank lines are skipped', () => {
  const r = parseHaresources('# groups\n\nserver1 10.0.0.5 \\\n   httpd \\\n   # comment-only continuation\n\nserver2 10.0.0.6 smbd # trailing comment\n', 'h', NODES);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value!.map((g) => [g.preferredNode, g.line, g.resources.map((x) => x.text)]), [
    ['server1', 3, ['10.0.0.5', 'httpd']], ['server2', 7, ['10.0.0.6', 'smbd']]]);
});

test('a first word that is not a ha.cf node is heartbeat\'s "Bad nodename"; names compare without case', () => {
  const r = parseHaresources('server3 10.0.0.5\nSERVER1 10.0.0.6\n', '/etc/ha.d/haresources', NODES);
  assert.deepEqual(where(r.diagnostics), [['LL_HARES_BAD_NODENAME', 1]]);
  assert.equal(r.diagnostics[0]!.message, 'Bad nodename in /etc/ha.d/haresources [server3]');
  assert.equal(r.value, undefined);
});

test('bad addresses, prefixes, broadcasts and empty arguments are errors naming the text; all at once', () => {
  const r = parseHaresources([
    'server1 10.0.0.256', 'server1 10.0.0.5/33', 'server1 10.0.0.5/24/eth0/10.0.0', 'server1 IPaddr::', 'server1 IPaddr::nonsense',
    'server1 ::foo', 'server1 Filesystem::/dev/sda1::::ext3', 'server1 10.0.0.5/24/eth0/10.0.0.255/extra', 'server1 10.0.0.5/255.0.255.0',
  ].join('\n') + '\n', 'h', NODES);
  assert.deepEqual(where(r.diagnostics), [['LL_HARES_BAD_ADDRESS', 1], ['LL_HARES_BAD_PREFIX', 2], ['LL_HARES_BAD_BROADCAST', 3],
    ['LL_HARES_BAD_RESOURCE', 4], ['LL_HARES_BAD_ADDRESS', 5], ['LL_HARES_BAD_RESOURCE', 6], ['LL_HARES_BAD_RESOURCE', 7],
    ['LL_HARES_BAD_RESOURCE', 8], ['LL_HARES_BAD_PREFIX', 9]]);
  assert.equal(r.diagnostics[0]!.found, '10.0.0.256');
});

test('warnings: a group without resources, a resource in two groups, a dangling continuation', () => {
  const r = parseHaresources('server1\nserver1 10.0.0.5 httpd\nserver2 10.0.0.5/24 httpd \\', 'h', NODES);
  assert.deepEqual(where(r.diagnostics), [['LL_HARES_NO_RESOURCES', 1], ['LL_HARES_CONTINUATION_AT_EOF', 3], ['LL_HARES_DUPLICATE_RESOURCE', 3], ['LL_HARES_DUPLICATE_RESOURCE', 3]]);
  assert.ok(r.value, 'warnings only');
});

test('service addresses and subnets, for the VIP-on-heartbeat-NIC check', () => {
  const g = parseHaresources('server1 10.0.0.5/24/eth1 IPaddr2::192.168.1.9 httpd\n', 'h', NODES).value!;
  assert.deepEqual(serviceAddresses(g).map((a) => [a.ip, a.iface]), [['10.0.0.5', 'eth1'], ['192.168.1.9', undefined]]);
  assert.ok(inSubnet('192.168.1.9', '192.168.1.1', 24));
  assert.ok(!inSubnet('192.168.2.9', '192.168.1.1', 24));
});
