// Opening a medium with bad settings fails with a catalogue code naming the value, before any socket exists.
// Nothing here binds or sends: every case is refused while checking its arguments or the interface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifelineError } from '../../src/errors.js';
import { broadcastOf, openBcast, openMcast, openMedia, openSerial, openUcast } from '../../src/io/index.js';

async function refusedWith(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof LifelineError, String(e));
    assert.equal(e.diagnostics[0]?.code, code);
    assert.match(e.message, text);
    return true;
  });
}

test('bcast on an interface that does not exist names the interface', async () => {
  await refusedWith(openBcast({ ifname: 'llhnosuch0' }), 'LL_IO_NO_INTERFACE', /interface llhnosuch0 does not exist/);
});

test('bcast on an interface without a broadcast address (lo) says how to add one', async () => {
  await refusedWith(openBcast({ ifname: 'lo' }), 'LL_IO_NO_BROADCAST', /ip addr add 127\.0\.0\.1\/8 brd \+ dev lo/);
});

test('bad ports, groups, ttls and ucast hosts are refused with the value found', async () => {
  await refusedWith(openBcast({ ifname: 'lo', port: 70000 }), 'LL_IO_BAD_PORT', /\[70000\]/);
  await refusedWith(openMcast({ ifname: 'lo', group: '10.1.2.3', port: 694, ttl: 1, loop: false }), 'LL_IO_BAD_MCAST_GROUP', /\[10\.1\.2\.3\]/);
  await refusedWith(openMcast({ ifname: 'lo', group: '239.0.0.1', port: 694, ttl: 300, loop: false }), 'LL_IO_BAD_TTL', /\[300\]/);
  await refusedWith(openUcast({ ifname: 'lo', host: 'nodeb' }), 'LL_IO_BAD_UCAST_HOST', /\[nodeb\]/);
});

test('serial: relative path, unknown baud, missing device and a file that is not a tty are refused', async () => {
  await refusedWith(openSerial({ device: 'ttyS0' }), 'LL_IO_SERIAL_NOT_ABSOLUTE', /\[ttyS0\]/);
  await refusedWith(openSerial({ device: '/dev/ttyS0', baud: 12345 }), 'LL_IO_SERIAL_BAD_BAUD', /\[12345\]/);
  await refusedWith(openSerial({ device: '/nonexistent/ttyX' }), 'LL_IO_SERIAL_OPEN_FAILED', /\/nonexistent\/ttyX/);
  await refusedWith(openSerial({ device: '/etc/hostname' }), 'LL_IO_SERIAL_OPEN_FAILED', /\/etc\/hostname/);
});

test('broadcastOf computes the directed broadcast of a prefix', () => {
  assert.equal(broadcastOf('10.201.1.7', 24), '10.201.1.255');
  assert.equal(broadcastOf('192.168.5.130', 25), '192.168.5.255');
  assert.equal(broadcastOf('172.16.0.1', 12), '172.31.255.255');
});

test('openMedia fails with the code of the medium that cannot be opened', async () => {
  await refusedWith(openMedia([{ kind: 'serial', device: '/dev/ttyS0', baud: 300 }]), 'LL_IO_SERIAL_BAD_BAUD', /\[300\]/);
  await refusedWith(openMedia([{ kind: 'ucast', ifname: 'lo', host: 'nodeb' }]), 'LL_IO_BAD_UCAST_HOST', /\[nodeb\]/);
});
