// The directive-level comparison behind `lifeline check --cluster`: comments, spacing and order of lines of the same
// directive do not count; a changed, added or missing directive does, with its line on each side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareNodeFiles, describeDifference } from '../../src/config/compare.js';
import { parseDump } from '../../src/cli/check-cluster.js';

test('comments, blanks, spacing and the order of same-directive lines are no difference', () => {
  const a = 'node a b\nbcast eth0\nbcast eth1 # second\ndeadtime 10\n';
  const b = '# same cluster\n\nbcast  eth1\nnode a,b\ndeadtime\t10\nbcast eth0\n';
  assert.deepEqual(compareNodeFiles({ haCf: a }, { haCf: b }), []);
});

test('a changed, an added and a missing directive are each listed with their lines', () => {
  const d = compareNodeFiles({ haCf: 'deadtime 10\nkeepalive 1\n' }, { haCf: 'deadtime 30\nwarntime 5\n' });
  assert.deepEqual(d.map((x) => describeDifference(x, 'nodeb')), [
    'ha.cf deadtime: here "deadtime 10" (line 1), nodeb "deadtime 30" (line 1)',
    'ha.cf keepalive: here "keepalive 1" (line 2), nodeb has none',
    'ha.cf warntime: here has none, nodeb "warntime 5" (line 2)',
  ]);
});

test('haresources continuation lines are one group; a group that differs is named by its node', () => {
  assert.deepEqual(compareNodeFiles({ haresources: 'nodea 10.0.0.5 \\\n  httpd\n' }, { haresources: 'nodea 10.0.0.5 httpd\n' }), []);
  const d = compareNodeFiles({ haresources: 'nodea 10.0.0.5 httpd\n' }, { haresources: 'nodea 10.0.0.6 httpd\n' });
  assert.equal(d.length, 1);
  assert.equal(d[0]!.what, 'nodea');
});

test('authkeys are compared by digest and the peer\'s mode is checked; the dump of a peer is read back', () => {
  const peer = parseDump('--- ha.cf\nnode a b\n\n--- authkeys 644 abcdef0123456789\n');
  assert.equal(peer.haCf, 'node a b\n\n');
  assert.equal(peer.authkeysMode, 0o644);
  const d = compareNodeFiles({ haCf: 'node a b\n', authkeysDigest: '0123456789abcdef' }, peer);
  assert.deepEqual(d.map((x) => describeDifference(x, 'b')), ['authkeys key: here "sha256 0123456789ab", b "sha256 abcdef012345"', 'authkeys on b: mode 644 (must be 600)']);
});
