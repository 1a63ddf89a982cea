// Readers for recorded heartbeat traffic: pcap files as tcpdump writes them and the JSON-lines form of the interop captures.
// Pure: bytes or text in, UDP datagrams out; anything that is not UDP over IPv4 is skipped and counted.

import { diag, type Diagnostic } from '../errors.js';
import { ok, err, type Result } from '../types.js';

/** One captured UDP datagram. */
export interface Datagram {
  /** Capture time, Unix seconds with fraction. */
  readonly time: number;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
}

/** What a capture held: its datagrams and how many records were not UDP/IPv4 (or were IP fragments past the first). */
export interface Capture {
  readonly datagrams: readonly Datagram[];
  readonly skipped: number;
}

/** pcap link types we understand. */
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;

/** Whether `bytes` start like a pcap file (either byte order, micro- or nanosecond timestamps). */
export function isPcap(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const m = (bytes[0]! << 24 | bytes[1]! << 16 | bytes[2]! << 8 | bytes[3]!) >>> 0;
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1;
}

/**
 * Reads a classic pcap file. Ethernet (with 802.1Q tags), Linux cooked (SLL and SLL2, what `tcpdump -i any` writes)
 * and raw IP link types; IPv4 only; UDP only. IP fragments are reassembled when all pieces are in the capture
 * (heartbeat messages above the MTU travel fragmented).
 */
export function readPcap(bytes: Uint8Array, file = 'capture'): Result<Capture, Diagnostic> {
  if (bytes.length < 24 || !isPcap(bytes)) {
    return err(diag('LL_CAPTURE_BAD_FORMAT', { file, reason: 'no pcap magic number' }, { location: { file } }));
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, false);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const linktype = dv.getUint32(20, le) & 0x0fffffff;
  if (![LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2].includes(linktype)) {
    return err(diag('LL_CAPTURE_BAD_FORMAT', { file, reason: `link type ${linktype} is not Ethernet, Linux cooked or raw IP` }, { location: { file } }));
  }
  const datagrams: Datagram[] = [];
  const fragments = new Map<string, { time: number; parts: Array<[number, Uint8Array]>; total: number }>();
  let skipped = 0;
  let pos = 24;
  let record = 0;
  while (pos < bytes.length) {
    record++;
    if (pos + 16 > bytes.length) return err(diag('LL_CAPTURE_TRUNCATED', { file, record }, { location: { file } }));
    const sec = dv.getUint32(pos, le);
    const frac = dv.getUint32(pos + 4, le);
    const incl = dv.getUint32(pos + 8, le);
    pos += 16;
    if (pos + incl > bytes.length) return err(diag('LL_CAPTURE_TRUNCATED', { file, record }, { location: { file } }));
    const frame = bytes.subarray(pos, pos + incl);
    pos += incl;
    const time = sec + frac / (nano ? 1e9 : 1e6);
    const ip = ipv4Of(frame, linktype);
    if (!ip) {
      skipped++;
      continue;
    }
    const d = udpOf(ip, time, fragments);
    if (d === 'skip') skipped++;
    else if (d) datagrams.push(d);
  }
  return ok({ datagrams, skipped });
}

/** The IPv4 packet inside a link-layer frame, or undefined if the frame carries something else. */
function ipv4Of(frame: Uint8Array, linktype: number): Uint8Array | undefined {
  let off: number;
  let proto: number;
  const u16 = (o: number) => (frame[o]! << 8) | frame[o + 1]!;
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      if (frame.length < 14) return undefined;
      off = 14;
      proto = u16(12);
      while ((proto === 0x8100 || proto === 0x88a8) && frame.length >= off + 4) {
        proto = u16(off + 2);
        off += 4;
      }
      break;
    case LINKTYPE_LINUX_SLL:
      if (frame.length < 16) return undefined;
      off = 16;
      proto = u16(14);
      break;
    case LINKTYPE_LINUX_SLL2:
      if (frame.length < 20) return undefined;
      off = 20;
      proto = u16(0);
      break;
    default:
      off = 0;
      proto = frame.length > 0 && frame[0]! >> 4 === 4 ? 0x0800 : 0;
  }
  return proto === 0x0800 ? frame.subarray(off) : undefined;
}

