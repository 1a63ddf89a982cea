// The pure haresources ownership machine: who runs which group, decided heartbeat 3.0.6's way (hb_resource.c,
// ResourceManager, mach_down, hb_standby). step(state, event, now) returns the new state and effects as data.

import type { Millis, NodeName } from '../types.js';
import type { ResourceGroup, ResourceSpec } from '../config/haresources-model.js';
import { RSC_BITS, RSC_WORDS, type ResourceMessage, type RscWord } from './messages.js';

const NONE = 0;
const LOCAL = 1;
const FOREIGN = 2;
const ALL = 3;

/** ha.cf `auto_failback`: `on`/`off` run heartbeat's nice_failback protocol; `legacy` is the old ip-request mode. */
export type AutoFailback = 'on' | 'off' | 'legacy';

/** Everything the machine needs from the configuration. Timings have heartbeat's defaults. */
export interface ResourceConfig {
  /** This node (`uname -n`, lower case as heartbeat compares it). */
  readonly me: NodeName;
  /** The other cluster node; haresources failover is a two-node protocol in heartbeat. */
  readonly peer: NodeName;
  /** haresources groups in file order. A group is "local" when its preferred node is `me`. */
  readonly groups: readonly ResourceGroup[];
  readonly autoFailback: AutoFailback;
  /** True when ha.cf configures a STONITH device: a dead holder is then reset before takeover. */
  readonly stonith: boolean;
  /** heartbeat's RQSTDELAY: when both nodes start together, each takes its local groups after this. Default 10 s. */
  readonly rqstDelay?: Millis;
  /** After a failed start the group is offered to the peer (hb_standby) after this delay. Default 30 s. */
  readonly failedStartStandbyDelay?: Millis;
  /** Failed stops are retried this many times (HA_STOPRETRYMAX), one second apart. Default 10. */
  readonly stopRetryMax?: number;
  /** The "Heartbeat shutdown in progress. (N)" line carries a pid in heartbeat; the daemon passes its own. */
  readonly pid?: number;
}

/** heartbeat's `resourcestate` (HB_R_*). */
export type RState = 'init' | 'starting' | 'bothstarting' | 'rscrcvd' | 'stable' | 'shutdown';
/** heartbeat's `going_standby`. */
export type StandbyPhase = 'not' | 'me' | 'other' | 'done';

/** A unit of serialized resource work; heartbeat runs one resource-management child at a time, so do we. */
export type Job =
  | { readonly kind: 'acquire'; readonly group: number; readonly standby?: boolean }
  | { readonly kind: 'release'; readonly group: number; readonly upTo?: number; readonly standby?: boolean }
  | { readonly kind: 'then'; readonly action: Continuation };

/** What to do when the jobs queued before it have finished (the end of a heartbeat child process). */
export type Continuation =
  | { readonly do: 'machDownDone'; readonly node: NodeName }
  | { readonly do: 'standbyDone'; readonly action: 'acquire' | 'give up'; readonly act: number }
  | { readonly do: 'shutdownDone' }
  | { readonly do: 'failedStart'; readonly group: number; readonly resource: string }
  | { readonly do: 'answerIpRequest'; readonly key: string; readonly weown: boolean };

/** Progress of the job at the head of the queue. */
export interface Running {
  readonly job: Job;
  /** Index of the resource being worked on. */
  readonly index: number;
  readonly op: 'status' | 'start' | 'stop';
  readonly opId: number;
  /** Failed stop attempts so far for this resource. */
  readonly retries: number;
  /** When set, the op is not yet issued: a stop retry waits until this instant. */
  readonly waitUntil?: Millis;
}

/** The machine's whole state; plain data, never mutated by step. */
export interface ResourceState {
  readonly cfg: ResourceConfig;
  readonly rstate: RState;
  /** Bits of what we hold (heartbeat's procinfo->i_hold_resources). */
  readonly iHold: number;
  /** Bits of what the peer says it holds. */
  readonly otherHolds: number;
  readonly otherStable: boolean;
  readonly peerDead: boolean;
  /** True once any packet came from the peer since it was last declared dead (heartbeat's anypacketsyet). */
  readonly peerHeard: boolean;
  /** legacy mode: whether the peer may hold resources (heartbeat's has_resources). */
  readonly peerHasResources: boolean;
  /** The peer said it is giving everything up (`resource … info=shutdown`): wait for its shutdone, take nothing early. */
  readonly peerShuttingDown: boolean;
  readonly commUp: boolean;
  readonly standby: StandbyPhase;
  readonly standbyRsc: number;
  /** heartbeat's standby_running: the standby protocol gives up at this instant. */
  readonly standbyDeadline?: Millis;
  readonly takeoverInProgress: boolean;
  readonly localWorkDone: boolean;
  readonly foreignWorkDone: boolean;
  readonly announced: boolean;
  readonly needsFailback: boolean;
  readonly autoFailbackRetryAt?: Millis;
  /** heartbeat's local_takeover_time: in `rscrcvd`, take our local groups when this passes. */
  readonly localTakeoverAt?: Millis;
  /** Per group: we started it and have not stopped it since. */
  readonly held: readonly boolean[];
  readonly queue: readonly Job[];
  readonly running?: Running;
  readonly nextOpId: number;
  /** Pending "offer the group to the peer" after a failed start. */
  readonly failedStandbyAt?: { readonly at: Millis; readonly which: RscWord };
  readonly shutdown: 'no' | 'delayed' | 'releasing' | 'done';
  /** Set when the machine gives up everything to restart (healed partition), not to exit. */
  readonly restartAfterShutdown: boolean;
  readonly partitionRestartAt?: Millis;
}

