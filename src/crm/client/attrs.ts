// Pure: where crm_attribute, crm_standby and crm_failcount find and put an attribute in a CIB (Pacemaker's ids:
// cib-bootstrap-options-NAME, nodes-ID-NAME, status-ID-NAME, rsc-options-NAME) and the CibRequests that change it.
import type { CibRequest } from '../contract.js';
import { getAttr, type XEl } from '../xml-lite.js';
import { printXml } from '../cib-store/index.js';

/** crm_attribute's --type after its aliases (forever = nodes, reboot = status). */
export type AttrScope = 'crm_config' | 'rsc_defaults' | 'op_defaults' | 'nodes' | 'status';

export function attrScope(type: string | undefined, lifetime: string | undefined, node: string | undefined): AttrScope | undefined {
  const t = type ?? (lifetime === 'reboot' ? 'status' : lifetime === 'forever' ? 'nodes' : node !== undefined ? 'nodes' : 'crm_config');
  switch (t) {
    case 'crm_config': case 'rsc_defaults': case 'op_defaults': case 'nodes': case 'status': return t;
    case 'forever': return 'nodes';
    case 'reboot': return 'status';
    default: return undefined;
  }
}

const kid = (e: XEl | undefined, tag: string, id?: string): XEl | undefined =>
  e?.kids.find((k) => k.tagName === tag && (id === undefined || getAttr(k, 'id') === id));

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The node id of a node name (uname in the nodes section, else in the status section), as crm_attribute maps it. */
export function nodeId(cib: XEl, name: string): string | undefined {
  const nodes = kid(kid(cib, 'configuration'), 'nodes');
  const n = nodes?.kids.find((k) => k.tagName === 'node' && getAttr(k, 'uname') === name);
  if (n) return getAttr(n, 'id');
  const st = kid(cib, 'status')?.kids.find((k) => k.tagName === 'node_state' && getAttr(k, 'uname') === name);
  return st ? getAttr(st, 'id') : undefined;
}

/** Where the attribute lives: the section's element, the path of tags/ids from it to the set, the set's default id. */
interface Place { section: string; parents: Array<[string, string]>; setTag: string; setId: string; container?: XEl }

function place(cib: XEl, scope: AttrScope, id: string | undefined): Place {
  const conf = kid(cib, 'configuration');
  switch (scope) {
    case 'crm_config': return { section: 'crm_config', parents: [], setTag: 'cluster_property_set', setId: 'cib-bootstrap-options', container: kid(conf, 'crm_config') };
    case 'rsc_defaults': return { section: 'rsc_defaults', parents: [], setTag: 'meta_attributes', setId: 'rsc-options', container: kid(conf, 'rsc_defaults') };
    case 'op_defaults': return { section: 'op_defaults', parents: [], setTag: 'meta_attributes', setId: 'op-options', container: kid(conf, 'op_defaults') };
    case 'nodes': return { section: 'nodes', parents: [['node', id!]], setTag: 'instance_attributes', setId: `nodes-${id}`, container: kid(kid(conf, 'nodes'), 'node', id) };
    case 'status': return {
      section: 'status', parents: [['node_state', id!], ['transient_attributes', id!]], setTag: 'instance_attributes', setId: `status-${id}`,
      container: kid(kid(kid(cib, 'status'), 'node_state', id), 'transient_attributes', id),
    };
  }
}

/** An attribute found: its nvpair's id, the set's id and the value. */
export interface FoundAttr { readonly id: string; readonly setId: string; readonly value: string | undefined }

/** Every nvpair named `name` in the scope's sets (find_nvpair_attr), in document order. */
export function findAttr(cib: XEl, scope: AttrScope, name: string, nodeIdent?: string, setId?: string): FoundAttr[] {
  const p = place(cib, scope, nodeIdent);
  const out: FoundAttr[] = [];
  for (const set of p.container?.kids ?? []) {
    if (set.tagName !== p.setTag) continue;
    if (setId !== undefined && getAttr(set, 'id') !== setId) continue;
    for (const nv of set.kids) {
      if (nv.tagName === 'nvpair' && getAttr(nv, 'name') === name) out.push({ id: getAttr(nv, 'id') ?? '', setId: getAttr(set, 'id') ?? '', value: getAttr(nv, 'value') });
    }
  }
  return out;
}

/** The cib_modify that sets `name` to `value`: the existing nvpair's value, or a new one in the scope's default set. */
export function setAttrRequest(cib: XEl, scope: AttrScope, name: string, value: string, nodeIdent?: string, setId?: string): CibRequest {
  const p = place(cib, scope, nodeIdent);
  const found = findAttr(cib, scope, name, nodeIdent, setId)[0];
  const sid = found?.setId ?? setId ?? p.setId;
  const nvId = found?.id ?? `${sid}-${name}`;
  let xml = `<${p.setTag} id="${esc(sid)}"><nvpair id="${esc(nvId)}" name="${esc(name)}" value="${esc(value)}"/></${p.setTag}>`;
  for (const [tag, id] of [...p.parents].reverse()) xml = `<${tag} id="${esc(id)}">${xml}</${tag}>`;
  xml = `<${p.section === 'status' ? 'status' : p.section}>${xml}</${p.section === 'status' ? 'status' : p.section}>`;
  return { cmd: 'cib_modify', section: p.section, xml };
}

/** The cib_delete of one found nvpair. */
export function deleteAttrRequest(scope: AttrScope, found: FoundAttr): CibRequest {
  const section = scope === 'nodes' || scope === 'status' || scope === 'crm_config' ? scope : scope;
  return { cmd: 'cib_delete', section, xml: `<nvpair id="${esc(found.id)}"/>` };
}

/** crm_attribute's query line: `scope=S  name=N value=V` (scope as Pacemaker prints it). */
export function attrLine(scope: AttrScope, name: string, value: string | undefined): string {
  return `scope=${scope}  name=${name} value=${value ?? '(null)'}`;
}

export { printXml };
