// Compares one node's /etc/ha.d files with another's, directive by directive, for `lifeline check --cluster`:
// heartbeat wants them "the same on ALL nodes", and the admin needs to know which line differs, not just that.

/** One difference between here and a peer. `here`/`there` are the normalised lines (undefined: absent). */
export interface ConfigDifference {
  readonly file: 'ha.cf' | 'haresources' | 'authkeys';
  /** The directive (ha.cf), the preferred node of the group (haresources), or "key" (authkeys). */
  readonly what: string;
  readonly here?: string;
  readonly hereLine?: number;
  readonly there?: string;
  readonly thereLine?: number;
}

export interface Entry { readonly key: string; readonly text: string; readonly line: number }

/** Logical lines without comments and with single spaces; haresources' `\` continuations joined. */
export function entries(text: string, joinContinuations: boolean): Entry[] {
  const out: Entry[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const noComment = raw.replace(/#.*/, '');
    const cont = joinContinuations && /\\\s*$/.test(noComment);
    const body = noComment.replace(/\\\s*$/, '').trim().replace(/[\s,]+/g, ' ');
    const cur = pending ? { text: `${pending.text} ${body}`.trim(), line: pending.line } : { text: body, line: i + 1 };
    if (cont) { pending = cur; return; }
    pending = undefined;
    if (cur.text) out.push({ key: cur.text.split(' ')[0]!, text: cur.text, line: cur.line });
  });
  if (pending?.text) out.push({ key: pending.text.split(' ')[0]!, text: pending.text, line: pending.line });
  return out;
}

/**
 * Per key, the lines here and there are compared as lists (order within a directive matters for heartbeat's
 * media and nodes only as a set, so they are compared sorted); a key with the same lines on both sides is equal.
 */
function compareEntries(file: 'ha.cf' | 'haresources', here: Entry[], there: Entry[]): ConfigDifference[] {
  const keys = [...new Set([...here, ...there].map((e) => e.key))];
  const out: ConfigDifference[] = [];
  for (const key of keys) {
    const h = here.filter((e) => e.key === key);
    const t = there.filter((e) => e.key === key);
    const hs = h.map((e) => e.text).sort();
    const ts = t.map((e) => e.text).sort();
    if (hs.join('\n') === ts.join('\n')) continue;
    const onlyHere = h.filter((e) => !ts.includes(e.text));
    const onlyThere = t.filter((e) => !hs.includes(e.text));
    for (let i = 0; i < Math.max(onlyHere.length, onlyThere.length); i++) {
      const a = onlyHere[i];
      const b = onlyThere[i];
      out.push({ file, what: key, ...(a ? { here: a.text, hereLine: a.line } : {}), ...(b ? { there: b.text, thereLine: b.line } : {}) });
    }
  }
  return out;
}

/** The files of one node as compared: authkeys only as a digest, so the secret never leaves its node. */
export interface NodeFiles {
  readonly haCf?: string;
  readonly haresources?: string;
  /** sha256 of authkeys, hex. */
  readonly authkeysDigest?: string;
  /** authkeys' permission bits. */
  readonly authkeysMode?: number;
}

export function compareNodeFiles(here: NodeFiles, there: NodeFiles): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const file = (name: 'ha.cf' | 'haresources', a: string | undefined, b: string | undefined) => {
    if (a === undefined && b === undefined) return;
    if (a === undefined || b === undefined) { out.push({ file: name, what: '(file)', ...(a !== undefined ? { here: 'present' } : {}), ...(b !== undefined ? { there: 'present' } : {}) }); return; }
    out.push(...compareEntries(name, entries(a, name === 'haresources'), entries(b, name === 'haresources')));
  };
  file('ha.cf', here.haCf, there.haCf);
  file('haresources', here.haresources, there.haresources);
  if (here.authkeysDigest !== there.authkeysDigest) {
    out.push({ file: 'authkeys', what: 'key', ...(here.authkeysDigest ? { here: `sha256 ${here.authkeysDigest.slice(0, 12)}` } : {}), ...(there.authkeysDigest ? { there: `sha256 ${there.authkeysDigest.slice(0, 12)}` } : {}) });
  }
  if (there.authkeysMode !== undefined && (there.authkeysMode & 0o077) !== 0) {
    out.push({ file: 'authkeys', what: 'mode', there: `mode ${there.authkeysMode.toString(8).padStart(3, '0')} (must be 600)` });
  }
  return out;
}

/** One line per difference, in the admin's words: `ha.cf deadtime: here "deadtime 2" (line 2), nodeb "deadtime 5" (line 3)`. */
export function describeDifference(d: ConfigDifference, peer: string): string {
  if (d.file === 'authkeys' && d.what === 'mode') return `authkeys on ${peer}: ${d.there}`;
  const side = (who: string, text?: string, line?: number) => (text === undefined ? `${who} has none` : `${who} "${text}"${line ? ` (line ${line})` : ''}`);
  return `${d.file} ${d.what}: ${side('here', d.here, d.hereLine)}, ${side(peer, d.there, d.thereLine)}`;
}