/** Inputs. Membership events come from src/membership; messages are decoded resource messages. */
export type ResourceEvent =
  /** Comm_now_up: initdead passed or every node was heard. `peerDead` when the peer was never heard. */
  | { readonly type: 'comm-up'; readonly peerDead: boolean }
  /** Membership declared the peer dead (deadtime without heartbeats). */
  | { readonly type: 'peer-dead' }
  /** The peer came back with a higher generation ("Heartbeat restart on node X"). */
  | { readonly type: 'peer-restarted' }
  /** The peer, declared dead, is heard again with the same generation: a healed partition. */
  | { readonly type: 'peer-returned' }
  /**
   * The peer, last known dead, is heard again. After a restart or a healed partition the two events above came
   * first; on its own it is a peer never heard before (dead at initdead, no generation to compare) that started.
   */
  | { readonly type: 'peer-alive' }
  /**
   * The peer, declared dead on a late heartbeat (the status that proves it alive came after more than deadtime),
   * is heard again in the same generation: it did not restart and, as far as we know, did not see a partition.
   */
  | { readonly type: 'peer-back' }
  /** A resource message from `from`. Messages we sent ourselves are applied by the machine; do not feed them back. */
  | { readonly type: 'message'; readonly from: NodeName; readonly msg: ResourceMessage }
  /** Result of an `agent` effect. For `status`, ok means running. */
  | { readonly type: 'agent-done'; readonly opId: number; readonly ok: boolean }
  /** Outcome of a `stonith` effect: ok once the node is reset (a failure is retried by the fencing layer). */
  | { readonly type: 'stonith-done'; readonly node: NodeName; readonly ok: boolean }
  /** hb_standby [all|foreign|local|failback] run on this node. */
  | { readonly type: 'standby'; readonly which: RscWord | 'failback' }
  /** hb_takeover [all|foreign|local|failback] run on this node. */
  | { readonly type: 'takeover'; readonly which: RscWord | 'failback' }
  /** Graceful shutdown requested (SIGTERM). */
  | { readonly type: 'shutdown' }
  /** Time passed; the daemon calls this at nextDeadline(state). */
  | { readonly type: 'tick' };

/** Outputs, carried out by the daemon in order. */
export type ResourceEffect =
  | { readonly type: 'send'; readonly msg: ResourceMessage }
  | { readonly type: 'agent'; readonly opId: number; readonly action: 'start' | 'stop' | 'status'; readonly group: number; readonly index: number; readonly resource: ResourceSpec }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error' | 'crit'; readonly text: string }
  /** Reset `node` with the configured STONITH device, then report `stonith-done`. */
  | { readonly type: 'stonith'; readonly node: NodeName }
  /** A stop failed for good while the resource still runs: heartbeat reboots the machine here. */
  | { readonly type: 'reboot-required'; readonly resource: string }
  /** All resources are released and shutdone is sent: the daemon may exit (or restart, for a healed partition). */
  | { readonly type: 'shutdown-complete'; readonly restart: boolean };

/** What step returns. */
export interface StepResult {
  readonly state: ResourceState;
  readonly effects: readonly ResourceEffect[];
}

/** The state before Comm_now_up. */
export function initialResourceState(cfg: ResourceConfig): ResourceState {
  return {
    cfg, rstate: 'init', iHold: NONE, otherHolds: NONE, otherStable: false, peerDead: false, peerHeard: false,
    peerHasResources: true, peerShuttingDown: false, commUp: false, standby: 'not', standbyRsc: ALL, takeoverInProgress: false,
    localWorkDone: false, foreignWorkDone: false, announced: false, needsFailback: false,
    held: cfg.groups.map(() => false), queue: [], nextOpId: 1, shutdown: 'no', restartAfterShutdown: false,
  };
}

/** The group as heartbeat logs it: `nodea 10.0.0.5/24/eth0 httpd`. */
export function groupLine(g: ResourceGroup): string {
  return [g.preferredNode, ...g.resources.map((r) => r.text)].join(' ');
}

/** A group's key (heartbeat's `listkeys` output): its first resource as written. */
export function groupKey(g: ResourceGroup): string {
  return g.resources[0]?.text ?? '';
}

/** The earliest instant at which the machine wants a `tick`, or undefined when nothing is timed. */
export function nextDeadline(s: ResourceState): Millis | undefined {
  const c = [s.localTakeoverAt && s.rstate === 'rscrcvd' ? s.localTakeoverAt : undefined, s.standbyDeadline,
    s.autoFailbackRetryAt, s.failedStandbyAt?.at, s.running?.waitUntil, s.partitionRestartAt]
    .filter((x): x is Millis => x !== undefined);
  return c.length ? (Math.min(...c) as Millis) : undefined;
}

/** Which groups this node runs now, by index (its belief, from the agent results it saw). */
export function heldGroups(s: ResourceState): number[] {
  return s.held.flatMap((h, i) => (h ? [i] : []));
}

// ---------------------------------------------------------------------------------------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Work = Omit<Mutable<ResourceState>, 'held' | 'queue'> & { held: boolean[]; queue: Job[] };

class Ctx {
  readonly s: Work;
  readonly fx: ResourceEffect[] = [];
  /** Work heartbeat does in a forked child: it runs after the parent's own sends of this step. */
  readonly deferred: Array<() => void> = [];
  constructor(state: ResourceState, readonly now: Millis) {
    this.s = { ...state, held: [...state.held], queue: [...state.queue] };
  }
  get cfg(): ResourceConfig { return this.s.cfg; }
  get nice(): boolean { return this.cfg.autoFailback !== 'legacy'; }
  get autoFailback(): boolean { return this.cfg.autoFailback === 'on'; }
  log(text: string, level: 'info' | 'warn' | 'error' | 'crit' = 'info'): void { this.fx.push({ type: 'log', level, text }); }
  send(msg: ResourceMessage): void { this.fx.push({ type: 'send', msg }); }
  isLocal(g: number): boolean { return this.cfg.groups[g]?.preferredNode === this.cfg.me; }
  groupsOf(set: 'ourkeys' | 'otherkeys' | 'allkeys'): number[] {
    return this.cfg.groups.flatMap((_, i) => (set === 'allkeys' || (set === 'ourkeys') === this.isLocal(i) ? [i] : []));
  }
  idle(): boolean { return this.s.queue.length === 0 && this.s.running === undefined; }
}

