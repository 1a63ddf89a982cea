// The resource-management messages heartbeat 3.0.6 exchanges (starting, resource, ask_resources, ip-request…),
// as typed data, with their field order on the wire; the wire layer adds src, seq, hg, ts, ttl and auth.

import { getString, type Field, type HaMessage } from '../wire/message.js';

/** Which resources a node holds or asks about, in heartbeat's wire words (`rsc_hold`). */
export type RscWord = 'none' | 'local' | 'foreign' | 'all';

/** heartbeat's bit encoding of `RscWord`: local = 1, foreign = 2, so all = local | foreign. */
export const RSC_BITS: Readonly<Record<RscWord, number>> = { none: 0, local: 1, foreign: 2, all: 3 };
/** Inverse of RSC_BITS, indexed by the bit value. */
export const RSC_WORDS: readonly RscWord[] = ['none', 'local', 'foreign', 'all'];

/** The resource messages, one variant per heartbeat `t=` value. Field names follow heartbeat's (rsc_hold → rscHold). */
export type ResourceMessage =
  /** Sent once after Comm_now_up in nice_failback mode: "tell me what you hold". */
  | { readonly t: 'starting' }
  /** What the sender holds. `rtype=full` replaces the receiver's view; mach_down's message has neither rtype nor isstable. */
  | { readonly t: 'resource'; readonly rscHold: RscWord; readonly rtype?: 'full'; readonly isstable?: boolean; readonly info?: string }
  /** The three-phase standby protocol: info `me` (I want to go standby), `other` (I can take them), `done`. */
  | { readonly t: 'ask_resources'; readonly rscHold: RscWord; readonly info: string }
  /** Legacy (auto_failback legacy) mode: "please give me this group", keyed by the group's first resource. */
  | { readonly t: 'ip-request'; readonly ipaddr: string }
  /** The answer to ip-request; also sent to ourselves (dest = us) as "take it" in nice_failback mode. */
  | { readonly t: 'ip-request-resp'; readonly dest: string; readonly ipaddr: string; readonly weown: string; readonly ok: string }
  /** hb_takeover: asks the peer to go standby so that the sender can take `rscHold` resources. */
  | { readonly t: 'hb_takeover'; readonly rscHold: string }
  /** Last message of a graceful shutdown: the sender holds nothing any more. */
  | { readonly t: 'shutdone'; readonly st: string }
  /** Announces STONITH's outcome for a dead node: `n_stnth` (no device configured), `unneeded`, `OK`, … */
  | { readonly t: 'stonith'; readonly node: string; readonly result: string };

/** The message's own fields as ordered (name, value) pairs, in the order heartbeat 3.0.6 puts them on the wire. */
export function resourceMessageFields(m: ResourceMessage): Array<readonly [string, string]> {
  switch (m.t) {
    case 'starting':
      return [['t', 'starting']];
    case 'resource': {
      const f: Array<readonly [string, string]> = [['t', 'resource'], ['rsc_hold', m.rscHold]];
      if (m.rtype !== undefined) f.push(['rtype', m.rtype]);
      if (m.isstable !== undefined) f.push(['isstable', m.isstable ? '1' : '0']);
      if (m.info !== undefined) f.push(['info', m.info]);
      return f;
    }
    case 'ask_resources':
      return [['t', 'ask_resources'], ['rsc_hold', m.rscHold], ['info', m.info]];
    case 'ip-request':
      return [['t', 'ip-request'], ['ipaddr', m.ipaddr]];
    case 'ip-request-resp':
      return [['t', 'ip-request-resp'], ['dest', m.dest], ['ipaddr', m.ipaddr], ['weown', m.weown], ['ok', m.ok]];
    case 'hb_takeover':
      return [['t', 'hb_takeover'], ['rsc_hold', m.rscHold]];
    case 'shutdone':
      return [['t', 'shutdone'], ['st', m.st]];
    case 'stonith':
      return [['t', 'stonith'], ['node', m.node], ['result', m.result]];
  }
}

function rscWord(v: string | undefined): RscWord | undefined {
  return v === 'none' || v === 'local' || v === 'foreign' || v === 'all' ? v : undefined;
}

/**
 * Reads a decoded wire message as a resource message. Returns undefined for other types and for
 * messages missing a field heartbeat requires (heartbeat logs and ignores those; the caller counts them).
 */
export function parseResourceMessage(m: HaMessage): ResourceMessage | undefined {
  const t = getString(m, 't');
  switch (t) {
    case 'starting':
      return { t };
    case 'resource': {
      const rscHold = rscWord(getString(m, 'rsc_hold'));
      if (!rscHold) return undefined;
      const rtype = getString(m, 'rtype');
      const stable = getString(m, 'isstable');
      const info = getString(m, 'info');
      return {
        t, rscHold,
        ...(rtype === 'full' ? { rtype: 'full' as const } : {}),
        ...(stable !== undefined ? { isstable: stable === '1' } : {}),
        ...(info !== undefined ? { info } : {}),
      };
    }
    case 'ask_resources': {
      const info = getString(m, 'info');
      if (info === undefined) return undefined;
      // heartbeat treats a missing rsc_hold as "all".
      return { t, rscHold: rscWord(getString(m, 'rsc_hold')) ?? 'all', info };
    }
    case 'ip-request': {
      const ipaddr = getString(m, 'ipaddr');
      return ipaddr ? { t, ipaddr } : undefined;
    }
    case 'ip-request-resp': {
      const dest = getString(m, 'dest');
      const ipaddr = getString(m, 'ipaddr');
      if (!dest || !ipaddr) return undefined;
      return { t, dest, ipaddr, weown: getString(m, 'weown') ?? 'no', ok: getString(m, 'ok') ?? '' };
    }
    case 'hb_takeover':
      return { t, rscHold: getString(m, 'rsc_hold') ?? 'all' };
    case 'shutdone':
      return { t, st: getString(m, 'st') ?? 'dead' };
    case 'stonith': {
      const node = getString(m, 'node');
      return node ? { t, node, result: getString(m, 'result') ?? '' } : undefined;
    }
    default:
      return undefined;
  }
}

/** The message as an HaMessage of string fields in heartbeat's order; the wire layer appends src, seq, hg, ts, ttl, auth. */
export function resourceMessageToHa(m: ResourceMessage): HaMessage {
  return { fields: resourceMessageFields(m).map(([name, value]): Field => ({ name, type: 0, value })) };
}
