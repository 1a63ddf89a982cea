// Every error and warning Lifeline can report, with its code and message template, in one place.
// Tests assert on codes; administrators read the rendered text, which names the file, line and value.

/** Where in which file a problem was found. `line` is 1-based; absent for whole-file problems. */
export interface Location {
  readonly file: string;
  readonly line?: number;
}

/** One diagnostic: a code from the catalogue below, the rendered message and where it applies. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location?: Location;
  /** The offending text as found in the input, when there is one. */
  readonly found?: string;
  /** What would have been accepted there. */
  readonly expected?: string;
}

/** Renders `file:line: message (found "x", expected y)`, the form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}${d.location.line !== undefined ? `:${d.location.line}` : ''}: ` : '';
  const parts: string[] = [];
  if (d.found !== undefined) parts.push(`found "${d.found}"`);
  if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
  const tail = parts.length ? ` (${parts.join(', ')})` : '';
  return `${where}${d.severity === 'warning' ? 'WARN' : 'ERROR'}: ${d.message}${tail} [${d.code}]`;
}

/** An exception for the shell layers (CLI, daemon start-up) that carries diagnostics; pure code returns them instead. */
export class LifelineError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'LifelineError';
  }
}

/**
 * The catalogue: code → message template. `{name}` placeholders are filled by `diag()`.
 * Each area keeps its codes in its own block below, so the whole list stays readable at a glance.
 */
export const CODES = {
  // --- general ---
  LL_IO_READ_FAILED: 'cannot read {file}: {reason}',
  LL_USAGE: '{message}',

  // --- config: ha.cf, haresources, authkeys (src/config) ---
  LL_AUTHKEYS_PERMISSIONS: 'Bad permissions on keyfile [{file}], 600 recommended: mode {mode} lets other users read or change the cluster secret and forge messages',
  LL_AUTHKEYS_BAD_AUTH_LINE: 'Invalid auth line in authkeys',
  LL_AUTHKEYS_BAD_KEY_LINE: 'Invalid key line in authkeys',
  LL_AUTHKEYS_BAD_INDEX: 'Invalid authnum [{index}] in authkeys',
  LL_AUTHKEYS_BAD_METHOD: 'Invalid authtype [{method}]',
  LL_AUTHKEYS_KEY_REQUIRED: 'Auth method [{method}] requires a key',
  LL_AUTHKEYS_KEY_UNUSED: "Auth method [{method}] doesn't use a key",
  LL_AUTHKEYS_TRAILING_TEXT: 'text after the secret is ignored (heartbeat reads only the first word)',
  LL_AUTHKEYS_DUPLICATE_INDEX: 'key index {index} defined twice; the last definition wins',
  LL_AUTHKEYS_NOT_HEARTBEAT: 'auth method {method} is a Lifeline extension: heartbeat 3.0.6 peers cannot verify it',
  LL_AUTHKEYS_NO_AUTH: 'no "auth N" line: no key selected to sign messages',
  LL_AUTHKEYS_KEY_NOT_FOUND: 'Auth Key [{index}] not found in keyfile',
  LL_AUTHKEYS_CRC_INSECURE: 'crc authentication only detects corruption: any host on the network can forge messages',

  // --- wire: codec and authentication (src/wire) ---
  LL_WIRE_TOO_LARGE: 'packet of {size} bytes is larger than heartbeat\'s MAXMSG ({max} bytes)',
  LL_WIRE_EMPTY: 'empty packet',
  LL_WIRE_NO_START: 'packet does not start a heartbeat message at byte {offset}',
  LL_WIRE_NO_END: 'message starting at byte {offset} has no end marker before the end of its data',
  LL_WIRE_BAD_LENGTH: 'bad netstring length at byte {offset}',
  LL_WIRE_LENGTH_OVERRUN: 'netstring at byte {offset} declares {length} bytes but only {available} remain',
  LL_WIRE_NO_COMMA: 'netstring at byte {offset} is not closed by ","',
  LL_WIRE_BAD_TYPE: 'field at byte {offset} has no valid type prefix "(0)".."(5)"',
  LL_WIRE_BAD_FIELD: 'field at byte {offset} is not "name=value"',
  LL_WIRE_BAD_UTF8: 'text at byte {offset} is not valid UTF-8',
  LL_WIRE_NUL_IN_STRING: 'text at byte {offset} contains a NUL byte',
  LL_WIRE_TOO_DEEP: 'messages nested deeper than {max} levels at byte {offset}',
  LL_WIRE_BAD_LIST: 'list field at byte {offset} is malformed',
  LL_WIRE_NESTED_TRAILING: 'nested message at byte {offset} is followed by stray bytes inside its field',
  LL_WIRE_TRAILING_BYTES: '{count} stray bytes after the end of the message at byte {offset}',
  LL_WIRE_BAD_BASE64: 'binary field at byte {offset} is not valid base64',
  LL_WIRE_INVALID_MESSAGE: 'cannot encode field "{name}": {reason}',
  LL_WIRE_AUTH_MISSING: 'message carries no {part} authentication',
  LL_WIRE_AUTH_MALFORMED: '{part} authentication string is not "N DIGEST"',
  LL_WIRE_AUTH_UNKNOWN_KEY: 'message is signed with key {index}, which authkeys does not define',
  LL_WIRE_AUTH_BAD_DIGEST: '{part} digest does not match key {index} ({method})',
  LL_WIRE_COMPRESSION_UNSUPPORTED: 'compression algorithm "{algorithm}" is not supported (only zlib)',
  LL_WIRE_DECOMPRESS_FAILED: 'compressed field "{name}" does not decompress: {reason}',
  LL_WIRE_BAD_HEADER: 'field "{name}" is {problem}',
  LL_CAPTURE_BAD_FORMAT: 'not a pcap capture or JSON-lines capture: {reason}',
  LL_CAPTURE_TRUNCATED: 'capture record {record} is truncated',
  LL_CAPTURE_BAD_LINE: 'bad capture line: {reason}',

  // --- membership (src/membership) ---
  LL_MEMBERSHIP_BAD_TIMING: '{name} [{value}] must be a positive time',
  LL_MEMBERSHIP_DEADTIME_TOO_SMALL: 'Dead time [{deadtime}] is too small compared to keeplive [{keepalive}]',
  LL_MEMBERSHIP_WARNTIME_TOO_BIG: 'warntime [{warntime} ms] is not below deadtime [{deadtime} ms]: no warning can come before a death',
  LL_MEMBERSHIP_INITDEAD_TOO_SMALL: 'Initial dead time [{initdead} ms] may be too small! should be >= deadtime and >= 10 seconds',
  LL_MEMBERSHIP_BAD_UUID: 'node uuid must be 16 bytes, got {length}',
  LL_MEMBERSHIP_SELF_NOT_IN_NODES: 'Current node [{node}] not in configuration!',
  LL_MEMBERSHIP_NO_MEDIA: 'No heartbeat media defined',

  // --- resources (src/resources) ---

  // --- crm: configuration language, CIB, scheduler (src/crm) ---

} as const satisfies Record<string, string>;

export type Code = keyof typeof CODES;

/** Builds a diagnostic from a catalogue code, filling `{placeholders}` from `vars`. */
export function diag(
  code: Code,
  vars: Record<string, string | number> = {},
  extra: { severity?: 'error' | 'warning'; location?: Location; found?: string; expected?: string } = {},
): Diagnostic {
  const message = CODES[code].replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
  return { code, severity: extra.severity ?? 'error', message, ...(extra.location ? { location: extra.location } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}), ...(extra.expected !== undefined ? { expected: extra.expected } : {}) };
}
