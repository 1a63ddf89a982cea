// The fencer packaged for the daemon: an object of the daemon's EffectConsumer shape (start, onEffects, control,
// stop) that crmd plugs in with a few lines; it registers devices from each new CIB and answers fence_* requests.

import { processLauncher } from '../executor/driver.js';
import { Fencer, type FencerShellOptions, type FenceControlRequest } from './fencer.js';
import type { FenceRequest, FenceResult, LogLevel } from './types.js';

/** The part of the daemon's ConsumerApi the fencer uses (structural: crm/ does not import daemon/). */
export interface FencerHostApi {
  log(level: 'debug' | 'info' | 'warn' | 'error' | 'crit', text: string): void;
}

/** Pacemaker's levels onto the daemon's (notice is info there, warning is warn). */
const LEVEL: Readonly<Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'>> = { debug: 'debug', info: 'info', notice: 'info', warning: 'warn', error: 'error' };

export interface FencerConsumer {
  readonly name: 'fencer';
  readonly fencer: Fencer;
  start(api: FencerHostApi): void;
  /** Membership effects are not the fencer's business: the controller tells it what to fence. */
  onEffects(effects: readonly unknown[]): void;
  control(req: FenceControlRequest): Promise<unknown> | undefined;
  stop(): void;
  /** A new CIB (after every change the controller sees): devices, topology and options are registered again. */
  setCib(cibXml: string): Promise<void>;
  /** The controller's fencing request (te_fence_node): logs "Requesting fencing (ACTION) of node N" first. */
  fence(req: FenceRequest): Promise<FenceResult>;
}

/**
 * The fencer of one node. `notify` gets every finished operation (st_notify_fence), merged requests excepted; log
 * lines carry the `pacemaker-fenced` wording and go to the daemon's log once `start` ran.
 */
export function fencerConsumer(o: Omit<FencerShellOptions, 'log'> & { readonly wrap?: (argv: readonly string[]) => readonly string[] }): FencerConsumer {
  let api: FencerHostApi | undefined;
  const early: Array<[LogLevel, string]> = [];
  const fencer = new Fencer({
    ...o, ...(o.launcher ? {} : { launcher: processLauncher(o.wrap) }),
    log: (level, text) => { if (api) api.log(LEVEL[level], `pacemaker-fenced: ${text}`); else early.push([level, text]); },
  });
  return {
    name: 'fencer', fencer,
    start(a) { api = a; for (const [l, t] of early.splice(0)) a.log(LEVEL[l], `pacemaker-fenced: ${t}`); },
    onEffects() {},
    control: (req) => fencer.control(req),
    stop: () => fencer.stop(),
    setCib: (xml) => fencer.configure(xml),
    fence(req) {
      api?.log('info', `pacemaker-controld: Requesting fencing (${req.action}) of node ${req.target} | action=${req.action} timeout=${req.timeoutMs ?? 0}${req.delayMs ? ` priority_delay=${Math.round(req.delayMs / 1000)}` : ''}`);
      return fencer.fence(req).then((r) => {
        // tengine_stonith_notify's line, the one admins grep for.
        api?.log(r.ok ? 'info' : 'error', `pacemaker-controld: Peer ${r.target} was${r.ok ? '' : ' not'} terminated (${r.action}) by ${r.delegate ?? 'unknown node'} on behalf of ${r.client}@${r.origin}: ${r.ok ? 'OK' : r.execStatus}${r.exitReason ? ` (${r.exitReason})` : ''}`);
        return r;
      });
    },
  };
}