/** Advances the machine by one event. Pure: the input state is not modified. */
export function step(state: ResourceState, event: ResourceEvent, now: Millis): StepResult {
  const c = new Ctx(state, now);
  switch (event.type) {
    case 'comm-up': commUp(c, event.peerDead); break;
    case 'peer-dead': peerDead(c); break;
    case 'peer-restarted': peerRestarted(c); break;
    case 'peer-returned': peerReturned(c); break;
    case 'peer-alive': peerAlive(c); break;
    case 'peer-back': peerBack(c); break;
    case 'message': onMessage(c, event.from, event.msg); break;
    case 'agent-done': agentDone(c, event.opId, event.ok); break;
    case 'stonith-done': stonithDone(c, event.node, event.ok); break;
    case 'standby': localStandby(c, event.which); break;
    case 'takeover': c.send({ t: 'hb_takeover', rscHold: event.which }); break;
    case 'shutdown': giveupResources(c); break;
    case 'tick': tick(c); break;
  }
  for (let f = c.deferred.shift(); f; f = c.deferred.shift()) f();
  pump(c);
  shutdownIfNeeded(c);
  pump(c);
  return { state: c.s, effects: c.fx };
}

// --- membership ------------------------------------------------------------------------------------------

function commUp(c: Ctx, peerDeadAtStart: boolean): void {
  if (c.s.commUp) return;
  c.s.commUp = true;
  if (peerDeadAtStart) c.s.peerDead = true;
  else c.s.foreignWorkDone = true; // all nodes up: nobody else's resources to take
  if (c.nice) {
    c.send({ t: 'starting' });
    c.s.rstate = 'starting';
    if (peerDeadAtStart) {
      // Alone after initdead: heartbeat marks the silent node dead, which runs mach_down and req_our_resources.
      recoverDeadResources(c);
    }
  } else {
    c.s.rstate = 'stable';
    reqOurResources(c, false);
    if (peerDeadAtStart) recoverDeadResources(c);
  }
}

function peerDead(c: Ctx): void {
  if (c.s.peerDead) return;
  c.s.peerDead = true;
  c.s.peerShuttingDown = false;
  recoverDeadResources(c);
  c.s.peerHeard = false;
}

function peerRestarted(c: Ctx): void {
  // A new generation: the peer holds nothing and is starting over (heartbeat resets has_resources to TRUE).
  c.s.peerDead = false;
  c.s.peerHeard = true;
  c.s.peerHasResources = true;
  c.s.peerShuttingDown = false;
  c.s.otherStable = false;
  const restartPending = c.s.partitionRestartAt !== undefined || (c.s.restartAfterShutdown && c.s.shutdown === 'delayed');
  if (restartPending) {
    // The peer already resolved the split brain by restarting; we keep what we hold.
    c.s.partitionRestartAt = undefined;
    c.s.restartAfterShutdown = false;
    if (c.s.shutdown === 'delayed') c.s.shutdown = 'no';
    c.log('Peer restarted: cancelling our own shutdown restart.');
    // Whatever a cancelled standby gave away of our own groups, we run it again.
    if (c.s.standby === 'not' && c.nice && c.s.shutdown === 'no') reqOurResources(c, true);
  }
  if (c.s.standby !== 'not' && c.nice) {
    // The restarted peer forgot the standby exchange; our groups it was to take are ours again.
    cancelStandby(c);
    if (c.s.shutdown === 'no') reqOurResources(c, true);
  }
}

/**
 * A peer that was dead since our start-up now runs: heartbeat treats a first generation like a restart (it holds
 * nothing, has_resources = TRUE), and its next death must be recovered like any other; without this the latch
 * `peerDead`, set at comm-up, stayed set and that death was ignored (the group stayed down).
 */
function peerAlive(c: Ctx): void {
  if (c.s.peerDead) peerRestarted(c);
}

/**
 * A false death: heartbeat's resource code does nothing when the node's status goes from dead to active (only
 * `rc.d/status` runs), so other_is_stable stays as the takeover left it (TRUE) and what the peer holds is what its
 * messages said. Only the dead latch is cleared, so that the peer's next death is recovered. Treating it as a
 * restart (as `peer-alive` does) marked the peer in flux, and a peer that never restarted never sends the
 * `isstable` that would end it: every hb_standby was refused ("Other side is in flux").
 */
function peerBack(c: Ctx): void {
  if (!c.s.peerDead) return;
  c.s.peerDead = false;
  c.s.peerHeard = true;
}

function peerReturned(c: Ctx): void {
  c.s.peerDead = false;
  c.s.peerHeard = true;
  // Membership has logged heartbeat's "Cluster node X returning after partition." lines; we act on it.
  // heartbeat gives everything up and restarts 2 s later (CauseShutdownRestart). Both sides do so; to end with
  // exactly one restart when both run Lifeline, the node whose name sorts last waits 2 s longer and stands down
  // if the peer restarts first (peer-restarted cancels it).
  const extra = c.cfg.me > c.cfg.peer ? 2000 : 0;
  c.s.partitionRestartAt = (c.now + 2000 + extra) as Millis;
}

/**
 * The standby partner died or restarted: stop the protocol. Releases not yet started are dropped (nobody is there
 * to take those groups); acquisitions go on. Our hold bits are then set from the work itself, so that what we
 * tell the peer matches what will run here.
 */
function cancelStandby(c: Ctx): void {
  c.log('Cancelling pending standby operation');
  c.s.standby = 'not';
  c.s.standbyDeadline = undefined;
  c.s.queue = c.s.queue.filter((j) => !(j.kind === 'release' && j.standby) && !(j.kind === 'then' && j.action.do === 'standbyDone'));
  const bit = (keys: 'ourkeys' | 'otherkeys', b: number): number => {
    const gs = c.groupsOf(keys);
    if (gs.length === 0) return c.s.iHold & b;
    return gs.some((g) => willHold(c, g)) ? b : 0;
  };
  c.s.iHold = bit('ourkeys', LOCAL) | bit('otherkeys', FOREIGN);
}

