// Parses crm configure text (crmsh syntax) into the typed configuration model, with crmsh's generated ids.
// One handler per statement keyword; every problem becomes a diagnostic with file and line, never a throw.

import { diag, type Code, type Diagnostic } from '../../errors.js';
import { IdAllocator } from './ids.js';
import { lex, type Statement, type Token } from './lexer.js';
import type {
  Clone, Colocation, CrmConfig, CrmNode, Expression, Group, Location, NvPair, NvSet, NvSetTag, Op, OptionSet,
  Order, Primitive, Resource, ResourceSet, Rule,
} from './model.js';
import { LEGACY_META, modernOpAttr, type LegacySpelling } from './legacy.js';
import { BINARY_OPS, EXPR_TYPES, matchEnum, normaliseScore, ORDER_ACTIONS, ORDER_KINDS, ROLES } from './values.js';

/** What `parseCrm` returns: the configuration read so far and every problem found, errors and warnings. */
export interface ParseResult {
  readonly config: CrmConfig;
  readonly diagnostics: Diagnostic[];
}

/** Options of `parseCrm`. */
export interface ParseOptions {
  /** File name used in diagnostics. */
  readonly file: string;
  /** Ids already present in the CIB the text is loaded into, so generated ids do not collide with them. */
  readonly reservedIds?: Iterable<string>;
}

/** Statement keywords crmsh knows but Lifeline's scheduler does not implement: refused with LL_CRM_UNSUPPORTED. */
export const UNSUPPORTED_STATEMENTS: Readonly<Record<string, string>> = {
  ms: 'a master/slave (promotable) resource ("ms")',
  rsc_template: 'a resource template ("rsc_template")',
  bundle: 'a bundle',
  tag: 'a tag',
  fencing_topology: 'fencing topology',
  acl_target: 'an ACL ("acl_target")',
  user: 'an ACL user',
  role: 'an ACL role',
  rsc_ticket: 'a ticket constraint ("rsc_ticket")',
  alert: 'an alert',
  template: 'a template',
};

/** Attributes an `op` element itself carries; any other `name=value` after `op` is an agent parameter (crmsh). */
export const OP_ATTRIBUTES = new Set([
  'interval', 'timeout', 'on-fail', 'start-delay', 'enabled', 'role', 'requires', 'record-pending',
  'interval-origin', 'description',
]);

/** Agent classes Pacemaker knows; a bare type means ocf:heartbeat:TYPE. */
export const AGENT_CLASSES = ['ocf', 'lsb', 'service', 'systemd', 'stonith', 'nagios', 'upstart', 'heartbeat'] as const;

/** Node types of the pacemaker-3 schema; crmsh's older `normal` is the default and written as no type. */
const NODE_TYPES = ['member', 'ping', 'remote'];

type Handler = (p: StatementParser) => void;

/** The keyword table: one place per statement, so the language is visible at a glance (keepalived style). */
const HANDLERS: Readonly<Record<string, Handler>> = {
  node: (p) => p.node(),
  primitive: (p) => p.primitive(),
  group: (p) => p.group(),
  clone: (p) => p.clone(),
  location: (p) => p.location(),
  colocation: (p) => p.colocation(),
  collocation: (p) => p.colocation(),
  order: (p) => p.order(),
  property: (p) => p.optionSet('property'),
  rsc_defaults: (p) => p.optionSet('rsc_defaults'),
  op_defaults: (p) => p.optionSet('op_defaults'),
};

/** Words that end an attribute list inside a primitive/group/clone/node statement. */
const SECTION_WORDS = new Set(['params', 'meta', 'utilization', 'op', 'op_params', 'op_meta', 'attributes']);

/** Mutable builder state shared by the statement handlers of one parse. */
interface Builder {
  readonly file: string;
  readonly ids: IdAllocator;
  readonly diagnostics: Diagnostic[];
  readonly nodes: CrmNode[];
  readonly resources: Resource[];
  readonly constraints: Array<Location | Colocation | Order>;
  readonly options: OptionSet[];
}

/**
 * Parses crm configure text. Returns the model (best effort: statements with errors are kept where their
 * shape is known, so later checks still see them) and all diagnostics, in input order.
 */
