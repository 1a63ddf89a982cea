// The resource layer as the daemon's second consumer of membership effects: haresources failover between two nodes.
// Membership effects go through the bridge into the ownership machine's driver; its messages go back through membership.
import type { HaCf } from '../config/hacf-model.js';
import type { LoadedConfig } from '../config/load.js';
import type { MembershipEffect } from '../membership/index.js';
import { defaultAgentContext } from '../resources/agents/lookup.js';
import { ResourceDriver } from '../resources/driver.js';
import { bridge, initialBridgeState, type BridgeState } from '../resources/membership-bridge.js';
import { resourceMessageToHa } from '../resources/messages.js';
import { nodeName } from '../types.js';
import { resourceView } from '../resources/view.js';
import type { ConsumerApi, ControlRequest, DaemonOptions, EffectConsumer } from './consumer.js';
import { GapConsumer } from './gaps.js';
import { haresourcesFencing, type Fencing } from './fencing-wiring.js';

/** The words `hb_standby` and `hb_takeover` accept (heartbeat's scripts check the same list). */
export const STANDBY_WORDS = ['all', 'foreign', 'local', 'failback'] as const;

/** How long a graceful stop waits for the resources to be released before the daemon exits anyway. */
const RELEASE_TIMEOUT_MS = 120_000;

/**
 * The consumers the configuration asks for: the haresources manager when ha.cf says `pacemaker off`, has
 * exactly two nodes (heartbeat's haresources protocol is a two-node one) and haresources names groups.
 */
export async function builtinConsumers(cfg: LoadedConfig & { haCf: HaCf }, o: DaemonOptions): Promise<EffectConsumer[]> {
  const h = cfg.haCf;
  const me = o.nodeName.toLowerCase();
  const peers = h.nodes.filter((n) => n !== me);
  // The gap histogram for `lifeline advise` runs in every daemon.
  const always: EffectConsumer[] = [new GapConsumer(h, me)];
  // `crm on` / `pacemaker on`: the CRM manages resources (haresources is not read).
  // The CRM (about 70 modules: CIB, scheduler, controller, executor) is loaded only when ha.cf turns it on; a
  // haresources daemon never parses it (docs/bench.md, footprint).
  if (h.pacemaker !== 'off') {
    const { CrmConsumer } = await import('./crm.js');
    return [new CrmConsumer(h, o), ...always];
  }
  if (h.pacemaker !== 'off' || h.nodes.length !== 2 || peers.length !== 1 || !cfg.groups || cfg.groups.length === 0) return always;
  const rc = new ResourceConsumer(cfg, o, peers[0]!);
  // /etc/ha.d/monitors (daemon/monitors.ts) first, so its timers stop before the resources are released.
  const monitors = cfg.monitors?.length ? [new (await import('./monitors.js')).MonitorConsumer({ ...cfg, groups: cfg.groups }, cfg.monitors, me, rc)] : [];
  return [...monitors, rc, ...always];
}

/** Feeds membership effects to the resource driver; releases everything on stop. */
export class ResourceConsumer implements EffectConsumer {
  readonly name = 'resources';
  private driver: ResourceDriver | undefined;
  private bridgeState: BridgeState = initialBridgeState;
  private released: (() => void) | undefined;
  private fencing: Fencing | undefined;

  constructor(private readonly cfg: LoadedConfig & { haCf: HaCf }, private readonly o: DaemonOptions, private readonly peer: string) {}

  start(api: ConsumerApi): void {
    const h = this.cfg.haCf;
    // The STONITH device of this node (ha.cf's last stonith/stonith_host line for it), run as heartbeat runs it.
    this.fencing = haresourcesFencing(h, this.o.nodeName, api, (node) => this.driver?.feed({ type: 'stonith-done', node, ok: true }));
    this.driver = new ResourceDriver({
      config: {
        me: nodeName(this.o.nodeName.toLowerCase()), peer: nodeName(this.peer), groups: this.cfg.groups ?? [],
        autoFailback: h.autoFailback, stonith: this.fencing !== undefined, pid: process.pid,
      },
      ...(this.fencing ? { stonith: this.fencing.request } : {}),
      agents: defaultAgentContext((line) => api.log('info', line), { configDir: this.o.configDir }),
      now: api.now,
      send: (msg) => api.send(resourceMessageToHa(msg)),
      log: (level, text) => api.log(level, text),
      onShutdownComplete: (restart) => {
        this.released?.();
        // heartbeat's CauseShutdownRestart: everything is given up; a fresh start (new generation) tells the peer
        // that we hold nothing, and brings us back as a full member.
        if (restart) api.restart('all resources given up after a healed partition');
      },
      onRebootRequired: (r) => api.log('crit', `Resource ${r} could not be stopped: this node must be rebooted by hand`),
      onOp: (resource, action, ok, ms) => api.event({
        kind: 'resource-op', level: ok ? 'info' : 'error', ok, resource, durationMs: Math.round(ms), reason: action,
        text: `${resource} ${action}: ${ok ? 'ok' : 'failed'} (${Math.round(ms)} ms)`,
      }),
    });
  }

  onEffects(effects: readonly MembershipEffect[]): void {
    const d = this.driver;
    if (!d) return;
    for (const e of effects) {
      const r = bridge(this.bridgeState, e, nodeName(this.o.nodeName.toLowerCase()), nodeName(this.peer));
      this.bridgeState = r.state;
      for (const ev of r.events) {
        if (ev.type === 'comm-up') this.fencing?.start();
        d.feed(ev);
      }
    }
  }

  /**
   * Control requests: `resources` (rscstatus and who holds each group), `standby` / `takeover` with `which`
   * (hb_standby / hb_takeover). Other requests are not ours (undefined).
   */
  control(req: ControlRequest): unknown {
    const d = this.driver;
    if (!d) return undefined;
    switch (req.cmd) {
      case 'resources':
        return { ok: true, ...resourceView(d.state) };
      case 'standby': case 'takeover': {
        const which = req.which ?? 'all';
        if (typeof which !== 'string' || !(STANDBY_WORDS as readonly string[]).includes(which)) {
          return { ok: false, error: `${req.cmd}: expected all, foreign, local or failback, found "${String(which)}"` };
        }
        if (this.cfg.haCf.autoFailback === 'legacy') {
          return { ok: false, error: `${req.cmd} needs auto_failback on or off in ha.cf (this cluster runs auto_failback legacy)` };
        }
        if (d.state.shutdown !== 'no') return { ok: false, error: `${req.cmd}: this node is shutting down` };
        const w = which as (typeof STANDBY_WORDS)[number];
        d.feed(req.cmd === 'standby' ? { type: 'standby', which: w } : { type: 'takeover', which: w });
        return { ok: true };
      }
      default:
        return undefined;
    }
  }

  /** Releases every held group (heartbeat's shutdown: stop resources, tell the peer), bounded in time. */
  async stop(): Promise<void> {
    const d = this.driver;
    if (!d) return;
    if (d.state.shutdown !== 'done') {
      const done = new Promise<void>((r) => { this.released = r; });
      d.feed({ type: 'shutdown' });
      await Promise.race([done, new Promise((r) => setTimeout(r, RELEASE_TIMEOUT_MS).unref())]);
    }
    await d.idle();
    d.close();
    this.fencing?.close();
  }
}
