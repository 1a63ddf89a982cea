// Where the interop captures live and how to load them: <repo>/../shared (as CI checks out), or an ancestor's shared/.
// Also the keys each capture was signed with, as authkeys text, parsed by the real authkeys parser.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAuthkeys } from '../../src/config/authkeys.js';
import type { AuthKeys } from '../../src/config/authkeys-model.js';

/** The repository root: the nearest ancestor of this file with lifeline's package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lifeline') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The heartbeat 3.0.6 interop directory. Tests fail (not skip) when it is missing: the captures are the oracle. */
export function interopDir(): string {
  const tail = join('shared', 'interop', 'heartbeat-3.0.6');
  const candidates = [process.env.LIFELINE_SHARED ? join(process.env.LIFELINE_SHARED, 'interop', 'heartbeat-3.0.6') : ''];
  for (let dir = resolve(repoRoot(), '..'); ; dir = dirname(dir)) {
    candidates.push(join(dir, tail));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find((c) => c !== '' && existsSync(c));
  if (!found) throw new Error(`interop captures not found; looked in ${candidates.filter(Boolean).join(', ')}`);
  return found;
}

export const METHODS = ['sha1', 'md5', 'crc'] as const;
export type CaptureName = (typeof METHODS)[number];

/** authkeys text of each capture (from the interop README). */
export const AUTHKEYS_TEXT: Readonly<Record<CaptureName, string>> = {
  sha1: 'auth 1\n1 sha1 PutYourSuperSecretKeyHere\n',
  md5: 'auth 1\n1 md5 anotherSecret42\n',
  crc: 'auth 1\n1 crc\n',
};

export function keysFor(name: CaptureName): AuthKeys {
  const r = parseAuthkeys(AUTHKEYS_TEXT[name], `${name}.authkeys`);
  if (!r.value) throw new Error('fixture authkeys do not parse');
  return r.value;
}

export function keysOf(text: string): AuthKeys {
  const r = parseAuthkeys(text, 'test.authkeys');
  if (!r.value) throw new Error('test authkeys do not parse: ' + r.diagnostics.map((d) => d.message).join('; '));
  return r.value;
}

/** Every payload of a capture's JSON-lines file, in order. */
export function payloads(name: CaptureName): Buffer[] {
  return readFileSync(join(interopDir(), `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Buffer.from((JSON.parse(l) as { payload_hex: string }).payload_hex, 'hex'));
}
