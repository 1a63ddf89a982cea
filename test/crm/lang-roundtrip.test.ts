// Property: for generated configurations, crm text → XML → show → XML is byte-identical, whatever the statement
// order, ids or quoting; so a CIB shown and loaded back by an administrator never changes under them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cibXml, parseCibXml, parseCrm, renderCrm, verifyConfig } from '../../src/crm/lang/index.js';

const idArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,4}(-[a-z0-9]{1,3})?$/);
/** Any printable value without line breaks (crm text has no way to write those), quotes and spaces included. */
const valueArb = fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const durationArb = fc.constantFrom('10s', '1m', '30', '500ms', '2min', '0');
const scoreArb = fc.constantFrom('inf', '-inf', '+inf', 'INFINITY', '-INFINITY', '100', '-100', '0', '5');

function quote(v: string): string {
  return /^[\w.-]+$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface Gen {
  readonly ids: string[];
  readonly nodes: string[];
}

const configArb = fc.uniqueArray(idArb, { minLength: 14, maxLength: 20 }).chain((ids) => {
  const prims = ids.slice(0, 6);
  const groups = ids.slice(6, 8);
  const clones = ids.slice(8, 10);
  const cons = ids.slice(10);
  const g: Gen = { ids, nodes: ['n1', 'n2', 'n3'] };
  const nv = (names: string[]) => fc.uniqueArray(fc.tuple(fc.constantFrom(...names), valueArb), { maxLength: 3, selector: ([n]) => n })
    .map((ps) => ps.map(([n, v]) => `${n}=${quote(v)}`).join(' '));
  const op = fc.record({
    name: fc.constantFrom('monitor', 'start', 'stop'),
    interval: durationArb,
    timeout: fc.option(durationArb, { nil: undefined }),
    onFail: fc.option(fc.constantFrom('restart', 'block', 'ignore', 'standby'), { nil: undefined }),
    extra: fc.option(fc.constantFrom('OCF_CHECK_LEVEL=10', 'depth=5'), { nil: undefined }),
    intervalFirst: fc.boolean(),
  }).map((o) => {
    const attrs = [`interval=${o.interval}`, ...(o.timeout ? [`timeout=${o.timeout}`] : []), ...(o.onFail ? [`on-fail=${o.onFail}`] : [])];
    if (!o.intervalFirst) attrs.reverse();
    return `op ${o.name} ${attrs.join(' ')}${o.extra ? ` ${o.extra}` : ''}`;
  });
  const primitive = (id: string) => fc.record({
    agent: fc.constantFrom('Dummy', 'IPaddr2', 'ocf:pacemaker:Dummy', 'lsb:postgresql', 'stonith:fence_x', 'systemd:foo'),
    params: nv(['ip', 'nic', 'state', 'fake', 'password']),
    meta: nv(['target-role', 'migration-threshold', 'failure-timeout', 'resource-stickiness']),
    ops: fc.array(op, { maxLength: 3 }),
  }).map((p) => [`primitive ${id} ${p.agent}`, ...(p.params ? [`params ${p.params}`] : []), ...(p.meta ? [`meta ${p.meta}`] : []), ...p.ops].join(' \\\n    '));
  // Groups take disjoint runs of primitives; clones wrap a free primitive or a group.
  const containers = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([a, b, cloneGroup]) => {
    const out: string[] = [];
    const g1 = prims.slice(0, a);
    const g2 = prims.slice(a, a + b);
    if (g1.length) out.push(`group ${groups[0]} ${g1.join(' ')} meta target-role=Started`);
    if (g2.length) out.push(`group ${groups[1]} ${g2.join(' ')}`);
    const free = prims.slice(a + b);
    if (free.length) out.push(`clone ${clones[0]} ${free[0]} meta clone-max=2 interleave=true`);
    if (cloneGroup && g1.length) out.push(`clone ${clones[1]} ${groups[0]}`);
    return out;
  });
  const rsc = fc.constantFrom(...prims);
  const constraint = (id: string) => fc.oneof(
    fc.tuple(rsc, scoreArb, fc.constantFrom(...g.nodes), fc.boolean()).map(([r, s, n, role]) => `location ${id} ${r}${role ? ' role=Started' : ''} ${s}: ${n}`),
    fc.tuple(rsc, fc.array(fc.tuple(fc.oneof(scoreArb, fc.constant('pingd')),
      fc.array(fc.oneof(
        fc.tuple(fc.constantFrom('#uname', 'site', 'pingd'), fc.constantFrom('eq', 'ne', 'lt', 'gte', 'number:lte', 'string:eq'), valueArb.filter((v) => v.length > 0)).map(([a, o, v]) => `${a} ${o} ${quote(v)}`),
        fc.tuple(fc.constantFrom('defined', 'not_defined'), fc.constantFrom('pingd', 'site')).map(([o, a]) => `${o} ${a}`),
      ), { minLength: 1, maxLength: 3 }), fc.constantFrom('and', 'or')), { minLength: 1, maxLength: 2 }))
      .map(([r, rules]) => `location ${id} ${r} ${rules.map(([s, xs, b]) => `rule ${s}: ${xs.join(` ${b} `)}`).join(' \\\n    ')}`),
    fc.tuple(scoreArb, fc.uniqueArray(rsc, { minLength: 2, maxLength: 3 })).map(([s, rs]) => `colocation ${id} ${s}: ${rs.join(' ')}`),
    fc.tuple(fc.constantFrom('Mandatory: ', 'Optional: ', 'Serialize: ', 'inf: ', '0: ', ''), fc.uniqueArray(rsc, { minLength: 2, maxLength: 3 }),
      fc.constantFrom('', ' symmetrical=false')).map(([k, rs, sym]) => `order ${id} ${k}${rs.join(' ')}${sym}`),
    fc.tuple(rsc, rsc, fc.constantFrom('start', 'stop')).filter(([a, b]) => a !== b).map(([a, b, act]) => `order ${id} Mandatory: ${a}:${act} ${b}:start`),
  );
  const node = fc.tuple(fc.constantFrom(...g.nodes), fc.boolean(), fc.option(fc.constantFrom('on', 'off'), { nil: undefined }))
    .map(([n, numbered, standby]) => `node ${numbered ? `${n.slice(1)}: ` : ''}${n}${standby ? ` attributes standby=${standby}` : ''}`);
  const options = fc.tuple(fc.boolean(), fc.constantFrom('stop', 'ignore', 'freeze'), fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }), fc.option(durationArb, { nil: undefined }))
    .map(([stonith, nq, stick, timeout]) => [
      `property cib-bootstrap-options: stonith-enabled=${stonith} no-quorum-policy=${nq}`,
      ...(stick !== undefined ? [`rsc_defaults rsc-options: resource-stickiness=${stick}`] : []),
      ...(timeout !== undefined ? [`op_defaults timeout=${timeout}`] : []),
    ]);
  return fc.tuple(
    fc.uniqueArray(node, { maxLength: 3, selector: (s) => s.split(' ').find((w) => w.startsWith('n')) }),
    fc.tuple(...prims.map(primitive)),
    containers,
    fc.tuple(...cons.map(constraint)),
    options,
  ).chain(([nodes, ps, cs, ks, os]) => {
    const all = [...nodes, ...ps, ...cs, ...ks, ...os];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });
});

test('round trip: text → XML → show → XML is identical for generated configurations', () => {
  fc.assert(fc.property(configArb, (statements) => {
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
