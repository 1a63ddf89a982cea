// Keeps, inside the daemon, the histogram of silences between packets per node and link that `lifeline advise`
// turns into keepalive/warntime/deadtime/initdead advice; answers the control request `gaps`.
import type { HaCf } from '../config/hacf-model.js';
import { emptyHistogram, recordGap, type GapHistogram } from '../config/deadtime-advisor.js';
import type { MembershipEffect } from '../membership/index.js';
import type { ConsumerApi, ControlRequest, EffectConsumer } from './consumer.js';

/** Watches each link's last-packet time in membership's state after every step; a jump is one gap. */
export class GapConsumer implements EffectConsumer {
  readonly name = 'gaps';
  private api: ConsumerApi | undefined;
  private readonly last = new Map<string, number>();
  private readonly hist = new Map<string, GapHistogram>();
  private since = 0;

  constructor(private readonly haCf: HaCf, private readonly me: string) {}

  start(api: ConsumerApi): void {
    this.api = api;
    this.since = api.now();
  }

  onEffects(effects: readonly MembershipEffect[]): void {
    const api = this.api;
    if (!api) return;
    // A death or a dead link is an outage, not jitter: the silence that led to it is not a gap to tune on.
    for (const e of effects) {
      if (e.kind === 'node-status' && e.status === 'dead') for (const k of [...this.last.keys()]) { if (k.startsWith(`${e.node}\u0000`)) this.last.delete(k); }
      if (e.kind === 'link-status' && e.status === 'dead') this.last.delete(`${e.node}\u0000${e.medium}`);
    }
    const s = api.membership();
    // A stall of our own process lengthens every silence; those gaps say nothing about the network.
    if (s.stallAt !== undefined && api.now() - s.stallAt < 1000) { this.last.clear(); return; }
    for (const [node, p] of Object.entries(s.peers)) {
      if (node === this.me || p.status === 'dead') continue;
      for (const [link, l] of Object.entries(p.links)) {
        const key = `${node}\u0000${link}`;
        const prev = this.last.get(key);
        if (prev === undefined) { if (l.lastUpdate > s.startAt) this.last.set(key, l.lastUpdate); continue; }
        if (l.lastUpdate <= prev) continue;
        let h = this.hist.get(key);
        if (!h) { h = emptyHistogram(); this.hist.set(key, h); }
        recordGap(h, l.lastUpdate - prev);
        this.last.set(key, l.lastUpdate);
      }
    }
  }

  control(req: ControlRequest): unknown {
    if (req.cmd !== 'gaps') return undefined;
    const h = this.haCf;
    return {
      ok: true,
      observedMs: Math.round((this.api?.now() ?? 0) - this.since),
      timing: { keepalive: h.keepalive, warntime: h.warntime, deadtime: h.deadtime, initdead: h.initdead },
      links: [...this.hist.entries()].map(([k, hist]) => ({ node: k.split('\u0000')[0], link: k.split('\u0000')[1], hist })),
    };
  }
}