/** hb_rsc_recover_dead_resources: the peer died; STONITH it if needed and take its groups. */
function recoverDeadResources(c: Ctx): void {
  if (c.s.standby !== 'not') {
    cancelStandby(c);
    if (!c.s.otherStable && (c.s.iHold & ALL) === ALL) c.s.otherStable = true;
  }
  if (c.s.shutdown === 'releasing' || c.s.shutdown === 'done') return;
  c.s.needsFailback = true;
  let needStonith = true;
  if (c.s.peerHeard) {
    if (c.nice) { if (c.s.otherHolds === NONE) needStonith = false; }
    else if (!c.s.peerHasResources) needStonith = false;
  }
  const peer = c.cfg.peer;
  if (needStonith) {
    if (c.cfg.stonith) {
      c.fx.push({ type: 'stonith', node: peer });
      return; // takeover after stonith-done
    }
    c.send({ t: 'stonith', node: peer, result: 'n_stnth' });
    c.log('No STONITH device configured.', 'warn');
    c.log('Shared disks are not protected.', 'warn');
    takeoverFromNode(c);
    return;
  }
  c.log(`Dead node ${peer} gave up resources.`);
  c.send({ t: 'stonith', node: peer, result: 'unneeded' });
  if (c.nice) {
    if ((c.s.iHold & ALL) === ALL) { c.s.otherStable = true; return; }
    if (!(c.s.iHold & LOCAL)) reqOurResources(c, true);
    if (!(c.s.iHold & FOREIGN)) takeoverFromNode(c);
  } else {
    takeoverFromNode(c);
  }
}

/**
 * The fencing layer (src/fencing/machine.ts) logs heartbeat's lines, announces the result and retries a failed
 * reset by itself; it reports here only a reset that succeeded, and only then are the dead node's groups taken.
 */
function stonithDone(c: Ctx, node: NodeName, ok: boolean): void {
  if (node !== c.cfg.peer || !ok) return;
  takeoverFromNode(c);
}

/** takeover_from_node: run mach_down for the peer's groups and make sure we hold our own. */
function takeoverFromNode(c: Ctx): void {
  if (c.s.shutdown !== 'no') {
    c.log('Resource takeover cancelled - shutdown in progress.');
    return;
  }
  const peer = c.cfg.peer;
  c.log(`Resources being acquired from ${peer}.`);
  // mach_down: every group whose preferred node is the dead one (ResourceManager listkeys <node>).
  for (const g of c.groupsOf('otherkeys')) {
    if (c.cfg.groups[g]?.preferredNode !== peer) continue;
    c.log(`Taking over resource group ${groupKey(c.cfg.groups[g]!)}`);
    if (!willHold(c, g)) c.s.queue.push({ kind: 'acquire', group: g });
  }
  c.s.queue.push({ kind: 'then', action: { do: 'machDownDone', node: peer } });
  if (c.nice) {
    c.s.iHold |= FOREIGN;
    c.s.otherHolds = NONE;
    c.s.otherStable = true;
    c.s.takeoverInProgress = true;
  }
  reqOurResources(c, true);
}

// --- req_our_resources ---------------------------------------------------------------------------------------

function reqOurResources(c: Ctx, getThemAnyway: boolean): void {
  if (c.s.shutdown !== 'no') return;
  if (c.nice) {
    if (((c.s.otherHolds & FOREIGN) !== 0 || (c.s.iHold & LOCAL) !== 0) && !getThemAnyway && c.s.standby === 'not') {
      c.log('Local Resource acquisition completed. (none)');
      return;
    }
    c.s.iHold |= LOCAL;
  }
  c.deferred.push(() => reqOurResourcesChild(c));
}

/** Whether group g will be running once the queued work is done (so that asking for it again is redundant). */
function willHold(c: Ctx, g: number): boolean {
  let held = c.s.held[g] === true;
  const apply = (j: Job): void => { if (j.kind !== 'then' && j.group === g) held = j.kind === 'acquire'; };
  if (c.s.running) apply(c.s.running.job);
  for (const j of c.s.queue) apply(j);
  return held;
}

/** The req_our_resources child: ask for (or, in nice_failback mode, simply take) each of our groups. */
function reqOurResourcesChild(c: Ctx): void {
  if (c.s.shutdown !== 'no') return;
  const ours = c.groupsOf('ourkeys');
  const alone = c.s.peerDead;
  for (const g of ours) {
    const key = groupKey(c.cfg.groups[g]!);
    if (willHold(c, g)) continue; // ResourceManager status <key>: we already run (or take) it
    if (c.nice || alone) {
      // req_resource with HA_DONTASK: pretend the owner gave it up; our ip-request-resp handler takes the group.
      c.send({ t: 'ip-request-resp', dest: c.cfg.me, ipaddr: key, weown: 'yes', ok: 'OK' });
      c.log(`received ip-request-resp ${key} OK yes`);
      c.s.queue.push({ kind: 'acquire', group: g });
    } else {
      c.send({ t: 'ip-request', ipaddr: key });
    }
  }
  if (ours.length === 0) c.log(`No local resources [/usr/share/heartbeat/ResourceManager listkeys ${c.cfg.me}] to acquire.`);
  else c.log('Local Resource acquisition completed.');
  sendResourcesHeld(c, true, 'req_our_resources()');
  // The req_our_resources child has exited: heartbeat counts local work as done here.
  c.s.localWorkDone = true;
  announce(c, 'req_our_resources');
}

// --- messages --------------------------------------------------------------------------------------------

function onMessage(c: Ctx, from: NodeName, msg: ResourceMessage): void {
  if (from === c.cfg.me) return; // our own messages are applied when sent
  if (from !== c.cfg.peer) return;
  c.s.peerHeard = true;
  // heartbeat registers its resource handlers at Comm_now_up; what comes before is not acted on.
  if (!c.s.commUp) return;
  switch (msg.t) {
    case 'starting': onStarting(c); break;
    case 'resource': onResources(c, msg); break;
    case 'ask_resources': askForResources(c, c.cfg.peer, msg.rscHold, msg.info); break;
    case 'shutdone': onShutdone(c); break;
    case 'ip-request': onIpRequest(c, msg.ipaddr); break;
    case 'ip-request-resp': onIpRequestResp(c, msg); break;
    case 'hb_takeover': onHbTakeover(c, msg.rscHold); break;
    case 'stonith': break;
  }
}

