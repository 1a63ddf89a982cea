// The fencer as a daemon runs it: the pure core on a clock, its launches carried out by the executor's launcher
// (real processes or the in-memory twin), agent metadata learned once per agent, `fence_*` control requests.

import { DeadlineTimer, launchTracked, realClock, processLauncher, type DriverClock, type Launcher } from '../executor/driver.js';
import type { Launched } from '../executor/process.js';
import { capsFromMetadata, metadataCommand, DEFAULT_PATHS, type AgentPaths } from './agent.js';
import { FencerCore } from './core.js';
import { agentKind, configFromCib, type AgentCaps } from './registry.js';
import type { NodeAttrs } from './topology.js';
import type { FenceAction, FenceRequest, FenceResult, FencerEffect, HistoryEntry, LogLevel, Random } from './types.js';

export interface FencerShellOptions {
  readonly nodeName: string;
  readonly launcher?: Launcher;
  readonly clock?: DriverClock;
  readonly log?: (level: LogLevel, text: string) => void;
  readonly paths?: AgentPaths;
  readonly random?: Random;
  readonly nodeAttrs?: NodeAttrs;
  /** Every finished fencing operation (st_notify_fence): the controller confirms the node down on ok. */
  readonly notify?: (r: FenceResult) => void;
  /** How long the metadata of one agent may take (fenced: 5 s per try). */
  readonly metadataTimeoutMs?: number;
}

/** A control-socket request, as the daemon hands it to consumers. */
export interface FenceControlRequest {
  readonly cmd: string;
  readonly [arg: string]: unknown;
}

const ACTIONS: readonly FenceAction[] = ['reboot', 'off', 'on'];

export class Fencer {
  readonly core: FencerCore;
  private readonly launcher: Launcher;
  private readonly clock: DriverClock;
  private readonly log: (level: LogLevel, text: string) => void;
  private readonly running = new Map<number, Launched>();
  private readonly waiting = new Map<number, (r: FenceResult) => void>();
  private readonly caps = new Map<string, AgentCaps | null>();
  private readonly queries = new Set<number>();
  private readonly deadline: DeadlineTimer;
  private closed = false;

  constructor(private readonly o: FencerShellOptions) {
    this.core = new FencerCore({ nodeName: o.nodeName, ...(o.paths ? { paths: o.paths } : {}), ...(o.random ? { random: o.random } : {}), ...(o.nodeAttrs ? { nodeAttrs: o.nodeAttrs } : {}) });
    this.launcher = o.launcher ?? processLauncher();
    this.clock = o.clock ?? realClock;
    this.log = o.log ?? (() => {});
    this.deadline = new DeadlineTimer(this.clock, () => this.apply(this.core.tick(this.clock.now())));
  }

  /**
   * Registers the CIB's stonith: devices, topology and options. Agents not seen before are asked for their
   * metadata first (their actions decide pcmk_host_check's default and the port/plug argument).
   */
  async configure(cibXml: string): Promise<void> {
    const first = configFromCib(cibXml);
    for (const d of first.devices) {
      if (this.caps.has(d.agent) || agentKind(d.agent) === 'lha') continue;
      const text = await this.metadata(d.agent);
      const caps = text === undefined ? undefined : capsFromMetadata(text);
      if (!caps) this.log('warning', `Could not retrieve metadata for fencing agent ${d.agent}`);
      this.caps.set(d.agent, caps ?? null);
    }
    this.apply(this.core.configure(configFromCib(cibXml, (a) => this.caps.get(a) ?? undefined)));
  }

  /** The agent's metadata XML (fence-agents: action=metadata on stdin; cluster-glue: stonith -t TYPE -m). */
  metadata(agent: string): Promise<string | undefined> {
    const cmd = metadataCommand(agent, this.o.paths ?? DEFAULT_PATHS);
    return new Promise((resolve) => {
      let done = false;
      const h = this.launcher.launch(cmd.argv, { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }, cmd.stdin, (exit) => {
        if (done) return;
        done = true;
        this.clock.clearTimer(t);
        resolve(exit.code === 0 ? exit.stdout : undefined);
      });
      const t = this.clock.setTimer(() => { if (!done) { done = true; h.killGroup(); resolve(undefined); } }, this.o.metadataTimeoutMs ?? 5000);
    });
  }

  /** Fences (or unfences) a node; resolves with the result, never rejects. */
  fence(req: FenceRequest): Promise<FenceResult> {
    return new Promise((resolve) => {
      const s = this.core.submit(req, this.clock.now());
      this.waiting.set(s.requestId, resolve);
      this.apply(s.effects);
    });
  }

