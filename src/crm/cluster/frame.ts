// CRM frames on heartbeat's wire: one HaMessage of type `crm` per fragment, retransmission request or announce.
// heartbeat 3.0.6 hands types it has no handler for to API clients only, so its nodes ignore these messages.
import { deflateSync, inflateSync } from 'node:zlib';
import { getBinary, getString, type Field, type HaMessage } from '../../wire/message.js';

/** The `t` of every CRM frame: outside heartbeat's own types, so a heartbeat 3.0.6 peer drops it unseen. */
export const CRM_MSG_TYPE = 'lifeline-crm';

/**
 * One fragment of a CRM message. `seq` numbers fragments per sender incarnation, so every node tracks every
 * sender's one stream (addressed or not) and notices any gap; `frag`/`nfrag` place it in its message.
 */
export interface DataFrame {
  readonly kind: 'data';
  readonly inc: number;
  readonly seq: number;
  /** The addressee; absent for a message to every node. */
  readonly to?: string;
  readonly frag: number;
  readonly nfrag: number;
  /** A slice of the zlib-compressed JSON payload. */
  readonly data: Uint8Array;
}

/** "Send me again fragments first..last of `of`'s stream" (every node sees it; only `of` answers). */
export interface RexmitFrame { readonly kind: 'rexmit'; readonly of: string; readonly inc: number; readonly first: number; readonly last: number }
/** The sender's answer for fragments it no longer keeps: receivers skip them. */
export interface NakFrame { readonly kind: 'nak'; readonly inc: number; readonly first: number; readonly last: number }
/** "My next sequence number is `next`": lets receivers notice a lost tail when no later message follows. */
export interface AnnounceFrame { readonly kind: 'announce'; readonly inc: number; readonly next: number }

export type CrmFrame = DataFrame | RexmitFrame | NakFrame | AnnounceFrame;

const KIND = { data: 'd', rexmit: 'r', nak: 'n', announce: 'a' } as const;
const s = (name: string, value: string | number): Field => ({ name, type: 0, value: String(value) });

/** A frame as the message body membership sends (it adds src, seq, hg, ts; the signer adds auth). */
export function frameToHa(f: CrmFrame): HaMessage {
  const fields: Field[] = [s('t', CRM_MSG_TYPE), s('crm_k', KIND[f.kind]), s('crm_inc', f.inc)];
  switch (f.kind) {
    case 'data':
      fields.push(s('crm_seq', f.seq), s('crm_frag', f.frag), s('crm_nfrag', f.nfrag));
      if (f.to !== undefined) fields.push(s('crm_to', f.to));
      fields.push({ name: 'crm_data', type: 1, value: f.data });
      break;
    case 'rexmit': fields.push(s('crm_of', f.of), s('crm_first', f.first), s('crm_last', f.last)); break;
    case 'nak': fields.push(s('crm_first', f.first), s('crm_last', f.last)); break;
    case 'announce': fields.push(s('crm_next', f.next)); break;
  }
  return { fields };
}

const int = (m: HaMessage, name: string): number | undefined => {
  const v = getString(m, name);
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
};

/** True for a message of the CRM's type (anything else is not ours to judge). */
export const isCrmMessage = (m: HaMessage): boolean => getString(m, 't') === CRM_MSG_TYPE;

/** Reads a CRM frame; a string says what is wrong (the caller drops and counts it). */
export function frameFromHa(m: HaMessage): CrmFrame | string {
  const inc = int(m, 'crm_inc');
  if (inc === undefined) return 'no crm_inc';
  switch (getString(m, 'crm_k')) {
    case 'd': {
      const seq = int(m, 'crm_seq'), frag = int(m, 'crm_frag'), nfrag = int(m, 'crm_nfrag');
      const data = getBinary(m, 'crm_data');
      if (seq === undefined || frag === undefined || nfrag === undefined || !data) return 'data frame without crm_seq/crm_frag/crm_nfrag/crm_data';
      if (nfrag < 1 || frag >= nfrag || frag > seq) return `fragment ${frag} of ${nfrag} at seq ${seq} is out of range`;
      const to = getString(m, 'crm_to');
      return { kind: 'data', inc, seq, frag, nfrag, data, ...(to !== undefined ? { to } : {}) };
    }
    case 'r': {
      const of = getString(m, 'crm_of'), first = int(m, 'crm_first'), last = int(m, 'crm_last');
      if (!of || first === undefined || last === undefined || last < first) return 'retransmission request without a valid crm_of/crm_first/crm_last';
      return { kind: 'rexmit', inc, of, first, last };
    }
    case 'n': {
      const first = int(m, 'crm_first'), last = int(m, 'crm_last');
      if (first === undefined || last === undefined || last < first) return 'nak without a valid crm_first/crm_last';
      return { kind: 'nak', inc, first, last };
    }
    case 'a': {
      const next = int(m, 'crm_next');
      return next === undefined ? 'announce without crm_next' : { kind: 'announce', inc, next };
    }
    default: return `unknown crm_k ${JSON.stringify(getString(m, 'crm_k') ?? null)}`;
  }
}

/** A payload as zlib-compressed JSON cut into slices of at most `size` bytes (at least one slice). */
export function packPayload(payload: unknown, size: number): Uint8Array[] {
  const z = deflateSync(Buffer.from(JSON.stringify(payload), 'utf8'));
  const out: Uint8Array[] = [];
  for (let o = 0; o < z.length || out.length === 0; o += size) out.push(new Uint8Array(z.subarray(o, Math.min(z.length, o + size))));
  return out;
}

/** The payload of a message's slices, inflated within `maxBytes`, or why it cannot be read. */
export function unpackPayload(slices: readonly Uint8Array[], maxBytes: number): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const raw = inflateSync(Buffer.concat(slices.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength))), { maxOutputLength: maxBytes });
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
