// `lifeline check [--config-dir DIR] [--node-name NAME] [--json]`: validates ha.cf, haresources and authkeys
// (`--cluster`: compares them with the other nodes' over ssh, see ../check-cluster.ts).
// Prints the effective configuration with defaults and every error and warning; exit 0 when valid, 1 when not, 2 on usage.

import { diag, formatDiagnostic, type Diagnostic } from '../../errors.js';
import { describeMedium } from '../../config/advice.js';
import { effectiveSettings } from '../../config/effective.js';
import { loadConfigDir, type LoadedConfig } from '../../config/load.js';
import { deviceFor } from '../../fencing/device.js';

export const summary = 'validate /etc/ha.d (ha.cf, haresources, authkeys) and print the effective configuration';

const USAGE = 'usage: lifeline check [--config-dir DIR] [--node-name NAME] [--json]';

interface CheckArgs {
  readonly configDir: string;
  readonly nodeName?: string;
  readonly json: boolean;
}

/** Reads the command line; returns a usage diagnostic instead when it is wrong. */
export function parseCheckArgs(argv: readonly string[]): CheckArgs | Diagnostic {
  let configDir = '/etc/ha.d';
  let nodeName: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--json') json = true;
    else if (flag === '--config-dir') {
      const v = value();
      if (!v) return diag('LL_USAGE', { message: `--config-dir needs a directory; ${USAGE}` });
      configDir = v;
    } else if (flag === '--node-name') {
      const v = value();
      if (!v) return diag('LL_USAGE', { message: `--node-name needs a name; ${USAGE}` });
      nodeName = v;
    } else return diag('LL_USAGE', { message: `unknown argument "${a}"; ${USAGE}` }, { found: a });
  }
  return { configDir, json, ...(nodeName !== undefined ? { nodeName } : {}) };
}

/** The --json document: effective configuration and diagnostics. Secrets of authkeys are never printed. */
export function checkReport(cfg: LoadedConfig): Record<string, unknown> {
  return {
    valid: cfg.valid,
    configDir: cfg.dir,
    nodeName: cfg.facts.nodeName,
    hostname: cfg.facts.hostname,
    files: cfg.files,
    haCf: cfg.haCf ? {
      settings: effectiveSettings(cfg.haCf),
      media: cfg.haCf.media,
      pingNodes: cfg.haCf.pingNodes,
      apiauth: cfg.haCf.apiauth,
      respawn: cfg.haCf.clients,
      stonith: cfg.haCf.stonith,
    } : null,
    haresources: cfg.groups ?? null,
    authkeys: cfg.authkeys ? {
      active: cfg.authkeys.active.index,
      method: cfg.authkeys.active.method,
      keys: [...cfg.authkeys.keys.values()].map((k) => ({ index: k.index, method: k.method })),
    } : null,
    errors: cfg.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: cfg.diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics: cfg.diagnostics,
  };
}

/** The human report: effective settings (defaults marked), media, groups, keys, then every diagnostic. */
export function renderCheck(cfg: LoadedConfig): string {
  const lines: string[] = [];
  lines.push(`Configuration ${cfg.dir}, checked as node "${cfg.facts.nodeName}" (this machine: ${cfg.facts.hostname})`);
  if (cfg.haCf) {
    lines.push('', `${cfg.files.haCf} (effective; "default" = not written, heartbeat's default applies):`);
    const settings = effectiveSettings(cfg.haCf);
    const w = Math.max(...settings.map((s) => s.directive.length));
    for (const s of settings) {
      lines.push(`  ${s.directive.padEnd(w)}  ${s.value}${s.defaulted ? '   [default]' : `   [line ${s.line}]`}`);
    }
    lines.push('  media:');
    for (const m of cfg.haCf.media) {
      const port = 'port' in m ? ` (udp port ${m.port})` : m.kind === 'serial' ? ` (${m.baud} baud)` : '';
      lines.push(`    ${describeMedium(m)}${port}   [line ${m.line}]`);
    }
    for (const p of cfg.haCf.pingNodes) lines.push(`    ${p.kind} ${p.kind === 'ping_group' ? `${p.name} ${p.hosts.join(' ')}` : p.name}   [line ${p.line}]`);
    for (const a of cfg.haCf.apiauth) lines.push(`  apiauth ${a.client}${a.uids.length ? ` uid=${a.uids.join(',')}` : ''}${a.gids.length ? ` gid=${a.gids.join(',')}` : ''}   [line ${a.line}]`);
    for (const c of cfg.haCf.clients) lines.push(`  ${c.failfast ? 'failfast' : 'respawn'} ${c.user} ${c.command}   [line ${c.line}]`);
    for (const s of cfg.haCf.stonith) lines.push(`  ${s.kind} ${s.host ? `${s.host} ` : ''}${s.type} ${s.params}   [line ${s.line}]`);
    if (cfg.haCf.stonith.length > 0) {
      // heartbeat keeps one device per node, the last line that applies to it: say which one that is.
      const dev = deviceFor(cfg.haCf, cfg.facts.nodeName);
      lines.push(dev ? `  STONITH device on ${cfg.facts.nodeName.toLowerCase()}: ${dev.type} (line ${dev.line}); a dead peer is reset before its groups are taken`
        : `  no stonith line applies to ${cfg.facts.nodeName.toLowerCase()}: "No STONITH device configured."`);
    }
  }
  if (cfg.groups) {
    lines.push('', `${cfg.files.haresources}:`);
    for (const g of cfg.groups) lines.push(`  ${g.preferredNode}: ${g.resources.map((r) => (r.type === 'IPaddr' && r.text === r.args[0] ? `IPaddr::${r.text}` : r.text)).join(' ') || '(no resources)'}   [line ${g.line}]`);
  }
  if (cfg.authkeys) {
    lines.push('', `${cfg.files.authkeys}: signing with key ${cfg.authkeys.active.index} (${cfg.authkeys.active.method}); ${cfg.authkeys.keys.size} key(s) accepted`);
  }
  const errors = cfg.diagnostics.filter((d) => d.severity === 'error');
  const warnings = cfg.diagnostics.filter((d) => d.severity === 'warning');
  if (cfg.diagnostics.length) {
    lines.push('', 'Problems:');
    for (const d of [...errors, ...warnings]) lines.push(`  ${formatDiagnostic(d)}`);
  }
  lines.push('', cfg.valid
    ? `VALID: heartbeat would start with this configuration (${warnings.length} warning(s)).`
    : `INVALID: ${errors.length} error(s), ${warnings.length} warning(s).`);
  return lines.join('\n') + '\n';
}

export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--cluster')) return (await import('../check-cluster.js')).runCheckCluster(argv);
  const args = parseCheckArgs(argv);
  if ('code' in args) {
    process.stderr.write(formatDiagnostic(args) + '\n');
    return 2;
  }
  const cfg = await loadConfigDir(args.configDir, args.nodeName !== undefined ? { nodeName: args.nodeName } : {});
  process.stdout.write(args.json ? JSON.stringify(checkReport(cfg), jsonReplacer, 2) + '\n' : renderCheck(cfg));
  return cfg.valid ? 0 : 1;
}

/** Maps and Sets become objects and arrays in JSON. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
