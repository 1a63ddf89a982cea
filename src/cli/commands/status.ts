// `lifeline status [--json] [--run-dir DIR]`: the running daemon's view of the cluster, from its control socket.
// Exit 0 when a daemon answered, 1 (as `cl_status hbstatus`) when none runs with that run directory.
import { controlRequest, queryStatus } from '../../daemon/client.js';
import type { ResourceView } from '../../resources/view.js';
import type { MonitorState } from '../../daemon/monitors.js';

export const summary = 'show the running daemon\'s nodes, links, resource groups and counters (--json for machines)';

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = '/var/run/heartbeat';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--run-dir' && argv[i + 1] !== undefined) runDir = argv[++i]!;
    else { process.stderr.write(`lifeline status: unknown argument "${a}" (usage: lifeline status [--json] [--run-dir DIR])\n`); return 2; }
  }
  const s = await queryStatus(runDir);
  if (!s) {
    if (json) process.stdout.write(`${JSON.stringify({ running: false, runDir })}\n`);
    else process.stdout.write(`Lifeline is stopped on this machine (no daemon answers in ${runDir}).\n`);
    return 1;
  }
  // Resource groups come from the resource layer (absent when the daemon runs membership only).
  const r = await controlRequest(runDir, { cmd: 'resources' });
  const rv = r?.ok ? (r as unknown as ResourceView) : undefined;
  const resources = rv ? { rscstatus: rv.rscstatus, autoFailback: rv.autoFailback, groups: rv.groups } : undefined;
  if (json) { process.stdout.write(`${JSON.stringify({ running: true, ...s, ...(resources ? { resources } : {}) })}\n`); return 0; }
  const out = [`Lifeline is running on ${s.node} (pid ${s.pid}, generation ${s.generation}, up ${Math.round(s.uptimeMs / 1000)} s, ${s.commUp ? 'active' : 'starting'})`];
  for (const n of s.nodes) {
    const cfg = n.config?.state === 'differs' ? `\tconfiguration differs: ${n.config.files.join(', ')}` : n.config?.state === 'same' ? '\tconfiguration same' : '';
    out.push(`${n.name}\t${n.status}\t(nodetype: ${n.type})${cfg}`);
    for (const l of n.links) out.push(`\t${l.name}\t${l.status}`);
  }
  if (resources) {
    out.push(`resources: ${resources.rscstatus} (auto_failback ${resources.autoFailback})`);
    for (const g of resources.groups) out.push(`\t${g.line}\t${g.heldBy ? `running on ${g.heldBy}` : 'stopped'}`);
  }
  if (s.crm) {
    out.push(`DC: ${s.crm.dc ?? 'NONE'}`, `quorum: ${s.crm.quorum ? 'yes' : 'no'}`);
    out.push(`crm: ${s.crm.members.length} member(s) (${s.crm.members.join(', ')}), CIB ${s.crm.cibVersion}`);
  }
  if (s.noResourcesFile) out.push(`resources: none (no resources file [${s.noResourcesFile}]: membership only)`);
  // haresources monitoring (/etc/ha.d/monitors), when configured.
  const m = await controlRequest(runDir, { cmd: 'monitors' });
  for (const x of (m?.ok ? (m as unknown as { monitors: MonitorState[] }).monitors : [])) {
    out.push(`monitor ${x.resource}: every ${x.intervalMs} ms, last ${x.last}, ${x.failures} failure(s), ${x.restarts} restart(s), ${x.handedOver} hand-over(s)`);
  }
  const c = s.counters;
  out.push(`packets: sent ${c.sent ?? 0}, bad ${c.badPackets ?? 0}`);
  // Drops by reason, only those that happened: an operator sees replays, strangers and other clusters at once.
  const drops = Object.entries(c).filter(([k, v]) => /^(dropped|bad)\./.test(k) && v > 0 && k !== 'dropped.duplicate');
  if (drops.length) out.push(`dropped: ${drops.map(([k, v]) => `${k.replace(/^dropped\./, '')} ${v}`).join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
