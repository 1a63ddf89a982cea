// The project's own two-node CIBs for the ticket scenarios: a primitive, a group or a clone that depends on ticketA
// through rsc_ticket, the ticket's state in the status section, and where the resources run.

const KEY0 = '00000000-0000-0000-0000-000000000000';
/** op-digest of a parameterless Dummy's start and of its 10 s monitor (as in clone-cibs.ts). */
const DIGEST = 'f2317cad3d54cec5d7d7aa7d0bf35cf8';
const MONITOR_DIGEST = '4811cef7f7f94e3a35a70be7916cb2fd';

export type Kind = 'primitive' | 'group' | 'clone';
export type Ticket = 'unknown' | 'granted' | 'revoked' | 'standby';
export interface Scenario { kind: Kind; ticket: Ticket; loss?: 'stop' | 'freeze' | 'demote' | 'fence'; running: boolean; stonith?: boolean }

const RESOURCES: Record<Kind, string> = {
  primitive: '<primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="rsc1-mon" name="monitor" interval="10s"/></operations></primitive>',
  group: '<group id="g">' + ['a', 'b'].map((r) => `<primitive id="${r}" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="${r}-mon" name="monitor" interval="10s"/></operations></primitive>`).join('') + '</group>',
  clone: '<clone id="cl"><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="d-mon" name="monitor" interval="10s"/></operations></primitive></clone>',
};
const TARGET: Record<Kind, string> = { primitive: 'rsc1', group: 'g', clone: 'cl' };
const PRIMS: Record<Kind, string[]> = { primitive: ['rsc1'], group: ['a', 'b'], clone: ['d'] };

/** A running primitive's history on one node: started, monitored; or probed and found stopped. */
function lrm(rid: string, running: boolean, call: number): string {
  const o = (task: string, interval: number, c: number, rc: number) => {
    const tk = `${c}:1:${task === 'monitor' && interval === 0 ? 7 : 0}:${KEY0}`;
    return `<lrm_rsc_op id="${rid}_${interval ? `monitor_${interval}` : 'last_0'}" operation_key="${rid}_${task}_${interval}" operation="${task}" interval="${interval}" call-id="${c}" rc-code="${rc}" op-status="0" op-digest="${interval ? MONITOR_DIGEST : DIGEST}" transition-key="${tk}" transition-magic="0:${rc};${tk}"/>`;
  };
  const body = running ? o('start', 0, call, 0) + o('monitor', 10000, call + 1, 0) : o('monitor', 0, call, 7);
  return `<lrm_resource id="${rid}" class="ocf" provider="heartbeat" type="Dummy">${body}</lrm_resource>`;
}

export function ticketCib(s: Scenario): string {
  const state = s.ticket === 'unknown' ? '' : `<tickets><ticket_state id="ticketA" granted="${s.ticket !== 'revoked'}"${s.ticket === 'standby' ? ' standby="true"' : ''}/></tickets>`;
  const loss = s.loss ? ` loss-policy="${s.loss}"` : '';
  const node = (i: number) => {
    // node2 runs everything when `running`; a clone runs an instance on each node.
    const runs = s.running && (i === 2 || s.kind === 'clone');
    const lrms = PRIMS[s.kind].map((r, k) => lrm(r, runs, 2 + 2 * k)).join('');
    return `<node_state id="${i}" uname="node${i}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${i}"><lrm_resources>${lrms}</lrm_resources></lrm></node_state>`;
  };
  return `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="opts"><nvpair id="opts-se" name="stonith-enabled" value="${s.stonith ? 'true' : 'false'}"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>${RESOURCES[s.kind]}</resources>
    <constraints><rsc_ticket id="${TARGET[s.kind]}-dep-ticketA" rsc="${TARGET[s.kind]}" ticket="ticketA"${loss}/></constraints>
  </configuration>
  <status>${state}${node(1)}${node(2)}</status>
</cib>`;
}

