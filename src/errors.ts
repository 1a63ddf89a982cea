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

  // --- wire: codec and authentication (src/wire) ---

  // --- membership (src/membership) ---

  // --- resources (src/resources) ---

  // --- crm: configuration language, CIB, scheduler (src/crm) ---
  LL_CIB_BAD_XML: '{file} is not a usable CIB: {reason}',
  LL_SCHED_UNSUPPORTED: '{file} uses a feature the scheduler does not support yet: {feature}',

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
