// The XPath subset cibadmin users write (`-A`/`--xpath`): absolute and `//` steps, `*`, and predicates on
// attributes (`[@id='x']`, `[@id]`, joined by `and`) or position (`[2]`). Anything else is refused, never guessed.
import { getAttr, type XEl } from '../xml-lite.js';
import type { IndexPath } from './tree.js';

type Pred = { kind: 'attr'; name: string; value?: string } | { kind: 'pos'; n: number };
interface Step { readonly descendant: boolean; readonly name: string; readonly preds: readonly Pred[] }

/** Parses an expression; a string is the reason it is outside the subset. */
export function parseXpath(expr: string): Step[] | string {
  const steps: Step[] = [];
  let i = 0;
  const s = expr.trim();
  if (!s.startsWith('/')) return 'only absolute paths (starting with / or //) are supported';
  while (i < s.length) {
    let descendant = false;
    if (s.startsWith('//', i)) { descendant = true; i += 2; } else if (s[i] === '/') i += 1; else return `unexpected "${s.slice(i)}"`;
    const m = /^(\*|[A-Za-z_][\w.-]*)/.exec(s.slice(i));
    if (!m) return `expected an element name at "${s.slice(i)}"`;
    i += m[0].length;
    const preds: Pred[] = [];
    while (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) return 'unterminated [';
      const body = s.slice(i + 1, close).trim();
      for (const part of body.split(/\s+and\s+/)) {
        const a = /^@([\w.:-]+)\s*(?:=\s*(?:'([^']*)'|"([^"]*)"))?$/.exec(part.trim());
        const p = /^(\d+)$/.exec(part.trim());
        if (a) preds.push(a[2] !== undefined || a[3] !== undefined ? { kind: 'attr', name: a[1]!, value: a[2] ?? a[3]! } : { kind: 'attr', name: a[1]! });
        else if (p && Number(p[1]) >= 1) preds.push({ kind: 'pos', n: Number(p[1]) });
        else return `predicate [${body}] is outside the supported subset ([@name], [@name='value'], [N], joined by "and")`;
      }
      i = close + 1;
    }
    steps.push({ descendant, name: m[1]!, preds });
  }
  return steps;
}

/** Applies a step's predicates to the candidates it matched under one parent, in document order. */
function filter(cands: Array<[XEl, number[]]>, preds: readonly Pred[]): Array<[XEl, number[]]> {
  let out = cands;
  for (const p of preds) {
    out = p.kind === 'pos'
      ? (out[p.n - 1] ? [out[p.n - 1]!] : [])
      : out.filter(([e]) => { const v = getAttr(e, p.name); return v !== undefined && (p.value === undefined || v === p.value); });
  }
  return out;
}

/** Paths of the elements an expression selects in `root` (the `<cib>` element), in document order. */
export function selectXpath(root: XEl, expr: string): IndexPath[] | string {
  const steps = parseXpath(expr);
  if (typeof steps === 'string') return steps;
  // The context starts at a virtual document node whose only child is the root.
  let ctx: Array<[XEl, number[] | null]> = [[{ tagName: '#document', attrs: [], kids: [root] }, null]];
  for (const step of steps) {
    const next: Array<[XEl, number[]]> = [];
    const seen = new Set<string>();
    const matches = (e: XEl) => step.name === '*' || e.tagName === step.name;
    for (const [e, p] of ctx) {
      const childPath = (i: number) => (p === null ? [] : [...p, i]);
      if (!step.descendant) {
        const c: Array<[XEl, number[]]> = [];
        e.kids.forEach((k, i) => { if (matches(k)) c.push([k, childPath(i)]); });
        for (const r of filter(c, step.preds)) { const key = r[1].join('/'); if (!seen.has(key)) { seen.add(key); next.push(r); } }
      } else {
        // descendant-or-self::node()/child::name — positions count per parent, as XPath does.
        const visit = (x: XEl, xp: number[] | null) => {
          const c: Array<[XEl, number[]]> = [];
          x.kids.forEach((k, i) => { if (matches(k)) c.push([k, xp === null ? [] : [...xp, i]]); });
          for (const r of filter(c, step.preds)) { const key = r[1].join('/'); if (!seen.has(key)) { seen.add(key); next.push(r); } }
          x.kids.forEach((k, i) => visit(k, xp === null ? [] : [...xp, i]));
        };
        visit(e, p);
      }
    }
    ctx = next;
  }
  const out = ctx.map(([, p]) => p as number[]);
  out.sort((a, b) => { for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!; return a.length - b.length; });
  return out;
}
