// fast-check generators of heartbeat messages, shared by the property test and the long fuzz campaign (scripts/fuzz.ts).
// `classicSafe` restricts text to what heartbeat's classic format can carry unchanged (no newline symbols, no NUL).

import fc from 'fast-check';
import type { Field, HaMessage } from '../../src/wire/message.js';

const cleanText = (classic: boolean) => (s: string) => {
  let out = s.replace(/\0/g, '');
  // heartbeat's classic format turns "\n" into 0x13 and nested newlines into 0x0f..0x1f; such characters in the
  // original text cannot come back unchanged, so the classic generator leaves them out.
  if (classic) out = out.replace(/[\x0f-\x1f]/g, '');
  return out;
};

/** Text as heartbeat strings can hold: any Unicode (well-formed), no NUL; with `classic`, no control symbols either. */
export function text(classic: boolean, maxLength = 16): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary-ascii', maxLength }), fc.constantFrom('', 'status', '0.07 0.08 0.02 3/90 9086', 'a=b,c:d', '###\n', '%%%\n', '>>>\n<<<\n'))
    .map(cleanText(classic));
}

/** Field names heartbeat would accept in both formats. */
export const fieldName: fc.Arbitrary<string> = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), fc.constantFrom('t', 'src', 'srcuuid', 'seq', 'hg', 'auth', 'ld', 'ünï'));

/** Arbitrary messages, nested a few levels (fast-check's small depth size); `classic` leaves out type 5 and unsafe text. */
export function message(opts: { classic: boolean; maxFields?: number }): fc.Arbitrary<HaMessage> {
  const maxFields = opts.maxFields ?? 8;
  const t = text(opts.classic);
  const nonEmpty = t.filter((s) => s !== '' && !(opts.classic && s.includes('\n')));
  const { msg } = fc.letrec<{ msg: HaMessage; field: Field }>((tie) => ({
    msg: fc.array(tie('field'), { maxLength: maxFields }).map((fields) => ({ fields })),
    field: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ name: fieldName, type: fc.constant(0 as const), value: t }),
      fc.record({ name: fieldName, type: fc.constant(1 as const), value: fc.uint8Array({ maxLength: 24 }) }),
      fc.record({ name: fieldName, type: fc.constant(3 as const), value: fc.array(nonEmpty, { minLength: 1, maxLength: 4 }) }),
      fc.record({ name: fieldName, type: fc.constant(4 as const), value: fc.uint8Array({ maxLength: 24 }) }),
      fc.record({ name: fieldName, type: fc.constant(2 as const), value: tie('msg') as fc.Arbitrary<HaMessage> }),
      ...(opts.classic ? [] : [fc.record({ name: fieldName, type: fc.constant(5 as const), value: tie('msg') as fc.Arbitrary<HaMessage> })]),
    ).map((f) => ({ ...f })) as fc.Arbitrary<Field>, // records may come without a prototype; fields are plain objects
  }));
  return msg;
}

/** Random authkeys entries: every method, any index 0..15. */
export const authKey = fc.record({
  index: fc.integer({ min: 0, max: 15 }),
  method: fc.constantFrom('crc' as const, 'md5' as const, 'sha1' as const, 'sha256' as const),
  secret: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).map((s) => s.replace(/\s/g, 'x')),
}).map((k) => (k.method === 'crc' ? { ...k, secret: '' } : k));
