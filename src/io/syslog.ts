// Syslog output for ha.cf's `logfacility`: one long-lived util-linux `logger` child, fed one `<PRI>message` line per entry.
// Node has no unix datagram sockets and a native addon (unix-dgram) would need a compiler on every install; logger is in every base system.
import { spawn, type ChildProcess } from 'node:child_process';

/** syslog facility codes (RFC 5424 §6.2.1) for the names ha.cf accepts (`none` is not a facility). */
export const FACILITY_CODES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** Log levels as the daemon names them. */
export type SyslogLevel = 'debug' | 'info' | 'warn' | 'error' | 'crit';

/** syslog severities of the daemon's levels, as heartbeat's cl_log maps LOG_WARNING, LOG_ERR … */
export const SEVERITY: Readonly<Record<SyslogLevel, number>> = { crit: 2, error: 3, warn: 4, info: 6, debug: 7 };

/** The `<PRI>` value of one entry: facility × 8 + severity. */
export function syslogPriority(facility: number, level: SyslogLevel): number {
  return facility * 8 + SEVERITY[level];
}

/**
 * The line handed to `logger --prio-prefix` for one entry. The message part is what heartbeat's cl_log gives syslog
 * (`[PID]: info: text`, tag set separately), so syslog shows `lifeline: [812]: info: Link nodeb:eth0 up.` as heartbeat
 * shows its own. Newlines would split the entry into several: they become spaces.
 */
export function syslogLine(facility: number, level: SyslogLevel, pid: number, levelWord: string, text: string): string {
  return `<${syslogPriority(facility, level)}>[${pid}]: ${levelWord}: ${text.replace(/[\r\n]+/g, ' ')}\n`;
}

/** Where and how to send. */
export interface SyslogOptions {
  /** Facility code (see FACILITY_CODES). */
  readonly facility: number;
  /** Its ha.cf name (`daemon`, `local0` …), to tell whether a reload changed it. */
  readonly facilityName?: string;
  /** The tag (program name) syslog shows. */
  readonly tag: string;
  /** The syslog socket: `/dev/log` normally. */
  readonly socket: string;
  /** Called (rate-limited by the caller if need be) when logger fails or exits: the daemon logs it to its files. */
  readonly onProblem?: (text: string) => void;
  /** How long to wait before starting logger again after it exited (default 10 s): a missing syslog must not spin. */
  readonly restartAfterMs?: number;
  /** The logger command (tests). */
  readonly command?: string;
}

/** Counters of the syslog output. */
export interface SyslogStats {
  written: number;
  /** Entries lost because logger was not running (syslog down, logger missing). */
  dropped: number;
  /** How many times logger was started. */
  starts: number;
}

/**
 * Writes entries to syslog through one `logger --socket S --prio-prefix --tag T` child (one process for the daemon's
 * life, not one per line). logger reads a line, sends it as one datagram (or stream record) to the socket. If logger
 * exits (no socket yet, syslog restarted), entries are dropped and counted until it is started again, at most once
 * per `restartAfterMs`. Never throws.
 */
export class SyslogOutput {
  private child: ChildProcess | undefined;
  private nextStartAt = 0;
  private closed = false;
  readonly stats: SyslogStats = { written: 0, dropped: 0, starts: 0 };

  constructor(readonly options: SyslogOptions) {}

  /** Sends one entry: level, the daemon's pid and level word (`WARN`…), the text. */
  write(level: SyslogLevel, pid: number, levelWord: string, text: string): void {
    if (this.closed) return;
    const line = syslogLine(this.options.facility, level, pid, levelWord, text);
    const c = this.child ?? this.start();
    if (!c?.stdin?.writable) { this.stats.dropped++; return; }
    try {
      c.stdin.write(line);
      this.stats.written++;
    } catch {
      this.stats.dropped++;
    }
  }

  private start(): ChildProcess | undefined {
    const now = Date.now();
    if (now < this.nextStartAt) return undefined;
    this.nextStartAt = now + (this.options.restartAfterMs ?? 10000);
    const o = this.options;
    let c: ChildProcess;
    try {
      c = spawn(o.command ?? 'logger', ['--socket', o.socket, '--socket-errors=on', '--prio-prefix', '--tag', o.tag], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
    } catch (e) {
      o.onProblem?.(`syslog: cannot start logger: ${(e as Error).message}`);
      return undefined;
    }
    this.stats.starts++;
    this.child = c;
    let stderr = '';
    c.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    c.stdin?.on('error', () => { /* logger gone: seen at 'exit' */ });
    c.on('error', (e) => {
      if (this.child === c) this.child = undefined;
      o.onProblem?.(`syslog: cannot start logger: ${e.message}`);
    });
    c.on('exit', (code) => {
      if (this.child === c) this.child = undefined;
      if (!this.closed) o.onProblem?.(`syslog: logger for ${o.socket} exited (${code}): ${stderr.trim() || 'no message'}; entries are dropped until it restarts`);
    });
    return c;
  }

  /** Ends logger's input (it sends what it has read, then exits). */
  close(): void {
    this.closed = true;
    try { this.child?.stdin?.end(); } catch { /* gone */ }
    this.child = undefined;
  }
}
