// haresources → crm configure text: each line a group of primitives in start order (IPaddr/IPaddr2 and Filesystem as
// their OCF agents, resource.d scripts as heartbeat: class, init scripts as lsb:), its preferred node a location.
import type { ResourceGroup, ResourceSpec } from '../../config/haresources-model.js';
import { parseAddressSpec } from '../../config/haresources.js';
import { quoteValue } from './lexer.js';
import { IdAllocator } from './ids.js';

/** Where a script of a haresources word lives: /etc/ha.d/resource.d (heartbeat class), /etc/init.d (lsb), or neither. */
export type ScriptClass = 'heartbeat' | 'lsb' | undefined;

export interface ImportOptions {
  /** ha.cf's auto_failback: on keeps the preferred node's pull (stickiness 0), off lets a group stay where it runs. */
  readonly autoFailback: 'on' | 'off' | 'legacy';
  /** Whether ha.cf configures STONITH (stonith/stonith_host): without it heartbeat took over unfenced. */
  readonly stonith: boolean;
  readonly nodeCount: number;
  readonly classOf: (script: string) => ScriptClass;
}

const param = (k: string, v: string) => `${k}=${quoteValue(v)}`;

/** One resource as a primitive statement (without the `primitive` keyword's id), or a reason it cannot be imported. */
function primitiveBody(r: ResourceSpec, o: ImportOptions): { agent: string; params: string[]; monitor: string } | string {
  if (r.type === 'IPaddr' || r.type === 'IPaddr2') {
    const { spec, problems } = parseAddressSpec(r.args[0] ?? '', r.text);
    if (!spec || problems.length) return `cannot read the address of ${r.text}`;
    const params = [param('ip', spec.ip)];
    if (spec.prefix !== undefined) params.push(param('cidr_netmask', String(spec.prefix)));
    if (spec.iface) params.push(param('nic', spec.iface));
    if (spec.broadcast) params.push(param('broadcast', spec.broadcast));
    return { agent: `ocf:heartbeat:${r.type}`, params, monitor: 'op monitor interval=10s timeout=20s' };
  }
  if (r.type === 'Filesystem' && r.args.length >= 2) {
    const [device, directory, fstype, options] = r.args;
    const params = [param('device', device!), param('directory', directory!)];
    if (fstype) params.push(param('fstype', fstype));
    if (options) params.push(param('options', options));
    return { agent: 'ocf:heartbeat:Filesystem', params, monitor: 'op monitor interval=20s timeout=40s' };
  }
  const cls = o.classOf(r.type);
  if (cls === 'heartbeat') return { agent: `heartbeat:${r.type}`, params: r.args.map((a, i) => param(String(i + 1), a)), monitor: 'op monitor interval=15s timeout=30s' };
  if (cls === 'lsb') {
    if (r.args.length) return `${r.text}: an init script (lsb:${r.type}) takes no arguments`;
    return { agent: `lsb:${r.type}`, params: [], monitor: 'op monitor interval=15s timeout=30s' };
  }
  return `${r.text}: no script ${r.type} in /etc/ha.d/resource.d or /etc/init.d`;
}

/** The crm configure text of haresources groups, and what could not be imported (file:line messages). */
export function importHaresources(groups: readonly ResourceGroup[], file: string, o: ImportOptions): { text: string; problems: string[] } {
  const ids = new IdAllocator();
  const lines: string[] = [`# Imported from ${file} by lifeline crm import-haresources; check it with: crm configure verify`];
  const problems: string[] = [];
  const tail: string[] = [];
  groups.forEach((g, gi) => {
    const members: string[] = [];
    for (const r of g.resources) {
      const body = primitiveBody(r, o);
      if (typeof body === 'string') { problems.push(`${file}:${g.line}: ${body}`); continue; }
      const base = r.type === 'IPaddr' || r.type === 'IPaddr2' ? `${r.type}_${(r.args[0] ?? '').split('/')[0]}` : [r.type, ...r.args].join('_');
      const id = ids.next(base);
      members.push(id);
      lines.push(`primitive ${id} ${body.agent}${body.params.length ? ` \\\n  params ${body.params.join(' ')}` : ''} \\\n  ${body.monitor}`);
    }
    if (members.length === 0) return;
    // heartbeat names resource groups after their first resource; crm ids must be unique and valid.
    const grp = members.length > 1 ? ids.next(`group_${gi + 1}`) : members[0]!;
    if (members.length > 1) tail.push(`group ${grp} ${members.join(' ')}`);
    tail.push(`location ${ids.next(`prefer-${grp}`)} ${grp} 100: ${g.preferredNode}`);
  });
  lines.push(...tail);
  // auto_failback off: a group stays where it runs after a failover (stickiness above the preferred node's 100).
  lines.push(`rsc_defaults resource-stickiness=${o.autoFailback === 'on' ? 0 : 200}`);
  if (!o.stonith) {
    lines.push('# ha.cf has no stonith line: heartbeat took over without fencing; Pacemaker would start nothing without a device.');
    lines.push('property stonith-enabled=false');
  }
  if (o.nodeCount === 2) {
    lines.push('# Two nodes: the survivor of a crash has no majority; as heartbeat did, it goes on (read lifeline check\'s LL_CHECK_CRM_TWO_NODE).');
    lines.push('property no-quorum-policy=ignore');
  }
  return { text: `${lines.join('\n')}\n`, problems };
}
