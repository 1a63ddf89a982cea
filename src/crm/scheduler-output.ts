// Renders a scheduler Transition in crm_simulate's text layout (current state, transition summary, revised state) and as JSON.
// Pure: returns strings; the CLI prints them.
import { type Cib, type PrimitiveDef, isTrue } from './cib.js';
import type { Transition, SummaryLine } from './scheduler.js';

/** Formats summary lines with crm_simulate's growing column widths (rsc_action_item keeps them static). */
export function formatSummary(lines: readonly SummaryLine[]): string[] {
  let rscWidth = 5, detailWidth = 5;
  return lines.map((l) => {
    if (l.rsc.length > rscWidth) rscWidth = l.rsc.length + 2;
    let details: string;
    if (l.details !== undefined) details = l.details;
    else if (l.from === null) details = l.to ?? '';
    else if (l.to === null) details = l.from;
    else if (l.from === l.to) details = l.from;
    else details = `${l.from} -> ${l.to}`;
    if (details.length > detailWidth) detailWidth = details.length;
    let reason = '';
    if (l.reason && l.blocked) reason = `due to ${l.reason} (blocked)`;
    else if (l.reason) reason = `due to ${l.reason}`;
    else if (l.blocked) reason = 'blocked';
    return `  * ${l.change.padEnd(8)}   ${l.rsc.padEnd(rscWidth)}   ( ${details.padStart(detailWidth)} )${reason ? '  ' : ''}${reason}`;
  });
}

/** The Transition Summary: Fence lines (pcmk__output_actions' node actions) first, then the resource lines. */
export function formatTransitionSummary(t: Pick<Transition, 'summary' | 'fences'>): string[] {
  return [...(t.fences ?? []).map((f) => `  * Fence (${f.action}) ${f.target} '${f.reason}'`), ...formatSummary(t.summary)];
}

function agent(p: PrimitiveDef): string {
  return p.provider ? `${p.cls}:${p.provider}:${p.type}` : `${p.cls}:${p.type}`;
}

/** The "Node List" + "Full List of Resources" block, for the state before (`revised=false`) or after the transition. */
export function formatStatus(cib: Cib, t: Transition, revised: boolean): string[] {
  const out: string[] = ['  * Node List:'];
  const online = t.nodes.filter((n) => n.online && !n.unclean && !n.standby && !n.maintenance).map((n) => n.uname);
  for (const n of t.nodes) {
    if (n.unclean) out.push(`    * Node ${n.uname}: UNCLEAN (${n.online ? 'online' : 'offline'})`);
    else if (n.online && n.standby) out.push(`    * Node ${n.uname}: standby${n.standbyOnFail ? ' (on-fail)' : ''}`);
    if (n.online && n.maintenance) out.push(`    * Node ${n.uname}: maintenance`);
  }
  if (online.length) out.push(`    * Online: [ ${online.join(' ')} ]`);
  const offline = t.nodes.filter((n) => !n.online && !n.unclean).map((n) => n.uname);
  if (offline.length) out.push(`    * OFFLINE: [ ${offline.join(' ')} ]`);
  out.push('', '  * Full List of Resources:');
  const prim = (p: PrimitiveDef, indent: string) => {
    const c = t.current.get(p.id)!;
    const node = revised ? t.placements.get(p.id) ?? null : c.node;
    let state = node === null ? 'Stopped' : `${!revised && c.failed ? 'FAILED' : 'Started'} ${node}`;
    if (node === null && c.disabled) state += ' (disabled)';
    if (!c.managed) state += ' (unmanaged)';
    out.push(`${indent}* ${p.id}\t(${agent(p)}):\t ${state}`);
  };
  if (cib.resources.length === 0) out.push('    * No resources');
  for (const r of cib.resources) {
    if (r.kind === 'primitive') prim(r, '    ');
    else if (r.kind === 'clone') {
      out.push(`    * Clone Set: ${r.id} [${r.child.id}]${isTrue(r.meta.get('globally-unique') ?? 'false') ? ' (unique)' : ''}:`);
      const ids = [...t.current.keys()].filter((k) => k.startsWith(`${r.child.id}:`));
      for (const id of ids) prim({ ...r.child, id }, '      ');
    } else {
      out.push(`    * Resource Group: ${r.id}:`);
      for (const m of r.members) prim(m, '      ');
    }
  }
  return out;
}

/** The full `crm_simulate -S`-style report. */
export function formatSimulation(cib: Cib, t: Transition, showScores: boolean): string {
  const out: string[] = ['Current cluster status:', ...formatStatus(cib, t, false), ''];
  if (showScores) out.push('Assignment Scores:', ...t.scores.map((s) => `  * ${s}`), '');
  out.push('Transition Summary:', ...formatTransitionSummary(t), '');
  out.push('Executing Cluster Transition:');
  for (const f of t.fences) out.push(`  * Fencing ${f.target} (${f.action})`);
  for (const a of t.actions) out.push(`  * Resource action: ${a.rsc.padEnd(15)} ${a.task} on ${a.node}`);
  out.push('', 'Revised Cluster Status:', ...formatStatus(cib, t, true));
  return out.join('\n') + '\n';
}

/** The `--json` form: placements after the transition and the ordered actions. */
export function toJson(t: Transition): { placements: Record<string, string | null>; actions: Array<{ rsc: string; task: string; node: string }>; summary: string[] } {
  return { placements: Object.fromEntries(t.placements), actions: t.actions.map((a) => ({ ...a })), summary: formatTransitionSummary(t).map((s) => s.trim().replace(/\s+/g, ' ')) };
}
