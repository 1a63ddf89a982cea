// Client side of the daemon's control socket: one JSON request line, one JSON answer line.
// Used by `lifeline status`, `cl_status`, `standby`/`takeover`; a daemon that is not there is an answer too (undefined).
import { connect } from 'node:net';
import { join } from 'node:path';
import type { StatusSnapshot } from './daemon.js';
import { CONTROL_SOCKET } from './pidfile.js';

/** A daemon's answer: `ok` plus the request's own fields, or `error` when it refused. */
export interface ControlAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly [field: string]: unknown;
}

/** Sends one request to the daemon of `runDir`; undefined when none answers within `timeoutMs`. */
export function controlRequest(runDir: string, req: { cmd: string; [arg: string]: unknown }, timeoutMs = 3000): Promise<ControlAnswer | undefined> {
  return new Promise((resolve) => {
    const sock = connect(join(runDir, CONTROL_SOCKET));
    let buf = '';
    const done = (v: ControlAnswer | undefined) => { clearTimeout(timer); sock.destroy(); resolve(v); };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('error', () => done(undefined));
    sock.on('connect', () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const a = JSON.parse(buf.slice(0, nl)) as ControlAnswer;
        done(a && typeof a === 'object' ? a : undefined);
      } catch {
        done(undefined);
      }
    });
  });
}

/** Asks the daemon of `runDir` for its status; undefined when none answers within `timeoutMs`. */
export async function queryStatus(runDir: string, timeoutMs = 3000): Promise<StatusSnapshot | undefined> {
  const a = await controlRequest(runDir, { cmd: 'status' }, timeoutMs);
  return a?.ok ? (a.status as StatusSnapshot) : undefined;
}
