// The CIB operations of CibRequest on an immutable tree, with the semantics of Pacemaker's cib_ops.c
// (query, replace, modify, create, delete; section or xpath scope). Versions and validation are the store's job.
import { getAttr, parseXml, type XEl } from '../xml-lite.js';
import type { CibRequest } from '../contract.js';
import { CIB_RC } from './types.js';
import {
  at, el, printXml, SECTION_OF_TAG, sectionPath, updateAt, withAttrs, withKids, SECTIONS, type IndexPath,
} from './tree.js';
import { compareVersions, formatVersion, versionOf } from './version.js';
import { selectXpath } from './xpath.js';

/** An operation's result: the new tree (the same object when nothing changed) and a query's XML, or a failure. */
export type OpOutcome =
  | { readonly ok: true; readonly cib: XEl; readonly xml?: string }
  | { readonly ok: false; readonly rc: number; readonly error: string };

const fail = (rc: number, error: string): OpOutcome => ({ ok: false, rc, error });

/** Parses the request's XML input; a failure names why. */
function input(xml: string | undefined): XEl | string {
  if (xml === undefined || xml.trim() === '') return 'no XML input given';
  const r = parseXml(xml);
  return r.ok ? r.root : `the input is not well-formed XML: ${r.reason}`;
}

/** Pacemaker's expand_plus_plus: `value="name++"` and `value="name+=N"` increment the current value. */
function expandValue(name: string, value: string, current: string | undefined): string {
  if (!value.startsWith(name)) return value;
  const rest = value.slice(name.length);
  const cur = current !== undefined && /^-?\d+$/.test(current) ? parseInt(current, 10) : 0;
  if (rest === '++') return String(cur + 1);
  const m = /^\+=(-?\d+)$/.exec(rest);
  return m ? String(cur + parseInt(m[1]!, 10)) : value;
}

/** Pacemaker's add_xml_object: the update's attributes onto the target, its children merged into same tag+id children or added. */
export function mergeInto(target: XEl, update: XEl): XEl {
  const changes: Record<string, string> = {};
  for (let i = 0; i < update.attrs.length; i += 2) {
    const name = update.attrs[i]!;
    changes[name] = expandValue(name, update.attrs[i + 1]!, getAttr(target, name));
  }
  let out = withAttrs(target, changes);
  if (update.kids.length) {
    const kids = out.kids.slice();
    for (const u of update.kids) {
      const id = getAttr(u, 'id');
      const i = kids.findIndex((k) => k.tagName === u.tagName && getAttr(k, 'id') === id);
      if (i >= 0) kids[i] = mergeInto(kids[i]!, u); else kids.push(u);
    }
    out = withKids(out, kids);
  }
  return out;
}

/** The first element (depth first, `root` included) with the update's tag and id; ids compare as Pacemaker's (both absent matches). */
function firstMatch(root: XEl, tag: string, id: string | undefined, pred: (e: XEl) => boolean = () => true): number[] | undefined {
  // Depth first without building paths on the way: a status section holds ~10^5 elements.
  const found = (e: XEl): number[] | undefined => {
    if (e.tagName === tag && getAttr(e, 'id') === id && pred(e)) return [];
    for (let i = 0; i < e.kids.length; i++) {
      const p = found(e.kids[i]!);
      if (p) { p.unshift(i); return p; }
    }
    return undefined;
  };
  return found(root);
}

/** Resolves the scope of a request: the section's element path (created when missing for changes) or the whole CIB. */
function scope(cib: XEl, section: string | undefined, create: boolean): { cib: XEl; path: number[] } | string {
  const name = section ?? 'cib';
  if (!(name in SECTIONS)) return `unknown section "${name}" (expected one of ${Object.keys(SECTIONS).join(', ')})`;
  const s = sectionPath(cib, name, create);
  return s ? { cib: s.root, path: s.path } : `section ${name} is not present in the CIB`;
}

const join = (a: IndexPath, b: IndexPath): number[] => [...a, ...b];

function query(cib: XEl, req: Extract<CibRequest, { cmd: 'cib_query' }>): OpOutcome {
  if (req.xpath !== undefined) {
    const paths = selectXpath(cib, req.xpath);
    if (typeof paths === 'string') return fail(CIB_RC.SOFTWARE, `invalid xpath ${req.xpath}: ${paths}`);
    if (paths.length === 0) return fail(CIB_RC.NOSUCH, `No such device or address: ${req.xpath} does not exist`);
    if (paths.length === 1) return { ok: true, cib, xml: printXml(at(cib, paths[0]!)!) };
    return { ok: true, cib, xml: printXml(el('xpath-query', [], paths.map((p) => at(cib, p)!))) };
  }
  const s = scope(cib, req.section, false);
  if (typeof s === 'string') return fail(CIB_RC.NOSUCH, `No such device or address: ${s}`);
  return { ok: true, cib, xml: printXml(at(cib, s.path)!) };
}

function replaceWhole(cib: XEl, repl: XEl): OpOutcome {
  const cur = versionOf(cib);
  const next = versionOf(repl);
  // Pacemaker's cib_process_replace: a replacement older in any counter is refused as old data.
  if (compareVersions(next, cur) < 0) {
    const which = next.adminEpoch < cur.adminEpoch ? 'admin_epoch' : next.epoch < cur.epoch ? 'epoch' : 'num_updates';
    return fail(CIB_RC.OLD, `Update was older than existing configuration: the replacement is version ${formatVersion(next)}, ` +
      `the cluster's CIB is ${formatVersion(cur)} (current ${which} is greater); re-read the CIB and edit again`);
  }
  // The status section belongs to the cluster: a replacement without one keeps the live status.
  if (!repl.kids.some((k) => k.tagName === 'status')) {
    const status = cib.kids.find((k) => k.tagName === 'status');
    if (status) return { ok: true, cib: withKids(repl, [...repl.kids, status]) };
  }
  return { ok: true, cib: repl };
}

