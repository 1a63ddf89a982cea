// `crm configure verify`: the semantic checks crmsh and crm_verify make, over the typed configuration.
// Every problem is reported at once with file and line; constructs the scheduler does not implement are refused.

import { LEGACY_META, LEGACY_OP_ATTRS } from './legacy.js';
import { diag, type Code, type Diagnostic } from '../../errors.js';
import { agentKey, type AgentCatalog } from './agents.js';
import { isValidId } from './ids.js';
import type { CrmConfig, NvPair, NvSet, Primitive, Resource } from './model.js';
import { agentName } from './render.js';
import {
  BINARY_OPS, durationMs, EXPR_TYPES, matchEnum, normaliseScore, ON_FAIL, ORDER_ACTIONS, ORDER_KINDS, parseBoolean, ROLES,
} from './values.js';

/**
 * Constructs Lifeline parses but its scheduler does not implement, each refused with LL_CRM_UNSUPPORTED so that
 * no configuration is silently scheduled differently from Pacemaker. Documented in docs/crmlang.md.
 */
export const UNSUPPORTED_FEATURES: readonly string[] = [
  'promotable clones (clone meta promotable=true, "ms" statements, Promoted/Unpromoted roles in constraints)',
  'bundles, resource templates, tags, ACLs, alerts, tickets (rsc_ticket), fencing topology',
  'resource sets other than the single plain set crmsh writes for 3+ resources (brackets, set options, several sets)',
  'location constraints over resource sets or patterns, resource-discovery other than always',
  'colocation node-attribute, date expressions in rules, rules inside attribute sets, $id-ref references',
  'utilization attributes and placement-strategy other than default',
];

/** Options of `verifyConfig`. */
export interface VerifyOptions {
  /** File name used in diagnostics (the crm file or the CIB file the model came from). */
  readonly file: string;
  /** Installed agents; without one, agent existence and meta-data checks are skipped. */
  readonly catalog?: AgentCatalog;
}

/** Pacemaker's resource meta attributes (Pacemaker Explained, "Resource Meta-Attributes" and clone/group options). */
export const RESOURCE_META = new Set([
  'priority', 'critical', 'target-role', 'is-managed', 'maintenance', 'resource-stickiness', 'requires', 'migration-threshold',
  'failure-timeout', 'multiple-active', 'allow-migrate', 'allow-unhealthy-nodes', 'container-attribute-target', 'remote-node',
  'remote-port', 'remote-addr', 'remote-connect-timeout', 'remote-allow-migrate', 'description',
  // group
  'ordered', 'collocated',
  // clone
  'clone-max', 'clone-node-max', 'clone-min', 'notify', 'globally-unique', 'interleave', 'promotable', 'promoted-max',
  'promoted-node-max', 'master-max', 'master-node-max',
]);

/** Cluster options of Pacemaker 2.1.5 (`crm_attribute --list-options=cluster` / pacemaker-schedulerd metadata). */
export const CLUSTER_PROPERTIES = new Set([
  'batch-limit', 'cluster-delay', 'cluster-infrastructure', 'cluster-ipc-limit', 'cluster-name', 'cluster-recheck-interval',
  'concurrent-fencing', 'dc-deadtime', 'dc-version', 'election-timeout', 'enable-acl', 'enable-startup-probes', 'fence-reaction',
  'have-watchdog', 'join-finalization-timeout', 'join-integration-timeout', 'last-lrm-refresh', 'load-threshold',
  'maintenance-mode', 'migration-limit', 'no-quorum-policy', 'node-action-limit', 'node-health-base', 'node-health-green',
  'node-health-red', 'node-health-strategy', 'node-health-yellow', 'pe-error-series-max', 'pe-input-series-max',
  'pe-warn-series-max', 'placement-strategy', 'priority-fencing-delay', 'remove-after-stop', 'shutdown-escalation',
  'shutdown-lock', 'shutdown-lock-limit', 'start-failure-is-fatal', 'startup-fencing', 'stonith-action', 'stonith-enabled',
  'stonith-max-attempts', 'stonith-timeout', 'stonith-watchdog-timeout', 'stop-all-resources', 'stop-orphan-actions',
  'stop-orphan-resources', 'symmetric-cluster', 'transition-delay', 'node-pending-timeout',
]);

