// The CIB's files in the state dir, heartbeat's layout (/var/lib/heartbeat/crm): cib.xml, cib.xml.sig with its
// digest, cib-N.raw(.sig) backups numbered by cib.last. Written atomically; a corrupt cib.xml is reported, never loaded.
import { constants, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../../errors.js';
import { parseXml, type XEl } from '../xml-lite.js';
import { onDiskDigest, printXml, withAttrs, withKids } from './tree.js';
import { compareVersions, formatVersion, versionOf, type CibVersion } from './version.js';

/** heartbeat's CRM state dir (Pacemaker since 1.1 uses /var/lib/pacemaker/cib with the same files). */
export const DEFAULT_CIB_DIR = '/var/lib/heartbeat/crm';
/** Pacemaker's CIB_SERIES_MAX: cib.last wraps after this many backups. */
export const DEFAULT_MAX_BACKUPS = 100;
export const CIB_FILE = 'cib.xml';

/** ctime(3) without the newline, the form of `cib-last-written` ("Sun Dec  6 12:16:53 2026"). */
export function ctimeString(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

/** What goes to disk (cib_file_prepare_xml): num_updates 0, cib-last-written now, no status section. */
export function prepareForDisk(cib: XEl, writtenAt: Date): XEl {
  const c = withAttrs(cib, { num_updates: '0', 'cib-last-written': ctimeString(writtenAt) });
  return withKids(c, c.kids.filter((k) => k.tagName !== 'status'));
}

/** A CIB read from disk and verified. */
export interface DiskCib {
  readonly file: string;
  readonly cib: XEl;
  readonly version: CibVersion;
}

/** What start-up found: the CIB to use (primary or newest valid backup), and every problem on the way. */
export interface LoadResult {
  readonly cib?: DiskCib;
  readonly primary: 'ok' | 'absent' | 'corrupt';
  readonly diagnostics: readonly Diagnostic[];
}

const isEnoent = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function readOrUndefined(path: string): Promise<string | undefined> {
  try { return await fsp.readFile(path, 'utf8'); } catch (e) { if (isEnoent(e)) return undefined; throw e; }
}

/** Reads one CIB file and its `.sig`; a corrupt one is a diagnostic, an absent one undefined. */
export async function readVerified(path: string, name: string): Promise<DiskCib | Diagnostic | undefined> {
  let text: string | undefined;
  try { text = await readOrUndefined(path); } catch (e) {
    return diag('LL_CIB_CORRUPT', { file: name, reason: `cannot be read: ${(e as Error).message}` }, { location: { file: path } });
  }
  if (text === undefined) return undefined;
  const corrupt = (reason: string) => diag('LL_CIB_CORRUPT', { file: name, reason }, { location: { file: path } });
  const r = parseXml(text);
  if (!r.ok) return corrupt(`not well-formed XML: ${r.reason}`);
  if (r.root.tagName !== 'cib') return corrupt(`the document element is <${r.root.tagName}>, not <cib>`);
  const sig = (await readOrUndefined(`${path}.sig`).catch(() => undefined))?.trim();
  if (sig === undefined) return diag('LL_CIB_NO_DIGEST', { file: `${name}.sig`, cib: name }, { severity: 'warning', location: { file: path } });
  const digest = onDiskDigest(r.root);
  if (sig.toLowerCase() !== digest) return corrupt(`digest mismatch: ${name}.sig holds ${sig || '(nothing)'}, the file's digest is ${digest}`);
  return { file: path, cib: r.root, version: versionOf(r.root) };
}

/** Reads cib.last, Pacemaker's series counter (the number the next backup gets). */
async function readSeq(dir: string): Promise<number> {
  const t = await readOrUndefined(join(dir, 'cib.last')).catch(() => undefined);
  const n = t === undefined ? NaN : parseInt(t.trim(), 10);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The backups in the dir, newest first: the one before cib.last's number, then backwards around the wrap. */
export async function listBackups(dir: string, maxBackups = DEFAULT_MAX_BACKUPS): Promise<string[]> {
  let names: string[] = [];
  try { names = await fsp.readdir(dir); } catch (e) { if (!isEnoent(e)) throw e; }
  const last = await readSeq(dir);
  const nums = names.map((n) => /^cib-(\d+)\.raw$/.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
  const age = (n: number) => (((last - 1 - n) % maxBackups) + maxBackups) % maxBackups;
  return nums.sort((a, b) => age(a) - age(b) || b - a).map((n) => `cib-${n}.raw`);
}

/**
 * Start-up: cib.xml if it verifies, else the newest backup that does (the caller may prefer a peer's replica
 * when `primary` is not 'ok'). Without any usable file, `cib` is undefined: start from an empty CIB.
 */
export async function loadCibFiles(dir: string, maxBackups = DEFAULT_MAX_BACKUPS): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const main = await readVerified(join(dir, CIB_FILE), CIB_FILE);
  if (main && 'cib' in main) return { cib: main, primary: 'ok', diagnostics };
  if (main && main.severity === 'warning') {
    // No .sig: heartbeat-era how-tos had administrators write cib.xml by hand; use it, as Pacemaker does, with a warning.
    diagnostics.push(main);
    const r = parseXml((await readOrUndefined(join(dir, CIB_FILE)))!);
    if (r.ok) return { cib: { file: join(dir, CIB_FILE), cib: r.root, version: versionOf(r.root) }, primary: 'ok', diagnostics };
  }
  if (main) diagnostics.push(main);
  const primary = main ? 'corrupt' : 'absent';
  // The highest version among the backups that verify, not the first in series order: a kill -9 between a backup
  // and cib.last leaves the series out of step with the versions (ties: the later in the series).
  let best: DiskCib | undefined, bestName = '';
  for (const name of await listBackups(dir, maxBackups)) {
    const b = await readVerified(join(dir, name), name);
    if (b && 'cib' in b) { if (!best || compareVersions(b.version, best.version) > 0) { best = b; bestName = name; } }
    else if (b) diagnostics.push(b);
  }
  if (!best) return { primary, diagnostics };
  diagnostics.push(diag('LL_CIB_BACKUP_USED', { file: bestName, version: formatVersion(best.version) }, { severity: 'warning', location: { file: best.file } }));
  return { cib: best, primary, diagnostics };
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await fsp.open(dir, constants.O_RDONLY);
  try { await h.sync(); } finally { await h.close(); }
}

/** Writes `data` to a fresh temp file in `dir` (cib.XXXXXX, mode 0600) and fsyncs it; returns its path. */
async function writeTemp(dir: string, data: string): Promise<string> {
  const path = join(dir, `cib.${randomBytes(4).toString('hex')}`);
  const h = await fsp.open(path, 'wx', 0o600);
  try { await h.writeFile(data); await h.sync(); } finally { await h.close(); }
  return path;
}

/** Archives the current cib.xml(.sig) as cib-N.raw(.sig) by hard links and advances cib.last (cib_file_backup). */
async function backup(dir: string, maxBackups: number): Promise<string | undefined> {
  const seq = await readSeq(dir);
  const name = `cib-${seq}.raw`;
  const path = join(dir, name);
  for (const p of [path, `${path}.sig`]) await fsp.unlink(p).catch((e) => { if (!isEnoent(e)) throw e; });
  try { await fsp.link(join(dir, CIB_FILE), path); } catch (e) { if (isEnoent(e)) return undefined; throw e; }
  await fsp.link(join(dir, `${CIB_FILE}.sig`), `${path}.sig`).catch((e) => { if (!isEnoent(e)) throw e; });
  const next = seq + 1 >= maxBackups ? 0 : seq + 1;
  const tmp = await writeTemp(dir, String(next));
  await fsp.rename(tmp, join(dir, 'cib.last'));
  return name;
}

/** Result of one write: the digest written and the backup made of the previous cib.xml. */
export interface WriteResult { readonly digest: string; readonly backup?: string; readonly version: CibVersion }

/**
 * Writes a CIB to `dir` as Pacemaker's cib_file_write_with_digest does: back up the old files, write cib.xml and
 * its digest to temp files with fsync, rename both into place, fsync the dir. A crash at any point leaves the old
 * or the new CIB loadable: between the two renames cib.xml fails its digest and the backup (the old one) is used.
 */
export async function writeCibFiles(dir: string, cib: XEl, opts: { maxBackups?: number; now?: Date } = {}): Promise<WriteResult> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o750 });
  // Temp files left by a write that was killed are never renamed into place: remove them (one writer per dir).
  for (const f of await fsp.readdir(dir)) if (/^cib\.[0-9a-f]{8}$/.test(f)) await fsp.unlink(join(dir, f)).catch(() => undefined);
  const name = await backup(dir, opts.maxBackups ?? DEFAULT_MAX_BACKUPS);
  const text = printXml(prepareForDisk(cib, opts.now ?? new Date()));
  const reread = parseXml(text);
  if (!reread.ok) throw new Error(`the CIB does not print as well-formed XML: ${reread.reason}`);
  const digest = onDiskDigest(reread.root);
  const tmpCib = await writeTemp(dir, text);
  const tmpSig = await writeTemp(dir, digest);
  await fsp.rename(tmpCib, join(dir, CIB_FILE));
  await fsp.rename(tmpSig, join(dir, `${CIB_FILE}.sig`));
  await fsyncDir(dir);
  return { digest, version: versionOf(reread.root), ...(name ? { backup: name } : {}) };
}

/**
 * Serializes writes and coalesces them: while one write runs, only the newest CIB asked for is kept, so a burst
 * of updates costs two writes. `onWritten`/`onError` report to the daemon's log.
 */
export class CibWriter {
  private running: Promise<void> | undefined;
  private next: XEl | undefined;
  constructor(private readonly dir: string, private readonly hooks: {
    readonly maxBackups?: number;
    readonly onWritten?: (r: WriteResult) => void;
    readonly onError?: (d: Diagnostic) => void;
  } = {}) {}

  /** Asks for `cib` to be written; returns at once. */
  save(cib: XEl): void {
    this.next = cib;
    if (!this.running) this.running = this.drain();
  }

  /** Resolves when every asked-for write is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.next) {
      const cib = this.next;
      this.next = undefined;
      try {
        const r = await writeCibFiles(this.dir, cib, this.hooks.maxBackups !== undefined ? { maxBackups: this.hooks.maxBackups } : {});
        this.hooks.onWritten?.(r);
      } catch (e) {
        this.hooks.onError?.(diag('LL_CIB_WRITE_FAILED', { dir: this.dir, reason: (e as Error).message }));
      }
    }
    this.running = undefined;
  }
}
