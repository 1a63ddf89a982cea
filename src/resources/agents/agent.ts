// The one interface every resource agent adapter implements (IPaddr native, resource.d/init.d scripts, OCF),
// and the mapping from an agent's answer to the ok/not-ok the ownership machine consumes.

import type { ArpSender } from '../../io/arp-sender.js';
import type { IpChannel } from '../../io/ip-batch.js';
import type { Exec } from '../../io/process.js';

/** What heartbeat asks of a resource. `status` is heartbeat's; `monitor` is OCF's health check. */
export type AgentAction = 'start' | 'stop' | 'status' | 'monitor';

/** The outcome of one action. */
export interface AgentResult {
  /** start/stop succeeded; for status/monitor: the resource runs here. */
  readonly ok: boolean;
  /** For status/monitor: the resource runs here (same as ok); undefined for start/stop. */
  readonly running?: boolean;
  /** The script's exit code (-1 when killed or not started; 0 for native agents that succeeded). */
  readonly rc: number;
  readonly timedOut: boolean;
  /** A one-line reason when ok is false. */
  readonly reason?: string;
}

/** One resource, ready to act on. */
export interface Agent {
  /** The resource as written in haresources (for logs). */
  readonly text: string;
  run(action: AgentAction, opts?: { timeoutMs?: number }): Promise<AgentResult>;
}

/** What adapters need from the outside world. */
export interface AgentContext {
  /** heartbeat's configuration directory, holding resource.d/ and conf/OCF/. Default /etc/ha.d. */
  readonly configDir: string;
  /** LSB init scripts, searched after resource.d. Default /etc/init.d. */
  readonly initDir: string;
  /** OCF_ROOT. Default /usr/lib/ocf. */
  readonly ocfRoot: string;
  /** Runs commands; tests pass one that enters a network namespace. */
  readonly exec: Exec;
  /** The long-lived `ip -batch` channel for the native address agent; without it each `ip` command is a process. */
  readonly ip?: IpChannel;
  /** The long-lived gratuitous-ARP helper; without it each ARP is an arping process forked by `exec`. */
  readonly arp?: ArpSender;
  /** Receives the adapters' log lines (script output, "Running …" lines, ip commands). */
  readonly log: (line: string) => void;
  /** Timeout for an action when the caller gives none. Default 60 s. */
  readonly defaultTimeoutMs?: number;
}

/** heartbeat's ResourceManager we_own_resource: reads a status output the way its shell `case` does. */
export function statusOutputSaysRunning(output: string): boolean {
  if (/[Nn][Oo][Tt] [\s\S]*[Rr]unning/.test(output)) return false;
  return /[Rr]unning|OK/.test(output);
}
