// The project's own two-node CIBs for the scheduler scenarios S1–S3: group g_web (IPaddr2 ip + Dummy app) that
// prefers node2 by 100 with stickiness 50 per member, in three states (node2 offline, running on node1, app failed 3×).

export type WebGroupState = 'node2-offline' | 'running-on-node1' | 'app-failed-3x';

const KEY0 = '00000000-0000-0000-0000-000000000000';
const DIGEST = { ip: 'ae06a3ac7cfcb6a2ecf8efb773617766', app: 'f2317cad3d54cec5d7d7aa7d0bf35cf8' };
const MONITOR_DIGEST = { ip: '2e30f5a4144802a5a228c4c7cf8b1d87', app: '4811cef7f7f94e3a35a70be7916cb2fd' };
/** 2026-01-01 00:00:00 UTC, when app's monitor failed in the third state. */
export const FAILED_AT = 1767225600;

const nv = (owner: string, name: string, value: string) => `<nvpair id="${owner}-${name}" name="${name}" value="${value}"/>`;

function op(id: string, key: string, task: string, interval: number, call: number, rc: number, digest: string, extra = ''): string {
  const target = task === 'monitor' && interval === 0 ? 7 : 0;
  const tk = `${call}:1:${target}:${KEY0}`;
  return `<lrm_rsc_op id="${id}" operation_key="${key}" operation="${task}" interval="${interval}" call-id="${call}" rc-code="${rc}" op-status="0"${extra} op-digest="${digest}" transition-key="${tk}" transition-magic="0:${rc};${tk}"/>`;
}

function lrmResource(rsc: 'ip' | 'app', body: string): string {
  const type = rsc === 'ip' ? 'IPaddr2' : 'Dummy';
  return `<lrm_resource id="${rsc}" class="ocf" provider="heartbeat" type="${type}">${body}</lrm_resource>`;
}

/** node1 runs both members (started, monitored); with `failed`, app's monitor returned 7 three times. */
function node1Running(failed: boolean): string {
  const ip = op('ip_last_0', 'ip_start_0', 'start', 0, 2, 0, DIGEST.ip) + op('ip_monitor_10000', 'ip_monitor_10000', 'monitor', 10000, 3, 0, MONITOR_DIGEST.ip);
  const at = ` last-rc-change="${FAILED_AT}"`;
  const app = op('app_last_0', 'app_start_0', 'start', 0, 4, 0, DIGEST.app) + (failed
    ? op('app_monitor_10000', 'app_monitor_10000', 'monitor', 10000, 5, 7, MONITOR_DIGEST.app, at)
      + op('app_last_failure_0', 'app_monitor_10000', 'monitor', 10000, 5, 7, MONITOR_DIGEST.app, at)
    : op('app_monitor_10000', 'app_monitor_10000', 'monitor', 10000, 5, 0, MONITOR_DIGEST.app));
  const attrs = failed
    ? `<transient_attributes id="1"><instance_attributes id="status-1">${nv('status-1', 'fail-count-app#monitor_10000', '3')}${nv('status-1', 'last-failure-app#monitor_10000', String(FAILED_AT))}</instance_attributes></transient_attributes>`
    : '';
  return `<node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>${lrmResource('ip', ip)}${lrmResource('app', app)}</lrm_resources></lrm>${attrs}</node_state>`;
}

/** node2 is up and its probes found neither member running. */
const node2Probed = `<node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="2"><lrm_resources>${
  lrmResource('ip', op('ip_last_0', 'ip_monitor_0', 'monitor', 0, 1, 7, DIGEST.ip))}${
  lrmResource('app', op('app_last_0', 'app_monitor_0', 'monitor', 0, 2, 7, DIGEST.app))}</lrm_resources></lrm></node_state>`;

export function webGroupCib(state: WebGroupState): string {
  const status = state === 'node2-offline'
    ? '<node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/><node_state id="2" uname="node2" in_ccm="false" crmd="offline" join="down" expected="down"/>'
    : node1Running(state === 'app-failed-3x') + node2Probed;
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="2" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">${nv('cib-bootstrap-options', 'stonith-enabled', 'false')}${nv('cib-bootstrap-options', 'no-quorum-policy', 'ignore')}</cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources><group id="g_web">
      <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="ip-params">${nv('ip-params', 'ip', '192.0.2.10')}${nv('ip-params', 'cidr_netmask', '24')}</instance_attributes>
        <operations><op id="ip-monitor-10s" name="monitor" interval="10s" timeout="20s"/><op id="ip-start-0" name="start" interval="0" timeout="20s"/><op id="ip-stop-0" name="stop" interval="0" timeout="20s"/></operations>
      </primitive>
      <primitive id="app" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id="app-meta">${nv('app-meta', 'migration-threshold', '3')}${nv('app-meta', 'failure-timeout', '120s')}</meta_attributes>
        <operations><op id="app-monitor-10s" name="monitor" interval="10s" timeout="20s" on-fail="restart"/></operations>
      </primitive>
    </group></resources>
    <constraints><rsc_location id="loc_pref_node2" rsc="g_web" score="100" node="node2"/></constraints>
    <rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="50"/></meta_attributes></rsc_defaults>
  </configuration>
  <status>${status}</status>
</cib>
`;
}
