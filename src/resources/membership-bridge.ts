// Turns what the membership machine reports (node-status, comm-up, node-restarted, partition-healed, deliver)
// into the ownership machine's events, so the daemon wires one to the other without knowing either's rules.

import type { NodeName } from '../types.js';
import type { HaMessage } from '../wire/message.js';
import type { ResourceEvent } from './machine.js';
import { parseResourceMessage } from './messages.js';

/**
 * The membership effects this bridge reads, typed structurally so that src/resources does not depend on
 * src/membership (they meet in the daemon). Other kinds are ignored.
 */
export type MembershipReport =
  | { readonly kind: 'node-status'; readonly node: NodeName; readonly status: string; readonly previous: string }
  | { readonly kind: 'comm-up' }
  | { readonly kind: 'node-restarted'; readonly node: NodeName }
  | { readonly kind: 'partition-healed'; readonly node: NodeName }
  | { readonly kind: 'deliver'; readonly message: HaMessage; readonly from: NodeName; readonly loopback: boolean }
  | { readonly kind: string };

/** What the bridge remembers: the peer's last status and whether communication is up. */
export interface BridgeState {
  readonly peerStatus: string;
  /** The peer was heard alive since we started: a later return from the dead is not a new peer starting. */
  readonly peerKnown: boolean;
  readonly commUp: boolean;
  /** Resource-looking messages that did not parse (missing fields): counted, never fatal. */
  readonly badMessages: number;
}

/** The bridge before anything was reported. */
export const initialBridgeState: BridgeState = { peerStatus: 'init', peerKnown: false, commUp: false, badMessages: 0 };

const RESOURCE_TYPES = new Set(['starting', 'resource', 'ask_resources', 'ip-request', 'ip-request-resp', 'hb_takeover', 'shutdone', 'stonith']);

/** Translates one membership report into zero or more resource events, for the node `me` with peer `peer`. */
export function bridge(state: BridgeState, report: MembershipReport, me: NodeName, peer: NodeName): { state: BridgeState; events: ResourceEvent[] } {
  switch (report.kind) {
    case 'node-status': {
      const ns = report as Extract<MembershipReport, { kind: 'node-status' }>;
      if (ns.node !== peer) return { state, events: [] };
      const next = { ...state, peerStatus: ns.status, peerKnown: state.peerKnown || ns.status !== 'dead' };
      // Before Comm_now_up the death of a never-heard peer is folded into comm-up (initdead).
      const died = ns.status === 'dead' && ns.previous !== 'dead' && state.commUp;
      // Heard again after being dead, with no restart or partition line before: a peer never heard before (dead at
      // initdead) that started, or a known peer declared dead by the late-heartbeat check of the very status that
      // shows it alive (heartbeat's HBDoMsg_T_STATUS: mark_node_dead, then "Status update").
      const alive = state.peerStatus === 'dead' && ns.status !== 'dead' && state.commUp;
      const back: ResourceEvent = { type: state.peerKnown ? 'peer-back' : 'peer-alive' };
      return { state: next, events: died ? [{ type: 'peer-dead' }] : alive ? [back] : [] };
    }
    case 'comm-up':
      if (state.commUp) return { state, events: [] };
      return { state: { ...state, commUp: true }, events: [{ type: 'comm-up', peerDead: state.peerStatus === 'dead' }] };
    case 'node-restarted':
      return (report as Extract<MembershipReport, { kind: 'node-restarted' }>).node === peer
        ? { state: { ...state, peerStatus: 'up', peerKnown: true }, events: [{ type: 'peer-restarted' }] } : { state, events: [] };
    case 'partition-healed':
      // The status update that follows (dead -> active) is no news after this.
      return (report as Extract<MembershipReport, { kind: 'partition-healed' }>).node === peer
        ? { state: { ...state, peerStatus: 'up', peerKnown: true }, events: [{ type: 'peer-returned' }] } : { state, events: [] };
    case 'deliver': {
      const d = report as Extract<MembershipReport, { kind: 'deliver' }>;
      // Our own broadcasts come back as loopback; the ownership machine applied them when it sent them.
      if (d.loopback || d.from === me || d.from !== peer) return { state, events: [] };
      const msg = parseResourceMessage(d.message);
      if (!msg) {
        const t = d.message.fields.find((f) => f.name === 't');
        const isOurs = t !== undefined && t.type === 0 && RESOURCE_TYPES.has(t.value);
        return { state: isOurs ? { ...state, badMessages: state.badMessages + 1 } : state, events: [] };
      }
      return { state, events: [{ type: 'message', from: d.from, msg }] };
    }
    default:
      return { state, events: [] };
  }
}
