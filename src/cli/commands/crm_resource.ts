// `crm_resource`: Pacemaker's resource tool on the CIB: -M/-B/-U (move, ban, clear; -N, --lifetime), -W locate,
// -L list, -p/-g/-d parameters (--meta for meta attributes), -C cleanup; Pacemaker's messages and exit codes.
import { opt, parseOpts, RC_USAGE } from '../../crm/client/args.js';
import { cibRequest, cibTarget, isFailure, queryCib, type CibTarget } from '../../crm/client/cib-client.js';
import {
  cliConstraints, cliLocation, findResource, hasConstraint, lifetimeEnd, locate, nodeExists, parseDuration, rscAttr, rscAttrXml,
} from '../../crm/client/resources.js';
import { getAttr, type XEl } from '../../crm/xml-lite.js';

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
  if (p.flags.get('move') || p.flags.get('ban')) return moveOrBan(target, cib, rsc, p.flags.get('move') ? 'prefer' : 'ban', node, p.opts.get('lifetime'));
  if (p.flags.get('clear')) return clear(target, cib, id, node);
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
  if (p.flags.get('cleanup') || p.flags.get('refresh')) return cleanup(target, cib, rsc, node);
  err('crm_resource: No command given (-M, -B, -U, -W, -L, -C, -p, -g, -d)');
  return RC_USAGE;
}

async function moveOrBan(target: CibTarget, cib: XEl, rsc: XEl, kind: 'prefer' | 'ban', node: string | undefined, lifetime: string | undefined): Promise<number> {
  const id = getAttr(rsc, 'id')!;
  const where = locate(cib, rsc);
  let to = node;
  if (to === undefined) {
    // Without -N a move (and a ban) bans the node the resource runs on, as Pacemaker's does.
    if (where.length !== 1) { err(`crm_resource: Resource '${id}' not moved: active in ${where.length} locations.`); err('Error performing operation: Invalid argument'); return 22; }
    to = where[0]!;
    kind = 'ban';
  } else if (kind === 'prefer' && where.length === 1 && where[0] === to) {
    err(`crm_resource: Error performing operation: Requested item already exists`);
    return 108;
  }
  let end: string | undefined;
  if (lifetime !== undefined) {
    const sec = parseDuration(lifetime);
    if (sec === undefined) { err(`crm_resource: Invalid duration specified: ${lifetime}`); return RC_USAGE; }
    end = lifetimeEnd(Math.floor(Date.now() / 1000), sec);
    out(`Migration will take effect until: ${end}`);
  }
  const loc = cliLocation(kind, id, to, end);
  if (kind === 'ban') {
    out(`WARNING: Creating rsc_location constraint '${loc.id}' with a score of -INFINITY for resource ${id} on ${to}.`);
    out(`\tThis will prevent ${id} from running on ${to} until the constraint is removed using the clear option or by editing the CIB with an appropriate tool`);
    out(`\tThis will be the case even if ${to} is the last node in the cluster`);
  }
  // As Pacemaker's move: the previous constraints of the resource for that node go first (each its own change),
  // then the new one is created at the end of the constraints section.
  const old = kind === 'prefer' ? [`cli-prefer-${id}`, `cli-ban-${id}-on-${to}`] : [loc.id];
  for (const c of old.filter((c) => hasConstraint(cib, c))) {
    const d = await cibRequest(target, { cmd: 'cib_delete', section: 'constraints', xml: `<rsc_location id="${c}"/>` });
    if (!d.ok) { err(`crm_resource: Error performing operation: ${d.error}`); return d.rc; }
  }
  const a = await cibRequest(target, { cmd: 'cib_create', section: 'constraints', xml: loc.xml });
  if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
  return 0;
}

async function clear(target: CibTarget, cib: XEl, id: string, node: string | undefined): Promise<number> {
  for (const c of cliConstraints(cib, id, node)) {
    const a = await cibRequest(target, { cmd: 'cib_delete', section: 'constraints', xml: `<rsc_location id="${c}"/>` });
    if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
    out(`Removing constraint: ${c}`);
  }
  return 0;
}

/** -C: the resource's operation history (and fail counts) on the node, or on every node, is removed; the DC re-probes. */
async function cleanup(target: CibTarget, cib: XEl, rsc: XEl, node: string | undefined): Promise<number> {
  const ids = new Set<string>();
  const walk = (e: XEl) => { if (e.tagName === 'primitive') ids.add(getAttr(e, 'id')!); e.kids.forEach(walk); };
  walk(rsc);
  const status = cib.kids.find((k) => k.tagName === 'status');
  for (const st of status?.kids ?? []) {
    if (st.tagName !== 'node_state' || (node !== undefined && getAttr(st, 'uname') !== node)) continue;
    const uname = getAttr(st, 'uname') ?? getAttr(st, 'id')!;
    for (const lrms of st.kids.find((k) => k.tagName === 'lrm')?.kids.find((k) => k.tagName === 'lrm_resources')?.kids ?? []) {
      const rid = getAttr(lrms, 'id')!;
      if (!ids.has(rid)) continue;
      const a = await cibRequest(target, { cmd: 'cib_delete', xpath: `//node_state[@uname='${uname}']//lrm_resource[@id='${rid}']` });
      if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
      out(`Cleaned up ${rid} on ${uname}`);
    }
    for (const set of st.kids.find((k) => k.tagName === 'transient_attributes')?.kids ?? []) {
      for (const nv of set.kids) {
        const n = getAttr(nv, 'name') ?? '';
        if (![...ids].some((r) => n === `fail-count-${r}` || n.startsWith(`fail-count-${r}#`) || n === `last-failure-${r}` || n.startsWith(`last-failure-${r}#`))) continue;
        const a = await cibRequest(target, { cmd: 'cib_delete', section: 'status', xml: `<nvpair id="${getAttr(nv, 'id')}"/>` });
        if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
      }
    }
  }
  return 0;
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
