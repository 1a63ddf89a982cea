// Pure: `crm_mon --output-as xml` of Pacemaker 2.1.5 (api-version 2.25): summary, nodes, resources, node_history,
// failures, bans and status, with Pacemaker's element and attribute names, from a MonModel.
import { ctime, rcText, execStatusText, type MonModel, type MonPrimitive, type MonResource } from './mon-model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attrs = (kv: ReadonlyArray<readonly [string, string | number | boolean]>) => kv.map(([k, v]) => ` ${k}="${esc(String(v))}"`).join('');
const isoZ = (sec: number) => new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function optionValue(m: MonModel, name: string, dflt: string): string {
  return m.options.get(name) ?? dflt;
}

const msOf = (s: string): number => {
  const x = /^\s*(\d+)\s*(ms|s|m|min|h)?\s*$/.exec(s);
  if (!x) return 0;
  const n = parseInt(x[1]!, 10);
  return x[2] === 'ms' ? n : x[2] === 'm' || x[2] === 'min' ? n * 60_000 : x[2] === 'h' ? n * 3_600_000 : n * 1000;
};

function primXml(p: MonPrimitive, m: MonModel, ind: string): string[] {
  const head = `${ind}<resource${attrs([['id', p.id], ['resource_agent', p.agent], ['role', p.node ? 'Started' : 'Stopped'],
    ...(p.targetRole !== undefined ? [['target_role', p.targetRole] as const] : []), ['active', p.node !== null],
    ['orphaned', false], ['blocked', false], ['managed', p.managed], ['failed', p.failed], ['failure_ignored', false], ['nodes_running_on', p.nodes.length]])}`;
  if (!p.nodes.length) return [`${head}/>`];
  return [`${head}>`, ...p.nodes.map((n) => `${ind}  <node${attrs([['name', n], ['id', m.nodes.find((x) => x.name === n)?.id ?? n], ['cached', true]])}/>`), `${ind}</resource>`];
}

function rscXml(r: MonResource, m: MonModel, ind: string): string[] {
  if (r.kind === 'primitive') return primXml(r, m, ind);
  if (r.kind === 'group') {
    return [`${ind}<group${attrs([['id', r.id], ['number_resources', r.members.length], ['managed', r.members.every((p) => p.managed)], ['disabled', r.disabled]])}>`,
      ...r.members.flatMap((p) => primXml(p, m, `${ind}  `)), `${ind}</group>`];
  }
  return [`${ind}<clone${attrs([['id', r.id], ['multi_state', false], ['unique', r.unique], ['managed', r.instances.every((p) => p.managed)],
    ['disabled', false], ['failed', r.instances.some((p) => p.failed)], ['failure_ignored', false]])}>`,
  ...r.instances.flatMap((p) => primXml(p, m, `${ind}  `)), `${ind}</clone>`];
}

