// The CIB changes behind crm_resource -M/-B/-U/-C, crm's resource and node levels and the web's crm actions:
// one implementation, printing through an Io, answering with Pacemaker's exit codes.
import type { CibTarget } from './cib-client.js';
import { cibRequest, isFailure, queryCib } from './cib-client.js';
import { cliConstraints, cliLocation, findResource, hasConstraint, lifetimeEnd, locate, nodeExists, parseDuration } from './resources.js';
import { getAttr, type XEl } from '../xml-lite.js';
import { nodeId, setAttrRequest } from './attrs.js';

/** Where an action prints its lines (stdout and stderr of a tool, or collected for the web). */
export interface ActionIo { out(line: string): void; err(line: string): void }

/** Collects an action's lines (the web answers them in JSON). */
export function collectIo(): ActionIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [], errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const RC_USAGE = 64;
/** Pacemaker's CRM_EX_NOSUCH. */
const RC_NOSUCH = 105;

/** -M (prefer) / -B (ban) of `rsc`, as crm_resource does them. */
export async function moveOrBan(io: ActionIo, target: CibTarget, cib: XEl, rsc: XEl, kind: 'prefer' | 'ban', node: string | undefined, lifetime: string | undefined): Promise<number> {
  const { out, err } = io;
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

/** -U: the cli- constraints of the resource go. */
export async function clear(io: ActionIo, target: CibTarget, cib: XEl, id: string, node: string | undefined): Promise<number> {
  const { out, err } = io;
  for (const c of cliConstraints(cib, id, node)) {
    const a = await cibRequest(target, { cmd: 'cib_delete', section: 'constraints', xml: `<rsc_location id="${c}"/>` });
    if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
    out(`Removing constraint: ${c}`);
  }
  return 0;
}

/** -C: the resource's operation history (and fail counts) on the node, or on every node, is removed; the DC re-probes. */
/**
 * -C: the resource's fail counts, then its operation history on the node (or every node) are removed, so the DC
 * probes it again; with `op` only that operation's fail count and failure record go.
 */
export async function cleanup(io: ActionIo, target: CibTarget, cib: XEl, rsc: XEl, node: string | undefined, op?: { task: string; intervalMs: number }): Promise<number> {
  const { out, err } = io;
  const ids = new Set<string>();
  const walk = (e: XEl) => { if (e.tagName === 'primitive') ids.add(getAttr(e, 'id')!); e.kids.forEach(walk); };
  walk(rsc);
  const suffix = op ? `#${op.task}_${op.intervalMs}` : undefined;
  const isFailAttr = (n: string) => [...ids].some((r) => ['fail-count-', 'last-failure-'].some((p) =>
    suffix ? n === `${p}${r}${suffix}` : n === `${p}${r}` || n.startsWith(`${p}${r}#`)));
  const status = cib.kids.find((k) => k.tagName === 'status');
  for (const st of status?.kids ?? []) {
    if (st.tagName !== 'node_state' || (node !== undefined && getAttr(st, 'uname') !== node)) continue;
    const uname = getAttr(st, 'uname') ?? getAttr(st, 'id')!;
    for (const set of st.kids.find((k) => k.tagName === 'transient_attributes')?.kids ?? []) {
      for (const nv of set.kids) {
        if (!isFailAttr(getAttr(nv, 'name') ?? '')) continue;
        const a = await cibRequest(target, { cmd: 'cib_delete', section: 'status', xml: `<nvpair id="${getAttr(nv, 'id')}"/>` });
        if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
      }
    }
    for (const lrms of st.kids.find((k) => k.tagName === 'lrm')?.kids.find((k) => k.tagName === 'lrm_resources')?.kids ?? []) {
      const rid = getAttr(lrms, 'id')!;
      if (!ids.has(rid)) continue;
      const where = `//node_state[@uname='${uname}']//lrm_resource[@id='${rid}']`;
      if (op) {
        const rec = lrms.kids.find((o) => getAttr(o, 'id') === `${rid}_last_failure_0` && getAttr(o, 'operation_key') === `${rid}_${op.task}_${op.intervalMs}`);
        if (!rec) continue;
        const a = await cibRequest(target, { cmd: 'cib_delete', xpath: `${where}/lrm_rsc_op[@id='${rid}_last_failure_0']` });
        if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
      } else {
        const a = await cibRequest(target, { cmd: 'cib_delete', xpath: where });
        if (!a.ok) { err(`crm_resource: Error performing operation: ${a.error}`); return a.rc; }
      }
      out(`Cleaned up ${rid} on ${uname}`);
    }
  }
  return 0;
}

/** What crm's resource level and the web ask for. */
export type ResourceVerb = 'move' | 'ban' | 'clear' | 'cleanup' | 'start' | 'stop';

/**
 * One resource action by id: the CIB read, the resource and node checked (105 with Pacemaker's words), then
 * move/ban/clear/cleanup as crm_resource does them, or start/stop as `crm resource` does (target-role meta attribute).
 */
export async function resourceAction(io: ActionIo, target: CibTarget, verb: ResourceVerb, id: string, node?: string, lifetime?: string): Promise<number> {
  const cib = await queryCib(target);
  if (isFailure(cib)) { io.err(`Error performing operation: ${cib.error}`); return cib.rc; }
  const rsc = findResource(cib, id);
  if (!rsc) { io.err(`Resource '${id}' not found`); io.err('Error performing operation: No such object'); return RC_NOSUCH; }
  if (node !== undefined && !nodeExists(cib, node)) { io.err(`Node '${node}' not found`); io.err('Error performing operation: No such object'); return RC_NOSUCH; }
  switch (verb) {
    case 'move': return moveOrBan(io, target, cib, rsc, 'prefer', node, lifetime);
    case 'ban': return moveOrBan(io, target, cib, rsc, 'ban', node, lifetime);
    case 'clear': return clear(io, target, cib, id, node);
    case 'cleanup': return cleanup(io, target, cib, rsc, node);
    case 'start': case 'stop': {
      const value = verb === 'start' ? 'Started' : 'Stopped';
      const setId = rsc.kids.find((k) => k.tagName === 'meta_attributes');
      const sid = (setId && getAttr(setId, 'id')) ?? `${id}-meta_attributes`;
      const nv = setId?.kids.find((k) => k.tagName === 'nvpair' && getAttr(k, 'name') === 'target-role');
      const nvId = (nv && getAttr(nv, 'id')) ?? `${sid}-target-role`;
      const xml = `<${rsc.tagName} id="${id}"><meta_attributes id="${sid}"><nvpair id="${nvId}" name="target-role" value="${value}"/></meta_attributes></${rsc.tagName}>`;
      const a = await cibRequest(target, { cmd: 'cib_modify', section: 'resources', xml });
      if (!a.ok) { io.err(`Error performing operation: ${a.error}`); return a.rc; }
      return 0;
    }
  }
}

/** `crm node standby|online NODE`: the node's permanent standby attribute on or off (crm_standby -v). */
export async function setStandby(io: ActionIo, target: CibTarget, node: string, on: boolean): Promise<number> {
  const cib = await queryCib(target);
  if (isFailure(cib)) { io.err(`Error performing operation: ${cib.error}`); return cib.rc; }
  const id = nodeId(cib, node);
  if (id === undefined) { io.err(`Could not map name=${node} to a UUID`); return RC_NOSUCH; }
  const a = await cibRequest(target, setAttrRequest(cib, 'nodes', 'standby', on ? 'on' : 'off', id));
  if (!a.ok) { io.err(`Error performing operation: ${a.error}`); return a.rc; }
  return 0;
}
