// CIBs for the controller twin tests: a Dummy + IPaddr2 group on N nodes without fencing, and many Dummies.
import { parseXml, type XEl } from '../../../src/crm/xml-lite.js';

/** N nodes named node1..nodeN. */
export const nodeNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `node${i + 1}`);

/** A group `grp` of Dummy `app` then IPaddr2 `vip`, monitors every `monitorS` s, with cluster options. */
export function groupCib(opts: { nodes: number; monitorS?: number; migrationThreshold?: number; extraResources?: number; fencing?: boolean }): XEl {
  const mon = opts.monitorS ?? 5;
  const meta = opts.migrationThreshold ? `<meta_attributes id="app-meta"><nvpair id="app-mt" name="migration-threshold" value="${opts.migrationThreshold}"/></meta_attributes>` : '';
  const extra = Array.from({ length: opts.extraResources ?? 0 }, (_, i) =>
    `<primitive id="d${i}" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="d${i}-mon" name="monitor" interval="${mon}s" timeout="20s"/></operations></primitive>`).join('');
  const xml = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">
      <nvpair id="opt-stonith" name="stonith-enabled" value="${opts.fencing ? 'true' : 'false'}"/>
    </cluster_property_set></crm_config>
    <nodes>${nodeNames(opts.nodes).map((n, i) => `<node id="${i + 1}" uname="${n}"/>`).join('')}</nodes>
    <resources>${opts.fencing ? '\n      <primitive id="fence1" class="stonith" type="fence_dummy"/>' : ''}
      <group id="grp">
        <primitive id="app" class="ocf" provider="pacemaker" type="Dummy">${meta}
          <operations><op id="app-mon" name="monitor" interval="${mon}s" timeout="20s"/></operations>
        </primitive>
        <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="10.237.0.100"/></instance_attributes>
          <operations><op id="vip-mon" name="monitor" interval="${mon}s" timeout="20s"/></operations>
        </primitive>
      </group>${extra}
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>`;
  const r = parseXml(xml);
  if (!r.ok) throw new Error(r.reason);
  return r.root;
}
