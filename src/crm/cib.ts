// Typed model of a Pacemaker CIB (configuration + status), parsed once from XML with @xmldom/xmldom.
// The scheduler works only on this model; everything it does not understand is listed by unsupportedFeatures().
import { parseXml, getAttr, type XEl as XElement } from './xml-lite.js';
import { diag, type Diagnostic } from '../errors.js';
import { type Result, ok, err } from '../types.js';
import { parseTicketConstraint, parseTicketStates, type TicketCons, type TicketState } from './cib-tickets.js';

export type { TicketCons, TicketState } from './cib-tickets.js';

/** Pacemaker's INFINITY (CRM_SCORE_INFINITY). */
export const INFINITY = 1_000_000;

/** Parses a score the way Pacemaker's char2score does: ±INFINITY words, integers clamped, junk = 0. */
export function parseScore(s: string | null | undefined): number {
  if (s === null || s === undefined) return 0;
  const t = s.trim();
  if (t === 'INFINITY' || t === '+INFINITY') return INFINITY;
  if (t === '-INFINITY') return -INFINITY;
  const m = /^[+-]?\d+/.exec(t);
  if (!m) return 0;
  return Math.max(-INFINITY, Math.min(INFINITY, parseInt(m[0], 10)));
}

/** Pacemaker's pcmk__add_scores: -INFINITY wins over +INFINITY, otherwise a clamped sum. */
export function addScores(a: number, b: number): number {
  if (a <= -INFINITY || b <= -INFINITY) return -INFINITY;
  if (a >= INFINITY || b >= INFINITY) return INFINITY;
  return Math.max(-INFINITY, Math.min(INFINITY, a + b));
}

/** crm_is_true: the spellings Pacemaker accepts as boolean true. */
export function isTrue(s: string | undefined): boolean {
  return s !== undefined && ['true', 'on', 'yes', 'y', '1'].includes(s.toLowerCase());
}

/** One op definition from a primitive's <operations>. */
export interface OpDef {
  readonly name: string;
  /** Interval in milliseconds (0 for start/stop/probe). */
  readonly intervalMs: number;
  readonly onFail?: string;
  readonly enabled: boolean;
  /** `timeout` and `start-delay` in milliseconds, when set (the transition engine's timers). */
  readonly timeoutMs?: number;
  readonly startDelayMs?: number;
  /** role="Promoted"/"Unpromoted" (Master/Slave): a monitor for instances in that role only. */
  readonly role?: RoleName;
}

/** A primitive resource (class:provider:type) with its merged meta attributes. */
export interface PrimitiveDef {
  readonly kind: 'primitive';
  readonly id: string;
  readonly cls: string;
  readonly provider?: string;
  readonly type: string;
  /** Own meta attributes only; inheritance is resolved by the scheduler. */
  readonly meta: ReadonlyMap<string, string>;
  readonly params: ReadonlyMap<string, string>;
  readonly ops: readonly OpDef[];
}

/** A group: ordered, colocated members. */
export interface GroupDef {
  readonly kind: 'group';
  readonly id: string;
  readonly meta: ReadonlyMap<string, string>;
  readonly members: readonly PrimitiveDef[];
}

/** A clone of one primitive (anonymous or globally-unique instances), promotable (`promotable=true` or the
 *  older `<master>` element) or not. */
export interface CloneDef {
  readonly kind: 'clone';
  readonly id: string;
  readonly meta: ReadonlyMap<string, string>;
  readonly child: PrimitiveDef;
  readonly promotable?: boolean;
}

/** A resource role as Pacemaker 2.1 names it; the older Master/Slave names are mapped on parse. */
export type RoleName = 'Started' | 'Unpromoted' | 'Promoted' | 'Stopped';
/** Maps a role attribute (Master/Slave or Promoted/Unpromoted, any case as Pacemaker's text2role) to its name. */
export function parseRole(v: string | undefined): RoleName | undefined {
  switch ((v ?? '').toLowerCase()) {
    case 'started': return 'Started';
    case 'promoted': case 'master': return 'Promoted';
    case 'unpromoted': case 'slave': return 'Unpromoted';
    case 'stopped': return 'Stopped';
    default: return undefined;
  }
}

export type ResourceDef = PrimitiveDef | GroupDef | CloneDef;

