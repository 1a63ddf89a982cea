// The contracts between the CRM's parts built side by side: one resource operation and its result (transition
// engine ⇄ executor ⇄ CIB status), and the control-socket requests of the CIB (operator tools ⇄ daemon).
// Types and Pacemaker's numeric codes only; each part owns its behaviour in its own folder.

/** OCF return codes (Pacemaker's enum ocf_exitcode; LSB status codes are mapped onto these by the executor). */
export const OCF_RC = {
  OK: 0, ERR_GENERIC: 1, ERR_ARGS: 2, UNIMPLEMENT_FEATURE: 3, ERR_PERM: 4, ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6, NOT_RUNNING: 7, RUNNING_PROMOTED: 8, FAILED_PROMOTED: 9,
} as const;

/** Execution status of an operation (Pacemaker 2.1's enum pcmk_exec_status, the lrm_rsc_op `op-status`). */
export const EXEC_STATUS = {
  UNKNOWN: -2, PENDING: -1, DONE: 0, CANCELLED: 1, TIMEOUT: 2, NOT_SUPPORTED: 3, ERROR: 4, ERROR_HARD: 5,
  ERROR_FATAL: 6, NOT_INSTALLED: 7, NOT_CONNECTED: 8, INVALID: 9, NO_FENCE_DEVICE: 10, NO_SECRETS: 11,
} as const;

/** Resource agent classes Lifeline executes. */
export type AgentClass = 'ocf' | 'lsb' | 'heartbeat' | 'service' | 'systemd' | 'stonith';

/** Which agent runs a resource (`class:provider:type`). */
export interface AgentRef {
  readonly cls: AgentClass;
  readonly provider?: string;
  readonly type: string;
}

/** Actions an agent is asked to perform. */
export type RscTask = 'start' | 'stop' | 'monitor' | 'promote' | 'demote' | 'notify' | 'reload' | 'migrate_to' | 'migrate_from' | 'meta-data' | 'validate-all';

/** One operation the DC asks a node's executor to run (a resource action of a transition, or a probe/monitor). */
export interface RscOp {
  readonly rsc: string;
  readonly agent: AgentRef;
  readonly task: RscTask;
  /** 0 for one-shot operations (start, stop, probe); > 0 for a recurring monitor. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly startDelayMs?: number;
  /** Instance attributes (OCF_RESKEY_<name>). */
  readonly params: Readonly<Record<string, string>>;
  /** Meta attributes passed to the agent (OCF_RESKEY_CRM_meta_<name>, dashes as underscores). */
  readonly meta: Readonly<Record<string, string>>;
  /** Node that runs it. */
  readonly node: string;
  /** Pacemaker's transition key `action-id:transition-id:target-rc:dc-uuid`, recorded in lrm_rsc_op. */
  readonly transitionKey: string;
  /** rc that counts as success (7 for a probe of a stopped resource is still "not running", not a failure). */
  readonly expectedRc: number;
}

/** What came of one operation: what the executor reports and the CIB status records as an lrm_rsc_op. */
export interface OpResult {
  readonly op: RscOp;
  /** Per-node increasing call id (lrm_rsc_op call-id). */
  readonly callId: number;
  readonly rc: number;
  /** One of EXEC_STATUS. */
  readonly execStatus: number;
  /** Last lines of the agent's output, for crm_mon's failed-actions list. */
  readonly output: string;
  /** Epoch seconds the operation ran and the rc last changed (last-run, last-rc-change). */
  readonly lastRun: number;
  readonly lastRcChange: number;
  readonly execTimeMs: number;
  readonly queueTimeMs: number;
  /** Pacemaker's op-digest of the parameters the operation ran with (see scheduler's paramsDigest). */
  readonly opDigest: string;
}

/** Operation key as Pacemaker writes it: `rsc_task_intervalMs` (e.g. `ip_monitor_10000`). */
export function opKey(rsc: string, task: string, intervalMs: number): string {
  return `${rsc}_${task}_${intervalMs}`;
}

/**
 * Control-socket requests for the CIB (`cmd` fields; answered by the running CRM, mirrored by the CIB_file
 * client). Sections are Pacemaker's: configuration, nodes, resources, constraints, crm_config, rsc_defaults,
 * op_defaults, status. Answers: `{ ok: true, xml }` for a query, `{ ok: true, epoch, numUpdates }` for a change,
 * `{ ok: false, rc, error }` with Pacemaker's cibadmin exit code otherwise.
 */
export type CibRequest =
  | { readonly cmd: 'cib_query'; readonly section?: string; readonly xpath?: string }
  | { readonly cmd: 'cib_replace'; readonly xml: string; readonly section?: string }
  | { readonly cmd: 'cib_modify'; readonly xml: string; readonly section?: string }
  | { readonly cmd: 'cib_create'; readonly xml: string; readonly section?: string }
  | { readonly cmd: 'cib_delete'; readonly xml?: string; readonly xpath?: string; readonly section?: string };
