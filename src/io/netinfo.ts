// What the OS says about a network interface: its IPv4 address, prefix and broadcast address.
// Read with `ip -j addr` (which knows the configured broadcast), falling back to os.networkInterfaces().
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { diag, LifelineError, type Code } from '../errors.js';

/** IPv4 configuration of one interface. */
export interface InterfaceInfo {
  readonly ifname: string;
  readonly address: string;
  readonly prefixLen: number;
  /** Broadcast address; undefined when the interface has none configured (heartbeat's bcast then sends nowhere). */
  readonly broadcast: string | undefined;
}

/** Throws the LifelineError of one catalogue code: opening a medium is daemon start-up, a shell layer. */
export function ioFail(code: Code, vars: Record<string, string | number>): never {
  throw new LifelineError([diag(code, vars)]);
}

/** The first IPv4 address of `ifname` with its broadcast address. Rejects with LL_IO_NO_INTERFACE if absent. */
export async function interfaceInfo(ifname: string): Promise<InterfaceInfo> {
  const viaIp = await new Promise<InterfaceInfo | undefined>((resolve) => {
    execFile('ip', ['-j', '-4', 'addr', 'show', 'dev', ifname], { env: { ...process.env, PATH: `/usr/sbin:/sbin:${process.env.PATH ?? ''}` } }, (e, out) => {
      if (e) { resolve(undefined); return; }
      try {
        const ifs = JSON.parse(out) as { addr_info?: { family: string; local: string; prefixlen: number; broadcast?: string }[] }[];
        const a = ifs[0]?.addr_info?.find((x) => x.family === 'inet');
        resolve(a ? { ifname, address: a.local, prefixLen: a.prefixlen, broadcast: a.broadcast } : undefined);
      } catch { resolve(undefined); }
    });
  });
  if (viaIp) return viaIp;
  const a = networkInterfaces()[ifname]?.find((x) => x.family === 'IPv4');
  if (!a) ioFail('LL_IO_NO_INTERFACE', { ifname });
  const prefixLen = Number(a.cidr?.split('/')[1] ?? 32);
  return { ifname, address: a.address, prefixLen, broadcast: prefixLen >= 31 ? undefined : broadcastOf(a.address, prefixLen) };
}

/** The directed broadcast address of `address/prefixLen` (pure). */
export function broadcastOf(address: string, prefixLen: number): string {
  const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
  const mask = prefixLen === 0 ? 0 : (~0 << (32 - prefixLen)) >>> 0;
  const b = (n | (~mask >>> 0)) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 255).join('.');
}
