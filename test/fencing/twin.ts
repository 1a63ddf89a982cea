// An in-memory twin of a STONITH device for the fencing machine's tests: a BMC that is reachable or not, resets the
// hosts it controls, and takes a configurable time per operation, all on the test's fake clock.

import type { Millis, NodeName } from '../../src/types.js';
import type { FenceOutcome } from '../../src/fencing/machine.js';

export class PluginTwin {
  /** False: the device does not answer (each attempt fails after `failAfter`, or hangs past the timeout when `hang`). */
  reachable = true;
  hang = false;
  /** Hosts this device can reset (others get S_BADHOST). */
  readonly hosts: Set<string>;
  /** Every host reset, in order: a powered-off machine stays in this list. */
  readonly resets: NodeName[] = [];
  readonly opMs: number;
  readonly failAfter: number;

  constructor(hosts: readonly string[], o: { opMs?: number; failAfter?: number } = {}) {
    this.hosts = new Set(hosts);
    this.opMs = o.opMs ?? 300;
    this.failAfter = o.failAfter ?? 2000;
  }

  /** When the operation ends and with what; undefined = never (it hangs until killed). */
  answer(op: 'reset' | 'status', node: NodeName | undefined): { afterMs: number; outcome: FenceOutcome } | undefined {
    if (!this.reachable) return this.hang ? undefined : { afterMs: this.failAfter, outcome: 'failed' };
    if (op === 'status') return { afterMs: this.opMs, outcome: 'ok' };
    if (!this.hosts.has(node!)) return { afterMs: this.opMs, outcome: 'badhost' };
    return { afterMs: this.opMs, outcome: 'ok' };
  }

  /** The reset took effect (called by the harness when the answer is delivered). */
  applied(op: 'reset' | 'status', node: NodeName | undefined, outcome: FenceOutcome): void {
    if (op === 'reset' && outcome === 'ok') this.resets.push(node!);
  }
}

/** Pending plugin runs on the fake clock: delivered in time order, or as a timeout at their deadline. */
export interface PendingRun { readonly opId: number; readonly at: Millis; readonly outcome: FenceOutcome; readonly op: 'reset' | 'status'; readonly node?: NodeName }
