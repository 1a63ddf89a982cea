// `lifeline advise` against two real daemons in namespaces: the daemon measures the silences from its peer per
// link, and the advice printed from them is derived from what was measured, not from the configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCluster } from '../../src/harness/index.js';
import { haCf, lifeline, startLifeline, waitAllActive, KEEPALIVE_MS } from '../cluster/daemon-fixture.js';

const canRun = process.getuid?.() === 0;

test('two daemons: advise shows nodeb\'s gaps on eth0 near keepalive and recommends a deadtime from them', { skip: canRun ? false : 'needs root', timeout: 60_000 }, async (t) => {
  await withCluster({ prefix: 'lk-ad', networks: ['10.213.4.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const cf = haCf('bcast eth0', ['nodea', 'nodeb']);
    await startLifeline(a, cf);
    await startLifeline(b, cf);
    await waitAllActive([a, b]);
    await new Promise((r) => setTimeout(r, 3000));
    const r = await lifeline(a, ['advise', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { links: Array<{ node: string; link: string; hist: { count: number; maxMs: number } }>; advice: { recommended: { deadtime: number }; gaps: number } };
    const l = j.links.find((x) => x.node === 'nodeb');
    assert.ok(l, r.stdout);
    assert.match(l.link, /eth0/);
    // ~3 s at keepalive 200 ms: at least a handful of gaps, none near the 2 s deadtime.
    assert.ok(l.hist.count >= 5, `${l.hist.count} gaps`);
    assert.ok(l.hist.maxMs < 2000, `worst gap ${l.hist.maxMs} ms`);
    assert.ok(j.advice.recommended.deadtime >= 2 * KEEPALIVE_MS && j.advice.recommended.deadtime >= l.hist.maxMs);
    const text = await lifeline(a, ['advise']);
    t.diagnostic(text.stdout);
    assert.match(text.stdout, /^ {2}nodeb\s+\S*eth0\S*\s+\d+\s+\d+ms/m);
    assert.match(text.stdout, /^ {2}deadtime {2}\S+/m);
  });
});
