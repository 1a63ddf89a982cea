// The seed documents' configurations in examples/ pass `lifeline check` as their first node; broken copies fail with file:line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigDir, type LoadOptions } from '../../src/config/load.js';

/** The repository root, whether this runs from test/ (tsx) or dist/test/ (compiled). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'examples'))) dir = dirname(dir);
  return dir;
}

/** Each example, its first node, and the warnings its seed configuration is known to deserve. */
const EXAMPLES: ReadonlyArray<{ name: string; node: string; warnings: string[] }> = [
  // seed 000: baud written after the serial line it is meant for.
  { name: 'firewall-pair', node: 'firewall1.domain.lan', warnings: ['LL_HACF_BAUD_AFTER_MEDIA'] },
  // seed 001: logs without logd, crc over a broadcast network, both media on eth1.
  { name: 'web-server', node: 'node1.example.com', warnings: ['LL_HACF_LOGD_DISABLED', 'LL_AUTHKEYS_CRC_INSECURE', 'LL_CHECK_MEDIA_ONE_IFACE', 'LL_CHECK_CRC_SHARED_NETWORK'] },
  // seed 002: udpport after the ucast lines, both ucasts on eth0.
  { name: 'vip-failback', node: 'server1', warnings: ['LL_HACF_UDPPORT_AFTER_MEDIA', 'LL_HACF_LOGD_DISABLED', 'LL_CHECK_MEDIA_ONE_IFACE'] },
  // seed 003: crm on makes haresources unused; bcast and mcast both on bond0.
  { name: 'bond0-mcast', node: 'server1', warnings: ['LL_HACF_LOGD_DISABLED', 'LL_HARES_UNUSED_WITH_CRM', 'LL_CHECK_MEDIA_ONE_IFACE', 'LL_CHECK_CRM_TWO_NODE'] },
];

/** Facts of the example's own first node: its interfaces exist, its peers resolve, its init scripts are installed. */
function factsOf(node: string): LoadOptions {
  return {
    nodeName: node, hostname: node, interfaces: ['lo', 'eth0', 'eth1', 'bond0'], addresses: [],
    resolve: async () => ['10.0.0.2'], scriptDirs: [join(repoRoot(), 'test', 'config', 'fixtures', 'init.d')],
  };
}

/** Copies an example to a temporary directory with authkeys at mode 600 (git does not keep it). */
async function copyExample(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `lifeline-${name}-`));
  await cp(join(repoRoot(), 'examples', name), dir, { recursive: true });
  await chmod(join(dir, 'authkeys'), 0o600);
  return dir;
}

for (const ex of EXAMPLES) {
  test(`example ${ex.name} is valid as ${ex.node}, with the warnings its seed deserves`, async () => {
    const dir = await copyExample(ex.name);
    try {
      const c = await loadConfigDir(dir, factsOf(ex.node));
      assert.deepEqual(c.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.deepEqual(c.diagnostics.map((d) => d.code), ex.warnings);
      assert.equal(c.valid, true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test(`example ${ex.name}: broken ha.cf, haresources and authkeys each fail with file:line`, async () => {
    const dir = await copyExample(ex.name);
    try {
      const hacf = await readFile(join(dir, 'ha.cf'), 'utf8');
      const hacfLines = hacf.split('\n').length;
      // A misspelt directive appended as the last line, a group for an unknown node, an authkeys line with no secret.
      await writeFile(join(dir, 'ha.cf'), hacf.replace(/\n?$/, '\nkeepalive_ms 2\n'));
      const hares = await readFile(join(dir, 'haresources'), 'utf8');
      await writeFile(join(dir, 'haresources'), hares + 'intruder 10.0.0.99\n');
      await writeFile(join(dir, 'authkeys'), 'auth 1\n1 sha1\n');
      await chmod(join(dir, 'authkeys'), 0o600);
      const c = await loadConfigDir(dir, factsOf(ex.node));
      assert.equal(c.valid, false);
      const errors = c.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.location?.file, d.location?.line]);
      const expected: Array<[string, string, number | undefined]> = [['LL_HACF_BAD_DIRECTIVE', join(dir, 'ha.cf'), hacfLines]];
      if (ex.name !== 'bond0-mcast') expected.push(['LL_HARES_BAD_NODENAME', join(dir, 'haresources'), hares.split('\n').length]);
      expected.push(['LL_AUTHKEYS_KEY_REQUIRED', join(dir, 'authkeys'), 2], ['LL_AUTHKEYS_KEY_NOT_FOUND', join(dir, 'authkeys'), 1]);
      assert.deepEqual(errors, expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
