// `npm run fuzz -- [--count N] [--duration SECONDS] [--seed N]`: a long campaign against the wire decoder and verifier.
// Mutates the captured heartbeat packets and generated messages; any throw, lost round trip, forgery or slow input is a failure.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { mulberry32 } from '../src/random.js';
import { decode, encode, encodeNetstringMessage } from '../src/wire/codec.js';
import { parseClassic, renderClassic } from '../src/wire/classic.js';
import { sign, verify } from '../src/wire/auth.js';
import type { AuthKeys } from '../src/config/authkeys-model.js';
import { authKey, message } from '../test/wire/arbitraries.js';
import { interopDir, keysFor, METHODS, type CaptureName } from '../test/wire/fixtures.js';

interface Options {
  count: number;
  duration: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { count: Number.POSITIVE_INFINITY, duration: 60, seed: Date.now() % 2 ** 31 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = Number(argv[i + 1]);
    if ((a === '--count' || a === '--duration' || a === '--seed') && Number.isFinite(v)) {
      o[a.slice(2) as keyof Options] = v;
      i++;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: npm run fuzz -- [--count N] [--duration SECONDS (default 60)] [--seed N]\n');
      process.exit(0);
    } else {
      process.stderr.write(`fuzz: unknown or incomplete option ${a}\n`);
      process.exit(2);
    }
  }
  return o;
}

/** A campaign is reproducible from its seed. */
const rng = mulberry32;

const TOKENS = ['###\n', '%%%\n', '>>>\n', '<<<\n', '(0)', '(1)', '(2)', '(3)', '(4)', '(5)', '(9)', ',', ':', '=', '\0', '\xff', '9999999:', '0:', '\n'].map((s) => Buffer.from(s, 'latin1'));

/** Applies 1..4 random edits: bit flips, byte sets, inserts, deletions, truncation, duplication, length rewrites, splices. */
function mutate(input: Buffer, r: () => number, corpus: readonly Buffer[]): Buffer {
  let b = Buffer.from(input);
  const n = 1 + Math.floor(r() * 4);
  const int = (k: number) => Math.floor(r() * k);
  for (let i = 0; i < n; i++) {
    const at = int(b.length + 1);
    switch (int(9)) {
      case 0: if (at < b.length) b[at] = b[at]! ^ (1 << int(8)); break;
      case 1: if (at < b.length) b[at] = int(256); break;
      case 2: b = Buffer.concat([b.subarray(0, at), Buffer.from([int(256)]), b.subarray(at)]); break;
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(16))]); break;
      case 4: b = b.subarray(0, at); break;
      case 5: b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + int(64)), b.subarray(at)]); break;
      case 6: {
        // Rewrite a run of digits (most likely a netstring length) with another number.
        const s = b.toString('latin1');
        const m = /\d+/g;
        m.lastIndex = at;
        const hit = m.exec(s);
        if (hit) b = Buffer.concat([b.subarray(0, hit.index), Buffer.from(String([0, 1, int(400), 2 ** int(31)][int(4)])), b.subarray(hit.index + hit[0].length)]);
        break;
      }
      case 7: b = Buffer.concat([b.subarray(0, at), TOKENS[int(TOKENS.length)]!, b.subarray(at)]); break;
      default: {
        const other = corpus[int(corpus.length)]!;
        const from = int(other.length);
        b = Buffer.concat([b.subarray(0, at), other.subarray(from, from + int(200))]);
      }
    }
  }
  return b;
}

interface Failure {
  readonly kind: string;
  readonly detail: string;
  readonly input: string;
}

