// Reads a Pacemaker CIB XML document into the configuration model, keeping every id as written.
// Elements the model does not cover (bundles, templates, tags, ACLs, fencing topology …) are reported as unsupported.

import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { diag, type Diagnostic } from '../../errors.js';
import type {
  Clone, Colocation, Constraint, CrmConfig, CrmNode, Expression, Group, Location, NvSet, NvSetTag, Op, OptionSet,
  Order, Primitive, Resource, ResourceSet, Rule,
} from './model.js';

/** A CIB read from XML: the configuration, the `<cib>` attributes and the `<status>` element kept verbatim. */
export interface ParsedCib {
  readonly config: CrmConfig;
  readonly cibAttributes: Array<[string, string]>;
  readonly statusXml?: string;
  readonly diagnostics: Diagnostic[];
}

/** `<configuration>` children and what each is, for the unsupported report. */
const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  fencing_topology: 'fencing topology', acls: 'ACLs', tags: 'tags', alerts: 'alerts',
};
const UNSUPPORTED_RESOURCES: Readonly<Record<string, string>> = {
  bundle: 'a bundle', template: 'a resource template', master: 'a master/slave (promotable) resource',
};
const UNSUPPORTED_CONSTRAINTS: Readonly<Record<string, string>> = {
  rsc_ticket: 'a ticket constraint ("rsc_ticket")',
};

const elements = (e: Element): Element[] => {
  const out: Element[] = [];
  for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};

/** An attribute, or undefined when absent (getAttribute gives '' or null depending on the DOM). */
const attr = (e: Element, name: string): string | undefined => (e.hasAttribute(name) ? e.getAttribute(name) ?? undefined : undefined);

/**
 * Parses CIB XML text. Malformed XML gives an LL_CRM_XML error and an empty configuration;
 * elements outside the supported model give LL_CRM_UNSUPPORTED errors with their line.
 */
