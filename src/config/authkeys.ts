// Parses /etc/ha.d/authkeys as heartbeat 3.0.6's parse_authfile does, reporting every problem with its line.
// Pure: the caller reads the file and passes its text and mode bits, so the rules are testable without a filesystem.

import { diag, type Diagnostic } from '../errors.js';
import type { AuthKey, AuthKeys, AuthMethod } from './authkeys-model.js';

/** heartbeat's MAXAUTH: key indexes run from 0 to 15. */
export const MAX_AUTH_INDEX = 15;

/** Methods and whether each needs a secret; heartbeat refuses a secret on crc and a missing one on the HMACs. */
const METHODS: Readonly<Record<AuthMethod, { needsKey: boolean; heartbeat: boolean }>> = {
  crc: { needsKey: false, heartbeat: true },
  md5: { needsKey: true, heartbeat: true },
  sha1: { needsKey: true, heartbeat: true },
  sha256: { needsKey: true, heartbeat: false },
};

export interface AuthkeysParse {
  /** Present only when the file is usable (no errors). */
  readonly value?: AuthKeys;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses authkeys text. `mode` is the file's st_mode (permission bits are enough); when given, a file readable or
 * writable by group or others is refused, because anyone who can read the secret can forge cluster messages.
 */
export function parseAuthkeys(text: string, file: string, mode?: number): AuthkeysParse {
  const diagnostics: Diagnostic[] = [];
  if (mode !== undefined && (mode & 0o066) !== 0) {
    diagnostics.push(diag('LL_AUTHKEYS_PERMISSIONS', { file, mode: (mode & 0o777).toString(8).padStart(3, '0') }, {
      location: { file }, found: (mode & 0o777).toString(8).padStart(3, '0'), expected: 'mode 600, 400 or 700 (chmod 600 ' + file + ')',
    }));
  }
  const keys = new Map<number, AuthKey>();
  let activeIndex: number | undefined;
  let activeLine = 0;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const location = { file, line };
    const t = raw.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#')) return;
    const words = t.split(/\s+/);
    if (words[0] === 'auth') {
      const n = words[1];
      if (words.length !== 2 || n === undefined || !/^\d+$/.test(n)) {
        diagnostics.push(diag('LL_AUTHKEYS_BAD_AUTH_LINE', {}, { location, found: t, expected: '"auth N" with N a key index 0..15' }));
        return;
      }
      activeIndex = Number(n);
      activeLine = line;
      return;
    }
    const [idx, method, secret, ...extra] = words;
    if (idx === undefined || !/^\d+$/.test(idx) || method === undefined) {
      diagnostics.push(diag('LL_AUTHKEYS_BAD_KEY_LINE', {}, { location, found: t, expected: '"N method [secret]", e.g. "1 sha1 SECRET"' }));
      return;
    }
    const index = Number(idx);
    if (index > MAX_AUTH_INDEX) {
      diagnostics.push(diag('LL_AUTHKEYS_BAD_INDEX', { index }, { location, found: idx, expected: `a key index from 0 to ${MAX_AUTH_INDEX}` }));
      return;
    }
    const m = method.toLowerCase();
    if (!(m in METHODS)) {
      diagnostics.push(diag('LL_AUTHKEYS_BAD_METHOD', { method }, { location, found: method, expected: 'crc, md5, sha1 (or sha256, a Lifeline extension)' }));
      return;
    }
    const spec = METHODS[m as AuthMethod];
    if (spec.needsKey && (secret === undefined || secret === '')) {
      diagnostics.push(diag('LL_AUTHKEYS_KEY_REQUIRED', { method: m }, { location, found: t, expected: `"${index} ${m} SECRET"` }));
      return;
    }
    if (!spec.needsKey && secret !== undefined) {
      diagnostics.push(diag('LL_AUTHKEYS_KEY_UNUSED', { method: m }, { location, found: secret, expected: `"${index} ${m}" with no secret` }));
      return;
    }
    if (extra.length > 0) {
      // heartbeat reads the secret with sscanf("%s"), so words after the first are silently dropped there; say so.
      diagnostics.push(diag('LL_AUTHKEYS_TRAILING_TEXT', {}, { severity: 'warning', location, found: extra.join(' '), expected: 'a secret without spaces' }));
    }
    if (keys.has(index)) {
      diagnostics.push(diag('LL_AUTHKEYS_DUPLICATE_INDEX', { index }, { severity: 'warning', location, found: idx, expected: 'each key index once' }));
    }
    if (!spec.heartbeat) {
      diagnostics.push(diag('LL_AUTHKEYS_NOT_HEARTBEAT', { method: m }, { severity: 'warning', location, found: m, expected: 'crc, md5 or sha1 if heartbeat 3.0.6 nodes are in the cluster' }));
    }
    keys.set(index, { index, method: m as AuthMethod, secret: secret ?? '' });
  });
  if (activeIndex === undefined) {
    diagnostics.push(diag('LL_AUTHKEYS_NO_AUTH', {}, { location: { file }, expected: 'an "auth N" line naming the key to sign with' }));
  } else if (!keys.has(activeIndex)) {
    diagnostics.push(diag('LL_AUTHKEYS_KEY_NOT_FOUND', { index: activeIndex }, { location: { file, line: activeLine }, found: `auth ${activeIndex}`, expected: `a line "${activeIndex} method [secret]"` }));
  } else if (keys.get(activeIndex)!.method === 'crc') {
    diagnostics.push(diag('LL_AUTHKEYS_CRC_INSECURE', {}, { severity: 'warning', location: { file, line: activeLine }, found: 'crc', expected: 'sha1 with a secret unless the heartbeat network is private to the cluster' }));
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return failed || activeIndex === undefined ? { diagnostics } : { value: { active: keys.get(activeIndex)!, keys }, diagnostics };
}
