// The web process's picture of the local daemon: polls its control socket (status, resources, events, gaps)
// a few times a second and tells listeners what changed. The daemon never waits on us: we only ask.
import { controlRequest, queryStatus } from '../daemon/client.js';
import type { StatusSnapshot } from '../daemon/daemon.js';
import type { ClusterEvent, EventKind } from '../events/ring.js';
import type { GapHistogram } from '../config/deadtime-advisor.js';
import type { ResourceView } from '../resources/view.js';
import { crmResources, type CrmResourceView } from './crm-view.js';

/** Everything the page, the API and /metrics show, as of the last poll. */
export interface ClusterView {
  readonly daemonUp: boolean;
  readonly updatedAt: number;
  readonly status?: StatusSnapshot;
  readonly resources?: Pick<ResourceView, 'rscstatus' | 'autoFailback' | 'groups'>;
  /** With crm on: the resources of the CIB, read every `crmMs`. */
  readonly crm?: readonly CrmResourceView[];
  readonly totals: Partial<Record<EventKind, number>>;
  readonly lateByNode: Record<string, number>;
  readonly gaps: readonly { node: string; link: string; hist: GapHistogram }[];
}

/** How many events the web process keeps (the page's timeline and /api/v1/events pages). */
export const KEPT_EVENTS = 2000;

export interface ViewOptions {
  readonly runDir: string;
  /** Poll period; 250 ms keeps pushed updates well inside a second. */
  readonly pollMs?: number;
  /** Gap histograms are heavier and change slowly: every this many ms. */
  readonly gapsMs?: number;
  /** The CIB (crm on) is read this often: a whole-CIB query is the heaviest question. */
  readonly crmMs?: number;
}

/** Polls the daemon; `onChange` listeners hear of a new view (`events` holds only the events new since the last one). */
export class DaemonView {
  view: ClusterView = { daemonUp: false, updatedAt: 0, totals: {}, lateByNode: {}, gaps: [] };
  readonly events: ClusterEvent[] = [];
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastGaps = 0;
  private lastCrm = 0;
  private lastDigest = '';
  private polling = false;
  /** pid/generation of the daemon that answered last. */
  private incarnation = '';
  private readonly listeners = new Set<(v: ClusterView, fresh: readonly ClusterEvent[]) => void>();

  constructor(private readonly o: ViewOptions) {}

  onChange(f: (v: ClusterView, fresh: readonly ClusterEvent[]) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  start(): Promise<void> {
    const loop = async () => {
      await this.poll();
      this.timer = setTimeout(() => void loop(), this.o.pollMs ?? 250);
    };
    return loop();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One round of questions; a daemon that does not answer makes `daemonUp` false and keeps the rest. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const status = await queryStatus(this.o.runDir, 2000);
      if (!status) {
        const changed = this.view.daemonUp;
        this.view = { ...this.view, daemonUp: false, updatedAt: Date.now() };
        if (changed) this.emit([]);
        return;
      }
      // A restarted daemon numbers its events from 1 again: forget the old daemon's and read the new ring from the start.
      const incarnation = `${status.pid}/${status.generation}`;
      if (incarnation !== this.incarnation) {
        if (this.incarnation !== '') { this.since = 0; this.events.length = 0; }
        this.incarnation = incarnation;
      }
      const r = await controlRequest(this.o.runDir, { cmd: 'resources' }, 2000);
      const rv = r?.ok ? (r as unknown as ResourceView) : undefined;
      const ev = await controlRequest(this.o.runDir, { cmd: 'events', since: this.since, limit: 1000 }, 2000);
      let fresh: ClusterEvent[] = [];
      let totals = this.view.totals;
      let lateByNode = this.view.lateByNode;
      if (ev?.ok) {
        const last = ev.last as number;
        if (last < this.since) { this.since = 0; this.events.length = 0; return; }
        fresh = ev.events as ClusterEvent[];
        if (fresh.length) this.since = fresh[fresh.length - 1]!.seq;
        totals = ev.totals as ClusterView['totals'];
        lateByNode = ev.lateByNode as Record<string, number>;
        this.events.push(...fresh);
        if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
      }
      let gaps = this.view.gaps;
      if (Date.now() - this.lastGaps >= (this.o.gapsMs ?? 2000)) {
        const g = await controlRequest(this.o.runDir, { cmd: 'gaps' }, 2000);
        if (g?.ok) gaps = g.links as ClusterView['gaps'];
        this.lastGaps = Date.now();
      }
      let crm = status.crm ? this.view.crm : undefined;
      if (status.crm && Date.now() - this.lastCrm >= (this.o.crmMs ?? 1000)) {
        const q = await controlRequest(this.o.runDir, { cmd: 'cib_query' }, 2000);
        if (q?.ok && typeof q.xml === 'string') crm = crmResources(q.xml, Math.floor(Date.now() / 1000), { dc: status.crm.dc, quorum: status.crm.quorum }) ?? crm;
        this.lastCrm = Date.now();
      }
      this.view = {
        daemonUp: true, updatedAt: Date.now(), status, totals, lateByNode, gaps, ...(crm ? { crm } : {}),
        ...(rv ? { resources: { rscstatus: rv.rscstatus, autoFailback: rv.autoFailback, groups: rv.groups } } : {}),
      };
      // Uptime moves every poll; anything else that moved is worth a push.
      const digest = JSON.stringify([status.nodes, status.commUp, status.counters, this.view.resources, this.view.crm, status.crm?.dc, status.crm?.quorum, totals]);
      if (digest !== this.lastDigest || fresh.length) {
        this.lastDigest = digest;
        this.emit(fresh);
      }
    } finally {
      this.polling = false;
    }
  }

  private emit(fresh: readonly ClusterEvent[]): void {
    for (const f of this.listeners) {
      try { f(this.view, fresh); } catch { /* one listener's trouble is not the others' */ }
    }
  }
}
