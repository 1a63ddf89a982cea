// `cibadmin`: Pacemaker's raw CIB tool: -Q (with -o SECTION or --xpath), -R/-M/-C/-D with -x FILE, -X XML or
// stdin, -o SECTION; each a CibRequest to the daemon or the CIB_file, with Pacemaker's exit codes.
import { readFileSync } from 'node:fs';
import type { CibRequest } from '../../crm/contract.js';
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibRequest, cibTarget } from '../../crm/client/cib-client.js';

export const summary = 'cibadmin: query and change the CIB as XML (-Q, -R, -M, -C, -D; Pacemaker\'s tool)';

const SPECS = [
  opt('query', 'Q', 'query'), opt('replace', 'R', 'replace'), opt('modify', 'M', 'modify'), opt('create', 'C', 'create'),
  opt('delete', 'D', 'delete'), opt('file', 'x', 'xml-file', true), opt('text', 'X', 'xml-text', true), opt('pipe', 'p', 'xml-pipe'),
  opt('section', 'o', ['scope', 'obj_type'], true), opt('xpath', 'A', 'xpath', true), opt('verbose', 'V', 'verbose'),
  opt('sync', 's', 'sync-call'), opt('local', 'l', 'local'), opt('run-dir', undefined, 'run-dir', true),
];

/** The text cibadmin prints for the exit codes the store answers with (Pacemaker's pcmk_rc_str). */
const RC_TEXT: Readonly<Record<number, string>> = {
  105: 'No such device or address', 108: 'File exists', 103: 'Update was older than existing configuration',
  78: 'Update does not conform to the configured schema', 65: 'Input data is not valid XML', 70: 'Invalid argument', 102: 'Transport endpoint is not connected',
};

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  const err = (s: string) => process.stderr.write(`${s}\n`);
  if (typeof p === 'string') { err(`cibadmin: ${p}`); return RC_USAGE; }
  const verbs = ['query', 'replace', 'modify', 'create', 'delete'].filter((v) => p.flags.get(v));
  if (verbs.length !== 1) { err('cibadmin: Please specify exactly one command (-Q, -R, -M, -C or -D)'); return RC_USAGE; }
  const section = p.opts.get('section');
  const xpath = p.opts.get('xpath');
  const verb = verbs[0]!;
  let xml: string | undefined;
  if (verb !== 'query' && !(verb === 'delete' && xpath !== undefined)) {
    try {
      xml = p.opts.get('text') ?? (p.opts.has('file') ? readFileSync(p.opts.get('file')!, 'utf8') : readFileSync(0, 'utf8'));
    } catch (e) {
      err(`cibadmin: Couldn't read input: ${(e as Error).message}`);
      return 66;
    }
  }
  const sec = section !== undefined ? { section } : {};
  const req: CibRequest = verb === 'query' ? { cmd: 'cib_query', ...sec, ...(xpath !== undefined ? { xpath } : {}) }
    : verb === 'delete' ? { cmd: 'cib_delete', ...sec, ...(xml !== undefined ? { xml } : {}), ...(xpath !== undefined ? { xpath } : {}) }
      : { cmd: `cib_${verb}` as 'cib_replace' | 'cib_modify' | 'cib_create', xml: xml!, ...sec };
  const a = await cibRequest(cibTarget(process.env, p.opts.get('run-dir')), req);
  if (!a.ok) {
    err(`Call failed: ${RC_TEXT[a.rc] ?? a.error}`);
    if (RC_TEXT[a.rc]) err(a.error);
    return a.rc;
  }
  if ('xml' in a) process.stdout.write(a.xml.endsWith('\n') ? a.xml : `${a.xml}\n`);
  return 0;
}