/** Attributes op_defaults may set. */
const OP_DEFAULTS = new Set(['timeout', 'interval', 'on-fail', 'record-pending', 'requires', 'enabled', 'start-delay', 'interval-origin', 'role']);

/** Actions Pacemaker refuses to run as recurring ops (lib/pengine unpack: op_cannot_recur). */
const CANNOT_RECUR = new Set(['start', 'stop', 'promote', 'demote', 'reload-agent', 'migrate_to', 'migrate_from']);

/** Operation names Pacemaker runs. */
const OP_NAMES = new Set(['start', 'stop', 'monitor', 'promote', 'demote', 'notify', 'reload', 'reload-agent', 'migrate_to',
  'migrate_from', 'meta-data', 'validate-all', 'status', 'recover']);

const BOOLEAN_PROPERTIES = new Set(['stonith-enabled', 'symmetric-cluster', 'maintenance-mode', 'stop-all-resources',
  'start-failure-is-fatal', 'enable-startup-probes', 'stop-orphan-resources', 'stop-orphan-actions', 'startup-fencing',
  'concurrent-fencing', 'enable-acl', 'remove-after-stop', 'shutdown-lock', 'have-watchdog']);
const DURATION_PROPERTIES = new Set(['cluster-recheck-interval', 'cluster-delay', 'dc-deadtime', 'election-timeout',
  'shutdown-escalation', 'stonith-timeout', 'transition-delay', 'priority-fencing-delay', 'shutdown-lock-limit',
  'join-integration-timeout', 'join-finalization-timeout']);

/** Hints for old spellings found where the parser did not translate them (CIB XML, op instance attributes). */
const META_HINTS = LEGACY_META;
const OP_HINTS: Readonly<Record<string, string>> = { ...LEGACY_OP_ATTRS, disabled: 'enabled=false', enable: 'enabled' };

/** Default op timeout when neither the op nor op_defaults gives one (Pacemaker: 20s). */
const DEFAULT_OP_TIMEOUT = '20s';

/**
 * Checks a configuration: ids, references, agents and their parameters, values, warnings where Pacemaker/crmsh warn,
 * and the unsupported list. Returns all diagnostics, errors and warnings; the configuration is valid when none is an error.
 */
