// The diff between two CIBs as an ElemPatch, and its application on a replica: the DC sends only what
// changed, a replica that cannot apply it (a kept child it does not have) reports why and asks for a full sync.
import { getAttr, type XEl } from '../xml-lite.js';
import type { ElemPatch, KidPatch } from './types.js';
import { sameTree } from './tree.js';

/** Keys of an element's children: `tag#id#n` for the n-th child with that tag and id, `tag@n` for id-less ones. */
function kidKeys(kids: readonly XEl[]): string[] {
  const seen = new Map<string, number>();
  return kids.map((k) => {
    const id = getAttr(k, 'id');
    const base = id === undefined ? `${k.tagName}@` : `${k.tagName}#${id}#`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}${n}`;
  });
}

const sameAttrs = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** What turns `a` into `b` (both with the same tag); undefined when they are equal. */
export function diffTrees(a: XEl, b: XEl): ElemPatch | undefined {
  if (a === b) return undefined;
  const attrs = sameAttrs(a.attrs, b.attrs) ? undefined : b.attrs;
  const oldKeys = kidKeys(a.kids);
  const newKeys = kidKeys(b.kids);
  const oldByKey = new Map(oldKeys.map((k, i) => [k, a.kids[i]!]));
  let kidsChanged = oldKeys.length !== newKeys.length || oldKeys.some((k, i) => k !== newKeys[i]);
  const oldIndex = new Map(oldKeys.map((k, i) => [k, i]));
  const kids: KidPatch[] = [];
  b.kids.forEach((nk, i) => {
    const key = newKeys[i]!;
    const ok = oldByKey.get(key);
    if (!ok || ok.tagName !== nk.tagName) { kidsChanged = true; kids.push({ add: nk }); return; }
    if (ok === nk || sameTree(ok, nk)) {
      // Unchanged children that follow each other in the old list too are sent as one run.
      const prev = kids[kids.length - 1];
      if (prev && 'run' in prev && oldIndex.get(prev.run)! + prev.count === oldIndex.get(key)) kids[kids.length - 1] = { run: prev.run, count: prev.count + 1 };
      else kids.push({ run: key, count: 1 });
      return;
    }
    kidsChanged = true;
    const sub = diffTrees(ok, nk);
    kids.push(sub ? { keep: key, patch: sub } : { keep: key });
  });
  if (!attrs && !kidsChanged) return undefined;
  return { ...(attrs ? { attrs } : {}), ...(kidsChanged ? { kids } : {}) };
}

/** Applies a patch made by diffTrees; a string says which kept element the tree lacks (the replica must resync). */
export function applyPatch(a: XEl, p: ElemPatch, where = `<${a.tagName}>`): XEl | string {
  let kids = a.kids;
  if (p.kids) {
    const keys = kidKeys(a.kids);
    const byKey = new Map(keys.map((k, i) => [k, a.kids[i]!]));
    const out: XEl[] = [];
    for (const kp of p.kids) {
      if ('add' in kp) { out.push(kp.add); continue; }
      if ('run' in kp) {
        const i = keys.indexOf(kp.run);
        if (i < 0 || !Number.isInteger(kp.count) || kp.count < 1 || i + kp.count > a.kids.length) return `${where} has no run of ${kp.count} children from ${kp.run}`;
        out.push(...a.kids.slice(i, i + kp.count));
        continue;
      }
      const old = byKey.get(kp.keep);
      if (!old) return `${where} has no child ${kp.keep}`;
      if (kp.patch) {
        const r = applyPatch(old, kp.patch, `${where}/${kp.keep}`);
        if (typeof r === 'string') return r;
        out.push(r);
      } else out.push(old);
    }
    kids = out;
  }
  return { tagName: a.tagName, attrs: p.attrs ?? a.attrs, kids };
}

/** Pacemaker's is_config_change: true when anything under `<configuration>` changed (root attributes and status do not count). */
export function configurationChanged(a: XEl, b: XEl): boolean {
  const conf = (e: XEl) => e.kids.filter((k) => k.tagName === 'configuration');
  const ca = conf(a);
  const cb = conf(b);
  return ca.length !== cb.length || ca.some((k, i) => !sameTree(k, cb[i]!));
}
