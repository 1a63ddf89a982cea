// Result codes as Pacemaker 2.1.5 names and classifies them: OCF exit codes, execution statuses (op-status),
// the hard/soft/fatal severity of a failure, and the LSB and fence-agent codes mapped onto OCF ones.

/** OCF exit codes (Pacemaker's `enum ocf_exitcode`). */
export const OCF = {
  OK: 0, UNKNOWN_ERROR: 1, INVALID_PARAM: 2, UNIMPLEMENT_FEATURE: 3, INSUFFICIENT_PRIV: 4, NOT_INSTALLED: 5,
  NOT_CONFIGURED: 6, NOT_RUNNING: 7, RUNNING_PROMOTED: 8, FAILED_PROMOTED: 9, DEGRADED: 190, DEGRADED_PROMOTED: 191,
} as const;

/** Execution status of an operation, recorded as `op-status` (Pacemaker's `enum pcmk_exec_status`). */
export const EXEC = {
  PENDING: -1, DONE: 0, CANCELLED: 1, TIMEOUT: 2, NOT_SUPPORTED: 3, ERROR: 4, ERROR_HARD: 5, ERROR_FATAL: 6,
  NOT_INSTALLED: 7, NOT_CONNECTED: 8, INVALID: 9, NO_FENCE_DEVICE: 10, NO_SECRETS: 11,
} as const;
export type ExecStatus = (typeof EXEC)[keyof typeof EXEC];

/** The text Pacemaker logs for an OCF exit code (`services_ocf_exitcode_str`). */
export function ocfRcText(rc: number): string {
  switch (rc) {
    case 0: return 'ok';
    case 1: return 'error';
    case 2: return 'invalid parameter';
    case 3: return 'unimplemented feature';
    case 4: return 'insufficient privileges';
    case 5: return 'not installed';
    case 6: return 'not configured';
    case 7: return 'not running';
    case 8: return 'promoted';
    case 9: return 'promoted (failed)';
    case 190: return 'degraded';
    case 191: return 'promoted (degraded)';
    default: return 'unknown';
  }
}

/** The text Pacemaker logs for an execution status (`pcmk_exec_status_str`). */
export function execStatusText(s: number): string {
  switch (s) {
    case EXEC.PENDING: return 'pending';
    case EXEC.DONE: return 'complete';
    case EXEC.CANCELLED: return 'Cancelled';
    case EXEC.TIMEOUT: return 'Timed Out';
    case EXEC.NOT_SUPPORTED: return 'NOT SUPPORTED';
    case EXEC.ERROR: return 'Error';
    case EXEC.ERROR_HARD: return 'Hard error';
    case EXEC.ERROR_FATAL: return 'Fatal error';
    case EXEC.NOT_INSTALLED: return 'Not installed';
    case EXEC.NOT_CONNECTED: return 'Internal communication failure';
    case EXEC.INVALID: return 'Cannot execute now';
    case EXEC.NO_FENCE_DEVICE: return 'No fence device';
    case EXEC.NO_SECRETS: return 'No secrets';
    default: return 'UNKNOWN!';
  }
}

/**
 * How bad an unexpected result is (Pacemaker Administration, "OCF Return Codes"): soft = recover on this node
 * (restart), hard = this node cannot run it (ban it here), fatal = no node can (stop everywhere); none = success.
 */
export type Severity = 'none' | 'soft' | 'hard' | 'fatal';

/** Severity of rc `rc` when `expected` was expected (a probe's 7 is expected where the resource should not run). */
export function severityOf(rc: number, expected: number): Severity {
  if (rc === expected) return 'none';
  // Degraded results count as their non-degraded twins.
  if ((rc === OCF.DEGRADED && expected === OCF.OK) || (rc === OCF.DEGRADED_PROMOTED && expected === OCF.RUNNING_PROMOTED)) return 'none';
  switch (rc) {
    case OCF.INVALID_PARAM: case OCF.UNIMPLEMENT_FEATURE: case OCF.INSUFFICIENT_PRIV: case OCF.NOT_INSTALLED: return 'hard';
    case OCF.NOT_CONFIGURED: return 'fatal';
    default: return 'soft';
  }
}

/** Pacemaker's `services__ocf2ocf`: codes outside 0–9 (other than the degraded ones) become "error". */
export function normalizeOcfRc(code: number): number {
  if (code === OCF.DEGRADED || code === OCF.DEGRADED_PROMOTED) return code;
  return code < 0 || code > OCF.FAILED_PROMOTED ? OCF.UNKNOWN_ERROR : code;
}

/** Pacemaker's `services__lsb2ocf`: `status` codes 1–3 mean stopped, 4 unknown; other actions pass 0–7 through. */
export function lsbToOcf(action: string, code: number): number {
  if (action === 'status' || action === 'monitor') {
    switch (code) {
      case 0: return OCF.OK;
      case 1: case 2: case 3: return OCF.NOT_RUNNING;
      case 150: return OCF.NOT_INSTALLED;
      case 151: return OCF.INSUFFICIENT_PRIV;
      default: return OCF.UNKNOWN_ERROR;
    }
  }
  return code >= 0 && code <= 7 ? code : OCF.UNKNOWN_ERROR;
}

/** `systemctl is-active` answers 0 for active and 3 (or others) for inactive; other actions 0 = ok. */
export function systemdToOcf(action: string, code: number): number {
  if (action === 'monitor' || action === 'status') return code === 0 ? OCF.OK : OCF.NOT_RUNNING;
  return code === 0 ? OCF.OK : OCF.UNKNOWN_ERROR;
}

/** Fence agents answer 0 for success; `monitor`/`status` answer 2 when the device or port is off. */
export function fenceToOcf(action: string, code: number): number {
  if (code === 0) return OCF.OK;
  if ((action === 'monitor' || action === 'status') && code === 2) return OCF.NOT_RUNNING;
  return OCF.UNKNOWN_ERROR;
}
