// Client side of the daemon's control socket: one JSON request line, one JSON answer line.
// Used by `lifeline status` and `lifeline cl_status`; a daemon that is not there is an answer too (undefined).
import { connect } from 'node:net';
import { join } from 'node:path';
import type { StatusSnapshot } from './daemon.js';
import { CONTROL_SOCKET } from './pidfile.js';

/** Asks the daemon of `runDir` for its status; undefined when none answers within `timeoutMs`. */
export function queryStatus(runDir: string, timeoutMs = 3000): Promise<StatusSnapshot | undefined> {
  return new Promise((resolve) => {
    const sock = connect(join(runDir, CONTROL_SOCKET));
    let buf = '';
    const done = (v: StatusSnapshot | undefined) => { clearTimeout(timer); sock.destroy(); resolve(v); };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('error', () => done(undefined));
    sock.on('connect', () => sock.write(`${JSON.stringify({ cmd: 'status' })}\n`));
    sock.on('data', (c: string) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      try {
        const a = JSON.parse(buf.slice(0, nl)) as { ok: boolean; status?: StatusSnapshot };
        done(a.ok ? a.status : undefined);
      } catch {
        done(undefined);
      }
    });
  });
}
