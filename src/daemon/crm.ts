// The CRM (`crm on` / `pacemaker on` in ha.cf) as the daemon's consumer: membership's members and CRM messages into
// the controller, its effects carried out (sends, the state dir's cib.xml, the real executor), cib_* and crm_status.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HaCf } from '../config/hacf-model.js';
import { formatDiagnostic } from '../errors.js';
import type { MembershipEffect } from '../membership/index.js';
import { isCrmMessage } from '../crm/cluster/index.js';
import { CibWriter, emptyCib, loadCibFiles, CIB_RC, type CibAnswer, type CibChange, type CibVersion } from '../crm/cib-store/index.js';
import type { CibRequest } from '../crm/contract.js';
import { Crmd, type CrmdEffect, type CrmdEvent } from '../crm/controld/index.js';
import { Executor } from '../crm/executor/index.js';
import { fencerConsumer, type FencerConsumer } from '../crm/fencer/consumer.js';
import type { FenceControlRequest } from '../crm/fencer/fencer.js';
import type { FenceAction } from '../crm/fencer/types.js';
import { printXml } from '../crm/cib-store/index.js';
import type { XEl } from '../crm/xml-lite.js';
import type { ConsumerApi, ControlRequest, DaemonOptions, EffectConsumer } from './consumer.js';

/** How often the controller's timers are looked at (messaging retransmits, join and action timeouts). */
const TICK_MS = 100;
const CIB_CMDS = ['cib_query', 'cib_replace', 'cib_modify', 'cib_create', 'cib_delete'] as const;

/** What `crm_status` answers and `lifeline status` shows. */
export interface CrmSnapshot {
  readonly dc: string | null;
  readonly quorum: boolean;
  readonly members: readonly string[];
  readonly cibVersion: string;
  readonly transitions: number;
  readonly idle: boolean;
  readonly counters: Readonly<Record<string, number>>;
}

const isVersion = (v: unknown): v is CibVersion => typeof v === 'object' && v !== null
  && ['adminEpoch', 'epoch', 'numUpdates'].every((k) => Number.isInteger((v as Record<string, unknown>)[k]));

/** A control request as a CIB change, or the reason it is not one. */
export function cibChangeOf(req: ControlRequest): CibChange | string {
  const str = (k: string) => (req[k] === undefined || typeof req[k] === 'string');
  if (!str('xml') || !str('section') || !str('xpath')) return 'xml, section and xpath must be strings';
  const r = { cmd: req.cmd, ...(req.xml !== undefined ? { xml: req.xml } : {}), ...(req.section !== undefined ? { section: req.section } : {}),
    ...(req.xpath !== undefined ? { xpath: req.xpath } : {}) } as CibRequest;
  if (r.cmd !== 'cib_query' && r.cmd !== 'cib_delete' && (r as { xml?: string }).xml === undefined) return `${r.cmd} needs xml`;
  return { req: r, ...(isVersion(req.base) ? { base: req.base } : {}) };
}

export class CrmConsumer implements EffectConsumer {
  readonly name = 'crm';
  private api: ConsumerApi | undefined;
  private crmd: Crmd | undefined;
  private exec: Executor | undefined;
  /** This node's fencer (pacemaker-fenced): devices from the replicated CIB, the DC's Fence actions, stonith_admin. */
  private fencer: FencerConsumer | undefined;
  private fencerConfig = '';
  private writer: CibWriter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly clients = new Map<string, (a: CibAnswer) => void>();
  private nextClient = 0;
  private members: string[] = [];
  private stopped = false;
  readonly self: string;
  readonly dir: string;

  constructor(private readonly haCf: HaCf, o: DaemonOptions) {
    this.self = o.nodeName.toLowerCase();
    this.dir = join(o.stateDir, 'crm');
  }

  start(api: ConsumerApi): void {
    this.api = api;
    void this.load().catch((e) => api.log('error', `crm: cannot start: ${(e as Error).message}`));
  }