/** The primitives a top-level resource holds (itself, its group members, or its clone's child). */
export function primitivesOf(r: ResourceDef): readonly PrimitiveDef[] {
  return r.kind === 'group' ? r.members : r.kind === 'clone' ? [r.child] : [r];
}

/** One expression of a location rule (attribute comparison). */
export interface RuleExpr {
  readonly attribute: string;
  readonly operation: string;
  readonly value?: string;
  readonly type: string;
}

/** A location rule: score (or score-attribute) applied where the expressions hold. */
export interface LocationRule {
  readonly score: number;
  readonly scoreAttribute?: string;
  readonly booleanOp: 'and' | 'or';
  readonly exprs: readonly RuleExpr[];
  /** The rule applies to this role only (role="Promoted"/"Master"...; Unpromoted means every role). */
  readonly role?: RoleName;
}

/** rsc_location: a node score or rules for one resource. */
export interface LocationCons {
  readonly id: string;
  readonly rsc: string;
  readonly node?: string;
  readonly score: number;
  readonly rules: readonly LocationRule[];
  /** role="Promoted" (Master) or "Stopped" of a node location: it applies to that role only (Started and
   *  Unpromoted mean every role, as unpack_rsc_location has it). */
  readonly role?: RoleName;
}

/** rsc_colocation: rsc placed relative to withRsc. */
export interface ColocationCons {
  readonly id: string;
  readonly rsc: string;
  readonly withRsc: string;
  readonly score: number;
  readonly nodeAttribute?: string;
  readonly influence?: boolean;
  /** rsc-role / with-rsc-role other than Started. */
  readonly rscRole?: RoleName;
  readonly withRscRole?: RoleName;
  /** Position among the <constraints> children: Pacemaker creates orderings in this order. */
  readonly pos: number;
}

/** rsc_order between two resources' actions. */
export interface OrderCons {
  readonly id: string;
  readonly first: string;
  readonly then: string;
  readonly firstAction: string;
  readonly thenAction: string;
  readonly kind: 'Mandatory' | 'Optional' | 'Serialize';
  readonly symmetrical: boolean;
  /** Position among the <constraints> children (see ColocationCons.pos). */
  readonly pos: number;
}

/** One entry of a resource's operation history on a node (lrm_rsc_op). */
export interface OpHistory {
  readonly id: string;
  readonly operation: string;
  readonly intervalMs: number;
  readonly callId: number;
  readonly rc: number;
  readonly opStatus: number;
  readonly expectedRc: number;
  readonly lastRcChange?: number;
  readonly digest?: string;
}

/** A node as configured plus its status entry. */
export interface NodeDef {
  readonly id: string;
  readonly uname: string;
  readonly type: string;
  /** Permanent attributes (<nodes><node><instance_attributes>). */
  readonly attrs: ReadonlyMap<string, string>;
  /** Transient attributes from status (fail counts, standby -l reboot, shutdown, ...). */
  readonly transient: ReadonlyMap<string, string>;
  /** node_state fields; absent when the node has no node_state ("unseen"). */
  readonly state?: { inCcm: string; crmd: string; join: string; expected: string };
  /** Operation history per resource id. */
  readonly history: ReadonlyMap<string, readonly OpHistory[]>;
}

/** The whole CIB as the scheduler needs it. */
export interface Cib {
  readonly haveQuorum: boolean;
  readonly dcUuid?: string;
  readonly options: ReadonlyMap<string, string>;
  readonly rscDefaults: ReadonlyMap<string, string>;
  readonly opDefaults: ReadonlyMap<string, string>;
  readonly nodes: readonly NodeDef[];
  /** Node unames in the order of the status section's node_state entries (Pacemaker unpacks histories so). */
  readonly statusOrder?: readonly string[];
  readonly resources: readonly ResourceDef[];
  readonly locations: readonly LocationCons[];
  readonly colocations: readonly ColocationCons[];
  readonly orders: readonly OrderCons[];
  /** rsc_ticket constraints, and the tickets' states from the status section (absent: none). */
  readonly tickets?: readonly TicketCons[];
  readonly ticketStates?: ReadonlyMap<string, TicketState>;
  /** Features found that the scheduler does not implement, each with a short reason. */
  readonly unsupported: readonly string[];
}

