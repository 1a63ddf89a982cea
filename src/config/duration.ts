// Reads heartbeat's time syntax ("2", "1.5", "500ms", "100us") into milliseconds, exactly as its get_msec does.
// One function for every time-valued directive, so keepalive, deadtime and friends can never disagree on units.

/** The outcome of reading one time value: milliseconds, and whether heartbeat 3.0.6 itself would accept the text. */
export interface ParsedDuration {
  readonly ms: number;
  /** False for the Lifeline extension suffixes `s`/`sec`, which heartbeat 3.0.6's get_msec rejects. */
  readonly heartbeatCompatible: boolean;
}

/**
 * Parses a heartbeat time. Verified against libplumb's cl_get_msec on this machine: a bare number is seconds
 * (`2` → 2000, `1.5` → 1500, `.5` → 500), `ms`/`msec` are milliseconds (case-insensitive, space allowed before the
 * unit), `us`/`usec` microseconds rounded to the nearest millisecond (`501us` → 1). Everything else is refused,
 * including `2s` — which Lifeline accepts as an extension, flagged so the caller can warn that heartbeat will not.
 * Returns undefined when the text is not a time at all.
 */
export function parseDuration(text: string): ParsedDuration | undefined {
  const m = /^\s*([0-9]*\.?[0-9]*)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m || m[1] === '' || m[1] === '.') return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  const unit = m[2]!.toLowerCase();
  let factor: number;
  let heartbeatCompatible = true;
  if (unit === '') factor = 1000;
  else if (unit === 'ms' || unit === 'msec') factor = 1;
  else if (unit === 'us' || unit === 'usec') factor = 0.001;
  else if (unit === 's' || unit === 'sec') { factor = 1000; heartbeatCompatible = false; }
  else return undefined;
  // get_msec adds 0.5 and truncates: round half up.
  return { ms: Math.floor(n * factor + 0.5), heartbeatCompatible };
}

/** Renders milliseconds the way an administrator would write them back into ha.cf: whole seconds bare, else `Nms`. */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : `${ms}ms`;
}
