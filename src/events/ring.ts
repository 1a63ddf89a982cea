// The daemon's bounded ring of structured events (node/link changes, late heartbeats, drops, takeovers with their
// durations, admin commands, resource operations): pure, clock injected; the daemon feeds it, `events` reads it.
import type { MembershipEffect, MembershipState } from '../membership/index.js';

/** Stable event codes, as they appear in `lifeline events`, the web API and the journal. */
export const EVENT_CODES = {
  'node-up': 'LL_EV_NODE_UP', 'node-dead': 'LL_EV_NODE_DEAD', 'node-restarted': 'LL_EV_NODE_RESTARTED',
  'link-up': 'LL_EV_LINK_UP', 'link-dead': 'LL_EV_LINK_DEAD', 'partition-healed': 'LL_EV_PARTITION_HEALED',
  'late-heartbeat': 'LL_EV_LATE_HEARTBEAT', 'packet-dropped': 'LL_EV_PACKET_DROPPED',
  'takeover-start': 'LL_EV_TAKEOVER_START', 'takeover-done': 'LL_EV_TAKEOVER_DONE',
  'command': 'LL_EV_COMMAND', 'resource-op': 'LL_EV_RESOURCE_OP', 'config-reload': 'LL_EV_CONFIG_RELOAD',
  'fence-start': 'LL_EV_FENCE_START', 'fence-done': 'LL_EV_FENCE_DONE', 'fence-failed': 'LL_EV_FENCE_FAILED',
} as const;

export type EventKind = keyof typeof EVENT_CODES;

/** One event. `t` is the daemon's monotonic clock (ms), `at` the wall clock (ms since the epoch). */
export interface ClusterEvent {
  readonly seq: number;
  readonly kind: EventKind;
  readonly code: (typeof EVENT_CODES)[EventKind];
  readonly t: number;
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error' | 'crit';
  readonly text: string;
  readonly node?: string;
  readonly link?: string;
  readonly reason?: string;
  /** resource-op: the resource as haresources writes it. */
  readonly resource?: string;
  /** Late heartbeat: the silence; takeover-done: from takeover start to done; resource-op: the agent's run time. */
  readonly durationMs?: number;
  /** node-dead: silence from the last packet heard to the declaration; takeover-done: the same for the death it follows. */
  readonly detectionMs?: number;
  /** takeover-done: from the death's declaration to the takeover's end. */
  readonly sinceDeathMs?: number;
  readonly ok?: boolean;
}

export type EventInput = Omit<ClusterEvent, 'seq' | 'code' | 't' | 'at'>;

/** Fields of an event that its syslog line carries after the code, in this order, as `key=value`. */
const LINE_FIELDS = ['node', 'link', 'resource', 'reason', 'durationMs', 'detectionMs', 'sinceDeathMs', 'ok'] as const;

/**
 * The syslog/journal form of an event: `event CODE key=value...` with the stable code first, then the event's
 * fields (snake_case, values without spaces quoted), so `grep 'event LL_EV_NODE_DEAD'` finds every death.
 */
export function eventLine(e: ClusterEvent): string {
  const parts = ['event', e.code];
  for (const f of LINE_FIELDS) {
    const v = e[f];
    if (v === undefined) continue;
    const s = String(v);
    parts.push(`${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}=${/^[^\s"=]+$/.test(s) ? s : JSON.stringify(s)}`);
  }
  return parts.join(' ');
}

/** Default capacity: a few hours of a busy cluster; older events fall off the front. */
export const DEFAULT_RING_SIZE = 2000;

/** The ring. `now` is monotonic, `wall` the epoch clock; both injected so tests drive it with numbers. */
export class EventRing {
  private readonly buf: ClusterEvent[] = [];
  private seq = 0;
  /** The last death and takeover start, to give takeover-done its durations. */
  private lastDeath: { t: number; detectionMs?: number } | undefined;
  private takeoverStart: number | undefined;
  /** Events of each kind since start (they outlive the ring): failovers, late heartbeats per node … */
  readonly totals: Partial<Record<EventKind, number>> = {};
  readonly lateByNode: Record<string, number> = {};

  constructor(private readonly now: () => number, private readonly wall: () => number = Date.now,
    readonly capacity = DEFAULT_RING_SIZE, private readonly sink?: (e: ClusterEvent) => void) {}

  /** Appends one event (dropping the oldest beyond capacity) and returns it. */
  add(e: EventInput): ClusterEvent {
    const ev: ClusterEvent = { seq: ++this.seq, code: EVENT_CODES[e.kind], t: Math.round(this.now()), at: Math.round(this.wall()), ...e };
    this.buf.push(ev);
    this.totals[e.kind] = (this.totals[e.kind] ?? 0) + 1;
    if (e.kind === 'late-heartbeat' && e.node) this.lateByNode[e.node] = (this.lateByNode[e.node] ?? 0) + 1;
    if (this.buf.length > this.capacity) this.buf.splice(0, this.buf.length - this.capacity);
    try { this.sink?.(ev); } catch { /* a failing sink must not stop the daemon */ }
    return ev;
  }

  /** Events with seq > `since`, at most `limit` (the oldest first), plus the last seq handed out. */
  since(since = 0, limit = 500): { events: ClusterEvent[]; last: number; first: number } {
    const from = this.buf.findIndex((e) => e.seq > since);
    const events = from < 0 ? [] : this.buf.slice(from, from + Math.max(1, limit));
    return { events, last: this.seq, first: this.buf[0]?.seq ?? this.seq + 1 };
  }

