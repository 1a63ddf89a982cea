// The fencer's vocabulary: a fencing request as the controller or stonith_admin sends it, its result, the fence
// history entry, and the effects the pure core asks its shell to carry out (launch, kill, log, result).

import type { ProcessExit } from '../executor/types.js';

export type { ProcessExit };

/** Milliseconds on the core's clock (epoch ms: history prints completion times from it). */
export type Millis = number;

/** What can be asked of the fencer: reboot and off fence, on unfences. */
export type FenceAction = 'reboot' | 'off' | 'on';

/** One fencing request. */
export interface FenceRequest {
  readonly target: string;
  readonly action: FenceAction;
  /** Who asks, as Pacemaker names clients: `pacemaker-controld.1234`, `stonith_admin.5678`. */
  readonly client: string;
  /** The node the request comes from. */
  readonly origin: string;
  /** Per-device timeout; default the stonith-timeout cluster option (stonith_admin's --timeout). */
  readonly timeoutMs?: Millis;
  /**
   * A requested delay before the first device runs (the controller passes priority-fencing-delay here; stonith_admin
   * --delay). Negative disables pcmk_delay_base/pcmk_delay_max too, as in fenced.
   */
  readonly delayMs?: Millis;
  /** Use only this device (stonith_admin's -v/--device style requests). */
  readonly device?: string;
}

/** Pacemaker's execution status words (pcmk_exec_status_str) for fencing results. */
export type ExecStatus = 'complete' | 'Error' | 'Timed Out' | 'No fence device' | 'Not installed' | 'Cancelled';

/** How a fencing operation ended. */
export interface FenceResult {
  /** The operation's id (fenced's remote op id, shortened to 8 characters in logs). */
  readonly id: string;
  readonly target: string;
  readonly action: FenceAction;
  readonly client: string;
  readonly origin: string;
  readonly ok: boolean;
  /** 0 (CRM_EX_OK) or 1 (CRM_EX_ERROR). */
  readonly exitStatus: number;
  readonly execStatus: ExecStatus;
  readonly exitReason?: string;
  /** The node that ran the agent (this node), or "a human" for a manual confirmation. */
  readonly delegate?: string;
  /** The devices that fenced the target (empty on failure). */
  readonly devices: readonly string[];
  readonly completedAt: Millis;
  /** True when this request was merged into an identical one already in flight. */
  readonly merged: boolean;
}

/** One entry of the fence history (stonith_history_t). */
export interface HistoryEntry {
  readonly id: string;
  readonly target: string;
  readonly action: FenceAction;
  readonly state: 'pending' | 'done' | 'failed';
  readonly client: string;
  readonly origin: string;
  readonly delegate?: string;
  readonly created: Millis;
  readonly completed?: Millis;
  readonly exitReason?: string;
}

export type LogLevel = 'error' | 'warning' | 'notice' | 'info' | 'debug';

/** What the core asks its shell to do. */
export type FencerEffect =
  /** Start argv (stdin when given) in a process group of its own; answer with `exited(launchId, ...)`. */
  | { readonly kind: 'launch'; readonly launchId: number; readonly argv: readonly string[]; readonly stdin?: string }
  /** SIGKILL the launch's whole process group (its timeout passed). */
  | { readonly kind: 'kill'; readonly launchId: number }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly text: string }
  /** A request is answered (one per request, merged ones included). */
  | { readonly kind: 'result'; readonly requestId: number; readonly result: FenceResult };

/** Random integer in [0, n): injected so delays are replayable in tests (fenced uses rand()). */
export type Random = (n: number) => number;
