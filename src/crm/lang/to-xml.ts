// Writes the configuration model as Pacemaker CIB XML, element for element and attribute for attribute as crmsh does.
// Output is deterministic (fixed attribute order, two-space indent), so text → XML → text → XML is byte-identical.

import type { Constraint, CrmConfig, CrmNode, Expression, NvSet, Op, OptionSet, Resource, ResourceSet, Rule } from './model.js';
import { topLevelResources } from './model.js';

/** A minimal XML element: ordered attributes (undefined ones are skipped) and children. */
export interface XmlElement {
  readonly tag: string;
  readonly attrs: ReadonlyArray<readonly [string, string | undefined]>;
  readonly children: readonly XmlElement[];
}

const el = (tag: string, attrs: Array<[string, string | undefined]>, children: XmlElement[] = []): XmlElement => ({ tag, attrs, children });

const NEEDS_ESCAPE = /[&<>"\n\r\t]/;

/** Escapes an attribute value for double-quoted XML. */
export function escapeAttr(v: string): string {
  // Almost no value needs escaping; seven replace passes on each cost the most of printing a large CIB.
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Serialises an element tree with two-space indentation, one element per line, as cibadmin prints. */
export function serialize(e: XmlElement, indent = ''): string {
  const out: string[] = [];
  serializeInto(e, indent, out);
  return out.join('');
}

// Appends to one array and joins once: building nested strings level by level was the slowest part on large CIBs.
function serializeInto(e: XmlElement, indent: string, out: string[]): void {
  let attrs = '';
  for (const [k, v] of e.attrs) if (v !== undefined) attrs += ` ${k}="${/[&<>"\n\r\t]/.test(v) ? escapeAttr(v) : v}"`;
  if (e.children.length === 0) {
    out.push(`${indent}<${e.tag}${attrs}/>\n`);
    return;
  }
  out.push(`${indent}<${e.tag}${attrs}>\n`);
  const inner = `${indent}  `;
  for (const c of e.children) serializeInto(c, inner, out);
  out.push(`${indent}</${e.tag}>\n`);
}

function nvset(s: NvSet): XmlElement {
  return el(s.tag, [['id', s.id]], s.pairs.map((p) => el('nvpair', [['name', p.name], ['value', p.value], ['id', p.id]])));
}

function op(o: Op): XmlElement {
  const children: XmlElement[] = [];
  if (o.params) children.push(nvset(o.params));
  if (o.meta) children.push(nvset(o.meta));
  return el('op', [['name', o.name], ...o.attrs.map(([k, v]): [string, string] => [k, v]), ['id', o.id]], children);
}

function resource(r: Resource, byId: ReadonlyMap<string, Resource>): XmlElement {
  switch (r.kind) {
    case 'primitive': {
      const children = r.sets.map(nvset);
      if (r.ops.length) children.push(el('operations', [], r.ops.map(op)));
      return el('primitive', [['id', r.id], ['class', r.class], ['provider', r.provider], ['type', r.type], ['description', r.description]], children);
    }
    case 'group': {
      const members = r.members.map((m) => byId.get(m)).filter((m): m is Resource => m?.kind === 'primitive');
      return el('group', [['id', r.id], ['description', r.description]], [...r.sets.map(nvset), ...members.map((m) => resource(m, byId))]);
    }
    case 'clone': {
      const child = byId.get(r.child);
      const inner = child && child.kind !== 'clone' ? [resource(child, byId)] : [];
      return el('clone', [['id', r.id], ['description', r.description]], [...r.sets.map(nvset), ...inner]);
    }
  }
}

function expression(x: Expression): XmlElement {
  return el('expression', [['operation', x.operation], ['attribute', x.attribute], ['type', x.type], ['value', x.value], ['id', x.id]]);
}

function rule(r: Rule): XmlElement {
  return el('rule', [['score', r.score], ['score-attribute', r.scoreAttribute], ['boolean-op', r.booleanOp], ['role', r.role], ['id', r.id]],
    r.expressions.map(expression));
}

function resourceSet(s: ResourceSet): XmlElement {
  return el('resource_set', [['id', s.id]], s.refs.map((ref) => el('resource_ref', [['id', ref]])));
}

function constraint(c: Constraint): XmlElement {
  switch (c.kind) {
    case 'location':
      return el('rsc_location', [['id', c.id], ['rsc', c.rsc], ['role', c.role], ['resource-discovery', c.resourceDiscovery], ['score', c.score], ['node', c.node]],
        c.rules.map(rule));
    case 'colocation':
      return el('rsc_colocation', [['id', c.id], ['score', c.score], ['rsc', c.rsc], ['rsc-role', c.rscRole], ['with-rsc', c.withRsc],
        ['with-rsc-role', c.withRscRole], ['node-attribute', c.nodeAttribute]], c.sets.map(resourceSet));
    case 'order':
      return el('rsc_order', [['id', c.id], ['kind', c.orderKind], ['score', c.score], ['symmetrical', c.symmetrical], ['first', c.first],
        ['first-action', c.firstAction], ['then', c.then], ['then-action', c.thenAction]], c.sets.map(resourceSet));
  }
}

function node(n: CrmNode): XmlElement {
  return el('node', [['id', n.id], ['uname', n.uname], ['type', n.type], ['description', n.description]], n.sets.map(nvset));
}

function optionSets(options: readonly OptionSet[], kind: OptionSet['kind']): XmlElement[] {
  return options.filter((o) => o.kind === kind).map((o) => nvset(o.set));
}

/** The `<configuration>` element of a configuration. */
export function configurationElement(config: CrmConfig): XmlElement {
  const byId = new Map(config.resources.map((r) => [r.id, r] as const));
  const children: XmlElement[] = [
    el('crm_config', [], optionSets(config.options, 'property')),
    el('nodes', [], config.nodes.map(node)),
    el('resources', [], topLevelResources(config).map((r) => resource(r, byId))),
    el('constraints', [], config.constraints.map(constraint)),
  ];
  const rscDefaults = optionSets(config.options, 'rsc_defaults');
  if (rscDefaults.length) children.push(el('rsc_defaults', [], rscDefaults));
  const opDefaults = optionSets(config.options, 'op_defaults');
  if (opDefaults.length) children.push(el('op_defaults', [], opDefaults));
  return el('configuration', [], children);
}

/** The `<cib>` attributes `cibadmin --empty` writes for Pacemaker 2.1.5. */
export const NEW_CIB_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ['crm_feature_set', '3.16.1'], ['validate-with', 'pacemaker-3.9'], ['epoch', '1'], ['num_updates', '0'], ['admin_epoch', '0'],
];

/**
 * A whole CIB document holding `config`. `cibAttributes` are kept from an existing CIB (then bump its epoch
 * yourself); `statusXml` is the existing `<status>` element verbatim, else an empty one.
 */
export function cibXml(config: CrmConfig, cibAttributes: ReadonlyArray<readonly [string, string]> = NEW_CIB_ATTRIBUTES, statusXml?: string): string {
  const attrs = cibAttributes.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  const status = statusXml !== undefined ? `  ${statusXml.trim()}\n` : '  <status/>\n';
  return `<cib${attrs}>\n${serialize(configurationElement(config), '  ')}${status}</cib>\n`;
}