export function parseCrm(text: string, opts: ParseOptions): ParseResult {
  const { statements, problems } = lex(text);
  const b: Builder = {
    file: opts.file, ids: new IdAllocator(opts.reservedIds ?? []), diagnostics: [],
    nodes: [], resources: [], constraints: [], options: [],
  };
  for (const pr of problems) b.diagnostics.push(diag('LL_CRM_SYNTAX', { what: pr.what }, { location: { file: opts.file, line: pr.line } }));
  // Ids written in the text are taken before any is generated, as crmsh resolves them against the whole input.
  for (const st of statements) {
    const kw = st.tokens[0]!.text;
    if (kw !== 'node' && st.tokens[1] && HANDLERS[kw] && !st.tokens[1].text.includes('=')) b.ids.reserve(st.tokens[1].text.replace(/:$/, ''));
    for (const t of st.tokens) if (t.text.startsWith('$id=')) b.ids.reserve(t.text.slice(4));
  }
  for (const st of statements) {
    const kw = st.tokens[0]!;
    const handler = HANDLERS[kw.text];
    if (handler) {
      handler(new StatementParser(b, st));
    } else if (UNSUPPORTED_STATEMENTS[kw.text]) {
      b.diagnostics.push(diag('LL_CRM_UNSUPPORTED', { what: UNSUPPORTED_STATEMENTS[kw.text]! },
        { location: { file: b.file, line: kw.line }, found: kw.text }));
    } else {
      b.diagnostics.push(diag('LL_CRM_UNKNOWN_KEYWORD', { keyword: kw.text }, {
        location: { file: b.file, line: kw.line }, found: kw.text,
        expected: `one of ${Object.keys(HANDLERS).filter((k) => k !== 'collocation').join(', ')}`,
      }));
    }
  }
  // crmsh creates primitives, then groups, then clones, whatever the statement order; the CIB keeps that order,
  // which matters because the scheduler breaks ties between equal resources by it.
  const rank = { primitive: 0, group: 1, clone: 2 } as const;
  const resources = b.resources.map((r, i) => [r, i] as const).sort(([a, i], [c, j]) => rank[a.kind] - rank[c.kind] || i - j).map(([r]) => r);
  return {
    config: { nodes: b.nodes, resources, constraints: b.constraints, options: b.options },
    diagnostics: b.diagnostics,
  };
}

/** Reads one statement token by token; handlers call its helpers and record objects in the builder. */
class StatementParser {
  private pos = 1;
  constructor(private readonly b: Builder, private readonly st: Statement) {}

  private peek(offset = 0): Token | undefined {
    return this.st.tokens[this.pos + offset];
  }

  private take(): Token | undefined {
    return this.st.tokens[this.pos++];
  }

  private get line(): number {
    return this.peek()?.line ?? this.st.tokens[this.st.tokens.length - 1]!.line;
  }

  private error(code: Code, vars: Record<string, string | number>, line: number, found?: string, expected?: string): void {
    this.b.diagnostics.push(diag(code, vars, {
      location: { file: this.b.file, line }, ...(found !== undefined ? { found } : {}), ...(expected !== undefined ? { expected } : {}),
    }));
  }

  private syntax(what: string, found?: Token, expected?: string): void {
    this.error('LL_CRM_SYNTAX', { what }, found?.line ?? this.line, found ? found.text : undefined, expected);
  }

  /** The object id after the keyword; reports and returns undefined when missing. */
  private objectId(what: string): Token | undefined {
    const t = this.take();
    if (!t) {
      this.syntax(`${this.st.tokens[0]!.text}: missing ${what} id`, undefined, `${this.st.tokens[0]!.text} ID …`);
      return undefined;
    }
    // A resource called `op` or `meta` could never be named in a group or clone: those lists end at section words.
    if ((what === 'resource' || what === 'group' || what === 'clone') && SECTION_WORDS.has(t.text)) {
      this.syntax(`${what} id "${t.text}" is a crm keyword and could not be referred to`, t, `${this.st.tokens[0]!.text} ID …, ID not one of ${[...SECTION_WORDS].join(', ')}`);
      return undefined;
    }
    return t;
  }

  /** `name=value` split at the first `=`; undefined when the token has no `=`. */
  private static nv(t: Token): [string, string] | undefined {
    const i = t.text.indexOf('=');
    if (i <= 0) return undefined;
    return [t.text.slice(0, i), t.text.slice(i + 1)];
  }

  /**
   * Reads `[$id=ID] name=value …` up to the next section word; builds an NvSet with crmsh's ids.
   * `owner` is the id prefix (`ip` → `ip-instance_attributes`).
   */
  private nvlist(tag: NvSetTag, owner: string, defaultSetId?: string): NvSet | undefined {
    let setId: string | undefined;
    const raw: Array<[string, string, number]> = [];
    while (this.peek()) {
      const t = this.peek()!;
      if (!t.quoted && (SECTION_WORDS.has(t.text) || t.text === 'rule')) break;
      if (t.text.startsWith('$id=') && setId === undefined && raw.length === 0) {
        setId = t.text.slice(4);
        this.take();
        continue;
      }
      if (t.text.startsWith('$id-ref=')) {
        this.error('LL_CRM_UNSUPPORTED', { what: 'an attribute-set reference ("$id-ref")' }, t.line, t.text);
        this.take();
        continue;
      }
      const kv = StatementParser.nv(t);
      if (!kv) break;
      raw.push([kv[0], kv[1], t.line]);
      this.take();
    }
    if (raw.length === 0 && setId === undefined) return undefined;
    const id = setId ?? (defaultSetId !== undefined && !this.b.ids.has(defaultSetId) ? this.b.ids.next(defaultSetId) : this.b.ids.next(`${owner}-${tag}`));
    return {
      tag, id, pairs: raw.map(([written, value, line]) => {
        // heartbeat 2's meta spellings (target_role …) are read as Pacemaker 1.0's upgrade renamed them.
        const name = tag === 'meta_attributes' ? LEGACY_META[written] ?? written : written;
        const legacy = name !== written ? { legacy: { written, read: name, line } } : {};
        return { id: this.b.ids.next(`${id}-${name}`), name, value, line, ...legacy };
      }),
    };
  }

