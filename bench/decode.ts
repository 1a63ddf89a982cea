// Decoder throughput: messages per second decoded, and decoded + verified, on one core over the captured packets.
// Run: node --import tsx bench/decode.ts [--seconds S]. Compares with heartbeat's own C decoder when gcc and libplumb exist.

import { readFileSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { decode } from '../src/wire/codec.js';
import { sign, verify } from '../src/wire/auth.js';
import { interopDir, keysFor, METHODS, secretOf, type CaptureName } from '../test/wire/fixtures.js';

const seconds = (() => {
  const i = process.argv.indexOf('--seconds');
  return i > 0 ? Number(process.argv[i + 1]) : 1.5;
})();

/** Runs `fn` over the packets round-robin for about `seconds`; returns messages per second. */
function measure(packets: readonly Buffer[], fn: (p: Buffer) => boolean): number {
  for (let i = 0; i < 20000; i++) if (!fn(packets[i % packets.length]!)) throw new Error('benchmark input failed');
  const budget = BigInt(Math.round(seconds * 1e9));
  const t0 = process.hrtime.bigint();
  let n = 0;
  let now = t0;
  while (now - t0 < budget) {
    for (let i = 0; i < packets.length; i++) fn(packets[i]!);
    n += packets.length;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - t0) / 1e9);
}

function payloadsOf(m: CaptureName): Buffer[] {
  return readFileSync(join(interopDir(), `${m}.jsonl`), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => Buffer.from((JSON.parse(l) as { payload_hex: string }).payload_hex, 'hex'));
}

/** heartbeat's C decoder (cluster-glue libplumb) with OpenSSL digests, if it can be built here; else undefined. */
function cBaseline(m: CaptureName, packets: readonly Buffer[]): { decode: number; verify: number } | undefined {
  const lib = ['/usr/lib/libplumb.so.2', '/usr/lib/x86_64-linux-gnu/libplumb.so.2'].find((p) => existsSync(p));
  if (!lib || spawnSync('gcc', ['--version']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
  try {
    const src = join(dirname(fileURLToPath(import.meta.url)), 'c', 'hb-decode.c');
    const exe = join(dir, 'hb-decode');
    const cc = spawnSync('gcc', ['-O2', '-o', exe, src, lib, '-lcrypto'], { encoding: 'utf8' });
    if (cc.status !== 0) return undefined;
    const input = join(dir, 'packets.hex');
    writeFileSync(input, packets.map((p) => p.toString('hex')).join('\n') + '\n');
    const secret = secretOf(m);
    const run = spawnSync(exe, [input, m, secret, String(seconds)], { encoding: 'utf8' });
    const out = /decode (\S+) verify (\S+)/.exec(run.stdout);
    return out ? { decode: Number(out[1]), verify: Number(out[2]) } : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[][] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
for (const m of METHODS) {
  const packets = payloadsOf(m);
  const keys = keysFor(m);
  const bytes = packets.reduce((s, p) => s + p.length, 0) / packets.length;
  const dec = measure(packets, (p) => decode(p).ok);
  const ver = measure(packets, (p) => {
    const d = decode(p);
    return d.ok && verify(d.value, keys).ok;
  });
  const messages = packets.map((p) => {
    const d = decode(p);
    if (!d.ok) throw new Error('capture does not decode');
    return d.value.message;
  });
  let k = 0;
  const sig = measure(packets, () => sign(messages[k++ % messages.length]!, keys).ok);
  const c = cBaseline(m, packets);
  rows.push([m, String(Math.round(bytes)), fmt(dec), fmt(ver), (1e6 / ver).toFixed(2), fmt(sig), c ? fmt(c.decode) : 'n/a', c ? fmt(c.verify) : 'n/a']);
}

const head = ['method', 'avg bytes', 'decode/s', 'decode+verify/s', 'µs/msg (d+v)', 'sign/s', 'C decode/s', 'C decode+verify/s'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
process.stdout.write(`wire decoder throughput, one core, node ${process.version}, ${seconds} s per cell, ${METHODS.reduce((n, m) => n + payloadsOf(m).length, 0)} captured packets\n`);
process.stdout.write(line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
for (const r of rows) process.stdout.write(line(r) + '\n');
process.stdout.write('decode+verify checks both digests (outer netstring and inner auth field). C columns: heartbeat\'s own\n' +
  'libplumb wirefmt2msg (outer digest only, as heartbeat checks netstring packets) with OpenSSL HMAC / table CRC.\n');
