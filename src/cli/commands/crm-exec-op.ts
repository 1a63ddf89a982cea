// `lifeline crm exec-op CLASS:PROVIDER:TYPE OP [name=value...]`: runs one resource operation the way the CRM's
// executor does (environment, timeout, rc mapping, execd's log lines) and exits with the agent's OCF rc.
import { hostname } from 'node:os';
import { parseIntervalMs } from '../../crm/cib.js';
import { Executor, execStatusText, ocfRcText, parseAgentRef, EXEC, OCF } from '../../crm/executor/index.js';
import { diag, formatDiagnostic } from '../../errors.js';

export const summary = 'run one resource agent operation as the CRM executor does (exit code = the agent\'s OCF rc)';

const USAGE = 'usage: lifeline crm exec-op CLASS:PROVIDER:TYPE OP [name=value...] [--interval TIME] [--timeout TIME] [--resource ID] [--meta name=value] [--ocf-root DIR] [--node NAME] [--quiet]';

function usage(message: string): number {
  process.stderr.write(formatDiagnostic(diag('LL_USAGE', { message: `${message}; ${USAGE}` })) + '\n');
  return 2;
}

/** A time as the CIB writes it ("20s", "500ms", "2min"; bare numbers are seconds), or undefined when malformed. */
function time(s: string | undefined): number | undefined {
  if (s === undefined || !/^\s*\d+\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.test(s)) return undefined;
  return parseIntervalMs(s);
}

export async function run(argv: readonly string[]): Promise<number> {
  const pos: string[] = [];
  const params: Record<string, string> = {};
  const meta: Record<string, string> = {};
  let intervalMs = 0, timeoutMs = 20_000, rscId: string | undefined, ocfRoot: string | undefined, node = hostname(), quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i];
    if (a === '--interval') { const v = time(value()); if (v === undefined) return usage('bad --interval'); intervalMs = v; }
    else if (a === '--timeout') { const v = time(value()); if (v === undefined || v === 0) return usage('bad --timeout'); timeoutMs = v; }
    else if (a === '--resource' || a === '-r') { rscId = value(); if (!rscId) return usage('missing resource id'); }
    else if (a === '--ocf-root') { ocfRoot = value(); if (!ocfRoot) return usage('missing --ocf-root DIR'); }
    else if (a === '--node' || a === '-N') { const v = value(); if (!v) return usage('missing --node NAME'); node = v; }
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--meta') {
      const m = /^([^=]+)=(.*)$/s.exec(value() ?? '');
      if (!m) return usage('--meta takes name=value');
      meta[m[1]!] = m[2]!;
    } else if (a.startsWith('-')) return usage(`unknown option "${a}"`);
    else if (pos.length >= 2 && /^[^=]+=/.test(a)) { const k = a.slice(0, a.indexOf('=')); params[k] = a.slice(k.length + 1); }
    else pos.push(a);
  }
  if (pos.length !== 2) return usage(pos.length < 2 ? 'missing agent or operation' : `unexpected argument "${pos[2]}"`);
  const agent = parseAgentRef(pos[0]!);
  if (typeof agent === 'string') return usage(agent);
  const action = pos[1]!;
  const ex = new Executor({
    config: { nodeName: node, ...(ocfRoot ? { ocfRoot } : {}) },
    log: (level, text) => { if (!quiet && level !== 'debug') process.stderr.write(`pacemaker-execd: ${level}: ${text}\n`); },
  });
  const req = { rscId: rscId ?? agent.type, agent, action, intervalMs, timeoutMs, params, meta };
  // A recurring operation runs once here (its first run), then is cancelled: the daemon would repeat it.
  const result = await new Promise<Parameters<Parameters<Executor['submit']>[1]>[0]>((resolve) => {
    ex.submit(req, (r) => { if (r.opStatus !== EXEC.CANCELLED) { if (intervalMs > 0) ex.cancel(req.rscId, action, intervalMs); resolve(r); } });
  });
  ex.close();
  process.stdout.write(result.stdout);
  if (!quiet) {
    const what = result.opStatus === EXEC.DONE ? ocfRcText(result.rc) : execStatusText(result.opStatus);
    process.stderr.write(`${req.rscId}_${action}_${intervalMs}: ${what} (rc=${result.rc}, op-status=${result.opStatus}, exec-time=${result.execMs}ms${result.exitReason ? `, exit-reason="${result.exitReason}"` : ''})\n`);
  }
  return result.rc >= 0 && result.rc <= 255 ? result.rc : OCF.UNKNOWN_ERROR;
}
