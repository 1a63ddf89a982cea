// The `llcfg` digest in status messages: sent only when configured, a peer's digest reported once when first seen
// and when it changes (a reload), never for every keepalive; heartbeat-shaped statuses without it report "none".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.js';
import { getString } from '../../src/wire/message.js';
import { CONFIG_DIGEST_FIELD } from '../../src/membership/messages.js';
import { configDigest, digestDifferences } from '../../src/config/digest.js';

const HACF = 'keepalive 1\ndeadtime 10\nbcast eth0\nnode nodea nodeb\n';
const KEYS = 'auth 1\n1 sha1 secret\n';

function pair(digests: { nodea?: string; nodeb?: string }): Sim {
  const sim = new Sim();
  for (const n of ['nodea', 'nodeb'] as const) {
    sim.add(n, { nodes: ['nodea', 'nodeb'], ...(digests[n] !== undefined ? { configDigest: digests[n] } : {}) });
    sim.start(n);
  }
  return sim;
}

test('each status carries llcfg when a digest is configured; the peer reports it once, and again only when it changes', () => {
  const d1 = configDigest({ haCf: HACF, authkeys: KEYS });
  const d2 = configDigest({ haCf: `${HACF}warntime 5\n`, authkeys: KEYS });
  const sim = pair({ nodea: d1, nodeb: d1 });
  sim.runUntil(10000);
  const statuses = sim.wire.filter((w) => w.packet.from === 'nodea' && getString(w.packet.message, 't') === 'status');
  assert.ok(statuses.length > 5);
  for (const w of statuses) assert.equal(getString(w.packet.message, CONFIG_DIGEST_FIELD), d1);
  assert.deepEqual(sim.effectsOf('nodeb', 'peer-config').map((e) => e.effect), [{ kind: 'peer-config', node: 'nodea', digest: d1, previous: null }]);
  // A reload on nodea: its next statuses carry the new digest, nodeb reports the change once.
  sim.inject('nodea', { kind: 'config-digest', digest: d2 });
  sim.runUntil(20000);
  assert.deepEqual(sim.effectsOf('nodeb', 'peer-config').map((e) => e.effect.digest), [d1, d2]);
  assert.deepEqual(digestDifferences(d1, d2), ['ha.cf']);
});

test('without a digest nothing is added (the statuses heartbeat sends), and the peer reports "none" once', () => {
  const sim = pair({ nodeb: 'ha.cf=0 haresources=- authkeys=0' });
  sim.runUntil(5000);
  const fromA = sim.wire.filter((w) => w.packet.from === 'nodea' && getString(w.packet.message, 't') === 'status');
  for (const w of fromA) assert.deepEqual(w.packet.message.fields.map((f) => f.name).slice(0, 4), ['t', 'st', 'dt', 'protocol']);
  for (const w of fromA) assert.equal(getString(w.packet.message, CONFIG_DIGEST_FIELD), undefined);
  assert.deepEqual(sim.effectsOf('nodeb', 'peer-config').map((e) => e.effect), [{ kind: 'peer-config', node: 'nodea', digest: undefined, previous: null }]);
});

test('the digest follows check --cluster: comments, spacing and order do not count, node-local lines do not either', () => {
  const base = configDigest({ haCf: HACF, haresources: 'nodea 10.0.0.1 httpd\n', authkeys: KEYS });
  assert.equal(configDigest({ haCf: `# comment\nnode nodea   nodeb\nbcast eth0\ndeadtime 10\nkeepalive 1\n`, haresources: 'nodea 10.0.0.1 \\\n httpd\n', authkeys: KEYS }), base);
  assert.equal(configDigest({ haCf: `${HACF}logfile /var/log/other\nucast eth0 10.0.0.2\n`, haresources: 'nodea 10.0.0.1 httpd\n', authkeys: KEYS }), base);
  assert.deepEqual(digestDifferences(base, configDigest({ haCf: HACF, authkeys: KEYS })), ['haresources']);
  assert.deepEqual(digestDifferences(base, configDigest({ haCf: HACF, haresources: 'nodea 10.0.0.1 httpd\n', authkeys: 'auth 1\n1 sha1 other\n' })), ['authkeys']);
  // The secret itself is not in the digest, nor a plain hash of it.
  assert.doesNotMatch(base, /secret/);
  assert.deepEqual(digestDifferences(base, 'garbage'), ['ha.cf', 'haresources', 'authkeys']);
});
