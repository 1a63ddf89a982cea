// The package's bin list comes from bin/ itself: each file's subcommand, its place and man section, and which
// Pacemaker paths a Pacemaker-named bin would take over (the package builder diverts those).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binCommand, divertedPaths, packagedBins } from '../../src/cli/help/bins.js';
import { helpPage } from '../../src/cli/help/pages.js';
import { repoRoot } from '../../src/harness/daemon.js';

const binDir = join(repoRoot(), 'bin');
const files = readdirSync(binDir).map((name) => ({ name, text: readFileSync(join(binDir, name), 'utf8') }));

test('every bin of bin/ is found, with the subcommand it runs and a help page for it', () => {
  const bins = packagedBins(files);
  assert.equal(bins.length, files.filter((f) => f.name.endsWith('.js')).length);
  const by = new Map(bins.map((b) => [b.bin, b]));
  assert.deepEqual(by.get('lifeline'), { bin: 'lifeline', section: 8, dir: '/usr/sbin', origin: 'lifeline' });
  assert.deepEqual(by.get('cl_status'), { bin: 'cl_status', section: 1, dir: '/usr/bin', command: 'cl_status', origin: 'heartbeat' });
  assert.deepEqual(by.get('hb_standby'), { bin: 'hb_standby', section: 8, dir: '/usr/sbin', command: 'standby', origin: 'heartbeat' });
  for (const b of ['cibadmin', 'crm_attribute', 'crm_resource', 'crm_standby', 'crm_verify', 'stonith_admin']) {
    assert.deepEqual(by.get(b), { bin: b, section: 8, dir: '/usr/sbin', command: b, origin: 'pacemaker' }, b);
  }
  for (const b of bins) if (b.command !== undefined) assert.ok(helpPage(b.command), `bin/${b.bin}.js runs "lifeline ${b.command}", which has no help page`);
});

test('a bin names its subcommand in one of two shapes; anything else is refused with the file name', () => {
  assert.equal(binCommand('crm.js', "main(['crm', 'configure', ...process.argv.slice(2)]).then(() => {});"), 'crm configure');
  assert.equal(binCommand('lifeline.js', 'main(process.argv.slice(2)).then(() => {});'), undefined);
  assert.throws(() => binCommand('odd.js', 'run(process.argv)'), /bin\/odd\.js: expected main/);
});

test('only Pacemaker-named bins take over the paths of another package: program and man page', () => {
  const paths = divertedPaths(packagedBins(files));
  assert.ok(paths.includes('/usr/sbin/cibadmin') && paths.includes('/usr/share/man/man8/cibadmin.8.gz'));
  assert.ok(!paths.some((p) => /lifeline|cl_status|hb_standby|hb_takeover/.test(p)));
});
