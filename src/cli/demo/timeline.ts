// The demo's timeline: what the client saw (which node answered, when), turned into changes and failover figures.
// Pure: samples and times in (epoch ms), changes and report lines out, so tests replay a demo without namespaces.

/** One answer (or failed request) of the client polling the VIP. */
export interface ClientSample {
  /** When the answer or the failure arrived, epoch ms. */
  readonly at: number;
  /** Node name in the answer; undefined when the request failed (timeout, refused). */
  readonly server?: string;
}

/** A change of who serves: `to` undefined = the VIP stopped answering. */
export interface ServingChange {
  readonly at: number;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/**
 * Follows who serves. Requests overlap (one starts every poll interval whatever the others do), so a failure
 * only counts as "no answer" once no answer at all came for `quietMs`; a success counts at once.
 */
export class ServingTracker {
  private current: string | undefined;
  private started = false;
  private lastAnswerAt = -Infinity;
  constructor(private readonly quietMs: number) {}

  /** Who serves now, as far as the tracker knows (undefined: nobody answers). */
  get serving(): string | undefined { return this.current; }

  /** Feeds one sample; returns the change it makes, if any. */
  feed(s: ClientSample): ServingChange | undefined {
    if (s.server !== undefined) {
      this.lastAnswerAt = s.at;
      if (this.started && this.current === s.server) return undefined;
      const c = { at: s.at, from: this.current, to: s.server };
      this.current = s.server;
      this.started = true;
      return c;
    }
    if (!this.started || this.current === undefined || s.at - this.lastAnswerAt < this.quietMs) return undefined;
    const c = { at: s.at, from: this.current, to: undefined };
    this.current = undefined;
    return c;
  }
}

/** Every change in a whole list of samples (sorted by time first). */
export function servingChanges(samples: readonly ClientSample[], quietMs: number): ServingChange[] {
  const t = new ServingTracker(quietMs);
  const out: ServingChange[] = [];
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    const c = t.feed(s);
    if (c) out.push(c);
  }
  return out;
}

/** A move of the service from one node to another, as the client saw it and as the logs dated it. */
export interface MoveReport {
  /** The event that caused the move (crash, restart), epoch ms. */
  readonly causeAt: number;
  /** Last answer from the old node before the first answer from the new one. */
  readonly lastOldAt?: number;
  /** First answer from the new node after the cause. */
  readonly firstNewAt?: number;
  /** First answer from the new node − cause: what a user of the service waited (failover time). */
  readonly serviceBackMs?: number;
  /** Longest stretch without any answer between the last old and the first new answer. */
  readonly gapMs?: number;
  /** When the survivor declared the old node dead (from its log), − cause. */
  readonly detectMs?: number;
  /** First new answer − death declared: the takeover (VIP, service start, ARP, first answer). */
  readonly takeoverMs?: number;
}

/**
 * Measures a move from `oldNode` to `newNode` caused at `causeAt` (epoch ms). `deadAt` = when the new node logged
 * the old one dead (failover only).
 */
export function measureMove(samples: readonly ClientSample[], o: { causeAt: number; oldNode: string; newNode: string; deadAt?: number }): MoveReport {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const firstNew = sorted.find((s) => s.at >= o.causeAt && s.server === o.newNode);
  const lastOld = [...sorted].reverse().find((s) => s.server === o.oldNode && (firstNew === undefined || s.at < firstNew.at));
  const r: { -readonly [K in keyof MoveReport]: MoveReport[K] } = { causeAt: o.causeAt };
  if (lastOld) r.lastOldAt = lastOld.at;
  if (o.deadAt !== undefined) r.detectMs = o.deadAt - o.causeAt;
  if (firstNew) {
    r.firstNewAt = firstNew.at;
    r.serviceBackMs = firstNew.at - o.causeAt;
    if (lastOld) r.gapMs = firstNew.at - lastOld.at;
    if (o.deadAt !== undefined) r.takeoverMs = firstNew.at - o.deadAt;
  }
  return r;
}

/** `1234` → `1.23 s`, `87` → `87 ms`. */
export function formatMs(ms: number): string {
  return Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** `[  7.25s]`: time since the demo started, for every progress line. */
export function stamp(at: number, startAt: number): string {
  return `[${((at - startAt) / 1000).toFixed(2).padStart(6)}s]`;
}

/** The summary of a failover for the newcomer; `ok` false when the service did not come back on the survivor. */
export function failoverSummary(m: MoveReport, o: { oldNode: string; newNode: string; deadtimeMs: number }): { ok: boolean; lines: string[] } {
  if (m.serviceBackMs === undefined) {
    return { ok: false, lines: [`FAILOVER DID NOT HAPPEN: ${o.newNode} never answered on the VIP after ${o.oldNode} crashed` +
      (m.detectMs !== undefined ? ` (it declared ${o.oldNode} dead after ${formatMs(m.detectMs)})` : ` (it never declared ${o.oldNode} dead)`)] };
  }
  const lines = [`Failover time: ${formatMs(m.serviceBackMs)} from the crash of ${o.oldNode} to the first answer from ${o.newNode}`];
  if (m.detectMs !== undefined) lines.push(`  detection: ${o.newNode} declared ${o.oldNode} dead ${formatMs(m.detectMs)} after the crash (deadtime ${formatMs(o.deadtimeMs)})`);
  if (m.takeoverMs !== undefined) lines.push(`  takeover:  VIP added, web server started and answering ${formatMs(m.takeoverMs)} after that`);
  if (m.gapMs !== undefined) lines.push(`  the client got no answer for ${formatMs(m.gapMs)}`);
  return { ok: true, lines };
}

/** Log lines of the daemons worth showing live (heartbeat's wording): deaths, takeovers, failback. */
export function isInterestingLogLine(text: string): boolean {
  return /: is dead|Taking over resource group|mach_down takeover complete\.$|Resources being acquired|Releasing resource group|Acquiring resource group|Heartbeat restart on node|Status update for node .*: status (active|dead)/.test(text);
}
