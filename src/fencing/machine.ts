// The pure fencing machine of haresources mode: reset a dead peer through the STONITH device, retry until it works,
// and report success only then (heartbeat 3.0.6's Initiate_Reset / StonithProcessDied / StonithStatProc, hb_resource.c).

import type { Millis, NodeName } from '../types.js';

/** heartbeat re-runs a failed reset after 5 s (Gmain_timeout_add(5*1000, StonithProc, h)). */
export const STONITH_RETRY_MS = 5000;
/** heartbeat checks the device's status once an hour (Gmain_timeout_add(3600*1000, StonithStatProc, NULL)). */
export const STONITH_STATUS_INTERVAL_MS = 3_600_000;
/**
 * How long one reset may run before its process group is killed and the attempt counted as failed. heartbeat has
 * no bound (a hung plugin blocks the takeover for ever); Pacemaker's stonith-timeout default is 60 s.
 */
export const STONITH_ATTEMPT_TIMEOUT_MS = 60_000;

/** What the machine needs to know. Timings default to heartbeat's. */
export interface FenceConfig {
  /** The device's ST_DEVICEID, as heartbeat names it in its log lines (`IPMI STONITH device`). */
  readonly deviceId: string;
  readonly retryDelay?: Millis;
  readonly attemptTimeout?: Millis;
  readonly statusInterval?: Millis;
}

/** How one run of the plugin ended: stonith's S_OK, S_BADHOST, any other code, or killed at the timeout. */
export type FenceOutcome = 'ok' | 'badhost' | 'failed' | 'timeout';

/** A reset in progress for one node: running (opId set) or waiting for its retry (retryAt set). */
export interface FenceRequest {
  readonly node: NodeName;
  readonly attempts: number;
  /** When the first attempt started: the figure `fenced` reports. */
  readonly since: Millis;
  readonly opId?: number;
  readonly retryAt?: Millis;
}

/** The machine's whole state; plain data, never mutated by step. */
export interface FenceState {
  readonly cfg: FenceConfig;
  readonly requests: readonly FenceRequest[];
  readonly nextOpId: number;
  /** The running status check, if any. */
  readonly statusOp?: number;
  /** When the next status check is due (undefined until `start`). */
  readonly statusAt?: Millis;
}

export type FenceEvent =
  /** The cluster is up (heartbeat's comm_now_up): check the device now, then hourly. */
  | { readonly type: 'start' }
  /** A dead peer that may hold resources must be reset before they are taken over. */
  | { readonly type: 'fence'; readonly node: NodeName }
  /** A `run` effect finished. `detail` is the plugin's own output, logged as it is. */
  | { readonly type: 'done'; readonly opId: number; readonly outcome: FenceOutcome; readonly detail?: string }
  | { readonly type: 'tick' };

export type FenceEffect =
  /** Run the plugin: `reset NODE` or a status check, killed after timeoutMs. Answer with a `done` event. */
  | { readonly type: 'run'; readonly opId: number; readonly op: 'reset' | 'status'; readonly node?: NodeName; readonly timeoutMs: Millis }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly text: string }
  /** heartbeat's send_stonith_msg: `t=stonith node=N result=OK|badhost|bad` to the cluster. */
  | { readonly type: 'send'; readonly node: NodeName; readonly result: 'OK' | 'badhost' | 'bad' }
  /** The node is reset: its groups may now be taken over. */
  | { readonly type: 'fenced'; readonly node: NodeName; readonly attempts: number; readonly elapsed: Millis };

export interface FenceStep {
  readonly state: FenceState;
  readonly effects: readonly FenceEffect[];
}

export function initialFenceState(cfg: FenceConfig): FenceState {
  return { cfg, requests: [], nextOpId: 1 };
}

/** The earliest instant the machine wants a `tick`, or undefined. */
export function nextFenceDeadline(s: FenceState): Millis | undefined {
  const at = [...s.requests.map((r) => r.retryAt), s.statusOp === undefined ? s.statusAt : undefined].filter((x): x is Millis => x !== undefined);
  return at.length ? (Math.min(...at) as Millis) : undefined;
}

/** True while some node waits to be reset: its groups are not to be taken. */
export function fencing(s: FenceState, node: NodeName): boolean {
  return s.requests.some((r) => r.node === node);
}

