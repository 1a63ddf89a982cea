// The running daemon: wires ha.cf, the transports, the membership machine and its consumers to the OS.
// One event queue, one timer set to the machine's exact `wake-at`; packet handlers count failures and never throw.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync, fsyncSync, openSync, closeSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuthKeys } from '../config/authkeys-model.js';
import type { HaCf, Medium } from '../config/hacf-model.js';
import { loadConfigDir, type LoadedConfig } from '../config/load.js';
import { diag, formatDiagnostic, type Diagnostic } from '../errors.js';
import { openMedia, type MediumSpec, type ReceivedPacket, type Transport } from '../io/index.js';
import { FACILITY_CODES, SyslogOutput } from '../io/syslog.js';
import { makeRealtime, REALTIME_PRIORITY } from '../io/realtime.js';
import {
  initialState, linkStatus, membershipConfig, membershipInputFromHaCf, mediumName, nextGeneration, nodeUuid, step, UUID_OWNER_FILE,
  type MembershipEffect, type MembershipEvent, type MembershipState,
} from '../membership/index.js';
import type { HaMessage } from '../wire/message.js';
import { decodeVerified, sign } from '../wire/auth.js';
import { renderClassic } from '../wire/classic.js';
import { err, millis, nodeName, ok, type Millis, type Result } from '../types.js';
import { DEFAULT_RING_SIZE, EventRing, eventLine, type EventInput } from '../events/ring.js';
import { shareControlSocket } from './socket-access.js';
import { LEVEL_WORD, Logger } from './log.js';
import { acquirePidFile, CONTROL_SOCKET, releasePidFile } from './pidfile.js';
import { builtinConsumers } from './resources.js';
import { cibPart, cibPartOf, cibSettleMs, cibWatchStep, consistencyLine, peerConfigView, withCibPart, type CibWatchState, type PeerConfigView } from './config-consistency.js';

export type { DaemonOptions, EffectConsumer, ControlRequest, ConsumerApi } from './consumer.js';
import type { DaemonOptions, EffectConsumer, ControlRequest, ConsumerApi } from './consumer.js';
import type { CrmSnapshot } from './crm.js';

/** The daemon's counters, beside membership's own. */
export interface DaemonCounters {
  badPackets: number;
  handlerErrors: number;
  signErrors: number;
  sent: number;
  /** Datagrams that arrived on any medium, good or bad (the web's packets-received metric). */
  received: number;
}

/** The answer to a `status` request on the control socket (`lifeline status --json` prints it). */
export interface StatusSnapshot {
  readonly node: string;
  readonly pid: number;
  readonly version: string;
  readonly generation: number;
  readonly uptimeMs: number;
  readonly commUp: boolean;
  readonly nodes: readonly {
    name: string; status: string; type: 'normal'; links: readonly { name: string; status: string }[];
    /** Peers only: whether its /etc/ha.d files agree with ours (from its `llcfg` digest). */
    config?: PeerConfigView;
  }[];
  /** Our files' digest, as advertised. */
  readonly configDigest: string;
  readonly media: readonly string[];
  readonly counters: Record<string, number>;
  /** Set when pacemaker is off and there is no haresources file: the node holds no groups (membership only). */
  readonly noResourcesFile?: string;
  /** With `crm on`: the CRM's DC, quorum, members and CIB version (src/daemon/crm.ts). */
  readonly crm?: CrmSnapshot;
}

/** How old the `ld` field (the kernel's load average, itself a 5 s average) may get before it is read again. */
const LOADAVG_REFRESH_MS = 1000;

/** How often the CIB's version is compared with the peers' (`crm on`); the settle time is far longer. */
const CIB_LOOK_MS = 1000;

/** Lifeline's version, as logged at start and shown by `status`. */
export const VERSION = '0.1.0';

/** heartbeat's line for a medium that opened (its plugins' wording, `glib:` prefix included), so logs read the same. */
export function mediumStartedLine(m: MediumSpec): string {
  switch (m.kind) {
    case 'bcast': return `glib: UDP Broadcast heartbeat started on port ${m.port ?? 694} (${m.port ?? 694}) interface ${m.ifname}`;
    case 'mcast': return `glib: UDP multicast heartbeat started for group ${m.group} port ${m.port} interface ${m.ifname} (ttl=${m.ttl} loop=${m.loop ? 1 : 0})`;
    case 'ucast': return `glib: ucast: started on port ${m.port ?? 694} interface ${m.ifname} to ${m.host}`;
    case 'serial': return `glib: Starting serial heartbeat on tty ${m.device} (${m.baud ?? 19200} baud)`;
  }
}

