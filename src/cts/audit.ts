// The campaign's audits, pure: is the group where the model says once the cluster settled, exactly once; are the
// daemons alive that should be; is every ERROR/CRIT line in the logs one the injected faults explain.
import { NODES, type Expectation, type NodeName, type Fault } from './plan.js';

/** What the campaign sees of one node at one moment. */
export interface NodeObservation {
  /** The daemon's main process exists. */
  readonly daemonAlive: boolean;
  /** The VIP is configured on the node. */
  readonly hasVip: boolean;
  /** The service's marker file says it runs. */
  readonly serviceRunning: boolean;
}

export interface Observation {
  readonly nodes: Readonly<Record<NodeName, NodeObservation>>;
}

/** Who holds the group in an observation: `null` for nobody, `'both'`, or `'torn'` when VIP and service part ways. */
export function holder(o: Observation): NodeName | null | 'both' | 'torn' {
  const full = NODES.filter((n) => o.nodes[n].hasVip && o.nodes[n].serviceRunning);
  if (NODES.some((n) => o.nodes[n].hasVip !== o.nodes[n].serviceRunning)) return 'torn';
  if (full.length === 2) return 'both';
  return full[0] ?? null;
}

const describe = (o: Observation) => NODES.map((n) => {
  const x = o.nodes[n];
  return `${n}: daemon ${x.daemonAlive ? 'up' : 'down'}, VIP ${x.hasVip ? 'yes' : 'no'}, service ${x.serviceRunning ? 'up' : 'down'}`;
}).join('; ');

/** Failures of a settled observation against the expectation of the last fault; empty when all is well. */
export function auditSettled(e: Expectation, o: Observation): string[] {
  const out: string[] = [];
  for (const n of NODES) {
    const want = e.model.up[n];
    if (o.nodes[n].daemonAlive !== want) out.push(want ? `the daemon on ${n} is gone, though the campaign did not stop it` : `a daemon runs on ${n}, though the campaign stopped it`);
  }
  const h = holder(o);
  if (h === 'torn') out.push(`VIP and service are not on the same node (${describe(o)})`);
  else if (h === 'both') out.push(`the group runs on both nodes after settling (${describe(o)})`);
  else if (!e.owners.includes(h)) out.push(`the group is on ${h ?? 'no node'}, expected on ${e.owners.map((x) => x ?? 'no node').join(' or ')} (${describe(o)})`);
  return out;
}

/** Failures of the client's view: the MACs that answered ARP for the VIP must be exactly the owner's. */
export function auditArp(owner: NodeName | null, seen: readonly string[], macs: Readonly<Record<NodeName, string>>): string[] {
  const want = owner ? [macs[owner]] : [];
  const got = [...new Set(seen.map((m) => m.toLowerCase()))].sort();
  if (got.length === want.length && got.every((m, i) => m === want[i])) return [];
  const name = (m: string) => NODES.find((n) => macs[n] === m) ?? m;
  return [`arping from the client sees ${got.map(name).join(', ') || 'no MAC'} answer for the VIP; expected ${owner ?? 'none'}`];
}

/** A line at ERROR level or worse, in heartbeat's log layout (`…: ERROR: text`, `…: CRIT: text`). */
export const SEVERE = /\b(ERROR|CRIT|EMERG|ALERT):\s/;

/**
 * Severe lines every split brain causes on both sides (heartbeat's wording, and Lifeline's): a node comes back,
 * both held the group, one side restarts. Without fencing they are the expected, loud, outcome.
 */
