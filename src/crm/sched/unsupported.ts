// The one list of CIB features the scheduler refuses rather than decide wrongly (crm simulate, configure verify).
// Pure: reads the parsed CIB only.
import { type Cib, type PrimitiveDef, type CloneDef, isTrue, primitivesOf } from '../cib.js';
import { paramsDigest } from './rules.js';
import { ticketUnsupported } from './tickets.js';
import { onlineStatusFencing } from './fencing.js';
import { promotableUnsupported } from './promotable-unsupported.js';

/** Options of unsupportedFeatures(). */
export interface UnsupportedOptions {
  /** Check the configuration only (`crm configure verify`): leave out what comes from the status section
   *  (node states, operation history, quorum), which a configuration being written does not have yet. */
  readonly configurationOnly?: boolean;
}

/** Names of features this CIB uses that the scheduler refuses rather than decide wrongly. The one list both
 *  the scheduler's callers and `crm configure verify` use. */
export function unsupportedFeatures(cib: Cib, opts: UnsupportedOptions = {}): string[] {
  const statusToo = !opts.configurationOnly;
  const out = [...cib.unsupported];
  const stonith = isTrue(cib.options.get('stonith-enabled') ?? 'true');
  const nqp = cib.options.get('no-quorum-policy') ?? 'stop';
  if (statusToo && !cib.haveQuorum && !['stop', 'ignore', 'freeze'].includes(nqp)) out.push(`no-quorum-policy=${nqp} without quorum`);
  const ps = cib.options.get('placement-strategy');
  if (ps && ps !== 'default') out.push(`placement-strategy=${ps}`);
  if (cib.options.get('node-health-strategy') && cib.options.get('node-health-strategy') !== 'none') out.push('node health');
  if (isTrue(cib.options.get('enable-startup-probes') === 'false' ? 'true' : undefined)) out.push('enable-startup-probes=false');
  const promotableChild = new Set(cib.resources.flatMap((r) => (r.kind === 'clone' && r.promotable ? [r.child.id] : [])));
  const promotableHistory = (rid: string) => promotableChild.has(rid.replace(/:\d+$/, ''));
  for (const n of statusToo ? cib.nodes : []) {
    const st = n.state;
    // Unclean nodes are decided (fencing.ts); a node that is up but not yet a member (pending) is not.
    const shutdown = (n.transient.get('shutdown') ?? '0') !== '0';
    const pending = st && (stonith ? onlineStatusFencing(st, shutdown, n.transient.get('terminate')).pending : isTrue(st.inCcm) && st.crmd === 'online' && st.join !== 'member');
    if (st && pending && !stonith) out.push(`node join state ${st.join} (${n.uname})`);
    for (const [rid, ops] of n.history) {
      for (const op of ops) {
        if (op.opStatus !== 0 && op.opStatus !== 4) { out.push(`operation with op-status ${op.opStatus} (${rid} on ${n.uname})`); break; }
        const roleOp = op.operation === 'promote' || op.operation === 'demote';
        if (['migrate_to', 'migrate_from', 'notify', 'reload', 'reload-agent'].includes(op.operation) || roleOp && !promotableHistory(rid)) { out.push(`${op.operation} in history (${rid})`); break; }
        if ((op.rc === 8 || op.rc === 9) && !promotableHistory(rid)) { out.push(`promoted role in history (${rid})`); break; }
        if ([5, 6, 190, 191].includes(op.rc)) { out.push(`operation result ${op.rc} (${rid} on ${n.uname})`); break; }
        if (op.operation === 'stop' && op.rc !== op.expectedRc && !stonith) { out.push(`failed stop (${rid} on ${n.uname})`); break; }
      }
    }
  }
  const prims: PrimitiveDef[] = [];
  for (const r of cib.resources) {
    prims.push(...primitivesOf(r));
    for (const [k, v] of r.meta) {
      if (k === 'target-role' && !['Started', 'Stopped', 'started', 'stopped'].includes(v)) out.push(`target-role=${v} (${r.id})`);
      if (r.kind === 'group' && (k === 'ordered' || k === 'collocated') && !isTrue(v)) out.push(`group ${k}=false (${r.id})`);
      if (r.kind === 'clone' && k === 'ordered' && isTrue(v)) out.push(`clone ordered=true (${r.id})`);
      if (r.kind === 'clone' && k === 'clone-min') out.push(`clone-min (${r.id})`);
      if (k === 'multiple-active' || k === 'allow-migrate' && isTrue(v) || k === 'container-attribute-target' || k === 'remote-node' || k === 'container') out.push(`meta ${k} (${r.id})`);
    }
  }
  const ids = new Set<string>();
  for (const p of prims) {
    ids.add(p.id);
    if (p.cls === 'ocf' && p.provider === 'pacemaker' && p.type === 'remote') out.push(`remote node connection (${p.id})`);
    if (p.meta.get('provides') === 'unfencing' || p.meta.get('requires') === 'unfencing') out.push(`unfencing (${p.id})`);
    for (const [k, v] of p.meta) {
      if (k === 'target-role' && !['Started', 'Stopped', 'started', 'stopped'].includes(v)) out.push(`target-role=${v} (${p.id})`);
      if (k === 'remote-node' || k === 'container' || k === 'multiple-active' || (k === 'allow-migrate' && isTrue(v)) || k === 'requires') out.push(`meta ${k} (${p.id})`);
    }
    for (const o of p.ops) if (o.onFail && !['restart', 'ignore', 'stop', 'standby', 'fence'].includes(o.onFail)) out.push(`on-fail=${o.onFail} (${p.id})`);
  }
  for (const r of cib.resources) ids.add(r.id);
  // Clones: what the clone scheduler decides is instance placement, stickiness, failures and locations on the
  // clone; constraints that name a clone (or its child) in colocations and orders are not modelled yet.
  const clones = cib.resources.filter((r): r is CloneDef => r.kind === 'clone');
  const cloneOf = new Map<string, CloneDef>();
  for (const c of clones) { cloneOf.set(c.id, c); cloneOf.set(c.child.id, c); }
  const instanceBase = (rid: string) => { const m = /^(.*):(\d+)$/.exec(rid); return m && cloneOf.get(m[1]!)?.child.id === m[1] ? m[1]! : rid; };
  for (const c of cib.colocations) if (cloneOf.has(c.rsc) || cloneOf.has(c.withRsc)) out.push(`colocation with clone (${c.id})`);
  // Orders between a clone and a primitive or group are decided (clone pseudo-actions); between two clones
  // (interleave), or naming a clone's child, they are not yet.
  for (const o of cib.orders) {
    const f = cloneOf.get(o.first), t = cloneOf.get(o.then);
    if (!f && !t) continue;
    if ((f && f.id !== o.first) || (t && t.id !== o.then) || (f && t)) out.push(`order with clone (${o.id})`);
  }
  for (const l of cib.locations) if (cloneOf.has(l.rsc) && cloneOf.get(l.rsc)!.id !== l.rsc) out.push(`location on a clone's child (${l.id})`);
  // Parameter changes (op-digest mismatch) trigger restarts or reloads that need agent metadata: refuse them.
  const primById = new Map(prims.map((p) => [p.id, p]));
  const digests = new Map<PrimitiveDef, string>();
  const digestOf = (p: PrimitiveDef) => { let d = digests.get(p); if (d === undefined) digests.set(p, d = paramsDigest(p.params)); return d; };
  const activeOn = new Map<string, number>();
  const cloneActive = new Map<string, number>();
  for (const n of statusToo ? cib.nodes : []) {
    for (const [rid, ops] of n.history) {
      const base = instanceBase(rid);
      const p = primById.get(base);
      if (!p) continue;
      const sorted = [...ops].sort((a, b) => a.callId - b.callId);
      let running = false;
      let lastOp: (typeof ops)[number] | undefined;
      for (const op of sorted) {
        if (op.intervalMs === 0) lastOp = op;
        if (op.operation === 'start' || (op.operation === 'monitor' && op.rc !== 7)) running = true;
        else if (op.operation === 'stop' || (op.operation === 'monitor' && op.intervalMs === 0)) running = false;
      }
      const clone = cloneOf.get(base);
      if (running && clone) {
        const unique = isTrue(clone.meta.get('globally-unique') ?? 'false');
        const key = unique ? rid : `${base}@${n.uname}`;
        activeOn.set(key, (activeOn.get(key) ?? 0) + 1);
        cloneActive.set(base, (cloneActive.get(base) ?? 0) + 1);
        const max = parseInt(clone.meta.get('clone-max') ?? String(cib.nodes.length), 10);
        const nodeMax = parseInt(clone.meta.get('clone-node-max') ?? '1', 10);
        if (cloneActive.get(base)! > max) out.push(`more clone instances active than clone-max (${clone.id})`);
        if (!unique && nodeMax !== 1) out.push(`anonymous clone-node-max=${nodeMax} with instances active (${clone.id})`);
        if (unique && rid === base) out.push(`unique clone history without instance number (${rid})`);
        if (unique && !(parseInt(rid.slice(base.length + 1), 10) < max)) out.push(`orphan clone instance (${rid})`);
      } else if (running) activeOn.set(rid, (activeOn.get(rid) ?? 0) + 1);
      if (running && lastOp !== undefined && lastOp.digest !== digestOf(p)) out.push(`resource definition change (${rid} on ${n.uname})`);
    }
  }
  for (const [rid, k] of activeOn) if (k > 1) out.push(`resource active on multiple nodes (${rid})`);
  for (const n of statusToo ? cib.nodes : []) for (const rid of n.history.keys()) if (!ids.has(rid) && !ids.has(instanceBase(rid))) out.push(`orphan resource in status (${rid})`);
  for (const c of cib.colocations) if (c.nodeAttribute) out.push(`colocation node-attribute (${c.id})`);
  out.push(...ticketUnsupported(cib));
  out.push(...promotableUnsupported(cib, statusToo));
  return [...new Set(out)];
}
