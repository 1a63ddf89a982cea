// Renders decoded, verified datagrams as one readable line each: the engine behind `lifeline wire-dump`.
// Pure so the wording is testable; the command only reads files and prints these lines.

import type { AuthKeys } from '../config/authkeys-model.js';
import { formatDiagnostic } from '../errors.js';
import { decode } from './codec.js';
import { verify } from './auth.js';
import { decompressField } from './compress.js';
import { F, uuidString, type Field, type HaMessage } from './message.js';
import type { Datagram } from './capture.js';

/** The outcome of dumping a set of datagrams. */
export interface DumpResult {
  readonly lines: readonly string[];
  /** Datagrams that decoded and authenticated. */
  readonly verified: number;
  /** Datagrams that failed to decode or to authenticate. */
  readonly failed: number;
}

/** Fields shown in the fixed columns of a line, so they are not repeated among the others. */
const COLUMNS = new Set<string>([F.type, F.orig, F.seq, F.generation, F.auth]);

/** Capture time as ISO 8601 UTC with microseconds. */
export function formatTime(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

/** A value as text: strings quoted only when they need it, uuids in uuid form, other bytes as hex. */
function show(f: Field, parent: HaMessage): string {
  switch (f.type) {
    case 0: return /^[\x21-\x7e]*$/.test(f.value) && f.value !== '' ? f.value : JSON.stringify(f.value);
    case 1: return uuidString(f.value) ?? `0x${Buffer.from(f.value).toString('hex')}`;
    case 2:
    case 5: return `{${fieldsText(f.value)}}`;
    case 3: return `[${f.value.map((s) => JSON.stringify(s)).join(',')}]`;
    case 4: {
      const inner = decompressField(parent, f.name);
      return inner.ok ? `zlib{${fieldsText(inner.value)}}` : `<compressed ${f.value.length} bytes: ${inner.error.code}>`;
    }
  }
}

function fieldsText(m: HaMessage, skip?: Set<string>): string {
  return m.fields.filter((f) => !skip?.has(f.name)).map((f) => `${f.name}=${show(f, m)}`).join(' ');
}

/** One line for one message: time, source, node, type, seq, generation, auth verdict, then every other field. */
export function dumpDatagrams(datagrams: readonly Datagram[], keys: AuthKeys): DumpResult {
  const lines: string[] = [];
  let verified = 0;
  let failed = 0;
  for (const d of datagrams) {
    const head = `${formatTime(d.time)} ${d.src}:${d.sport}`;
    const p = decode(d.payload);
    if (!p.ok) {
      failed++;
      lines.push(`${head} UNDECODABLE ${formatDiagnostic(p.error)}`);
      continue;
    }
    const m = p.value.message;
    const get = (name: string) => {
      const f = m.fields.find((x) => x.name === name && x.type === 0);
      return f && f.type === 0 ? f.value : '-';
    };
    const v = verify(p.value, keys);
    if (v.ok) verified++;
    else failed++;
    const auth = v.ok ? 'auth=ok' : `auth=BAD(${v.error.code}: ${v.error.message})`;
    const rest = fieldsText(m, COLUMNS);
    lines.push(`${head} ${get(F.orig)} ${get(F.type)} seq=${get(F.seq)} gen=${get(F.generation)} ${auth}${rest ? ' ' + rest : ''}`);
  }
  return { lines, verified, failed };
}
