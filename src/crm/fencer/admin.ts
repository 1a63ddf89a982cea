// stonith_admin (Pacemaker 2.1.5): its options, its text output (device lists with "N fence devices found", fence
// history lines, "Couldn't fence NODE: ...") and exit codes, against any backend: a daemon's fencer or a Fencer.

import type { FenceAction, FenceResult, HistoryEntry } from './types.js';

/** What stonith_admin needs from a fencer. */
export interface AdminBackend {
  registered(): Promise<string[]>;
  capable(target: string): Promise<string[]>;
  installed(): Promise<string[]>;
  fence(target: string, action: FenceAction, timeoutMs: number, delayMs: number | undefined): Promise<FenceResult>;
  confirm(target: string): Promise<FenceResult>;
  history(target: string | undefined): Promise<HistoryEntry[]>;
}

export interface AdminOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Pacemaker's exit codes (crm_exit_t) that stonith_admin returns. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 64, NOSUCH: 105, TIMEOUT: 124, DISCONNECT: 102 } as const;

type Command =
  | { kind: 'list-registered' } | { kind: 'list-installed' } | { kind: 'list'; target: string }
  | { kind: 'fence'; action: FenceAction; target: string } | { kind: 'confirm'; target: string }
  | { kind: 'history'; target: string };

/** Parsed options; `error` is a usage message. */
export interface AdminArgs {
  readonly command?: Command;
  readonly timeoutS: number;
  readonly delayS?: number;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly error?: string;
}

/** Options taking a value, long and short (GOption style: `--reboot=NODE`, `--reboot NODE`, `-B NODE`). */
const VALUED: Readonly<Record<string, string>> = {
  '--list': 'l', '-l': 'l', '--reboot': 'B', '-B': 'B', '--fence': 'F', '-F': 'F', '--off': 'F', '--unfence': 'U', '-U': 'U', '--on': 'U',
  '--confirm': 'C', '-C': 'C', '--history': 'H', '-H': 'H', '--timeout': 't', '-t': 't', '--delay': 'y', '-y': 'y', '--tolerance': 'tol',
};

export function parseAdminArgs(argv: readonly string[]): AdminArgs {
  let command: Command | undefined;
  let timeoutS = 120, delayS: number | undefined, verbose = false, quiet = false;
  const set = (c: Command): string | undefined => { if (command) return 'only one command at a time'; command = c; return undefined; };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let value: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a === '--list-registered' || a === '-L') { const e = set({ kind: 'list-registered' }); if (e) return bad(e); continue; }
    if (a === '--list-installed' || a === '-I') { const e = set({ kind: 'list-installed' }); if (e) return bad(e); continue; }
    if (a === '--verbose' || a === '-V') { verbose = true; continue; }
    if (a === '--quiet' || a === '-q') { quiet = true; continue; }
    const key = VALUED[a];
    if (!key) return bad(`Unknown option ${a}`);
    value ??= argv[++i];
    if (value === undefined || value === '') return bad(`Missing argument for ${a}`);
    let e: string | undefined;
    switch (key) {
      case 'l': e = set({ kind: 'list', target: value }); break;
      case 'B': e = set({ kind: 'fence', action: 'reboot', target: value }); break;
      case 'F': e = set({ kind: 'fence', action: 'off', target: value }); break;
      case 'U': e = set({ kind: 'fence', action: 'on', target: value }); break;
      case 'C': e = set({ kind: 'confirm', target: value }); break;
      case 'H': e = set({ kind: 'history', target: value }); break;
      case 't': if (!/^\d+$/.test(value)) return bad(`Cannot parse integer value "${value}" for -t`); timeoutS = Number(value); break;
      case 'y': if (!/^-?\d+$/.test(value)) return bad(`Cannot parse integer value "${value}" for -y`); delayS = Number(value); break;
      default: break;
    }
    if (e) return bad(e);
  }
  return { ...(command ? { command } : {}), timeoutS, ...(delayS !== undefined ? { delayS } : {}), verbose, quiet, ...(command ? {} : { error: 'Please specify a command' }) };
  function bad(error: string): AdminArgs { return { timeoutS, verbose, quiet, error }; }
}

/** stonith_action_str: how history lines name an action. */
export function actionWords(a: string): string {
  return a === 'on' ? 'unfencing' : a === 'off' ? 'turning off' : a;
}

/** crm_time_as_string with date, time and zone, in UTC: `2026-12-07 06:30:00Z`. */
export function historyTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')}Z`;
}

/** stonith__history_description with pcmk_show_failed_detail, as stonith_admin --history prints each event. */
export function historyLine(h: HistoryEntry, full: boolean, laterSucceeded?: string): string {
  const state = h.state === 'done' ? 'successful' : h.state;
  let s = `${actionWords(h.action)} of ${h.target} ${state}`;
  if (h.state === 'failed' && h.exitReason) s += ` (${h.exitReason})`;
  s += ': ';
  if (h.state !== 'pending' && h.delegate) s += `delegate=${h.delegate}, `;
  s += `client=${h.client}, origin=${h.origin}`;
  if (h.state !== 'pending' && h.completed !== undefined) s += `, ${full ? 'completed' : h.state === 'failed' ? 'last-failed' : 'last-successful'}='${historyTime(h.completed)}'`;
  if (h.state === 'failed' && laterSucceeded) s += ` (a later attempt from ${laterSucceeded} succeeded)`;
  return s;
}

