// Option parsing of the Pacemaker-named tools: short and long forms (`-r X`, `-rX`, `--resource X`,
// `--resource=X`), flags that can be bundled (`-1rf`); an unknown option is a usage error (exit 64, CRM_EX_USAGE).

/** One option: its short letter, long names, and whether it takes a value. */
export interface OptSpec { readonly key: string; readonly short?: string; readonly long: readonly string[]; readonly value: boolean }

/** Parsed options by key (the last value wins; flags count), and the positional arguments. */
export interface Parsed { readonly opts: Map<string, string>; readonly flags: Map<string, number>; readonly rest: string[] }

/** Pacemaker's CRM_EX_USAGE. */
export const RC_USAGE = 64;

export function parseOpts(specs: readonly OptSpec[], argv: readonly string[]): Parsed | string {
  const opts = new Map<string, string>();
  const flags = new Map<string, number>();
  const rest: string[] = [];
  const put = (s: OptSpec, v: string | undefined) => {
    if (s.value) opts.set(s.key, v!); else flags.set(s.key, (flags.get(s.key) ?? 0) + 1);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const s = specs.find((x) => x.long.includes(name));
      if (!s) return `unrecognized option '${a}'`;
      if (s.value) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) return `option '--${name}' requires an argument`;
        put(s, v);
      } else put(s, undefined);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const s = specs.find((x) => x.short === a[j]);
        if (!s) return `invalid option -- '${a[j]}'`;
        if (s.value) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          if (v === undefined) return `option requires an argument -- '${a[j]}'`;
          put(s, v);
          break;
        }
        put(s, undefined);
      }
      continue;
    }
    rest.push(a);
  }
  return { opts, flags, rest };
}

/** Shorthand for a spec. */
export const opt = (key: string, short: string | undefined, long: string | readonly string[], value = false): OptSpec =>
  ({ key, ...(short ? { short } : {}), long: typeof long === 'string' ? [long] : long, value });
