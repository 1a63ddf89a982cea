// The `crm on` resources as the page and /api/v1/resources show them: each primitive (group members and clone
// instances too) with its agent, where it runs, whether it failed, and its fail count summed over the nodes.
import { parseXml } from '../crm/xml-lite.js';
import { monModel, type MonPrimitive } from '../crm/client/mon-model.js';

export interface CrmResourceView {
  readonly id: string;
  /** The group or clone it belongs to. */
  readonly parent?: string;
  readonly agent: string;
  readonly heldBy: string | null;
  /** Every node it is active on (more than one: active on several nodes). */
  readonly nodes: readonly string[];
  readonly failed: boolean;
  readonly managed: boolean;
  readonly failCount: number;
  /** Fail counts per node (Migration Summary), the nodes without failures left out. */
  readonly failsOn: Readonly<Record<string, number>>;
}

/** The view of a CIB as cib_query answers it; undefined when it does not parse (the last good view stays). */
export function crmResources(cibXml: string, nowS: number, live: { dc: string | null; quorum: boolean }): CrmResourceView[] | undefined {
  const x = parseXml(cibXml);
  if (!x.ok) return undefined;
  const m = monModel(x.root, nowS, live);
  if (typeof m === 'string') return undefined;
  const fails = new Map<string, Record<string, number>>();
  for (const n of m.failCounts) {
    for (const f of n.rscs) {
      if (f.count <= 0) continue;
      const by = fails.get(f.rsc) ?? {};
      by[n.node] = (by[n.node] ?? 0) + f.count;
      fails.set(f.rsc, by);
    }
  }
  const one = (p: MonPrimitive, parent?: string): CrmResourceView => {
    // A clone instance's failures are counted under the clone's child (fail-count-CHILD): shown on each instance.
    const failsOn = fails.get(p.id) ?? fails.get(p.id.replace(/:\d+$/, '')) ?? {};
    return {
      id: p.id, ...(parent !== undefined ? { parent } : {}), agent: p.agent, heldBy: p.node, nodes: p.nodes, failed: p.failed, managed: p.managed,
      failCount: Object.values(failsOn).reduce((a, b) => a + b, 0), failsOn,
    };
  };
  const out: CrmResourceView[] = [];
  for (const r of m.resources) {
    if (r.kind === 'primitive') out.push(one(r));
    else if (r.kind === 'group') for (const p of r.members) out.push(one(p, r.id));
    else for (const p of r.instances) out.push(one(p, r.id));
  }
  return out;
}
