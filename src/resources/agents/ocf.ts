// OCF agents written `OCF::agent::instance` in haresources, run as heartbeat's resource.d/OCF wrapper runs them:
// parameters from <configdir>/conf/OCF/<agent>/<instance>, OCF_ROOT and OCF_RESKEY_* in the environment, OCF exit codes.

import type { Agent, AgentAction, AgentContext, AgentResult } from './agent.js';

/** OCF exit codes (OCF resource agent API 1.0). */
export const OCF_RC = { SUCCESS: 0, ERR_GENERIC: 1, ERR_ARGS: 2, ERR_UNIMPLEMENTED: 3, ERR_PERM: 4, ERR_INSTALLED: 5, ERR_CONFIGURED: 6, NOT_RUNNING: 7 } as const;

const RC_TEXT: Record<number, string> = {
  1: 'Generic error', 2: 'Illegal argument', 3: 'Function unimplemented', 4: 'User had insufficient privilege',
  5: 'Program is not installed', 6: 'Program is not configured', 7: 'Resource is stopped',
};

/**
 * Reads an instance file: `name=value` lines, `#` comments, optional quotes. Names are used as written when they
 * start with OCF_RESKEY_ (heartbeat's wrapper exports the file's own variables); a bare `ip=…` becomes OCF_RESKEY_ip.
 */
export function parseOcfInstance(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    env[m[1]!.startsWith('OCF_') ? m[1]! : `OCF_RESKEY_${m[1]!}`] = v;
  }
  return env;
}

/** An OCF agent instance: `script` under OCF_ROOT/resource.d/<provider>/, `params` as OCF_RESKEY_* variables. */
export function ocfAgent(text: string, script: string, agentType: string, instance: string, params: Record<string, string>, ctx: AgentContext): Agent {
  async function run(action: AgentAction, o?: { timeoutMs?: number }): Promise<AgentResult> {
    const timeoutMs = o?.timeoutMs ?? ctx.defaultTimeoutMs ?? 60_000;
    // Like hto-mapfuncs: heartbeat's status is the agent's monitor.
    const verb = action === 'status' ? 'monitor' : action;
    const env: NodeJS.ProcessEnv = {
      ...process.env, OCF_ROOT: ctx.ocfRoot, OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '0',
      OCF_RESOURCE_INSTANCE: instance, OCF_RESOURCE_TYPE: agentType, OCF_RES_NAME: instance, ...params,
    };
    ctx.log(`ResourceManager: info: Running OCF ${agentType}::${instance} ${verb} (${script})`);
    const tag = `${agentType}(${instance})`;
    const r = await ctx.exec([script, verb], { timeoutMs, env, onLine: (l) => ctx.log(`${tag}: ${l}`) });
    if (r.timedOut) return { ok: false, ...(verb === 'monitor' ? { running: false } : {}), rc: -1, timedOut: true, reason: 'timed out' };
    if (r.spawnError) return { ok: false, rc: -1, timedOut: false, reason: r.spawnError };
    const rc = r.code;
    if (verb === 'monitor') {
      ctx.log(`${tag}: INFO: ${rc === 0 ? 'Running OK' : RC_TEXT[rc] ?? `Unknown error: ${rc}`}`);
      // Only "running" (0) is running; 7 is cleanly stopped; anything else is a failed monitor, i.e. not running here.
      return { ok: rc === 0, running: rc === 0, rc, timedOut: false, ...(rc !== 0 && rc !== 7 ? { reason: RC_TEXT[rc] ?? `rc ${rc}` } : {}) };
    }
    ctx.log(`${tag}: ${rc === 0 ? 'INFO: Success' : `ERROR: ${RC_TEXT[rc] ?? `Unknown error: ${rc}`}`}`);
    return { ok: rc === 0, rc, timedOut: false, ...(rc !== 0 ? { reason: RC_TEXT[rc] ?? `rc ${rc}` } : {}) };
  }
  return { text, run };
}
