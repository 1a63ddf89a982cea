// The in-memory form of one heartbeat message: an ordered list of typed fields, exactly as on the wire.
// Order and types are kept so that encode(decode(packet)) reproduces the packet byte for byte.

/** heartbeat's field types (`(T)` in the netstring format). Only the ones heartbeat 3.0.6 puts on the wire matter. */
export const FieldType = {
  String: 0,
  Binary: 1,
  Struct: 2,
  List: 3,
  Compressed: 4,
  Uncompressed: 5,
} as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

export type Field =
  | { readonly name: string; readonly type: 0; readonly value: string }
  | { readonly name: string; readonly type: 1; readonly value: Uint8Array }
  | { readonly name: string; readonly type: 2; readonly value: HaMessage }
  | { readonly name: string; readonly type: 3; readonly value: readonly string[] }
  | { readonly name: string; readonly type: 4 | 5; readonly value: Uint8Array };

/** One message: its fields in wire order. Lookup helpers live beside the codec. */
export interface HaMessage {
  readonly fields: readonly Field[];
}

/** First string value of field `name`, or undefined. The accessor every layer above the codec uses. */
export function getString(m: HaMessage, name: string): string | undefined {
  for (const f of m.fields) if (f.name === name && f.type === 0) return f.value;
  return undefined;
}
