// Branded primitive types shared by every module, so a value says what it is.
// A brand costs nothing at run time; it stops a node name being passed where a resource id belongs.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A cluster node's name as it appears in ha.cf `node` lines and `uname -n`. */
export type NodeName = Brand<string, 'NodeName'>;
/** A duration or instant in milliseconds. Instants come from an injected clock, never Date.now() in pure code. */
export type Millis = Brand<number, 'Millis'>;
/** heartbeat's generation number: bumped on every daemon start, persisted in the state dir. */
export type Generation = Brand<number, 'Generation'>;
/** Per-sender message sequence number. */
export type SeqNo = Brand<number, 'SeqNo'>;
/** A resource id (haresources resource or CIB primitive id). */
export type ResourceId = Brand<string, 'ResourceId'>;

export const nodeName = (s: string): NodeName => s as NodeName;
export const millis = (n: number): Millis => n as Millis;
export const generation = (n: number): Generation => n as Generation;
export const seqNo = (n: number): SeqNo => n as SeqNo;
export const resourceId = (s: string): ResourceId => s as ResourceId;

/** The clock every state machine receives instead of reading the system time itself. */
export interface Clock {
  /** Monotonic milliseconds: never jumps backwards; used for timers. */
  now(): Millis;
}

/** A result that carries its failure as data: pure code returns these instead of throwing. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
