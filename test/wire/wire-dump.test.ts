// `lifeline wire-dump` run as a real process: every packet of the three interop captures verifies; a flipped byte,
// a wrong key and a wrong key index are reported per line and in the summary, with exit code 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHKEYS_TEXT, interopDir, METHODS } from './fixtures.js';

const mainUrl = new URL('../../src/cli/main.js', import.meta.url).href;

/** Runs `lifeline ARGS...` in a child node with the same loader flags as this test (tsx when run from source). */
function lifeline(args: string[]): { code: number; out: string[]; err: string } {
  const loader: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (a === '--import' || a === '--loader' || a === '--require') loader.push(a, process.execArgv[++i]!);
    else if (/^--(import|loader|require)=/.test(a)) loader.push(a);
  }
  const script = `import(${JSON.stringify(mainUrl)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => { process.exitCode = c; })`;
  const r = spawnSync(process.execPath, [...loader, '--input-type=module', '-e', script], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout.split('\n').filter((l) => l !== ''), err: r.stderr };
}

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-wire-dump-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function keyFile(dir: string, name: string, text: string, mode = 0o600): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  chmodSync(f, mode);
  return f;
}

test('every packet of the sha1, md5 and crc captures verifies, from pcap and from JSON lines', () => {
  withTemp((dir) => {
    for (const m of METHODS) {
      const count = readFileSync(join(interopDir(), `${m}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).length;
      const r = lifeline(['wire-dump', '--authkeys', keyFile(dir, m, AUTHKEYS_TEXT[m]), join(interopDir(), `${m}.pcap`), join(interopDir(), `${m}.jsonl`)]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.at(-1), `${2 * count} verified, 0 failed`);
      const first = r.out.find((l) => l.includes(' status seq=1 '))!;
      assert.match(first, /^2026-11-25T02:0\d:\d\d\.\d{6}Z 10\.77\.0\.1:\d+ nodea status seq=1 gen=[0-9a-f]+ auth=ok st=init .*srcuuid=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} /);
      if (m === 'sha1') assert.match(first, /^2026-11-25T02:01:21\.477541Z 10\.77\.0\.1:57138 nodea status seq=1 gen=6b064172 auth=ok st=init dt=1b58 protocol=1 srcuuid=ef434a30-4225-4436-af6a-8544b8632840 ts=6b064171 ld="0\.07 0\.08 0\.02 3\/90 9086" ttl=3$/);
    }
  });
});

test('a capture with one flipped byte reports that packet BAD and exits 1', () => {
  withTemp((dir) => {
    const lines = readFileSync(join(interopDir(), 'sha1.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    const rec = JSON.parse(lines[5]!) as { payload_hex: string };
    const p = Buffer.from(rec.payload_hex, 'hex');
    const at = p.indexOf('st=up') + 3;
    p[at] = p[at]! ^ 0x01; // "up" becomes "tp": still well-formed, no longer authentic
    lines[5] = JSON.stringify({ ...rec, payload_hex: p.toString('hex') });
    const capture = join(dir, 'mutated.jsonl');
    writeFileSync(capture, lines.join('\n') + '\n');
    const r = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'k', AUTHKEYS_TEXT.sha1), capture]);
    assert.equal(r.code, 1);
    assert.equal(r.out.at(-1), `${lines.length - 1} verified, 1 failed`);
    assert.equal(r.out.filter((l) => l.includes('auth=BAD(LL_WIRE_AUTH_BAD_DIGEST')).length, 1);
    assert.match(r.out[5]!, /st=tp/);
  });
});

test('a wrong secret or a key index not in authkeys fails every packet; a too-open authkeys only warns', () => {
  withTemp((dir) => {
    const cap = join(interopDir(), 'md5.jsonl');
    const wrong = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'w', 'auth 1\n1 md5 notTheSecret\n'), cap]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.out.at(-1)!, /^0 verified, 197 failed$/);
    const index = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'i', 'auth 2\n2 md5 anotherSecret42\n'), cap]);
    assert.equal(index.code, 1);
    assert.ok(index.out.slice(0, -1).every((l) => l.includes('auth=BAD(LL_WIRE_AUTH_UNKNOWN_KEY')));
    const open = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'o', AUTHKEYS_TEXT.md5, 0o644), cap]);
    assert.equal(open.code, 0);
    assert.match(open.err, /WARN: Bad permissions on keyfile .* \[LL_AUTHKEYS_PERMISSIONS\]/);
  });
});

test('usage errors and unreadable captures are reported, not thrown', () => {
  withTemp((dir) => {
    const none = lifeline(['wire-dump', join(interopDir(), 'crc.pcap')]);
    assert.equal(none.code, 1);
    assert.match(none.err, /usage: lifeline wire-dump --authkeys FILE CAPTURE/);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, 'not a capture');
    const r = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'k', AUTHKEYS_TEXT.crc), junk]);
    assert.equal(r.code, 1);
    assert.match(r.err, /junk\.bin: ERROR: not a pcap capture or JSON-lines capture: .*\[LL_CAPTURE_BAD_FORMAT\]/);
  });
});