function main(): void {
  const opt = parseArgs(process.argv.slice(2));
  const r = rng(opt.seed);
  const corpus: Array<{ method: CaptureName; bytes: Buffer; keys: AuthKeys }> = [];
  for (const m of METHODS) {
    const keys = keysFor(m);
    for (const line of readFileSync(join(interopDir(), `${m}.jsonl`), 'utf8').split('\n')) {
      if (line.trim()) corpus.push({ method: m, bytes: Buffer.from((JSON.parse(line) as { payload_hex: string }).payload_hex, 'hex'), keys });
    }
  }
  const raw = corpus.map((c) => c.bytes);
  // A mutation can splice together a whole other captured packet: that is a replay of an authentic packet, not a forgery.
  const authentic = new Set(raw.map((b) => b.toString('latin1')));
  const generated = fc.sample(fc.tuple(message({ classic: true }), authKey), { seed: opt.seed, numRuns: 2000 });
  const generatedNs = fc.sample(message({ classic: false }), { seed: opt.seed + 1, numRuns: 2000 });

  const failures: Failure[] = [];
  const codes = new Map<string, number>();
  let tried = 0;
  let accepted = 0;
  let slowest = 0;
  let retimed = 0;
  const fail = (kind: string, detail: string, input: Uint8Array) => {
    const f = { kind, detail, input: Buffer.from(input).toString('hex').slice(0, 2000) };
    // Shown at once, so a long campaign's findings are visible while it runs; the summary repeats the first 20.
    process.stdout.write(`fuzz: FAILURE after ${tried} inputs [${f.kind}] ${f.detail}\n    input (hex): ${f.input}\n`);
    if (failures.length < 20) failures.push(f);
  };

  /** Decodes one input and checks every invariant; `original` is the authentic packet it came from, if any. */
  const probe = (b: Buffer, keys: AuthKeys | undefined, original: Buffer | undefined) => {
    tried++;
    const t0 = process.hrtime.bigint();
    try {
      const d = decode(b);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      slowest = Math.max(slowest, ms);
      if (ms > 100) {
        // One slow run is usually a GC pause or another process on the core: time it again and judge the best run.
        let best = ms;
        for (let k = 0; k < 5; k++) {
          const t1 = process.hrtime.bigint();
          decode(b);
          best = Math.min(best, Number(process.hrtime.bigint() - t1) / 1e6);
        }
        if (best > 100) fail('slow', `${best.toFixed(1)} ms (best of 6) for ${b.length} bytes`, b);
        else retimed++;
      }
      if (!d.ok) {
        codes.set(d.error.code, (codes.get(d.error.code) ?? 0) + 1);
        return;
      }
      accepted++;
      if (d.value.format === 'netstring') {
        const e = encode(d.value);
        if (!e.ok || !Buffer.from(e.value).equals(b)) fail('round-trip', 'accepted netstring input re-encodes differently', b);
      } else {
        const text = renderClassic(d.value.message, { head: true });
        const back = text.ok ? parseClassic(text.value) : undefined;
        if (text.ok && (!back?.ok || JSON.stringify(back.value, replacer) !== JSON.stringify(d.value.message, replacer))) {
          fail('classic-round-trip', 'accepted classic message re-parses differently', b);
        }
      }
      if (keys && original && !b.equals(original) && !authentic.has(b.toString('latin1')) && verify(d.value, keys).ok) {
        fail('forgery', 'a changed packet verified', b);
      }
    } catch (e) {
      fail('throw', (e as Error).stack ?? String(e), b);
    }
  };

  const started = Date.now();
  let lastReport = started;
  process.stdout.write(`fuzz: seed ${opt.seed}, duration ${opt.duration} s${Number.isFinite(opt.count) ? `, count ${opt.count}` : ''}\n`);
  while (tried < opt.count && Date.now() - started < opt.duration * 1000) {
    const pick = r();
    if (pick < 0.7) {
      const c = corpus[Math.floor(r() * corpus.length)]!;
      probe(mutate(c.bytes, r, raw), c.keys, c.bytes);
    } else if (pick < 0.85) {
      const [m, key] = generated[Math.floor(r() * generated.length)]!;
      const keys = { active: key, keys: new Map([[key.index, key]]) };
      const s = sign(m, keys);
      if (s.ok) {
        const b = Buffer.from(s.value.bytes);
        probe(b, keys, b);
        const d = decode(b);
        if (!d.ok || !verify(d.value, keys).ok) fail('sign-verify', 'a signed message does not verify', b);
        probe(mutate(b, r, raw), keys, b);
      }
      const classic = renderClassic(m, { head: true });
      if (classic.ok) probe(mutate(Buffer.from(classic.value), r, raw), undefined, undefined);
    } else if (pick < 0.95) {
      const m = generatedNs[Math.floor(r() * generatedNs.length)]!;
      const b = encodeNetstringMessage(m);
      probe(b, undefined, undefined);
      probe(mutate(b, r, raw), undefined, undefined);
    } else {
      const b = Buffer.alloc(Math.floor(r() * 512));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      if (r() < 0.5) b.write('###\n', 0, 'latin1');
      probe(b, undefined, undefined);
    }
    if (Date.now() - lastReport > 10000) {
      lastReport = Date.now();
      process.stdout.write(`fuzz: ${tried} inputs, ${failures.length} failures, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }
  const secs = (Date.now() - started) / 1000;
  process.stdout.write(`fuzz: tried ${tried} inputs in ${secs.toFixed(1)} s (${Math.round(tried / secs)}/s), seed ${opt.seed}\n`);
  process.stdout.write(`fuzz: ${accepted} accepted, ${tried - accepted} rejected; slowest single decode ${slowest.toFixed(2)} ms (${retimed} pauses over 100 ms did not repeat)\n`);
  for (const [c, n] of [...codes].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${c.padEnd(28)} ${n}\n`);
  process.stdout.write(`fuzz: ${failures.length} failures\n`);
  for (const f of failures) process.stdout.write(`  [${f.kind}] ${f.detail}\n    input (hex): ${f.input}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

/** JSON.stringify helper that shows byte arrays as hex, for comparing messages. */
function replacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v;
}

main();
