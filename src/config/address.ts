// IPv4 address arithmetic shared by the ha.cf and haresources parsers and the configuration advice.
// Pure and tiny on purpose: one definition of "an IPv4 address" for every file that needs it.

/** True for a dotted-quad IPv4 address with each part 0-255 (`10.0.0.5`); no shorthand forms. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Converts a dotted IPv4 address to a 32-bit unsigned number (for subnet arithmetic). */
export function ipv4ToNumber(s: string): number {
  return s.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** True when `ip` lies in the subnet of `net`/`prefix`. */
export function inSubnet(ip: string, net: string, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
  return ((ipv4ToNumber(ip) & mask) >>> 0) === ((ipv4ToNumber(net) & mask) >>> 0);
}

/** True for an IPv4 multicast (class D) address, 224.0.0.0-239.255.255.255. */
export function isIPv4Multicast(s: string): boolean {
  if (!isIPv4(s)) return false;
  const first = Number(s.split('.')[0]);
  return first >= 224 && first <= 239;
}
