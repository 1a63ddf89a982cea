// Which STONITH device a node uses in haresources mode, and whether ha.cf's stonith lines fit the plugins installed.
// Pure: heartbeat 3.0.6's config.c rules (the last `stonith` or `stonith_host */<me>` line wins) and the catalogue as data.

import { diag, type Diagnostic } from '../errors.js';
import type { HaCf, StonithConfig } from '../config/hacf-model.js';

/** The device this node resets its peers with: a cluster-glue plugin type and its parameter text (`-p` syntax). */
export interface StonithDevice {
  readonly type: string;
  /** Parameters in the order of the plugin's config names (`stonith -t TYPE -n`), the last one taking the rest. */
  readonly params: string;
  /** The ha.cf line that chose it, or the config file a `stonith TYPE FILE` line names. */
  readonly line: number;
  readonly configFile?: string;
}

/**
 * The ha.cf lines that apply on `me`, in file order: `stonith` lines and `stonith_host` lines for `*` or this node.
 * heartbeat ignores a stonith_host line for another host without a word (set_stonith_host_info returns HA_OK).
 */
export function applicableStonith(h: Pick<HaCf, 'stonith'>, me: string): StonithConfig[] {
  const self = me.toLowerCase();
  return h.stonith.filter((s) => s.kind === 'stonith' || s.host === '*' || s.host === self);
}

/**
 * The device heartbeat would use on `me`: each applicable line replaces `config->stonith`, so the last one wins.
 * `configText` reads the file of a `stonith TYPE FILE` line (undefined: unreadable), since its first line that is
 * not a comment carries the parameters.
 */
export function deviceFor(h: Pick<HaCf, 'stonith'>, me: string, configText: (file: string) => string | undefined = () => undefined): StonithDevice | undefined {
  const last = applicableStonith(h, me).at(-1);
  if (!last) return undefined;
  if (last.kind === 'stonith_host') return { type: last.type, params: last.params, line: last.line };
  return { type: last.type, params: firstConfigLine(configText(last.params) ?? '') ?? '', line: last.line, configFile: last.params };
}

/** stonith_set_config_file: the first line not starting with `#` and not empty is the parameter line. */
export function firstConfigLine(text: string): string | undefined {
  return text.split('\n').find((l) => l !== '' && !l.startsWith('#'));
}

/**
 * stonith1_compat_string_to_NVpair: one whitespace-separated word per config name, the last name taking the rest
 * of the line; fewer words than names is S_BADCONFIG. Returns the pairs, or undefined when words are missing.
 */
export function paramPairs(names: readonly string[], params: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let rest = params.replace(/^[ \t\n\r\f]+/, '');
  for (const [i, name] of names.entries()) {
    if (rest === '') return undefined;
    if (i === names.length - 1) { out.set(name, rest); break; }
    const m = /^(\S+)[ \t\n\r\f]*/.exec(rest)!;
    out.set(name, m[1]!);
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** What the installed cluster-glue says about plugin types: their config names, or null for an unknown type. */
export interface StonithCatalog {
  /** False when the `stonith` command is not installed at all. */
  readonly installed: boolean;
  readonly names: ReadonlyMap<string, readonly string[] | null>;
}

/**
 * Checks every stonith line of ha.cf against the catalogue (`stonith -t TYPE -n`), with file and line:
 * an unknown plugin type, missing parameters, an unreadable config file, and a device that cannot reset the peer
 * because its host parameter names this very node (external/ipmi and friends reset whatever `hostname` says).
 */
export function checkStonith(h: HaCf, me: string, catalog: StonithCatalog, configText: (file: string) => string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (h.stonith.length === 0) return out;
  const at = (line: number) => ({ file: h.file, line });
  if (!catalog.installed) {
    out.push(diag('LL_STONITH_NOT_INSTALLED', {}, { severity: 'error', location: at(h.stonith[0]!.line), expected: 'the cluster-glue package (the stonith command and its plugins)' }));
    return out;
  }
  const known = [...catalog.names.entries()].filter(([, n]) => n !== null).map(([t]) => t);
  for (const s of h.stonith) {
    const names = catalog.names.get(s.type);
    if (!names) {
      out.push(diag('LL_STONITH_BAD_TYPE', { type: s.type }, { location: at(s.line), found: s.type, expected: nearestType(s.type, known) }));
      continue;
    }
    let params = s.params;
    if (s.kind === 'stonith') {
      const text = configText(s.params);
      if (text === undefined) { out.push(diag('LL_STONITH_BAD_CONFIG_FILE', { file: s.params }, { location: at(s.line), found: s.params, expected: `a readable file whose first line gives ${names.join(' ')}` })); continue; }
      params = firstConfigLine(text) ?? '';
    }
    const pairs = paramPairs(names, params);
    if (!pairs) {
      out.push(diag('LL_STONITH_BAD_PARAMS', { text: params.trim(), type: s.type }, {
        location: at(s.line), found: params.trim() || '(no parameters)', expected: names.length ? `${names.length} parameter(s) in this order: ${names.join(' ')}` : 'no parameters',
      }));
      continue;
    }
    // A device that resets exactly one host (a BMC) cannot reset the peer from the node it is for.
    const target = pairs.get('hostname')?.toLowerCase();
    const users = s.kind === 'stonith' || s.host === '*' ? h.nodes : h.nodes.filter((n) => n === s.host);
    const self = users.filter((n) => n === target);
    if (target !== undefined && self.length > 0) {
      out.push(diag('LL_STONITH_RESETS_ITSELF', { node: self[0]!, type: s.type }, {
        severity: 'warning', location: at(s.line), found: `${s.kind} ${s.host ?? ''} ${s.type} ${s.params}`.replace(/\s+/g, ' '),
        expected: `one stonith_host line per node naming the other node's device, e.g. "stonith_host ${self[0]} ${s.type} ${h.nodes.find((n) => n !== self[0]) ?? 'PEER'} ..."`,
      }));
    }
  }
  if (!h.nodes.includes(me.toLowerCase() as never)) return out;
  const mine = applicableStonith(h, me);
  if (mine.length > 1) {
    out.push(diag('LL_STONITH_LAST_WINS', { node: me.toLowerCase(), line: mine.at(-1)!.line }, { severity: 'warning', location: at(mine[0]!.line), expected: 'one stonith or stonith_host line per node' }));
  }
  return out;
}

function nearestType(type: string, known: readonly string[]): string {
  const close = known.filter((k) => k === `external/${type}` || k.endsWith(`/${type}`) || k.toLowerCase() === type.toLowerCase());
  return close.length ? `a plugin type such as "${close[0]}" (stonith -L lists them)` : 'a plugin type that `stonith -L` lists';
}
