// The heartbeat 2 spellings old how-tos use (seed 003: on_fail, start_delay, disabled, target_role), and the names
// Pacemaker 1.0's upgrade of heartbeat-2 configurations gave them: one table read by the parser and by verify.

/** Operation attributes written with heartbeat 2's underscores → today's name (`disabled` is negated into `enabled`). */
export const LEGACY_OP_ATTRS: Readonly<Record<string, string>> = {
  on_fail: 'on-fail', start_delay: 'start-delay', record_pending: 'record-pending', interval_origin: 'interval-origin',
  disabled: 'enabled',
};

/** Resource meta attributes written with heartbeat 2's underscores → today's name. */
export const LEGACY_META: Readonly<Record<string, string>> = {
  target_role: 'target-role', is_managed: 'is-managed', resource_stickiness: 'resource-stickiness',
  migration_threshold: 'migration-threshold',
  failure_timeout: 'failure-timeout', multiple_active: 'multiple-active', allow_migrate: 'allow-migrate',
  clone_max: 'clone-max', clone_node_max: 'clone-node-max', globally_unique: 'globally-unique',
};

/** One attribute read under another name than the one written, for verify's warning. */
export interface LegacySpelling {
  /** As written, e.g. `disabled=false`. */
  readonly written: string;
  /** As read, e.g. `enabled=true`. */
  readonly read: string;
  readonly line?: number;
}

/** An op attribute in today's spelling, or undefined when `name` is not a heartbeat 2 one. */
export function modernOpAttr(name: string, value: string): readonly [string, string] | undefined {
  const today = LEGACY_OP_ATTRS[name];
  if (today === undefined) return undefined;
  if (name !== 'disabled') return [today, value];
  const v = value.toLowerCase();
  const off = v === 'true' || v === 'yes' || v === 'on' || v === '1';
  const on = v === 'false' || v === 'no' || v === 'off' || v === '0';
  // A value that is no boolean is passed on as written, so verify's check of `enabled` names it.
  return [today, off ? 'false' : on ? 'true' : value];
}
