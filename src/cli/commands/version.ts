// `lifeline version`: prints the package version and the heartbeat protocol it speaks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const summary = 'print the version and the heartbeat wire protocol version spoken';

export async function run(): Promise<number> {
  // package.json sits two levels above src/cli/commands in the source tree and three above in dist/.
  for (const rel of ['../../../package.json', '../../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name: string; version: string };
      if (pkg.name === 'lifeline') {
        process.stdout.write(`lifeline ${pkg.version} (speaks heartbeat 3.0.6 wire protocol 1)\n`);
        return 0;
      }
    } catch { /* try the next layout */ }
  }
  process.stdout.write('lifeline (version unknown)\n');
  return 0;
}
