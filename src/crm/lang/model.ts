// The typed form of a Pacemaker configuration section, shaped like the CIB XML it maps to.
// crm text and CIB XML both become this model, so one renderer per side keeps the two in step.
import type { LegacySpelling } from './legacy.js';

/** One `<nvpair name= value= id=>`. */
export interface NvPair extends Pos {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  /** Set when the text used heartbeat 2's spelling of the name (read as `name`; verify warns). */
  readonly legacy?: LegacySpelling;
}

/** Which XML element an attribute block is: resource params, meta attributes or utilization. */
export type NvSetTag = 'instance_attributes' | 'meta_attributes' | 'utilization' | 'cluster_property_set';

/** An attribute block (`params`, `meta`, `attributes`, `property` …) with its own id. */
export interface NvSet {
  readonly tag: NvSetTag;
  readonly id: string;
  readonly pairs: readonly NvPair[];
}

/** Source position of a statement or of the token a diagnostic points at (1-based line). */
export interface Pos {
  readonly line?: number;
  /** The file the object was read from, when it differs from the one being loaded (objects kept from an existing CIB). */
  readonly file?: string;
}

/** `op NAME attr=value …`: attributes in written order (crmsh keeps it), instance attributes for the agent. */
export interface Op extends Pos {
  readonly id: string;
  readonly name: string;
  /** Operation attributes as written, e.g. [['interval','10s'],['timeout','20s']]; interval always present. */
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  /** `op_params` and unknown op attributes such as OCF_CHECK_LEVEL: the op's instance_attributes. */
  readonly params?: NvSet;
  /** `op_meta`: the op's meta_attributes. */
  readonly meta?: NvSet;
  /** Attributes written in heartbeat 2's spelling and read in today's (verify warns about each). */
  readonly legacy?: readonly LegacySpelling[];
}

/** `primitive ID class[:provider]:type …`. */
export interface Primitive extends Pos {
  readonly kind: 'primitive';
  readonly id: string;
  readonly class: string;
  readonly provider?: string;
  readonly type: string;
  readonly description?: string;
  /** instance_attributes, meta_attributes and utilization blocks, in written order. */
  readonly sets: readonly NvSet[];
  readonly ops: readonly Op[];
}

/** `group ID RSC…`: members are primitive ids, started in order and kept together. */
export interface Group extends Pos {
  readonly kind: 'group';
  readonly id: string;
  readonly description?: string;
  readonly members: readonly string[];
  readonly sets: readonly NvSet[];
}

/** `clone ID RSC` (anonymous or globally-unique; promotable clones are refused by verify). */
export interface Clone extends Pos {
  readonly kind: 'clone';
  readonly id: string;
  readonly description?: string;
  readonly child: string;
  readonly sets: readonly NvSet[];
}

export type Resource = Primitive | Group | Clone;

/** `<expression attribute= operation= [type=] [value=]>` inside a location rule. */
export interface Expression {
  readonly id: string;
  readonly attribute: string;
  /** lt gt lte gte eq ne defined not_defined */
  readonly operation: string;
  readonly type?: string;
  readonly value?: string;
}

/** `rule [$id=] [$role=] SCORE|SCORE-ATTRIBUTE: expr [and|or expr]…`. */
export interface Rule extends Pos {
  readonly id: string;
  readonly score?: string;
  readonly scoreAttribute?: string;
  readonly role?: string;
  readonly booleanOp?: 'and' | 'or';
  readonly expressions: readonly Expression[];
}

/** `location ID RSC [role=] SCORE: NODE` or `location ID RSC rule …`. */
export interface Location extends Pos {
  readonly kind: 'location';
  readonly id: string;
  readonly rsc: string;
  readonly role?: string;
  readonly resourceDiscovery?: string;
  readonly score?: string;
  readonly node?: string;
  readonly rules: readonly Rule[];
}

/** A plain resource set as crmsh writes for `colocation`/`order` with more than two resources. */
export interface ResourceSet {
  readonly id: string;
  readonly refs: readonly string[];
}

/** `colocation ID SCORE: RSC[:role] WITH-RSC[:role]` (RSC placed relative to WITH-RSC), or a set of 3+. */
export interface Colocation extends Pos {
  readonly kind: 'colocation';
  readonly id: string;
  readonly score: string;
  readonly rsc?: string;
  readonly rscRole?: string;
  readonly withRsc?: string;
  readonly withRscRole?: string;
  readonly nodeAttribute?: string;
  readonly sets: readonly ResourceSet[];
}

/** `order ID [KIND:] FIRST[:action] THEN[:action] [symmetrical=]`, or a set of 3+. */
export interface Order extends Pos {
  readonly kind: 'order';
  readonly id: string;
  /** Mandatory | Optional | Serialize; absent means Pacemaker's default (Mandatory). */
  readonly orderKind?: string;
  /** Only from XML written by other tools: crmsh turns scores into kinds. */
  readonly score?: string;
  readonly first?: string;
  readonly firstAction?: string;
  readonly then?: string;
  readonly thenAction?: string;
  readonly symmetrical?: string;
  readonly sets: readonly ResourceSet[];
}

export type Constraint = Location | Colocation | Order;

/** `node [ID:] UNAME[:TYPE] [attributes …]`. */
export interface CrmNode extends Pos {
  readonly kind: 'node';
  readonly id: string;
  readonly uname: string;
  readonly type?: string;
  readonly description?: string;
  readonly sets: readonly NvSet[];
}

/** `property`, `rsc_defaults` or `op_defaults` statement: one named attribute block. */
export interface OptionSet extends Pos {
  readonly kind: 'property' | 'rsc_defaults' | 'op_defaults';
  readonly set: NvSet;
}

/** A whole `<configuration>`: each list in CIB document order. */
export interface CrmConfig {
  readonly nodes: readonly CrmNode[];
  /** Every resource definition, nested ones included; top-level order is CIB order. */
  readonly resources: readonly Resource[];
  readonly constraints: readonly Constraint[];
  readonly options: readonly OptionSet[];
}

/** A configuration with nothing in it (what `cibadmin --empty` holds). */
export const emptyConfig = (): CrmConfig => ({ nodes: [], resources: [], constraints: [], options: [] });

/** The ids of resources that sit inside a group or clone, mapped to that container's id. */
export function parentsOf(config: CrmConfig): Map<string, string> {
  const parents = new Map<string, string>();
  for (const r of config.resources) {
    if (r.kind === 'group') for (const m of r.members) if (!parents.has(m)) parents.set(m, r.id);
    if (r.kind === 'clone' && !parents.has(r.child)) parents.set(r.child, r.id);
  }
  return parents;
}

/** The resources not contained in a group or clone, in CIB order. */
export function topLevelResources(config: CrmConfig): Resource[] {
  const parents = parentsOf(config);
  return config.resources.filter((r) => !parents.has(r.id));
}