export function verifyConfig(config: CrmConfig, opts: VerifyOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The file of the object being checked: objects kept from an existing CIB name the CIB, new ones the crm file.
  let file = opts.file;
  const at = (o: { file?: string }) => { file = o.file ?? opts.file; };
  const report = (code: Code, vars: Record<string, string | number>, line: number | undefined,
    extra: { found?: string; expected?: string; severity?: 'error' | 'warning' } = {}) => {
    out.push(diag(code, vars, { location: { file, ...(line !== undefined ? { line } : {}) }, ...extra }));
  };
  const warn = (code: Code, vars: Record<string, string | number>, line: number | undefined, extra: { found?: string; expected?: string } = {}) =>
    report(code, vars, line, { ...extra, severity: 'warning' });
  const unsupported = (what: string, line: number | undefined, found?: string) =>
    report('LL_CRM_UNSUPPORTED', { what }, line, found !== undefined ? { found } : {});

  // --- ids: one namespace over the whole configuration (nodes have their own) ---
  const seen = new Map<string, number | undefined>();
  const claim = (id: string, line: number | undefined, what: string) => {
    if (!isValidId(id)) report('LL_CRM_BAD_VALUE', { what, name: 'id', value: id }, line, { found: id, expected: 'a letter or _ followed by letters, digits, _ . -' });
    if (seen.has(id)) {
      const first = seen.get(id);
      report('LL_CRM_DUPLICATE_ID', { id, first: first !== undefined ? `at line ${first}` : 'earlier' }, line, { found: id });
    } else seen.set(id, line);
  };
  const claimSet = (s: NvSet, line: number | undefined) => {
    claim(s.id, line, 'attribute set');
    for (const p of s.pairs) claim(p.id, p.line ?? line, 'nvpair');
  };
  for (const r of config.resources) {
    at(r);
    claim(r.id, r.line, r.kind);
    for (const s of r.sets) claimSet(s, r.line);
    if (r.kind === 'primitive') {
      for (const o of r.ops) {
        claim(o.id, o.line ?? r.line, 'op');
        if (o.params) claimSet(o.params, o.line ?? r.line);
        if (o.meta) claimSet(o.meta, o.line ?? r.line);
      }
    }
  }
  for (const c of config.constraints) {
    at(c);
    claim(c.id, c.line, c.kind);
    if (c.kind === 'location') {
      for (const r of c.rules) {
        claim(r.id, r.line ?? c.line, 'rule');
        for (const x of r.expressions) claim(x.id, r.line ?? c.line, 'expression');
      }
    } else for (const s of c.sets) claim(s.id, c.line, 'resource set');
  }
  for (const o of config.options) { at(o); claimSet(o.set, o.line); }
  for (const n of config.nodes) { at(n); for (const s of n.sets) claimSet(s, n.line); }
  const nodeIds = new Map<string, number | undefined>();
  const unames = new Map<string, number | undefined>();
  for (const n of config.nodes) {
    at(n);
    for (const [map, key] of [[nodeIds, n.id], [unames, n.uname]] as const) {
      if (map.has(key)) report('LL_CRM_DUPLICATE_ID', { id: key, first: map.get(key) !== undefined ? `at line ${map.get(key)}` : 'earlier' }, n.line, { found: key });
      else map.set(key, n.line);
    }
  }

  // --- resources and containers ---
  const byId = new Map<string, Resource>();
  for (const r of config.resources) if (!byId.has(r.id)) byId.set(r.id, r);
  const parent = new Map<string, string>();
  for (const r of config.resources) {
    at(r);
    const kids = r.kind === 'group' ? r.members : r.kind === 'clone' ? [r.child] : [];
    if (r.kind === 'group' && r.members.length === 0) report('LL_CRM_SYNTAX', { what: `group ${r.id} has no members` }, r.line);
    for (const k of kids) {
      const what = `${r.kind} ${r.id}`;
      const child = byId.get(k);
      if (!child) { report('LL_CRM_UNKNOWN_RESOURCE', { what, rsc: k }, r.line, { found: k }); continue; }
      if (r.kind === 'group' && child.kind !== 'primitive') {
        report('LL_CRM_BAD_MEMBER', { what, rsc: k, reason: `a group holds primitives only, and ${k} is a ${child.kind}` }, r.line, { found: k });
        continue;
      }
      if (r.kind === 'clone' && child.kind === 'clone') {
        report('LL_CRM_BAD_MEMBER', { what, rsc: k, reason: 'a clone cannot hold another clone' }, r.line, { found: k });
        continue;
      }
      if (parent.has(k)) {
        report('LL_CRM_BAD_MEMBER', { what, rsc: k, reason: `it is already in ${parent.get(k)}` }, r.line, { found: k });
        continue;
      }
      parent.set(k, r.id);
    }
  }

  const opDefaults = config.options.filter((o) => o.kind === 'op_defaults').flatMap((o) => o.set.pairs);
  const defaultTimeout = opDefaults.find((p) => p.name === 'timeout')?.value;

  for (const r of config.resources) {
    at(r);
    for (const s of r.sets) {
      if (s.tag === 'utilization') { unsupported('utilization attributes', s.pairs[0]?.line ?? r.line, s.pairs[0]?.name); continue; }
      if (s.tag === 'meta_attributes') for (const p of s.pairs) checkMeta(`${r.kind} ${r.id}`, p, r.line);
    }
    if (r.kind === 'primitive') checkPrimitive(r);
  }

  function checkMeta(what: string, p: NvPair, line: number | undefined): void {
    const at = p.line ?? line;
    if (p.legacy) warn('LL_CRM_LEGACY_SPELLING', { what, written: p.legacy.written, read: p.legacy.read }, at, { found: p.legacy.written, expected: p.legacy.read });
    if (!RESOURCE_META.has(p.name)) {
      const hint = META_HINTS[p.name];
      warn('LL_CRM_UNKNOWN_META', { what, name: p.name, hint: hint ? ` (did you mean "${hint}"?)` : ', Pacemaker ignores it' }, at, { found: p.name });
      return;
    }
    const bad = (expected: string) => report('LL_CRM_BAD_VALUE', { what, name: p.name, value: p.value }, at, { found: p.value, expected });
    switch (p.name) {
      case 'target-role': {
        const role = matchEnum(ROLES, p.value);
        if (!role) bad('Started, Stopped, Promoted or Unpromoted');
        else if (role !== 'Started' && role !== 'Stopped') unsupported(`target-role ${role} (promotable clones)`, at, p.value);
        break;
      }
      case 'is-managed': case 'maintenance': case 'critical': case 'allow-migrate': case 'notify': case 'globally-unique':
      case 'interleave': case 'ordered': case 'collocated': case 'allow-unhealthy-nodes':
        if (parseBoolean(p.value) === undefined) bad('true or false');
        break;
      case 'promotable':
        if (parseBoolean(p.value) === undefined) bad('true or false');
        else if (parseBoolean(p.value)) unsupported('a promotable clone (meta promotable=true)', at, `${p.name}=${p.value}`);
        break;
      case 'resource-stickiness': case 'migration-threshold': case 'priority':
        if (normaliseScore(p.value) === undefined) bad('an integer or INFINITY');
        break;
      case 'clone-max': case 'clone-node-max': case 'clone-min':
        if (!/^\d+$/.test(p.value)) bad('a non-negative integer');
        break;
      case 'failure-timeout':
        if (durationMs(p.value) === undefined) bad('a duration such as 60s, 2min or 0');
        break;
      case 'multiple-active':
        if (!['block', 'stop_only', 'stop_start', 'stop_unexpected'].includes(p.value)) bad('block, stop_only, stop_start or stop_unexpected');
        break;
      case 'requires':
        if (!['nothing', 'quorum', 'fencing', 'unfencing'].includes(p.value)) bad('nothing, quorum, fencing or unfencing');
        break;
      default:
        break;
    }
  }

  function checkPrimitive(p: Primitive): void {
    const agent = agentKey(p.class, p.provider, p.type);
    const exists = opts.catalog?.exists(p.class, p.provider, p.type);
    if (exists === false) {
      report('LL_CRM_UNKNOWN_AGENT', { rsc: p.id, agent }, p.line, { found: agentName(p), expected: 'an agent installed under /usr/lib/ocf/resource.d, /etc/init.d, a systemd unit or a fence agent' });
    }
    const md = exists ? opts.catalog?.metadata(p.class, p.provider, p.type) : undefined;
    const params = p.sets.filter((s) => s.tag === 'instance_attributes').flatMap((s) => s.pairs);
    if (md) {
      const known = new Set(md.parameters.map((x) => x.name));
      for (const req of md.parameters.filter((x) => x.required)) {
        if (!params.some((x) => x.name === req.name)) report('LL_CRM_MISSING_PARAM', { rsc: p.id, param: req.name, agent }, p.line, { expected: `params ${req.name}=…` });
      }
      for (const x of params) {
        if (!known.has(x.name)) report('LL_CRM_UNKNOWN_PARAM', { rsc: p.id, param: x.name, agent }, x.line ?? p.line, { found: x.name, expected: [...known].slice(0, 12).join(', ') });
      }
    }
    // Operations.
    const seenOps = new Map<string, number | undefined>();
    let hasMonitor = false;
    for (const o of p.ops) {
      const at = o.line ?? p.line;
      const what = `primitive ${p.id} op ${o.name}`;
      if (!OP_NAMES.has(o.name)) report('LL_CRM_BAD_VALUE', { what: `primitive ${p.id}`, name: 'op', value: o.name }, at, { found: o.name, expected: [...OP_NAMES].join(', ') });
      const get = (k: string) => o.attrs.find(([a]) => a === k)?.[1];
      if (get('interval') === undefined) {
        report('LL_CRM_OP_NO_INTERVAL', { rsc: p.id, op: o.name }, at, { found: `op ${o.name}`, expected: 'interval=… (e.g. interval=10s; a monitor without one never runs)' });
      }
      const interval = get('interval') ?? '0';
      const ms = durationMs(interval);
      for (const k of ['interval', 'timeout', 'start-delay']) {
        const v = get(k);
        if (v !== undefined && durationMs(v) === undefined) report('LL_CRM_BAD_VALUE', { what, name: k, value: v }, at, { found: v, expected: 'a duration such as 10s, 1m, 30 (seconds) or 500ms' });
      }
      const onFail = get('on-fail');
      if (onFail !== undefined && !matchEnum(ON_FAIL, onFail)) report('LL_CRM_BAD_VALUE', { what, name: 'on-fail', value: onFail }, at, { found: onFail, expected: ON_FAIL.join(', ') });
      if (onFail === 'demote') unsupported('on-fail=demote (promotable clones)', at, onFail);
      const enabled = get('enabled');
      if (enabled !== undefined && parseBoolean(enabled) === undefined) report('LL_CRM_BAD_VALUE', { what, name: 'enabled', value: enabled }, at, { found: enabled, expected: 'true or false' });
      const role = get('role');
      if (role !== undefined) {
        const r = matchEnum(ROLES, role);
        if (!r) report('LL_CRM_BAD_VALUE', { what, name: 'role', value: role }, at, { found: role, expected: ROLES.join(', ') });
        else if (r !== 'Started' && r !== 'Stopped') unsupported(`an op for role ${r} (promotable clones)`, at, role);
      }
      if (o.name === 'monitor') {
        hasMonitor = true;
        if (ms === 0 && o.attrs.some(([k]) => k === 'interval')) warn('LL_CRM_OP_NO_INTERVAL', { rsc: p.id, op: 'monitor' }, at, { found: 'interval=0', expected: 'a recurring interval such as 10s' });
      }
      if (ms !== undefined && ms > 0 && CANNOT_RECUR.has(o.name)) {
        report('LL_CRM_BAD_VALUE', { what, name: 'interval', value: interval }, at, { found: `interval=${interval}`, expected: `interval=0: a ${o.name} cannot recur` });
      }
      // Pacemaker allows one op per name and interval, whatever the role (role-specific monitors need distinct intervals).
      const key = `${o.name}/${ms ?? interval}`;
      if (ms !== undefined && seenOps.has(key)) {
        // Pacemaker refuses a repeated recurring op; a repeated one-shot op (two "op start") it takes the first of.
        report('LL_CRM_DUPLICATE_OP', { rsc: p.id, op: o.name, interval }, at, {
          found: `op ${o.name} interval=${interval}`, ...(ms > 0 ? {} : { severity: 'warning' as const, expected: 'one definition (Pacemaker uses the first)' }),
        });
      } else seenOps.set(key, at);
      for (const l of o.legacy ?? []) {
        warn('LL_CRM_LEGACY_SPELLING', { what: `${p.id}: op ${o.name}`, written: l.written, read: l.read }, l.line ?? at, { found: l.written, expected: l.read });
      }
      for (const x of o.params?.pairs ?? []) {
        if (x.name === 'OCF_CHECK_LEVEL') continue;
        const hint = OP_HINTS[x.name];
        if (hint || /_/.test(x.name) || !/^[A-Z]/.test(x.name)) {
          warn('LL_CRM_UNKNOWN_OP_ATTR', { rsc: p.id, op: o.name, name: x.name, hint: hint ? ` (did you mean "${hint}"?)` : '' }, x.line ?? at, { found: `${x.name}=${x.value}` });
        }
      }
    }
    if (!hasMonitor) warn('LL_CRM_NO_MONITOR', { rsc: p.id }, p.line, { expected: 'op monitor interval=… timeout=…' });
    // Timeouts below what the agent advises (crmsh's check), for start, stop and defined monitors.
    if (md) {
      for (const opName of ['start', 'stop', 'monitor']) {
        const adv = md.actions.find((a) => a.name === opName)?.timeout;
        const advMs = adv !== undefined ? durationMs(adv) : undefined;
        if (adv === undefined || advMs === undefined) continue;
        const ops = p.ops.filter((o) => o.name === opName);
        if (opName === 'monitor' && ops.length === 0) continue;
        const cases = ops.length ? ops.map((o) => ({ t: o.attrs.find(([k]) => k === 'timeout')?.[1], line: o.line ?? p.line })) : [{ t: undefined, line: p.line }];
        for (const c of cases) {
          const actual = c.t ?? defaultTimeout ?? DEFAULT_OP_TIMEOUT;
          const actualMs = durationMs(actual);
          if (actualMs !== undefined && actualMs < advMs) {
            warn('LL_CRM_TIMEOUT_BELOW_ADVISED', { rsc: p.id, which: c.t !== undefined ? 'specified' : 'default', timeout: actual, op: opName, advised: adv }, c.line, { found: actual, expected: `timeout=${adv} or more` });
          }
        }
      }
    }
  }

  // --- constraints ---
  const nodeNames = new Set(config.nodes.map((n) => n.uname));
  // The clone a resource sits in, directly or through its group: constraints must name the clone instead.
  const cloneOf = (id: string): string | undefined => {
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) if (byId.get(cur)?.kind === 'clone') return cur;
    return undefined;
  };
  const ref = (what: string, rsc: string | undefined, line: number | undefined) => {
    if (rsc === undefined || rsc === '') { report('LL_CRM_SYNTAX', { what: `${what} names no resource` }, line); return; }
    if (!byId.has(rsc)) { report('LL_CRM_UNKNOWN_RESOURCE', { what, rsc }, line, { found: rsc }); return; }
    const clone = cloneOf(rsc);
    if (clone !== undefined) report('LL_CRM_BAD_MEMBER', { what, rsc, reason: `it is inside clone ${clone}; constraints name the clone` }, line, { found: rsc, expected: clone });
  };
  const constraintRole = (what: string, role: string | undefined, line: number | undefined) => {
    if (role === undefined) return;
    const r = matchEnum(ROLES, role);
    if (!r) report('LL_CRM_BAD_VALUE', { what, name: 'role', value: role }, line, { found: role, expected: 'Started or Stopped' });
    else if (r !== 'Started' && r !== 'Stopped') unsupported(`role ${r} in a constraint (promotable clones)`, line, role);
  };
  const score = (what: string, s: string | undefined, line: number | undefined) => {
    if (s !== undefined && normaliseScore(s) === undefined) report('LL_CRM_BAD_SCORE', { score: s }, line, { found: s, expected: 'an integer, INFINITY or -INFINITY' });
  };
  for (const c of config.constraints) {
    at(c);
    const what = `${c.kind} ${c.id}`;
    switch (c.kind) {
      case 'location':
        ref(what, c.rsc, c.line);
        constraintRole(what, c.role, c.line);
        if (c.resourceDiscovery !== undefined && c.resourceDiscovery !== 'always') unsupported(`resource-discovery=${c.resourceDiscovery}`, c.line, c.resourceDiscovery);
        score(what, c.score, c.line);
        if (c.node !== undefined && nodeNames.size > 0 && !nodeNames.has(c.node)) warn('LL_CRM_UNKNOWN_NODE', { what, node: c.node }, c.line, { found: c.node, expected: [...nodeNames].join(', ') });
        if (c.rules.length === 0 && (c.score === undefined || c.node === undefined)) report('LL_CRM_SYNTAX', { what: `${what} has neither SCORE: NODE nor a rule` }, c.line);
        for (const r of c.rules) {
          const rl = r.line ?? c.line;
          score(what, r.score, rl);
          constraintRole(what, r.role, rl);
          if (r.expressions.length === 0) report('LL_CRM_SYNTAX', { what: `${what}: rule ${r.id} has no expression` }, rl);
          for (const x of r.expressions) {
            const isUnary = x.operation === 'defined' || x.operation === 'not_defined';
            if (!isUnary && !(BINARY_OPS as readonly string[]).includes(x.operation)) report('LL_CRM_BAD_VALUE', { what, name: 'operation', value: x.operation }, rl, { found: x.operation, expected: `${BINARY_OPS.join(', ')}, defined, not_defined` });
            if (x.type !== undefined && !(EXPR_TYPES as readonly string[]).includes(x.type)) report('LL_CRM_BAD_VALUE', { what, name: 'type', value: x.type }, rl, { found: x.type, expected: EXPR_TYPES.join(', ') });
            if (!isUnary && x.value === undefined) report('LL_CRM_SYNTAX', { what: `${what}: expression ${x.id} has no value` }, rl);
            if (x.type === 'number' || x.type === 'integer') {
              if (x.value !== undefined && !/^[+-]?\d+(\.\d+)?$/.test(x.value)) report('LL_CRM_BAD_VALUE', { what, name: 'number', value: x.value }, rl, { found: x.value, expected: 'a number' });
            }
          }
        }
        break;
      case 'colocation':
        score(what, c.score, c.line);
        if (c.nodeAttribute !== undefined) unsupported('colocation node-attribute', c.line, c.nodeAttribute);
        constraintRole(what, c.rscRole, c.line);
        constraintRole(what, c.withRscRole, c.line);
        if (c.sets.length) for (const s of c.sets) for (const r of s.refs) ref(what, r, c.line);
        else { ref(what, c.rsc, c.line); ref(what, c.withRsc, c.line); }
        if (!c.sets.length && c.rsc !== undefined && c.rsc === c.withRsc) report('LL_CRM_BAD_MEMBER', { what, rsc: c.rsc, reason: 'a resource cannot be colocated with itself' }, c.line, { found: c.rsc });
        break;
      case 'order':
        if (c.orderKind !== undefined && !matchEnum(ORDER_KINDS, c.orderKind)) report('LL_CRM_BAD_VALUE', { what, name: 'kind', value: c.orderKind }, c.line, { found: c.orderKind, expected: ORDER_KINDS.join(', ') });
        score(what, c.score, c.line);
        for (const a of [c.firstAction, c.thenAction]) {
          if (a === undefined) continue;
          const m = matchEnum(ORDER_ACTIONS, a);
          if (!m) report('LL_CRM_BAD_VALUE', { what, name: 'action', value: a }, c.line, { found: a, expected: ORDER_ACTIONS.join(', ') });
          else if (m === 'promote' || m === 'demote') unsupported(`order action ${m} (promotable clones)`, c.line, a);
        }
        if (c.symmetrical !== undefined && parseBoolean(c.symmetrical) === undefined) report('LL_CRM_BAD_VALUE', { what, name: 'symmetrical', value: c.symmetrical }, c.line, { found: c.symmetrical, expected: 'true or false' });
        if (c.sets.length) for (const s of c.sets) for (const r of s.refs) ref(what, r, c.line);
        else { ref(what, c.first, c.line); ref(what, c.then, c.line); }
        if (!c.sets.length && c.first !== undefined && c.first === c.then) report('LL_CRM_BAD_MEMBER', { what, rsc: c.first, reason: 'a resource cannot be ordered after itself' }, c.line, { found: c.first });
        break;
    }
  }

  // --- cluster options, defaults, nodes ---
  for (const o of config.options) {
    at(o);
    for (const p of o.set.pairs) {
      const at = p.line ?? o.line;
      const bad = (expected: string) => report('LL_CRM_BAD_VALUE', { what: `${o.kind} ${o.set.id}`, name: p.name, value: p.value }, at, { found: p.value, expected });
      if (o.kind === 'property') {
        if (p.name === 'default-resource-stickiness' || p.name === 'is-managed-default' || p.name === 'default-action-timeout') {
          const instead = p.name === 'default-resource-stickiness' ? 'use rsc_defaults resource-stickiness=…'
            : p.name === 'is-managed-default' ? 'use rsc_defaults is-managed=…' : 'use op_defaults timeout=…';
          warn('LL_CRM_OBSOLETE_PROPERTY', { set: o.set.id, name: p.name, instead }, at, { found: p.name });
          continue;
        }
        if (!CLUSTER_PROPERTIES.has(p.name)) { warn('LL_CRM_UNKNOWN_PROPERTY', { set: o.set.id, name: p.name }, at, { found: p.name }); continue; }
        if (BOOLEAN_PROPERTIES.has(p.name) && parseBoolean(p.value) === undefined) bad('true or false');
        if (DURATION_PROPERTIES.has(p.name) && durationMs(p.value) === undefined) bad('a duration such as 15min or 60s');
        if (p.name === 'no-quorum-policy' && !['stop', 'freeze', 'ignore', 'demote', 'suicide'].includes(p.value)) bad('stop, freeze, ignore, demote or suicide');
        if (p.name === 'placement-strategy') {
          if (!['default', 'utilization', 'minimal', 'balanced'].includes(p.value)) bad('default, utilization, minimal or balanced');
          else if (p.value !== 'default') unsupported(`placement-strategy=${p.value}`, at, p.value);
        }
        if (p.name === 'node-health-strategy' && p.value !== 'none') unsupported(`node-health-strategy=${p.value}`, at, p.value);
      } else if (o.kind === 'rsc_defaults') {
        checkMeta(`rsc_defaults ${o.set.id}`, p, o.line);
      } else {
        if (!OP_DEFAULTS.has(p.name)) warn('LL_CRM_UNKNOWN_META', { what: `op_defaults ${o.set.id}`, name: p.name, hint: OP_HINTS[p.name] ? ` (did you mean "${OP_HINTS[p.name]}"?)` : '' }, at, { found: p.name });
        else if ((p.name === 'timeout' || p.name === 'interval') && durationMs(p.value) === undefined) bad('a duration such as 30s');
      }
    }
  }
  for (const n of config.nodes) {
    at(n);
    for (const s of n.sets) {
      if (s.tag === 'utilization') { unsupported('utilization attributes', s.pairs[0]?.line ?? n.line, s.pairs[0]?.name); continue; }
      for (const p of s.pairs) {
        if ((p.name === 'standby' || p.name === 'maintenance') && parseBoolean(p.value) === undefined) {
          report('LL_CRM_BAD_VALUE', { what: `node ${n.uname}`, name: p.name, value: p.value }, p.line ?? n.line, { found: p.value, expected: 'on or off' });
        }
      }
    }
    if (n.type === 'remote' || n.type === 'ping') unsupported(`a ${n.type} node`, n.line, n.type);
  }

  // --- fencing: Pacemaker starts nothing while stonith is enabled and no fence device is defined ---
  const stonithValue = config.options.filter((o) => o.kind === 'property').flatMap((o) => o.set.pairs).find((p) => p.name === 'stonith-enabled')?.value;
  const stonithEnabled = stonithValue === undefined ? true : parseBoolean(stonithValue) ?? true;
  file = opts.file;
  if (stonithEnabled && !config.resources.some((r) => r.kind === 'primitive' && r.class === 'stonith')) {
    report('LL_CRM_NO_STONITH', {}, undefined, { expected: 'a stonith:… primitive, or property stonith-enabled=false' });
  }
  return out;
}

/** True when any diagnostic is an error (the exit status of verify). */
export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');