function onStarting(c: Ctx): void {
  if (!c.nice) return;
  switch (c.s.rstate) {
    case 'rscrcvd': case 'stable': case 'shutdown': break;
    case 'starting':
      c.s.rstate = 'bothstarting';
      c.s.foreignWorkDone = true;
      announce(c, 'HB_R_BOTHSTARTING');
      break;
    default:
      c.log(`Received 'starting' message in state ${c.s.rstate}`, 'error');
      return;
  }
  c.s.otherStable = false;
  if (c.s.takeoverInProgress) c.log('T_STARTING received during takeover.', 'warn');
  if (c.s.shutdown === 'releasing') {
    // Lifeline: tell a restarted peer that what we still run is being released, so that it waits for our
    // shutdone instead of taking its groups on its RQSTDELAY timer while our stops are still running.
    // heartbeat ignores `info` in a peer's resource message, so this stays compatible.
    c.send({ t: 'resource', rscHold: 'none', rtype: 'full', isstable: false, info: 'shutdown' });
    return;
  }
  sendResourcesHeld(c, c.s.rstate === 'stable');
}

function onResources(c: Ctx, msg: Extract<ResourceMessage, { t: 'resource' }>): void {
  if (!c.nice) return;
  const n = RSC_BITS[msg.rscHold];
  const full = msg.rtype === 'full';
  let newState = c.s.rstate;
  switch (c.s.rstate) {
    case 'bothstarting': case 'starting':
      newState = 'rscrcvd';
      if (!c.autoFailback) { c.s.foreignWorkDone = true; announce(c, 'T_RESOURCES'); }
      break;
    case 'rscrcvd': case 'stable': case 'shutdown': break;
    default:
      c.log(`resource message received in state ${c.s.rstate}`, 'error');
      return;
  }
  c.s.otherHolds = updRsc(full, c.s.otherHolds, n);
  if (msg.info === 'shutdown') c.s.peerShuttingDown = true;
  if (msg.isstable !== undefined) {
    if (msg.isstable) {
      if (!c.s.otherStable) {
        c.log('remote resource transition completed.');
        c.s.otherStable = true;
        sendResourcesHeld(c, c.s.rstate === 'stable');
        performAutoFailback(c);
      }
    } else {
      c.s.otherStable = false;
    }
  }
  if (newState !== 'stable' && newState !== 'shutdown' && c.s.otherStable) {
    c.log('remote resource transition completed.');
    c.s.rstate = newState;
    reqOurResources(c, false);
    newState = 'stable';
    c.s.rstate = 'stable';
    sendResourcesHeld(c, true);
    performAutoFailback(c);
    c.s.foreignWorkDone = true;
    if (!c.autoFailback && (c.s.otherHolds & FOREIGN)) c.s.localWorkDone = true;
    announce(c, 'T_RESOURCES(them)');
  }
  c.s.rstate = newState;
  if (c.s.rstate === 'rscrcvd' && c.s.localTakeoverAt === undefined) {
    c.s.localTakeoverAt = (c.now + (c.cfg.rqstDelay ?? 10_000)) as Millis;
  }
  audit(c);
}

function onShutdone(c: Ctx): void {
  c.s.peerHasResources = false;
  c.s.peerShuttingDown = false;
  if (c.s.partitionRestartAt !== undefined || (c.s.restartAfterShutdown && c.s.shutdown === 'delayed')) {
    // A healed partition that the peer resolved by giving everything up: it holds nothing and will restart,
    // so we keep (and take) the groups. Giving up too would leave them on no node until both came back.
    c.s.partitionRestartAt = undefined;
    c.s.restartAfterShutdown = false;
    if (c.s.shutdown === 'delayed') c.s.shutdown = 'no';
    c.log('Peer gave up its resources: cancelling our own shutdown restart.');
  }
  if (c.nice) {
    c.s.otherStable = true;
    c.s.otherHolds = NONE;
    if (c.s.iHold !== ALL && c.s.shutdown === 'no') {
      const rtype = c.s.iHold === FOREIGN ? LOCAL : c.s.iHold === LOCAL ? FOREIGN : ALL;
      c.s.standby = 'done';
      goStandby(c, 'other', rtype);
    }
  }
  c.s.otherHolds = NONE;
  c.log(`Received shutdown notice from '${c.cfg.peer}'.`);
  takeoverFromNode(c);
}

function onIpRequest(c: Ctx, key: string): void {
  // rc.d/ip-request: give the group up if we run it, then answer.
  const g = c.cfg.groups.findIndex((gr) => groupKey(gr) === key);
  // heartbeat answers from its queue, after the resource work already under way: judge by what we will hold then.
  const weown = g >= 0 && willHold(c, g);
  if (weown) c.s.queue.push({ kind: 'release', group: g });
  // The answer follows the release, so that the requester starts the group only once we have stopped it.
  c.s.queue.push({ kind: 'then', action: { do: 'answerIpRequest', key, weown } });
}

function onIpRequestResp(c: Ctx, msg: Extract<ResourceMessage, { t: 'ip-request-resp' }>): void {
  if (msg.dest !== c.cfg.me) return;
  if (c.s.shutdown !== 'no') return; // an answer arriving while we give everything up must not start anything
  c.log(`received ip-request-resp ${msg.ipaddr} ${msg.ok} ${msg.weown}`);
  if (msg.ok !== 'OK') return;
  const g = c.cfg.groups.findIndex((gr) => groupKey(gr) === msg.ipaddr);
  if (g >= 0 && !willHold(c, g)) c.s.queue.push({ kind: 'acquire', group: g });
}

function onHbTakeover(c: Ctx, rsc: string): void {
  // rc.d/hb_takeover on the receiving side: go standby for the complementary set.
  const which: RscWord = rsc === 'all' ? 'all' : rsc === 'local' ? 'foreign' : rsc === 'foreign' ? 'local' : 'foreign';
  localStandby(c, which);
}

// --- standby ---------------------------------------------------------------------------------------------

