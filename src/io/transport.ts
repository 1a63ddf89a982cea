// The one interface every heartbeat medium implements (bcast, mcast, ucast, serial, in-memory).
// The membership machine and the daemon only ever see this, never a socket or a tty (as memberlist's Transport).

/** Kinds of medium, named as the ha.cf directives that configure them. */
export type MediumKind = 'bcast' | 'mcast' | 'ucast' | 'serial' | 'memory';

/** One packet as it arrived. */
export interface ReceivedPacket {
  /** The bytes exactly as received (one datagram, or one framed message on a serial line). */
  readonly data: Uint8Array;
  /** Sender's address: IPv4 address for UDP media, the tty path for serial, the node's name in memory. */
  readonly from: string;
  /** Sender's UDP port (0 for serial and memory). */
  readonly fromPort: number;
  /** Name of the link it came in on, as heartbeat names links in its log: interface (`eth0`) or tty path. */
  readonly link: string;
  /** Medium kind that received it. */
  readonly kind: MediumKind;
}

/** Counters every transport keeps; a dropped or failed packet is counted, never thrown. */
export interface TransportStats {
  sent: number;
  sendErrors: number;
  received: number;
  /** Received data that could not be delivered as a packet (serial garbage, oversize frames). */
  dropped: number;
  receiveErrors: number;
}

/** A heartbeat medium: send a packet to the peers it reaches, hear theirs, close. */
export interface Transport {
  readonly kind: MediumKind;
  /** Link name for log lines and per-link liveness (`eth0`, `/dev/ttyS0`). */
  readonly link: string;
  /** A human description, like heartbeat's "UDP Broadcast heartbeat started on port 694 interface eth0". */
  readonly description: string;
  /**
   * Queues one packet for the peers. Never throws: failures (link down, no route) are counted in
   * `stats().sendErrors` and reported to `onError` listeners, because heartbeat keeps sending on a dead link.
   */
  send(data: Uint8Array): void;
  /** Registers a receiver; returns a function that unregisters it. Own broadcasts may come back (as in heartbeat). */
  onPacket(listener: (p: ReceivedPacket) => void): () => void;
  /** Registers a listener for send/receive errors (for logging); returns its unregister function. */
  onError(listener: (e: Error) => void): () => void;
  stats(): TransportStats;
  /** Releases the socket or tty; further sends are counted as errors. */
  close(): Promise<void>;
}

/** The listener bookkeeping every transport shares, so no medium re-implements it. */
export class TransportEvents {
  private readonly packetListeners = new Set<(p: ReceivedPacket) => void>();
  private readonly errorListeners = new Set<(e: Error) => void>();
  readonly counters: TransportStats = { sent: 0, sendErrors: 0, received: 0, dropped: 0, receiveErrors: 0 };

  onPacket(l: (p: ReceivedPacket) => void): () => void {
    this.packetListeners.add(l);
    return () => this.packetListeners.delete(l);
  }

  onError(l: (e: Error) => void): () => void {
    this.errorListeners.add(l);
    return () => this.errorListeners.delete(l);
  }

  /** Delivers a packet to every listener; a listener that throws is reported, never allowed to kill the socket. */
  deliver(p: ReceivedPacket): void {
    this.counters.received++;
    for (const l of this.packetListeners) {
      try { l(p); } catch (e) { this.error(e instanceof Error ? e : new Error(String(e))); }
    }
  }

  sendFailed(e: Error): void {
    this.counters.sendErrors++;
    this.error(e);
  }

  error(e: Error): void {
    for (const l of this.errorListeners) { try { l(e); } catch { /* a logger must not break the medium */ } }
  }

  stats(): TransportStats {
    return { ...this.counters };
  }
}
