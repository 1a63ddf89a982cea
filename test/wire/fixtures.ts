// Where the heartbeat 3.0.6 captures live (test/fixtures/heartbeat-3.0.6, made by scripts/record-heartbeat-fixtures.ts)
// and how to load them: the manifest, the keys each capture was signed with, parsed by the real authkeys parser.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * The heartbeat 3.0.6 captures, part of the repository: test/fixtures/heartbeat-3.0.6, recorded from the real daemon
 * by scripts/record-heartbeat-fixtures.ts. Tests fail (not skip) when a file is missing: the captures are the oracle.
 */
export function interopDir(): string {
  const dir = join(repoRoot(), 'test', 'fixtures', 'heartbeat-3.0.6');
  if (!existsSync(join(dir, 'capture.json'))) throw new Error(`heartbeat captures not found in ${dir} (record them: node --import tsx scripts/record-heartbeat-fixtures.ts)`);
  return dir;
}

export const METHODS = ['sha1', 'md5', 'crc'] as const;
export type CaptureName = (typeof METHODS)[number];

/** What capture.json says about the recorded cluster: its config files, keys, addresses and heartbeat's uuids. */
export interface CaptureManifest {
  readonly heartbeat: string;
  readonly nodes: readonly { readonly name: string; readonly address: string }[];
  readonly broadcast: string;
  readonly vip: string;
  readonly haCf: string;
  readonly haresources: string;
  readonly authkeys: Readonly<Record<CaptureName, string>>;
  /** uuid of each node per capture, read from heartbeat's own hb_uuid files after the run. */
  readonly uuids: Readonly<Record<CaptureName, Readonly<Record<string, string>>>>;
}

let manifestCache: CaptureManifest | undefined;
export function captureManifest(): CaptureManifest {
  manifestCache ??= JSON.parse(readFileSync(join(interopDir(), 'capture.json'), 'utf8')) as CaptureManifest;
  return manifestCache;
}

/** The recorded address of a node (nodea, nodeb). */
export function nodeAddress(name: string): string {
  const n = captureManifest().nodes.find((x) => x.name === name);
  if (!n) throw new Error(`capture.json names no node ${name}`);
  return n.address;
}

/** authkeys text of each capture (from capture.json). */
export const AUTHKEYS_TEXT: Readonly<Record<CaptureName, string>> = {
  get sha1() { return captureManifest().authkeys.sha1; },
  get md5() { return captureManifest().authkeys.md5; },
  get crc() { return captureManifest().authkeys.crc; },
};

/** The secret of a capture's key (empty for crc), from its authkeys text. */
export function secretOf(name: CaptureName): string {
  return AUTHKEYS_TEXT[name].split('\n')[1]!.split(' ').slice(2).join(' ');
}

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
