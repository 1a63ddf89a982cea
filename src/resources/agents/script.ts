// heartbeat resource scripts: `<configdir>/resource.d/<name>` then `/etc/init.d/<name>`, called with the `::`
// arguments first and the action last; LSB exit codes, and status read from the output as ResourceManager does.

import type { Agent, AgentAction, AgentContext, AgentResult } from './agent.js';
import { statusOutputSaysRunning } from './agent.js';

/** A script agent running `path args… action`, with HA_DIR set to the configuration directory. */
export function scriptAgent(text: string, path: string, args: readonly string[], ctx: AgentContext): Agent {
  const name = path.split('/').pop() ?? path;
  async function run(action: AgentAction, o?: { timeoutMs?: number }): Promise<AgentResult> {
    const timeoutMs = o?.timeoutMs ?? ctx.defaultTimeoutMs ?? 60_000;
    // heartbeat only knows status; a script's monitor is its status.
    const verb = action === 'monitor' ? 'status' : action;
    const argv = [path, ...args, verb];
    ctx.log(`ResourceManager: info: Running ${argv.join(' ')}`);
    const r = await ctx.exec(argv, { timeoutMs, env: { ...process.env, HA_DIR: ctx.configDir }, onLine: (l) => ctx.log(`${name}: ${l}`) });
    if (r.timedOut) {
      ctx.log(`ResourceManager: ERROR: ${path} ${verb} timed out after ${timeoutMs} ms: killed`);
      return { ok: false, ...(verb === 'status' ? { running: false } : {}), rc: -1, timedOut: true, reason: 'timed out' };
    }
    if (r.spawnError) return { ok: false, rc: -1, timedOut: false, reason: r.spawnError };
    if (verb === 'status') {
      // heartbeat reads the status answer from stdout only (backquotes); stderr went to its debug log.
      const running = statusOutputSaysRunning(r.stdout);
      return { ok: running, running, rc: r.code, timedOut: false };
    }
    if (r.code !== 0) ctx.log(`ResourceManager: ERROR: Return code ${r.code} from ${path}`);
    return { ok: r.code === 0, rc: r.code, timedOut: false, ...(r.code !== 0 ? { reason: `exit code ${r.code}` } : {}) };
  }
  return { text, run };
}