export const SPLIT_LINES = [
  /returning after partition/, /came back after a partition/, /Restarting: /, /Late heartbeat/,
  /Both machines own/i, /should_drop_message/, /lost a lot of packets/, /Irretrievably lost packet/,
  /Shared disks are not protected/, /No STONITH device/, /Cannot rexmit pkt/,
  // IPaddr's background gratuitous ARPs fail once the side that gives up removed the address under them.
  /Could not send gratuitous arps/,
  // The side that restarts after the split can miss the end of a standby its peer ran with its former self.
  /Ignored standby message '\w+' from \S+ in state/,
];
/** Lines a restarted peer or heavy loss causes: retransmissions that cannot be served any more. */
export const LOSS_LINES = [/lost a lot of packets/, /Irretrievably lost packet/, /Cannot rexmit pkt/, /should_drop_message/, /Late heartbeat/];
/** Lines a link taken down causes on its own node: sends on it fail (heartbeat: `Unable to send … packet`). */
export const LINK_LINES = [/send E[A-Z]+ /, /Unable to send/, /write failure/i];
/** With every cable pulled the node believes its peer dead, and cannot bring the VIP up on a link that is down. */
const CABLES_OUT = [/Unable to find nic or netmask/, /Giving up resources due to failure of/];
/**
 * heartbeat 3.0.6's own lines: its FIFO reader sometimes takes a command as empty (the campaign retries), and its
 * mlockall fails under the machine's 8 MB RLIMIT_MEMLOCK (heartbeat runs on, unlocked).
 */
const HEARTBEAT_KNOWN = [/msg2string: Message with zero fields/, /Message with zero fields/, /heartbeat: \[\d+\]: ERROR: Cannot lock ourselves into memory/];

/** The patterns that explain severe lines on `node` while `f` was injected. */
export function allowedFor(f: Fault, e: Expectation, node: NodeName): RegExp[] {
  const out: RegExp[] = [...HEARTBEAT_KNOWN, ...(e.expectedErrors[node] ?? [])];
  if (e.splitBrain) out.push(...SPLIT_LINES);
  if (f.kind === 'link-down' && f.node === node) out.push(...LINK_LINES, ...(f.media === 'all' ? CABLES_OUT : []));
  // The harness drops packets with nftables in the output hook, which fails the send with EPERM: loss seen by
  // the sender itself, which a lossy cable would not report.
  // heartbeat 3.0.6 says it as `write failure on bcast eth1.: Operation not permitted` and `Unable to send HBcomm packet`.
  if (f.kind === 'loss' && f.node === node) out.push(/send EPERM /, /write failure on bcast/, /Unable to send HBcomm packet/);
  // A node that takes the group and gives it back (auto_failback after a restart, a hand-over) removes the address
  // under IPaddr's background gratuitous ARPs, which then fail.
  if (['crash', 'stop', 'start', 'restart', 'standby', 'takeover', 'monitor-fail', 'standby-in-failover', 'reload'].includes(f.kind)) out.push(/Could not send gratuitous arps/);
  if (f.kind === 'loss' || f.kind === 'crash' || f.kind === 'restart' || f.kind === 'stop' || f.kind === 'start' || f.kind === 'pause' || f.kind === 'link-down') out.push(...LOSS_LINES);
  return out;
}

/** The severe lines of `text` that none of `allowed` explains. */
export function unexpectedSevere(text: string, allowed: readonly RegExp[]): string[] {
  return text.split('\n').filter((l) => SEVERE.test(l) && !allowed.some((re) => re.test(l)));
}

/** Replies of a continuous arping: when each was received and from which MAC. */
export interface ArpReply { readonly atMs: number; readonly mac: string }

/**
 * Moments two different MACs answered the same request: replies less than `windowMs` apart from different MACs
 * (the watcher asks every 50 ms; the answers to one request arrive within a millisecond or two).
 */
export function arpOverlaps(replies: readonly ArpReply[], windowMs = 15): [ArpReply, ArpReply][] {
  const out: [ArpReply, ArpReply][] = [];
  for (let i = 1; i < replies.length; i++) {
    const a = replies[i - 1]!;
    const b = replies[i]!;
    if (a.mac !== b.mac && b.atMs - a.atMs < windowMs) out.push([a, b]);
  }
  return out;
}
