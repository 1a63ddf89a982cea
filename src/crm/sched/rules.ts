// Rule expressions evaluated against node attributes, and Pacemaker's operation parameter digest.
// Pure helpers of the model stage and of unsupportedFeatures().
import { createHash } from 'node:crypto';
import type { LocationRule } from '../cib.js';

/** Evaluates a rule's expressions against a node's attributes. */
export function ruleMatches(rule: LocationRule, attrs: Map<string, string>): boolean {
  if (rule.exprs.length === 0) return true;
  const res = rule.exprs.map((e) => {
    const v = attrs.get(e.attribute);
    switch (e.operation) {
      case 'defined': return v !== undefined;
      case 'not_defined': return v === undefined;
    }
    if (v === undefined || e.value === undefined) return e.operation === 'ne' && v === undefined ? false : false;
    let c: number;
    let type = e.type;
    if (!type) type = ['lt', 'lte', 'gt', 'gte'].includes(e.operation) ? ((v.includes('.') || e.value.includes('.')) ? 'number' : 'integer') : 'string';
    if (type === 'integer' || type === 'number') {
      // strtoll / strtod semantics: leading number, rest ignored; unparsable falls back to a string compare.
      const num = (x: string) => (type === 'integer' ? parseInt(x, 10) : parseFloat(x));
      const a = num(v), b = num(e.value);
      if (Number.isNaN(a) || Number.isNaN(b)) c = v < e.value ? -1 : v > e.value ? 1 : 0;
      else c = a < b ? -1 : a > b ? 1 : 0;
    } else if (type === 'version') {
      const pa = v.split('.').map(Number), pb = e.value.split('.').map(Number);
      c = 0;
      for (let i = 0; i < Math.max(pa.length, pb.length) && c === 0; i++) c = Math.sign((pa[i] ?? 0) - (pb[i] ?? 0));
    } else {
      const a = v.toLowerCase(), b = e.value.toLowerCase();
      c = a < b ? -1 : a > b ? 1 : 0;
    }
    switch (e.operation) {
      case 'eq': return c === 0;
      case 'ne': return c !== 0;
      case 'lt': return c < 0;
      case 'gt': return c > 0;
      case 'lte': return c <= 0;
      case 'gte': return c >= 0;
      default: return false;
    }
  });
  return rule.booleanOp === 'or' ? res.some(Boolean) : res.every(Boolean);
}

/** Pacemaker's parameter digest: md5 of `" <parameters a="x" b="y"/>\n"` with names sorted (non-recurring ops). */
export function paramsDigest(params: ReadonlyMap<string, string>): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const attrs = [...params].filter(([k]) => !k.startsWith('CRM_meta_')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return createHash('md5').update(` <parameters${attrs}/>\n`).digest('hex');
}
