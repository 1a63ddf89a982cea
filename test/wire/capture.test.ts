// The capture readers take what tcpdump writes (Ethernet, VLAN tags, Linux cooked SLL/SLL2 from -i any, fragments)
// and the JSON-lines form; anything that is not UDP over IPv4 is skipped and counted, and broken files are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCapture, readPcap, readJsonLines } from '../../src/wire/capture.js';

const payload = Buffer.from('###\n11:(0)t=status,%%%\n');

function ipv4(proto: number, body: Buffer, opts: { id?: number; mf?: boolean; fragOffset?: number } = {}): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + body.length, 2);
  h.writeUInt16BE(opts.id ?? 7, 4);
  h.writeUInt16BE(((opts.mf ? 1 : 0) << 13) | ((opts.fragOffset ?? 0) / 8), 6);
  h[8] = 64;
  h[9] = proto;
  Buffer.from([10, 77, 0, 1]).copy(h, 12);
  Buffer.from([10, 77, 0, 255]).copy(h, 16);
  return Buffer.concat([h, body]);
}
function udp(data: Buffer, sport = 40000, dport = 694): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(8 + data.length, 4);
  return Buffer.concat([h, data]);
}
const ether = (type: number, body: Buffer, vlan = false) => {
  const mac = Buffer.alloc(12, 0xaa);
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  const tag = vlan ? Buffer.from([0x81, 0x00, 0x00, 0x0a]) : Buffer.alloc(0);
  return vlan ? Buffer.concat([mac, tag, t, body]) : Buffer.concat([mac, t, body]);
};
const sll = (body: Buffer) => {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0x0800, 14);
  return Buffer.concat([h, body]);
};
const sll2 = (body: Buffer) => {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(0x0800, 0);
  return Buffer.concat([h, body]);
};

/** A pcap file in the byte order tcpdump uses on x86 (little-endian, microseconds) unless told otherwise. */
function pcap(linktype: number, frames: Buffer[], bigEndianNano = false): Buffer {
  const w32 = (b: Buffer, v: number, o: number) => (bigEndianNano ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const g = Buffer.alloc(24);
  w32(g, bigEndianNano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  w32(g, 65535, 16);
  w32(g, linktype, 20);
  const recs = frames.map((f, i) => {
    const h = Buffer.alloc(16);
    w32(h, 1795572081 + i, 0);
    w32(h, bigEndianNano ? 477541000 : 477541, 4);
    w32(h, f.length, 8);
    w32(h, f.length, 12);
    return Buffer.concat([h, f]);
  });
  return Buffer.concat([g, ...recs]);
}

test('Ethernet captures with and without a VLAN tag give the UDP payloads; ARP, TCP and IPv6 frames are skipped', () => {
  const file = pcap(1, [
    ether(0x0800, ipv4(17, udp(payload))),
    ether(0x0806, Buffer.alloc(28)),
    ether(0x0800, ipv4(6, Buffer.alloc(20))),
    ether(0x86dd, Buffer.alloc(60)),
    ether(0x0800, ipv4(17, udp(payload, 1, 2)), true),
  ]);
  const r = readPcap(file, 'eth.pcap');
  assert.ok(r.ok);
  assert.equal(r.value.skipped, 3);
  assert.equal(r.value.datagrams.length, 2);
  const [a, b] = r.value.datagrams;
  assert.deepEqual([a!.src, a!.dst, a!.sport, a!.dport], ['10.77.0.1', '10.77.0.255', 40000, 694]);
  assert.deepEqual(Buffer.from(a!.payload), payload);
  assert.equal(b!.sport, 1);
  assert.ok(Math.abs(a!.time - 1795572081.477541) < 1e-6);
});

test('Linux cooked captures (tcpdump -i any: SLL and SLL2) and big-endian nanosecond files read the same', () => {
  for (const [lt, wrap] of [[113, sll], [276, sll2]] as const) {
    const r = readCapture(pcap(lt, [wrap(ipv4(17, udp(payload)))]), 'any.pcap');
    assert.ok(r.ok);
    assert.deepEqual(Buffer.from(r.value.datagrams[0]!.payload), payload);
  }
  const be = readPcap(pcap(1, [ether(0x0800, ipv4(17, udp(payload)))], true));
  assert.ok(be.ok);
  assert.ok(Math.abs(be.value.datagrams[0]!.time - 1795572081.477541) < 1e-6);
});

test('a datagram split into IP fragments is reassembled', () => {
  const big = Buffer.alloc(3000, 0x41);
  const whole = udp(big);
  const first = whole.subarray(0, 1480);
  const second = whole.subarray(1480);
  const r = readPcap(pcap(1, [ether(0x0800, ipv4(17, first, { id: 9, mf: true })), ether(0x0800, ipv4(17, second, { id: 9, fragOffset: 1480 }))]));
  assert.ok(r.ok);
  assert.equal(r.value.datagrams.length, 1);
  assert.deepEqual(Buffer.from(r.value.datagrams[0]!.payload), big);
});

test('broken captures are refused with the file named: truncated record, unknown link type, not a capture', () => {
  const good = pcap(1, [ether(0x0800, ipv4(17, udp(payload)))]);
  const cut = readPcap(good.subarray(0, good.length - 5), 'cut.pcap');
  assert.equal(cut.ok ? '' : cut.error.code, 'LL_CAPTURE_TRUNCATED');
  assert.equal(cut.ok ? '' : cut.error.message, 'capture record 1 is truncated');
  assert.equal(cut.ok ? '' : cut.error.location?.file, 'cut.pcap');
  const odd = readPcap(pcap(105, []), 'wifi.pcap');
  assert.equal(odd.ok ? '' : odd.error.code, 'LL_CAPTURE_BAD_FORMAT');
  const text = readCapture(Buffer.from('hello'), 'notes.txt');
  assert.equal(text.ok ? '' : text.error.code, 'LL_CAPTURE_BAD_FORMAT');
});

test('JSON lines: each line one datagram; a bad line is reported with its file and line number', () => {
  const ok = readJsonLines(`{"time": 1.5, "src": "10.0.0.1", "dst": "10.0.0.2", "sport": 1, "dport": 694, "payload_hex": "${payload.toString('hex')}"}\n\n`, 'x.jsonl');
  assert.ok(ok.ok);
  assert.deepEqual(Buffer.from(ok.value.datagrams[0]!.payload), payload);
  const bad = readJsonLines('{"time": 1, "payload_hex": "00"}\n{"time": 2, "payload_hex": "zz"}\n', 'y.jsonl');
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, 'LL_CAPTURE_BAD_LINE');
  assert.deepEqual(bad.error.location, { file: 'y.jsonl', line: 2 });
  const notJson = readJsonLines('{oops\n', 'z.jsonl');
  assert.equal(notJson.ok ? '' : notJson.error.code, 'LL_CAPTURE_BAD_LINE');
});
