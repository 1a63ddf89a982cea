// heartbeat's three UDP media over node:dgram: `bcast IF`, `mcast IF GROUP PORT TTL LOOP`, `ucast IF HOST`.
// Node has no SO_BINDTODEVICE, so each medium binds to an address that only that interface receives.
import { createSocket, type Socket } from 'node:dgram';
import { interfaceInfo, ioFail } from './netinfo.js';
import { TransportEvents, type MediumKind, type ReceivedPacket, type Transport, type TransportStats } from './transport.js';

/** heartbeat's default `udpport`. */
export const DEFAULT_UDP_PORT = 694;

/** `bcast IF`: broadcast on the interface's broadcast address. */
export interface BcastOptions {
  readonly ifname: string;
  /** `udpport`; default 694. */
  readonly port?: number;
}

/** `mcast IF GROUP PORT TTL LOOP`. */
export interface McastOptions {
  readonly ifname: string;
  readonly group: string;
  readonly port: number;
  /** 1–255, hops the packets may take. */
  readonly ttl: number;
  /** Whether our own packets are looped back to us (heartbeat's LOOP 0/1). */
  readonly loop: boolean;
}

/** `ucast IF HOST`: send to one peer; receive whatever arrives on our address of IF. */
export interface UcastOptions {
  readonly ifname: string;
  /** The peer's IPv4 address. */
  readonly host: string;
  readonly port?: number;
}

/** Where a UDP medium binds and where it sends: the only things that differ between the three. */
interface UdpPlan {
  readonly kind: MediumKind;
  readonly ifname: string;
  readonly bindAddress: string;
  readonly port: number;
  readonly destination: string;
  readonly description: string;
  /** Socket options applied after bind (broadcast flag, multicast membership…). */
  readonly configure: (s: Socket, ifAddress: string) => void;
}

class UdpTransport implements Transport {
  private readonly events = new TransportEvents();
  private closed = false;

  constructor(private readonly socket: Socket, private readonly plan: UdpPlan) {
    socket.on('message', (msg, rinfo) => {
      const p: ReceivedPacket = { data: new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), from: rinfo.address,
        fromPort: rinfo.port, link: plan.ifname, kind: plan.kind };
      this.events.deliver(p);
    });
    // An ICMP error or similar surfaces here; count it, keep the socket.
    socket.on('error', (e) => { this.events.counters.receiveErrors++; this.events.error(e); });
  }

  get kind(): MediumKind { return this.plan.kind; }
  get link(): string { return this.plan.ifname; }
  get description(): string { return this.plan.description; }

  send(data: Uint8Array): void {
    if (this.closed) { this.events.sendFailed(new Error(`${this.plan.description}: send after close`)); return; }
    try {
      this.socket.send(data, this.plan.port, this.plan.destination, (e) => {
        if (e) this.events.sendFailed(e);
        else this.events.counters.sent++;
      });
    } catch (e) {
      this.events.sendFailed(e instanceof Error ? e : new Error(String(e)));
    }
  }

  onPacket(l: (p: ReceivedPacket) => void): () => void { return this.events.onPacket(l); }
  onError(l: (e: Error) => void): () => void { return this.events.onError(l); }
  stats(): TransportStats { return this.events.stats(); }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((r) => this.socket.close(() => r()));
  }
}

async function openUdp(plan: UdpPlan, ifAddress: string): Promise<Transport> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: plan.bindAddress, port: plan.port }, () => { socket.off('error', reject); resolve(); });
  }).catch((e: Error) => {
    socket.close();
    ioFail('LL_IO_BIND_FAILED', { medium: plan.kind, ifname: plan.ifname, address: plan.bindAddress, port: plan.port, reason: e.message });
  });
  plan.configure(socket, ifAddress);
  return new UdpTransport(socket, plan);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) ioFail('LL_IO_BAD_PORT', { port });
  return port;
}

/**
 * Opens `bcast IF`. The socket binds to IF's broadcast address, so it hears only broadcasts on that
 * interface's subnet (as heartbeat's per-device socket does), and sends to that address; the kernel uses
 * the interface's own address as the source.
 */
export async function openBcast(o: BcastOptions): Promise<Transport> {
  const port = checkPort(o.port ?? DEFAULT_UDP_PORT);
  const info = await interfaceInfo(o.ifname);
  if (!info.broadcast) ioFail('LL_IO_NO_BROADCAST', { ifname: o.ifname, address: info.address, prefixLen: info.prefixLen });
  return openUdp({
    kind: 'bcast', ifname: o.ifname, bindAddress: info.broadcast, port, destination: info.broadcast,
    description: `UDP Broadcast heartbeat on port ${port} interface ${o.ifname} (${info.broadcast})`,
    configure: (s) => s.setBroadcast(true),
  }, info.address);
}

/** Opens `mcast IF GROUP PORT TTL LOOP`: joins GROUP on IF, sends to GROUP:PORT out of IF. */
export async function openMcast(o: McastOptions): Promise<Transport> {
  const port = checkPort(o.port);
  if (!Number.isInteger(o.ttl) || o.ttl < 0 || o.ttl > 255) ioFail('LL_IO_BAD_TTL', { ttl: o.ttl });
  const first = Number(o.group.split('.')[0]);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(o.group) || first < 224 || first > 239) ioFail('LL_IO_BAD_MCAST_GROUP', { group: o.group });
  const info = await interfaceInfo(o.ifname);
  return openUdp({
    kind: 'mcast', ifname: o.ifname, bindAddress: o.group, port, destination: o.group,
    description: `UDP multicast heartbeat on group ${o.group} port ${port} interface ${o.ifname}`,
    configure: (s, ifAddress) => {
      s.addMembership(o.group, ifAddress);
      s.setMulticastInterface(ifAddress);
      s.setMulticastTTL(o.ttl);
      s.setMulticastLoopback(o.loop);
    },
  }, info.address);
}

/**
 * Opens `ucast IF HOST`: binds IF's own address (so it hears unicast to this node on IF, from any peer, as
 * heartbeat's ucast does) and sends to HOST. Several ucast media on one interface share the port through
 * SO_REUSEADDR; the kernel hands each arriving datagram to one of them, which is fine because all report
 * the same link name.
 */
export async function openUcast(o: UcastOptions): Promise<Transport> {
  const port = checkPort(o.port ?? DEFAULT_UDP_PORT);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(o.host)) ioFail('LL_IO_BAD_UCAST_HOST', { host: o.host });
  const info = await interfaceInfo(o.ifname);
  return openUdp({
    kind: 'ucast', ifname: o.ifname, bindAddress: info.address, port, destination: o.host,
    description: `UDP unicast heartbeat on port ${port} interface ${o.ifname} to ${o.host}`,
    configure: () => { /* nothing beyond the bind */ },
  }, info.address);
}
