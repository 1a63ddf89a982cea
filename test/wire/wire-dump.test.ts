// `lifeline wire-dump` run as a real process: every packet of the three interop captures verifies; a flipped byte,
// a wrong key and a wrong key index are reported per line and in the summary, with exit code 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTHKEYS_TEXT, captureManifest, interopDir, METHODS, nodeAddress, secretOf } from './fixtures.js';

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
      // nodea's first packet, its status seq=1: time and port from the JSON line, uuid from heartbeat's hb_uuid file.
      const first = r.out.find((l) => l.includes(' nodea status seq=1 '))!;
      const rec = readFileSync(join(interopDir(), `${m}.jsonl`), 'utf8').split('\n').filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { time: number; src: string; sport: number; payload_hex: string })
        .find((o) => o.src === nodeAddress('nodea') && /\(0\)t=status,[\s\S]*\(0\)seq=1,/.test(Buffer.from(o.payload_hex, 'hex').toString('latin1')))!;
      const at = new Date(Math.floor(rec.time * 1000)).toISOString().slice(0, 19);
      const usec = String(Math.round((rec.time % 1) * 1e6)).padStart(6, '0');
      assert.ok(first.startsWith(`${at}.${usec}Z ${rec.src}:${rec.sport} nodea status seq=1 gen=`), `${first}\nexpected ${at}.${usec}Z ${rec.src}:${rec.sport}`);
      assert.match(first, new RegExp(` auth=ok st=init dt=1b58 protocol=1 srcuuid=${captureManifest().uuids[m].nodea} ts=[0-9a-f]+ ld="[^"]*" ttl=3$`));
    }
  });
});

test('a capture with one flipped byte reports that packet BAD and exits 1', () => {
  withTemp((dir) => {
    const lines = readFileSync(join(interopDir(), 'sha1.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    // The first status packet that says st=up (a heartbeat of a running node).
    const k = lines.findIndex((l) => Buffer.from((JSON.parse(l) as { payload_hex: string }).payload_hex, 'hex').includes('(0)st=up,'));
    assert.ok(k >= 0);
    const rec = JSON.parse(lines[k]!) as { payload_hex: string };
    const p = Buffer.from(rec.payload_hex, 'hex');
    const at = p.indexOf('st=up') + 3;
    p[at] = p[at]! ^ 0x01; // "up" becomes "tp": still well-formed, no longer authentic
    lines[k] = JSON.stringify({ ...rec, payload_hex: p.toString('hex') });
    const capture = join(dir, 'mutated.jsonl');
    writeFileSync(capture, lines.join('\n') + '\n');
    const r = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'k', AUTHKEYS_TEXT.sha1), capture]);
    assert.equal(r.code, 1);
    assert.equal(r.out.at(-1), `${lines.length - 1} verified, 1 failed`);
    assert.equal(r.out.filter((l) => l.includes('auth=BAD(LL_WIRE_AUTH_BAD_DIGEST')).length, 1);
    assert.match(r.out[k]!, /st=tp/);
  });
});

test('a wrong secret or a key index not in authkeys fails every packet; a too-open authkeys only warns', () => {
  withTemp((dir) => {
    const cap = join(interopDir(), 'md5.jsonl');
    const count = readFileSync(cap, 'utf8').split('\n').filter((l) => l.trim()).length;
    const wrong = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'w', 'auth 1\n1 md5 notTheSecret\n'), cap]);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.out.at(-1), `0 verified, ${count} failed`);
    const index = lifeline(['wire-dump', '--authkeys', keyFile(dir, 'i', `auth 2\n2 md5 ${secretOf('md5')}\n`), cap]);
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
