// When the DC must run the scheduler again with nothing happening: the earliest failure-timeout expiry of a fail
// count (Pacemaker's recheck-by), else cluster-recheck-interval. Pure: the parsed CIB and "now" in, a time out.
import { parseIntervalMs, primitivesOf, type Cib } from '../cib.js';

/** Pacemaker's cluster-recheck-interval default. */
export const RECHECK_DEFAULT_MS = 15 * 60_000;

/** failure-timeout (s) of every primitive by id: its own meta, else its group's or clone's, else rsc_defaults. */
function failureTimeouts(cib: Cib): Map<string, number> {
  const out = new Map<string, number>();
  for (const top of cib.resources) {
    for (const p of primitivesOf(top)) {
      const v = p.meta.get('failure-timeout') ?? (top !== p ? top.meta.get('failure-timeout') : undefined) ?? cib.rscDefaults.get('failure-timeout');
      const s = parseIntervalMs(v) / 1000;
      if (s > 0) out.set(p.id, s);
    }
  }
  return out;
}

/**
 * The first second (epoch s) at which a fail count still counted at `nowSec` has expired: the scheduler drops a
 * fail count once now > last-failure + failure-timeout (sched/model.ts), so that is last-failure + timeout + 1.
 * Undefined when no fail count is waiting to expire.
 */
export function nextFailureExpiry(cib: Cib, nowSec: number): number | undefined {
  const timeouts = failureTimeouts(cib);
  if (!timeouts.size) return undefined;
  let best: number | undefined;
  for (const n of cib.nodes) {
    // fail-count-RSC[#op_interval] / last-failure-RSC[#op_interval]: the latest failure of a resource on the node.
    const last = new Map<string, number>(), failed = new Set<string>();
    for (const [k, v] of n.transient) {
      const fc = k.startsWith('fail-count-'), lf = !fc && k.startsWith('last-failure-');
      if (!fc && !lf) continue;
      const rest = k.slice(fc ? 11 : 13), hash = rest.indexOf('#');
      const rsc = hash < 0 ? rest : rest.slice(0, hash);
      if (fc) { if (v !== '0') failed.add(rsc); } else last.set(rsc, Math.max(last.get(rsc) ?? 0, parseInt(v, 10) || 0));
    }
    for (const rsc of failed) {
      const ft = timeouts.get(rsc), lf = last.get(rsc);
      if (ft === undefined || !lf) continue;
      const at = lf + ft + 1;
      if (at > nowSec && (best === undefined || at < best)) best = at;
    }
  }
  return best;
}

/** When (ms) the DC runs the scheduler again if nothing happens before. */
export function recheckAt(cib: Cib, nowMs: number): number {
  const interval = parseIntervalMs(cib.options.get('cluster-recheck-interval')) || RECHECK_DEFAULT_MS;
  const expiry = nextFailureExpiry(cib, Math.floor(nowMs / 1000));
  return Math.min(nowMs + interval, expiry !== undefined ? expiry * 1000 : Infinity);
}
