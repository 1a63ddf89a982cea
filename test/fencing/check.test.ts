// `lifeline check` on ha.cf stonith lines, through loadConfigDir and the installed cluster-glue: errors name the file
// and the line, and a valid device passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadConfigDir } from '../../src/config/load.js';
import { renderCheck } from '../../src/cli/commands/check.js';
import { STONITH_COMMAND } from '../../src/fencing/stonith-cli.js';

const skip = existsSync(STONITH_COMMAND) ? false : 'needs cluster-glue';

async function check(stonithLines: string) {
  const dir = mkdtempSync(join(tmpdir(), 'hf-check-'));
  try {
    writeFileSync(join(dir, 'ha.cf'), `logfile /dev/null\nkeepalive 1\ndeadtime 10\ninitdead 20\nbcast lo\nauto_failback on\nnode nodea nodeb\n${stonithLines}`);
    writeFileSync(join(dir, 'haresources'), 'nodea 10.232.9.100\n');
    writeFileSync(join(dir, 'authkeys'), 'auth 1\n1 sha1 x\n', { mode: 0o600 });
    return await loadConfigDir(dir, { nodeName: 'nodeb', hostname: 'nodeb', interfaces: ['lo'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('lifeline check: an unknown plugin and missing parameters are errors at their ha.cf line', { skip }, async () => {
  const cfg = await check('stonith_host nodea ipmi nodeb 10.0.0.12\nstonith_host nodeb external/ipmi nodea 10.0.0.11 admin\n');
  assert.equal(cfg.valid, false);
  const st = cfg.diagnostics.filter((d) => d.code.startsWith('LL_STONITH'));
  assert.deepEqual(st.map((d) => [d.code, d.location?.file?.endsWith('ha.cf'), d.location?.line]), [['LL_STONITH_BAD_TYPE', true, 8], ['LL_STONITH_BAD_PARAMS', true, 9]]);
  assert.match(st[0]!.expected!, /external\/ipmi/);
  assert.match(st[1]!.expected!, /hostname ipaddr userid passwd interface/);
});

test('lifeline check: valid stonith_host lines for both nodes pass', { skip }, async () => {
  const cfg = await check('stonith_host nodea external/ipmi nodeb 10.0.0.12 admin pw lan\nstonith_host nodeb external/ipmi nodea 10.0.0.11 admin pw lan\n');
  assert.deepEqual(cfg.diagnostics.filter((d) => d.code.startsWith('LL_STONITH') || d.code === 'LL_HACF_IGNORED'), []);
  assert.equal(cfg.valid, true, JSON.stringify(cfg.diagnostics));
  assert.match(renderCheck(cfg), /STONITH device on nodeb: external\/ipmi \(line 9\); a dead peer is reset before its groups are taken/);
});
