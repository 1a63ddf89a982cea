// `lifeline wire-dump --authkeys FILE CAPTURE...`: prints every heartbeat message of pcap/JSON-lines captures, verified.
// An offline analysis tool: a too-open authkeys file draws a warning here, not a refusal.

import { readFile, stat } from 'node:fs/promises';
import { parseAuthkeys } from '../../config/authkeys.js';
import { diag, formatDiagnostic, LifelineError } from '../../errors.js';
import { readCapture } from '../../wire/capture.js';
import { dumpDatagrams } from '../../wire/dump.js';

export const summary = 'decode and verify heartbeat packets from pcap or JSON-lines captures';

const USAGE = 'usage: lifeline wire-dump --authkeys FILE CAPTURE...';

export async function run(argv: readonly string[]): Promise<number> {
  let authFile: string | undefined;
  const captures: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--authkeys') authFile = argv[++i];
    else if (a.startsWith('--authkeys=')) authFile = a.slice('--authkeys='.length);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) throw new LifelineError([diag('LL_USAGE', { message: `unknown option ${a}; ${USAGE}` })]);
    else captures.push(a);
  }
  if (!authFile || captures.length === 0) throw new LifelineError([diag('LL_USAGE', { message: USAGE })]);

  let text: string;
  let mode: number;
  try {
    text = await readFile(authFile, 'utf8');
    mode = (await stat(authFile)).mode;
  } catch (e) {
    throw new LifelineError([diag('LL_IO_READ_FAILED', { file: authFile, reason: (e as Error).message }, { location: { file: authFile } })]);
  }
  // Check the mode to warn about it, but parse as if it were fine: reading a capture forges nothing.
  for (const d of parseAuthkeys(text, authFile, mode).diagnostics) {
    if (d.code === 'LL_AUTHKEYS_PERMISSIONS') process.stderr.write(formatDiagnostic({ ...d, severity: 'warning' }) + '\n');
  }
  const parsed = parseAuthkeys(text, authFile);
  for (const d of parsed.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  if (!parsed.value) return 1;

  let verified = 0;
  let failed = 0;
  for (const file of captures) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      process.stderr.write(formatDiagnostic(diag('LL_IO_READ_FAILED', { file, reason: (e as Error).message }, { location: { file } })) + '\n');
      failed++;
      continue;
    }
    const cap = readCapture(bytes, file);
    if (!cap.ok) {
      process.stderr.write(formatDiagnostic(cap.error) + '\n');
      failed++;
      continue;
    }
    if (captures.length > 1) process.stdout.write(`# ${file}: ${cap.value.datagrams.length} datagrams${cap.value.skipped ? `, ${cap.value.skipped} other frames skipped` : ''}\n`);
    const r = dumpDatagrams(cap.value.datagrams, parsed.value);
    for (const line of r.lines) process.stdout.write(line + '\n');
    verified += r.verified;
    failed += r.failed;
  }
  process.stdout.write(`${verified} verified, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