function children(e: XElement, name?: string): XElement[] {
  return name === undefined ? [...e.kids] : e.kids.filter((c) => c.tagName === name);
}
function child(e: XElement | undefined, name: string): XElement | undefined {
  return e ? e.kids.find((c) => c.tagName === name) : undefined;
}
function attr(e: XElement, name: string): string | undefined {
  return getAttr(e, name);
}
const NO_ELEMENT: XElement = { tagName: '', attrs: [], kids: [] };

/** Parses an interval such as "10s", "1min", "10000" (ms when bare? no: bare = seconds) into milliseconds. */
export function parseIntervalMs(s: string | undefined): number {
  if (!s) return 0;
  const m = /^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(s);
  if (!m) return 0;
  const n = parseInt(m[1]!, 10);
  switch (m[2]) {
    case 'ms': case 'msec': return n;
    case 'm': case 'min': return n * 60_000;
    case 'h': case 'hr': return n * 3_600_000;
    default: return n * 1000;
  }
}

/** Collects nvpairs of every <tag> set under `e` (later sets do not override earlier names, like Pacemaker's first-wins unpack). */
function nvsets(e: XElement | undefined, tag: string, unsupported: string[], where: string): Map<string, string> {
  const m = new Map<string, string>();
  if (!e) return m;
  for (const set of children(e, tag)) {
    if (child(set, 'rule')) { unsupported.push(`rule inside ${tag} (${where})`); continue; }
    if (attr(set, 'id-ref')) { unsupported.push(`id-ref (${where})`); continue; }
    for (const nv of children(set, 'nvpair')) {
      const n = attr(nv, 'name');
      if (n !== undefined && !m.has(n)) m.set(n, attr(nv, 'value') ?? '');
    }
  }
  return m;
}

function parsePrimitive(e: XElement, unsupported: string[]): PrimitiveDef {
  const id = attr(e, 'id') ?? '';
  if (attr(e, 'template')) unsupported.push(`resource template reference (${id})`);
  const ops: OpDef[] = [];
  for (const op of children(child(e, 'operations') ?? NO_ELEMENT, 'op')) {
    if (child(op, 'instance_attributes')) unsupported.push(`operation parameters (${id})`);
    ops.push({
      name: attr(op, 'name') ?? '',
      intervalMs: parseIntervalMs(attr(op, 'interval')),
      ...(attr(op, 'on-fail') !== undefined ? { onFail: attr(op, 'on-fail')! } : {}),
      enabled: attr(op, 'enabled') === undefined || isTrue(attr(op, 'enabled')),
      ...(attr(op, 'timeout') !== undefined ? { timeoutMs: parseIntervalMs(attr(op, 'timeout')) } : {}),
      ...(attr(op, 'start-delay') !== undefined ? { startDelayMs: parseIntervalMs(attr(op, 'start-delay')) } : {}),
      ...(parseRole(attr(op, 'role')) !== undefined ? { role: parseRole(attr(op, 'role'))! } : {}),
    });
  }
  const meta = nvsets(e, 'meta_attributes', unsupported, id);
  return {
    kind: 'primitive', id, cls: attr(e, 'class') ?? '', ...(attr(e, 'provider') ? { provider: attr(e, 'provider')! } : {}),
    type: attr(e, 'type') ?? '', meta, params: nvsets(e, 'instance_attributes', unsupported, id), ops,
  };
}

function parseRule(r: XElement, unsupported: string[], where: string): LocationRule {
  const exprs: RuleExpr[] = [];
  for (const c of children(r)) {
    if (c.tagName === 'expression') {
      exprs.push({ attribute: attr(c, 'attribute') ?? '', operation: attr(c, 'operation') ?? '',
        ...(attr(c, 'value') !== undefined ? { value: attr(c, 'value')! } : {}), type: attr(c, 'type') ?? '' });
      if (attr(c, 'value-source') && attr(c, 'value-source') !== 'literal') unsupported.push(`value-source in rule (${where})`);
    } else {
      unsupported.push(`${c.tagName === 'date_expression' ? 'date expression' : c.tagName === 'rule' ? 'nested rule' : c.tagName} in rule (${where})`);
    }
  }
  const bo = (attr(r, 'boolean-op') ?? 'and').toLowerCase();
  // generate_location_rule: a rule's role filters the rule, except Unpromoted (every instance is unpromoted first).
  const role = attr(r, 'role') === undefined ? undefined : parseRole(attr(r, 'role'));
  if (attr(r, 'role') !== undefined && role === undefined) unsupported.push(`role=${attr(r, 'role')} in rule (${where})`);
  return { score: parseScore(attr(r, 'score')), ...(attr(r, 'score-attribute') ? { scoreAttribute: attr(r, 'score-attribute')! } : {}),
    booleanOp: bo === 'or' ? 'or' : 'and', exprs, ...(role !== undefined && role !== 'Unpromoted' ? { role } : {}) };
}

