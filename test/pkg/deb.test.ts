// The Debian package as an administrator gets it: built by packaging/build-deb.mjs from the compiled tree, its
// contents and control fields, lintian, the unit through systemd-analyze, and a real `dpkg -i` in a throwaway root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAGES } from '../../src/cli/help/pages.js';
import { packagedBins, divertedPaths } from '../../src/cli/help/bins.js';
import { repoRoot } from '../../src/harness/daemon.js';

const root = repoRoot();
const run = (cmd: string, args: string[], opts: { cwd?: string } = {}) => spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd ?? root, maxBuffer: 64 << 20 });
const have = (cmd: string) => run('sh', ['-c', `command -v ${cmd}`]).status === 0;
const isRoot = process.getuid?.() === 0;

test('the .deb: contents, control fields, lintian without errors or warnings, man pages equal to --help, a real install', { timeout: 180_000 }, async (t) => {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) { t.skip('dist/ not built'); return; }
  for (const tool of ['dpkg-deb', 'lintian', 'man']) if (!have(tool)) { t.skip(`${tool} not installed (scripts/install-deps.sh)`); return; }
  const out = mkdtempSync(join(tmpdir(), 'lk-deb-test-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));

  const started = Date.now();
  const b = run(process.execPath, [join(root, 'packaging/build-deb.mjs'), '--out', out]);
  assert.equal(b.status, 0, b.stderr);
  const deb = b.stdout.trim();
  assert.match(deb, /lifeline_\d+\.\d+\.\d+_all\.deb$/);
  t.diagnostic(`built in ${Date.now() - started} ms`);

  await t.test('control fields say what the package replaces and needs', () => {
    const info = run('dpkg-deb', ['--field', deb]).stdout;
    assert.match(info, /^Architecture: all$/m);
    assert.match(info, /^Depends: nodejs \(>= 20\)/m);
    assert.match(info, /^Conflicts: heartbeat$/m);
    assert.match(info, /^Replaces: heartbeat$/m);
    assert.match(info, /^Provides: heartbeat$/m);
    const files = run('dpkg-deb', ['--ctrl-tarfile', deb]);
    assert.equal(files.status, 0);
  });

  await t.test('contents: program, production modules only, bins, units, conffiles, one man page per bin and per file', () => {
    const list = run('dpkg-deb', ['--contents', deb]).stdout.split('\n').map((l) => l.replace(/^\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+\.\//, '/'));
    const has = (p: string) => list.some((l) => l === p || l.startsWith(`${p} `));
    for (const p of ['/usr/lib/lifeline/dist/src/cli/main.js', '/usr/lib/lifeline/package.json', '/usr/lib/lifeline/node_modules/@xmldom/xmldom/package.json',
      '/lib/systemd/system/lifeline.service', '/lib/systemd/system/lifeline-web.service', '/etc/logrotate.d/lifeline', '/etc/ha.d/resource.d/IPaddr', '/etc/ha.d/resource.d/IPaddr2',
      '/usr/share/doc/lifeline/copyright', '/usr/share/doc/lifeline/changelog.gz', '/usr/lib/lifeline/examples/web-server/ha.cf']) assert.ok(has(p), `${p} missing`);
    // Every file of bin/ is packaged: heartbeat's and lifeline's names, and Pacemaker's tools (crm_mon, cibadmin...).
    const binDir = join(root, 'bin');
    const bins = packagedBins(readdirSync(binDir).map((name) => ({ name, text: readFileSync(join(binDir, name), 'utf8') })));
    assert.ok(bins.some((b) => b.bin === 'crm_mon') && bins.some((b) => b.bin === 'crm_ticket'), bins.map((b) => b.bin).join(' '));
    for (const bin of bins) {
      assert.ok(list.some((l) => l.startsWith(`${bin.dir}/${bin.bin} -> ../lib/lifeline/bin/${bin.bin}.js`)), `${bin.dir}/${bin.bin} link missing`);
      assert.ok(has(`/usr/share/man/man${bin.section}/${bin.bin}.${bin.section}.gz`), `${bin.bin}(${bin.section}) missing`);
    }
    for (const f of ['ha.cf', 'haresources', 'authkeys']) assert.ok(has(`/usr/share/man/man5/${f}.5.gz`), `${f}(5) missing`);
    // Tests, benches, source maps and dev dependencies stay out of the package.
    assert.deepEqual(list.filter((l) => /\/dist\/test\/|\.map\b|node_modules\/(typescript|tsx|fast-check|@types)\//.test(l)), []);
    // Pacemaker's same-named tools and man pages are diverted while Lifeline is installed, and given back on removal.
    const preinst = run('sh', ['-c', `dpkg-deb --ctrl-tarfile '${deb}' | tar -xO ./preinst`]).stdout;
    const postrm = run('sh', ['-c', `dpkg-deb --ctrl-tarfile '${deb}' | tar -xO ./postrm`]).stdout;
    for (const f of divertedPaths(bins)) {
      assert.ok(preinst.includes(`--add --rename --divert '${f}.pacemaker' '${f}'`), `preinst diverts ${f}`);
      assert.ok(postrm.includes(`--remove --rename --divert '${f}.pacemaker' '${f}'`), `postrm gives back ${f}`);
    }
    const conffiles = run('sh', ['-c', `dpkg-deb --ctrl-tarfile '${deb}' | tar -xO ./conffiles`]).stdout.trim().split('\n');
    assert.deepEqual(conffiles, ['/etc/ha.d/resource.d/IPaddr', '/etc/ha.d/resource.d/IPaddr2', '/etc/logrotate.d/lifeline']);
  });

  await t.test('lintian finds no error and no warning', () => {
    const l = run('lintian', ['-I', '--tag-display-limit', '0', deb]);
    const tags = l.stdout.split('\n').filter((x) => /^[EWIPX]: /.test(x));
    t.diagnostic(`lintian tags: ${tags.length ? tags.join(' | ') : 'none'}`);
    assert.deepEqual(tags.filter((x) => /^[EW]: /.test(x)), []);
  });

  await t.test('every option and exit code of every help page is in lifeline(8)', () => {
    const x = join(out, 'x');
    assert.equal(run('dpkg-deb', ['-x', deb, x]).status, 0);
    const man = run('man', ['-l', join(x, 'usr/share/man/man8/lifeline.8.gz')]);
    const text = man.stdout.replace(/\u2010\n\s*/g, '').replace(/\s+/g, ' ');
    for (const p of PAGES) {
      assert.ok(text.includes(`lifeline ${p.command}`), p.command);
      for (const [o, d] of p.options ?? []) assert.ok(text.includes(o) && text.includes(d.split(' ').slice(0, 4).join(' ')), `${p.command}: ${o}`);
    }
  });

  await t.test('dpkg -i in a throwaway root replaces heartbeat; commands, man pages, unit and purge work', { skip: !isRoot || !have('unshare') ? 'needs root and unshare' : false }, () => {
    const started = Date.now();
    const r = run('unshare', ['--mount', '--propagation', 'private', 'bash', join(root, 'packaging/try-install.sh'), deb]);
    t.diagnostic(`install, checks and purge in ${Date.now() - started} ms`);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const s = r.stdout;
    assert.match(s, /== dpkg -s\ninstall ok installed /);
    assert.match(s, /^lifeline \d+\.\d+\.\d+ \(speaks heartbeat/m);
    assert.match(s, /^\/usr\/sbin\/lifeline\n\/usr\/bin\/cl_status\n/m);
    for (const p of ['man8/lifeline.8.gz', 'man5/ha.cf.5.gz', 'man5/authkeys.5.gz', 'man1/cl_status.1.gz']) assert.ok(s.includes(`/usr/share/man/${p}`), p);
    assert.match(s, /== enabled\nlifeline.service\n/);
    assert.match(s, /^verify ok$/m, 'systemd-analyze verify accepts the unit');
    assert.match(s, /^VALID: /m, 'the shipped example passes lifeline check');
    assert.match(s, /^usage: IPaddr ADDRESS/m);
    assert.match(s, /^removed\nconffiles kept\npurged$/m);
    assert.ok(!readdirSync('/tmp').some((f) => f.startsWith('lk-ovl.')), 'the overlay directory is gone');
    assert.ok(!existsSync('/usr/sbin/lifeline'), 'the machine itself was not touched');
  });
});
