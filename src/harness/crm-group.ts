// The `crm on` group the namespace tests, campaigns and benches run: a real ocf:pacemaker:Dummy `app` then an
// ocf:heartbeat:IPaddr2 `vip`, as `<group id="grp">` XML for a cib_replace of the configuration section.

/** Where Dummy keeps `app`'s state inside each host's private /run: present = running there. */
export const APP_STATE = '/run/resource-agents/Dummy-app.state';

/** The group; `meta` is XML put first inside it (meta_attributes), `monitorS` the monitors' interval (default 2 s). */
export function appVipGroup(vip: string, opts: { monitorS?: number; meta?: string } = {}): string {
  const iv = `${opts.monitorS ?? 2}s`;
  return `<group id="grp">${opts.meta ? `\n    ${opts.meta}` : ''}
    <primitive id="app" class="ocf" provider="pacemaker" type="Dummy">
      <instance_attributes id="app-ia"><nvpair id="app-state" name="state" value="${APP_STATE}"/></instance_attributes>
      <operations><op id="app-mon" name="monitor" interval="${iv}" timeout="20s"/></operations>
    </primitive>
    <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
      <instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="${vip}"/><nvpair id="vip-mask" name="cidr_netmask" value="24"/><nvpair id="vip-nic" name="nic" value="eth0"/></instance_attributes>
      <operations><op id="vip-mon" name="monitor" interval="${iv}" timeout="20s"/></operations>
    </primitive>
  </group>`;
}
