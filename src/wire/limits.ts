// heartbeat 3.0.6's size and depth limits (cluster-glue ipc.h, ha_msg.h, cl_msg_types.c), in one place.
// The decoder enforces them on what it accepts and the signer on what it sends, so neither side can be pushed past them.

/** Largest message heartbeat puts on the wire or accepts (MAXMSG, 256 KiB). */
export const MAXMSG = 256 * 1024;
/** Largest message after decompression (MAXUNCOMPRESSED, 2 MiB): the bound for inflating a compressed field. */
export const MAXUNCOMPRESSED = 2048 * 1024;
/** Deepest nesting of messages inside messages (MAXDEPTH); the classic format has no newline symbol past it. */
export const MAXDEPTH = 16;
/** A packed string list must stay shorter than this (MAXLENGTH) or heartbeat refuses to send it. */
export const MAXLIST = 1024;
/** Digits allowed in a netstring length: 256 KiB needs 6, so 7 leaves room and keeps the arithmetic exact. */
export const MAX_LENGTH_DIGITS = 7;
/** Key indexes run 0..15 (heartbeat's MAXAUTH is 16). */
export const MAXAUTH = 16;
