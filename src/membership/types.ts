// The vocabulary of the membership machine: what it is told (events) and what it asks for (effects).
// Effects are plain data so a daemon can carry them out and a test can assert on them without sockets.
import type { HaMessage } from '../wire/message.js';
import type { Generation, Millis, NodeName } from '../types.js';

/**
 * A node's status as heartbeat puts it in `st`: `init` right after start, `up` once its media work,
 * `active` once it has heard from the cluster (Comm_now_up), `dead` when silent past deadtime.
 */
export type NodeStatus = 'init' | 'up' | 'active' | 'dead';

/** A link (one medium towards one node) is `up` while packets arrive on it, `dead` after deadtime of silence. */
export type LinkStatus = 'init' | 'up' | 'dead';

/** heartbeat's log levels, in the words its log uses (`info:`, `WARN:`, `ERROR:`, `CRIT:`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'crit';

/** Why a received packet was dropped; each reason has its own counter. */
export type DropReason =
  | 'malformed' // no t/src/ts, bad seq or bad generation field
  | 'unknown-node' // sender not in ha.cf and autojoin is none
  | 'replay' // generation older than the one we know: replayed or stale packet
  | 'duplicate' // already seen (the same packet over a second medium, or a retransmission we did not need)
  | 'not-for-us' // addressed (dest/destuuid) to another node
  | 'stale-status' // status older than the newest we have
  | 'after-shutdown'; // arrived after we stopped

/** Inputs of `step`. `now` (monotonic ms) is passed beside the event, never read from a clock. */
export type MembershipEvent =
  /** Begin: send the start-up status messages. Must be the first event. */
  | { readonly kind: 'start' }
  /** A timer fired (the one asked for by the last `wake-at`, or any periodic tick). */
  | { readonly kind: 'tick'; readonly loadavg?: string }
  /**
   * A packet arrived, already authenticated and decoded by the wire codec.
   * `medium` is the configured medium name it came in on; `address` the sender's transport address (diagnostics).
   */
  | { readonly kind: 'receive'; readonly message: HaMessage; readonly medium: string; readonly address?: string }
  /**
   * An upper layer (resources, API clients) wants a cluster message sent: the machine numbers it, adds the
   * control fields, keeps it for retransmission and loops it back as heartbeat does.
   * `fields` are the message's own fields in order (`t` first, `dest` if addressed to one node).
   */
  | { readonly kind: 'send'; readonly message: HaMessage }
  /** Our files changed (a reload): status messages carry this digest from now on. */
  | { readonly kind: 'config-digest'; readonly digest: string }
  /** Stop heartbeating: after this the machine emits nothing and ignores packets. */
  | { readonly kind: 'shutdown' };

/** Outputs of `step`, for the daemon to carry out in order. */
export type MembershipEffect =
  /** Send this message on every medium. It lacks only `auth`, which the wire codec adds when encoding. */
  | { readonly kind: 'send'; readonly message: HaMessage }
  /** Write this line to the log, in heartbeat's words. */
  | { readonly kind: 'log'; readonly level: LogLevel; readonly text: string }
  /** A node's status changed (ourselves included): what the resource layer acts on. */
  | { readonly kind: 'node-status'; readonly node: NodeName; readonly status: NodeStatus; readonly previous: NodeStatus }
  /** A link changed state. */
  | { readonly kind: 'link-status'; readonly node: NodeName; readonly medium: string; readonly status: LinkStatus }
  /** A peer started again with a new generation (it crashed or was restarted, whatever we thought of it). */
  | { readonly kind: 'node-restarted'; readonly node: NodeName; readonly generation: Generation }
  /**
   * A node we had declared dead is talking again without having restarted: we were partitioned, both sides may
   * hold resources. heartbeat restarts itself here; the daemon decides.
   */
  | { readonly kind: 'partition-healed'; readonly node: NodeName }
  /**
   * A peer's advertised configuration digest was first seen or changed (undefined: it sends none, as heartbeat).
   * Emitted on change only, so the daemon logs a mismatch once.
   */
  | { readonly kind: 'peer-config'; readonly node: NodeName; readonly digest: string | undefined; readonly previous: string | undefined | null }
  /** Every node has been heard from (or declared dead) and the node list exchanged: we are now active. */
  | { readonly kind: 'comm-up' }
  /**
   * A node announced that it is leaving in good order (`shutdone`): it gave up its resources. It keeps its last
   * status until it falls silent and is declared dead; emitted for ourselves when we are told to shut down.
   */
  | { readonly kind: 'node-shutdown'; readonly node: NodeName }
  /** A node joined at run time (autojoin, or a repnodes list naming it). */
  | { readonly kind: 'node-added'; readonly node: NodeName }
  /** A node left the configuration (a repnodes list without it). */
  | { readonly kind: 'node-removed'; readonly node: NodeName }
  /**
   * A message for the layers above (resource, starting, ask_resources, shutdone, API types…), once each, when
   * accepted: a retransmitted one arrives after later ones, as in heartbeat. Our own messages come back too
   * (`loopback`), as heartbeat feeds its own packets to its handlers.
   */
  | { readonly kind: 'deliver'; readonly message: HaMessage; readonly from: NodeName; readonly loopback: boolean }
  /** Call `step` with a tick at (or soon after) this monotonic time. Replaces any earlier request. */
  | { readonly kind: 'wake-at'; readonly at: Millis };

/** Result of one `step`. */
export interface StepResult<S> {
  readonly state: S;
  readonly effects: readonly MembershipEffect[];
}
