// The fencer core's bookkeeping: one fencing operation (fenced's remote_fencing_op_t, executed locally), the
// device run within it, and who waits for each launch; plus the timing constants fenced uses.

import type { Device } from './registry.js';
import type { FenceRequest, Millis } from './types.js';

/** fenced's TIMEOUT_MULTIPLY_FACTOR: the whole operation may take 1.2 x the sum of its devices' timeouts. */
export const TIMEOUT_FACTOR = 1.2;
/** stonith__execute retries after sleep(1). */
export const RETRY_PAUSE_MS = 1000;
/** History entries kept (fenced keeps 500 per node, stonith_fence_history_trim). */
export const HISTORY_MAX = 500;

/** One device run within an operation. */
export interface Attempt {
  readonly device: Device;
  readonly action: string;
  tries: number;
  readonly firstStart: Millis;
  readonly timeoutMs: Millis;
  launchId?: number;
  pid?: number;
  /** Delay or retry pause: launch when it passes. */
  waitUntil?: Millis;
  deadline: Millis;
  timedOut: boolean;
  /** Waiting for the device: it already runs pcmk_action_limit agents (default 1). */
  blocked?: boolean;
}

/** A fencing operation (fenced's remote_fencing_op_t, executed here). */
export interface Op {
  readonly id: string;
  readonly req: FenceRequest;
  /** The requests this operation answers: its own first, then the merged ones (each with its own client). */
  readonly requests: Array<{ readonly id: number; readonly client: string; readonly origin: string }>;
  readonly created: Millis;
  state: 'queued' | 'query' | 'exec';
  /** Host checks still running, and the devices found capable. */
  pending: Set<string>;
  capable: Set<string>;
  steps: Array<{ level?: number; devices: string[] }>;
  step: number;
  dev: number;
  phase: 'requested' | 'off' | 'on';
  attempt?: Attempt;
  deadline?: Millis;
  delayUsed: boolean;
  used: string[];
  /** A stonith_admin --list query, answered with the capable devices instead of fencing. */
  readonly queryOnly: boolean;
}

/** Launches the core is waiting for: a fence attempt or a host check. */
export type LaunchOwner = { kind: 'attempt'; op: Op } | { kind: 'check'; op: Op; device: Device; run: 'list' | 'status'; deadline: Millis; timedOut: boolean };

