// Every tunable of the membership state machine in one object, with heartbeat 3.0.6's defaults.
// Built once from ha.cf values (or a test's literal); the machine never reads anything else from outside.
import { defaultInitdead } from '../config/hacf.js';
import type { AutoJoin } from '../config/hacf-model.js';
import type { Diagnostic } from '../errors.js';
import { diag } from '../errors.js';
import type { Generation, Millis, NodeName } from '../types.js';
import { millis } from '../types.js';
import type { Result } from '../types.js';
import { err, ok } from '../types.js';

/** heartbeat's `autojoin` (config's type): `none` drops unknown nodes' packets (counted); `other`/`any` add the node. */
export type { AutoJoin };

/** Everything the membership machine needs to know, fixed for its lifetime. */
export interface MembershipConfig {
  /** Our node name (`uname -n`, lower case, as heartbeat puts it in `src`). */
  readonly self: NodeName;
  /** Our 16-byte node uuid (`srcuuid`); peers address us by it in `destuuid`. */
  readonly uuid: Uint8Array;
  /** Our generation (`hg`), bumped on every start and persisted by the daemon; peers detect restarts by it. */
  readonly generation: Generation;
  /** Nodes from ha.cf `node` lines, ourselves included. Order matters: reqnodes asks the first live one. */
  readonly nodes: readonly NodeName[];
  /** Names of our heartbeat media (`bcast eth0` → `eth0`), as the transport labels received packets. */
  readonly media: readonly string[];
  /** Interval between our status messages (ha.cf `keepalive`). heartbeat's default: 1 s. */
  readonly keepalive: Millis;
  /** Silence after which a node is declared dead (ha.cf `deadtime`). Default 30 s. */
  readonly deadtime: Millis;
  /** Silence after which a late status draws a "Late heartbeat" warning (ha.cf `warntime`). Default deadtime/2. */
  readonly warntime: Millis;
  /**
   * Dead time used until every configured node has been heard from once (ha.cf `initdead`): networks are often
   * slow to come up at boot. heartbeat's default: deadtime if above 10 s, else 12 s if deadtime < 6 s, else 2×deadtime.
   */
  readonly initdead: Millis;
  /** Whether unknown nodes may join (ha.cf `autojoin`). Default `none`. */
  readonly autojoin: AutoJoin;
  /**
   * Extra dead time we advertise (`dt`) for the first `deadtimeBoostFor` ms after start, as heartbeat does
   * (hb_add_deadtime(2000) for 5 s) so peers tolerate our start-up work. Default 2000.
   */
  readonly deadtimeBoost: Millis;
  /** How long the start-up dead time boost lasts. Default 5000. */
  readonly deadtimeBoostFor: Millis;
  /** Upper bound of the random delay before asking for a missing packet, and the retry interval (heartbeat: 250). */
  readonly rexmitDelayMax: Millis;
  /** Interval between reqnodes requests until a repnodes answer arrives (heartbeat: 1000). */
  readonly reqnodesInterval: Millis;
  /** Sent messages kept for retransmission (heartbeat's MAXMSGHIST: 500). */
  readonly historySize: number;
  /**
   * A step whose `now` is this much later than the wake-up we asked for means the process was stopped or starved.
   * Default: keepalive. See docs/membership.md "Clock jumps".
   */
  readonly stallThreshold: Millis;
  /** After a stall, peers get at least this long to be heard again before they can be declared dead. Default 2×keepalive. */
  readonly stallGrace: Millis;
  /** Wall clock at monotonic time 0, in ms since the epoch: `ts` fields carry wall-clock seconds. */
  readonly wallClockOffset: Millis;
  /** Seed of the machine's own random numbers (ack triggers, retransmission delays), so runs are reproducible. */
  readonly seed: number;
  /**
   * Digest of our /etc/ha.d files (config/digest.ts), sent in every status message as `llcfg`; heartbeat 3.0.6
   * ignores fields it does not know. Absent: nothing is sent (the pure tests that compare with heartbeat's bytes).
   */
  readonly configDigest?: string;
}

/** What a caller must give; everything else has heartbeat's default. */
export type MembershipConfigInput = Pick<MembershipConfig, 'self' | 'uuid' | 'generation' | 'nodes' | 'media'> &
  Partial<Omit<MembershipConfig, 'self' | 'uuid' | 'generation' | 'nodes' | 'media'>>;

/**
 * Fills defaults and checks the values heartbeat refuses or warns about.
 * Errors stop start-up (heartbeat exits 6); warnings are returned beside the config.
 */
export function membershipConfig(
  input: MembershipConfigInput,
): Result<{ config: MembershipConfig; warnings: Diagnostic[] }, Diagnostic[]> {
  const keepalive = input.keepalive ?? millis(1000);
  const deadtime = input.deadtime ?? millis(30000);
  const warntime = input.warntime ?? millis(Math.floor(deadtime / 2));
  const initdead = input.initdead ?? millis(defaultInitdead(deadtime));
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (!(keepalive > 0)) errors.push(diag('LL_MEMBERSHIP_BAD_TIMING', { name: 'keepalive', value: keepalive }, { expected: 'a positive time' }));
  if (deadtime <= 2 * keepalive) {
    errors.push(diag('LL_MEMBERSHIP_DEADTIME_TOO_SMALL', { deadtime, keepalive }, { expected: 'deadtime > 2 × keepalive' }));
  }
  if (warntime >= deadtime) warnings.push(diag('LL_MEMBERSHIP_WARNTIME_TOO_BIG', { warntime, deadtime }, { severity: 'warning' }));
  if (input.initdead !== undefined && (initdead < deadtime || initdead < 10000)) {
    warnings.push(diag('LL_MEMBERSHIP_INITDEAD_TOO_SMALL', { initdead }, { severity: 'warning' }));
  }
  if (input.uuid.length !== 16) errors.push(diag('LL_MEMBERSHIP_BAD_UUID', { length: input.uuid.length }, { expected: '16 bytes' }));
  if (!input.nodes.includes(input.self) && (input.autojoin ?? 'none') !== 'any') {
    errors.push(diag('LL_MEMBERSHIP_SELF_NOT_IN_NODES', { node: input.self }));
  }
  if (input.media.length === 0) errors.push(diag('LL_MEMBERSHIP_NO_MEDIA'));
  if (errors.length) return err(errors);
  const config: MembershipConfig = {
    autojoin: 'none',
    deadtimeBoost: millis(2000),
    deadtimeBoostFor: millis(5000),
    rexmitDelayMax: millis(250),
    reqnodesInterval: millis(1000),
    historySize: 500,
    stallThreshold: keepalive,
    stallGrace: millis(Math.min(2 * keepalive, deadtime)),
    wallClockOffset: millis(0),
    seed: 1,
    ...input,
    keepalive,
    deadtime,
    warntime,
    initdead,
  };
  return ok({ config, warnings });
}
