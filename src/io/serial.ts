// heartbeat's `serial DEV` medium: classic text messages (">>>" … "<<<" lines) over a raw tty at `baud`.
// Framing follows heartbeat's serial.c: writes in 512-byte fragments paced for the baud rate; reads line by line.
import { execFile } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import tty from 'node:tty';
import { ioFail } from './netinfo.js';
import { TransportEvents, type ReceivedPacket, type Transport, type TransportStats } from './transport.js';

/** heartbeat's fragment size for serial writes. */
export const SERIAL_FRAGMENT = 512;
/** heartbeat's default `baud`. */
export const DEFAULT_BAUD = 19200;
/** Largest frame accepted; a longer run of lines without "<<<" is dropped (heartbeat's MAXMSG is 40000). */
export const MAX_SERIAL_FRAME = 40000;

const START = '>>>';
const END = '<<<';

/** Bauds `stty` accepts and heartbeat's `baud` directive knows. */
export const BAUDS = [9600, 19200, 38400, 57600, 115200, 230400] as const;

/** `serial DEV` with the global `baud`. */
export interface SerialOptions {
  /** Full path of the tty, e.g. /dev/ttyS0 (heartbeat rejects a relative path). */
  readonly device: string;
  readonly baud?: number;
  /** RTS/CTS hardware flow control as heartbeat sets it (CRTSCTS); default true, ignored where the tty lacks it (ptys). */
  readonly hardwareFlowControl?: boolean;
}

/**
 * Cuts a byte stream into heartbeat frames: skips bytes until a line that starts with ">>>", collects lines
 * until one that starts with "<<<", and returns the frame as ">>>\n…\n<<<\n". CRs are ignored and the 8th bit
 * stripped, as heartbeat's tty settings (IGNCR, ISTRIP) do. Pure: feed it chunks, it returns whole frames.
 */
export class SerialFramer {
  private line: number[] = [];
  private frame: string[] | undefined;
  private frameBytes = 0;
  /** Lines or frames thrown away (noise before ">>>", oversize frames). */
  dropped = 0;

  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    for (const raw of chunk) {
      const c = raw & 0x7f;
      if (c === 13) continue;
      if (c !== 10) { this.line.push(c); continue; }
      const text = String.fromCharCode(...this.line);
      this.line = [];
      if (this.frame === undefined) {
        if (text.startsWith(START)) { this.frame = [text]; this.frameBytes = text.length + 1; } else if (text !== '') this.dropped++;
        continue;
      }
      this.frame.push(text);
      this.frameBytes += text.length + 1;
      if (text.startsWith(END)) {
        out.push(`${this.frame.join('\n')}\n`);
        this.frame = undefined;
      } else if (this.frameBytes > MAX_SERIAL_FRAME) {
        this.frame = undefined;
        this.dropped++;
      }
    }
    if (this.line.length > MAX_SERIAL_FRAME) { this.line = []; this.dropped++; }
    return out;
  }
}

/** ms heartbeat waits between 512-byte fragments at `baud` (the time the line needs to carry one). */
export function fragmentDelayMs(baud: number): number {
  return (SERIAL_FRAGMENT * 8 * 1000) / baud;
}

/** Puts the tty in heartbeat's raw mode with `stty` (8N1, no echo, no flow control by XON/XOFF, ignore CR). */
export async function configureTty(device: string, baud: number, rtscts: boolean): Promise<void> {
  const base = ['-F', device, String(baud), 'raw', '-echo', 'cs8', '-parenb', '-cstopb', 'clocal', 'cread',
    '-ixon', '-ixoff', '-ixany', '-icrnl', 'igncr', 'istrip', '-opost', 'min', '1', 'time', '1'];
  const stty = (args: string[]): Promise<string | undefined> => new Promise((res) =>
    execFile('stty', args, (e, _o, stderr) => res(e ? (stderr || e.message) : undefined)));
  // A pty has no modem lines: stty then reports it could not set crtscts; retry without it.
  if (rtscts && (await stty([...base, 'crtscts'])) === undefined) return;
  const e = await stty([...base, '-crtscts']);
  if (e !== undefined) throw new Error(`cannot configure ${device}: ${e.trim()}`);
}

class SerialTransport implements Transport {
  readonly kind = 'serial' as const;
  private readonly events = new TransportEvents();
  private readonly framer = new SerialFramer();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly device: string, private readonly baud: number,
    private readonly reader: tty.ReadStream, private readonly writer: tty.WriteStream) {
    reader.on('data', (chunk: Buffer) => {
      const before = this.framer.dropped;
      for (const f of this.framer.push(chunk)) {
        const p: ReceivedPacket = { data: new TextEncoder().encode(f), from: device, fromPort: 0, link: device, kind: 'serial' };
        this.events.deliver(p);
      }
      this.events.counters.dropped += this.framer.dropped - before;
    });
    reader.on('error', (e) => { this.events.counters.receiveErrors++; this.events.error(e); });
    writer.on('error', (e) => this.events.sendFailed(e));
  }

  get link(): string { return this.device; }
  get description(): string { return `serial heartbeat on tty ${this.device} (${this.baud} baud)`; }

  /** `data` must be one classic-format message (">>>\n…<<<\n"); the wire codec renders it. */
  send(data: Uint8Array): void {
    if (this.closed) { this.events.sendFailed(new Error(`${this.device}: send after close`)); return; }
    const head = new TextDecoder().decode(data.subarray(0, 4));
    if (head !== '>>>\n') {
      this.events.sendFailed(new Error(`${this.device}: serial carries heartbeat's classic text format (">>>" … "<<<"), got ${JSON.stringify(head)}`));
      return;
    }
    const delay = fragmentDelayMs(this.baud);
    this.queue = this.queue.then(async () => {
      for (let off = 0; off < data.length; off += SERIAL_FRAGMENT) {
        if (off > 0) await new Promise((r) => setTimeout(r, delay));
        await new Promise<void>((res) => this.writer.write(data.subarray(off, off + SERIAL_FRAGMENT), (e) => {
          if (e) this.events.sendFailed(e);
          res();
        }));
      }
      this.events.counters.sent++;
    });
  }

  onPacket(l: (p: ReceivedPacket) => void): () => void { return this.events.onPacket(l); }
  onError(l: (e: Error) => void): () => void { return this.events.onError(l); }
  stats(): TransportStats { return this.events.stats(); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.reader.destroy();
    this.writer.destroy();
  }
}

/** Opens `serial DEV`: configures the tty with stty, then reads and writes it without blocking Node's threads. */
export async function openSerial(o: SerialOptions): Promise<Transport> {
  if (!o.device.startsWith('/')) ioFail('LL_IO_SERIAL_NOT_ABSOLUTE', { device: o.device });
  const baud = o.baud ?? DEFAULT_BAUD;
  if (!(BAUDS as readonly number[]).includes(baud)) ioFail('LL_IO_SERIAL_BAD_BAUD', { baud });
  let fd: number | undefined;
  let reader: tty.ReadStream;
  try {
    await configureTty(o.device, baud, o.hardwareFlowControl ?? true);
    fd = openSync(o.device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    if (!tty.isatty(fd)) throw new Error('not a tty');
    // libuv reopens a readable tty for itself, so reader and writer do not share (and double-close) one fd.
    reader = new tty.ReadStream(fd);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    ioFail('LL_IO_SERIAL_OPEN_FAILED', { device: o.device, reason: (e as Error).message.trim() });
  }
  return new SerialTransport(o.device, baud, reader, new tty.WriteStream(fd));
}