function localStandby(c: Ctx, which: RscWord | 'failback'): void {
  const w: RscWord = which === 'failback' ? 'foreign' : which;
  c.log(`Going standby [${w}].`);
  c.send({ t: 'ask_resources', rscHold: w, info: 'me' });
  askForResources(c, c.cfg.me, w, 'me');
}

function sendStandbyMsg(c: Ctx, info: 'me' | 'other' | 'done'): void {
  const msg: ResourceMessage = { t: 'ask_resources', rscHold: RSC_WORDS[c.s.standbyRsc] ?? 'all', info };
  c.send(msg);
  askForResources(c, c.cfg.me, msg.rscHold, info);
}

/** ask_for_resources: heartbeat's three-phase standby protocol, for messages from either node. */
function askForResources(c: Ctx, from: NodeName, rsc: RscWord, info: string): void {
  if (!c.nice) { c.log('Standby mode only implemented when nice_failback on'); return; }
  // A delayed shutdown must not block the standby protocol it is waiting for.
  if (c.s.rstate === 'shutdown' || c.s.shutdown === 'releasing' || c.s.shutdown === 'done') return;
  const fromMe = from === c.cfg.me;
  const rtype = RSC_BITS[rsc];
  const orig = c.s.standby;
  let ignored = false;
  if (c.s.standbyDeadline !== undefined && c.now < c.s.standbyDeadline && info === 'me') {
    const left = Math.ceil((c.s.standbyDeadline - c.now) / 1000);
    c.log(`Standby in progress- new request from ${from} ignored [${left} seconds left]`, 'warn');
    return;
  }
  switch (c.s.standby) {
    case 'not':
      if (!c.s.otherStable) { c.log(`standby message [${info}] from ${from} ignored.  Other side is in flux.`, 'warn'); return; }
      if (c.s.rstate !== 'stable') { c.log(`standby message [${info}] from ${from} ignored.  local resources in flux.`, 'warn'); return; }
      c.s.standbyRsc = rtype;
      if (info === 'me') {
        c.s.otherStable = false;
        c.log(`${from} wants to go standby [${rsc}]`);
        if (fromMe) {
          c.s.standbyDeadline = (c.now + 10_000) as Millis;
          c.s.standby = 'me';
        } else {
          c.s.standby = 'other';
          c.s.standbyDeadline = (c.now + 3_600_000) as Millis;
          sendStandbyMsg(c, 'other');
        }
      } else ignored = true;
      break;
    case 'me':
      if (!fromMe) {
        c.s.standbyRsc = rtype;
        c.s.standbyDeadline = (c.now + 3_600_000) as Millis;
        if (info === 'other') {
          c.log(`standby: ${from} can take our ${rsc} resources`);
          goStandby(c, 'me', rtype);
        } else ignored = true;
      } else if (info === 'done') {
        c.log(`Local standby process completed [${rsc}].`);
        c.s.standby = 'done';
        c.s.iHold &= ~c.s.standbyRsc;
        c.s.standbyDeadline = (c.now + 3_600_000) as Millis;
      } else if (info !== 'me') ignored = true;
      break;
    case 'other':
      c.s.standbyRsc = rtype;
      if (info === 'done') {
        c.s.standbyDeadline = (c.now + 3_600_000) as Millis;
        if (!fromMe) {
          c.log(`standby: acquire [${rsc}] resources from ${from}`);
          goStandby(c, 'other', c.s.standbyRsc);
          c.s.standby = 'done';
        } else ignored = true;
      } else if (!fromMe || info !== 'other') ignored = true;
      break;
    case 'done':
      c.s.standbyRsc = rtype;
      if (info === 'done') {
        c.s.standbyDeadline = undefined;
        c.s.standby = 'not';
        if (fromMe) {
          c.log(`Standby resource acquisition done [${rsc}].`);
          if (c.autoFailback) { c.s.localWorkDone = true; announce(c, 'auto_failback'); }
          const rup = rtype === LOCAL ? FOREIGN : rtype === FOREIGN ? LOCAL : rtype === ALL ? ALL : NONE;
          c.s.iHold |= rup;
        } else {
          c.log(`Other node completed standby takeover of ${rsc} resources.`);
        }
        sendResourcesHeld(c, true);
        c.s.standby = 'not';
      } else ignored = true;
      break;
  }
  if (ignored) c.log(`Ignored standby message '${info}' from ${from} in state ${orig}`, 'error');
}

/** go_standby: give up (who = me) or acquire (who = other) the set heartbeat's mapping selects. */
function goStandby(c: Ctx, who: 'me' | 'other', resourceSet: number): void {
  if (who === 'me') {
    c.s.otherStable = false;
    c.s.iHold &= ~resourceSet;
    sendResourcesHeld(c, false, 'standby');
  }
  const action = who === 'me' ? 'give up' : 'acquire';
  let act: number;
  switch (resourceSet) {
    case FOREIGN: act = who === 'me' ? FOREIGN : LOCAL; break;
    case LOCAL: act = who === 'me' ? LOCAL : FOREIGN; break;
    case ALL: act = ALL; break;
    default: c.log(`no resources to ${action}`, 'error'); return;
  }
  const keys = act === FOREIGN ? 'otherkeys' : act === LOCAL ? 'ourkeys' : 'allkeys';
  c.log(`${action} ${RSC_WORDS[act]} HA resources (standby).`);
  for (const g of c.groupsOf(keys)) c.s.queue.push({ kind: who === 'me' ? 'release' : 'acquire', group: g, standby: true });
  c.s.queue.push({ kind: 'then', action: { do: 'standbyDone', action, act } });
}

function performAutoFailback(c: Ctx): void {
  if (c.s.shutdown !== 'no' || (c.s.iHold & FOREIGN) === 0 || !c.s.needsFailback || !c.autoFailback) {
    c.s.needsFailback = false;
    return;
  }
  if (c.s.standby !== 'not' || !c.s.otherStable || c.s.rstate !== 'stable') {
    c.s.autoFailbackRetryAt = (c.now + 1000) as Millis; // "Auto failback delayed."
    return;
  }
  c.s.autoFailbackRetryAt = undefined;
  c.s.standbyRsc = FOREIGN;
  c.s.needsFailback = false;
  sendStandbyMsg(c, 'me');
}

