// Immutable edits of a CIB held as xml-lite elements, its two printed forms (cibadmin's indented one, and the
// unformatted one Pacemaker digests) and the sections operators name with `-o`/`--scope`.
import { createHash } from 'node:crypto';
import type { XEl } from '../xml-lite.js';
import { escapeAttr } from '../lang/to-xml.js';

/** An element path as child indices from the root (`[]` is the root itself). */
export type IndexPath = readonly number[];

/** Pacemaker's section names (cibadmin `-o`) and where each lives under `<cib>`. */
export const SECTIONS: Readonly<Record<string, readonly string[]>> = {
  cib: [],
  configuration: ['configuration'],
  status: ['status'],
  nodes: ['configuration', 'nodes'],
  resources: ['configuration', 'resources'],
  constraints: ['configuration', 'constraints'],
  crm_config: ['configuration', 'crm_config'],
  rsc_defaults: ['configuration', 'rsc_defaults'],
  op_defaults: ['configuration', 'op_defaults'],
  acls: ['configuration', 'acls'],
  alerts: ['configuration', 'alerts'],
  fencing_topology: ['configuration', 'fencing-topology'],
  'fencing-topology': ['configuration', 'fencing-topology'],
  tags: ['configuration', 'tags'],
};

/** The section an element created without `-o` belongs to, by its tag (cibadmin -C guesses nothing; we do for these). */
export const SECTION_OF_TAG: Readonly<Record<string, string>> = {
  primitive: 'resources', group: 'resources', clone: 'resources', master: 'resources', bundle: 'resources', template: 'resources',
  rsc_location: 'constraints', rsc_colocation: 'constraints', rsc_order: 'constraints', rsc_ticket: 'constraints',
  node: 'nodes', cluster_property_set: 'crm_config', node_state: 'status',
};

export const el = (tagName: string, attrs: readonly string[] = [], kids: readonly XEl[] = []): XEl => ({ tagName, attrs, kids });

/** A copy of `e` with attributes set (a string) or removed (undefined), keeping the order of those it had. */
export function withAttrs(e: XEl, changes: Readonly<Record<string, string | undefined>>): XEl {
  const out: string[] = [];
  const done = new Set<string>();
  for (let i = 0; i < e.attrs.length; i += 2) {
    const name = e.attrs[i]!;
    if (name in changes) {
      done.add(name);
      const v = changes[name];
      if (v !== undefined) out.push(name, v);
    } else out.push(name, e.attrs[i + 1]!);
  }
  for (const [name, v] of Object.entries(changes)) if (!done.has(name) && v !== undefined) out.push(name, v);
  return { tagName: e.tagName, attrs: out, kids: e.kids };
}

export const withKids = (e: XEl, kids: readonly XEl[]): XEl => ({ tagName: e.tagName, attrs: e.attrs, kids });

/** The element at `path`, or undefined. */
export function at(root: XEl, path: IndexPath): XEl | undefined {
  let e: XEl | undefined = root;
  for (const i of path) e = e?.kids[i];
  return e;
}

/** Rebuilds the spine from the root to `path`, replacing the element there by `fn`'s result (undefined deletes it). */
export function updateAt(root: XEl, path: IndexPath, fn: (e: XEl) => XEl | undefined): XEl | undefined {
  if (path.length === 0) return fn(root);
  const [i, ...rest] = path as [number, ...number[]];
  const kid = root.kids[i];
  if (!kid) return root;
  const next = updateAt(kid, rest, fn);
  const kids = root.kids.slice();
  if (next === undefined) kids.splice(i, 1); else kids[i] = next;
  return withKids(root, kids);
}