/** ha.cf media → transport specs; ucast hosts use the addresses config resolved. ucast6/mcast6 are not supported yet. */
export function mediumSpecs(h: HaCf, resolved: ReadonlyMap<string, readonly string[]>, file: string): Result<MediumSpec[], Diagnostic[]> {
  const specs: MediumSpec[] = [];
  const errors: Diagnostic[] = [];
  for (const m of h.media) {
    switch (m.kind) {
      case 'bcast': specs.push({ kind: 'bcast', ifname: m.iface, port: m.port }); break;
      case 'mcast': specs.push({ kind: 'mcast', ifname: m.iface, group: m.group, port: m.port, ttl: m.ttl, loop: m.loop === 1 }); break;
      case 'ucast': {
        const addr = /^\d+\.\d+\.\d+\.\d+$/.test(m.host) ? m.host : resolved.get(m.host)?.find((a) => a.includes('.')) ?? m.host;
        specs.push({ kind: 'ucast', ifname: m.iface, host: addr, port: m.port });
        break;
      }
      case 'serial': specs.push({ kind: 'serial', device: m.device, baud: m.baud }); break;
      default: errors.push(diag('LL_DAEMON_MEDIUM_UNSUPPORTED', { kind: (m as Medium).kind }, { location: { file, line: (m as Medium).line } }));
    }
  }
  return errors.length ? err(errors) : ok(specs);
}

function writeSynced(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data);
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Loads the configuration directory as this node; errors are the diagnostics heartbeat would refuse to start with. */
export async function loadDaemonConfig(o: DaemonOptions): Promise<Result<LoadedConfig & { haCf: HaCf; authkeys: AuthKeys }, Diagnostic[]>> {
  const loaded = await loadConfigDir(o.configDir, { nodeName: o.nodeName });
  if (!loaded.valid || !loaded.haCf || !loaded.authkeys) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    return err(errors.length ? errors : [diag('LL_IO_READ_FAILED', { file: loaded.files.haCf, reason: 'incomplete configuration' })]);
  }
  return ok(loaded as LoadedConfig & { haCf: HaCf; authkeys: AuthKeys });
}