function replace(cib: XEl, req: Extract<CibRequest, { cmd: 'cib_replace' }>): OpOutcome {
  const repl = input(req.xml);
  if (typeof repl === 'string') return fail(CIB_RC.DATAERR, repl);
  if (repl.tagName === 'cib' && (req.section === undefined || req.section === 'cib')) return replaceWhole(cib, repl);
  const s = scope(cib, req.section, true);
  if (typeof s === 'string') return fail(CIB_RC.NOSUCH, `No such device or address: ${s}`);
  const p = firstMatch(at(s.cib, s.path)!, repl.tagName, getAttr(repl, 'id'));
  if (!p) return fail(CIB_RC.NOSUCH, `No such device or address: no <${repl.tagName}${idText(repl)}> in ${req.section ?? 'the CIB'} to replace`);
  return { ok: true, cib: updateAt(s.cib, join(s.path, p), () => repl)! };
}

const idText = (e: XEl) => { const id = getAttr(e, 'id'); return id === undefined ? '' : ` id="${id}"`; };

function modify(cib: XEl, req: Extract<CibRequest, { cmd: 'cib_modify' }>): OpOutcome {
  const upd = input(req.xml);
  if (typeof upd === 'string') return fail(CIB_RC.DATAERR, upd);
  const s = scope(cib, upd.tagName === 'cib' ? undefined : req.section, true);
  if (typeof s === 'string') return fail(CIB_RC.NOSUCH, `No such device or address: ${s}`);
  const p = firstMatch(at(s.cib, s.path)!, upd.tagName, getAttr(upd, 'id'));
  if (!p) return fail(CIB_RC.NOSUCH, `No such device or address: no <${upd.tagName}${idText(upd)}> in ${req.section ?? 'the CIB'} to modify`);
  return { ok: true, cib: updateAt(s.cib, join(s.path, p), (e) => mergeInto(e, upd))! };
}

function create(cib: XEl, req: Extract<CibRequest, { cmd: 'cib_create' }>): OpOutcome {
  const obj = input(req.xml);
  if (typeof obj === 'string') return fail(CIB_RC.DATAERR, obj);
  const section = req.section === 'cib' || obj.tagName === 'cib' ? undefined : req.section ?? SECTION_OF_TAG[obj.tagName];
  // Without a section Pacemaker's create is a modify of the whole CIB.
  if (section === undefined) return modify(cib, { cmd: 'cib_modify', xml: req.xml });
  const s = scope(cib, section, true);
  if (typeof s === 'string') return fail(CIB_RC.NOSUCH, `No such device or address: ${s}`);
  const objs = obj.tagName === at(s.cib, s.path)!.tagName ? obj.kids : [obj];
  let root = s.cib;
  for (const o of objs) {
    const id = getAttr(o, 'id');
    const parent = at(root, s.path)!;
    if (parent.kids.some((k) => k.tagName === o.tagName && getAttr(k, 'id') === id)) {
      return fail(CIB_RC.EXISTS, `Requested item already exists: <${o.tagName}${idText(o)}> is already in ${section}`);
    }
    root = updateAt(root, s.path, (e) => withKids(e, [...e.kids, o]))!;
  }
  return { ok: true, cib: root };
}

function remove(cib: XEl, req: Extract<CibRequest, { cmd: 'cib_delete' }>): OpOutcome {
  if (req.xpath !== undefined) {
    const paths = selectXpath(cib, req.xpath);
    if (typeof paths === 'string') return fail(CIB_RC.SOFTWARE, `invalid xpath ${req.xpath}: ${paths}`);
    // Pacemaker: an xpath that matches nothing "was already removed"; without --allow-multiple only the first goes.
    if (paths.length === 0) return { ok: true, cib };
    if (paths[0]!.length === 0) return fail(CIB_RC.SOFTWARE, `Invalid argument: ${req.xpath} addresses the whole /cib`);
    return { ok: true, cib: updateAt(cib, paths[0]!, () => undefined)! };
  }
  const obj = input(req.xml);
  if (typeof obj === 'string') return fail(CIB_RC.DATAERR, obj);
  const s = scope(cib, req.section, false);
  if (typeof s === 'string') return { ok: true, cib }; // nothing there to delete
  // replace_xml_child(delete_only): the first element with the tag and id whose attributes include all the input's.
  const matchesAll = (e: XEl) => {
    for (let i = 0; i < obj.attrs.length; i += 2) if (getAttr(e, obj.attrs[i]!) !== obj.attrs[i + 1]) return false;
    return true;
  };
  const p = firstMatch(at(s.cib, s.path)!, obj.tagName, getAttr(obj, 'id'), matchesAll);
  if (!p) return { ok: true, cib };
  const full = join(s.path, p);
  if (full.length === 0) return fail(CIB_RC.SOFTWARE, 'Invalid argument: cannot delete the whole <cib>');
  return { ok: true, cib: updateAt(s.cib, full, () => undefined)! };
}

/** Applies one request to `cib`. Never throws: malformed input is a failure with cibadmin's exit code. */
export function applyRequest(cib: XEl, req: CibRequest): OpOutcome {
  switch (req.cmd) {
    case 'cib_query': return query(cib, req);
    case 'cib_replace': return replace(cib, req);
    case 'cib_modify': return modify(cib, req);
    case 'cib_create': return create(cib, req);
    case 'cib_delete': return remove(cib, req);
    default: return fail(CIB_RC.PROTOCOL, `unknown CIB request ${(req as { cmd?: unknown }).cmd as string}`);
  }
}
