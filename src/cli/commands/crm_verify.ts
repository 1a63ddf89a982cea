// `crm_verify`: checks the live CIB (-L) or a CIB file (-x FILE) with `crm configure verify`'s checks and the
// scheduler's refusals; exit 0 when valid, 78 (CRM_EX_CONFIG) for errors, as Pacemaker's crm_verify.
import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../errors.js';
import { crmVerifier } from '../../crm/cib-store/index.js';
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibTarget, isFailure, queryCib } from '../../crm/client/cib-client.js';
import { parseXml, type XEl } from '../../crm/xml-lite.js';

export const summary = 'crm_verify: check the live CIB (-L) or a CIB file (-x) for configuration errors (Pacemaker\'s tool)';

const SPECS = [
  opt('live', 'L', 'live-check'), opt('file', 'x', 'xml-file', true), opt('verbose', 'V', 'verbose'), opt('run-dir', undefined, 'run-dir', true),
];
const RC_CONFIG = 78;

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  const err = (s: string) => process.stderr.write(`${s}\n`);
  if (typeof p === 'string') { err(`crm_verify: ${p}`); return RC_USAGE; }
  let cib: XEl;
  const file = p.opts.get('file');
  if (file !== undefined) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { err(`crm_verify: Couldn't parse input file: ${file}: ${(e as NodeJS.ErrnoException).code}`); return 66; }
    const r = parseXml(text);
    if (!r.ok) { err(`crm_verify: Couldn't parse input file: ${file}: ${r.reason}`); return 65; }
    cib = r.root;
  } else {
    const q = await queryCib(cibTarget(process.env, p.opts.get('run-dir')));
    if (isFailure(q)) { err(`crm_verify: Connection to cluster failed: ${q.error}`); return q.rc; }
    cib = q;
  }
  const diags = crmVerifier()(cib);
  const verbose = (p.flags.get('verbose') ?? 0) > 0;
  let errors = 0;
  for (const d of diags) {
    // Pacemaker counts a missing STONITH device as an error of the configuration too ("start-up disabled").
    if (d.severity === 'error') errors++;
    if (d.severity === 'error' || verbose) err(formatDiagnostic(d));
  }
  if (errors) {
    err('Errors found during check: config not valid');
    if (!verbose) err('  -V may provide more details');
    return RC_CONFIG;
  }
  return 0;
}
