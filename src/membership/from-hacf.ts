// Builds the membership machine's configuration from the parsed ha.cf, plus what only the daemon knows.
// One place maps directives to tunables, so `lifeline check` and the daemon agree on what membership will do.
import type { HaCf, Medium } from '../config/hacf-model.js';
import type { Generation, Millis, NodeName } from '../types.js';
import type { MembershipConfigInput } from './config.js';

/** heartbeat names a link after its interface (bcast/ucast/mcast) or its device (serial): "Link nodeb:eth0 up." */
export function mediumName(m: Medium): string {
  return m.kind === 'serial' ? m.device : m.iface;
}

/** What the daemon adds to ha.cf: who we are this run. */
export interface Identity {
  readonly self: NodeName;
  readonly uuid: Uint8Array;
  readonly generation: Generation;
  /** Wall-clock ms at the daemon's monotonic time 0, for the `ts` field. */
  readonly wallClockOffset: Millis;
}

/** ha.cf directives → membership tunables: keepalive, deadtime, warntime, initdead, autojoin, max_rexmit_delay, node, media. */
export function membershipInputFromHaCf(h: HaCf, id: Identity): MembershipConfigInput {
  const media = [...new Set(h.media.map(mediumName))];
  return {
    ...id,
    nodes: h.nodes,
    media,
    keepalive: h.keepalive,
    deadtime: h.deadtime,
    warntime: h.warntime,
    initdead: h.initdead,
    autojoin: h.autojoin,
    rexmitDelayMax: h.maxRexmitDelay,
  };
}
