// Watching a daemon's log file: read it, remember a position, wait for a line that matches.
// Polls every few ms (default 5) because detection times in benchmarks are read from log lines.
import { open, readFile, stat } from 'node:fs/promises';

/** A log line found by `waitForLine`, with the byte offset just after it (pass as `since` to wait for the next). */
export interface LogMatch {
  readonly line: string;
  readonly match: RegExpMatchArray;
  /** Byte offset just after the matching line. */
  readonly offset: number;
  /** performance.now() when the poll saw the line: at most `pollMs` after it was written. */
  readonly seenAt: number;
}

/** Options for `waitForLine`. */
export interface WaitOptions {
  /** Give up after this many ms (default 20 s) with an error that shows the end of the file. */
  readonly timeoutMs?: number;
  /** Only consider text from this byte offset (e.g. from `logSize()` taken before a fault). Default 0. */
  readonly since?: number;
  /** Poll interval in ms; default 5. */
  readonly pollMs?: number;
}

/** Whole text of a log file; empty string if it does not exist yet. */
export async function readLog(path: string): Promise<string> {
  try { return await readFile(path, 'utf8'); } catch { return ''; }
}

/** Current size in bytes of a log file (0 if absent): a mark to wait for lines written after it. */
export async function logSize(path: string): Promise<number> {
  try { return (await stat(path)).size; } catch { return 0; }
}

/** Waits until a complete line of `path` after `since` matches `re`; rejects on timeout. */
export async function waitForLine(path: string, re: RegExp, opts: WaitOptions = {}): Promise<LogMatch> {
  const timeoutMs = opts.timeoutMs ?? 20000;
  const pollMs = opts.pollMs ?? 5;
  const deadline = performance.now() + timeoutMs;
  let readPos = opts.since ?? 0; // next byte of the file to read
  let lineStart = readPos; // file offset where `partial` begins
  let partial = '';
  for (;;) {
    const chunk = await readFrom(path, readPos);
    if (chunk.length > 0) {
      readPos += chunk.length;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        lineStart += Buffer.byteLength(line, 'utf8') + 1;
        const m = line.match(re);
        if (m) return { line, match: m, offset: lineStart, seenAt: performance.now() };
      }
    }
    if (performance.now() > deadline) {
      const tail = (await readLog(path)).split('\n').slice(-25).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${re} in ${path}; last lines:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
  let fh;
  try { fh = await open(path, 'r'); } catch { return Buffer.alloc(0); }
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
