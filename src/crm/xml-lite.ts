// A small, fast XML reader for CIB files: elements and attributes only (text, comments, processing
// instructions and CDATA are skipped). Real CIBs reach megabytes; a full DOM made parsing dominate the scheduler.
import { DOMParser } from '@xmldom/xmldom';
import type { Element as DomElement, Node as DomNode } from '@xmldom/xmldom';

/** One element: its name, attributes and child elements. */
export interface XEl {
  readonly tagName: string;
  /** Attribute names and values alternating, in document order (flat: a CIB status has ~10^5 elements). */
  readonly attrs: readonly string[];
  readonly kids: readonly XEl[];
}

/** The value of attribute `name`, or undefined. */
export function getAttr(e: XEl, name: string): string | undefined {
  const a = e.attrs;
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

/** Result of reading a document: the root element, or why the text is not well-formed XML. */
export type XmlResult = { readonly ok: true; readonly root: XEl } | { readonly ok: false; readonly reason: string };

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Replaces the predefined entities and character references; undefined when a reference is malformed. */
function decode(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  let bad = false;
  const out = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) { bad = true; return m; }
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const e = ENTITIES[ref];
    if (e === undefined) bad = true;
    return e ?? m;
  });
  return bad ? undefined : out;
}

/** Characters that make an attribute value need more than a slice. */
const SPECIAL = /[<&\t\n\r]/;
const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;
/** A name character: anything but whitespace and the XML delimiters / > = < " '. */
const isNameChar = (c: number) => !(isSpace(c) || c === 47 || c === 62 || c === 61 || c === 60 || c === 34 || c === 39 || Number.isNaN(c));

/** Fast path: a strict reader for the XML subset CIBs use. Returns undefined on anything it does not accept. */
function fastParse(text: string): XEl | undefined {
  type Open = { tagName: string; attrs: string[]; kids: XEl[] };
  const stack: Open[] = [];
  let root: XEl | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      if (text.slice(i).trim() !== '' && stack.length === 0) return undefined;
      break;
    }
    if (stack.length === 0 && text.slice(i, lt).trim() !== '' ) return undefined; // text outside the root
    i = lt;
    const c1 = text.charCodeAt(i + 1);
    if (c1 === 63 /* ? */) { const e = text.indexOf('?>', i + 2); if (e < 0) return undefined; i = e + 2; continue; }
    if (c1 === 33 /* ! */) {
      if (text.startsWith('<!--', i)) { const e = text.indexOf('-->', i + 4); if (e < 0) return undefined; i = e + 3; continue; }
      if (text.startsWith('<![CDATA[', i)) { if (stack.length === 0) return undefined; const e = text.indexOf(']]>', i + 9); if (e < 0) return undefined; i = e + 3; continue; }
      const e = text.indexOf('>', i);
      if (e < 0 || text.slice(i, e).includes('[')) return undefined; // DOCTYPE with an internal subset: leave it to the full parser
      i = e + 1;
      continue;
    }
    if (c1 === 47 /* / */) {
      const e = text.indexOf('>', i + 2);
      if (e < 0) return undefined;
      const name = text.slice(i + 2, e).trimEnd();
      const top = stack.pop();
      if (!top || top.tagName !== name) return undefined;
      const el: XEl = top;
      if (stack.length) stack[stack.length - 1]!.kids.push(el); else { if (root) return undefined; root = el; }
      i = e + 1;
      continue;
    }
    let j = i + 1;
    while (isNameChar(text.charCodeAt(j))) j++;
    if (j === i + 1) return undefined;
    const tagName = text.slice(i + 1, j);
    const attrs: string[] = [];
    let selfClosing = false;
    for (;;) {
      let k = j;
      while (isSpace(text.charCodeAt(k))) k++;
      const ch = text.charCodeAt(k);
      if (ch === 62 /* > */) { j = k + 1; break; }
      if (ch === 47 /* / */) { if (text.charCodeAt(k + 1) !== 62) return undefined; selfClosing = true; j = k + 2; break; }
      if (k === j) return undefined; // attributes are separated by whitespace
      const nameStart = k;
      while (isNameChar(text.charCodeAt(k))) k++;
      if (k === nameStart) return undefined;
      const name = text.slice(nameStart, k);
      while (isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 61 /* = */) return undefined;
      k++;
      while (isSpace(text.charCodeAt(k))) k++;
      const q = text.charCodeAt(k);
      if (q !== 34 && q !== 39) return undefined;
      const close = text.indexOf(q === 34 ? '"' : "'", k + 1);
      if (close < 0) return undefined;
      let v: string | undefined = text.slice(k + 1, close);
      if (SPECIAL.test(v)) {
        if (v.includes('<')) return undefined;
        // Attribute-value normalization: literal tabs and newlines read as spaces.
        v = decode(v.replace(/[\t\n\r]/g, ' '));
        if (v === undefined) return undefined;
      }
      for (let d = 0; d < attrs.length; d += 2) if (attrs[d] === name) return undefined;
      attrs.push(name, v);
      j = close + 1;
    }
    i = j;
    const el: Open = { tagName, attrs, kids: [] };
    if (selfClosing) {
      if (stack.length) stack[stack.length - 1]!.kids.push(el); else { if (root) return undefined; root = el; }
    } else {
      if (stack.length === 0 && root) return undefined;
      stack.push(el);
    }
  }
  return stack.length === 0 ? root : undefined;
}

function fromDom(e: DomElement): XEl {
  const attrs: string[] = [];
  for (let k = 0; k < e.attributes.length; k++) { const a = e.attributes.item(k)!; attrs.push(a.name, a.value); }
  const kids: XEl[] = [];
  for (let c: DomNode | null = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) kids.push(fromDom(c as DomElement));
  return { tagName: e.tagName, attrs, kids };
}

/** Reads XML text. Uses the fast reader, and the full xmldom parser for anything the fast one declines
 *  (so error messages, and acceptance, stay those of a conforming parser). */
export function parseXml(text: string): XmlResult {
  const fast = fastParse(text);
  if (fast) return { ok: true, root: fast };
  const errors: string[] = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(text, 'text/xml');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const root = doc.documentElement;
  if (errors.length || !root) return { ok: false, reason: errors[0] ?? 'no root element' };
  return { ok: true, root: fromDom(root) };
}
