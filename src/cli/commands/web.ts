// `lifeline web [--listen HOST:PORT] [--token-file F] [--tls-cert F --tls-key F] [--run-dir DIR]`: the status page,
// JSON API and /metrics, a process of its own that only asks the local daemon over its control socket.
import { loadTokenFile, WebError } from '../../web/security.js';
import { WebServer } from '../../web/server.js';

export const summary = 'serve the live status page, the JSON API and /metrics (127.0.0.1:7630 by default)';

const USAGE = 'usage: lifeline web [--listen HOST:PORT] [--token-file FILE] [--tls-cert FILE --tls-key FILE] [--run-dir DIR]';

/** `HOST:PORT`, `[V6]:PORT` or `PORT` → parts; undefined when malformed. */
export function parseListen(s: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s) ?? /^()()(\d{1,5})$/.exec(s);
  if (!m || Number(m[3]) > 65535) return undefined;
  return { host: m[1] || m[2] || '127.0.0.1', port: Number(m[3]) };
}

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = process.env.LIFELINE_RUN_DIR ?? '/var/run/heartbeat';
  let listen = { host: '127.0.0.1', port: 7630 };
  let tokenFile: string | undefined;
  let cert: string | undefined;
  let key: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (v === undefined && a.startsWith('--')) { process.stderr.write(`lifeline web: ${a} needs a value (${USAGE})\n`); return 2; }
    if (a === '--listen') {
      const l = parseListen(argv[++i]!);
      if (!l) { process.stderr.write(`lifeline web: --listen: expected HOST:PORT, found "${v}"\n`); return 2; }
      listen = l;
    } else if (a === '--run-dir') runDir = argv[++i]!;
    else if (a === '--token-file') tokenFile = argv[++i]!;
    else if (a === '--tls-cert') cert = argv[++i]!;
    else if (a === '--tls-key') key = argv[++i]!;
    else { process.stderr.write(`lifeline web: unknown argument "${a}" (${USAGE})\n`); return 2; }
  }
  if ((cert === undefined) !== (key === undefined)) { process.stderr.write('lifeline web: --tls-cert and --tls-key go together\n'); return 2; }
  let server: WebServer;
  try {
    const token = tokenFile !== undefined ? loadTokenFile(tokenFile) : undefined;
    server = new WebServer({ ...listen, runDir, ...(token !== undefined ? { token } : {}), ...(cert && key ? { tls: { cert, key } } : {}) });
  } catch (e) {
    const msg = e instanceof WebError ? `${e.code}: ${e.message.replace(/^LL_[A-Z_]+: /, '')}` : String(e);
    process.stderr.write(`lifeline web: ${msg}\n`);
    return 1;
  }
  try {
    await server.start();
  } catch (e) {
    process.stderr.write(`lifeline web: cannot listen on ${listen.host}:${listen.port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    server.daemon.stop();
    return 1;
  }
  const actions = cert && tokenFile ? 'actions with the token' : 'read-only: actions need --tls-cert/--tls-key and --token-file';
  process.stdout.write(`lifeline web: serving ${server.url} for the daemon in ${runDir} (${actions})\n`);
  if (process.getuid?.() === 0) process.stderr.write('lifeline web: WARN: running as root; it needs no privileges (the systemd unit runs it as hacluster)\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.stop();
  return 0;
}
