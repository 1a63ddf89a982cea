// fast-check generators of crm configurations, shared by the round-trip property and the crm_verify comparison.
// Each statement is crm text; the order is shuffled because crmsh (and Lifeline) accept statements in any order.

import fc from 'fast-check';

// Section words (op, meta, params…) are refused as resource ids (test/crm/lang-errors.test.ts), and the node names
// n1..n3 are ids too (`node n1` → <node id="n1">): generated ids avoid both, or they would be duplicates.
const RESERVED = new Set(['params', 'meta', 'utilization', 'op', 'op_params', 'op_meta', 'attributes', 'n1', 'n2', 'n3']);
const idArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,4}(-[a-z0-9]{1,3})?$/).filter((id) => !RESERVED.has(id));
/** Any printable value without line breaks (crm text has no way to write those), quotes and spaces included. */
const valueArb = fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const durationArb = fc.constantFrom('10s', '1m', '30', '500ms', '2min', '0');
const scoreArb = fc.constantFrom('inf', '-inf', '+inf', 'INFINITY', '-INFINITY', '100', '-100', '0', '5');

export function quote(v: string): string {
  return /^[\w.-]+$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface Gen {
  readonly ids: string[];
  readonly nodes: string[];
}

/**
 * Generated configurations as lists of crm statements in random order. `any`: values of every kind, quotes and
 * garbage included (for the round trip). `plausible`: values mostly valid, with a few mistakes Pacemaker refuses
 * (recurring start, bogus target-role, constraints on a cloned primitive), for comparing verify with crm_verify.
 */
export function configArb(mode: 'any' | 'plausible' = 'any'): fc.Arbitrary<string[]> {
  const plausible = mode === 'plausible';
  return fc.uniqueArray(idArb, { minLength: 14, maxLength: 20 }).chain((ids) => {
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
      oneShot: fc.integer({ min: 0, max: 9 }),
      timeout: fc.option(durationArb, { nil: undefined }),
      onFail: fc.option(fc.constantFrom('restart', 'block', 'ignore', 'standby'), { nil: undefined }),
      extra: fc.option(fc.constantFrom('OCF_CHECK_LEVEL=10', 'depth=5'), { nil: undefined }),
      intervalFirst: fc.boolean(),
    }).map((o) => {
      // Plausible: monitors recur, start/stop mostly do not (one in ten is the mistake Pacemaker refuses).
      const iv = !plausible ? o.interval : o.name === 'monitor' ? (o.interval === '0' ? '10s' : o.interval) : o.oneShot === 0 ? o.interval : '0';
      const attrs = [`interval=${iv}`, ...(o.timeout ? [`timeout=${o.timeout}`] : []), ...(o.onFail ? [`on-fail=${o.onFail}`] : [])];
      if (!o.intervalFirst) attrs.reverse();
      return `op ${o.name} ${attrs.join(' ')}${o.extra ? ` ${o.extra}` : ''}`;
    });
    const primitive = (id: string) => fc.record({
      agent: fc.constantFrom('Dummy', 'IPaddr2', 'ocf:pacemaker:Dummy', 'lsb:postgresql', 'stonith:fence_x', 'systemd:foo'),
      params: nv(['ip', 'nic', 'state', 'fake', 'password']),
      meta: plausible
        ? fc.uniqueArray(fc.constantFrom('target-role=Started', 'target-role=Stopped', 'migration-threshold=3', 'failure-timeout=60s',
          'resource-stickiness=100', 'resource-stickiness=INFINITY', 'is-managed=false', 'target-role=bogus'), { maxLength: 2, selector: (x) => x.split('=')[0] })
          .map((xs) => xs.join(' '))
        : nv(['target-role', 'migration-threshold', 'failure-timeout', 'resource-stickiness']),
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
      if (free.length && (!plausible || cloneGroup)) out.push(`clone ${clones[0]} ${free[0]} meta clone-max=2 interleave=true`);
      if (cloneGroup && g1.length) out.push(`clone ${clones[1]} ${groups[0]}`);
      return out;
    });
    const rsc = fc.constantFrom(...prims);
    const constraint = (id: string) => fc.oneof(
      fc.tuple(rsc, scoreArb, fc.constantFrom(...g.nodes), fc.boolean()).map(([r, s, n, role]) => `location ${id} ${r}${role ? ' role=Started' : ''} ${s}: ${n}`),
      fc.tuple(rsc, fc.array(fc.tuple(fc.oneof(scoreArb, fc.constant('pingd')),
        fc.array(fc.oneof(
          fc.tuple(fc.constantFrom('#uname', 'site', 'pingd'), fc.constantFrom('eq', 'ne', 'lt', 'gte', 'number:lte', 'string:eq'), plausible ? fc.constantFrom('n1', '0', '10', 'a') : valueArb.filter((v) => v.length > 0)).map(([a, o, v]) => `${a} ${o} ${quote(v)}`),
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
        `property cib-bootstrap-options: stonith-enabled=${plausible ? false : stonith} no-quorum-policy=${nq}`,
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
}
