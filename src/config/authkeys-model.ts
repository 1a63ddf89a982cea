// The typed form of /etc/ha.d/authkeys: which key signs outgoing messages, and every key that may verify incoming ones.
// Shared by the authkeys parser (src/config/authkeys.ts) and message authentication (src/wire).

/** heartbeat 3.0.6 understands crc, md5 and sha1; sha256 is a Lifeline extension heartbeat peers reject. */
export type AuthMethod = 'crc' | 'md5' | 'sha1' | 'sha256';

/** One `N method [secret]` line of authkeys. */
export interface AuthKey {
  /** The key index N (0..15, heartbeat's MAXAUTH is 16); sent on the wire as the digest's prefix. */
  readonly index: number;
  readonly method: AuthMethod;
  /** The shared secret; empty for crc, which uses none. */
  readonly secret: string;
}

/** The whole file: `active` signs what we send (`auth N`); any key in `keys` may verify what we receive. */
export interface AuthKeys {
  readonly active: AuthKey;
  readonly keys: ReadonlyMap<number, AuthKey>;
}
