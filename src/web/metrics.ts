// /metrics: the cluster as Prometheus sees it, kept with prom-client from the daemon's view and its events.
// Names follow ClusterLabs' ha_cluster_exporter where the concept is the same (docs/web.md has the mapping).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BUCKET_MS } from '../config/deadtime-advisor.js';
import type { ClusterEvent } from '../events/ring.js';
import type { ClusterView } from './daemon-view.js';

/** Heartbeat gaps: bounds on multiples of the daemon's 10 ms buckets, so each bucket's count is carried exactly. */
const GAP_BUCKETS = [0.05, 0.1, 0.2, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120];

/** heartbeat's node words → Pacemaker's (`ha_cluster_pacemaker_nodes` status); a dead node has no line. */
const PCMK_NODE_STATUS: Record<string, string> = { active: 'online', up: 'online', init: 'pending' };

export class ClusterMetrics {
  readonly registry = new Registry();
  private readonly nodes = new Gauge({ name: 'ha_cluster_pacemaker_nodes', help: 'Nodes by status (1 or absent), as ha_cluster_exporter', labelNames: ['name', 'status', 'type'], registers: [this.registry] });
  private readonly nodesTotal = new Gauge({ name: 'ha_cluster_pacemaker_nodes_total', help: 'Configured nodes', registers: [this.registry] });
  private readonly resources = new Gauge({ name: 'ha_cluster_pacemaker_resources', help: 'Resource groups (1 or absent), as ha_cluster_exporter', labelNames: ['id', 'node', 'managed', 'role', 'status'], registers: [this.registry] });
  private readonly failCount = new Gauge({ name: 'ha_cluster_pacemaker_fail_count', help: 'Fail count of a resource on a node (crm on), as ha_cluster_exporter', labelNames: ['node', 'resource'], registers: [this.registry] });
  private readonly resourcesTotal = new Gauge({ name: 'ha_cluster_pacemaker_resources_total', help: 'Configured resource groups', registers: [this.registry] });
  private readonly nodeState = new Gauge({ name: 'lifeline_node_status', help: 'Node status in heartbeat\'s words (1 or absent)', labelNames: ['node', 'status'], registers: [this.registry] });
  private readonly linkUp = new Gauge({ name: 'lifeline_link_up', help: 'Whether a node\'s link is up (1) or dead (0)', labelNames: ['node', 'link'], registers: [this.registry] });
  private readonly daemonUp = new Gauge({ name: 'lifeline_daemon_up', help: 'Whether the local daemon answers its control socket', registers: [this.registry] });
  private readonly commUp = new Gauge({ name: 'lifeline_comm_up', help: 'Whether the daemon has heard from every node (heartbeat\'s comm up)', registers: [this.registry] });
  private readonly gaps = new Histogram({ name: 'lifeline_heartbeat_gap_seconds', help: 'Silences between two packets from a node on a link', labelNames: ['node', 'link'], buckets: GAP_BUCKETS, registers: [this.registry] });
  private readonly late = new Counter({ name: 'lifeline_late_heartbeats_total', help: 'Late heartbeat warnings (warntime passed)', labelNames: ['node'], registers: [this.registry] });
  private readonly received = new Counter({ name: 'lifeline_packets_received_total', help: 'Datagrams received on any medium', registers: [this.registry] });
  private readonly sent = new Counter({ name: 'lifeline_packets_sent_total', help: 'Messages sent', registers: [this.registry] });
  private readonly dropped = new Counter({ name: 'lifeline_packets_dropped_total', help: 'Packets dropped, by reason (membership\'s words or the wire\'s diagnostic code)', labelNames: ['reason'], registers: [this.registry] });
  private readonly rexmit = new Counter({ name: 'lifeline_retransmissions_total', help: 'Retransmissions sent on a peer\'s request', registers: [this.registry] });
  private readonly failovers = new Counter({ name: 'lifeline_failovers_total', help: 'Takeovers completed after a node death (mach_down takeover complete)', registers: [this.registry] });
  private readonly deaths = new Counter({ name: 'lifeline_node_deaths_total', help: 'Nodes declared dead', labelNames: ['node'], registers: [this.registry] });
  private readonly detection = new Histogram({ name: 'lifeline_failover_detection_seconds', help: 'Silence from the last packet heard to the death declaration', buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly takeover = new Histogram({ name: 'lifeline_failover_takeover_seconds', help: 'From the death declaration to the takeover\'s end', buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly ops = new Counter({ name: 'lifeline_resource_operations_total', help: 'Resource agent runs by action and result', labelNames: ['resource', 'action', 'result'], registers: [this.registry] });
  private readonly opSeconds = new Histogram({ name: 'lifeline_resource_operation_seconds', help: 'Resource agent run times', labelNames: ['action'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  readonly authFailures = new Counter({ name: 'lifeline_web_auth_failures_total', help: 'Web requests refused for a missing or wrong token', registers: [this.registry] });
  readonly refused = new Counter({ name: 'lifeline_web_refused_total', help: 'Web requests refused, by HTTP status', labelNames: ['status'], registers: [this.registry] });
  /** The daemon's cumulative counters as last seen, to turn them into increments (a restarted daemon starts again at 0). */
  private readonly lastSeen = new Map<string, number>();

  private mirror(key: string, value: number, inc: (by: number) => void): void {
    const prev = this.lastSeen.get(key) ?? 0;
    const by = value >= prev ? value - prev : value;
    if (by > 0) inc(by);
    this.lastSeen.set(key, value);
  }

  /** Brings every gauge and mirrored counter to the view; `fresh` events feed the event-driven series. */
  update(v: ClusterView, fresh: readonly ClusterEvent[]): void {
    this.daemonUp.set(v.daemonUp ? 1 : 0);
    for (const e of fresh) this.observe(e);
    const s = v.status;
    if (!s) return;
    this.commUp.set(s.commUp ? 1 : 0);
    this.nodes.reset(); this.nodeState.reset(); this.linkUp.reset(); this.resources.reset();
    this.nodesTotal.set(s.nodes.length);
    for (const n of s.nodes) {
      const p = PCMK_NODE_STATUS[n.status];
      if (p) this.nodes.set({ name: n.name, status: p, type: 'member' }, 1);
      this.nodeState.set({ node: n.name, status: n.status }, 1);
      if (n.name !== s.node) for (const l of n.links) this.linkUp.set({ node: n.name, link: l.name }, l.status === 'up' ? 1 : 0);
    }
    this.failCount.reset();
    if (s.crm) {
      // crm on: one line per primitive and node it is active on, as the exporter writes crm_mon's resources.
      const crm = v.crm ?? [];
      this.resourcesTotal.set(crm.length);
      for (const r of crm) {
        const status = r.failed ? 'failed' : 'active';
        const managed = String(r.managed);
        if (r.nodes.length === 0) this.resources.set({ id: r.id, node: '', managed, role: 'stopped', status }, 1);
        for (const n of r.nodes) this.resources.set({ id: r.id, node: n, managed, role: 'started', status }, 1);
        for (const [node, count] of Object.entries(r.failsOn)) this.failCount.set({ node, resource: r.id }, count);
      }
    } else {
      const groups = v.resources?.groups ?? [];
      this.resourcesTotal.set(groups.length);
      for (const g of groups) {
        this.resources.set({ id: g.key, node: g.heldBy ?? '', managed: 'true', role: g.heldBy ? 'started' : 'stopped', status: 'active' }, 1);
      }
    }
    const c = s.counters;
    this.mirror('received', c.received ?? 0, (by) => this.received.inc(by));
    this.mirror('sent', c.sent ?? 0, (by) => this.sent.inc(by));
    this.mirror('rexmit', c.rexmitsSent ?? 0, (by) => this.rexmit.inc(by));
    for (const [k, val] of Object.entries(c)) {
      const m = /^(?:dropped|bad)\.(.+)$/.exec(k);
      if (m) this.mirror(k, val, (by) => this.dropped.inc({ reason: m[1]! }, by));
    }
    for (const [node, n] of Object.entries(v.lateByNode)) this.mirror(`late:${node}`, n, (by) => this.late.inc({ node }, by));
    for (const g of v.gaps) this.gapsFrom(g.node, g.link, g.hist.buckets);
  }

  /** The daemon's 10 ms buckets → observations at each bucket's middle, only the counts new since the last look. */
  private gapsFrom(node: string, link: string, buckets: Record<number, number>): void {
    for (const [b, n] of Object.entries(buckets)) {
      const seconds = ((Number(b) + 0.5) * BUCKET_MS) / 1000;
      this.mirror(`gap:${node}:${link}:${b}`, n, (by) => { for (let i = 0; i < by; i++) this.gaps.observe({ node, link }, seconds); });
    }
  }

  private observe(e: ClusterEvent): void {
    if (e.kind === 'node-dead') {
      this.deaths.inc({ node: e.node ?? '' });
      if (e.detectionMs !== undefined) this.detection.observe(e.detectionMs / 1000);
    } else if (e.kind === 'takeover-done') {
      this.failovers.inc();
      if (e.sinceDeathMs !== undefined) this.takeover.observe(e.sinceDeathMs / 1000);
    } else if (e.kind === 'resource-op') {
      this.ops.inc({ resource: e.resource ?? '', action: e.reason ?? '', result: e.ok ? 'ok' : 'failed' });
      if (e.durationMs !== undefined) this.opSeconds.observe({ action: e.reason ?? '' }, e.durationMs / 1000);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
