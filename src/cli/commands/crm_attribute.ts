// `crm_attribute`: Pacemaker's tool for cluster options, defaults and node attributes (--type crm_config|
// rsc_defaults|op_defaults|nodes|status, -n/-v/-G/-D, -l reboot|forever, -N), its output lines and exit codes.
import { attrLine, attrScope, deleteAttrRequest, findAttr, nodeId, setAttrRequest, type AttrScope } from '../../crm/client/attrs.js';
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibRequest, cibTarget, isFailure, queryCib } from '../../crm/client/cib-client.js';
import { hostname } from 'node:os';

export const summary = 'crm_attribute: query, set or delete cluster options and node attributes in the CIB (Pacemaker\'s tool)';

const SPECS = [
  opt('type', 't', ['type', 'scope'], true), opt('name', 'n', ['name', 'attr-name'], true), opt('value', 'v', ['update', 'attr-value'], true),
  opt('query', 'G', ['query', 'get-value']), opt('delete', 'D', ['delete', 'delete-attr']), opt('node', 'N', ['node', 'uname'], true),
  opt('lifetime', 'l', 'lifetime', true), opt('quiet', 'q', 'quiet'), opt('default', 'd', 'default', true), opt('id', 'i', ['id', 'attr-id'], true),
  opt('set', 's', 'set-name', true), opt('verbose', 'V', 'verbose'), opt('run-dir', undefined, 'run-dir', true),
];

/** What Pacemaker calls each scope in "Deleted … attribute" lines. */
const DELETED_WORD: Readonly<Record<AttrScope, string>> = {
  crm_config: 'crm_config option', rsc_defaults: 'rsc_defaults option', op_defaults: 'op_defaults option', nodes: 'nodes attribute', status: 'status attribute',
};

/** ENXIO's text, as Pacemaker's tools print a missing attribute. */
const NOSUCH_TEXT = 'No such device or address';

/** Where a run prints: the process's streams, or nothing (crm_standby's silent probe). */
export interface ToolIo { out(s: string): void; err(s: string): void }
const STD_IO: ToolIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function run(argv: readonly string[], tool = 'crm_attribute', io: ToolIo = STD_IO): Promise<number> {
  const p = parseOpts(SPECS, argv);
  const err = (s: string) => io.err(`${s}\n`);
  if (typeof p === 'string') { err(`${tool}: ${p}`); return RC_USAGE; }
  const name = p.opts.get('name');
  if (!name) { err(`${tool}: Error performing operation: Invalid argument (no attribute name given, -n NAME)`); return RC_USAGE; }
  const node = p.opts.get('node');
  const scope = attrScope(p.opts.get('type'), p.opts.get('lifetime'), node);
  if (!scope) { err(`${tool}: Error performing operation: Invalid argument (unknown --type ${p.opts.get('type')})`); return RC_USAGE; }
  const target = cibTarget(process.env, p.opts.get('run-dir'));
  const cib = await queryCib(target);
  if (isFailure(cib)) { err(`${tool}: Error performing operation: ${cib.error}`); return cib.rc; }
  let ident: string | undefined;
  if (scope === 'nodes' || scope === 'status') {
    const n = node ?? hostname().toLowerCase();
    ident = nodeId(cib, n);
    if (ident === undefined) { err(`${tool}: Could not map name=${n} to a UUID`); return 105; }
  }
  const set = p.opts.get('set');
  const value = p.opts.get('value');
  if (value !== undefined) {
    const a = await cibRequest(target, setAttrRequest(cib, scope, name, value, ident, set));
    if (!a.ok) { err(`${tool}: Error performing operation: ${a.error}`); return a.rc; }
    return 0;
  }
  const found = findAttr(cib, scope, name, ident, set).filter((f) => p.opts.get('id') === undefined || f.id === p.opts.get('id'));
  if (p.flags.get('delete')) {
    // Deleting what is not there succeeds silently, as Pacemaker's does.
    for (const f of found) {
      const a = await cibRequest(target, deleteAttrRequest(scope, f));
      if (!a.ok) { err(`${tool}: Error performing operation: ${a.error}`); return a.rc; }
      if (!p.flags.get('quiet')) io.out(`Deleted ${DELETED_WORD[scope]}: id=${f.id} name=${name}\n`);
    }
    return 0;
  }
  const def = p.opts.get('default');
  if (found.length === 0 && def === undefined) { err(`${tool}: Error performing operation: ${NOSUCH_TEXT}`); return 105; }
  const shown = found.length ? found.map((f) => f.value) : [def];
  for (const v of shown) io.out(p.flags.get('quiet') ? `${v ?? ''}\n` : `${attrLine(scope, name, v)}\n`);
  return 0;
}