/** The whole XML document (ends with a newline); `request` is the command line as Pacemaker echoes it. */
export function monXml(m: MonModel, now: number, request: string): string {
  const o: string[] = [`<pacemaker-result api-version="2.25" request="${esc(request)}">`, '  <summary>', `    <stack type="${esc(m.stack)}"/>`];
  o.push(m.dc
    ? `    <current_dc${attrs([['present', true], ['version', m.dc.version], ['name', m.dc.name], ['id', m.dc.id], ['with_quorum', m.dc.quorum], ['mixed_version', false]])}/>`
    : '    <current_dc present="false"/>');
  o.push(`    <last_update time="${esc(ctime(now))}"/>`,
    `    <last_change${attrs([['time', m.lastChange.time], ['user', m.lastChange.user ?? ''], ['client', m.lastChange.client ?? ''], ['origin', m.lastChange.origin ?? '']])}/>`,
    `    <nodes_configured number="${m.nodesConfigured}"/>`,
    `    <resources_configured number="${m.instances}" disabled="${m.disabledCount}" blocked="0"/>`,
    `    <cluster_options${attrs([
      ['stonith-enabled', /^(false|no|0|off|n)$/i.test(optionValue(m, 'stonith-enabled', 'true')) ? 'false' : 'true'],
      ['symmetric-cluster', /^(false|no|0|off|n)$/i.test(optionValue(m, 'symmetric-cluster', 'true')) ? 'false' : 'true'],
      ['no-quorum-policy', optionValue(m, 'no-quorum-policy', 'stop')],
      ['maintenance-mode', /^(true|yes|1|on|y)$/i.test(optionValue(m, 'maintenance-mode', 'false')) ? 'true' : 'false'],
      ['stop-all-resources', /^(true|yes|1|on|y)$/i.test(optionValue(m, 'stop-all-resources', 'false')) ? 'true' : 'false'],
      ['stonith-timeout-ms', msOf(optionValue(m, 'stonith-timeout', '60s'))],
      ['priority-fencing-delay-ms', msOf(optionValue(m, 'priority-fencing-delay', '0'))],
    ])}/>`, '  </summary>', '  <nodes>');
  for (const n of m.nodes) {
    o.push(`    <node${attrs([['name', n.name], ['id', n.id], ['online', n.online], ['standby', n.standby], ['standby_onfail', n.standbyOnFail], ['maintenance', n.maintenance],
      ['pending', false], ['unclean', false], ['health', 'green'], ...(n.featureSet !== undefined ? [['feature_set', n.featureSet] as const] : []),
      ['shutdown', false], ['expected_up', n.expectedUp], ['is_dc', n.isDc], ['resources_running', n.running], ['type', 'member']])}/>`);
  }
  o.push('  </nodes>');
  if (m.resources.length) o.push('  <resources>', ...m.resources.flatMap((r) => rscXml(r, m, '    ')), '  </resources>');
  // Resources whose only history is hidden (probes that found them stopped) are left out, their node too.
  const history = m.history.map((h) => ({ node: h.node, rscs: h.rscs.filter((r) => r.ops.length > 0) })).filter((h) => h.rscs.length > 0);
  if (!history.length && m.nodes.some((n) => n.online)) o.push('  <node_history/>');
  if (history.length) {
    o.push('  <node_history>');
    for (const h of history) {
      o.push(`    <node name="${esc(h.node)}">`);
      for (const r of h.rscs) {
        o.push(`      <resource_history${attrs([['id', r.rsc], ['orphan', false], ['migration-threshold', r.threshold],
          ...(r.count > 0 ? [['fail-count', r.count] as const, ...(r.lastFailure ? [['last-failure', ctime(r.lastFailure)] as const] : [])] : [])])}>`);
        for (const op of r.ops) {
          o.push(`        <operation_history${attrs([['call', op.call], ['task', op.task === 'monitor' && op.intervalMs === 0 ? 'probe' : op.task], ['rc', op.rc], ['rc_text', rcText(op.rc)],
            ...(op.intervalMs > 0 ? [['interval', `${op.intervalMs}ms`] as const] : []),
            ...(op.lastRcChange ? [['last-rc-change', ctime(op.lastRcChange)] as const] : []),
            ...(op.execMs !== undefined ? [['exec-time', `${op.execMs}ms`] as const] : []),
            ...(op.queueMs !== undefined ? [['queue-time', `${op.queueMs}ms`] as const] : [])])}/>`);
        }
        o.push('      </resource_history>');
      }
      o.push('    </node>');
    }
    o.push('  </node_history>');
  }
  if (m.failures.length) {
    o.push('  <failures>');
    for (const f of m.failures) {
      o.push(`    <failure${attrs([['op_key', f.key], ['node', f.node], ['exitstatus', rcText(f.rc)], ['exitreason', f.exitReason], ['exitcode', f.rc], ['call', f.call],
        ['status', execStatusText(f.opStatus)], ...(f.lastRcChange ? [['last-rc-change', isoZ(f.lastRcChange)] as const] : []),
        ['queued', f.queueMs ?? 0], ['exec', f.execMs ?? 0], ['interval', f.intervalMs], ['task', f.task]])}/>`);
    }
    o.push('  </failures>');
  }
  if (m.bans.length) {
    o.push('  <bans>');
    for (const b of m.bans) o.push(`    <ban${attrs([['id', b.id], ['resource', b.rsc], ['node', b.node], ['weight', b.weight], ['promoted-only', false], ['master_only', false]])}/>`);
    o.push('  </bans>');
  }
  o.push('  <status code="0" message="OK"/>', '</pacemaker-result>');
  return `${o.join('\n')}\n`;
}
