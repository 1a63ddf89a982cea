// The web's crm actions (move/clear/cleanup, node standby/online) carried out with the operator tools' own helpers
// (src/crm/client/actions.ts) against the local daemon's CIB: the web process only asks the daemon, as crm_resource does.
import type { ControlAnswer } from '../daemon/client.js';
import { collectIo, resourceAction, setStandby } from '../crm/client/actions.js';
import { RC_NOT_CONNECTED } from '../crm/client/cib-client.js';

/** One `{ cmd: 'crm', action, resource?, node? }` request (validated by api.ts) → the daemon's answer, or undefined when it is silent. */
export async function crmAction(runDir: string, req: { cmd: string; [k: string]: unknown }): Promise<ControlAnswer | undefined> {
  const io = collectIo();
  const target = { runDir };
  const node = typeof req.node === 'string' ? req.node : undefined;
  const rsc = typeof req.resource === 'string' ? req.resource : '';
  let rc: number;
  switch (req.action) {
    case 'move': rc = await resourceAction(io, target, 'move', rsc, node); break;
    case 'clear': rc = await resourceAction(io, target, 'clear', rsc, node); break;
    case 'cleanup': rc = await resourceAction(io, target, 'cleanup', rsc, node); break;
    case 'node-standby': case 'node-online': rc = await setStandby(io, target, node ?? '', req.action === 'node-standby'); break;
    default: return { ok: false, error: `unknown request crm/${String(req.action)}` };
  }
  if (rc === RC_NOT_CONNECTED) return undefined;
  if (rc === 0) return { ok: true, rc, lines: io.lines };
  // A daemon without a CRM (haresources mode) does not know cib_*: the API says 501 for that.
  const words = io.errors.join('; ');
  const unknown = /unknown request/.exec(words);
  return { ok: false, rc, error: unknown ? `unknown request ${req.cmd}: ${words}` : words || `failed with exit code ${rc}` };
}
