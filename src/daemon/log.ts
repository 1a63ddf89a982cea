// The daemon's log: heartbeat's line format into logfile/debugfile, optional JSON lines, rate-limited repeats.
// Writes are synchronous appends (small lines, local files) so a crash never loses the line that explains it.
import { appendFileSync } from 'node:fs';
import type { SyslogOutput } from '../io/syslog.js';
import type { LogLevel } from '../membership/index.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** heartbeat's level words as they appear in its log lines. */
export const LEVEL_WORD: Readonly<Record<LogLevel, string>> = { debug: 'debug', info: 'info', warn: 'WARN', error: 'ERROR', crit: 'CRIT' };

/**
 * One line as heartbeat 3.0.6 writes its logfile (see the interop captures):
 * `Nov 25 02:03:42 nodea heartbeat: [12428]: info: text`; Lifeline puts its own program name.
 */
export function formatLogLine(at: Date, host: string, program: string, pid: number, level: LogLevel, text: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${MONTHS[at.getMonth()]} ${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  return `${stamp} ${host} ${program}: [${pid}]: ${LEVEL_WORD[level]}: ${text}\n`;
}

/** Where log lines go; every destination is optional. */
export interface LogTargets {
  /** ha.cf `logfile`: everything but debug. */
  readonly logfile?: string;
  /** ha.cf `debugfile`: everything, debug included. */
  readonly debugfile?: string;
  /** `--json-log FILE`: one JSON object per line (`{ts, level, text, ...fields}`), for machines. */
  readonly jsonLog?: string;
  /** Also write to stderr (foreground runs without any file). */
  readonly stderr?: boolean;
  /** ha.cf `logfacility`: every line but debug also goes to syslog, as `PROGRAM: [PID]: LEVEL: text`. */
  readonly syslog?: SyslogOutput;
}

/** The daemon's logger. Never throws: a failing destination is skipped, the daemon goes on. */
export class Logger {
  private targets: LogTargets;
  /** Per-key suppression for `limited`: when the key may log again and how many lines were held back. */
  private readonly limits = new Map<string, { until: number; suppressed: number }>();

  constructor(targets: LogTargets, private readonly host: string, private readonly program = 'lifeline',
    private readonly clock: () => Date = () => new Date(), private readonly pid = process.pid) {
    this.targets = targets;
  }

  /** Switches destinations (after a reload changed logfile/debugfile). */
  retarget(targets: LogTargets): void {
    this.targets = targets;
  }

  /** Sees every line (the daemon's event ring picks its events out of heartbeat's wording here). */
  tap: ((level: LogLevel, text: string) => void) | undefined;

  log(level: LogLevel, text: string, fields?: Record<string, unknown>): void {
    try { this.tap?.(level, text); } catch { /* a failing tap must not stop logging */ }
    const at = this.clock();
    const line = formatLogLine(at, this.host, this.program, this.pid, level, text);
    const t = this.targets;
    if (level !== 'debug' && t.logfile) this.append(t.logfile, line);
    if (t.debugfile) this.append(t.debugfile, line);
    if (t.syslog && level !== 'debug') t.syslog.write(level, this.pid, LEVEL_WORD[level], text);
    if (t.stderr && !t.logfile && !t.debugfile && !t.syslog && level !== 'debug') {
      try { process.stderr.write(line); } catch { /* stderr closed */ }
    }
    if (t.jsonLog) this.append(t.jsonLog, `${JSON.stringify({ ts: at.toISOString(), level, text, ...fields })}\n`);
  }

  /**
   * Logs at most one line per `key` every `intervalMs` (monotonic `nowMs`); the next line after a quiet spell says how
   * many were suppressed. For per-packet problems: a flood of bad packets must not flood the log.
   */
  limited(key: string, nowMs: number, intervalMs: number, level: LogLevel, text: string): void {
    const l = this.limits.get(key);
    if (l && nowMs < l.until) {
      l.suppressed++;
      return;
    }
    const extra = l && l.suppressed > 0 ? ` (${l.suppressed} similar message(s) suppressed)` : '';
    this.limits.set(key, { until: nowMs + intervalMs, suppressed: 0 });
    this.log(level, `${text}${extra}`);
  }

  private append(file: string, line: string): void {
    try { appendFileSync(file, line); } catch { /* an unwritable log must not stop the cluster */ }
  }
}
