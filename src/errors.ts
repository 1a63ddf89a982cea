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
  // crm configure language (src/crm/lang): parsing crm text, reading/writing CIB XML, verify.
  LL_CRM_SYNTAX: '{what}',
  LL_CRM_UNKNOWN_KEYWORD: 'unknown statement keyword "{keyword}"',
  LL_CRM_MISSING_COLON: '{what} must be followed by ":"',
  LL_CRM_BAD_SCORE: 'bad score "{score}"',
  LL_CRM_BAD_VALUE: '{what}: bad value "{value}" for {name}',
  LL_CRM_DUPLICATE_ID: 'duplicate id "{id}" (first defined {first})',
  LL_CRM_UNKNOWN_RESOURCE: '{what} refers to resource "{rsc}", which is not defined',
  LL_CRM_BAD_MEMBER: '{what}: resource "{rsc}" cannot be used here: {reason}',
  LL_CRM_UNKNOWN_NODE: '{what} names node "{node}", which is not a configured node',
  LL_CRM_OP_NO_INTERVAL: '{rsc}: op {op} has no interval',
  LL_CRM_DUPLICATE_OP: '{rsc}: op {op} with interval {interval} is defined twice',
  LL_CRM_UNKNOWN_AGENT: '{rsc}: resource agent {agent} is not installed',
  LL_CRM_MISSING_PARAM: '{rsc}: required parameter "{param}" of {agent} is not defined',
  LL_CRM_UNKNOWN_PARAM: '{rsc}: parameter "{param}" is not known to {agent}',
  LL_CRM_UNKNOWN_META: '{what}: unknown meta attribute "{name}"{hint}',
  LL_CRM_UNKNOWN_OP_ATTR: '{rsc}: op {op} attribute "{name}" is not an operation attribute and is passed to the agent as a parameter{hint}',
  LL_CRM_UNKNOWN_PROPERTY: '{set}: unknown cluster property "{name}"',
  LL_CRM_OBSOLETE_PROPERTY: '{set}: property "{name}" is obsolete; {instead}',
  LL_CRM_NO_MONITOR: '{rsc}: no monitor operation, so a failure of the resource will not be noticed',
  LL_CRM_NO_STONITH: 'stonith-enabled is true (the default) but no stonith resource is defined: Pacemaker starts no resource; define one or set property stonith-enabled=false',
  LL_CRM_TIMEOUT_BELOW_ADVISED: '{rsc}: {which} timeout {timeout} for {op} is smaller than the advised {advised}',
  LL_CRM_UNSUPPORTED: '{what} is not supported by Lifeline\'s scheduler',
  LL_CRM_XML: 'CIB XML: {what}',

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