export function parseCibXml(text: string, file: string): ParsedCib {
  const diagnostics: Diagnostic[] = [];
  const empty: ParsedCib = { config: { nodes: [], resources: [], constraints: [], options: [] }, cibAttributes: [], diagnostics };
  let root: Element | null;
  try {
    const doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') diagnostics.push(diag('LL_CRM_XML', { what: msg.split('\n')[0]! }, { location: { file } }));
      },
    }).parseFromString(text, 'text/xml');
    root = doc.documentElement;
  } catch (e) {
    const m = /line:(\d+)/.exec(String((e as Error).message)) ?? /line:(\d+)/.exec(JSON.stringify((e as { locator?: unknown }).locator ?? ''));
    diagnostics.push(diag('LL_CRM_XML', { what: String((e as Error).message).split('\n')[0]! }, { location: { file, ...(m ? { line: Number(m[1]) } : {}) } }));
    return empty;
  }
  if (!root || root.tagName !== 'cib') {
    diagnostics.push(diag('LL_CRM_XML', { what: 'the document element is not <cib>' }, { location: { file }, found: root?.tagName ?? '', expected: '<cib>' }));
    return empty;
  }
  const cibAttributes: Array<[string, string]> = [];
  for (let i = 0; i < root.attributes.length; i++) {
    const a = root.attributes.item(i)!;
    cibAttributes.push([a.name, a.value]);
  }
  const at = (e: Element) => ({ location: { file, line: e.lineNumber } });
  const unsupported = (e: Element, what: string) => diagnostics.push(diag('LL_CRM_UNSUPPORTED', { what }, { ...at(e), found: `<${e.tagName}>` }));
  const unknown = (e: Element, where: string) =>
    diagnostics.push(diag('LL_CRM_XML', { what: `unexpected <${e.tagName}> in <${where}>` }, { ...at(e), found: `<${e.tagName}>` }));

  const nodes: CrmNode[] = [];
  const resources: Resource[] = [];
  const constraints: Constraint[] = [];
  const options: OptionSet[] = [];

  const nvset = (e: Element): NvSet => {
    for (const c of elements(e)) if (c.tagName === 'rule') unsupported(c, `a rule inside <${e.tagName}>`);
    if (e.hasAttribute('id-ref')) unsupported(e, 'an attribute-set reference (id-ref)');
    return {
      tag: e.tagName as NvSetTag, id: attr(e, 'id') ?? '',
      pairs: elements(e).filter((c) => c.tagName === 'nvpair').map((p) => ({ id: attr(p, 'id') ?? '', name: attr(p, 'name') ?? '', value: attr(p, 'value') ?? '', line: p.lineNumber })),
    };
  };
  const isSet = (t: string) => t === 'instance_attributes' || t === 'meta_attributes' || t === 'utilization';

  const readOp = (e: Element): Op => {
    const attrs: Array<[string, string]> = [];
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes.item(i)!;
      if (a.name !== 'id' && a.name !== 'name') attrs.push([a.name, a.value]);
    }
    let params: NvSet | undefined;
    let meta: NvSet | undefined;
    for (const c of elements(e)) {
      if (c.tagName === 'instance_attributes') params = nvset(c);
      else if (c.tagName === 'meta_attributes') meta = nvset(c);
      else unknown(c, 'op');
    }
    return { id: attr(e, 'id') ?? '', name: attr(e, 'name') ?? '', attrs, ...(params ? { params } : {}), ...(meta ? { meta } : {}), line: e.lineNumber };
  };

  // Children are pushed before their container, so the list printed in order reloads into the same CIB order.
  const readResource = (e: Element): string | undefined => {
    const id = attr(e, 'id') ?? '';
    const sets: NvSet[] = [];
    const description = attr(e, 'description');
    const desc = description !== undefined ? { description } : {};
    switch (e.tagName) {
      case 'primitive': {
        const ops: Op[] = [];
        for (const c of elements(e)) {
          if (isSet(c.tagName)) sets.push(nvset(c));
          else if (c.tagName === 'operations') for (const o of elements(c)) { if (o.tagName === 'op') ops.push(readOp(o)); else unknown(o, 'operations'); }
          else unknown(c, 'primitive');
        }
        if (e.hasAttribute('template')) unsupported(e, 'a primitive built from a template');
        const provider = attr(e, 'provider');
        resources.push({
          kind: 'primitive', id, class: attr(e, 'class') ?? '', ...(provider !== undefined ? { provider } : {}), type: attr(e, 'type') ?? '',
          ...desc, sets, ops, line: e.lineNumber,
        } satisfies Primitive);
        return id;
      }
      case 'group': {
        const members: string[] = [];
        for (const c of elements(e)) {
          if (isSet(c.tagName)) sets.push(nvset(c));
          else if (c.tagName === 'primitive') { const m = readResource(c); if (m) members.push(m); } else unknown(c, 'group');
        }
        resources.push({ kind: 'group', id, members, sets, ...desc, line: e.lineNumber } satisfies Group);
        return id;
      }
      case 'clone': {
        let child: string | undefined;
        for (const c of elements(e)) {
          if (isSet(c.tagName)) sets.push(nvset(c));
          else if (c.tagName === 'primitive' || c.tagName === 'group') child = readResource(c);
          else if (UNSUPPORTED_RESOURCES[c.tagName]) unsupported(c, UNSUPPORTED_RESOURCES[c.tagName]!);
          else unknown(c, 'clone');
        }
        resources.push({ kind: 'clone', id, child: child ?? '', sets, ...desc, line: e.lineNumber } satisfies Clone);
        return id;
      }
      default:
        if (UNSUPPORTED_RESOURCES[e.tagName]) unsupported(e, UNSUPPORTED_RESOURCES[e.tagName]!);
        else unknown(e, 'resources');
        return undefined;
    }
  };

  const readSets = (e: Element, what: string): ResourceSet[] => {
    const sets: ResourceSet[] = [];
    for (const s of elements(e)) {
      if (s.tagName !== 'resource_set') { unknown(s, e.tagName); continue; }
      const extra = Array.from({ length: s.attributes.length }, (_, i) => s.attributes.item(i)!.name).filter((n) => n !== 'id');
      if (extra.length) unsupported(s, `a resource set with options (${extra.join(', ')}) in ${what}`);
      sets.push({ id: attr(s, 'id') ?? '', refs: elements(s).filter((r) => r.tagName === 'resource_ref').map((r) => attr(r, 'id') ?? '') });
    }
    if (sets.length > 1) unsupported(e, `more than one resource set in ${what}`);
    return sets;
  };

  const readRule = (r: Element): Rule => {
    const expressions: Expression[] = [];
    for (const x of elements(r)) {
      if (x.tagName !== 'expression') { unsupported(x, x.tagName === 'date_expression' ? 'a date expression in a rule' : `<${x.tagName}> in a rule`); continue; }
      const type = attr(x, 'type');
      const value = attr(x, 'value');
      if (x.hasAttribute('value-source')) unsupported(x, 'an expression with value-source');
      expressions.push({ id: attr(x, 'id') ?? '', attribute: attr(x, 'attribute') ?? '', operation: attr(x, 'operation') ?? '',
        ...(type !== undefined ? { type } : {}), ...(value !== undefined ? { value } : {}) });
    }
    const score = attr(r, 'score');
    const scoreAttribute = attr(r, 'score-attribute');
    const role = attr(r, 'role');
    const booleanOp = attr(r, 'boolean-op');
    return {
      id: attr(r, 'id') ?? '', ...(score !== undefined ? { score } : {}), ...(scoreAttribute !== undefined ? { scoreAttribute } : {}),
      ...(role !== undefined ? { role } : {}), ...(booleanOp === 'and' || booleanOp === 'or' ? { booleanOp } : {}), expressions,
      line: r.lineNumber,
    };
  };

  const opt = <K extends string>(e: Element, name: string, key: K): Partial<Record<K, string>> => {
    const v = attr(e, name);
    return (v !== undefined ? { [key]: v } : {}) as Partial<Record<K, string>>;
  };

  const readConstraint = (c: Element): void => {
    const id = attr(c, 'id') ?? '';
    switch (c.tagName) {
      case 'rsc_location': {
        const rules: Rule[] = [];
        for (const r of elements(c)) { if (r.tagName === 'rule') rules.push(readRule(r)); else if (r.tagName === 'resource_set') unsupported(r, 'a location over a resource set'); else unknown(r, 'rsc_location'); }
        if (c.hasAttribute('rsc-pattern')) unsupported(c, 'a location with rsc-pattern');
        constraints.push({
          kind: 'location', id, rsc: attr(c, 'rsc') ?? '', ...opt(c, 'role', 'role'), ...opt(c, 'resource-discovery', 'resourceDiscovery'),
          ...opt(c, 'score', 'score'), ...opt(c, 'node', 'node'), rules, line: c.lineNumber,
        } satisfies Location);
        return;
      }
      case 'rsc_colocation':
        if (c.hasAttribute('score-attribute')) unsupported(c, 'a colocation with score-attribute');
        constraints.push({
          kind: 'colocation', id, score: attr(c, 'score') ?? 'INFINITY', ...opt(c, 'rsc', 'rsc'), ...opt(c, 'rsc-role', 'rscRole'),
          ...opt(c, 'with-rsc', 'withRsc'), ...opt(c, 'with-rsc-role', 'withRscRole'), ...opt(c, 'node-attribute', 'nodeAttribute'),
          sets: readSets(c, `colocation ${id}`), line: c.lineNumber,
        } satisfies Colocation);
        return;
      case 'rsc_order':
        constraints.push({
          kind: 'order', id, ...opt(c, 'kind', 'orderKind'), ...opt(c, 'score', 'score'), ...opt(c, 'symmetrical', 'symmetrical'),
          ...opt(c, 'first', 'first'), ...opt(c, 'first-action', 'firstAction'), ...opt(c, 'then', 'then'), ...opt(c, 'then-action', 'thenAction'),
          sets: readSets(c, `order ${id}`), line: c.lineNumber,
        } satisfies Order);
        return;
      default:
        if (UNSUPPORTED_CONSTRAINTS[c.tagName]) unsupported(c, UNSUPPORTED_CONSTRAINTS[c.tagName]!);
        else unknown(c, 'constraints');
    }
  };

  let statusXml: string | undefined;
  for (const section of elements(root)) {
    if (section.tagName === 'status') { statusXml = new XMLSerializer().serializeToString(section); continue; }
    if (section.tagName !== 'configuration') { unknown(section, 'cib'); continue; }
    for (const part of elements(section)) {
      switch (part.tagName) {
        case 'crm_config':
          for (const s of elements(part)) {
            if (s.tagName === 'cluster_property_set') options.push({ kind: 'property', set: nvset(s), line: s.lineNumber });
            else unknown(s, 'crm_config');
          }
          break;
        case 'rsc_defaults':
        case 'op_defaults':
          for (const s of elements(part)) {
            if (s.tagName === 'meta_attributes') options.push({ kind: part.tagName, set: nvset(s), line: s.lineNumber });
            else unknown(s, part.tagName);
          }
          break;
        case 'nodes':
          for (const n of elements(part)) {
            if (n.tagName !== 'node') { unknown(n, 'nodes'); continue; }
            const sets = elements(n).filter((c) => isSet(c.tagName)).map(nvset);
            nodes.push({
              kind: 'node', id: attr(n, 'id') ?? '', uname: attr(n, 'uname') ?? attr(n, 'id') ?? '', ...opt(n, 'type', 'type'),
              ...opt(n, 'description', 'description'), sets, line: n.lineNumber,
            });
          }
          break;
        case 'resources':
          for (const r of elements(part)) readResource(r);
          break;
        case 'constraints':
          for (const c of elements(part)) readConstraint(c);
          break;
        default:
          if (UNSUPPORTED_SECTIONS[part.tagName]) unsupported(part, UNSUPPORTED_SECTIONS[part.tagName]!);
          else unknown(part, 'configuration');
      }
    }
  }
  return { config: { nodes, resources, constraints, options }, cibAttributes, ...(statusXml !== undefined ? { statusXml } : {}), diagnostics };
}
