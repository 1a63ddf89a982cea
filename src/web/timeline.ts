// The failover timeline as a picture: cluster events on a wall-clock axis, each failover drawn as a detection band
// (last packet heard → death declared) and a takeover band (→ takeover complete). Pure: events and "now" in, SVG out.
import type { ClusterEvent } from '../events/ring.js';

/** One failover as the timeline draws it (wall-clock ms). */
export interface Failover {
  readonly node: string;
  /** When the dead node was last heard (death minus its detection time), if the daemon measured it. */
  readonly lastHeardAt: number;
  readonly deadAt: number;
  readonly detectionMs: number | undefined;
  /** Set once a takeover completed after this death. */
  readonly doneAt?: number;
  /** From the death's declaration to the takeover's end, as the daemon measured it. */
  readonly takeoverMs?: number;
}

/** Pairs each node death with the takeover that completed after it (before the next death). */
export function failovers(events: readonly ClusterEvent[]): Failover[] {
  const out: Failover[] = [];
  let open: Failover | undefined;
  for (const e of events) {
    if (e.kind === 'node-dead') {
      if (open) out.push(open);
      open = { node: e.node ?? '?', deadAt: e.at, lastHeardAt: e.at - (e.detectionMs ?? 0), detectionMs: e.detectionMs };
    } else if (e.kind === 'takeover-done' && open) {
      out.push({ ...open, doneAt: e.at, takeoverMs: e.sinceDeathMs ?? e.at - open.deadAt });
      open = undefined;
    }
  }
  if (open) out.push(open);
  return out;
}

export interface TimelineOptions {
  readonly width?: number;
  /** The axis never spans less than this (a fresh cluster's events are not squashed into a corner). */
  readonly minWindowMs?: number;
  /** …nor more: older events fall off the left edge. */
  readonly maxWindowMs?: number;
}

const LANES = ['nodes', 'failovers', 'resources', 'admin'] as const;
const LANE_OF: Partial<Record<ClusterEvent['kind'], (typeof LANES)[number]>> = {
  'node-up': 'nodes', 'node-dead': 'nodes', 'node-restarted': 'nodes', 'link-up': 'nodes', 'link-dead': 'nodes',
  'partition-healed': 'nodes', 'late-heartbeat': 'nodes', 'packet-dropped': 'nodes',
  'takeover-start': 'resources', 'takeover-done': 'resources', 'resource-op': 'resources',
  'fence-start': 'failovers', 'fence-done': 'failovers', 'fence-failed': 'failovers',
  'command': 'admin', 'config-reload': 'admin',
};
const LANE_H = 34;
const LEFT = 90;
const TOP = 8;

/** Escapes text for SVG/HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "14:03:07" in UTC: the axis labels (the page says UTC). */
function hms(at: number): string {
  return new Date(at).toISOString().slice(11, 19);
}

/** A duration as people read it: 840 ms, 2.31 s. */
export function fmtMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The axis: from the oldest event kept (bounded by the window limits) to now. */
export function axis(events: readonly ClusterEvent[], now: number, o: TimelineOptions = {}): { from: number; to: number } {
  const min = o.minWindowMs ?? 60_000;
  const max = o.maxWindowMs ?? 6 * 3600_000;
  const oldest = events.length ? events[0]!.at : now;
  const span = Math.min(max, Math.max(min, now - oldest + min / 10));
  return { from: now - span, to: now };
}

/** The timeline SVG: lanes, a time axis with ticks, one mark per event (title = its text), failover bands labelled with their durations. */
export function timelineSvg(events: readonly ClusterEvent[], now: number, o: TimelineOptions = {}): string {
  const width = o.width ?? 960;
  const { from, to } = axis(events, now, o);
  const x = (at: number) => LEFT + ((Math.max(from, Math.min(to, at)) - from) / (to - from)) * (width - LEFT - 10);
  const laneY = (l: (typeof LANES)[number]) => TOP + LANES.indexOf(l) * LANE_H;
  const height = TOP + LANES.length * LANE_H + 24;
  const p: string[] = [];
  p.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" data-from="${from}" data-to="${to}">`);
  for (const l of LANES) {
    const y = laneY(l);
    p.push(`<rect class="lane" x="${LEFT}" y="${y}" width="${width - LEFT - 10}" height="${LANE_H - 4}"/><text class="lane-label" x="4" y="${y + 20}">${l}</text>`);
  }
  const axisY = TOP + LANES.length * LANE_H;
  const step = tickStep(to - from);
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    p.push(`<line class="tick" x1="${x(t).toFixed(1)}" y1="${TOP}" x2="${x(t).toFixed(1)}" y2="${axisY}"/><text class="tick-label" x="${x(t).toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${hms(t)}</text>`);
  }
  for (const f of failovers(events)) {
    if ((f.doneAt ?? f.deadAt) < from) continue;
    const y = laneY('failovers');
    const attrs = `data-node="${esc(f.node)}" data-detection-ms="${f.detectionMs ?? ''}" data-takeover-ms="${f.takeoverMs ?? ''}"`;
    p.push(`<g class="failover" ${attrs}>`);
    const x0 = x(f.lastHeardAt), x1 = x(f.deadAt);
    p.push(`<rect class="detection" x="${x0.toFixed(1)}" y="${y}" width="${Math.max(2, x1 - x0).toFixed(1)}" height="${LANE_H - 4}"><title>${esc(`${f.node}: last heard ${hms(f.lastHeardAt)}, declared dead ${hms(f.deadAt)}`)}</title></rect>`);
    let label = `${f.node} dead: detection ${f.detectionMs !== undefined ? fmtMs(f.detectionMs) : '?'}`;
    if (f.doneAt !== undefined) {
      const x2 = x(f.doneAt);
      p.push(`<rect class="takeover" x="${x1.toFixed(1)}" y="${y}" width="${Math.max(2, x2 - x1).toFixed(1)}" height="${LANE_H - 4}"><title>${esc(`takeover complete ${hms(f.doneAt)}`)}</title></rect>`);
      label += `, takeover ${fmtMs(f.takeoverMs ?? 0)}`;
    }
    const anchor = x0 > width / 2 ? 'end' : 'start';
    p.push(`<text class="failover-label" x="${(anchor === 'end' ? x(f.doneAt ?? f.deadAt) : x0).toFixed(1)}" y="${y + 20}" text-anchor="${anchor}">${esc(label)}</text></g>`);
  }
  for (const e of events) {
    const lane = LANE_OF[e.kind];
    if (!lane || e.at < from) continue;
    const cx = x(e.at).toFixed(1);
    const cy = laneY(lane) + (LANE_H - 4) / 2;
    p.push(`<circle class="ev ev-${e.kind} lvl-${e.level}" cx="${cx}" cy="${cy}" r="4" data-seq="${e.seq}"><title>${esc(`${hms(e.at)} ${e.code} ${e.text}`)}</title></circle>`);
  }
  p.push('</svg>');
  return p.join('');
}

/** A tick every 10 s … 1 h, so the axis carries 4 to 12 labels. */
function tickStep(spanMs: number): number {
  for (const s of [10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000]) if (spanMs / s <= 12) return s;
  return 3_600_000;
}
