// Seeded generator of random but valid Pacemaker CIBs within the scheduler's supported feature set.
// Used by the differential test, the campaign script and the benchmark; pure (same seed → same XML).

import { mulberry32 } from '../random.js';

/** The seeded PRNG of the generator, so a failing case is reproducible from its seed. */
export const rng = mulberry32;

/** The effective time every generated CIB is judged at (crm_simulate -t). */
export const GEN_NOW_TEXT = '2026-01-01 00:01:00Z';
export const GEN_NOW = Date.parse('2026-01-01T00:01:00Z') / 1000;
const DIGEST = 'f2317cad3d54cec5d7d7aa7d0bf35cf8'; // md5(" <parameters/>\n"): Dummy without parameters

/** Knobs for the generator; defaults give small, varied clusters. */
export interface GenOptions {
  readonly nodes?: number;
  readonly resources?: number;
  /** Scale constraints with resource count (bench) instead of the small random counts. */
  readonly constraintsPerResource?: number;
}

/** Generates one CIB as XML text from a seed. */
export function generateCib(seed: number, o: GenOptions = {}): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const esc = (s: string) => s;

  const nNodes = o.nodes ?? int(2, 4);
  const nameStyle = pick(['node', 'greek', 'mixed']);
  const greek = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const nodes = Array.from({ length: nNodes }, (_, i) => {
    const uname = nameStyle === 'node' || nNodes > greek.length ? `node${i + 1}` : nameStyle === 'greek' ? greek[i]! : greek[(i * 3) % greek.length]! + (i >= 8 ? i : '');
    const online = o.nodes !== undefined ? true : chance(0.8);
    return { id: String(i + 1), uname, online, standby: o.nodes === undefined && chance(0.12) };
  });
  if (!nodes.some((n) => n.online)) nodes[0]!.online = true;
  const online = nodes.filter((n) => n.online);

  const quorum = o.nodes !== undefined ? true : chance(0.85);
  let nqp = pick(['stop', 'ignore', 'stop']);
  const stonith = o.nodes === undefined && chance(0.04);
  const symmetric = o.nodes !== undefined ? true : chance(0.85);
  const stick = pick(['0', '0', '50', '100', '200', 'INFINITY']);

  interface P { id: string; meta: [string, string][]; running: string | null; fail: number; lastFail: number }
  interface T { id: string; kind: 'primitive' | 'group'; meta: [string, string][]; members: P[] }
  const tops: T[] = [];
  const nRes = o.resources ?? int(1, 7);
  let pid = 0;
  const mkPrim = (): P => {
    const meta: [string, string][] = [];
    if (chance(0.3)) meta.push(['migration-threshold', String(int(1, 3))]);
    if (chance(0.2)) meta.push(['failure-timeout', pick(['30s', '60s', '120s'])]);
    if (chance(0.15)) meta.push(['resource-stickiness', pick(['0', '10', '100', 'INFINITY'])]);
    if (o.nodes === undefined && chance(0.04)) meta.push(['target-role', 'Stopped']);
    if (o.nodes === undefined && chance(0.03)) meta.push(['is-managed', 'false']);
    return { id: `r${++pid}`, meta, running: null, fail: 0, lastFail: 0 };
  };
  for (let made = 0; made < nRes;) {
    if (chance(0.3) && nRes - made >= 2) {
      const k = Math.min(int(2, 3), nRes - made);
      const meta: [string, string][] = [];
      if (chance(0.1)) meta.push(['priority', String(int(1, 5))]);
      if (chance(0.1)) meta.push(['resource-stickiness', pick(['0', '100'])]);
      tops.push({ id: `g${tops.length + 1}`, kind: 'group', meta, members: Array.from({ length: k }, mkPrim) });
      made += k;
    } else {
      const p = mkPrim();
      const meta: [string, string][] = chance(0.1) ? [['priority', String(int(1, 5))]] : [];
      tops.push({ id: p.id, kind: 'primitive', meta, members: [{ ...p, meta: [...p.meta, ...meta] }] });
      made += 1;
    }
  }
  // Current state: whole groups (or a prefix of them) running on one online node; some failures recorded.
  for (const t of tops) {
    if (!chance(0.6) || online.length === 0) continue;
    const n = pick(online).uname;
    const upto = t.kind === 'group' && chance(0.2) ? int(1, t.members.length) : t.members.length;
    t.members.slice(0, upto).forEach((m) => { m.running = n; });
  }
  for (const t of tops) for (const m of t.members) {
    if (chance(0.25)) { m.fail = int(1, 3); m.lastFail = GEN_NOW - pick([10, 50, 100, 200]); }
  }
  const ids = tops.map((t) => t.id);
  const allPrims = tops.flatMap((t) => t.members.map((m) => m.id));
  const score = () => pick(['-INFINITY', '-100', '-10', '10', '50', '100', '200', 'INFINITY']);
  const cons: string[] = [];
  const nLoc = o.constraintsPerResource !== undefined ? Math.round(nRes * o.constraintsPerResource) : int(0, 4);
  for (let i = 0; i < nLoc; i++) {
    const rsc = chance(0.85) ? pick(ids) : pick(allPrims);
    const node = pick(nodes).uname;
    const id = chance(0.1) ? `cli-prefer-${rsc}` : `loc${i}`;
    if (cons.some((c) => c.includes(`id="${id}"`))) continue;
    cons.push(`<rsc_location id="${id}" rsc="${rsc}" node="${node}" score="${id.startsWith('cli-') ? 'INFINITY' : score()}"/>`);
  }
  if (o.nodes === undefined && chance(0.15)) {
    const n = pick(nodes).uname;
    cons.push(`<rsc_location id="locrule" rsc="${pick(ids)}"><rule id="locrule-r" score="${score()}" boolean-op="and"><expression id="locrule-e" attribute="#uname" operation="${pick(['eq', 'ne'])}" value="${n}"/></rule></rsc_location>`);
  }
  const nCol = o.constraintsPerResource !== undefined ? Math.round(nRes * o.constraintsPerResource / 2) : int(0, 3);
  for (let i = 0; i < nCol && ids.length > 1; i++) {
    const a = pick(ids);
    const b = pick(ids.filter((x) => x !== a));
    cons.push(`<rsc_colocation id="col${i}" rsc="${a}" with-rsc="${b}" score="${pick(['-INFINITY', '-50', '50', '100', 'INFINITY'])}"/>`);
  }
  const nOrd = o.constraintsPerResource !== undefined ? Math.round(nRes * o.constraintsPerResource / 2) : int(0, 3);
  for (let i = 0; i < nOrd && ids.length > 1; i++) {
    const ia = int(0, ids.length - 2);
    const a = ids[ia]!, b = ids[int(ia + 1, ids.length - 1)]!; // first before then in list order: no cycles
    const kind = pick(['Mandatory', 'Optional', 'score']);
    cons.push(kind === 'score' ? `<rsc_order id="ord${i}" first="${a}" then="${b}" score="${pick(['0', 'INFINITY'])}"/>` : `<rsc_order id="ord${i}" first="${a}" then="${b}" kind="${kind}"/>`);
  }

  // Later additions draw only after everything above, so older seeds keep their resources and constraints.
  if (o.nodes === undefined) {
    if (!quorum && chance(0.3)) nqp = 'freeze';
    for (let i = 0; i < cons.length; i++) {
      if (cons[i]!.startsWith('<rsc_order ') && chance(0.2)) {
        cons[i] = cons[i]!.replace('<rsc_order ', `<rsc_order first-action="${pick(['start', 'stop'])}" then-action="${pick(['start', 'stop'])}" `);
      }
    }
  }
  const metaXml = (id: string, meta: [string, string][]) => meta.length === 0 ? '' :
    `<meta_attributes id="${id}-meta">${meta.map(([k, v]) => `<nvpair id="${id}-meta-${k}" name="${k}" value="${esc(v)}"/>`).join('')}</meta_attributes>`;
  const primXml = (p: P, meta: [string, string][]) => `<primitive id="${p.id}" class="ocf" provider="pacemaker" type="Dummy">${metaXml(p.id, meta)}</primitive>`;
  const resXml = tops.map((t) => t.kind === 'group'
    ? `<group id="${t.id}">${metaXml(t.id, t.meta)}${t.members.map((m) => primXml(m, m.meta)).join('')}</group>`
    : primXml(t.members[0]!, t.members[0]!.meta)).join('\n      ');
  let call = 1;
  const statusXml = nodes.map((n) => {
    if (!n.online) return `<node_state id="${n.id}" uname="${n.uname}" in_ccm="false" crmd="offline" join="down" expected="down"/>`;
    const lrm = tops.flatMap((t) => t.members).map((m) => {
      const key = (rc: number) => `${call}:1:${rc}:00000000-0000-0000-0000-000000000000`;
      const c = call++;
      const op = m.running === n.uname
        ? `<lrm_rsc_op id="${m.id}_last_0" operation_key="${m.id}_start_0" operation="start" interval="0" call-id="${c}" rc-code="0" op-status="0" op-digest="${DIGEST}" transition-key="${key(0)}" transition-magic="0:0;${key(0)}"/>`
        : `<lrm_rsc_op id="${m.id}_last_0" operation_key="${m.id}_monitor_0" operation="monitor" interval="0" call-id="${c}" rc-code="7" op-status="0" op-digest="${DIGEST}" transition-key="${key(7)}" transition-magic="0:7;${key(7)}"/>`;
      return `<lrm_resource id="${m.id}" class="ocf" provider="pacemaker" type="Dummy">${op}</lrm_resource>`;
    }).join('');
    const fails = tops.flatMap((t) => t.members).filter((m) => m.fail > 0 && (m.running === n.uname || (m.running === null && n === online[0])));
    const ta = fails.length === 0 ? '' : `<transient_attributes id="${n.id}"><instance_attributes id="status-${n.id}">${fails.map((m) =>
      `<nvpair id="status-${n.id}-fc-${m.id}" name="fail-count-${m.id}#monitor_10000" value="${m.fail}"/><nvpair id="status-${n.id}-lf-${m.id}" name="last-failure-${m.id}#monitor_10000" value="${m.lastFail}"/>`).join('')}</instance_attributes></transient_attributes>`;
    return `<node_state id="${n.id}" uname="${n.uname}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${n.id}"><lrm_resources>${lrm}</lrm_resources></lrm>${ta}</node_state>`;
  }).join('\n    ');
  const nodesXml = nodes.map((n) => n.standby
    ? `<node id="${n.id}" uname="${n.uname}"><instance_attributes id="nodes-${n.id}"><nvpair id="nodes-${n.id}-standby" name="standby" value="on"/></instance_attributes></node>`
    : `<node id="${n.id}" uname="${n.uname}"/>`).join('');
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="${quorum ? 1 : 0}" dc-uuid="${online[0]!.id}">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options">
      <nvpair id="o-stonith" name="stonith-enabled" value="${stonith}"/>
      <nvpair id="o-nqp" name="no-quorum-policy" value="${nqp}"/>
      <nvpair id="o-sym" name="symmetric-cluster" value="${symmetric}"/>
    </cluster_property_set></crm_config>
    <nodes>${nodesXml}</nodes>
    <resources>
      ${resXml}
    </resources>
    <constraints>${cons.join('\n      ')}</constraints>
    <rsc_defaults><meta_attributes id="rsc-options"><nvpair id="rsc-options-stickiness" name="resource-stickiness" value="${stick}"/></meta_attributes></rsc_defaults>
  </configuration>
  <status>
    ${statusXml}
  </status>
</cib>
`;
}
