// The deadtime advisor's arithmetic: histograms of observed silences between packets per node and link, and
// FAQ 10's tuning rules made quantitative. Pure: the daemon feeds gaps in, `lifeline advise` prints the result.

/** Silences are counted in buckets of this width; 10 ms is far below any sensible keepalive. */
export const BUCKET_MS = 10;

/** A sparse histogram of gaps in ms: bucket index → count. */
export interface GapHistogram {
  count: number;
  maxMs: number;
  sumMs: number;
  buckets: Record<number, number>;
}

export function emptyHistogram(): GapHistogram {
  return { count: 0, maxMs: 0, sumMs: 0, buckets: {} };
}

export function recordGap(h: GapHistogram, gapMs: number): void {
  const b = Math.floor(Math.max(0, gapMs) / BUCKET_MS);
  h.buckets[b] = (h.buckets[b] ?? 0) + 1;
  h.count++;
  h.sumMs += gapMs;
  if (gapMs > h.maxMs) h.maxMs = gapMs;
}

/** The q-quantile (0..1) as the upper edge of its bucket: never below the true value. */
export function quantile(h: GapHistogram, q: number): number {
  if (h.count === 0) return 0;
  const want = Math.ceil(q * h.count);
  let seen = 0;
  for (const b of Object.keys(h.buckets).map(Number).sort((x, y) => x - y)) {
    seen += h.buckets[b]!;
    if (seen >= want) return Math.min((b + 1) * BUCKET_MS, Math.ceil(h.maxMs));
  }
  return Math.ceil(h.maxMs);
}

/** How many gaps were at least `ms` long. */
export function countAtLeast(h: GapHistogram, ms: number): number {
  let n = 0;
  for (const [b, c] of Object.entries(h.buckets)) if (Number(b) * BUCKET_MS >= ms) n += c;
  return n;
}

export interface Timing { readonly keepalive: number; readonly warntime: number; readonly deadtime: number; readonly initdead: number }

export interface Advice {
  readonly recommended: Timing;
  /** The gap the deadtime is derived from (p99.99, or the worst gap when too few were seen) and its name. */
  readonly basisMs: number;
  readonly basis: string;
  readonly gaps: number;
  /** Below this many gaps p99.99 is a guess: 10 000. */
  readonly enoughData: boolean;
  /** Sentences on what the current settings cost (slow failover) or risk (false failover, warnings). */
  readonly notes: readonly string[];
}

/** Rounds up to a readable step: 100 ms below 10 s, 1 s above. */
function roundUp(ms: number): number {
  const step = ms < 10_000 ? 100 : 1000;
  return Math.ceil(ms / step) * step;
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}` : ms >= 1000 ? `${ms / 1000}` : `${ms}ms`;
}

/**
 * FAQ 10 ("How to tune heartbeat on heavily loaded system?"), quantitative:
 * - deadtime above the observed p99.99 silence times `margin` (default 2) — and above twice keepalive, heartbeat's
 *   own limit, and a quarter above the worst gap ever seen; with fewer than 10 000 gaps the worst gap stands in for
 *   p99.99, with the margin doubled;
 * - warntime at p99.9 times the margin, but below deadtime, so late heartbeats warn before a failover;
 * - initdead twice deadtime (networks and switches come up slowly at boot), at least 10 s as heartbeat warns;
 * - keepalive kept: a shorter one lowers nothing here and costs packets.
 */
export function advise(all: GapHistogram, current: Timing, margin = 2): Advice {
  const enoughData = all.count >= 10_000;
  const basisMs = enoughData ? quantile(all, 0.9999) : Math.ceil(all.maxMs);
  const basis = enoughData ? 'p99.99' : 'worst gap (too few gaps for p99.99)';
  const m = enoughData ? margin : margin * 2;
  const deadtime = roundUp(Math.max(basisMs * m, all.maxMs * 1.25, 2 * current.keepalive + 100));
  const warntime = roundUp(Math.min(Math.max(quantile(all, 0.999) * margin, current.keepalive + 100), deadtime - 100));
  const initdead = roundUp(Math.max(2 * deadtime, 10_000));
  const notes: string[] = [];
  const tooShort = countAtLeast(all, current.deadtime);
  if (tooShort > 0) notes.push(`RISK: ${tooShort} of ${all.count} silences lasted deadtime ${formatMs(current.deadtime)} or longer: each would have declared a live node dead (a false failover).`);
  else if (current.deadtime < basisMs * m) notes.push(`RISK: deadtime ${formatMs(current.deadtime)} leaves less than ${m}x margin over the ${basis} of ${basisMs} ms.`);
  if (current.deadtime > deadtime) notes.push(`COST: deadtime ${formatMs(current.deadtime)} makes every failover wait ${((current.deadtime - deadtime) / 1000).toFixed(1)} s longer than the ${formatMs(deadtime)} the observed gaps allow.`);
  const warned = countAtLeast(all, current.warntime);
  if (warned > 0) notes.push(`${warned} silences reached warntime ${formatMs(current.warntime)} ("late heartbeat" warnings).`);
  if (!enoughData) notes.push(`Only ${all.count} gaps seen: keep the daemon running until at least 10000 (about ${Math.ceil((10_000 * current.keepalive) / 3_600_000)} h at keepalive ${formatMs(current.keepalive)}) for a p99.99.`);
  return { recommended: { keepalive: current.keepalive, warntime, deadtime, initdead }, basisMs, basis, gaps: all.count, enoughData, notes };
}

/** Adds histograms (all links of all nodes: deadtime is one setting for the whole cluster). */
export function mergeHistograms(hs: readonly GapHistogram[]): GapHistogram {
  const out = emptyHistogram();
  for (const h of hs) {
    out.count += h.count;
    out.sumMs += h.sumMs;
    out.maxMs = Math.max(out.maxMs, h.maxMs);
    for (const [b, c] of Object.entries(h.buckets)) out.buckets[Number(b)] = (out.buckets[Number(b)] ?? 0) + c;
  }
  return out;
}