  /** Reads the state dir's CIB (a corrupt cib.xml is reported and never loaded), then starts the controller. */
  private async load(): Promise<void> {
    const api = this.api!;
    mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    const r = await loadCibFiles(this.dir);
    for (const d of r.diagnostics) api.log(d.severity === 'warning' ? 'warn' : 'error', formatDiagnostic(d));
    if (r.primary === 'corrupt') api.log('error', `${join(this.dir, 'cib.xml')} is corrupt: it will NOT be used${r.cib ? `; continuing with ${r.cib.file} until a peer's newer CIB arrives` : ''}`);
    if (this.stopped) return;
    const cib: XEl = r.cib?.cib ?? emptyCib();
    const now = Date.now();
    this.writer = new CibWriter(this.dir, { onError: (d) => api.log('error', formatDiagnostic(d)) });
    this.exec = new Executor({ config: { nodeName: this.self }, log: (level, text) => api.log(level === 'warning' ? 'warn' : level === 'notice' ? 'info' : level, `pacemaker-execd: ${text}`) });
    this.fencer = fencerConsumer({ nodeName: this.self });
    this.fencer.start(api);
    this.configureFencer(cib);
    this.crmd = new Crmd({ self: this.self, configured: this.haCf.nodes, inc: now, born: now }, cib, now);
    api.log('info', `crm: controller started with CIB ${r.cib ? r.cib.file : '(empty)'}, state dir ${this.dir}`);
    this.carry(this.crmd.takeEffects());
    this.timer = setInterval(() => this.step({ type: 'tick' }), TICK_MS);
    this.timer.unref?.();
    this.refreshMembers(true);
  }

  onEffects(effects: readonly MembershipEffect[]): void {
    if (!this.crmd) return;
    let view = false;
    for (const e of effects) {
      if (e.kind === 'node-status' || e.kind === 'node-restarted' || e.kind === 'node-added' || e.kind === 'node-removed') view = true;
      else if (e.kind === 'deliver' && !e.loopback && isCrmMessage(e.message)) this.step({ type: 'message', from: e.from.toLowerCase(), message: e.message });
    }
    if (view) this.refreshMembers(false);
  }

  /** Members: every node membership holds up or active (ourselves included). */
  private refreshMembers(force: boolean): void {
    const s = this.api!.membership();
    const live = s.nodeOrder.filter((n) => n === s.config.self || s.peers[n]?.status === 'up' || s.peers[n]?.status === 'active').map((n) => n.toLowerCase()).sort();
    if (!live.includes(this.self)) live.push(this.self);
    if (!force && live.join() === this.members.join()) return;
    this.members = live;
    this.step({ type: 'members', members: live });
  }

  private step(ev: CrmdEvent): void {
    if (!this.crmd || this.stopped) return;
    this.carry(this.crmd.step(ev, Date.now()));
  }

  private carry(effects: readonly CrmdEffect[]): void {
    const api = this.api!;
    for (const e of effects) {
      switch (e.kind) {
        case 'transmit': api.send(e.message); break;
        case 'persist': this.writer?.save(e.cib); this.configureFencer(e.cib); break;
        case 'fence': {
          // te_fence_node: this node's fencer carries out the DC's Fence action; its answer re-enters the controller.
          const f = this.fencer;
          if (!f) { this.step({ type: 'fence-result', target: e.target, transitionKey: e.transitionKey, ok: false, detail: 'no fencer' }); break; }
          void f.fence({ target: e.target, action: e.action as FenceAction, client: `pacemaker-controld.${process.pid}`, origin: this.self, timeoutMs: e.timeoutMs })
            .then((r) => this.step({ type: 'fence-result', target: e.target, transitionKey: e.transitionKey, ok: r.ok, detail: r.ok ? 'OK' : `${r.execStatus}${r.exitReason ? `: ${r.exitReason}` : ''}` }),
              (err: Error) => this.step({ type: 'fence-result', target: e.target, transitionKey: e.transitionKey, ok: false, detail: err.message }));
          break;
        }
        case 'reply': { const r = this.clients.get(e.client); this.clients.delete(e.client); r?.(e.answer); break; }
        case 'exec':
          // Results re-enter on a fresh stack, never from inside the executor's own call.
          this.exec!.submit(e.req, (result) => setImmediate(() => this.step({ type: 'exec-result', result })));
          break;
        case 'cancel': this.exec!.cancel(e.rscId, e.action, e.intervalMs); break;
        case 'log': api.log(e.level, e.text); break;
      }
    }
  }

  /** Registers the CIB's fence devices, topology and options again when its configuration changed. */
  private configureFencer(cib: XEl): void {
    const conf = cib.kids.find((k) => k.tagName === 'configuration');
    const text = conf ? printXml(conf) : '';
    if (!this.fencer || text === this.fencerConfig) return;
    this.fencerConfig = text;
    this.fencer.setCib(printXml(cib)).catch((err: Error) => this.api?.log('error', `pacemaker-fenced: cannot register the CIB's devices: ${err.message}`));
  }

  snapshot(): CrmSnapshot | undefined {
    if (!this.crmd) return undefined;
    const s = this.crmd.status();
    return { dc: s.dc, quorum: s.quorum, members: s.members, cibVersion: s.cibVersion, transitions: s.transitions, idle: s.idle,
      counters: { ...s.counters, 'dropped.controller': s.controllerDropped } };
  }

  statusFields(): Readonly<Record<string, unknown>> {
    const s = this.snapshot();
    return s ? { crm: s } : {};
  }

  /** `cib_*` (answered when committed by the DC; queries from the local replica) and `crm_status`. */
  control(req: ControlRequest): unknown {
    if (req.cmd === 'crm_status') {
      const s = this.snapshot();
      return s ? { ok: true, ...s } : { ok: false, rc: CIB_RC.UNSATISFIED, error: 'the CRM is still starting' };
    }
    if (req.cmd.startsWith('fence_')) return this.fencer?.control(req as unknown as FenceControlRequest) ?? { ok: false, error: 'the fencer is still starting' };
    if (!(CIB_CMDS as readonly string[]).includes(req.cmd)) return undefined;
    if (!this.crmd) return { ok: false, rc: CIB_RC.UNSATISFIED, error: 'Resource temporarily unavailable: the CRM is still starting, try again' };
    const change = cibChangeOf(req);
    if (typeof change === 'string') return { ok: false, rc: CIB_RC.PROTOCOL, error: change };
    const client = `ctl-${++this.nextClient}`;
    return new Promise<CibAnswer>((resolve) => {
      this.clients.set(client, resolve);
      this.step({ type: 'client', client, change });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.exec?.close();
    this.fencer?.stop();
    for (const r of this.clients.values()) r({ ok: false, rc: CIB_RC.TIMEOUT, error: 'the daemon is stopping' });
    this.clients.clear();
    await this.writer?.flush();
  }
}