// --- our own resource messages ---------------------------------------------------------------------------

function updRsc(full: boolean, cur: number, up: number): number {
  return full ? up : up === NONE ? NONE : up | cur;
}

/** hb_send_resources_held, plus heartbeat's handling of receiving that message from itself. */
function sendResourcesHeld(c: Ctx, stable: boolean, comment?: string): void {
  if (!c.nice) return;
  const word = RSC_WORDS[c.s.iHold] ?? 'none';
  c.send({ t: 'resource', rscHold: word, rtype: 'full', isstable: stable, ...(comment ? { info: comment } : {}) });
  selfResource(c, RSC_BITS[word], true);
}

/** process_resources for a `resource` message from ourselves (heartbeat hears its own broadcasts). */
function selfResource(c: Ctx, n: number, full: boolean, comment?: string): void {
  if (c.s.rstate === 'starting' || c.s.rstate === 'bothstarting') {
    c.s.rstate = 'rscrcvd';
    if (!c.autoFailback) { c.s.foreignWorkDone = true; announce(c, 'T_RESOURCES'); }
    if (c.s.localTakeoverAt === undefined) c.s.localTakeoverAt = (c.now + (c.cfg.rqstDelay ?? 10_000)) as Millis;
  }
  c.s.iHold = updRsc(full, c.s.iHold, n);
  if (c.s.iHold & LOCAL) { c.s.localWorkDone = true; announce(c, 'T_RESOURCES(us)'); }
  if (comment === 'mach_down') {
    c.log('mach_down takeover complete.');
    c.s.takeoverInProgress = false;
    c.s.iHold |= FOREIGN;
    c.s.needsFailback = true;
    c.s.otherStable = true;
    c.s.foreignWorkDone = true;
    announce(c, 'mach_down');
  }
}

function announce(c: Ctx, reason: string): void {
  if (c.s.announced || !c.s.localWorkDone || !c.s.foreignWorkDone) return;
  c.log(`Initial resource acquisition complete (${reason})`);
  c.s.announced = true;
}

function audit(c: Ctx): void {
  if (!c.nice) return;
  if ((c.s.iHold & LOCAL) && (c.s.otherHolds & FOREIGN)) c.log('Both machines own our resources!', 'error');
  if ((c.s.otherHolds & LOCAL) && (c.s.iHold & FOREIGN)) c.log('Both machines own foreign resources!', 'error');
}

function isStable(c: Ctx): boolean {
  if (!c.nice) return c.idle();
  if (c.s.shutdown !== 'no' && c.s.rstate === 'init') return true;
  return c.s.otherStable && !c.s.takeoverInProgress && c.s.standby === 'not' && c.s.standbyDeadline === undefined
    && c.idle() && (c.s.rstate === 'stable' || c.s.rstate === 'shutdown' || c.s.rstate === 'init');
}

// --- shutdown --------------------------------------------------------------------------------------------

function giveupResources(c: Ctx): void {
  if (c.s.shutdown === 'releasing' || c.s.shutdown === 'done') { c.log('Heartbeat shutdown already underway.'); return; }
  // A dead or never-seen peer cannot be "in flux": do not wait on it.
  if (c.s.peerDead || !c.s.commUp) c.s.otherStable = true;
  if (!isStable(c)) {
    if (c.s.shutdown !== 'delayed') { // warned once; hb_shutdown_if_needed retries after every event
      c.log('Shutdown delayed until current resource activity finishes.', 'warn');
      c.s.shutdown = 'delayed';
    }
    return;
  }
  c.s.shutdown = 'releasing';
  c.s.iHold = NONE;
  c.s.rstate = 'shutdown';
  c.s.failedStandbyAt = undefined;
  c.s.autoFailbackRetryAt = undefined;
  c.s.localTakeoverAt = undefined;
  if (c.nice) c.send({ t: 'resource', rscHold: 'none', rtype: 'full', isstable: false, info: 'shutdown' });
  c.log(`Heartbeat shutdown in progress. (${c.cfg.pid ?? process.pid})`);
  c.log('Giving up all HA resources.');
  for (const g of c.groupsOf('allkeys')) c.s.queue.push({ kind: 'release', group: g });
  c.s.queue.push({ kind: 'then', action: { do: 'shutdownDone' } });
}

function shutdownIfNeeded(c: Ctx): void {
  if (c.s.shutdown === 'delayed') giveupResources(c);
}

// --- timers ----------------------------------------------------------------------------------------------

function tick(c: Ctx): void {
  const now = c.now;
  if (c.nice && c.s.rstate === 'rscrcvd' && c.s.localTakeoverAt !== undefined && now > c.s.localTakeoverAt && c.s.peerShuttingDown) {
    // The peer is still stopping what it ran; its shutdone (or its death) hands everything over.
    c.s.localTakeoverAt = (now + (c.cfg.rqstDelay ?? 10_000)) as Millis;
  } else if (c.nice && c.s.rstate === 'rscrcvd' && c.s.localTakeoverAt !== undefined && now > c.s.localTakeoverAt) {
    c.s.rstate = 'stable';
    reqOurResources(c, false);
    c.log('local resource transition completed.');
    sendResourcesHeld(c, true);
    audit(c);
    c.s.localTakeoverAt = undefined;
  }
  if (c.s.standbyDeadline !== undefined && now >= c.s.standbyDeadline) {
    c.s.standbyDeadline = undefined;
    c.s.otherStable = true;
    c.s.standby = 'not';
    c.log('No reply to standby request.  Standby request cancelled.', 'warn');
  }
  if (c.s.autoFailbackRetryAt !== undefined && now >= c.s.autoFailbackRetryAt) {
    c.s.autoFailbackRetryAt = undefined;
    performAutoFailback(c);
  }
  if (c.s.failedStandbyAt !== undefined && now >= c.s.failedStandbyAt.at) {
    const which = c.s.failedStandbyAt.which;
    c.s.failedStandbyAt = undefined;
    if (c.s.shutdown === 'no') localStandby(c, which);
  }
  if (c.s.partitionRestartAt !== undefined && now >= c.s.partitionRestartAt) {
    c.s.partitionRestartAt = undefined;
    c.s.restartAfterShutdown = true;
    c.s.otherStable = true;
    if (c.s.standby !== 'not') cancelStandby(c);
    c.s.standbyDeadline = undefined;
    c.s.takeoverInProgress = false;
    giveupResources(c);
  }
  const r = c.s.running;
  if (r?.waitUntil !== undefined && now >= r.waitUntil) {
    const opId = c.s.nextOpId++;
    c.s.running = { ...r, opId, waitUntil: undefined };
    issue(c, c.s.running);
  }
}

