// Shared inputs of the crm language tests: seed 003's configuration, the syntax tour, and a crm_verify runner.
// crm_verify (pacemaker-cli-utils 2.1.5) is the oracle that the XML we write is a CIB Pacemaker accepts.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { staticAgentCatalog, type AgentInfo } from '../../src/crm/lang/index.js';

/** Seed 003's configuration exactly as the how-to lists it (old underscore spellings included). */
export const SEED_003 = `primitive ldap_service ocf:heartbeat:ldap \\
meta migration-threshold="2" failure-timeout="90s" \\
op monitor interval="5s" timeout="15s" start_delay="15s" disabled="false" on_fail="standby"
primitive ldap_vip ocf:heartbeat:IPaddr2 \\
params ip="10.7.36.142"
group ldap ldap_service ldap_vip \\
meta target_role="started" collocated="true"
location prefer_server1 ldap 10: server1
`;

/** The syntax tour of the shared spec (pacemaker-sim/syntax-tour.crm): every construct crmsh maps, checked there with crmsh 4.4.1. */
export const SYNTAX_TOUR = `node 1: node1 \\
    attributes site=a
node 2: node2 \\
    attributes site=b standby=off
primitive vip IPaddr2 \\
    params ip=192.0.2.10 cidr_netmask=24 nic=eth0 \\
    meta target-role=Started resource-stickiness=100 migration-threshold=3 failure-timeout=60s \\
    op start timeout=20s interval=0 \\
    op stop timeout=20s interval=0 \\
    op monitor interval=10s timeout=20s on-fail=restart \\
    op monitor interval=60s timeout=30s start-delay=5s enabled=false
primitive web ocf:heartbeat:apache \\
    params configfile=/etc/apache2/apache2.conf \\
    op monitor interval=30s timeout=20s on-fail=standby
primitive db lsb:postgresql \\
    op monitor interval=15s on-fail=block
primitive svc ocf:pacemaker:Dummy \\
    op monitor interval=30s on-fail=ignore
primitive ping ocf:pacemaker:ping \\
    params host_list=192.0.2.1 multiplier=100 \\
    op monitor interval=15s timeout=60s
primitive st-ipmi stonith:fence_ipmilan \\
    params ip=192.0.2.200 username=admin password=secret \\
    op monitor interval=60m
group g_web vip web \\
    meta target-role=Started
clone cl_ping ping \\
    meta clone-max=2 clone-node-max=1 interleave=true
location loc_web_pref g_web 100: node1
location loc_web_ban g_web -inf: node2
location loc_web_ping g_web \\
    rule -inf: not_defined pingd or pingd lte 0
location loc_web_site g_web \\
    rule 50: site eq a
colocation col_db_with_web inf: db g_web
colocation col_svc_apart -100: svc db
order ord_db_before_web Mandatory: db g_web
order ord_opt Optional: svc db
order ord_inf inf: cl_ping g_web
property cib-bootstrap-options: \\
    stonith-enabled=true \\
    no-quorum-policy=stop \\
    symmetric-cluster=true \\
    cluster-recheck-interval=2min \\
    maintenance-mode=false
rsc_defaults rsc-options: \\
    resource-stickiness=100 \\
    migration-threshold=5
op_defaults op-options: \\
    timeout=30s
`;

const action = (name: string, timeout: string, interval?: string) => ({ name, timeout, ...(interval ? { interval } : {}) });

/** Meta-data as the installed agents report it (parameters trimmed to those the tests use). */
export const IPADDR2: AgentInfo = {
  parameters: [{ name: 'ip', required: true }, { name: 'nic', required: false }, { name: 'cidr_netmask', required: false }],
  actions: [action('start', '20s'), action('stop', '20s'), action('monitor', '20s', '10s')],
};
export const APACHE: AgentInfo = {
  parameters: [{ name: 'configfile', required: false }, { name: 'httpd', required: false }],
  actions: [action('start', '40s'), action('stop', '60s'), action('monitor', '20s', '10s')],
};
export const DUMMY: AgentInfo = {
  parameters: [{ name: 'state', required: false }, { name: 'fake', required: false }],
  actions: [action('start', '20s'), action('stop', '20s'), action('monitor', '20s', '10s')],
};

/** A catalogue with the agents of the seed and the tour, including the two not installed on Debian (ldap, fence_ipmilan). */
export const CATALOG = staticAgentCatalog({
  'ocf:heartbeat:IPaddr2': IPADDR2, 'ocf:heartbeat:apache': APACHE, 'ocf:heartbeat:Dummy': DUMMY, 'ocf:pacemaker:Dummy': DUMMY,
  'ocf:heartbeat:ldap': true, 'lsb:postgresql': true, 'stonith:fence_ipmilan': true,
  'ocf:pacemaker:ping': { parameters: [{ name: 'host_list', required: true }, { name: 'multiplier', required: false }], actions: [action('start', '60s')] },
});

/**
 * Runs `crm_verify -V -x` on the XML. `accepted` is true when it reports no error: exit 0, or exit 78 with warnings
 * only (crm_verify uses 78 for both; an offline CIB without quorum always draws status warnings).
 */
export function crmVerify(xml: string): { status: number; output: string; accepted: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'll-crmlang-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    const r = spawnSync('crm_verify', ['-V', '-x', f], { encoding: 'utf8' });
    if (r.error) throw r.error;
    const output = `${r.stdout}${r.stderr}`;
    const status = r.status ?? -1;
    return { status, output, accepted: status === 0 || (status === 78 && !/error/i.test(output) && !/config not valid/.test(output)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
