// Which programs the package installs, found from the repository's bin/ files (so a new bin is packaged without a
// list to update): the subcommand each runs, where it goes, its man section, and whether it takes over another package's.
import { BINS, type BinPage } from './pages.js';

/** Where a bin's name comes from: ours, heartbeat's (the package Conflicts with heartbeat) or Pacemaker's/crmsh's (diverted). */
export type BinOrigin = 'lifeline' | 'heartbeat' | 'pacemaker';

export interface PackagedBin extends BinPage {
  readonly origin: BinOrigin;
}

/** heartbeat 3.0.6's programs: Debian's heartbeat package ships them, and the lifeline package replaces it whole. */
const HEARTBEAT_BINS: ReadonlySet<string> = new Set(['cl_status', 'hb_standby', 'hb_takeover']);

/**
 * The subcommand a bin file runs: `main(['crm', 'configure', ...process.argv.slice(2)])` → `crm configure`;
 * `main(process.argv.slice(2))` (the `lifeline` command itself) → undefined. A file of another shape is an error.
 */
export function binCommand(file: string, text: string): string | undefined {
  if (/main\(\s*process\.argv\.slice\(2\)\s*\)/.test(text)) return undefined;
  // The quoted words before the first spread (`main(['crm', ...argv, ...])`: bin/crm.js adds options of its own after them).
  const m = /main\(\s*\[((?:\s*'[^']*'\s*,)+)\s*\.\.\./.exec(text);
  if (!m) throw new Error(`bin/${file}: expected main(['word', ..., ...args]) or main(process.argv.slice(2))`);
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((w) => w[1]).join(' ');
}

/**
 * Every bin of bin/ as the package installs it: heartbeat's and lifeline's where BINS puts them; any other name is
 * a Pacemaker (or crmsh) tool and goes where Pacemaker puts its tools, /usr/sbin with a section 8 page.
 */
export function packagedBins(files: ReadonlyArray<{ readonly name: string; readonly text: string }>): PackagedBin[] {
  const out: PackagedBin[] = [];
  for (const f of [...files].filter((x) => x.name.endsWith('.js')).sort((a, b) => a.name.localeCompare(b.name))) {
    const bin = f.name.replace(/\.js$/, '');
    const command = binCommand(f.name, f.text);
    const known = BINS.find((b) => b.bin === bin);
    const origin: BinOrigin = bin === 'lifeline' ? 'lifeline' : HEARTBEAT_BINS.has(bin) ? 'heartbeat' : 'pacemaker';
    out.push({ bin, section: known?.section ?? 8, dir: known?.dir ?? '/usr/sbin', ...(command !== undefined ? { command } : {}), origin });
  }
  return out;
}

/** The paths a Pacemaker-named bin would overwrite (program and man page): the package diverts them (see docs/packaging.md). */
export function divertedPaths(bins: readonly PackagedBin[]): string[] {
  return bins.filter((b) => b.origin === 'pacemaker').flatMap((b) => [`${b.dir}/${b.bin}`, `/usr/share/man/man${b.section}/${b.bin}.${b.section}.gz`]);
}

/** The suffix the diverted Pacemaker files get: `/usr/sbin/cibadmin` → `/usr/sbin/cibadmin.pacemaker`. */
export const DIVERT_SUFFIX = '.pacemaker';