// --- the work queue --------------------------------------------------------------------------------------

function issue(c: Ctx, r: Running): void {
  const g = jobGroup(r.job);
  const resource = c.cfg.groups[g]?.resources[r.index];
  if (!resource) return;
  c.fx.push({ type: 'agent', opId: r.opId, action: r.op, group: g, index: r.index, resource });
}

function jobGroup(j: Job): number {
  return j.kind === 'then' ? -1 : j.group;
}

/** Starts the next queued job when nothing is running; runs continuations inline. */
function pump(c: Ctx): void {
  while (c.s.running === undefined && c.s.queue.length > 0) {
    const job = c.s.queue.shift()!;
    if (job.kind === 'then') { runContinuation(c, job.action); continue; }
    const group = c.cfg.groups[job.group];
    if (!group || group.resources.length === 0) continue;
    // Once resources are being given up for shutdown, nothing may be started again.
    if (job.kind === 'acquire' && (c.s.shutdown === 'releasing' || c.s.shutdown === 'done')) continue;
    if (job.kind === 'acquire') {
      c.log(`Acquiring resource group: ${groupLine(group)}`);
      startOp(c, job, 0, 'status');
    } else {
      c.log(`Releasing resource group: ${groupLine(group)}`);
      const last = Math.min(job.upTo ?? group.resources.length - 1, group.resources.length - 1);
      startOp(c, job, last, 'stop');
    }
  }
}

function startOp(c: Ctx, job: Job, index: number, op: Running['op'], retries = 0): void {
  const r: Running = { job, index, op, opId: c.s.nextOpId++, retries };
  c.s.running = r;
  issue(c, r);
}

function agentDone(c: Ctx, opId: number, ok: boolean): void {
  const r = c.s.running;
  if (!r || r.opId !== opId || r.waitUntil !== undefined || r.job.kind === 'then') return; // stale result
  const job = r.job;
  const group = c.cfg.groups[job.group]!;
  const res = group.resources[r.index]!;
  if (job.kind === 'acquire') {
    if (r.op === 'status' && !ok) { startOp(c, job, r.index, 'start'); return; }
    if (r.op === 'start' && !ok) {
      c.log(`Giving up resources due to failure of ${res.text}`, 'crit');
      c.s.held[job.group] = false;
      c.s.running = undefined;
      // Stop what was started, in reverse, before anything else runs; then offer the group to the peer.
      c.s.queue.unshift({ kind: 'release', group: job.group, upTo: r.index },
        { kind: 'then', action: { do: 'failedStart', group: job.group, resource: res.text } });
      return;
    }
    if (r.index + 1 < group.resources.length) { startOp(c, job, r.index + 1, 'status'); return; }
    c.s.held[job.group] = true;
    c.s.running = undefined;
    return;
  }
  // release
  if (r.op === 'stop' && !ok) {
    const max = c.cfg.stopRetryMax ?? 10;
    if (r.retries < max) {
      c.log(`Retrying failed stop operation [${res.text}]`);
      c.s.running = { ...r, retries: r.retries + 1, waitUntil: (c.now + 1000) as Millis };
      return;
    }
    // ResourceManager: is it still running? Only then is a reboot the way out.
    startOp(c, job, r.index, 'status', r.retries);
    return;
  }
  if (r.op === 'status') {
    if (ok) {
      c.log('Resource STOP failure. Reboot required!', 'crit');
      c.log('Killing heartbeat ungracefully!', 'crit');
      c.fx.push({ type: 'reboot-required', resource: res.text });
    } else {
      c.log(`Resource script for ${res.text} probably not LSB-compliant.`, 'error');
      c.log(`it (${res.text}) MUST succeed on a stop when already stopped`, 'warn');
      c.log('Machine reboot narrowly avoided!', 'warn');
    }
  }
  if (r.index > 0) { startOp(c, job, r.index - 1, 'stop'); return; }
  c.s.held[job.group] = false;
  c.s.running = undefined;
}

function runContinuation(c: Ctx, a: Continuation): void {
  switch (a.do) {
    case 'machDownDone':
      if (c.nice) {
        c.log('/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired');
        c.send({ t: 'resource', rscHold: 'foreign', info: 'mach_down' });
      }
      c.log(`mach_down takeover complete for node ${a.node}.`);
      if (c.nice) {
        selfResource(c, FOREIGN, false, 'mach_down');
      } else {
        c.s.foreignWorkDone = true;
        announce(c, 'status');
      }
      break;
    case 'standbyDone':
      c.log(`${RSC_WORDS[a.act]} HA resource ${a.action === 'acquire' ? 'acquisition' : 'release'} completed (standby).`);
      sendStandbyMsg(c, 'done');
      break;
    case 'shutdownDone':
      c.log('All HA resources relinquished.');
      c.send({ t: 'shutdone', st: 'dead' });
      c.s.shutdown = 'done';
      c.fx.push({ type: 'shutdown-complete', restart: c.s.restartAfterShutdown });
      break;
    case 'failedStart': {
      const which: RscWord = c.isLocal(a.group) ? 'local' : 'foreign';
      c.s.failedStandbyAt = { at: (c.now + (c.cfg.failedStartStandbyDelay ?? 30_000)) as Millis, which };
      break;
    }
    case 'answerIpRequest':
      if (a.weown) c.s.peerHasResources = true;
      c.send({ t: 'ip-request-resp', dest: c.cfg.peer, ipaddr: a.key, weown: a.weown ? 'yes' : 'no', ok: 'OK' });
      break;
  }
}