/** One running daemon. Create with `Daemon.start`; `stop()` shuts it down in good order. */
export class Daemon {
  private state!: MembershipState;
  private readonly queue: MembershipEvent[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private stopping: Promise<void> | undefined;
  /** Set when membership has been told to shut down: no more timers. */
  private membershipStopped = false;
  private readonly t0 = performance.now();
  readonly counters: DaemonCounters = { badPackets: 0, handlerErrors: 0, signErrors: 0, sent: 0, received: 0 };
  /** Bad packets by diagnostic code (another cluster's keys show as LL_WIRE_AUTH_BAD_DIGEST, noise as a decode code). */
  private readonly badByCode: Record<string, number> = {};
  private readonly consumers: EffectConsumer[] = [];
  private readonly exited: Promise<void>;
  /** The `logfacility` output (one logger child), if ha.cf asks for syslog. */
  private syslog: SyslogOutput | undefined;
  private resolveExited!: () => void;
  /** The bounded ring of structured events (`lifeline events`, the web page's timeline). */
  readonly events = new EventRing(() => this.now(), Date.now, DEFAULT_RING_SIZE,
    (e) => this.syslog?.write(e.level, process.pid, LEVEL_WORD[e.level], eventLine(e)));

  private constructor(readonly opts: DaemonOptions, private config: LoadedConfig & { haCf: HaCf; authkeys: AuthKeys },
    readonly log: Logger, private readonly transports: Transport[], private readonly generation: number) {
    this.exited = new Promise((r) => (this.resolveExited = r));
    log.tap = (level, text) => this.events.fromLog(level, text);
  }

  /** Monotonic milliseconds since start: the machine's clock. */
  now(): Millis {
    return millis(performance.now() - this.t0);
  }

  /**
   * Starts a daemon: config (refused → diagnostics, exit code 6 as heartbeat), pid file, generation and uuid,
   * media, control socket, then the machine's `start`. Returns the exit code on failure.
   */
  static async start(o: DaemonOptions, consumers: readonly EffectConsumer[] = []): Promise<Result<Daemon, { code: number; diagnostics: Diagnostic[] }>> {
    const cfg = await loadDaemonConfig(o);
    const stderrLog = new Logger({ stderr: true, ...(o.jsonLog ? { jsonLog: o.jsonLog } : {}) }, o.nodeName);
    if (!cfg.ok) {
      for (const d of cfg.error) stderrLog.log('error', formatDiagnostic(d));
      return err({ code: 6, diagnostics: cfg.error });
    }
    const h = cfg.value.haCf;
    const syslogRef: { out?: SyslogOutput } = {};
    const log = new Logger(logTargets(h, o), o.nodeName);
    syslogRef.out = openSyslog(h, o, log);
    log.retarget(logTargets(h, o, syslogRef.out));
    // A failed start must end logger too: its pipe would keep the process alive.
    const fail = (e: { code: number; diagnostics: Diagnostic[] }) => { syslogRef.out?.close(); return err(e); };
    for (const d of cfg.value.diagnostics) if (d.severity === 'warning') log.log('warn', formatDiagnostic(d));
    const specs = mediumSpecs(h, cfg.value.facts.resolved ?? new Map(), cfg.value.files.haCf);
    if (!specs.ok) {
      for (const d of specs.error) { log.log('error', formatDiagnostic(d)); stderrLog.log('error', formatDiagnostic(d)); }
      return fail({ code: 6, diagnostics: specs.error });
    }
    mkdirSync(o.runDir, { recursive: true });
    mkdirSync(o.stateDir, { recursive: true });
    const lock = acquirePidFile(o.runDir);
    if (!lock.ok) {
      stderrLog.log('error', formatDiagnostic(lock.error));
      return fail({ code: 1, diagnostics: [lock.error] });
    }
    try {
      // heartbeat's start-up lines, in its order: validated, generation, uuid, then each medium.
      log.log('info', `Configuration validated. Starting Lifeline ${VERSION}`);
      log.log('debug', `Lifeline daemon starting as node ${o.nodeName} (config ${o.configDir}, state ${o.stateDir})`);
      // `realtime on` (the default): heartbeats must not wait behind a busy machine's normal tasks.
      if (h.realtime) {
        const why = await makeRealtime(process.pid);
        if (why) log.log('warn', `Unable to enable realtime scheduling (running at normal priority): ${why}`);
        else log.log('debug', `Realtime scheduling enabled: SCHED_RR priority ${REALTIME_PRIORITY}, children reset to normal`);
      }
      // Identity: generation one more each start, uuid kept forever, both synced before the first packet.
      const genPath = join(o.stateDir, 'hb_generation');
      const gen = nextGeneration(existsSync(genPath) ? readFileSync(genPath, 'latin1') : undefined, Date.now() / 1000);
      for (const l of gen.logs) log.log(l.level, l.text);
      writeSynced(genPath, gen.fileText);
      const uuidPath = join(o.stateDir, 'hb_uuid');
      const uuidFile = existsSync(uuidPath) ? readFileSync(uuidPath) : undefined;
      const ownerPath = join(o.stateDir, UUID_OWNER_FILE);
      const recorded = existsSync(ownerPath) ? readFileSync(ownerPath, 'utf8').trim() || undefined : undefined;
      const uuid = nodeUuid(uuidFile ? new Uint8Array(uuidFile) : undefined, new Uint8Array(randomBytes(16)), { recorded, name: o.nodeName });
      if (uuid.write) writeSynced(uuidPath, uuid.write);
      if (uuid.writeOwner) writeSynced(ownerPath, `${uuid.writeOwner}\n`);
      for (const l of uuid.logs) log.log(l.level, l.text);

      let transports: Transport[];
      try {
        transports = await openMedia(specs.value);
      } catch (e) {
        const ds = e && typeof e === 'object' && 'diagnostics' in e ? (e as { diagnostics: Diagnostic[] }).diagnostics : [diag('LL_IO_READ_FAILED', { file: 'media', reason: String(e) })];
        for (const d of ds) { log.log('error', formatDiagnostic(d)); stderrLog.log('error', formatDiagnostic(d)); }
        releasePidFile(o.runDir);
        return fail({ code: 6, diagnostics: ds });
      }
      for (const [i, t] of transports.entries()) {
        log.log('info', mediumStartedLine(specs.value[i]!));
        log.log('debug', t.description);
      }
      const d = new Daemon(o, cfg.value, log, transports, gen.generation);
      d.syslog = syslogRef.out;
      const mc = membershipConfig({
        ...membershipInputFromHaCf(h, {
          self: nodeName(o.nodeName), uuid: uuid.uuid, generation: gen.generation,
          wallClockOffset: millis(Date.now() - d.now()),
        }),
        configDigest: cfg.value.digest,
      });
      if (!mc.ok) {
        for (const x of mc.error) { log.log('error', formatDiagnostic(x)); stderrLog.log('error', formatDiagnostic(x)); }
        await Promise.all(transports.map((t) => t.close()));
        releasePidFile(o.runDir);
        return fail({ code: 6, diagnostics: mc.error });
      }
      for (const w of mc.value.warnings) log.log('warn', formatDiagnostic(w));
      d.state = initialState(mc.value.config);
      for (const c of [...consumers, ...(await builtinConsumers(d.config, o))]) {
        d.consumers.push(c);
        d.startConsumer(c);
      }
      for (const t of transports) {
        t.onPacket((p) => d.onPacket(p));
        t.onError((e) => d.log.limited(`io:${t.link}`, d.now(), 10000, 'error', `${t.link}: ${e.message}`));
      }
      await d.listen();
      d.enqueue({ kind: 'start' });
      // `crm on`: the CIB's configuration version joins the advertised digest (config-consistency.ts).
      if (d.consumers.some((c) => c.name === 'crm')) {
        d.cibTimer = setInterval(() => void d.lookAtCib(), CIB_LOOK_MS);
        d.cibTimer.unref();
      }
      return ok(d);
    } catch (e) {
      releasePidFile(o.runDir);
      syslogRef.out?.close();
      throw e;
    }
  }

  /** The API handed to consumers: sends are queued and run through membership as soon as the loop is free. */
  private readonly api: ConsumerApi = {
    send: (message) => this.enqueue({ kind: 'send', message }),
    log: (level, text) => this.log.log(level, text),
    membership: () => this.state,
    now: () => this.now(),
    restart: (reason) => {
      this.log.log('crit', `Restarting: ${reason}`);
      this.restartRequested = true;
      void this.stop();
    },
    event: (e) => { this.events.add(e); },
  };

  /** Set when a consumer asked for a restart: whoever runs the daemon starts a new one once this one stopped. */
  restartRequested = false;

  private startConsumer(c: EffectConsumer): void {
    try { c.start?.(this.api); } catch (e) {
      this.counters.handlerErrors++;
      this.log.log('error', `${c.name} failed to start: ${(e as Error).stack ?? String(e)}`);
    }
  }

  /** Resolves once the daemon has stopped. */
  whenStopped(): Promise<void> {
    return this.exited;
  }

  /** A packet from any transport: decode, verify, hand to membership. Never throws. */
  private onPacket(p: ReceivedPacket): void {
    this.counters.received++;
    try {
      const v = decodeVerified(p.data, this.config.authkeys);
      if (!v.ok) {
        this.counters.badPackets++;
        this.badByCode[v.error.code] = (this.badByCode[v.error.code] ?? 0) + 1;
        this.log.limited(`bad:${v.error.code}`, this.now(), 10000, 'error', `dropped packet from ${p.from} on ${p.link}: ${formatDiagnostic(v.error)}`);
        return;
      }
      this.enqueue({ kind: 'receive', message: v.value.packet.message, medium: p.link, address: p.from });
    } catch (e) {
      this.counters.handlerErrors++;
      this.log.limited('handler', this.now(), 10000, 'error', `packet handler failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  /** Adds an event and runs the queue unless it is already running (consumers may enqueue from inside). */
  private enqueue(ev: MembershipEvent): void {
    this.queue.push(ev);
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const next = this.queue.shift()!;
        let r;
        try {
          r = step(this.state, next, this.now());
        } catch (e) {
          this.counters.handlerErrors++;
          this.log.limited('step', this.now(), 10000, 'error', `membership step failed on ${next.kind}: ${(e as Error).stack ?? String(e)}`);
          continue;
        }
        this.state = r.state;
        this.events.fromEffects(r.effects, this.state);
        this.carryOut(r.effects);
      }
    } finally {
      this.running = false;
    }
  }

  private carryOut(effects: readonly MembershipEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'send': this.send(e.message); break;
        case 'log': this.log.log(e.level, e.text); break;
        case 'wake-at': this.arm(e.at); break;
        case 'node-status': this.log.log('debug', `node ${e.node}: ${e.previous} -> ${e.status}`, { event: e.kind, node: e.node, status: e.status }); break;
        case 'peer-config': this.logConsistency(e.node, peerConfigView(this.config.digest, e.previous), peerConfigView(this.config.digest, e.digest)); break;
        case 'partition-healed': this.log.log('crit', `node ${e.node} came back after a partition; both sides may hold resources`); break;
        // Every received packet is a `deliver`: its consumers act on it; a debug line per packet cost more than the packet.
        case 'deliver': break;
        default: this.log.log('debug', `membership: ${e.kind}`, { event: e.kind });
      }
    }
    for (const c of this.consumers) {
      try { c.onEffects(effects); } catch (e) {
        this.counters.handlerErrors++;
        this.log.limited(`consumer:${c.name}`, this.now(), 10000, 'error', `${c.name} failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  /** Signs once and sends on every medium: netstring on UDP, heartbeat's classic text on serial. */
  private send(m: HaMessage): void {
    const s = sign(m, this.config.authkeys);
    if (!s.ok) {
      this.counters.signErrors++;
      this.log.limited('sign', this.now(), 10000, 'error', `cannot sign message: ${formatDiagnostic(s.error)}`);
      return;
    }
    let classic: Uint8Array | undefined;
    for (const t of this.transports) {
      if (t.kind === 'serial') {
        if (!classic) {
          const c = sign(m, this.config.authkeys, { inner: true });
          const text = c.ok ? renderClassic(c.value.packet.message, { head: true }) : c;
          if (!text.ok) { this.counters.signErrors++; continue; }
          classic = Buffer.from(text.value, 'utf8');
        }
        t.send(classic);
      } else {
        t.send(s.value.bytes);
      }
    }
    this.counters.sent++;
  }

  /** The one timer: exactly at the machine's next wake-up (no periodic polling). */
  private arm(at: Millis): void {
    clearTimeout(this.timer);
    if (this.membershipStopped) return;
    this.timer = setTimeout(() => {
      const loadavg = this.loadavg();
      this.enqueue(loadavg ? { kind: 'tick', loadavg } : { kind: 'tick' });
    }, Math.max(0, at - this.now()));
  }

  /** /proc/loadavg as heartbeat sends it (`ld`), read at most once a second: ticks come 10+ times a second at keepalive 100 ms. */
  private loadavg(): string | undefined {
    const t = this.now();
    if (t - this.loadavgAt >= LOADAVG_REFRESH_MS) {
      this.loadavgAt = t;
      try { this.loadavgText = readFileSync('/proc/loadavg', 'latin1').trim(); } catch { this.loadavgText = undefined; /* not Linux */ }
    }
    return this.loadavgText;
  }
  private loadavgAt = -Infinity;

  /**
   * `crm on`: re-reads the configuration section when the CIB's admin_epoch.epoch moved and advertises its part of
   * the digest; then looks at every peer's part (a mismatch is logged once it outlasts the settle time).
   */
  private async lookAtCib(): Promise<void> {
    const crm = this.consumers.find((c) => c.name === 'crm');
    if (!crm || this.stopping) return;
    try {
      const version = (crm.statusFields?.() as { crm?: { cibVersion?: string } } | undefined)?.crm?.cibVersion;
      const key = version?.split('.').slice(0, 2).join('.');
      if (version && key !== this.cibKey) {
        const a = (await crm.control?.({ cmd: 'cib_query', section: 'configuration' })) as { ok?: boolean; xml?: unknown } | undefined;
        if (a?.ok && typeof a.xml === 'string') {
          this.cibKey = key;
          const part = cibPart(version, a.xml);
          if (part !== this.cibPartNow) {
            this.cibPartNow = part;
            this.enqueue({ kind: 'config-digest', digest: withCibPart(this.config.digest, part) });
          }
        }
      }
      const s = this.state;
      for (const p of Object.values(s.peers)) {
        if (p.name === s.config.self) continue;
        const theirs = p.status === 'dead' ? undefined : cibPartOf(p.configDigest);
        const r = cibWatchStep(this.cibWatch, { self: s.config.self, node: p.name, ours: this.cibPartNow, theirs, now: this.now(), settleMs: cibSettleMs(s.config.deadtime) });
        this.cibWatch = r.state;
        if (r.line) this.log.log(r.line.level, r.line.text);
      }
    } catch (e) {
      this.counters.handlerErrors++;
      this.log.limited('cib-digest', this.now(), 60000, 'error', `CIB version check failed: ${String(e)}`);
    }
  }
  private cibTimer: NodeJS.Timeout | undefined;
  /** admin_epoch.epoch of the CIB last digested, and our advertised CIB part. */
  private cibKey: string | undefined;
  private cibPartNow: string | undefined;
  private cibWatch: CibWatchState = new Map();
  private loadavgText: string | undefined;

  /** The control socket: one JSON request per line, one JSON answer per line. */
  private async listen(): Promise<void> {
    const path = join(this.opts.runDir, CONTROL_SOCKET);
    try { unlinkSync(path); } catch { /* none left over */ }
    this.server = createServer((sock: Socket) => {
      let buf = '';
      sock.setEncoding('utf8');
      sock.on('error', () => { /* client went away */ });
      sock.on('data', (chunk: string) => {
        buf += chunk;
        if (buf.length > 65536) { sock.destroy(); return; }
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          void this.answerControl(line).then((answer) => { if (!sock.destroyed) sock.write(`${JSON.stringify(answer)}\n`); });
        }
      });
    });
    await new Promise<void>((res, rej) => {
      this.server!.once('error', rej);
      this.server!.listen(path, () => { this.server!.off('error', rej); res(); });
    });
    shareControlSocket(path, (t) => this.log.log('warn', t));
  }

  /** One control request: `status` is answered here, anything else by the first consumer that knows it. */
  private async answerControl(line: string): Promise<unknown> {
    let req: ControlRequest;
    try {
      const r = JSON.parse(line) as unknown;
      if (!r || typeof r !== 'object' || typeof (r as { cmd?: unknown }).cmd !== 'string') return { ok: false, error: 'request has no cmd' };
      req = r as ControlRequest;
    } catch {
      return { ok: false, error: 'request is not JSON' };
    }
    if (req.cmd === 'status') return { ok: true, status: this.snapshot() };
    if (req.cmd === 'events') return this.events.answer(req);
    this.events.fromControl(req);
    for (const c of this.consumers) {
      try {
        const a = await c.control?.(req);
        if (a !== undefined) return a;
      } catch (e) {
        this.counters.handlerErrors++;
        return { ok: false, error: `${c.name}: ${String(e)}` };
      }
    }
    return { ok: false, error: `unknown request ${req.cmd}` };
  }

  private logConsistency(node: string, before: PeerConfigView, now: PeerConfigView): void {
    const line = consistencyLine(node, before, now);
    if (line) this.log.log(line.level, line.text);
  }

  /** What `lifeline status` and `cl_status` show. */
  snapshot(): StatusSnapshot {
    const s = this.state;
    const counters: Record<string, number> = { ...this.counters };
    for (const [k, v] of Object.entries(s.counters)) if (typeof v === 'number') counters[k] = v;
    // Membership's drops by reason (replay, unknown-node, duplicate …) and the daemon's bad packets by code.
    for (const [k, v] of Object.entries(s.counters.dropped)) counters[`dropped.${k}`] = v;
    for (const [k, v] of Object.entries(this.badByCode)) counters[`bad.${k}`] = v;
    const media = [...new Set(this.config.haCf.media.map(mediumName))];
    return {
      node: this.opts.nodeName,
      pid: process.pid,
      version: `lifeline ${VERSION}`,
      generation: this.generation,
      uptimeMs: Math.round(this.now()),
      commUp: s.commNowUp,
      media,
      nodes: s.nodeOrder.map((n) => ({
        name: n, status: s.peers[n]!.status, type: 'normal' as const,
        links: media.map((l) => ({ name: l, status: linkStatus(s, n, l) ?? 'dead' })),
        ...(n === s.config.self ? {} : { config: peerConfigView(this.config.digest, s.peers[n]!.configDigest) }),
      })),
      configDigest: withCibPart(this.config.digest, this.cibPartNow),
      counters,
      ...(this.config.resourceSource === 'missing' ? { noResourcesFile: this.config.files.haresources } : {}),
      ...Object.assign({}, ...this.consumers.map((c) => c.statusFields?.() ?? {})),
    };
  }

  /**
   * SIGHUP: re-reads the configuration. A broken one is refused with its diagnostics in the log and the running
   * configuration kept; a good one updates logging and authkeys (membership timing and media need a restart).
   */
  async reload(): Promise<boolean> {
    this.log.log('info', 'Signal SIGHUP received: re-reading configuration');
    const cfg = await loadDaemonConfig(this.opts);
    if (!cfg.ok) {
      for (const d of cfg.error) this.log.log('error', formatDiagnostic(d));
      this.log.log('error', 'Configuration reload refused: keeping the running configuration');
      return false;
    }
    if (cfg.value.digest !== this.config.digest) {
      this.enqueue({ kind: 'config-digest', digest: withCibPart(cfg.value.digest, this.cibPartNow) });
      for (const p of Object.values(this.state.peers)) {
        if (p.name !== this.state.config.self) this.logConsistency(p.name, peerConfigView(this.config.digest, p.configDigest), peerConfigView(cfg.value.digest, p.configDigest));
      }
    }
    this.config = cfg.value;
    if (cfg.value.haCf.logfacility !== this.syslog?.options.facilityName) {
      this.syslog?.close();
      this.syslog = openSyslog(cfg.value.haCf, this.opts, this.log);
    }
    this.log.retarget(logTargets(cfg.value.haCf, this.opts, this.syslog));
    this.log.log('info', 'Configuration reloaded (logging and authkeys; restart to change timing or media)');
    return true;
  }

  /** Graceful stop: consumers first, then membership's shutdown, transports, socket, pid file. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      this.log.log('info', `Heartbeat shutdown in progress. (${process.pid})`);
      // Consumers first (resources are released) while membership keeps heartbeating, so peers do not
      // declare us dead in the middle of a release.
      for (const c of this.consumers) {
        try { await c.stop?.(); } catch (e) { this.log.log('error', `${c.name} stop failed: ${String(e)}`); }
      }
      this.enqueue({ kind: 'shutdown' });
      this.membershipStopped = true;
      clearInterval(this.cibTimer);
      clearTimeout(this.timer);
      // Let the last datagrams leave before the sockets close.
      await new Promise((r) => setTimeout(r, 50));
      await Promise.all(this.transports.map((t) => t.close().catch(() => undefined)));
      await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
      try { unlinkSync(join(this.opts.runDir, CONTROL_SOCKET)); } catch { /* gone */ }
      releasePidFile(this.opts.runDir);
      this.log.log('info', `${this.opts.nodeName} Heartbeat shutdown complete.`);
      this.syslog?.close();
      this.resolveExited();
    })();
    return this.stopping;
  }
}

function logTargets(h: HaCf, o: DaemonOptions, syslog?: SyslogOutput) {
  return {
    ...(h.logfile ? { logfile: h.logfile } : {}),
    ...(h.debugfile ? { debugfile: h.debugfile } : {}),
    ...(o.jsonLog ? { jsonLog: o.jsonLog } : {}),
    ...(syslog ? { syslog } : {}),
    stderr: true,
  };
}

/** ha.cf `logfacility` (not `none`) → a syslog output; its troubles (no syslog socket…) go to the log files, rate-limited. */
function openSyslog(h: HaCf, o: DaemonOptions, log: Logger): SyslogOutput | undefined {
  const code = h.logfacility !== undefined ? FACILITY_CODES[h.logfacility] : undefined;
  if (code === undefined) return undefined;
  return new SyslogOutput({
    facility: code, facilityName: h.logfacility!, tag: 'lifeline', socket: o.syslogSocket ?? '/dev/log',
    onProblem: (text) => log.limited('syslog', performance.now(), 60000, 'warn', text),
  });
}
