// haresources fencing for the daemon: picks this node's STONITH device from ha.cf and drives it with cluster-glue's
// `stonith` command; the resource layer asks it to reset a dead peer and hears back once the reset succeeded.

import type { HaCf } from '../config/hacf-model.js';
import { deviceFor } from '../fencing/device.js';
import { deviceIdSync, deviceStatus, pluginLogEnv, readConfigFile, resetNode } from '../fencing/stonith-cli.js';
import { resourceMessageToHa } from '../resources/messages.js';
import { millis, type NodeName } from '../types.js';
import type { ConsumerApi } from './consumer.js';
import { FenceDriver } from './fencing.js';

/** The longest a timer can wait (about 24 days): for meatware, in practice no bound. */
const MEATWARE_TIMEOUT_MS = 2 ** 31 - 1;

/** What the resource consumer holds: ask for a reset, start the hourly status check, stop. */
export interface Fencing {
  readonly request: (node: NodeName) => void;
  readonly start: () => void;
  readonly close: () => void;
}

/**
 * The fencing of this node, or undefined when no stonith line applies to it (heartbeat then logs "No STONITH
 * device configured." and takes over anyway).
 */
export function haresourcesFencing(h: HaCf, me: string, api: ConsumerApi, onFenced: (node: NodeName) => void): Fencing | undefined {
  const device = deviceFor(h, me, readConfigFile);
  if (!device) return undefined;
  const env = pluginLogEnv(h);
  // Stopping the daemon kills a reset still running: none may land after the daemon that decided it is gone.
  const stop = new AbortController();
  const driver = new FenceDriver({
    // meatware waits for a human running `meatclient -c NODE`: no timeout, as in heartbeat, or the FIFO the
    // operator answers would be torn down under them every minute.
    config: { deviceId: deviceIdSync(device.type), ...(device.type === 'meatware' ? { attemptTimeout: millis(MEATWARE_TIMEOUT_MS) } : {}) },
    now: api.now,
    log: (level, text) => api.log(level, text),
    send: (node, result) => api.send(resourceMessageToHa({ t: 'stonith', node, result })),
    fenced: (node, attempts, elapsed) => {
      api.log('info', `STONITH of ${node} confirmed after ${attempts} attempt(s), ${elapsed} ms`);
      onFenced(node);
    },
    run: (op, node, timeoutMs) => (op === 'reset' ? resetNode(device, node!, { timeoutMs, env, signal: stop.signal }) : deviceStatus(device, { timeoutMs, env, signal: stop.signal })),
  });
  return { request: (node) => driver.feed({ type: 'fence', node }), start: () => driver.feed({ type: 'start' }), close: () => { driver.close(); stop.abort(); } };
}
