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

  // --- io: transports (src/io) ---
  LL_IO_NO_INTERFACE: 'interface {ifname} does not exist or has no IPv4 address',
  LL_IO_NO_BROADCAST: 'interface {ifname} has no broadcast address, so bcast would send nowhere (configure one: ip addr add {address}/{prefixLen} brd + dev {ifname})',
  LL_IO_BIND_FAILED: 'cannot bind {medium} on {ifname} to {address}:{port}: {reason}',
  LL_IO_BAD_PORT: 'invalid port [{port}] specified',
  LL_IO_BAD_MCAST_GROUP: '[{group}] is not an IPv4 multicast address',
  LL_IO_BAD_TTL: 'invalid multicast ttl [{ttl}]',
  LL_IO_BAD_UCAST_HOST: 'ucast host [{host}] is not an IPv4 address (resolve host names before opening the medium)',
  LL_IO_SERIAL_NOT_ABSOLUTE: 'Serial port not full pathname [{device}]',
  LL_IO_SERIAL_BAD_BAUD: 'invalid baud rate [{baud}]',
  LL_IO_SERIAL_OPEN_FAILED: 'cannot open serial port {device}: {reason}',

  // --- config: ha.cf, haresources, authkeys (src/config) ---

  // --- wire: codec and authentication (src/wire) ---

  // --- membership (src/membership) ---

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
