// IPaddr argument parsing and heartbeat's findif arithmetic: interface, netmask, broadcast and alias label.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBroadcast, findInterface, freeLabel, parseAddrsJson, parseIpSpec, parseRoutesJson, planAddress } from '../../src/resources/agents/ipaddr-spec.js';

const routes = parseRoutesJson(JSON.stringify([
  { dst: 'default', gateway: '10.0.0.1', dev: 'eth0', flags: [] },
  { dst: '10.0.0.0/16', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '10.0.0.2', flags: [] },
  { dst: '10.0.5.0/24', dev: 'eth1', protocol: 'kernel', scope: 'link', prefsrc: '10.0.5.2', flags: [] },
  { dst: '192.168.7.0/24', via: '10.0.0.9', dev: 'eth0', flags: [] },
]));

test('the four written forms parse; a leading digit in the third part is a broadcast, as the resource.d wrappers read it', () => {
  assert.deepEqual(parseIpSpec('10.0.0.5'), { ok: true, value: { ip: '10.0.0.5' } });
  assert.deepEqual(parseIpSpec('10.0.0.5/24'), { ok: true, value: { ip: '10.0.0.5', prefix: 24 } });
  assert.deepEqual(parseIpSpec('10.0.0.5/24/eth1'), { ok: true, value: { ip: '10.0.0.5', prefix: 24, nic: 'eth1' } });
  assert.deepEqual(parseIpSpec('10.0.0.5/24/eth1/10.0.0.255'), { ok: true, value: { ip: '10.0.0.5', prefix: 24, nic: 'eth1', broadcast: '10.0.0.255' } });
  assert.deepEqual(parseIpSpec('10.0.0.5/24/10.0.0.127'), { ok: true, value: { ip: '10.0.0.5', prefix: 24, broadcast: '10.0.0.127' } });
  assert.deepEqual(parseIpSpec('10.0.0.5/255.255.255.0'), { ok: true, value: { ip: '10.0.0.5', prefix: 24 } });
});

test('bad addresses, netmasks and interfaces are errors naming the value', () => {
  for (const bad of ['10.0.0.256', 'www.example.com', '10.0.0.5/33', '10.0.0.5/255.0.255.0', '10.0.0.5/24/eth 0', '10.0.0.5/24/eth0/10.0.0', '1.2.3.4/24/eth0/1.2.3.255/x']) {
    const r = parseIpSpec(bad, { file: '/etc/ha.d/haresources', line: 3 });
    assert.equal(r.ok, false, bad);
    if (!r.ok) {
      assert.equal(r.error.code, 'LL_RES_BAD_IPADDR');
      assert.equal(r.error.found, bad);
      assert.deepEqual(r.error.location, { file: '/etc/ha.d/haresources', line: 3 });
    }
  }
});

test('findif picks the longest connected route, ignoring the default route and gatewayed routes', () => {
  assert.deepEqual(findInterface({ ip: '10.0.5.77' }, routes), { ok: true, value: { nic: 'eth1', prefix: 24, prefsrc: '10.0.5.2' } });
  assert.deepEqual(findInterface({ ip: '10.0.9.1' }, routes), { ok: true, value: { nic: 'eth0', prefix: 16, prefsrc: '10.0.0.2' } });
  assert.equal(findInterface({ ip: '192.168.7.5' }, routes).ok, false, 'only reachable through a gateway');
  assert.equal(findInterface({ ip: '172.16.0.1' }, routes).ok, false, 'the default route does not count');
  // An interface given restricts the search to its routes; a written netmask wins over the route's.
  assert.deepEqual(findInterface({ ip: '10.0.5.77', nic: 'eth0' }, routes), { ok: true, value: { nic: 'eth0', prefix: 16, prefsrc: '10.0.0.2' } });
  assert.deepEqual(findInterface({ ip: '10.0.5.77', prefix: 28 }, routes), { ok: true, value: { nic: 'eth1', prefix: 28, prefsrc: '10.0.5.2' } });
  // findif.sh (IPaddr2) matches the written subnet: a /20 is only inside the /16 route.
  assert.deepEqual(findInterface({ ip: '10.0.5.77', prefix: 20 }, routes, true), { ok: true, value: { nic: 'eth0', prefix: 20, prefsrc: '10.0.0.2' } });
  assert.deepEqual(findInterface({ ip: '10.0.5.77', prefix: 20 }, routes), { ok: true, value: { nic: 'eth1', prefix: 20, prefsrc: '10.0.5.2' } });
  // Nothing routes it, but nic and netmask are both written: use them as given.
  assert.deepEqual(findInterface({ ip: '172.16.0.1', nic: 'eth2', prefix: 24 }, routes), { ok: true, value: { nic: 'eth2', prefix: 24 } });
});

test('broadcast is the highest address of the subnet unless written', () => {
  assert.equal(defaultBroadcast('10.77.0.100', 24), '10.77.0.255');
  assert.equal(defaultBroadcast('10.0.9.1', 16), '10.0.255.255');
  assert.equal(defaultBroadcast('10.0.0.5', 32), '10.0.0.5');
});

test('IPaddr labels the alias with the first free eth0:N; IPaddr2 adds no label unless one is written', () => {
  const addrs = parseAddrsJson(JSON.stringify([
    { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, label: 'lo' }] },
    { ifname: 'eth0', addr_info: [
      { family: 'inet', local: '10.0.0.2', prefixlen: 16, broadcast: '10.0.255.255', label: 'eth0' },
      { family: 'inet', local: '10.0.0.50', prefixlen: 16, label: 'eth0:0' },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64 },
    ] },
  ]));
  assert.equal(addrs.length, 3);
  assert.equal(freeLabel('eth0', addrs), 'eth0:1');
  assert.equal(freeLabel('verylongname12', addrs), undefined, 'label would exceed 15 characters');
  assert.deepEqual(planAddress({ ip: '10.0.0.60' }, routes, addrs, 'IPaddr'),
    { ok: true, value: { ip: '10.0.0.60', prefix: 16, nic: 'eth0', broadcast: '10.0.255.255', label: 'eth0:1' } });
  assert.deepEqual(planAddress({ ip: '10.0.0.60', prefix: 24, broadcast: '10.0.0.255' }, routes, addrs, 'IPaddr2'),
    { ok: true, value: { ip: '10.0.0.60', prefix: 24, nic: 'eth0', broadcast: '10.0.0.255' } });
  assert.deepEqual(planAddress({ ip: '10.0.0.60', nic: 'eth0:vip' }, routes, addrs, 'IPaddr2'),
    { ok: true, value: { ip: '10.0.0.60', prefix: 16, nic: 'eth0', broadcast: '10.0.255.255', label: 'eth0:vip' } });
});