/** stonith__sort_history: pending first, then the most recently completed first. */
export function sortHistory(hs: readonly HistoryEntry[]): HistoryEntry[] {
  return [...hs].sort((a, b) => (a.state === 'pending' ? -1 : 0) - (b.state === 'pending' ? -1 : 0) || (b.completed ?? 0) - (a.completed ?? 0));
}

/** pcmk__fence_history's text: every event with --verbose, else the latest successful one; "N events found". */
export function historyText(hs: readonly HistoryEntry[], verbose: boolean): string {
  const sorted = sortHistory(hs);
  const lines: string[] = [];
  if (verbose) {
    for (const h of sorted) {
      const later = h.state === 'failed' ? sorted.find((x) => x.state === 'done' && x.target === h.target && x.action === h.action && (x.completed ?? 0) > (h.completed ?? 0))?.delegate : undefined;
      lines.push(historyLine(h, true, later));
    }
  } else {
    const latest = sorted.find((h) => h.state === 'done');
    if (latest) lines.push(historyLine(latest, false));
  }
  return `${lines.map((l) => `${l}\n`).join('')}${lines.length} event${lines.length === 1 ? '' : 's'} found\n`;
}

/** A text list as Pacemaker's plain text output ends it: items, then "N fence devices found". */
export function deviceListText(ids: readonly string[]): string {
  return `${ids.map((i) => `${i}\n`).join('')}${ids.length} fence device${ids.length === 1 ? '' : 's'} found\n`;
}

/** The failure of a fencing request as stonith_admin words it: pcmk_rc_str of the result's rc, and the exit code. */
export function failureOf(r: FenceResult): { words: string; exit: number } {
  if (r.execStatus === 'Timed Out') return { words: 'Timer expired', exit: EXIT.TIMEOUT };
  if (r.execStatus === 'No fence device') return { words: 'No such device', exit: EXIT.NOSUCH };
  if (r.execStatus === 'Not installed') return { words: 'No such file or directory', exit: EXIT.NOSUCH };
  return { words: 'Error', exit: EXIT.ERROR };
}

/** Runs one stonith_admin command line; returns its exit code. */
export async function stonithAdmin(argv: readonly string[], be: AdminBackend, out: AdminOutput): Promise<number> {
  const a = parseAdminArgs(argv);
  if (a.error || !a.command) { out.stderr(`stonith_admin: ${a.error ?? 'Please specify a command'}\n`); return EXIT.USAGE; }
  const c = a.command;
  switch (c.kind) {
    case 'list-registered': out.stdout(deviceListText(await be.registered())); return EXIT.OK;
    case 'list-installed': out.stdout(deviceListText(await be.installed())); return EXIT.OK;
    case 'list': out.stdout(deviceListText(await be.capable(c.target))); return EXIT.OK;
    case 'confirm': await be.confirm(c.target); return EXIT.OK;
    case 'history': {
      const hs = await be.history(c.target === '*' ? undefined : c.target);
      if (a.quiet) { const latest = sortHistory(hs).find((h) => h.state === 'done'); if (latest?.completed !== undefined) out.stdout(`${Math.floor(latest.completed / 1000)}\n`); return EXIT.OK; }
      out.stdout(historyText(hs, a.verbose));
      return EXIT.OK;
    }
    case 'fence': {
      const r = await be.fence(c.target, c.action, a.timeoutS * 1000, a.delayS === undefined ? undefined : a.delayS * 1000);
      if (r.ok) return EXIT.OK;
      const f = failureOf(r);
      const reason = r.exitReason && r.exitReason !== f.words ? ` (${r.exitReason})` : '';
      out.stderr(`stonith_admin: Couldn't ${c.action === 'on' ? 'unfence' : 'fence'} ${c.target}: ${f.words}${reason}\n`);
      return f.exit;
    }
  }
}

/** The backend of a fencer in this process (tests, and the daemon answering its own control requests). */
export function directBackend(f: {
  registered(): string[]; capableDevices(t: string): Promise<string[]>; history(t?: string): HistoryEntry[];
  fence(req: { target: string; action: FenceAction; client: string; origin: string; timeoutMs?: number; delayMs?: number }): Promise<FenceResult>;
  confirm(target: string, client: string, origin: string): FenceResult;
}, origin: string, client = `stonith_admin.${process.pid}`, installed: () => Promise<string[]> = async () => []): AdminBackend {
  return {
    registered: async () => f.registered(),
    capable: (t) => f.capableDevices(t),
    installed,
    fence: (target, action, timeoutMs, delayMs) => f.fence({ target, action, client, origin, timeoutMs, ...(delayMs !== undefined ? { delayMs } : {}) }),
    confirm: async (t) => f.confirm(t, client, origin),
    history: async (t) => f.history(t),
  };
}
