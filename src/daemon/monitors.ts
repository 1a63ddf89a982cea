// haresources monitoring (what mon did for heartbeat users): runs each monitored resource's monitor/status while
// this node holds its group; a failure restarts it in place up to `restarts` times, then the group goes to the peer.
import type { LoadedConfig } from '../config/load.js';
import type { MonitorSpec } from '../config/monitors.js';
import type { ResourceGroup } from '../config/haresources-model.js';
import type { MembershipEffect } from '../membership/index.js';
import { defaultAgentContext, agentFor } from '../resources/agents/lookup.js';
import type { ResourceView } from '../resources/view.js';
import type { ConsumerApi, ControlRequest, EffectConsumer } from './consumer.js';

/** What `lifeline status` shows per monitored resource. */
export interface MonitorState {
  resource: string;
  intervalMs: number;
  failures: number;
  restarts: number;
  recoveries: number;
  handedOver: number;
  last: 'ok' | 'failed' | 'not run';
}

/** The resource layer as the monitor needs it: its control answers (`resources`, `standby`). */
export interface ResourceControl { control(req: ControlRequest): unknown }

export class MonitorConsumer implements EffectConsumer {
  readonly name = 'monitors';
  private api: ConsumerApi | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly states: MonitorState[];
  /** Restarts used since the group last came to this node (reset when it leaves). */
  private readonly used: number[];

  constructor(private readonly cfg: LoadedConfig & { groups: readonly ResourceGroup[] }, private readonly monitors: readonly MonitorSpec[], private readonly me: string, private readonly resources: ResourceControl) {
    this.states = monitors.map((m) => ({ resource: m.resource, intervalMs: m.intervalMs, failures: 0, restarts: 0, recoveries: 0, handedOver: 0, last: 'not run' }));
    this.used = monitors.map(() => 0);
  }

  start(api: ConsumerApi): void {
    this.api = api;
    this.monitors.forEach((m, i) => this.schedule(i, m.intervalMs));
  }

  onEffects(_effects: readonly MembershipEffect[]): void { /* driven by its own timers */ }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }

  control(req: ControlRequest): unknown {
    return req.cmd === 'monitors' ? { ok: true, monitors: this.states } : undefined;
  }

  private schedule(i: number, ms: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => { this.timers.delete(t); void this.check(i).finally(() => this.schedule(i, this.monitors[i]!.intervalMs)); }, ms);
    this.timers.add(t);
  }

  private async check(i: number): Promise<void> {
    const api = this.api!;
    const m = this.monitors[i]!;
    const st = this.states[i]!;
    const view = this.resources.control({ cmd: 'resources' }) as (ResourceView & { ok: boolean }) | undefined;
    // Only a group this node holds, and not while the resource layer is starting or stopping something.
    if (!view?.ok || view.rscstatus === 'transition') return;
    if (view.groups[m.group]?.heldBy !== this.me) { this.used[i] = 0; return; }
    const group = this.cfg.groups[m.group]!;
    const spec = group.resources.find((r) => r.text === m.resource)!;
    const agent = agentFor(spec, defaultAgentContext((line) => api.log('info', line), { configDir: this.cfg.dir }));
    if (!agent.ok) { api.log('error', `monitor ${m.resource}: ${agent.error.message}`); return; }
    const r = await agent.value.run('monitor', { timeoutMs: m.timeoutMs });
    if (this.stopped) return;
    if (r.running) { st.last = 'ok'; return; }
    st.failures++;
    st.last = 'failed';
    api.log('warn', `Resource ${m.resource} failed its monitor (${r.reason ?? 'not running'}): failure ${st.failures}`);
    if (this.used[i]! < m.restarts) {
      this.used[i]!++;
      st.restarts++;
      api.log('info', `Restarting resource ${m.resource} in place (restart ${this.used[i]} of ${m.restarts})`);
      await agent.value.run('stop', { timeoutMs: m.timeoutMs });
      const s = await agent.value.run('start', { timeoutMs: m.timeoutMs });
      if (s.ok) { st.recoveries++; api.log('info', `Resource ${m.resource} restarted`); return; }
      api.log('error', `Resource ${m.resource} did not restart (${s.reason ?? 'start failed'})`);
    }
    // As hb_standby: the groups this node prefers are "local", the others "foreign".
    const which = group.preferredNode === this.me ? 'local' : 'foreign';
    st.handedOver++;
    this.used[i] = 0;
    api.log('warn', `Resource ${m.resource} failed after ${m.restarts} restart(s): giving ${which} resources to the other node (hb_standby ${which})`);
    const a = this.resources.control({ cmd: 'standby', which }) as { ok: boolean; error?: string } | undefined;
    if (!a?.ok) api.log('error', `monitor ${m.resource}: standby ${which} refused: ${a?.error ?? 'no resource layer'}`);
  }
}
