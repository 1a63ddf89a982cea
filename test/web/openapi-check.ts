// Checks an answer against docs/openapi.json: the path, method and status must be documented, and the JSON body
// must fit the documented schema (the subset the file uses: type, required, properties, items, enum, $ref).
import { readFileSync } from 'node:fs';

type Schema = { $ref?: string; type?: string | string[]; required?: string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

export function loadOpenApi(file = 'docs/openapi.json'): Doc {
  return JSON.parse(readFileSync(file, 'utf8')) as Doc;
}

function resolve(doc: Doc, s: { $ref?: string }): Doc {
  let x: Doc = s;
  while (x && x.$ref) x = x.$ref.slice(2).split('/').reduce((o: Doc, k: string) => o?.[k], doc);
  return x;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The problems of `v` against `s` (empty when it fits), each with its JSON path. */
export function schemaProblems(doc: Doc, s0: Schema, v: unknown, at = '$'): string[] {
  const s = resolve(doc, s0) as Schema;
  const out: string[] = [];
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: expected ${types.join('|')}, found ${t}`];
  }
  if (s.enum && !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) out.push(`${at}: missing ${r}`);
    for (const [k, ps] of Object.entries(s.properties ?? {})) if (k in o) out.push(...schemaProblems(doc, ps, o[k], `${at}.${k}`));
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => out.push(...schemaProblems(doc, s.items!, x, `${at}[${i}]`)));
  return out;
}

/** The problems of one answer: undocumented path/method/status, or a body that does not fit. */
export function contractProblems(doc: Doc, method: string, path: string, status: number, body: unknown): string[] {
  const templ = Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  if (!templ) return [`${path}: not in the OpenAPI file`];
  const op = doc.paths[templ][method.toLowerCase()];
  if (!op) return [`${method} ${templ}: not in the OpenAPI file`];
  const resp = op.responses[String(status)] ? resolve(doc, op.responses[String(status)]) : undefined;
  if (!resp) return [`${method} ${templ}: status ${status} not documented`];
  const schema = resp.content?.['application/json']?.schema;
  return schema ? schemaProblems(doc, schema, body) : [];
}
