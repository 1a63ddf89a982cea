// Pure: crm_mon's text layout of Pacemaker 2.1.5 (Cluster Summary, Node List, resources, Migration Summary,
// Failed Resource Actions) from a MonModel; `-r` inactive resources, `-f` fail counts, `-n` grouped by node.
import { ctime, execStatusText, rcText, readableInterval, type MonModel, type MonOp, type MonPrimitive, type MonResource } from './mon-model.js';

export interface MonOptions {
  readonly inactive: boolean;
  readonly failcounts: boolean;
  readonly byNode: boolean;
  /** "Last updated" (epoch seconds). */
  readonly now: number;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function monHeader(m: MonModel, now: number): string[] {
  const dc = m.dc ? `${m.dc.name} (version ${m.dc.version || 'unknown'}) - partition ${m.dc.quorum ? 'with quorum' : 'WITHOUT quorum'}` : 'NONE';
  const lc = m.lastChange;
  const change = `${lc.time}${lc.user !== undefined ? ` by ${lc.user}` : ''}${lc.client !== undefined ? ` via ${lc.client}` : ''}${lc.origin !== undefined ? ` on ${lc.origin}` : ''}`;
  return [
    'Cluster Summary:',
    `  * Stack: ${m.stack}`,
    `  * Current DC: ${dc}`,
    `  * Last updated: ${ctime(now)}`,
    `  * Last change:  ${change}`,
    `  * ${plural(m.nodesConfigured, 'node')} configured`,
    `  * ${plural(m.instances, 'resource instance')} configured${m.disabledCount ? ` (${m.disabledCount} DISABLED)` : ''}`,
  ];
}

/** One primitive's line: `NAME\t(AGENT):\t STATE [NODE]` (the node left out in the by-node view). */
function primLine(p: MonPrimitive, indent: string, withNode = true): string {
  let state = p.node === null ? 'Stopped' : p.failed ? 'FAILED' : 'Started';
  if (p.disabled) state += ' (disabled)';
  if (!p.managed) state += ' (unmanaged)';
  // Active on several nodes (multiple-active): the nodes in brackets, as crm_mon lists them.
  if (withNode && p.nodes.length > 1) state += ` [ ${p.nodes.join(' ')} ]`;
  else if (withNode && p.node !== null) state = state.replace(/^(Started|FAILED)/, `$1 ${p.node}`);
  return `${indent}* ${p.id}\t(${p.agent}):\t ${state}`;
}

const active = (r: MonResource): boolean =>
  r.kind === 'primitive' ? r.node !== null : r.kind === 'group' ? r.members.some(active) : r.instances.some(active);

function resourceLines(rs: readonly MonResource[], inactive: boolean, indent: string, nodes: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of rs) {
    if (!inactive && !active(r)) continue;
    if (r.kind === 'primitive') out.push(primLine(r, indent));
    else if (r.kind === 'group') {
      const off = r.members.filter((p) => !active(p)).length;
      out.push(`${indent}* Resource Group: ${r.id}${!inactive && off ? ` (${off} member${off === 1 ? '' : 's'} inactive)` : ''}:`);
      for (const p of r.members) if (inactive || active(p)) out.push(primLine(p, `${indent}  `));
    } else {
      out.push(`${indent}* Clone Set: ${r.id} [${r.child}]${r.unique ? ' (unique)' : ''}:`);
      if (r.unique) { for (const p of r.instances) if (inactive || active(p)) out.push(primLine(p, `${indent}  `)); continue; }
      const on = r.instances.filter((p) => p.node !== null).map((p) => p.node!);
      if (on.length) out.push(`${indent}  * Started: [ ${on.join(' ')} ]`);
      const off = nodes.filter((n) => !on.includes(n));
      if (inactive && off.length) out.push(`${indent}  * Stopped: [ ${off.join(' ')} ]`);
    }
  }
  return out;
}

function nodeWord(n: MonModel['nodes'][number]): string | undefined {
  if (!n.online) return undefined;
  if (n.standby) return `standby${n.standbyOnFail ? ' (on-fail)' : ''}${n.running > 0 ? ' (with active resources)' : ''}`;
  if (n.maintenance) return 'maintenance';
  return undefined;
}

function nodeList(m: MonModel, o: MonOptions): string[] {
  const out = ['Node List:'];
  if (o.byNode) {
    for (const n of m.nodes) {
      const word = nodeWord(n) ?? (n.online ? 'online' : 'OFFLINE');
      out.push(`  * Node ${n.name}: ${word}:`, '    * Resources:');
      for (const p of m.primitives) if (p.nodes.includes(n.name)) out.push(primLine(p, '      ', false));
    }
    return out;
  }
  const online: string[] = [], offline: string[] = [];
  for (const n of m.nodes) {
    const w = nodeWord(n);
    if (w) out.push(`  * Node ${n.name}: ${w}`);
    else if (n.online) online.push(n.name);
    else offline.push(n.name);
  }
  if (online.length) out.push(`  * Online: [ ${online.join(' ')} ]`);
  if (offline.length) out.push(`  * OFFLINE: [ ${offline.join(' ')} ]`);
  return out;
}

/** A failed action's line, as failed_action_friendly writes it. */
export function failedActionLine(f: MonOp): string {
  const task = f.task === 'monitor' && f.intervalMs === 0 ? 'probe' : f.task;
  let s = f.intervalMs > 0 ? `${f.rsc} ${readableInterval(f.intervalMs)}-interval ${task} on ${f.node}` : `${f.rsc} ${task} on ${f.node}`;
  if (f.opStatus === 0) s += ` returned '${rcText(f.rc)}'${f.exitReason ? ` (${f.exitReason})` : ''}`;
  else s += ` could not be executed (${execStatusText(f.opStatus)}${f.exitReason ? `: ${f.exitReason}` : ''})`;
  if (f.lastRcChange) s += ` at ${ctime(f.lastRcChange)}`;
  if (f.execMs) s += ` after ${readableInterval(f.execMs)}`;
  return `  * ${s}`;
}

/** The whole `crm_mon -1` text (ends with a newline). */
export function monText(m: MonModel, o: MonOptions): string {
  const out = [...monHeader(m, o.now), '', ...nodeList(m, o), ''];
  if (o.byNode) {
    const inactive = m.resources.filter((r) => !active(r) || (r.kind === 'group' && r.members.some((p) => !active(p))));
    if (o.inactive) out.push('Inactive Resources:', ...(inactive.length ? resourceLines(inactive, true, '  ', m.nodes.map((n) => n.name)) : ['  * No inactive resources']), '');
  } else {
    out.push(o.inactive ? 'Full List of Resources:' : 'Active Resources:');
    const lines = resourceLines(m.resources, o.inactive, '  ', m.nodes.map((n) => n.name));
    if (m.resources.length === 0) out.push('  * No resources');
    else if (lines.length === 0) out.push('  * No active resources');
    else out.push(...lines);
    out.push('');
  }
  if (o.failcounts) {
    out.push('Migration Summary:');
    for (const n of m.failCounts) {
      out.push(`  * Node: ${n.node}:`);
      for (const r of n.rscs) out.push(`    * ${r.rsc}: migration-threshold=${r.threshold} fail-count=${r.count}${r.lastFailure ? ` last-failure='${ctime(r.lastFailure)}'` : ''}`);
    }
    out.push('');
  }
  if (m.failures.length) out.push('Failed Resource Actions:', ...m.failures.map(failedActionLine), '');
  while (out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