/** Parses CIB XML text. Fails only when the text is not a CIB at all; unknown features go to `unsupported`. */
export function parseCib(xml: string, file = '<cib>'): Result<Cib, Diagnostic> {
  const doc = parseXml(xml);
  if (!doc.ok) return err(diag('LL_CIB_BAD_XML', { file, reason: doc.reason }, { location: { file } }));
  const root = doc.root;
  if (root.tagName !== 'cib') {
    return err(diag('LL_CIB_BAD_XML', { file, reason: `root element is <${root.tagName}>, expected <cib>` }, { location: { file } }));
  }
  const unsupported: string[] = [];
  const conf = child(root, 'configuration');
  if (!conf) return err(diag('LL_CIB_BAD_XML', { file, reason: 'no <configuration> section' }, { location: { file } }));
  const options = new Map<string, string>();
  for (const set of children(child(conf, 'crm_config') ?? conf, 'cluster_property_set')) {
    if (child(set, 'rule')) { unsupported.push('rule in cluster_property_set'); continue; }
    for (const nv of children(set, 'nvpair')) {
      const n = attr(nv, 'name');
      if (n !== undefined && !options.has(n)) options.set(n, attr(nv, 'value') ?? '');
    }
  }
  const rscDefaults = nvsets(child(conf, 'rsc_defaults'), 'meta_attributes', unsupported, 'rsc_defaults');
  const opDefaults = nvsets(child(conf, 'op_defaults'), 'meta_attributes', unsupported, 'op_defaults');

  const resources: ResourceDef[] = [];
  for (const r of children(child(conf, 'resources') ?? conf)) {
    if (r.tagName === 'primitive') resources.push(parsePrimitive(r, unsupported));
    else if (r.tagName === 'group') {
      const id = attr(r, 'id') ?? '';
      const members: PrimitiveDef[] = [];
      for (const m of children(r)) {
        if (m.tagName === 'primitive') members.push(parsePrimitive(m, unsupported));
        else if (m.tagName !== 'meta_attributes' && m.tagName !== 'instance_attributes') unsupported.push(`<${m.tagName}> inside group (${id})`);
      }
      resources.push({ kind: 'group', id, meta: nvsets(r, 'meta_attributes', unsupported, id), members });
    } else if (r.tagName === 'clone' || r.tagName === 'master') {
      const id = attr(r, 'id') ?? '';
      const promotable = r.tagName === 'master' || isTrue(nvsets(r, 'meta_attributes', [], '').get('promotable'));
      const kids = children(r).filter((m) => m.tagName !== 'meta_attributes' && m.tagName !== 'instance_attributes');
      if (kids.length !== 1 || kids[0]!.tagName !== 'primitive') unsupported.push(`${promotable ? 'promotable ' : ''}clone of ${kids[0]?.tagName ?? 'nothing'} (${id})`);
      else {
        const meta = nvsets(r, 'meta_attributes', unsupported, id);
        resources.push({ kind: 'clone', id, meta, child: parsePrimitive(kids[0]!, unsupported), ...(promotable ? { promotable: true } : {}) });
      }
    } else if (r.tagName === 'bundle') unsupported.push(`bundle (${attr(r, 'id') ?? ''})`);
    else if (r.tagName === 'template') unsupported.push(`resource template (${attr(r, 'id') ?? ''})`);
    else unsupported.push(`<${r.tagName}> in resources`);
  }

  const locations: LocationCons[] = [];
  const colocations: ColocationCons[] = [];
  const orders: OrderCons[] = [];
  const tickets: TicketCons[] = [];
  let pos = -1;
  for (const c of children(child(conf, 'constraints') ?? conf)) {
    pos++;
    const id = attr(c, 'id') ?? '';
    if (child(c, 'resource_set')) { unsupported.push(`resource sets (${id})`); continue; }
    if (c.tagName === 'rsc_location') {
      if (attr(c, 'rsc-pattern')) { unsupported.push(`rsc-pattern (${id})`); continue; }
      const role = attr(c, 'role') === undefined ? undefined : parseRole(attr(c, 'role'));
      if (attr(c, 'role') !== undefined && role === undefined) { unsupported.push(`location role=${attr(c, 'role')} (${id})`); continue; }
      const disc = attr(c, 'resource-discovery');
      if (disc && disc !== 'always') { unsupported.push(`resource-discovery=${disc} (${id})`); continue; }
      const rules = children(c, 'rule').map((r) => parseRule(r, unsupported, id));
      locations.push({ id, rsc: attr(c, 'rsc') ?? '', ...(attr(c, 'node') ? { node: attr(c, 'node')! } : {}), score: parseScore(attr(c, 'score')), rules,
        ...(role !== undefined && role !== 'Started' && role !== 'Unpromoted' ? { role } : {}) });
    } else if (c.tagName === 'rsc_colocation') {
      const roles: (RoleName | undefined)[] = [];
      for (const a of ['rsc-role', 'with-rsc-role']) {
        const v = attr(c, a), role = v === undefined ? undefined : parseRole(v);
        if (v !== undefined && (role === undefined || role === 'Stopped')) unsupported.push(`colocation ${a}=${v} (${id})`);
        roles.push(role === 'Started' ? undefined : role);
      }
      if (attr(c, 'rsc-instance') || attr(c, 'with-rsc-instance')) unsupported.push(`colocation with instance (${id})`);
      const inf = attr(c, 'influence');
      colocations.push({ id, pos, rsc: attr(c, 'rsc') ?? '', withRsc: attr(c, 'with-rsc') ?? '', score: parseScore(attr(c, 'score')),
        ...(attr(c, 'node-attribute') ? { nodeAttribute: attr(c, 'node-attribute')! } : {}),
        ...(inf !== undefined ? { influence: isTrue(inf) } : {}),
        ...(roles[0] ? { rscRole: roles[0] } : {}), ...(roles[1] ? { withRscRole: roles[1] } : {}) });
    } else if (c.tagName === 'rsc_order') {
      const kindS = attr(c, 'kind');
      const score = attr(c, 'score');
      let kind: OrderCons['kind'] = 'Mandatory';
      if (kindS) kind = kindS === 'Optional' ? 'Optional' : kindS === 'Serialize' ? 'Serialize' : 'Mandatory';
      else if (score !== undefined && parseScore(score) === 0) kind = 'Optional';
      const fa = attr(c, 'first-action') ?? 'start';
      const ta = attr(c, 'then-action') ?? fa;
      const acts = ['start', 'stop', 'promote', 'demote'];
      if (!acts.includes(fa) || !acts.includes(ta)) unsupported.push(`order actions ${fa}/${ta} (${id})`);
      if (kind === 'Serialize') unsupported.push(`Serialize order (${id})`);
      if (attr(c, 'first-instance') || attr(c, 'then-instance')) unsupported.push(`order with instance (${id})`);
      const sym = attr(c, 'symmetrical');
      orders.push({ id, pos, first: attr(c, 'first') ?? '', then: attr(c, 'then') ?? '', firstAction: fa, thenAction: ta, kind,
        symmetrical: sym === undefined ? kind !== 'Serialize' : isTrue(sym) });
    } else if (c.tagName === 'rsc_ticket') tickets.push(parseTicketConstraint(c));
    else unsupported.push(`<${c.tagName}> constraint (${id})`);
  }
  if (child(conf, 'tags')) unsupported.push('tags');
  // fencing-topology is the fencer's (src/crm/fencer/topology.ts); the scheduler does not read it, nor does Pacemaker's.

  // Nodes: configuration first, then status fills in the runtime side.
  const statusByUname = new Map<string, XElement>();
  const statusById = new Map<string, XElement>();
  for (const ns of children(child(root, 'status') ?? root, 'node_state')) {
    if (attr(ns, 'uname')) statusByUname.set(attr(ns, 'uname')!, ns);
    if (attr(ns, 'id')) statusById.set(attr(ns, 'id')!, ns);
  }
  const primById = new Map<string, PrimitiveDef>();
  for (const r of resources) for (const p of primitivesOf(r)) primById.set(p.id, p);
  const nodes: NodeDef[] = [];
  for (const n of children(child(conf, 'nodes') ?? conf, 'node')) {
    const id = attr(n, 'id') ?? '';
    const uname = attr(n, 'uname') ?? id;
    const type = attr(n, 'type') ?? 'member';
    if (type === 'remote' || type === 'ping') unsupported.push(`${type} node (${uname})`);
    if (attr(n, 'score')) unsupported.push(`node score (${uname})`);
    const ns = statusById.get(id) ?? statusByUname.get(uname);
    const history = new Map<string, OpHistory[]>();
    let transient = new Map<string, string>();
    let state: NodeDef['state'];
    if (ns) {
      state = { inCcm: attr(ns, 'in_ccm') ?? '', crmd: attr(ns, 'crmd') ?? 'offline', join: attr(ns, 'join') ?? 'down', expected: attr(ns, 'expected') ?? 'down' };
      transient = nvsets(child(ns, 'transient_attributes'), 'instance_attributes', unsupported, `status of ${uname}`);
      for (const lr of children(child(child(ns, 'lrm'), 'lrm_resources') ?? ns, 'lrm_resource')) {
        // History recorded for another agent is discarded by Pacemaker (delete + clear fail count): not modelled.
        const def = primById.get(attr(lr, 'id') ?? '') ?? primById.get((attr(lr, 'id') ?? '').replace(/:\d+$/, ''));
        if (def && (attr(lr, 'type') !== def.type || (attr(lr, 'class') ?? '') !== def.cls || attr(lr, 'provider') !== def.provider)) {
          unsupported.push(`resource agent changed (${def.id} on ${uname})`);
        }
        const ops: OpHistory[] = [];
        for (const op of lr.kids) {
          if (op.tagName !== 'lrm_rsc_op') continue;
          // One pass over the attributes: a large status has tens of thousands of these.
          let id = '', operation = '', interval = '0', callId = '-1', rc = '0', opStatus = '0';
          let key: string | undefined, lastRcChange: string | undefined, digest: string | undefined;
          const a = op.attrs;
          for (let k = 0; k < a.length; k += 2) {
            const v = a[k + 1]!;
            switch (a[k]) {
              case 'id': id = v; break;
              case 'operation': operation = v; break;
              case 'interval': interval = v; break;
              case 'call-id': callId = v; break;
              case 'rc-code': rc = v; break;
              case 'op-status': opStatus = v; break;
              case 'transition-key': key = v; break;
              case 'last-rc-change': lastRcChange = v; break;
              case 'op-digest': digest = v; break;
            }
          }
          const exp = key ? parseInt(key.split(':')[2] ?? '0', 10) : -1;
          const h: { -readonly [K in keyof OpHistory]: OpHistory[K] } = { id, operation, intervalMs: parseInt(interval, 10) || 0,
            callId: parseInt(callId, 10), rc: parseInt(rc, 10), opStatus: parseInt(opStatus, 10), expectedRc: Number.isNaN(exp) ? -1 : exp };
          if (lastRcChange) h.lastRcChange = parseInt(lastRcChange, 10);
          if (digest) h.digest = digest;
          ops.push(h);
        }
        history.set(attr(lr, 'id') ?? '', ops);
      }
    }
    nodes.push({ id, uname, type, attrs: nvsets(n, 'instance_attributes', unsupported, `node ${uname}`), transient, ...(state ? { state } : {}), history });
  }
  const hq = attr(root, 'have-quorum');
  return ok({
    haveQuorum: hq !== undefined && isTrue(hq), ...(attr(root, 'dc-uuid') ? { dcUuid: attr(root, 'dc-uuid')! } : {}),
    options, rscDefaults, opDefaults, nodes, resources, locations, colocations, orders, unsupported,
    tickets, ticketStates: parseTicketStates(child(child(root, 'status'), 'tickets')),
    statusOrder: children(child(root, 'status') ?? root, 'node_state').map((ns) => attr(ns, 'uname') ?? '').filter((u) => nodes.some((n) => n.uname === u)),
  });
}
