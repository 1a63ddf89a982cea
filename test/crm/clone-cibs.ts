// The project's own three-node CIBs for the clone scenarios: a clone `cl` of the Dummy primitive `d`, with meta
// attributes, constraints and per-node operation history chosen by each scenario.

const KEY0 = '00000000-0000-0000-0000-000000000000';
const DIGEST = 'f2317cad3d54cec5d7d7aa7d0bf35cf8';
const MONITOR_DIGEST = '4811cef7f7f94e3a35a70be7916cb2fd';
/** 2026-01-01 00:00:00 UTC, when a failed monitor failed. */
export const FAILED_AT = 1767225600;

const nv = (owner: string, name: string, value: string) => `<nvpair id="${owner}-${name.replace(/[^\w-]/g, '_')}" name="${name}" value="${value}"/>`;

function op(id: string, task: string, interval: number, call: number, rc: number, extra = ''): string {
  const target = task === 'monitor' && interval === 0 ? 7 : 0;
  const tk = `${call}:1:${target}:${KEY0}`;
  const key = `${id.replace(/_(last|monitor|failure).*$/, '')}_${task}_${interval}`;
  return `<lrm_rsc_op id="${id}" operation_key="${key}" operation="${task}" interval="${interval}" call-id="${call}" rc-code="${rc}" op-status="0"${extra} op-digest="${interval ? MONITOR_DIGEST : DIGEST}" transition-key="${tk}" transition-magic="0:${rc};${tk}"/>`;
}

/** What one node's history says about the clone's primitive: never probed, probed stopped, running, or running with a failed monitor. */
export type InstanceState = 'none' | 'stopped' | 'running' | 'failed';

export interface CloneScenario {
  /** Meta attributes of the clone (clone-max, clone-node-max, globally-unique, ...). */
  readonly meta?: Record<string, string>;
  /** Meta attributes of the primitive (migration-threshold, ...). */
  readonly primitiveMeta?: Record<string, string>;
  /** Per node (node1..node3): the history of `d` (or of `d:N` when the value is a [state, N] pair, or of several
   *  instances when it is a list of pairs). */
  readonly state?: ReadonlyArray<InstanceState | readonly [InstanceState, number] | ReadonlyArray<readonly [InstanceState, number]>>;
  /** Fail counts of `d`'s 10 s monitor per node. */
  readonly failCounts?: readonly number[];
  /** Extra resources and constraints, as XML. */
  readonly resources?: string;
  readonly constraints?: string;
  readonly rscDefaults?: Record<string, string>;
}

function lrm(rid: string, s: InstanceState, call: number): string {
  if (s === 'none') return '';
  let body = op(`${rid}_last_0`, 'monitor', 0, call, 7);
  if (s !== 'stopped') {
    body = op(`${rid}_last_0`, 'start', 0, call, 0);
    const at = ` last-rc-change="${FAILED_AT}"`;
    body += s === 'failed'
      ? op(`${rid}_monitor_10000`, 'monitor', 10000, call + 1, 7, at) + op(`${rid}_last_failure_0`, 'monitor', 10000, call + 1, 7, at)
      : op(`${rid}_monitor_10000`, 'monitor', 10000, call + 1, 0);
  }
  return `<lrm_resource id="${rid}" class="ocf" provider="heartbeat" type="Dummy">${body}</lrm_resource>`;
}

/** Builds the CIB of one clone scenario. */
export function cloneCib(sc: CloneScenario): string {
  const meta = Object.entries(sc.meta ?? {}).map(([k, v]) => nv('cl-meta', k, v)).join('');
  const pmeta = Object.entries(sc.primitiveMeta ?? {}).map(([k, v]) => nv('d-meta', k, v)).join('');
  const defaults = Object.entries(sc.rscDefaults ?? {}).map(([k, v]) => nv('rsc-options', k, v)).join('');
  const nodes = [1, 2, 3].map((i) => `<node id="${i}" uname="node${i}"/>`).join('');
  const states = [1, 2, 3].map((i) => {
    const st = sc.state?.[i - 1] ?? 'none';
    const list: Array<readonly [InstanceState, number | undefined]> = typeof st === 'string' ? [[st, undefined]]
      : typeof st[0] === 'string' ? [st as readonly [InstanceState, number]] : [...(st as ReadonlyArray<readonly [InstanceState, number]>)];
    const lrms = list.map(([s, n], k) => lrm(n === undefined ? 'd' : `d:${n}`, s, 2 + 2 * k)).join('');
    const fc = sc.failCounts?.[i - 1] ?? 0;
    const attrs = fc ? `<transient_attributes id="${i}"><instance_attributes id="status-${i}">${nv(`status-${i}`, 'fail-count-d#monitor_10000', String(fc))}${nv(`status-${i}`, 'last-failure-d#monitor_10000', String(FAILED_AT))}</instance_attributes></transient_attributes>` : '';
    return `<node_state id="${i}" uname="node${i}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${i}"><lrm_resources>${lrms}</lrm_resources></lrm>${attrs}</node_state>`;
  }).join('\n    ');
  return `<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">${nv('opt', 'stonith-enabled', 'false')}</cluster_property_set></crm_config>
    <nodes>${nodes}</nodes>
    <resources>
      <clone id="cl"><meta_attributes id="cl-meta">${meta}</meta_attributes>
        <primitive id="d" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="d-meta">${pmeta}</meta_attributes>
          <operations><op id="d-monitor-10s" name="monitor" interval="10s"/></operations></primitive>
      </clone>${sc.resources ?? ''}
    </resources>
    <constraints>${sc.constraints ?? ''}</constraints>
    <rsc_defaults><meta_attributes id="rsc-options">${defaults}</meta_attributes></rsc_defaults>
  </configuration>
  <status>
    ${states}
  </status>
</cib>
`;
}
