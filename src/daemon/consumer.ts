// What a layer above membership plugs into the daemon with (haresources, the CRM, the gap histogram): the
// consumer interface and the API it is given. Its own file so that daemon.ts and its consumers do not import each other.
import type { MembershipEffect, MembershipState } from '../membership/index.js';
import type { HaMessage } from '../wire/message.js';
import type { Millis } from '../types.js';
import type { EventInput } from '../events/ring.js';

/** Command-line settings of one daemon. */
export interface DaemonOptions {
  readonly configDir: string;
  readonly stateDir: string;
  readonly runDir: string;
  readonly nodeName: string;
  /** `--json-log FILE`: structured log lines besides ha.cf's logfile/debugfile. */
  readonly jsonLog?: string;
  /** `--syslog-socket PATH`: where `logfacility` lines go (default `/dev/log`). */
  readonly syslogSocket?: string;
}

/**
 * A second consumer of membership effects (the resource layer plugs in here). It is started with the daemon's
 * API, then sees every effect batch after the daemon has carried out sends and logs. Messages it sends (at any
 * time, e.g. after an agent finished) go through membership, which numbers them and loops them back as `deliver`.
 */
export interface EffectConsumer {
  readonly name: string;
  start?(api: ConsumerApi): void;
  onEffects(effects: readonly MembershipEffect[]): void;
  /** Called once at shutdown, before membership sends its last messages (release resources here). */
  stop?(): Promise<void> | void;
  /**
   * A control-socket request the daemon itself does not answer (`status` is the daemon's): return the answer
   * object (`{ ok, … }`), or undefined when the request is not this consumer's. Lets `lifeline standby`,
   * `cl_status rscstatus` … reach the layer that knows, without the daemon knowing their words.
   */
  control?(req: ControlRequest): unknown | Promise<unknown>;
  /** Fields this layer adds to the `status` answer (the CRM's `crm`: DC, quorum, members, CIB version). */
  statusFields?(): Readonly<Record<string, unknown>>;
}

/** One control-socket request: `cmd` names it, the other fields are its arguments. */
export interface ControlRequest {
  readonly cmd: string;
  readonly [arg: string]: unknown;
}

/** What a consumer may do. */
export interface ConsumerApi {
  /** Send a cluster message through membership (`t` first). */
  send(message: HaMessage): void;
  log(level: 'debug' | 'info' | 'warn' | 'error' | 'crit', text: string): void;
  membership(): MembershipState;
  /** The daemon's monotonic clock. */
  now(): Millis;
  /**
   * Stops the daemon in good order and starts it again with a new generation, as heartbeat restarts itself
   * after giving everything up on a healed partition (the peer then sees "Heartbeat restart on node").
   */
  restart(reason: string): void;
  /** Records a structured event in the daemon's ring (`lifeline events`), e.g. a resource operation's result. */
  event(e: EventInput): void;
}

