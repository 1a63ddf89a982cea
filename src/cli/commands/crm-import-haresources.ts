// `lifeline crm import-haresources [FILE]`: turns an haresources file into crm configure text (groups, locations,
// the cluster properties heartbeat's behaviour implies), the step heartbeat administrators took to `crm on`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { formatDiagnostic } from '../../errors.js';
import { parseHaCf } from '../../config/hacf.js';
import { parseHaresources } from '../../config/haresources.js';
import { importHaresources, type ScriptClass } from '../../crm/lang/import-haresources.js';

export const summary = 'crm shell text from an haresources file: a group per line, IPaddr/Filesystem/resource.d/init scripts, the preferred node as a location';

const USAGE = 'usage: lifeline crm import-haresources [HARESOURCES] [--config-dir DIR] [--resource-d DIR] [--init-d DIR]';

export async function run(argv: readonly string[]): Promise<number> {
  let dir = '/etc/ha.d';
  let file: string | undefined;
  let resourceD: string | undefined;
  let initD = '/etc/init.d';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '--config-dir' || a === '--resource-d' || a === '--init-d') {
      if (v === undefined) { process.stderr.write(`lifeline crm import-haresources: ${a} needs a value\n${USAGE}\n`); return 2; }
      if (a === '--config-dir') dir = v; else if (a === '--resource-d') resourceD = v; else initD = v;
      i++;
    } else if (a.startsWith('-')) { process.stderr.write(`lifeline crm import-haresources: unknown option ${a}\n${USAGE}\n`); return 2; }
    else file = a;
  }
  const hares = file ?? join(dir, 'haresources');
  const hacfFile = join(dir, 'ha.cf');
  let hacfText: string, haresText: string;
  try {
    hacfText = readFileSync(hacfFile, 'utf8');
    haresText = readFileSync(hares, 'utf8');
  } catch (e) {
    process.stderr.write(`lifeline crm import-haresources: ${(e as Error).message}\n`);
    return 1;
  }
  // The import may run on any machine (an admin's laptop): read ha.cf as its first node would.
  const firstNode = /^\s*node\s+(\S+)/m.exec(hacfText)?.[1]?.toLowerCase() ?? hostname().toLowerCase();
  const cf = parseHaCf(hacfText, hacfFile, firstNode);
  const bad = cf.diagnostics.filter((d) => d.severity === 'error');
  if (!cf.value || bad.length) { for (const d of bad) process.stderr.write(`${formatDiagnostic(d)}\n`); return 1; }
  const parsed = parseHaresources(haresText, hares, cf.value.nodes);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.value || errors.length) { for (const d of errors) process.stderr.write(`${formatDiagnostic(d)}\n`); return 1; }
  const rd = resourceD ?? join(dir, 'resource.d');
  const classOf = (s: string): ScriptClass => existsSync(join(rd, s)) ? 'heartbeat' : existsSync(join(initD, s)) ? 'lsb' : undefined;
  const r = importHaresources(parsed.value, hares, {
    autoFailback: cf.value.autoFailback, stonith: cf.value.stonith.length > 0, nodeCount: cf.value.nodes.length, classOf,
  });
  process.stdout.write(r.text);
  for (const p of r.problems) process.stderr.write(`lifeline crm import-haresources: ${p}\n`);
  return r.problems.length ? 1 : 0;
}