  /** `description=` at a section boundary. */
  private description(): string | undefined {
    const t = this.peek();
    if (t && t.text.startsWith('description=')) {
      this.take();
      return t.text.slice('description='.length);
    }
    return undefined;
  }

  private trailing(what: string): void {
    const t = this.peek();
    if (t) this.syntax(`${what}: unexpected "${t.text}"`, t);
  }

  // --- node ---

  node(): void {
    let explicitId: string | undefined;
    if (this.peek()?.text.startsWith('$id=')) explicitId = this.take()!.text.slice(4);
    const first = this.objectId('node');
    if (!first) return;
    let id = explicitId;
    let uname = first.text;
    let type: string | undefined;
    if (uname.endsWith(':') && !first.quoted) {
      // `node ID: UNAME`, or `node UNAME: TYPE` when the next word is a node type (crmsh's `node n1: normal`).
      const next = this.peek();
      const head = uname.slice(0, -1);
      const after = this.peek(1);
      const afterIsSection = !after || SECTION_WORDS.has(after.text) || after.text.startsWith('description=');
      if (next && ['normal', ...NODE_TYPES].includes(next.text) && afterIsSection) {
        uname = head;
        type = next.text;
        this.take();
      } else if (next && !SECTION_WORDS.has(next.text)) {
        id = head;
        uname = this.take()!.text;
      } else {
        uname = head;
      }
    }
    const colon = uname.indexOf(':');
    if (colon > 0) {
      type = uname.slice(colon + 1);
      uname = uname.slice(0, colon);
    }
    if (type !== undefined) {
      if (type === 'normal') type = undefined;
      else if (!NODE_TYPES.includes(type)) this.error('LL_CRM_BAD_VALUE', { what: `node ${uname}`, name: 'type', value: type }, first.line, type, 'normal, member, ping or remote');
    }
    const sets: NvSet[] = [];
    let description = this.description();
    while (this.peek()) {
      const t = this.peek()!;
      if (t.text === 'attributes' || t.text === 'utilization') {
        this.take();
        const s = this.nvlist(t.text === 'attributes' ? 'instance_attributes' : 'utilization', uname);
        if (s) sets.push(s);
        else this.syntax(`node ${uname}: "${t.text}" needs name=value pairs`, t);
        continue;
      }
      const d = this.description();
      if (d !== undefined) { description = d; continue; }
      this.syntax(`node ${uname}: unexpected "${t.text}"`, t, 'attributes name=value … or utilization name=value …');
      break;
    }
    this.b.nodes.push({
      kind: 'node', id: id ?? uname, uname, ...(type ? { type } : {}), ...(description !== undefined ? { description } : {}),
      sets, line: this.st.line,
    });
  }

  // --- primitive ---