  /** Membership effects after one step (`s` is the state after it): node/link changes, deaths with detection time. */
  fromEffects(effects: readonly MembershipEffect[], s: MembershipState): void {
    for (const e of effects) {
      if (e.kind === 'node-status' && e.node !== s.config.self) {
        if (e.status === 'dead' && e.previous !== 'dead') {
          const heard = Object.values(s.peers[e.node]?.links ?? {}).map((l) => l.lastUpdate).filter((x) => x > 0);
          const detectionMs = heard.length ? Math.round(this.now() - Math.max(...heard)) : undefined;
          this.lastDeath = { t: this.now(), ...(detectionMs !== undefined ? { detectionMs } : {}) };
          this.add({ kind: 'node-dead', level: 'warn', node: e.node, text: `node ${e.node} is dead`, ...(detectionMs !== undefined ? { detectionMs } : {}) });
        } else if (e.previous === 'dead' || e.previous === 'init') {
          if (e.status !== 'dead') this.add({ kind: 'node-up', level: 'info', node: e.node, text: `node ${e.node}: ${e.previous} -> ${e.status}` });
        }
      } else if (e.kind === 'link-status') {
        const up = e.status === 'up';
        this.add({ kind: up ? 'link-up' : 'link-dead', level: up ? 'info' : 'warn', node: e.node, link: e.medium, text: `link ${e.node} ${e.medium} is ${e.status}` });
      } else if (e.kind === 'node-restarted') {
        this.add({ kind: 'node-restarted', level: 'info', node: e.node, text: `node ${e.node} restarted (generation ${e.generation})` });
      } else if (e.kind === 'partition-healed') {
        this.add({ kind: 'partition-healed', level: 'crit', node: e.node, text: `node ${e.node} came back after a partition` });
      }
    }
  }

  /** A log line in heartbeat's words that is an event: late heartbeats, drops, takeovers, fencing, reloads. */
  fromLog(level: string, text: string): void {
    let m;
    if ((m = /^Late heartbeat: Node (\S+): interval (\d+) ms/.exec(text))) {
      this.add({ kind: 'late-heartbeat', level: level === 'crit' ? 'crit' : 'warn', node: m[1]!, durationMs: Number(m[2]), text });
    } else if ((m = /^dropped packet from (\S+) on (\S+): .*\[(LL_[A-Z0-9_]+)\]/.exec(text))) {
      this.add({ kind: 'packet-dropped', level: 'warn', link: m[2]!, reason: m[3]!, text });
    } else if (/^Taking over resource group /.test(text)) {
      if (this.takeoverStart === undefined) this.takeoverStart = this.now();
      this.add({ kind: 'takeover-start', level: 'info', text });
    } else if (/^mach_down takeover complete/.test(text)) {
      // heartbeat's wording has two lines per takeover ("… for node X." and "… complete."): the first one counts.
      if (this.takeoverStart === undefined && this.lastDeath === undefined) return;
      const now = this.now();
      const start = this.takeoverStart ?? now;
      const d = this.lastDeath;
      this.takeoverStart = undefined;
      this.add({
        kind: 'takeover-done', level: 'info', text, durationMs: Math.round(now - start),
        ...(d ? { sinceDeathMs: Math.round(now - d.t), ...(d.detectionMs !== undefined ? { detectionMs: d.detectionMs } : {}) } : {}),
      });
      this.lastDeath = undefined;
    } else if ((m = /^Resetting node (\S+) with \[/.exec(text))) {
      this.add({ kind: 'fence-start', level: 'info', node: m[1]!, text });
    } else if ((m = /^node (\S+) now reset\.$/.exec(text))) {
      this.add({ kind: 'fence-done', level: 'info', node: m[1]!, ok: true, text });
    } else if ((m = /^(?:Host (\S+) not reset!|STONITH of (\S+) (?:failed|timed out))/.exec(text))) {
      this.add({ kind: 'fence-failed', level: 'error', node: (m[1] ?? m[2])!, ok: false, text });
    } else if (/^Configuration reload(ed| refused)/.test(text)) {
      this.add({ kind: 'config-reload', level: /refused/.test(text) ? 'error' : 'info', ok: !/refused/.test(text), text });
    }
  }

  /** An administrative request on the control socket (standby/takeover), recorded before it is carried out. */
  fromControl(req: { cmd: string; [k: string]: unknown }): void {
    if (req.cmd !== 'standby' && req.cmd !== 'takeover') return;
    const which = typeof req.which === 'string' ? req.which : 'all';
    this.add({ kind: 'command', level: 'info', reason: `${req.cmd} ${which}`, text: `command ${req.cmd} ${which}${typeof req.via === 'string' ? ` (via ${req.via})` : ''}` });
  }

  /** The control-socket answer to `{cmd:"events", since?, limit?}`. */
  answer(req: { readonly [k: string]: unknown }): unknown {
    const since = typeof req.since === 'number' && req.since >= 0 ? req.since : 0;
    const limit = typeof req.limit === 'number' && req.limit > 0 ? Math.min(req.limit, 1000) : 500;
    return { ok: true, capacity: this.capacity, totals: this.totals, lateByNode: this.lateByNode, ...this.since(since, limit) };
  }
}
