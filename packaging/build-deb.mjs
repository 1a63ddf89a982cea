#!/usr/bin/env node
// Builds lifeline_VERSION_all.deb from the compiled tree (run `npm run build` first): the JavaScript and production
// npm dependencies under /usr/lib/lifeline, bins, man pages rendered from the help pages, units, conffiles.
// usage: node packaging/build-deb.mjs [--out DIR]   (prints the path of the package it wrote)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'packaging');
const args = process.argv.slice(2);
const outDir = args[0] === '--out' && args[1] ? args[1] : join(root, 'build');
if (!existsSync(join(root, 'dist/src/cli/main.js'))) {
  console.error('build-deb: dist/src/cli/main.js missing: run "npm run build" first');
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.version;
// Reproducible: every date and mtime comes from the last commit (dpkg-deb clamps mtimes to SOURCE_DATE_EPOCH).
let epoch = Number(process.env.SOURCE_DATE_EPOCH);
if (!epoch) {
  try { epoch = Number(execFileSync('git', ['-C', root, 'log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim()); } catch { epoch = 0; }
}
if (!epoch) epoch = Math.floor(Date.now() / 1000);
const date = new Date(epoch * 1000);

const stage = mkdtempSync(join(tmpdir(), 'lk-deb-'));
const lib = join(stage, 'usr/lib/lifeline');
const put = (rel, text, mode = 0o644) => {
  const p = join(stage, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  chmodSync(p, mode);
};
const link = (rel, target) => { mkdirSync(dirname(join(stage, rel)), { recursive: true }); symlinkSync(target, join(stage, rel)); };
const gz = (text) => gzipSync(Buffer.from(text), { level: 9 });

/** Copies a tree, leaving out what an installed program does not need (sources maps, typings, docs of npm modules). */
function copyTree(from, to, keep) {
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, e.name);
    if (e.isDirectory()) copyTree(src, join(to, e.name), keep);
    else if (keep(e.name)) { mkdirSync(to, { recursive: true }); copyFileSync(src, join(to, e.name)); chmodSync(join(to, e.name), 0o644); }
  }
}

// The program: compiled src only (tests and benches stay out), a package.json that makes .js ES modules.
copyTree(join(root, 'dist/src'), join(lib, 'dist/src'), (n) => n.endsWith('.js'));
put('usr/lib/lifeline/package.json', JSON.stringify({ name: pkg.name, version, type: 'module', dependencies: pkg.dependencies }, null, 2) + '\n');
for (const f of readdirSync(join(root, 'bin')).filter((f) => f.endsWith('.js'))) {
  // Debian runs node as /usr/bin/node; `env` in a shebang is frowned upon in packages.
  put(`usr/lib/lifeline/bin/${f}`, readFileSync(join(root, 'bin', f), 'utf8').replace(/^#!.*\n/, '#!/usr/bin/node\n'), 0o755);
}
// Production npm dependencies, as npm resolves them.
const deps = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' }).trim().split('\n').filter((p) => p !== root);
for (const d of deps) copyTree(d, join(lib, relative(root, d)), (n) => !/\.(md|d\.ts|map)$/i.test(n) && !/^(LICENSE|SECURITY|\.)/i.test(n));

// Bins where heartbeat and Pacemaker keep theirs: every file of bin/ (help/bins.ts decides where each goes).
const { packagedBins, divertedPaths, DIVERT_SUFFIX } = await import(pathToFileURL(join(root, 'dist/src/cli/help/bins.js')).href);
const bins = packagedBins(readdirSync(join(root, 'bin')).map((name) => ({ name, text: readFileSync(join(root, 'bin', name), 'utf8') })));
for (const b of bins) link(`${b.dir.slice(1)}/${b.bin}`, `../lib/lifeline/bin/${b.bin}.js`);
// Pacemaker's tools of the same names (pacemaker-cli-utils) are diverted, not conflicted with: pacemaker depends on
// that package, and Lifeline runs Pacemaker's agents. dpkg-divert renames theirs to NAME.pacemaker while we are installed.
const diverted = divertedPaths(bins);

// Man pages: the same help pages `--help` prints, and the file references of docs/config.md.
const { manPages } = await import(pathToFileURL(join(root, 'dist/src/cli/help/manpages.js')).href);
const summaries = new Map();
const cmdDir = join(root, 'dist/src/cli/commands');
for (const f of readdirSync(cmdDir).filter((f) => f.endsWith('.js'))) {
  summaries.set(f.replace(/\.js$/, '').replace(/-/g, ' '), (await import(pathToFileURL(join(cmdDir, f)).href)).summary);
}
const pages = manPages({ bins, version, date: date.toISOString().slice(0, 10), summaries, configDoc: readFileSync(join(root, 'docs/config.md'), 'utf8') });
for (const p of pages) put(`usr/share/man/${p.path}.gz`, gz(p.text));

// Examples: in /usr/lib/lifeline (the demo runs them), shown in the doc directory.
cpSync(join(root, 'examples'), join(lib, 'examples'), { recursive: true });
// Files in a package are 644 (lintian); an administrator copies an example to /etc/ha.d and makes authkeys 600.
(function modes(d) { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) modes(p); else chmodSync(p, statSync(p).mode & 0o111 ? 0o755 : 0o644); } })(join(lib, 'examples'));
link('usr/share/doc/lifeline/examples', '../../../lib/lifeline/examples');
put('usr/share/doc/lifeline/copyright', readFileSync(join(here, 'debian/copyright')));
put('usr/share/doc/lifeline/changelog.gz', gz(`lifeline (${version}) unstable; urgency=medium\n\n  * Release ${version}: see /usr/share/doc/lifeline/README.md.gz.\n\n -- Lifeline developers <lifeline@lists.example.org>  ${date.toUTCString().replace(/GMT$/, '+0000')}\n`));
put('usr/share/doc/lifeline/README.md.gz', gz(readFileSync(join(root, 'README.md'))));

// System integration: units, logrotate, heartbeat's resource.d entry points.
put('lib/systemd/system/lifeline.service', readFileSync(join(here, 'lifeline.service')));
put('lib/systemd/system/lifeline-web.service', readFileSync(join(here, 'lifeline-web.service')));
put('etc/logrotate.d/lifeline', readFileSync(join(here, 'logrotate')));
for (const r of ['IPaddr', 'IPaddr2']) put(`etc/ha.d/resource.d/${r}`, readFileSync(join(here, 'resource.d-ipaddr')), 0o755);

// Directories 755 (mkdtemp makes the stage 700).
(function dirs(d) { chmodSync(d, 0o755); for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) dirs(join(d, e.name)); })(stage);

// DEBIAN/: control, conffiles, md5sums, maintainer scripts.
const files = [];
(function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.isFile()) files.push(relative(stage, p));
  }
})(stage);
const sizeKiB = files.reduce((s, f) => s + Math.ceil(statSync(join(stage, f)).size / 1024), 0) + 4;
const control = `Package: lifeline
Version: ${version}
Architecture: all
Maintainer: Lifeline developers <lifeline@lists.example.org>
Installed-Size: ${sizeKiB}
Depends: nodejs (>= 20), iproute2
Recommends: iputils-arping, logrotate, resource-agents
Suggests: openssh-client
Conflicts: heartbeat
Replaces: heartbeat
Provides: heartbeat
Section: admin
Priority: optional
Homepage: https://github.com/lifeline-ha/lifeline
Description: high-availability cluster manager, successor of heartbeat
 Lifeline keeps a service (a virtual IP address, a web server, a database)
 up on two or more machines. It reads heartbeat's /etc/ha.d files (ha.cf,
 haresources, authkeys), speaks heartbeat 3.0.6's wire protocol so that
 Lifeline and heartbeat nodes form one cluster, and moves resource groups to a
 surviving node when one fails.
 .
 The package replaces Debian's heartbeat: it installs cl_status, hb_standby,
 hb_takeover and the IPaddr resource scripts, and its service is also known as
 heartbeat.service.
`;
mkdirSync(join(stage, 'DEBIAN'), { mode: 0o755 });
put('DEBIAN/control', control);
put('DEBIAN/conffiles', files.filter((f) => f.startsWith('etc/')).sort().map((f) => `/${f}\n`).join(''));
put('DEBIAN/md5sums', files.sort().map((f) => `${createHash('md5').update(readFileSync(join(stage, f))).digest('hex')}  ${f}\n`).join(''));
for (const s of ['postinst', 'prerm']) put(`DEBIAN/${s}`, readFileSync(join(here, 'debian', s)), 0o755);
const divertCmd = (op) => diverted.map((f) => `\tdpkg-divert --package lifeline ${op} --rename --divert '${f}${DIVERT_SUFFIX}' '${f}' >/dev/null`).join('\n');
put('DEBIAN/preinst', `#!/bin/sh
# Diverts Pacemaker's tools (and their man pages) that Lifeline's replace, to NAME${DIVERT_SUFFIX}, so both can stay installed.
set -e
if [ "$1" = install ] || [ "$1" = upgrade ]; then
${divertCmd('--add')}
fi
`, 0o755);
put('DEBIAN/postrm', `${readFileSync(join(here, 'debian', 'postrm'), 'utf8').trimEnd()}
# Gives Pacemaker's tools back their names.
if [ "$1" = remove ] || [ "$1" = abort-install ] || [ "$1" = disappear ]; then
${divertCmd('--remove')}
fi
`, 0o755);

mkdirSync(outDir, { recursive: true });
const deb = join(outDir, `lifeline_${version}_all.deb`);
execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) }, stdio: ['ignore', 'ignore', 'inherit'] });
rmSync(stage, { recursive: true, force: true });
process.stdout.write(`${deb}\n`);
