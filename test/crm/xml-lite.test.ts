// The fast CIB XML reader: the same elements and attribute values as a conforming parser (xmldom), and
// malformed text refused with xmldom's message instead of being half-read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import type { Element as DomElement, Node as DomNode } from '@xmldom/xmldom';
import { parseXml, getAttr, type XEl } from '../../src/crm/xml-lite.js';
import { generateCib } from '../../src/crm/cib-random.js';

type Plain = { t: string; a: string[]; k: Plain[] };
const plain = (e: XEl): Plain => ({ t: e.tagName, a: [...e.attrs], k: e.kids.map(plain) });
function viaDom(text: string): Plain {
  const conv = (e: DomElement): Plain => {
    const a: string[] = [];
    for (let i = 0; i < e.attributes.length; i++) a.push(e.attributes.item(i)!.name, e.attributes.item(i)!.value);
    const k: Plain[] = [];
    for (let c: DomNode | null = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) k.push(conv(c as DomElement));
    return { t: e.tagName, a, k };
  };
  return conv(new DOMParser().parseFromString(text, 'text/xml').documentElement!);
}

test('comments, processing instructions, CDATA, entities and attribute whitespace read as a conforming parser reads them', () => {
  const text = `<?xml version="1.0"?>\n<!-- head -->\n<cib a="1" b='two'>\n  <x id="e&amp;&lt;&gt;&quot;&apos;&#65;&#x42;" v="tab\there\nnl"/>` +
    `<!-- <not> an element -->\n  <y><![CDATA[<z/>]]>text</y >\n  <?pi data?>\n</cib>\n`;
  const r = parseXml(text);
  assert.ok(r.ok);
  assert.deepEqual(plain(r.root), viaDom(text));
  assert.equal(getAttr(r.root.kids[0]!, 'id'), 'e&<>"\'AB');
  assert.equal(getAttr(r.root.kids[0]!, 'v'), 'tab here nl');
  assert.equal(getAttr(r.root, 'missing'), undefined);
});

test('generated CIBs read identically by the fast reader and by xmldom', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const text = generateCib(seed);
    const r = parseXml(text);
    assert.ok(r.ok, `seed ${seed}`);
    assert.deepEqual(plain(r.root), viaDom(text), `seed ${seed}`);
  }
});

test('malformed XML is refused with a reason, never half-read', () => {
  for (const bad of ['<cib><a></cib>', '<cib a="1" a="2"/>', '<cib>', '<cib/><cib/>', '<cib x="&bogus;"/>', 'text<cib/>']) {
    const r = parseXml(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});
