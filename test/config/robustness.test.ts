// Any text, however broken, gives diagnostics and never an exception: the parsers face hand-edited files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DIRECTIVE_NAMES, parseHaCf } from '../../src/config/hacf.js';
import { parseHaresources } from '../../src/config/haresources.js';

const word = fc.oneof(fc.constantFrom(...DIRECTIVE_NAMES, 'eth0', '239.0.0.1', '694', '1', '0', '2s', '500ms', 'on', 'legacy', '#', '\\', '::', '10.0.0.5/24/eth0', 'node1'),
  fc.string({ maxLength: 8 }));
const line = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
const file = fc.array(line, { maxLength: 20 }).map((ls) => ls.join('\n'));

test('parseHaCf never throws; every diagnostic points into the file', () => {
  fc.assert(fc.property(file, (text) => {
    const r = parseHaCf(text, 'ha.cf', 'node1');
    const lines = text.split('\n').length;
    for (const d of r.diagnostics) {
      assert.equal(d.location?.file, 'ha.cf');
      if (d.location?.line !== undefined) assert.ok(d.location.line >= 1 && d.location.line <= lines);
    }
    assert.equal(r.value === undefined, r.diagnostics.some((d) => d.severity === 'error'));
  }), { numRuns: 500 });
});

test('parseHaresources never throws; every diagnostic points into the file', () => {
  fc.assert(fc.property(file, (text) => {
    const r = parseHaresources(text, 'haresources', ['node1', 'bcast']);
    const lines = text.split('\n').length;
    for (const d of r.diagnostics) if (d.location?.line !== undefined) assert.ok(d.location.line >= 1 && d.location.line <= lines);
    assert.equal(r.value === undefined, r.diagnostics.some((d) => d.severity === 'error'));
  }), { numRuns: 500 });
});
