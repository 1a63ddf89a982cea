// The project's own three-node CIBs for promotable-clone scenarios: a promotable clone `ms` (promotable=true, or
// the older <master> element) of ocf:pacemaker:Stateful `st`, with master-st scores and per-node roles.

const KEY0 = '00000000-0000-0000-0000-000000000000';
/** Digests of `st`'s (empty) parameters, so no operation looks like a definition change. */
const DIGEST = 'f2317cad3d54cec5d7d7aa7d0bf35cf8';
const MONITOR_DIGEST = '4811cef7f7f94e3a35a70be7916cb2fd';
const nv = (owner: string, name: string, value: string) => `<nvpair id="${owner}-${name.replace(/[^\w-]/g, '_')}" name="${name}" value="${value}"/>`;

/** What one node's history says about `st`: never probed, probed stopped, running unpromoted, running promoted,
 *  or promoted with its promoted-role monitor failed (rc 9). */
export type RoleState = 'none' | 'stopped' | 'unpromoted' | 'promoted' | 'failed-promoted';

export interface PromotableScenario {
  /** Meta attributes of the clone (promoted-max, promoted-node-max, clone-max, ...). */
  readonly meta?: Record<string, string>;
  /** Use <master> instead of <clone> with promotable=true. */
  readonly masterElement?: boolean;
  /** Per node (node1..node3). */
  readonly state?: readonly RoleState[];
  /** Per node: the transient (crm_master -l reboot) master-st score; undefined = unset. */
  readonly scores?: ReadonlyArray<number | undefined>;
  /** Per node: a permanent (node instance attribute) master-st score. */
  readonly permanentScores?: ReadonlyArray<number | undefined>;
  /** Per node: standby. */
  readonly standby?: readonly boolean[];
  readonly constraints?: string;
}

function op(id: string, task: string, interval: number, call: number, rc: number, target: number): string {
  const tk = `${call}:1:${target}:${KEY0}`;
  return `<lrm_rsc_op id="${id}" operation_key="st_${task}_${interval}" operation="${task}" interval="${interval}" call-id="${call}" rc-code="${rc}" op-status="0" op-digest="${interval ? MONITOR_DIGEST : DIGEST}" transition-key="${tk}" transition-magic="0:${rc};${tk}" last-rc-change="1767225600"/>`;
}

function lrm(s: RoleState): string {
  if (s === 'none') return '';
  let body: string;
  if (s === 'stopped') body = op('st_last_0', 'monitor', 0, 2, 7, 7);
  else if (s === 'unpromoted') body = op('st_last_0', 'start', 0, 2, 0, 0) + op('st_monitor_11000', 'monitor', 11000, 3, 0, 0);
  else {
    body = op('st_last_0', 'promote', 0, 4, 0, 0) + op('st_monitor_10000', 'monitor', 10000, 5, s === 'promoted' ? 8 : 9, 8);
    if (s === 'failed-promoted') body += op('st_last_failure_0', 'monitor', 10000, 5, 9, 8);
  }
  return `<lrm_resource id="st" class="ocf" provider="pacemaker" type="Stateful">${body}</lrm_resource>`;
}

/** Builds the CIB of one promotable scenario. */
export function promotableCib(sc: PromotableScenario): string {
  const meta = Object.entries({ ...(sc.masterElement ? {} : { promotable: 'true' }), ...sc.meta }).map(([k, v]) => nv('ms-meta', k, v)).join('');
  const nodes = [1, 2, 3].map((i) => {
    const attrs = [sc.permanentScores?.[i - 1] !== undefined ? nv(`n${i}`, 'master-st', String(sc.permanentScores[i - 1])) : '',
      sc.standby?.[i - 1] ? nv(`n${i}`, 'standby', 'on') : ''].join('');
    return `<node id="${i}" uname="node${i}">${attrs ? `<instance_attributes id="n${i}">${attrs}</instance_attributes>` : ''}</node>`;
  }).join('');
  const states = [1, 2, 3].map((i) => {
    const score = sc.scores?.[i - 1];
    const attrs = score === undefined ? '' : `<transient_attributes id="${i}"><instance_attributes id="status-${i}">${nv(`status-${i}`, 'master-st', String(score))}</instance_attributes></transient_attributes>`;
    return `<node_state id="${i}" uname="node${i}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${i}"><lrm_resources>${lrm(sc.state?.[i - 1] ?? 'none')}</lrm_resources></lrm>${attrs}</node_state>`;
  }).join('\n    ');
  const tag = sc.masterElement ? 'master' : 'clone';
  return `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">${nv('opt', 'stonith-enabled', 'false')}</cluster_property_set></crm_config>
    <nodes>${nodes}</nodes>
    <resources>
      <${tag} id="ms"><meta_attributes id="ms-meta">${meta}</meta_attributes>
        <primitive id="st" class="ocf" provider="pacemaker" type="Stateful">
          <operations><op id="st-monitor-10s" name="monitor" interval="10s" role="Promoted"/><op id="st-monitor-11s" name="monitor" interval="11s" role="Unpromoted"/></operations></primitive>
      </${tag}>
    </resources>
    <constraints>${sc.constraints ?? ''}</constraints>
  </configuration>
  <status>
    ${states}
  </status>
</cib>
`;
}