  primitive(): void {
    const idTok = this.objectId('resource');
    if (!idTok) return;
    const id = idTok.text;
    const agentTok = this.take();
    if (!agentTok) {
      this.syntax(`primitive ${id}: missing resource agent`, undefined, 'class:provider:type, e.g. ocf:heartbeat:IPaddr2');
      return;
    }
    const agent = this.agent(id, agentTok);
    const sets: NvSet[] = [];
    const ops: Op[] = [];
    let description = this.description();
    // crmsh accepts parameters right after the agent without the `params` keyword.
    const bare = this.peek() && !SECTION_WORDS.has(this.peek()!.text) && StatementParser.nv(this.peek()!) && !this.peek()!.text.startsWith('description=');
    if (bare) {
      const s = this.nvlist('instance_attributes', id);
      if (s) sets.push(s);
    }
    while (this.peek()) {
      const t = this.peek()!;
      if (t.text === 'params' || t.text === 'meta' || t.text === 'utilization') {
        this.take();
        const tag: NvSetTag = t.text === 'params' ? 'instance_attributes' : t.text === 'meta' ? 'meta_attributes' : 'utilization';
        const s = this.nvlist(tag, id);
        if (s) sets.push(s);
        else this.syntax(`primitive ${id}: "${t.text}" needs name=value pairs`, t);
        continue;
      }
      if (t.text === 'op') {
        this.take();
        const op = this.op(id, t);
        if (op) ops.push(op);
        continue;
      }
      if (t.text === 'op_params' || t.text === 'op_meta') {
        this.take();
        const last = ops.pop();
        if (!last) {
          this.syntax(`primitive ${id}: "${t.text}" must follow an op`, t);
          this.nvlist('instance_attributes', id);
          continue;
        }
        const tag: NvSetTag = t.text === 'op_params' ? 'instance_attributes' : 'meta_attributes';
        const s = this.nvlist(tag, last.id);
        if (s && tag === 'instance_attributes') {
          ops.push({ ...last, params: last.params ? { ...last.params, pairs: [...last.params.pairs, ...s.pairs] } : s });
        } else if (s) {
          ops.push({ ...last, meta: s });
        } else {
          ops.push(last);
        }
        continue;
      }
      const d = this.description();
      if (d !== undefined) { description = d; continue; }
      this.syntax(`primitive ${id}: unexpected "${t.text}"`, t, 'params, meta, utilization, op or description=');
      break;
    }
    if (!agent) return;
    const prim: Primitive = {
      kind: 'primitive', id, class: agent.cls, ...(agent.provider ? { provider: agent.provider } : {}), type: agent.type,
      ...(description !== undefined ? { description } : {}), sets, ops, line: this.st.line,
    };
    this.b.resources.push(prim);
  }

  /** `class:provider:type`, `class:type` or `type` (ocf:heartbeat). */
  private agent(rsc: string, t: Token): { cls: string; provider?: string; type: string } | undefined {
    if (t.text.startsWith('@')) {
      this.error('LL_CRM_UNSUPPORTED', { what: 'a primitive built from a template ("@template")' }, t.line, t.text);
      return undefined;
    }
    const parts = t.text.split(':');
    if (parts.some((p) => p === '') || parts.length > 3 || t.text.includes('=')) {
      this.syntax(`primitive ${rsc}: bad resource agent "${t.text}"`, t, 'class:provider:type, class:type or type');
      return undefined;
    }
    if (parts.length === 1) return { cls: 'ocf', provider: 'heartbeat', type: parts[0]! };
    const cls = parts[0]!;
    if (!(AGENT_CLASSES as readonly string[]).includes(cls)) {
      this.error('LL_CRM_UNKNOWN_AGENT', { rsc, agent: t.text }, t.line, cls, `a class among ${AGENT_CLASSES.join(', ')}`);
      return undefined;
    }
    if (cls === 'ocf') {
      if (parts.length !== 3) {
        this.syntax(`primitive ${rsc}: an ocf agent needs a provider`, t, 'ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:IPaddr2');
        return undefined;
      }
      return { cls, provider: parts[1]!, type: parts[2]! };
    }
    if (parts.length === 3) {
      this.syntax(`primitive ${rsc}: class ${cls} takes no provider`, t, `${cls}:TYPE`);
      return undefined;
    }
    return { cls, type: parts[1]! };
  }

  /** `op NAME attr=value …`; interval defaults to 0 for non-monitor ops as crmsh does. */
  private op(rsc: string, opTok: Token): Op | undefined {
    const nameTok = this.take();
    if (!nameTok || nameTok.text.includes('=') || SECTION_WORDS.has(nameTok.text)) {
      this.syntax(`primitive ${rsc}: op needs an operation name`, nameTok ?? opTok, 'op NAME interval=… timeout=…');
      if (nameTok) this.pos--;
      return undefined;
    }
    const name = nameTok.text;
    const attrs: Array<[string, string]> = [];
    const extra: Array<[string, string, number]> = [];
    const legacy: LegacySpelling[] = [];
    let explicitId: string | undefined;
    while (this.peek()) {
      const t = this.peek()!;
      if (!t.quoted && SECTION_WORDS.has(t.text)) break;
      const kv = StatementParser.nv(t);
      if (!kv) break;
      this.take();
      if (kv[0] === 'id' || kv[0] === '$id') { explicitId = kv[1]; continue; }
      const modern = modernOpAttr(kv[0], kv[1]);
      if (modern) {
        attrs.push([modern[0], modern[1]]);
        legacy.push({ written: `${kv[0]}=${kv[1]}`, read: `${modern[0]}=${modern[1]}`, line: t.line });
      } else if (OP_ATTRIBUTES.has(kv[0])) attrs.push(kv);
      else extra.push([kv[0], kv[1], t.line]);
    }
    let interval = attrs.find(([k]) => k === 'interval')?.[1];
    if (interval === undefined) {
      // crmsh fills in interval=0 for start/stop & co.; a monitor is left without one and verify refuses it.
      interval = '0';
      if (name !== 'monitor') attrs.push(['interval', '0']);
    }
    const id = explicitId ?? this.b.ids.next(`${rsc}-${name}-${interval}`);
    if (explicitId) this.b.ids.reserve(explicitId);
    let params: NvSet | undefined;
    if (extra.length) {
      const setId = this.b.ids.next(`${id}-instance_attributes`);
      params = { tag: 'instance_attributes', id: setId, pairs: extra.map(([n, v, line]) => ({ id: this.b.ids.next(`${setId}-${n}`), name: n, value: v, line })) };
    }
    return { id, name, attrs, ...(params ? { params } : {}), ...(legacy.length ? { legacy } : {}), line: nameTok.line };
  }