/** Advances the machine by one event. Pure. */
export function fenceStep(state: FenceState, ev: FenceEvent, now: Millis): FenceStep {
  const fx: FenceEffect[] = [];
  let s = state;
  const retryDelay = s.cfg.retryDelay ?? STONITH_RETRY_MS;
  const timeoutMs = (s.cfg.attemptTimeout ?? STONITH_ATTEMPT_TIMEOUT_MS) as Millis;
  const dev = s.cfg.deviceId;
  const log = (level: 'info' | 'warn' | 'error', text: string) => fx.push({ type: 'log', level, text });
  const launch = (r: FenceRequest): FenceRequest => {
    const opId = s.nextOpId;
    s = { ...s, nextOpId: opId + 1 };
    log('info', `Resetting node ${r.node} with [${dev}]`);
    fx.push({ type: 'run', opId, op: 'reset', node: r.node, timeoutMs });
    return { node: r.node, attempts: r.attempts + 1, since: r.since, opId };
  };
  const checkStatus = () => {
    const opId = s.nextOpId;
    s = { ...s, nextOpId: opId + 1, statusOp: opId };
    log('info', `Checking status of STONITH device [${dev}]`);
    fx.push({ type: 'run', opId, op: 'status', timeoutMs });
  };

  switch (ev.type) {
    case 'start':
      if (s.statusAt === undefined && s.statusOp === undefined) checkStatus();
      break;
    case 'fence':
      // One reset per node at a time: a second death notice while one runs or waits changes nothing.
      if (fencing(s, ev.node)) break;
      s = { ...s, requests: [...s.requests, launch({ node: ev.node, attempts: 0, since: now })] };
      break;
    case 'done': {
      if (ev.opId === s.statusOp) {
        if (ev.outcome !== 'ok') {
          if (ev.outcome !== 'timeout') log('error', `STONITH device ${dev} not operational!`);
          log('error', 'STONITH status operation failed.');
          log('info', 'This may mean that the STONITH device has failed!');
        }
        s = { ...s, statusOp: undefined, statusAt: (now + (s.cfg.statusInterval ?? STONITH_STATUS_INTERVAL_MS)) as Millis };
        break;
      }
      const r = s.requests.find((x) => x.opId === ev.opId);
      if (!r) break;
      // The plugin's own words on a failure ("error executing ipmitool: ..."), so the log says why.
      if (ev.detail && ev.outcome !== 'ok') for (const l of ev.detail.split('\n').filter((x) => x.trim() !== '')) log('error', `stonith: ${l.trim()}`);
      if (ev.outcome === 'ok') {
        log('info', `node ${r.node} now reset.`);
        fx.push({ type: 'send', node: r.node, result: 'OK' });
        fx.push({ type: 'fenced', node: r.node, attempts: r.attempts, elapsed: (now - r.since) as Millis });
        s = { ...s, requests: s.requests.filter((x) => x !== r) };
        break;
      }
      if (ev.outcome === 'badhost') {
        log('error', `Device ${dev} cannot reset host ${r.node}.`);
        fx.push({ type: 'send', node: r.node, result: 'badhost' });
      } else if (ev.outcome === 'failed') {
        log('error', `Host ${r.node} not reset!`);
        fx.push({ type: 'send', node: r.node, result: 'bad' });
      } else {
        // The child was killed: like a heartbeat child killed by a signal, it sends no result.
        log('error', `STONITH of ${r.node} timed out after ${timeoutMs} ms: its process group was killed`);
      }
      log('error', `STONITH of ${r.node} failed.  Retrying...`);
      const waiting: FenceRequest = { node: r.node, attempts: r.attempts, since: r.since, retryAt: (now + retryDelay) as Millis };
      s = { ...s, requests: s.requests.map((x) => (x === r ? waiting : x)) };
      break;
    }
    case 'tick': {
      const due = s.requests.filter((r) => r.retryAt !== undefined && r.retryAt <= now);
      if (due.length) s = { ...s, requests: s.requests.map((r) => (due.includes(r) ? launch(r) : r)) };
      if (s.statusOp === undefined && s.statusAt !== undefined && s.statusAt <= now) checkStatus();
      break;
    }
  }
  return { state: s, effects: fx };
}
