// Whether a device can fence a target (fenced's can_fence_host_with_device), as pure decisions: the answer now, or
// which agent action (list/status) must run first, and how that action's result decides. Log wording is fenced's.

import { hostCheckOf, type Device } from './registry.js';
import type { FenceAction, LogLevel } from './types.js';

/** fenced re-runs `list` when its cached answer is older than 60 s. */
export const LIST_CACHE_MS = 60_000;

export type Eligibility =
  | { readonly decided: true; readonly can: boolean; readonly checkType: string; readonly alias?: string; readonly logLevel?: LogLevel; readonly log?: string }
  | { readonly decided: false; readonly run: 'list' | 'status'; readonly checkType: string };

/** What the core remembers of a device's `list` answers. */
export interface ListCache {
  readonly targets: readonly string[];
  readonly at: number;
}

/**
 * The decision that needs no agent run, or the run it needs. `self` is this node's name: a device may not fence
 * the node it runs on (no self-fencing unless the request allows it).
 */
export function eligibility(d: Device, target: string, action: FenceAction, self: string, now: number, cache: ListCache | undefined,
  checkOverride?: string, allowSelf = false): Eligibility {
  const alias = d.aliases.get(target.toLowerCase());
  if (action === 'on' && !d.caps.on) return { decided: true, can: false, checkType: "Agent does not support 'on'" };
  if (target.toLowerCase() === self.toLowerCase() && !allowSelf) return { decided: true, can: false, checkType: 'This node is not allowed to execute action' };
  const checkType = checkOverride ?? hostCheckOf(d);
  switch (checkType) {
    case 'none': return { decided: true, can: true, checkType, ...(alias ? { alias } : {}) };
    case 'static-list': {
      const can = d.targets.some((t) => t.toLowerCase() === target.toLowerCase()) || (d.params.has('pcmk_host_map') && alias !== undefined);
      return { decided: true, can, checkType, ...(alias ? { alias } : {}) };
    }
    case 'dynamic-list':
      if (!cache || cache.at + LIST_CACHE_MS < now) return { decided: false, run: 'list', checkType };
      return { decided: true, can: inList(cache.targets, alias ?? target), checkType, ...(alias ? { alias } : {}) };
    case 'status': return { decided: false, run: 'status', checkType };
    default:
      return { decided: true, can: false, checkType: 'Invalid pcmk_host_check', logLevel: 'error', log: `Invalid value for pcmk_host_check: ${checkType}` };
  }
}

function inList(list: readonly string[], name: string): boolean {
  return list.some((t) => t.toLowerCase() === name.toLowerCase());
}

/** fenced's line for a decision: "fence_b is eligible to fence (reboot) nodeb (as 'port2'): static-list". */
export function eligibilityLine(dev: string, can: boolean, action: string, target: string, alias: string | undefined, checkType: string): string {
  return `${dev} is${can ? '' : ' not'} eligible to fence (${action}) ${target}${alias ? ` (as '${alias}')` : ''}: ${checkType}`;
}

/** status_search_cb: 0 (on) and 2 (off) mean the device knows the target; 1 means it does not. */
export function statusDecides(dev: string, target: string, code: number | undefined, notExecuted?: string): { can: boolean; log?: string } {
  if (notExecuted !== undefined) return { can: false, log: `Assuming ${dev} cannot fence ${target} because status could not be executed: ${notExecuted}` };
  if (code === 0 || code === 2) return { can: true };
  if (code === 1) return { can: false };
  return { can: false, log: `Assuming ${dev} cannot fence ${target} (status returned unknown code ${code ?? '?'})` };
}

/**
 * dynamic_list_search_cb: a good `list` refreshes the cache; a failed one reuses the last good list, or, when
 * there never was one, the device cannot fence and (unless pcmk_host_check was set) switches to `status`.
 */
export function listDecides(d: Device, target: string, ok: boolean, failure: string, targets: readonly string[] | undefined, previous: ListCache | undefined):
  { can: boolean; cacheTargets?: readonly string[]; switchToStatus: boolean; logs: Array<[LogLevel, string]> } {
  const logs: Array<[LogLevel, string]> = [];
  let list: readonly string[] | undefined;
  let switchToStatus = false;
  if (ok && targets) { logs.push(['info', `Refreshing target list for ${d.id}`]); list = targets; }
  else if (previous) { logs.push(['info', `Reusing most recent target list for ${d.id} because list ${failure}`]); list = previous.targets; }
  else {
    logs.push(['warning', `Assuming ${d.id} cannot fence ${target} because list ${failure}`]);
    if (!d.params.has('pcmk_host_check')) { logs.push(['notice', `Switching to pcmk_host_check='status' for ${d.id}`]); switchToStatus = true; }
  }
  const alias = d.aliases.get(target.toLowerCase());
  return { can: list !== undefined && inList(list, alias ?? target), ...(ok && targets ? { cacheTargets: targets } : {}), switchToStatus, logs };
}
