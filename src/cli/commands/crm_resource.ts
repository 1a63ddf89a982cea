// `crm_resource`: Pacemaker's resource tool on the CIB: -M/-B/-U (move, ban, clear; -N, --lifetime), -W locate,
// -L list, -p/-g/-d parameters (--meta for meta attributes), -C cleanup; Pacemaker's messages and exit codes.
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibRequest, cibTarget, isFailure, queryCib } from '../../crm/client/cib-client.js';
import { findResource, locate, nodeExists, rscAttr, rscAttrXml } from '../../crm/client/resources.js';
import { getAttr, type XEl } from '../../crm/xml-lite.js';
import { cleanup, clear, moveOrBan, type ActionIo } from '../../crm/client/actions.js';
import { parseIntervalMs } from '../../crm/cib.js';

export const summary = 'crm_resource: move, ban, clear, locate, list resources and edit their parameters in the CIB (Pacemaker\'s tool)';

const SPECS = [
  opt('resource', 'r', 'resource', true), opt('node', 'N', 'node', true), opt('lifetime', 'u', 'lifetime', true),
  opt('move', 'M', 'move'), opt('ban', 'B', 'ban'), opt('clear', 'U', ['clear', 'un-move']), opt('locate', 'W', 'locate'),
  opt('list', 'L', 'list'), opt('cleanup', 'C', 'cleanup'), opt('refresh', 'R', 'refresh'),
  opt('set', 'p', 'set-parameter', true), opt('get', 'g', 'get-parameter', true), opt('del', 'd', 'delete-parameter', true),
  opt('value', 'v', 'parameter-value', true), opt('meta', 'm', 'meta'), opt('quiet', 'Q', 'quiet'), opt('force', 'f', 'force'),
  opt('verbose', 'V', 'verbose'), opt('operation', 'n', 'operation', true), opt('interval', 'I', 'interval', true),
  opt('run-dir', undefined, 'run-dir', true),
];

const out = (s: string) => process.stdout.write(`${s}\n`);
const STD_IO: ActionIo = { out, err: (s) => process.stderr.write(`${s}\n`) };

/** -n OP with -I INTERVAL (e.g. 10s, 10000ms): the one operation whose failures -C clears. */
function opOf(task: string | undefined, interval: string | undefined): { task: string; intervalMs: number } | undefined {
  if (!task) return undefined;
  return { task, intervalMs: parseIntervalMs(interval?.replace(/ms$/, 'msec') ?? '0') };
}
const err = (s: string) => process.stderr.write(`${s}\n`);
const RC_NOSUCH = 105;

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  if (typeof p === 'string') { err(`crm_resource: ${p}`); return RC_USAGE; }
  const target = cibTarget(process.env, p.opts.get('run-dir'));
  const cib = await queryCib(target);
  if (isFailure(cib)) { err(`crm_resource: Error performing operation: ${cib.error}`); return cib.rc; }
  if (p.flags.get('list')) return list(cib);
  const id = p.opts.get('resource');
  if (!id) { err('crm_resource: Must supply a resource id with -r'); return RC_USAGE; }
  const rsc = findResource(cib, id);
  if (!rsc) { err(`crm_resource: Resource '${id}' not found`); err('Error performing operation: No such object'); return RC_NOSUCH; }
  const node = p.opts.get('node');
  if (node !== undefined && !nodeExists(cib, node)) { err(`crm_resource: Node '${node}' not found`); err('Error performing operation: No such object'); return RC_NOSUCH; }
  if (p.flags.get('locate')) {
    const where = locate(cib, rsc);
    if (where.length === 0) { err(`resource ${id} is NOT running`); return 0; }
    for (const n of where) out(`resource ${id} is running on: ${n}`);
    return 0;
  }
  if (p.flags.get('move') || p.flags.get('ban')) return moveOrBan(STD_IO, target, cib, rsc, p.flags.get('move') ? 'prefer' : 'ban', node, p.opts.get('lifetime'));
  if (p.flags.get('clear')) return clear(STD_IO, target, cib, id, node);
  const setTag = p.flags.get('meta') ? 'meta_attributes' : 'instance_attributes';
  if (p.opts.has('set')) {
    const value = p.opts.get('value');
    if (value === undefined) { err('crm_resource: You need to supply a value with the -v option'); return RC_USAGE; }
    const x = rscAttrXml(rsc, setTag, p.opts.get('set')!, value);
    const a = await cibRequest(target, { cmd: 'cib_modify', section: 'resources', xml: x.xml });
    if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
    out(`Set '${id}' option: id=${x.id} set=${x.setId} name=${p.opts.get('set')} value=${value}`);
    return 0;
  }
  if (p.opts.has('get')) {
    const f = rscAttr(rsc, setTag, p.opts.get('get')!);
    if (!f) { err(`Attribute '${p.opts.get('get')}' not found for '${id}'`); return 0; }
    out(f.value ?? '');
    return 0;
  }
  if (p.opts.has('del')) {
    const name = p.opts.get('del')!;
    const f = rscAttr(rsc, setTag, name);
    if (!f) return 0;
    const a = await cibRequest(target, { cmd: 'cib_delete', section: 'resources', xml: `<nvpair id="${f.id}"/>` });
    if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
    out(`Deleted '${id}' option: id=${f.id} name=${name}`);
    return 0;
  }
  if (p.flags.get('cleanup') || p.flags.get('refresh')) return cleanup(STD_IO, target, cib, rsc, node, opOf(p.opts.get('operation'), p.opts.get('interval')));
  err('crm_resource: No command given (-M, -B, -U, -W, -L, -C, -p, -g, -d)');
  return RC_USAGE;
}

/** -L: every primitive with its agent and where it runs, in crm_mon's resource-line layout. */
function list(cib: XEl): number {
  const res = cib.kids.find((k) => k.tagName === 'configuration')?.kids.find((k) => k.tagName === 'resources');
  const lines: string[] = [];
  const walk = (e: XEl, ind: string) => {
    for (const k of e.kids) {
      const id = getAttr(k, 'id');
      if (k.tagName === 'primitive') {
        const agent = `${getAttr(k, 'class')}${getAttr(k, 'provider') ? `:${getAttr(k, 'provider')}` : ''}:${getAttr(k, 'type')}`;
        const where = locate(cib, k);
        lines.push(`${ind}* ${id}\t(${agent}):\t ${where.length ? `Started ${where.join(' ')}` : 'Stopped'}`);
      } else if (k.tagName === 'group') {
        lines.push(`${ind}* Resource Group: ${id}:`);
        walk(k, `${ind}  `);
      }
    }
  };
  if (res) walk(res, '  ');
  if (lines.length === 0) { err('NO resources configured'); return RC_NOSUCH; }
  out('Full List of Resources:');
  for (const l of lines) out(l);
  return 0;
}