  // --- group, clone ---

  group(): void {
    const idTok = this.objectId('group');
    if (!idTok) return;
    const id = idTok.text;
    const members: string[] = [];
    while (this.peek() && !SECTION_WORDS.has(this.peek()!.text) && !this.peek()!.text.includes('=')) members.push(this.take()!.text);
    if (members.length === 0) this.syntax(`group ${id}: no member resources`, this.peek(), 'group ID RSC [RSC…]');
    const { sets, description } = this.containerSections(`group ${id}`, id);
    this.b.resources.push({ kind: 'group', id, members, sets, ...(description !== undefined ? { description } : {}), line: this.st.line } satisfies Group);
  }

  clone(): void {
    const idTok = this.objectId('clone');
    if (!idTok) return;
    const id = idTok.text;
    const child = this.take();
    if (!child || SECTION_WORDS.has(child.text) || child.text.includes('=')) {
      this.syntax(`clone ${id}: missing the resource to clone`, child, 'clone ID RSC [meta …]');
      return;
    }
    if (this.peek() && !SECTION_WORDS.has(this.peek()!.text) && !this.peek()!.text.includes('=')) {
      this.syntax(`clone ${id}: a clone holds exactly one resource`, this.peek(), 'clone ID RSC [meta …]');
      while (this.peek() && !SECTION_WORDS.has(this.peek()!.text) && !this.peek()!.text.includes('=')) this.take();
    }
    const { sets, description } = this.containerSections(`clone ${id}`, id);
    this.b.resources.push({ kind: 'clone', id, child: child.text, sets, ...(description !== undefined ? { description } : {}), line: this.st.line } satisfies Clone);
  }

  private containerSections(what: string, id: string): { sets: NvSet[]; description?: string } {
    const sets: NvSet[] = [];
    let description: string | undefined;
    while (this.peek()) {
      const t = this.peek()!;
      if (t.text === 'meta' || t.text === 'params') {
        this.take();
        const s = this.nvlist(t.text === 'meta' ? 'meta_attributes' : 'instance_attributes', id);
        if (s) sets.push(s);
        else this.syntax(`${what}: "${t.text}" needs name=value pairs`, t);
        continue;
      }
      const d = this.description();
      if (d !== undefined) { description = d; continue; }
      this.syntax(`${what}: unexpected "${t.text}"`, t, 'meta name=value …, params name=value … or description=');
      break;
    }
    return { sets, ...(description !== undefined ? { description } : {}) };
  }

  // --- constraints ---

  /**
   * Reads `SCORE:` (also `SCORE :`). Returns the normalised score, or undefined after reporting
   * a bad score or a missing colon.
   */
  private scoreColon(what: string, opts: { kinds?: boolean } = {}): { score?: string; kind?: string } | undefined {
    const t = this.take();
    if (!t) {
      this.syntax(`${what}: missing score`, undefined, 'SCORE: (e.g. inf: or 100:)');
      return undefined;
    }
    let text = t.text;
    let colon = false;
    if (text.endsWith(':')) { colon = true; text = text.slice(0, -1); } else if (this.peek()?.text === ':') { colon = true; this.take(); }
    const kind = opts.kinds ? matchEnum(ORDER_KINDS, text) : undefined;
    const score = kind ? undefined : normaliseScore(text);
    if (!colon) {
      // The word is taken as the score all the same, so the rest of the statement still parses.
      this.error('LL_CRM_MISSING_COLON', { what: `${what}: the score "${text}"` }, t.line, t.text, `${text}:`);
      return kind ? { kind } : score !== undefined ? { score } : undefined;
    }
    if (kind) return { kind };
    if (score === undefined) {
      this.error('LL_CRM_BAD_SCORE', { score: text }, t.line, t.text,
        opts.kinds ? 'Mandatory, Optional, Serialize, an integer, inf or -inf' : 'an integer, inf, +inf, -inf, INFINITY or -INFINITY');
      return undefined;
    }
    return { score };
  }

