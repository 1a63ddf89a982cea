// The CIB's files in the state dir: heartbeat's layout, atomic writes, backups numbered by cib.last, a corrupt
// cib.xml reported and never loaded, and kill -9 in the middle of a write never leaving a corrupt CIB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseXml, getAttr } from '../../../src/crm/xml-lite.js';
import {
  writeCibFiles, loadCibFiles, listBackups, emptyCib, onDiskDigest, prepareForDisk, formatVersion, versionOf, CibWriter, printXml,
} from '../../../src/crm/cib-store/index.js';
import { withAttrs } from '../../../src/crm/cib-store/tree.js';
import { generateCib } from '../../../src/crm/cib-random.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'll-cib-'));
const at = (epoch: number) => withAttrs(emptyCib(), { epoch: String(epoch), num_updates: '7' });

test('a write leaves cib.xml without status and with num_updates 0, and cib.xml.sig holding its digest', async () => {
  const dir = tmp();
  try {
    const r = await writeCibFiles(join(dir, 'crm'), at(3), { now: new Date(2026, 11, 6, 9, 5, 1) });
    const text = readFileSync(join(dir, 'crm', 'cib.xml'), 'utf8');
    assert.match(text, /^<cib crm_feature_set="3\.16\.1" validate-with="pacemaker-3\.9" epoch="3" num_updates="0" admin_epoch="0" cib-last-written="Sun Dec  6 09:05:01 2026">/);
    assert.doesNotMatch(text, /<status/);
    const parsed = parseXml(text);
    assert.ok(parsed.ok);
    assert.equal(readFileSync(join(dir, 'crm', 'cib.xml.sig'), 'utf8'), onDiskDigest(parsed.root));
    assert.equal(r.digest, onDiskDigest(parsed.root));
    assert.equal(r.backup, undefined);
    const l = await loadCibFiles(join(dir, 'crm'));
    assert.equal(l.primary, 'ok');
    assert.equal(formatVersion(l.cib!.version), '0.3.0');
    assert.deepEqual(readdirSync(join(dir, 'crm')).sort(), ['cib.xml', 'cib.xml.sig']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('each write archives the previous cib.xml as cib-N.raw(.sig), cib.last counts and wraps at the maximum', async () => {
  const dir = tmp();
  try {
    for (let e = 1; e <= 5; e++) await writeCibFiles(dir, at(e), { maxBackups: 3 });
    // Writes 2..5 made backups 0,1,2,0: cib-0.raw holds epoch 4, cib-1.raw epoch 2, cib-2.raw epoch 3; next is 1.
    assert.equal(readFileSync(join(dir, 'cib.last'), 'utf8'), '1');
    const ep = (f: string) => { const p = parseXml(readFileSync(join(dir, f), 'utf8')); assert.ok(p.ok); return getAttr(p.root, 'epoch'); };
    assert.deepEqual([ep('cib-0.raw'), ep('cib-1.raw'), ep('cib-2.raw'), ep('cib.xml')], ['4', '2', '3', '5']);
    assert.deepEqual(await listBackups(dir, 3), ['cib-0.raw', 'cib-2.raw', 'cib-1.raw']);
    assert.ok(existsSync(join(dir, 'cib-0.raw.sig')));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a cib.xml that is not XML, or fails its digest, is reported and never loaded: the newest valid backup is', async () => {
  const dir = tmp();
  try {
    for (let e = 1; e <= 3; e++) await writeCibFiles(dir, at(e));
    writeFileSync(join(dir, 'cib.xml'), '<cib epoch="9"><configuration>');
    let l = await loadCibFiles(dir);
    assert.equal(l.primary, 'corrupt');
    assert.equal(formatVersion(l.cib!.version), '0.2.0');
    assert.equal(l.cib!.file, join(dir, 'cib-1.raw'));
    assert.deepEqual(l.diagnostics.map((d) => d.code), ['LL_CIB_CORRUPT', 'LL_CIB_BACKUP_USED']);
    assert.match(l.diagnostics[0]!.message, /^cib\.xml is corrupt \(not well-formed XML: .*\): it will NOT be used$/);
    // Well-formed but edited behind the cluster's back: the digest no longer matches.
    writeFileSync(join(dir, 'cib.xml'), printXml(prepareForDisk(at(9), new Date())));
    l = await loadCibFiles(dir);
    assert.equal(l.primary, 'corrupt');
    assert.match(l.diagnostics[0]!.message, /digest mismatch: cib\.xml\.sig holds [0-9a-f]{32}, the file's digest is [0-9a-f]{32}/);
    assert.equal(formatVersion(l.cib!.version), '0.2.0');
    // A corrupt backup is skipped for the next one.
    writeFileSync(join(dir, 'cib-1.raw'), 'garbage');
    l = await loadCibFiles(dir);
    assert.equal(formatVersion(l.cib!.version), '0.1.0');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a crash between the two renames (new cib.xml, old cib.xml.sig) loads the old CIB from its backup', async () => {
  const dir = tmp();
  try {
    await writeCibFiles(dir, at(1));
    await writeCibFiles(dir, at(2));
    writeFileSync(join(dir, 'cib.xml.sig'), readFileSync(join(dir, 'cib-0.raw.sig'), 'utf8'));
    writeFileSync(join(dir, 'cib.0badc0de'), '<cib epoch="'); // a temp file the killed write left behind
    const l = await loadCibFiles(dir);
    assert.equal(l.primary, 'corrupt');
    assert.equal(formatVersion(l.cib!.version), '0.1.0');
    await writeCibFiles(dir, at(3));
    assert.ok(!existsSync(join(dir, 'cib.0badc0de')));
    assert.equal(formatVersion((await loadCibFiles(dir)).cib!.version), '0.3.0');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a hand-written cib.xml without cib.xml.sig is used with a warning; an empty dir has no CIB', async () => {
  const dir = tmp();
  try {
    assert.deepEqual(await loadCibFiles(dir), { primary: 'absent', diagnostics: [] });
    writeFileSync(join(dir, 'cib.xml'), printXml(at(4)));
    const l = await loadCibFiles(dir);
    assert.equal(l.primary, 'ok');
    assert.equal(l.diagnostics[0]!.code, 'LL_CIB_NO_DIGEST');
    assert.equal(formatVersion(l.cib!.version), '0.4.7');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the writer coalesces a burst of saves and leaves the last one on disk', async () => {
  const dir = tmp();
  try {
    let writes = 0;
    const w = new CibWriter(dir, { onWritten: () => { writes++; } });
    for (let e = 1; e <= 20; e++) w.save(at(e));
    await w.flush();
    assert.ok(writes <= 3, `${writes} writes`);
    assert.equal(formatVersion((await loadCibFiles(dir)).cib!.version), '0.20.0');
    const errors: string[] = [];
    const bad = new CibWriter(join(dir, 'cib.xml', 'sub'), { onError: (d) => errors.push(d.code) });
    bad.save(at(1));
    await bad.flush();
    assert.deepEqual(errors, ['LL_CIB_WRITE_FAILED']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the on-disk digest is the one cibadmin --md5-sum computes', (t) => {
  if (spawnSync('cibadmin', ['--version']).status !== 0) { t.skip('cibadmin (pacemaker-cli-utils) is not installed'); return; }
  const dir = tmp();
  try {
    for (let seed = 1; seed <= 12; seed++) {
      const p = parseXml(generateCib(seed));
      assert.ok(p.ok);
      const cib = prepareForDisk(withAttrs(p.root, { 'weird-attr': `tab\there "q" 'a' <&>` }), new Date(0));
      const file = join(dir, `c${seed}.xml`);
      writeFileSync(file, printXml(cib));
      const r = spawnSync('cibadmin', ['-5', '-x', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), onDiskDigest(cib), `seed ${seed}`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('kill -9 in the middle of writes: the state dir always loads a valid CIB, never older than the last finished write', { timeout: 120_000 }, async (t) => {
  const child = fileURLToPath(new URL('./cib-writer-child.js', import.meta.url));
  const dir = tmp();
  let tornPrimary = 0;
  const rounds = 12;
  try {
    let start = 0;
    for (let round = 0; round < rounds; round++) {
      const p = spawn(process.execPath, [child, dir, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let finished = start;
      let seen = 0;
      const target = 2 + (round % 4);
      await new Promise<void>((resolve) => {
        p.stdout.setEncoding('utf8');
        p.stdout.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/wrote (\d+)/g)) { finished = Math.max(finished, Number(m[1])); seen++; }
          // Kill at a different moment every round: right after a write returns, or a little into the next one.
          if (seen >= target && !p.killed) setTimeout(() => p.kill('SIGKILL'), round % 3);
        });
        p.on('exit', () => resolve());
      });
      // cib.xml itself is always a whole document, the old one or a new one: never a truncated write.
      const onDisk = parseXml(readFileSync(join(dir, 'cib.xml'), 'utf8'));
      assert.ok(onDisk.ok, `round ${round}: cib.xml is not well-formed after kill -9: ${onDisk.ok ? '' : onDisk.reason}`);
      assert.ok(versionOf(onDisk.root).epoch >= finished, `round ${round}: cib.xml went back to epoch ${versionOf(onDisk.root).epoch}`);
      const l = await loadCibFiles(dir, 5);
      if (l.primary !== 'ok') tornPrimary++;
      assert.ok(l.cib, `round ${round}: no loadable CIB: ${l.diagnostics.map((d) => d.message).join('; ')}`);
      const epoch = l.cib.version.epoch;
      assert.ok(epoch >= finished, `round ${round}: loaded epoch ${epoch} is older than the last finished write ${finished}`);
      start = epoch;
    }
    t.diagnostic(`kill -9 rounds=${rounds} torn cib.xml (digest mismatch, backup used)=${tornPrimary}`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