  /** The devices that can fence `target` (stonith_admin --list), after their host checks ran. */
  capableDevices(target: string, action: FenceAction = 'reboot'): Promise<string[]> {
    return new Promise((resolve) => {
      const s = this.core.submit({ target, action, client: 'stonith_admin', origin: this.o.nodeName }, this.clock.now(), true);
      this.queries.add(s.requestId);
      this.waiting.set(s.requestId, (r) => resolve([...r.devices]));
      this.apply(s.effects);
    });
  }

  /** stonith_admin --confirm. */
  confirm(target: string, client: string, origin: string): FenceResult {
    let out: FenceResult | undefined;
    const fx = this.core.confirm(target, client, origin, this.clock.now());
    for (const e of fx) if (e.kind === 'result') out = e.result;
    this.apply(fx);
    return out!;
  }

  registered(): string[] { return this.core.config.devices.map((d) => d.id); }

  history(target?: string): HistoryEntry[] { return this.core.historyOf(target); }

  /**
   * The `fence_*` control-socket requests (undefined for any other cmd): fence_list_registered,
   * fence_list {target}, fence_request {target, action, client, timeoutMs?, delayMs?}, fence_confirm {target, client},
   * fence_history {target?}.
   */
  control(req: FenceControlRequest): Promise<unknown> | undefined {
    const str = (k: string) => (typeof req[k] === 'string' ? (req[k] as string) : undefined);
    const num = (k: string) => (typeof req[k] === 'number' && Number.isFinite(req[k]) ? (req[k] as number) : undefined);
    const me = this.o.nodeName;
    switch (req.cmd) {
      case 'fence_list_registered': return Promise.resolve({ ok: true, devices: this.registered() });
      case 'fence_history': return Promise.resolve({ ok: true, history: this.history(str('target')), node: me });
      case 'fence_list': {
        const target = str('target');
        if (!target) return Promise.resolve({ ok: false, error: 'fence_list needs a target' });
        return this.capableDevices(target).then((devices) => ({ ok: true, devices }));
      }
      case 'fence_confirm': {
        const target = str('target');
        if (!target) return Promise.resolve({ ok: false, error: 'fence_confirm needs a target' });
        return Promise.resolve({ ok: true, result: this.confirm(target, str('client') ?? 'stonith_admin', me) });
      }
      case 'fence_request': {
        const target = str('target');
        const action = str('action') as FenceAction | undefined;
        if (!target || !action || !ACTIONS.includes(action)) return Promise.resolve({ ok: false, error: 'fence_request needs a target and an action (reboot, off or on)' });
        const timeoutMs = num('timeoutMs'), delayMs = num('delayMs'), device = str('device');
        return this.fence({ target, action, client: str('client') ?? 'stonith_admin', origin: me,
          ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(delayMs !== undefined ? { delayMs } : {}), ...(device ? { device } : {}) })
          .then((result) => ({ ok: true, result }));
      }
      default: return undefined;
    }
  }

  /** Stops the timer; agents still running are killed (no fencing may land after the fencer is gone). */
  stop(): void {
    this.closed = true;
    this.deadline.stop();
    for (const h of this.running.values()) h.killGroup();
    this.running.clear();
  }

  private apply(effects: readonly FencerEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'log': this.log(e.level, e.text); break;
        case 'kill': this.running.get(e.launchId)?.killGroup(); break;
        case 'result': {
          const w = this.waiting.get(e.requestId);
          this.waiting.delete(e.requestId);
          try {
            w?.(e.result);
            // One notification per operation (merged requests share it; --list queries are not fencing).
            if (!e.result.merged && !this.queries.delete(e.requestId)) this.o.notify?.(e.result);
          } catch (err) { this.log('error', `fencing result handler failed: ${(err as Error).message}`); }
          break;
        }
        case 'launch': {
          if (this.closed) break;
          const id = e.launchId;
          const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
          const h = launchTracked(this.launcher, this.running, id, e.argv, env, e.stdin, (exit) => {
            if (!this.closed) this.apply(this.core.exited(id, exit, this.clock.now()));
          });
          if (h?.pid !== undefined) this.core.spawned(id, h.pid);
          break;
        }
      }
    }
    this.arm();
  }

  private arm(): void {
    if (!this.closed) this.deadline.arm(this.core.nextDeadline());
  }
}