  location(): void {
    const idTok = this.objectId('location');
    if (!idTok) return;
    const id = idTok.text;
    const what = `location ${id}`;
    const rscTok = this.take();
    if (!rscTok) { this.syntax(`${what}: missing resource`, undefined, 'location ID RSC SCORE: NODE'); return; }
    if (/^[{/[(]/.test(rscTok.text)) {
      this.error('LL_CRM_UNSUPPORTED', { what: 'a location over a resource set or pattern' }, rscTok.line, rscTok.text);
      return;
    }
    let role: string | undefined;
    let resourceDiscovery: string | undefined;
    for (;;) {
      const t = this.peek();
      if (t?.text.startsWith('role=')) { this.take(); role = this.role(what, t, t.text.slice(5)); continue; }
      if (t?.text.startsWith('resource-discovery=')) { this.take(); resourceDiscovery = t.text.slice('resource-discovery='.length); continue; }
      break;
    }
    const base = { kind: 'location' as const, id, rsc: rscTok.text, ...(role ? { role } : {}), ...(resourceDiscovery ? { resourceDiscovery } : {}), line: this.st.line };
    if (this.peek()?.text === 'rule') {
      const rules: Rule[] = [];
      while (this.peek()?.text === 'rule') {
        const r = this.rule(what, id);
        if (!r) return;
        rules.push(r);
      }
      this.trailing(what);
      this.b.constraints.push({ ...base, rules });
      return;
    }
    const sc = this.scoreColon(what);
    const node = this.take();
    if (!node) { this.syntax(`${what}: missing node after the score`, undefined, 'SCORE: NODE'); return; }
    this.trailing(what);
    this.b.constraints.push({ ...base, score: sc?.score ?? '0', node: node.text, rules: [] });
  }

  private role(what: string, t: Token, text: string): string | undefined {
    const r = matchEnum(ROLES, text);
    if (!r) this.error('LL_CRM_BAD_VALUE', { what, name: 'role', value: text }, t.line, text, ROLES.join(', '));
    return r;
  }

  /** `rule [$id=] [$role=|role=] [SCORE|ATTR:] expr {and|or expr}`. */
  private rule(what: string, owner: string): Rule | undefined {
    const ruleTok = this.take()!;
    let explicitId: string | undefined;
    let role: string | undefined;
    for (;;) {
      const t = this.peek();
      if (t?.text.startsWith('$id=')) { this.take(); explicitId = t.text.slice(4); continue; }
      if (t && /^\$?role=/.test(t.text)) { this.take(); role = this.role(what, t, t.text.replace(/^\$?role=/, '')); continue; }
      break;
    }
    let score: string | undefined;
    let scoreAttribute: string | undefined;
    const st = this.peek();
    if (!st) { this.syntax(`${what}: empty rule`, ruleTok, 'rule SCORE: EXPRESSION'); return undefined; }
    const hasColon = st.text.endsWith(':') || this.peek(1)?.text === ':';
    const head = st.text.replace(/:$/, '');
    if (hasColon) {
      this.take();
      if (this.peek()?.text === ':') this.take();
      const n = normaliseScore(head);
      if (n !== undefined) score = n;
      else if (/^[+-]?\d/.test(head) || /^[+-]/.test(head) || head === '') {
        this.error('LL_CRM_BAD_SCORE', { score: head }, st.line, st.text, 'an integer, inf, -inf, or a node attribute name (score-attribute)');
        return undefined;
      } else scoreAttribute = head;
    } else if (normaliseScore(head) !== undefined && this.peek(1) && !(BINARY_OPS as readonly string[]).includes(this.peek(1)!.text.replace(/^\w+:/, ''))) {
      this.error('LL_CRM_MISSING_COLON', { what: `${what}: the rule score "${head}"` }, st.line, st.text, `${head}:`);
      return undefined;
    } else {
      score = 'INFINITY';
    }
    const ruleId = explicitId ?? this.b.ids.next(`${owner}-rule`);
    const expressions: Expression[] = [];
    let booleanOp: 'and' | 'or' | undefined;
    for (;;) {
      const e = this.expression(what, ruleId);
      if (!e) return undefined;
      expressions.push(e);
      const t = this.peek();
      if (t && (t.text === 'and' || t.text === 'or')) {
        this.take();
        if (booleanOp && booleanOp !== t.text) {
          this.syntax(`${what}: a rule may use "and" or "or", not both`, t, 'one boolean operator per rule (write two rules)');
          return undefined;
        }
        booleanOp = t.text;
        continue;
      }
      break;
    }
    return {
      id: ruleId, ...(score !== undefined ? { score } : {}), ...(scoreAttribute ? { scoreAttribute } : {}),
      // crmsh writes boolean-op only for "or"; "and" is Pacemaker's default.
      ...(role ? { role } : {}), ...(booleanOp === 'or' ? { booleanOp } : {}), expressions, line: ruleTok.line,
    };
  }

  private expression(what: string, ruleId: string): Expression | undefined {
    const t = this.take();
    if (!t) { this.syntax(`${what}: rule expression missing`, undefined, 'ATTR OP VALUE, defined ATTR or not_defined ATTR'); return undefined; }
    if (t.text === 'date') {
      this.error('LL_CRM_UNSUPPORTED', { what: 'a date expression in a rule' }, t.line, t.text);
      return undefined;
    }
    if (t.text === 'defined' || t.text === 'not_defined') {
      const a = this.take();
      if (!a) { this.syntax(`${what}: "${t.text}" needs an attribute name`, t); return undefined; }
      return { id: this.b.ids.next(`${ruleId}-expression`), attribute: a.text, operation: t.text };
    }
    const opTok = this.take();
    const valTok = this.take();
    if (!opTok || !valTok) {
      this.syntax(`${what}: incomplete rule expression after "${t.text}"`, opTok ?? t, 'ATTR OP VALUE, with OP one of lt gt lte gte eq ne');
      return undefined;
    }
    let type: string | undefined;
    let op = opTok.text;
    const colon = op.indexOf(':');
    if (colon > 0) {
      type = op.slice(0, colon);
      op = op.slice(colon + 1);
      if (!(EXPR_TYPES as readonly string[]).includes(type)) {
        this.syntax(`${what}: unknown expression type "${type}"`, opTok, EXPR_TYPES.join(', '));
        return undefined;
      }
    }
    if (!(BINARY_OPS as readonly string[]).includes(op)) {
      this.syntax(`${what}: unknown comparison "${op}"`, opTok, `${BINARY_OPS.join(', ')}, defined or not_defined`);
      return undefined;
    }
    return { id: this.b.ids.next(`${ruleId}-expression`), attribute: t.text, operation: op, ...(type ? { type } : {}), value: valTok.text };
  }

  /** Resource references of colocation/order: `RSC[:suffix]`; parenthesised sets are refused. */
  private refs(what: string): Array<{ rsc: string; suffix?: string; line: number }> | undefined {
    const out: Array<{ rsc: string; suffix?: string; line: number }> = [];
    while (this.peek() && !this.peek()!.text.includes('=')) {
      const t = this.take()!;
      if (/^[()[\]{}]/.test(t.text) || /[()[\]{}]$/.test(t.text)) {
        this.error('LL_CRM_UNSUPPORTED', { what: 'a resource set with ( ) or [ ] brackets' }, t.line, t.text);
        return undefined;
      }
      const i = t.text.indexOf(':');
      if (i > 0) out.push({ rsc: t.text.slice(0, i), suffix: t.text.slice(i + 1), line: t.line });
      else out.push({ rsc: t.text, line: t.line });
    }
    return out;
  }

  colocation(): void {
    const idTok = this.objectId('colocation');
    if (!idTok) return;
    const id = idTok.text;
    const what = `colocation ${id}`;
    const sc = this.scoreColon(what);
    const refs = this.refs(what);
    if (!refs) return;
    let nodeAttribute: string | undefined;
    while (this.peek()) {
      const t = this.take()!;
      if (t.text.startsWith('node-attribute=')) nodeAttribute = t.text.slice('node-attribute='.length);
      else this.syntax(`${what}: unexpected "${t.text}"`, t, 'node-attribute=ATTR');
    }
    if (refs.length < 2) {
      this.syntax(`${what}: needs two resources`, undefined, 'colocation ID SCORE: RSC WITH-RSC');
      return;
    }
    const score = sc?.score ?? '0';
    const roles = refs.map((r) => (r.suffix !== undefined ? this.role(what, { text: r.suffix, line: r.line, quoted: false }, r.suffix) : undefined));
    const base = { kind: 'colocation' as const, id, score, ...(nodeAttribute ? { nodeAttribute } : {}), line: this.st.line };
    if (refs.length === 2) {
      this.b.constraints.push({
        ...base, rsc: refs[0]!.rsc, ...(roles[0] ? { rscRole: roles[0] } : {}), withRsc: refs[1]!.rsc,
        ...(roles[1] ? { withRscRole: roles[1] } : {}), sets: [],
      } satisfies Colocation);
      return;
    }
    if (roles.some((r) => r)) {
      this.error('LL_CRM_UNSUPPORTED', { what: 'roles inside a resource set' }, refs[0]!.line);
      return;
    }
    const set: ResourceSet = { id: this.b.ids.next(id), refs: refs.map((r) => r.rsc) };
    this.b.constraints.push({ ...base, sets: [set] } satisfies Colocation);
  }

  order(): void {
    const idTok = this.objectId('order');
    if (!idTok) return;
    const id = idTok.text;
    const what = `order ${id}`;
    let orderKind: string | undefined;
    const first = this.peek();
    const firstHead = first?.text.replace(/:$/, '') ?? '';
    const looksLikeKind = first && (first.text.endsWith(':') || this.peek(1)?.text === ':' || matchEnum(ORDER_KINDS, firstHead) !== undefined || normaliseScore(firstHead) !== undefined);
    if (looksLikeKind && !(first.text.includes(':') && !first.text.endsWith(':'))) {
      const sc = this.scoreColon(what, { kinds: true });
      if (sc?.kind) orderKind = sc.kind;
      // crmsh turns a score into a kind: 0 is Optional, anything else Mandatory.
      else if (sc?.score !== undefined) orderKind = sc.score === '0' ? 'Optional' : 'Mandatory';
    }
    const refs = this.refs(what);
    if (!refs) return;
    let symmetrical: string | undefined;
    while (this.peek()) {
      const t = this.take()!;
      if (t.text.startsWith('symmetrical=')) symmetrical = t.text.slice('symmetrical='.length);
      else this.syntax(`${what}: unexpected "${t.text}"`, t, 'symmetrical=true|false');
    }
    if (refs.length < 2) {
      this.syntax(`${what}: needs two resources`, undefined, 'order ID KIND: FIRST THEN');
      return;
    }
    const actions = refs.map((r) => {
      if (r.suffix === undefined) return undefined;
      const a = matchEnum(ORDER_ACTIONS, r.suffix);
      if (!a) this.error('LL_CRM_BAD_VALUE', { what, name: 'action', value: r.suffix }, r.line, r.suffix, ORDER_ACTIONS.join(', '));
      return a;
    });
    const base = {
      kind: 'order' as const, id, ...(orderKind ? { orderKind } : {}), ...(symmetrical !== undefined ? { symmetrical } : {}), line: this.st.line,
    };
    if (refs.length === 2) {
      this.b.constraints.push({
        ...base, first: refs[0]!.rsc, ...(actions[0] ? { firstAction: actions[0] } : {}), then: refs[1]!.rsc,
        ...(actions[1] ? { thenAction: actions[1] } : {}), sets: [],
      } satisfies Order);
      return;
    }
    if (actions.some((a) => a)) {
      this.error('LL_CRM_UNSUPPORTED', { what: 'actions inside a resource set' }, refs[0]!.line);
      return;
    }
    this.b.constraints.push({ ...base, sets: [{ id: this.b.ids.next(id), refs: refs.map((r) => r.rsc) }] } satisfies Order);
  }

  // --- property, rsc_defaults, op_defaults ---

  optionSet(kind: OptionSet['kind']): void {
    const defaults = { property: 'cib-bootstrap-options', rsc_defaults: 'rsc-options', op_defaults: 'op-options' } as const;
    let setId: string | undefined;
    const t = this.peek();
    if (t && t.text.endsWith(':') && !t.text.includes('=')) {
      setId = t.text.slice(0, -1);
      this.take();
    }
    if (!setId && this.peek()?.text.startsWith('$id=')) setId = this.take()!.text.slice(4);
    const id = setId ?? defaults[kind];
    const pairs: Array<[string, string, number]> = [];
    while (this.peek()) {
      const tok = this.take()!;
      const kv = StatementParser.nv(tok);
      if (!kv) {
        this.syntax(`${kind}: expected name=value`, tok, 'name=value');
        continue;
      }
      pairs.push([kv[0], kv[1], tok.line]);
    }
    if (pairs.length === 0) {
      this.syntax(`${kind}: no name=value pairs`, undefined, `${kind} [SET-ID:] name=value …`);
      return;
    }
    // Several statements for the same set merge, as typing them one by one in crmsh does.
    const existing = this.b.options.findIndex((o) => o.kind === kind && o.set.id === id);
    const tag: NvSetTag = kind === 'property' ? 'cluster_property_set' : 'meta_attributes';
    const prev = existing >= 0 ? this.b.options[existing]! : undefined;
    const merged: NvPair[] = [...(prev?.set.pairs ?? [])];
    for (const [name, value, line] of pairs) {
      const i = merged.findIndex((p) => p.name === name);
      if (i >= 0) merged[i] = { ...merged[i]!, value, line };
      else merged.push({ id: this.b.ids.next(`${id}-${name}`), name, value, line });
    }
    if (!prev) this.b.ids.reserve(id);
    const os: OptionSet = { kind, set: { tag, id, pairs: merged }, line: prev?.line ?? this.st.line };
    if (existing >= 0) this.b.options[existing] = os;
    else this.b.options.push(os);
  }
}
