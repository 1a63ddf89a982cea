// `lifeline keygen`: writes authkeys with a strong random key and mode 600, the job of the shell recipe
// (`dd if=/dev/urandom ... | md5sum`) in heartbeat's Getting Started guide; never overwrites without --force.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diag, formatDiagnostic, type Diagnostic } from '../../errors.js';
import { MAX_AUTH_INDEX } from '../../config/authkeys.js';

export const summary = 'write /etc/ha.d/authkeys with a strong random key (sha1, or sha256 for Lifeline-only clusters), mode 600';

/** 32 random bytes: more than the 160 bits of sha1's HMAC block needs, as 64 hex digits (no shell-unsafe characters). */
export const SECRET_BYTES = 32;

export interface KeygenArgs {
  readonly file: string;
  readonly method: 'sha1' | 'sha256';
  readonly index: number;
  readonly force: boolean;
}

/** The authkeys text for one key; `secret` comes from the caller so tests can pin it. */
export function authkeysText(method: 'sha1' | 'sha256', index: number, secret: Buffer): string {
  return `# written by lifeline keygen: the same file must be on every node (lifeline propagate); keep it mode 600\n`
    + `auth ${index}\n${index} ${method} ${secret.toString('hex')}\n`;
}

export function parseKeygenArgs(argv: readonly string[]): KeygenArgs | Diagnostic {
  let dir = '/etc/ha.d';
  let output: string | undefined;
  let method: 'sha1' | 'sha256' = 'sha1';
  let index = 1;
  let force = false;
  const usage = 'usage: lifeline keygen [--config-dir DIR] [--method sha1|sha256] [--index N] [--force] [--output FILE]';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (a === '--force') force = true;
    else if (a === '--config-dir' || a === '--output' || a === '--method' || a === '--index') {
      const v = value();
      if (v === undefined) return diag('LL_USAGE', { message: `${a} needs a value; ${usage}` });
      if (a === '--config-dir') dir = v;
      else if (a === '--output') output = v;
      else if (a === '--method') {
        if (v !== 'sha1' && v !== 'sha256') return diag('LL_USAGE', { message: `--method must be sha1 or sha256 (md5 and crc are weaker; write them by hand if you must); ${usage}` }, { found: v });
        method = v;
      } else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > MAX_AUTH_INDEX) return diag('LL_USAGE', { message: `--index must be 1-${MAX_AUTH_INDEX}; ${usage}` }, { found: v });
        index = n;
      }
    } else return diag('LL_USAGE', { message: `unknown argument "${a}"; ${usage}` }, { found: a });
  }
  return { file: output ?? join(dir, 'authkeys'), method, index, force };
}

/**
 * Writes `text` to `file` with mode 600: exclusively (O_EXCL) without force, so an existing key is never lost;
 * with force through a temporary file renamed over it, so a crash leaves the old or the new key, never half of one.
 */
export function writeSecretFile(file: string, text: string, force: boolean): Diagnostic | undefined {
  const target = force ? join(dirname(file), `.${basename(file)}.${process.pid}.tmp`) : file;
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o600);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST' && !force) return diag('LL_KEYGEN_EXISTS', { file });
    return diag('LL_KEYGEN_WRITE', { file, reason: err.message });
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (force) {
    try { renameSync(target, file); } catch (e) {
      try { unlinkSync(target); } catch { /* already gone */ }
      return diag('LL_KEYGEN_WRITE', { file, reason: (e as Error).message });
    }
  }
  return undefined;
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parseKeygenArgs(argv);
  if ('code' in args) { process.stderr.write(`${formatDiagnostic(args)}\n`); return 2; }
  const text = authkeysText(args.method, args.index, randomBytes(SECRET_BYTES));
  if (args.file === '-') { process.stdout.write(text); return 0; }
  const problem = writeSecretFile(args.file, text, args.force);
  if (problem) { process.stderr.write(`${formatDiagnostic(problem)}\n`); return 1; }
  process.stdout.write(`${args.file}: key ${args.index} (${args.method}) written, mode 600; copy it to every node (lifeline propagate)\n`);
  return 0;
}
