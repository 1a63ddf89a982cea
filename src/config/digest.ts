// The digest of a node's /etc/ha.d files that each Lifeline node puts in its status messages (field `llcfg`), so a
// peer with other files is noticed by the daemon itself; equal when `lifeline check --cluster` finds no difference.
import { createHash, createHmac } from 'node:crypto';
import { entries } from './compare.js';

/** The files that take part, in the order the digest lists them. */
export const DIGEST_FILES = ['ha.cf', 'haresources', 'authkeys'] as const;
export type DigestFile = (typeof DIGEST_FILES)[number];

/** What the digest is computed from: each file's text, undefined when it is absent or not read (haresources with crm on). */
export interface DigestInput {
  readonly haCf?: string;
  readonly haresources?: string;
  readonly authkeys?: string;
}

/**
 * ha.cf directives that may differ between nodes without changing what the cluster does: where a node logs, and
 * `ucast`, where each node commonly names only its peer's address.
 */
export const NODE_LOCAL_DIRECTIVES: ReadonlySet<string> = new Set(['ucast', 'logfile', 'debugfile', 'logfacility', 'debug', 'use_logd']);

/** Hex characters kept per file: 48 bits, enough to tell two administrators' files apart, short on the wire. */
const KEEP = 12;

/**
 * ha.cf and haresources are digested as `lifeline check --cluster` compares them: logical lines without comments,
 * single-spaced, order-insensitive. ha.cf's node-local directives are left out (NODE_LOCAL_DIRECTIVES; check
 * --cluster still lists them). authkeys is a secret: its digest is an HMAC keyed by the file's normalised
 * text, which tells nothing a signed packet does not already tell. An absent file is `-`.
 * Example: `ha.cf=3f2a9c0d11e4 haresources=- authkeys=9b0e4d7a6c21`.
 */
export function configDigest(files: DigestInput): string {
  const lines = (text: string, cont: boolean, skip: ReadonlySet<string> = new Set()) => entries(text, cont).filter((e) => !skip.has(e.key)).map((e) => e.text).sort().join('\n');
  const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, KEEP);
  const parts: Record<DigestFile, string> = {
    'ha.cf': files.haCf === undefined ? '-' : sha(lines(files.haCf, false, NODE_LOCAL_DIRECTIVES)),
    haresources: files.haresources === undefined ? '-' : sha(lines(files.haresources, true)),
    authkeys: files.authkeys === undefined ? '-'
      : createHmac('sha256', lines(files.authkeys, false)).update('lifeline authkeys digest').digest('hex').slice(0, KEEP),
  };
  return DIGEST_FILES.map((f) => `${f}=${parts[f]}`).join(' ');
}

/** The files whose digests differ between ours and a peer's; a malformed peer digest differs in every file. */
export function digestDifferences(ours: string, theirs: string): DigestFile[] {
  const parse = (d: string) => new Map(d.split(' ').map((p) => p.split('=') as [string, string]));
  const a = parse(ours);
  const b = parse(theirs);
  return DIGEST_FILES.filter((f) => a.get(f) === undefined || a.get(f) !== b.get(f));
}
