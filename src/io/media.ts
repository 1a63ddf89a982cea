// Opens the transport for one ha.cf medium directive (bcast, mcast, ucast, serial), so the daemon has one call.
// The config parser produces these specs; this is the only place that maps a directive kind to its opener.
import { openBcast, openMcast, openUcast, type BcastOptions, type McastOptions, type UcastOptions } from './udp.js';
import { openSerial, type SerialOptions } from './serial.js';
import type { Transport } from './transport.js';

/** One medium as ha.cf declares it, with `udpport` / `baud` already filled in. */
export type MediumSpec =
  | ({ readonly kind: 'bcast' } & BcastOptions)
  | ({ readonly kind: 'mcast' } & McastOptions)
  | ({ readonly kind: 'ucast' } & UcastOptions)
  | ({ readonly kind: 'serial' } & SerialOptions);

/** Opens the transport of one medium; rejects with the medium's LL_IO_* diagnostic. */
export function openMedium(spec: MediumSpec): Promise<Transport> {
  switch (spec.kind) {
    case 'bcast': return openBcast(spec);
    case 'mcast': return openMcast(spec);
    case 'ucast': return openUcast(spec);
    case 'serial': return openSerial(spec);
  }
}

/**
 * Opens every medium, or none: if one fails, the ones already open are closed again and the first error is
 * thrown (heartbeat likewise refuses to start when a medium cannot be opened).
 */
export async function openMedia(specs: readonly MediumSpec[]): Promise<Transport[]> {
  const open: Transport[] = [];
  try {
    for (const s of specs) open.push(await openMedium(s));
    return open;
  } catch (e) {
    await Promise.all(open.map((t) => t.close()));
    throw e;
  }
}
