// Property: for generated configurations, crm text → XML → show → XML is byte-identical, whatever the statement
// order, ids or quoting; so a CIB shown and loaded back by an administrator never changes under them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cibXml, hasErrors, parseCibXml, parseCrm, renderCrm, verifyConfig } from '../../src/crm/lang/index.js';
import { configArb } from './lang-arbitraries.js';
import { crmVerify } from './lang-fixtures.js';

test('round trip: text → XML → show → XML is identical for generated configurations', () => {
  fc.assert(fc.property(configArb(), (statements) => {
    const text = `${statements.join('\n')}\n`;
    const first = parseCrm(text, { file: 'gen.crm' });
    assert.deepEqual(first.diagnostics, [], text);
    const xml1 = cibXml(first.config);
    const back = parseCibXml(xml1, 'gen.xml');
    assert.deepEqual(back.diagnostics, []);
    const shown = renderCrm(back.config);
    const second = parseCrm(shown, { file: 'shown.crm' });
    assert.deepEqual(second.diagnostics, [], shown);
    const xml2 = cibXml(second.config);
    assert.equal(xml2, xml1, `text:\n${text}\nshown:\n${shown}`);
    // And show is a fixed point: printing the reloaded CIB gives the same text.
    assert.equal(renderCrm(parseCibXml(xml2, 'gen2.xml').config), shown);
  }), { numRuns: 300 });
});

test('no input crashes the parsers or verify: arbitrary text and mutated CIB XML give diagnostics, never a throw', () => {
  const words = fc.constantFrom('primitive', 'group', 'clone', 'location', 'colocation', 'order', 'property', 'node', 'rule', 'op',
    'params', 'meta', 'a', 'b', 'inf:', '100:', ':', 'and', 'or', 'defined', '#uname', 'eq', 'x=1', '$id=q', '"', "'", '\\', '(', ')', 'Dummy', 'n1');
  const junk = fc.array(fc.tuple(fc.oneof(words, fc.string({ maxLength: 6 })), fc.constantFrom(' ', '\n', ' \\\n')), { maxLength: 40 })
    .map((ws) => ws.map(([w, sep]) => w + sep).join(''));
  fc.assert(fc.property(junk, (text) => {
    const r = parseCrm(text, { file: 'junk.crm' });
    verifyConfig(r.config, { file: 'junk.crm' });
    renderCrm(r.config);
    cibXml(r.config);
  }), { numRuns: 500 });
  const base = cibXml(parseCrm('primitive a Dummy op monitor interval=10s\ngroup g a\nlocation l g rule -inf: #uname eq n1\ncolocation c inf: a g\n', { file: 'x' }).config);
  fc.assert(fc.property(fc.integer({ min: 0, max: base.length }), fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 5 }), (at, cut, ins) => {
    const mutated = base.slice(0, at) + ins + base.slice(at + cut);
    const r = parseCibXml(mutated, 'm.xml');
    verifyConfig(r.config, { file: 'm.xml' });
    renderCrm(r.config);
  }), { numRuns: 500 });
});

test('whenever crm_verify refuses a generated configuration, verify reports an error too (and it accepts some)', () => {
  let accepted = 0;
  let refusedByBoth = 0;
  fc.assert(fc.property(configArb('plausible'), (statements) => {
    const text = `${statements.join('\n')}\n`;
    const r = parseCrm(text, { file: 'gen.crm' });
    const ours = [...r.diagnostics, ...verifyConfig(r.config, { file: 'gen.crm' })];
    const theirs = crmVerify(cibXml(r.config));
    if (!theirs.accepted) {
      assert.ok(hasErrors(ours), `crm_verify refused but verify accepted:\n${text}\n${theirs.output}`);
      refusedByBoth++;
    } else if (!hasErrors(ours)) accepted++;
  }), { numRuns: 60 });
  // The generator must exercise both sides, or the property says nothing.
  assert.ok(accepted > 0 && refusedByBoth > 0, `accepted ${accepted}, refused by both ${refusedByBoth}`);
});
