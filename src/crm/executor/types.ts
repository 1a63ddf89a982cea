// The executor's vocabulary: which agent (class:provider:type), an operation request as the controller sends it,
// its result as execd reports it, and the effects the pure core asks its adapter to carry out.

/** Milliseconds, on the clock the core is given (epoch ms: results carry last-rc-change in seconds from it). */
export type Millis = number;

/** Resource classes ("standards") the executor runs. `service` is LSB here (no systemd in the test machines). */
export type RscClass = 'ocf' | 'lsb' | 'service' | 'systemd' | 'stonith' | 'heartbeat';

/** An agent as the CIB names it: `ocf:heartbeat:IPaddr2`, `lsb:ssh`, `stonith:fence_dummy`. */
export interface AgentRef {
  readonly cls: RscClass;
  /** OCF only. */
  readonly provider?: string;
  readonly type: string;
}

/** Parses `CLASS[:PROVIDER]:TYPE` (OCF needs a provider, the others have none); an error text when malformed. */
export function parseAgentRef(text: string): AgentRef | string {
  const parts = text.split(':');
  const cls = parts[0] as RscClass;
  if (!['ocf', 'lsb', 'service', 'systemd', 'stonith', 'heartbeat'].includes(cls)) return `unknown resource class "${parts[0] ?? ''}" in "${text}" (expected ocf, lsb, service, systemd, stonith or heartbeat)`;
  if (cls === 'ocf') {
    if (parts.length !== 3 || !parts[1] || !parts[2]) return `"${text}": an OCF agent is written ocf:PROVIDER:TYPE`;
    return { cls, provider: parts[1], type: parts[2] };
  }
  if (parts.length !== 2 || !parts[1]) return `"${text}": a ${cls} agent is written ${cls}:TYPE`;
  return { cls, type: parts[1] };
}

/** `ocf:heartbeat:IPaddr2` again. */
export function agentText(a: AgentRef): string {
  return a.provider ? `${a.cls}:${a.provider}:${a.type}` : `${a.cls}:${a.type}`;
}

/** One operation to run, as the controller asks execd for it. */
export interface OpRequest {
  /** Resource id (OCF_RESOURCE_INSTANCE), e.g. `ip` or `ping:0`. */
  readonly rscId: string;
  readonly agent: AgentRef;
  /** start, stop, monitor, promote, demote, notify, meta-data, validate-all, reload-agent, migrate_to, ... */
  readonly action: string;
  /** 0 for one-shot operations and probes; > 0 makes a recurring operation (monitors). */
  readonly intervalMs: Millis;
  readonly timeoutMs: Millis;
  /** Delay before the first run (the op's start-delay / start_delay). */
  readonly startDelayMs?: Millis;
  /** Instance attributes (become OCF_RESKEY_<name>). */
  readonly params: Readonly<Record<string, string>>;
  /** Further meta attributes, names as configured (become OCF_RESKEY_CRM_meta_<name>, dashes as underscores). */
  readonly meta?: Readonly<Record<string, string>>;
  /** rc the controller expects (transition-key's third field); default 7 for probes, else 0. */
  readonly expectedRc?: number;
  /** `ACTION:TRANSITION:EXPECTED_RC:UUID` from the transition; a local one is made up when absent. */
  readonly transitionKey?: string;
}

/** The result of one run of an operation (a recurring one yields one per run). */
export interface OpResult {
  readonly request: OpRequest;
  /** Execd's call id: one per request; the runs of a recurring op share it. */
  readonly callId: number;
  /** OCF exit code after class mapping (`rc-code`). */
  readonly rc: number;
  /** Execution status (`op-status`, see EXEC in rc.ts). */
  readonly opStatus: number;
  /** From the agent's `ocf-exit-reason:` stderr line, or the executor's own reason. */
  readonly exitReason?: string;
  /** stdout of the agent (meta-data XML lives here), capped. */
  readonly stdout: string;
  readonly stderr: string;
  /** When the run started and how long it ran and waited in the resource's queue. */
  readonly startedAt: Millis;
  readonly execMs: Millis;
  readonly queueMs: Millis;
  readonly pid?: number;
  /** False for a recurring run that repeats the previous run's rc and status (the controller skips those). */
  readonly changed: boolean;
}

/** Low-level end of a process, as the adapter saw it. */
export interface ProcessExit {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started (ENOENT, EACCES). */
  readonly spawnError?: string;
}

/** Log levels with Pacemaker's names. */
export type LogLevel = 'error' | 'warning' | 'notice' | 'info' | 'debug';

/** What the core asks its adapter to do. */
export type ExecEffect =
  /** Spawn argv with exactly env (and stdin when given) in a new process group; report exit by launchId. */
  | { readonly kind: 'launch'; readonly launchId: number; readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly stdin?: string }
  /** SIGKILL the launch's whole process group (timeout or cancellation). */
  | { readonly kind: 'kill'; readonly launchId: number }
  | { readonly kind: 'result'; readonly result: OpResult }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly text: string };

/** `rsc_action_interval`, Pacemaker's operation key (`ip_monitor_10000`). */
export function opKey(rscId: string, action: string, intervalMs: number): string {
  return `${rscId}_${action}_${intervalMs}`;
}