/** Finds (and with `create` makes) the element of a section; returns the new root and the section's path. */
export function sectionPath(root: XEl, section: string, create: boolean): { root: XEl; path: number[] } | undefined {
  const steps = SECTIONS[section];
  if (!steps) return undefined;
  let cur = root;
  const path: number[] = [];
  for (const tag of steps) {
    const parent = at(cur, path)!;
    let i = parent.kids.findIndex((k) => k.tagName === tag);
    if (i < 0) {
      if (!create) return undefined;
      i = parent.kids.length;
      cur = updateAt(cur, path, (p) => withKids(p, [...p.kids, el(tag)]))!;
    }
    path.push(i);
  }
  return { root: cur, path };
}

/** Indented XML, two spaces per level, the layout `cibadmin -Q` prints and cib.xml holds. */
export function printXml(e: XEl, indent = ''): string {
  const out: string[] = [];
  const rec = (x: XEl, ind: string) => {
    let a = '';
    for (let i = 0; i < x.attrs.length; i += 2) a += ` ${x.attrs[i]}="${escapeAttr(x.attrs[i + 1]!)}"`;
    if (x.kids.length === 0) { out.push(`${ind}<${x.tagName}${a}/>\n`); return; }
    out.push(`${ind}<${x.tagName}${a}>\n`);
    for (const k of x.kids) rec(k, `${ind}  `);
    out.push(`${ind}</${x.tagName}>\n`);
  };
  rec(e, indent);
  return out.join('');
}

/** Pacemaker's crm_xml_escape for digests: entities for <>"'&, tabs as four spaces, CR/LF as \r \n, other control characters in octal. */
function digestEscape(v: string): string {
  return v.replace(/[<>"'&\t\n\r\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&apos;';
      case '&': return '&amp;';
      case '\t': return '    ';
      case '\n': return '\\n';
      case '\r': return '\\r';
      default: return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
    }
  });
}

/** The unformatted dump Pacemaker's v1 digest reads: `<a x="1"><b/></a>`, no whitespace between elements. */
export function unformatted(e: XEl): string {
  const out: string[] = [];
  const rec = (x: XEl) => {
    out.push(`<${x.tagName}`);
    for (let i = 0; i < x.attrs.length; i += 2) out.push(` ${x.attrs[i]}="${digestEscape(x.attrs[i + 1]!)}"`);
    if (x.kids.length === 0) { out.push('/>'); return; }
    out.push('>');
    for (const k of x.kids) rec(k);
    out.push(`</${x.tagName}>`);
  };
  rec(e);
  return out.join('');
}

/** The on-disk digest of cib.xml.sig (calculate_on_disk_digest: MD5 of " " + unformatted XML + "\n", lowercase hex). */
export function onDiskDigest(e: XEl): string {
  return createHash('md5').update(` ${unformatted(e)}\n`).digest('hex');
}

/** Structural equality of two trees (attributes in order, children in order). */
export function sameTree(a: XEl, b: XEl): boolean {
  if (a === b) return true;
  if (a.tagName !== b.tagName || a.attrs.length !== b.attrs.length || a.kids.length !== b.kids.length) return false;
  for (let i = 0; i < a.attrs.length; i++) if (a.attrs[i] !== b.attrs[i]) return false;
  for (let i = 0; i < a.kids.length; i++) if (!sameTree(a.kids[i]!, b.kids[i]!)) return false;
  return true;
}

const hashes = new WeakMap<XEl, string>();

/**
 * A Merkle hash of a tree (SHA-1 over the tag, attributes and children's hashes), memoized per element: trees are
 * immutable and share unchanged subtrees, so after a change only the path to it is hashed again. Replicas compare
 * these to know they hold the same CIB; the on-disk digest (MD5, Pacemaker's) is computed only when writing.
 */
export function treeHash(e: XEl): string {
  let h = hashes.get(e);
  if (h !== undefined) return h;
  const sha = createHash('sha1');
  sha.update(`<${e.tagName}`);
  for (const a of e.attrs) sha.update(`\0${a}`);
  sha.update(`\0${e.kids.length}>`);
  for (const k of e.kids) sha.update(treeHash(k));
  h = sha.digest('hex');
  hashes.set(e, h);
  return h;
}
