// `lifeline stonith_admin ...`: Pacemaker's stonith_admin against the fencer of the running daemon (`crm on`),
// through the control socket's fence_* requests; --list-installed reads this machine's agents directly.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { controlRequest } from '../../daemon/client.js';
import { stonithAdmin, EXIT, type AdminBackend } from '../../crm/fencer/admin.js';
import { DEFAULT_PATHS } from '../../crm/fencer/agent.js';
import type { FenceResult, HistoryEntry } from '../../crm/fencer/types.js';

export const summary = 'Pacemaker\'s stonith_admin: list fence devices, fence/unfence/confirm a node, fencing history (crm on)';

/** Fence agents (fence_* in /usr/sbin) and cluster-glue plugin types (`stonith -L`) installed here. */
function installed(): string[] {
  let out: string[] = [];
  try { out = readdirSync(DEFAULT_PATHS.fenceDir).filter((f) => /^fence_[A-Za-z0-9_]+$/.test(f)); } catch { /* none */ }
  const lha = spawnSync(DEFAULT_PATHS.stonithCommand, ['-L'], { encoding: 'utf8', timeout: 10_000 });
  if (lha.status === 0) out.push(...lha.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
  return out.sort();
}

class NoDaemon extends Error {}

/** The daemon's fencer behind its control socket. */
function socketBackend(runDir: string): AdminBackend {
  const ask = async (req: { cmd: string; [k: string]: unknown }, timeoutMs = 10_000) => {
    const a = await controlRequest(runDir, req, timeoutMs);
    if (!a) throw new NoDaemon(`no daemon answers in ${runDir}`);
    if (!a.ok) throw new NoDaemon(a.error ?? 'refused');
    return a;
  };
  const client = `stonith_admin.${process.pid}`;
  return {
    registered: async () => (await ask({ cmd: 'fence_list_registered' })).devices as string[],
    capable: async (target) => (await ask({ cmd: 'fence_list', target }, 130_000)).devices as string[],
    installed: async () => installed(),
    // The daemon answers once the operation is over: wait for all its devices' timeouts (1.2 x, as fenced).
    fence: async (target, action, timeoutMs, delayMs) => (await ask({ cmd: 'fence_request', target, action, client, timeoutMs, ...(delayMs !== undefined ? { delayMs } : {}) }, timeoutMs * 12 + 60_000)).result as FenceResult,
    confirm: async (target) => (await ask({ cmd: 'fence_confirm', target, client })).result as FenceResult,
    history: async (target) => (await ask({ cmd: 'fence_history', ...(target ? { target } : {}) })).history as HistoryEntry[],
  };
}

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = '/var/run/heartbeat';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--run-dir' && argv[i + 1] !== undefined) runDir = argv[++i]!;
    else rest.push(argv[i]!);
  }
  try {
    return await stonithAdmin(rest, socketBackend(runDir), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  } catch (e) {
    if (!(e instanceof NoDaemon)) throw e;
    process.stderr.write(`stonith_admin: Could not connect to fencer: ${e.message}\n`);
    return EXIT.DISCONNECT;
  }
}
