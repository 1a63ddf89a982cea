// Value grammars shared by the crm parser, the XML reader and verify: scores, durations, booleans, enums.
// Kept apart so that the text and XML sides accept exactly the same values.

/** Pacemaker's INFINITY: scores are clamped to ±1000000. */
export const INFINITY_SCORE = 1_000_000;

/**
 * Normalises a crm score to its CIB spelling (`inf`, `+inf`, `INFINITY` → `INFINITY`, `-inf` → `-INFINITY`,
 * `mandatory` → `INFINITY`, `advisory` → `0`, digits kept). Returns undefined for anything else.
 */
export function normaliseScore(text: string): string | undefined {
  const t = text.trim();
  const m = /^([+-]?)(inf|infinity)$/i.exec(t);
  // crmsh keeps the explicit plus sign (`+inf` → `+INFINITY`); Pacemaker reads both spellings alike.
  if (m) return m[1] === '-' ? '-INFINITY' : m[1] === '+' ? '+INFINITY' : 'INFINITY';
  if (/^mandatory$/i.test(t)) return 'INFINITY';
  if (/^advisory$/i.test(t)) return '0';
  if (/^[+-]?\d+$/.test(t)) return t.startsWith('+') ? t.slice(1) : t;
  return undefined;
}

/** The crm spelling of a CIB score, as crmsh's `show` prints it (`INFINITY` → `inf`). */
export function displayScore(score: string): string {
  if (score === 'INFINITY') return 'inf';
  if (score === '+INFINITY') return '+inf';
  if (score === '-INFINITY') return '-inf';
  return score;
}

/** The numeric value of a CIB score, clamped as Pacemaker does; undefined if it is not a score. */
export function scoreValue(score: string): number | undefined {
  const n = normaliseScore(score);
  if (n === undefined) return undefined;
  if (n === 'INFINITY' || n === '+INFINITY') return INFINITY_SCORE;
  if (n === '-INFINITY') return -INFINITY_SCORE;
  const v = Number(n);
  return Math.max(-INFINITY_SCORE, Math.min(INFINITY_SCORE, v));
}

const UNIT_MS: Record<string, number> = {
  '': 1000, s: 1000, sec: 1000, ms: 1, msec: 1, us: 0.001, usec: 0.001,
  m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000,
};

/**
 * Milliseconds of a Pacemaker duration: `30` (seconds), `10s`, `1m`, `500ms`, `2min`, `1h`,
 * or ISO 8601 `PT1M30S`. Undefined when the text is not a duration.
 */
export function durationMs(text: string): number | undefined {
  const t = text.trim();
  const m = /^(\d+)\s*([a-z]*)$/i.exec(t);
  if (m) {
    const unit = UNIT_MS[m[2]!.toLowerCase()];
    return unit === undefined ? undefined : Number(m[1]) * unit;
  }
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(t);
  if (iso && t.length > 1 && !/T$/i.test(t)) {
    const [, d, h, mi, s] = iso;
    return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  }
  return undefined;
}

/** Pacemaker's boolean spellings (crm_is_true / crm_str_to_boolean). */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (['true', 'on', 'yes', 'y', '1'].includes(t)) return true;
  if (['false', 'off', 'no', 'n', '0'].includes(t)) return false;
  return undefined;
}

/** Roles a constraint or op may name; Master/Slave are the deprecated spellings of Promoted/Unpromoted. */
export const ROLES = ['Stopped', 'Started', 'Promoted', 'Unpromoted', 'Master', 'Slave'] as const;

/** Values of op `on-fail`. */
export const ON_FAIL = ['ignore', 'block', 'stop', 'restart', 'standby', 'fence', 'demote', 'restart-container'] as const;

/** Order kinds. */
export const ORDER_KINDS = ['Mandatory', 'Optional', 'Serialize'] as const;

/** Actions an order constraint may name. */
export const ORDER_ACTIONS = ['start', 'stop', 'promote', 'demote'] as const;

/** Rule expression comparison operators. */
export const BINARY_OPS = ['lt', 'gt', 'lte', 'gte', 'eq', 'ne'] as const;

/** Rule expression value types (`number:lte`). */
export const EXPR_TYPES = ['string', 'number', 'version', 'integer'] as const;

/** Matches an enum value case-insensitively and returns its canonical spelling. */
export function matchEnum<T extends string>(values: readonly T[], text: string): T | undefined {
  return values.find((v) => v.toLowerCase() === text.toLowerCase());
}