const ipText = (b: Uint8Array, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** The UDP datagram in an IPv4 packet; 'skip' for non-UDP or malformed; undefined while fragments are outstanding. */
function udpOf(ip: Uint8Array, time: number, fragments: Map<string, { time: number; parts: Array<[number, Uint8Array]>; total: number }>): Datagram | 'skip' | undefined {
  if (ip.length < 20 || ip[0]! >> 4 !== 4) return 'skip';
  const ihl = (ip[0]! & 0x0f) * 4;
  const totalLen = (ip[2]! << 8) | ip[3]!;
  if (ihl < 20 || totalLen < ihl || ip.length < ihl) return 'skip';
  if (ip[9] !== 17) return 'skip';
  const end = Math.min(ip.length, totalLen);
  const flags = ip[6]! >> 5;
  const fragOff = (((ip[6]! & 0x1f) << 8) | ip[7]!) * 8;
  const src = ipText(ip, 12);
  const dst = ipText(ip, 16);
  let body = ip.subarray(ihl, end);
  let t = time;
  if ((flags & 1) || fragOff > 0) {
    const key = `${src}>${dst}#${(ip[4]! << 8) | ip[5]!}`;
    const entry = fragments.get(key) ?? { time, parts: [], total: -1 };
    fragments.set(key, entry);
    entry.parts.push([fragOff, body]);
    if (!(flags & 1)) entry.total = fragOff + body.length;
    if (entry.total < 0) return undefined;
    const have = entry.parts.reduce((n, [, p]) => n + p.length, 0);
    if (have < entry.total) return undefined;
    const whole = new Uint8Array(entry.total);
    for (const [o, p] of entry.parts) if (o + p.length <= whole.length) whole.set(p, o);
    fragments.delete(key);
    body = whole;
    t = entry.time;
  }
  if (body.length < 8) return 'skip';
  const sport = (body[0]! << 8) | body[1]!;
  const dport = (body[2]! << 8) | body[3]!;
  const ulen = (body[4]! << 8) | body[5]!;
  if (ulen < 8 || ulen > body.length) return 'skip';
  return { time: t, src, dst, sport, dport, payload: body.slice(8, ulen) };
}

/**
 * Reads the JSON-lines capture form: one object a line with `time`, `src`, `dst`, `sport`, `dport`, `payload_hex`.
 * A bad line is an error naming the file and line.
 */
export function readJsonLines(text: string, file = 'capture'): Result<Capture, Diagnostic> {
  const datagrams: Datagram[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const location = { file, line: i + 1 };
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      // JSON.parse reports syntax errors only by throwing; this is the edge where it becomes a diagnostic.
      return err(diag('LL_CAPTURE_BAD_LINE', { reason: (e as Error).message }, { location, found: line.slice(0, 60) }));
    }
    const r = o as Record<string, unknown>;
    const hex = r.payload_hex;
    if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(hex) || typeof r.time !== 'number') {
      return err(diag('LL_CAPTURE_BAD_LINE', { reason: 'needs "time" (number) and "payload_hex" (hex bytes)' }, { location, found: line.slice(0, 60), expected: '{"time":…,"src":…,"dst":…,"sport":…,"dport":…,"payload_hex":…}' }));
    }
    datagrams.push({
      time: r.time,
      src: typeof r.src === 'string' ? r.src : '?',
      dst: typeof r.dst === 'string' ? r.dst : '?',
      sport: typeof r.sport === 'number' ? r.sport : 0,
      dport: typeof r.dport === 'number' ? r.dport : 0,
      payload: new Uint8Array(Buffer.from(hex, 'hex')),
    });
  }
  return ok({ datagrams, skipped: 0 });
}

/** Reads either form, by content: pcap magic number, else JSON lines. */
export function readCapture(bytes: Uint8Array, file = 'capture'): Result<Capture, Diagnostic> {
  if (isPcap(bytes)) return readPcap(bytes, file);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trimStart().startsWith('{')) return readJsonLines(text, file);
  return err(diag('LL_CAPTURE_BAD_FORMAT', { file, reason: 'neither a pcap magic number nor a JSON object on the first line' }, { location: { file } }));
}
