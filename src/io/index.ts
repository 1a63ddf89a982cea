// The OS-facing transports of Lifeline (UDP bcast/mcast/ucast, serial tty) and their in-memory twin.
// Everything implements Transport; import from here.
export { TransportEvents, type Transport, type ReceivedPacket, type TransportStats, type MediumKind } from './transport.js';
export { openBcast, openMcast, openUcast, DEFAULT_UDP_PORT, type BcastOptions, type McastOptions, type UcastOptions } from './udp.js';
export { openSerial, SerialFramer, configureTty, fragmentDelayMs, SERIAL_FRAGMENT, DEFAULT_BAUD, BAUDS, MAX_SERIAL_FRAME, type SerialOptions } from './serial.js';
export { MemoryNetwork, ManualClock, type PathConditions, type MemoryNetworkOptions, type AttachOptions, type MemoryNetworkStats } from './memory.js';
export { interfaceInfo, broadcastOf, ioFail, type InterfaceInfo } from './netinfo.js';
export { openMedium, openMedia, type MediumSpec } from './media.js';
