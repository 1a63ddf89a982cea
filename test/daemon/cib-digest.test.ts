// The CIB's part of the configuration digest (`crm on`): what is advertised, and the settle time before a mismatch
// between two nodes' CIB versions is logged, driven with a fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cibPart, cibPartOf, cibSettleMs, cibWatchStep, peerConfigView, withCibPart, type CibWatchState } from '../../src/daemon/config-consistency.js';

const FILES = 'ha.cf=3f2a9c0d11e4 haresources=- authkeys=9b0e4d7a6c21';
const CONF = '<configuration><crm_config/><nodes/><resources/><constraints/></configuration>';

test('the CIB part is admin_epoch.epoch and a hash of the configuration section; num_updates does not count', () => {
  const p = cibPart('0.12.7', CONF);
  assert.match(p, /^0\.12-[0-9a-f]{8}$/);
  assert.equal(cibPart('0.12.93', CONF), p, 'a status update (num_updates) leaves the part alone');
  assert.notEqual(cibPart('0.12.7', CONF.replace('<nodes/>', '<nodes><node id="1" uname="nodea"/></nodes>')), p);
  assert.notEqual(cibPart('1.12.7', CONF), p, 'admin_epoch counts');
});

test('the part rides after the file digests, replaces an older one, and file comparison ignores it', () => {
  const ours = withCibPart(FILES, '0.12-aaaaaaaa');
  assert.equal(ours, `${FILES} cib=0.12-aaaaaaaa`);
  assert.equal(withCibPart(ours, '0.13-bbbbbbbb'), `${FILES} cib=0.13-bbbbbbbb`);
  assert.equal(withCibPart(ours, undefined), FILES);
  assert.equal(cibPartOf(ours), '0.12-aaaaaaaa');
  assert.equal(cibPartOf(FILES), undefined);
  assert.equal(cibPartOf(undefined), undefined);
  // Another CIB version is not a file difference (that is the settle-timed check's business), nor is a peer without one.
  assert.deepEqual(peerConfigView(FILES, withCibPart(FILES, '0.13-bbbbbbbb')), { state: 'same' });
});

test('a CIB mismatch shorter than the settle time is not logged; a longer one is, once, naming both nodes and versions', () => {
  const settleMs = cibSettleMs(500);
  assert.equal(settleMs, 5000);
  assert.equal(cibSettleMs(30_000), 60_000);
  let s: CibWatchState = new Map();
  const look = (now: number, ours: string | undefined, theirs: string | undefined) => {
    const r = cibWatchStep(s, { self: 'nodea', node: 'nodeb', ours, theirs, now, settleMs });
    s = r.state;
    return r.line;
  };
  // A commit on the DC: nodeb is one epoch behind for 1.5 s, then catches up; nothing is said.
  assert.equal(look(0, '0.12-aaaaaaaa', '0.11-cccccccc'), undefined);
  assert.equal(look(1500, '0.12-aaaaaaaa', '0.11-cccccccc'), undefined);
  assert.equal(look(2000, '0.12-aaaaaaaa', '0.12-aaaaaaaa'), undefined);
  assert.equal(s.size, 0);
  // nodeb stays behind: silent up to 4.9 s, a warning at 5 s, then nothing more while it lasts.
  assert.equal(look(10_000, '0.12-aaaaaaaa', '0.11-cccccccc'), undefined);
  assert.equal(look(14_900, '0.12-aaaaaaaa', '0.11-cccccccc'), undefined);
  assert.deepEqual(look(15_000, '0.12-aaaaaaaa', '0.11-cccccccc'), {
    level: 'warn',
    text: 'CIB of node nodeb differs from ours for 5 s: nodea has 0.12 (configuration aaaaaaaa), nodeb has 0.11 (configuration cccccccc) (cibadmin --query on both shows them)',
  });
  assert.equal(look(16_000, '0.12-aaaaaaaa', '0.11-dddddddd'), undefined);
  assert.deepEqual(look(17_000, '0.13-eeeeeeee', '0.13-eeeeeeee'), { level: 'info', text: 'CIB of node nodeb now matches ours: 0.13 (configuration eeeeeeee)' });
  // Same version, other configuration (two sides of a partition each committed once): reported too.
  look(20_000, '0.14-aaaaaaaa', '0.14-ffffffff');
  assert.match(look(25_000, '0.14-aaaaaaaa', '0.14-ffffffff')?.text ?? '', /nodea has 0\.14 \(configuration aaaaaaaa\), nodeb has 0\.14 \(configuration ffffffff\)/);
});

test('a peer without a CIB part (heartbeat 3.0.6, haresources mode, dead) is never a mismatch', () => {
  let s: CibWatchState = new Map();
  for (let t = 0; t < 60_000; t += 1000) {
    const r = cibWatchStep(s, { self: 'nodea', node: 'hb306', ours: '0.12-aaaaaaaa', theirs: undefined, now: t, settleMs: 5000 });
    s = r.state;
    assert.equal(r.line, undefined);
  }
  assert.equal(s.size, 0);
});
