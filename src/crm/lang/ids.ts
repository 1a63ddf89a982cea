// Generates element ids the way crmsh does (`ip-instance_attributes`, `app-monitor-10s`, `l-rule-0`).
// The same ids on both sides matter: the scheduler, crm_resource and crmsh find elements by them.

/** Keeps every id in use; hands out `prefix`, then `prefix-0`, `prefix-1` … as crmsh's idmgmt does. */
export class IdAllocator {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.used.add(id);
  }

  /** Marks an id given explicitly in the input as taken. */
  reserve(id: string): void {
    this.used.add(id);
  }

  /** True when the id is already taken. */
  has(id: string): boolean {
    return this.used.has(id);
  }

  /** A fresh id derived from `prefix`, cleaned to a valid XML id. */
  next(prefix: string): string {
    const base = sanitizeId(prefix);
    if (!this.used.has(base)) {
      this.used.add(base);
      return base;
    }
    for (let i = 0; ; i++) {
      const id = `${base}-${i}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

/** True when `id` is a valid XML ID (NCName subset Pacemaker's schema accepts). */
export function isValidId(id: string): boolean {
  return /^[A-Za-z_][\w.-]*$/.test(id);
}

/** Replaces characters an XML ID cannot hold, and prefixes ids that start with a digit. */
export function sanitizeId(s: string): string {
  let out = s.replace(/[^\w.-]/g, '_');
  if (!/^[A-Za-z_]/.test(out)) out = `_${out}`;
  return out;
}

/** True when `id` is what an allocator would generate for `prefix` (itself or `prefix-N`). */
export function isGeneratedFrom(id: string, prefix: string): boolean {
  const base = sanitizeId(prefix);
  return id === base || (id.startsWith(`${base}-`) && /^\d+$/.test(id.slice(base.length + 1)));
}
