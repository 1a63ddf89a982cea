// What `lifeline propagate` and `lifeline check --cluster` share: their options, and the list of peers (every
// `node` of ha.cf but this one), read through the same loader as `lifeline check`.
import { hostname } from 'node:os';
import { diag, type Diagnostic } from '../errors.js';
import { loadConfigDir, type LoadedConfig } from '../config/load.js';
import type { SshOptions } from './ssh.js';

export interface ClusterArgs {
  readonly configDir: string;
  readonly nodeName: string;
  readonly ssh: SshOptions;
  /** The lifeline command on the peers (a word list), default `lifeline`. */
  readonly remoteLifeline: readonly string[];
  /** Only these peers (default: all). */
  readonly only: readonly string[];
  readonly noReload: boolean;
}

/** Parses the options both commands take; `extra` lists flags the caller handles itself. */
export function parseClusterArgs(argv: readonly string[], usage: string): ClusterArgs | Diagnostic {
  let configDir = '/etc/ha.d';
  let nodeName = hostname().toLowerCase();
  let configFile: string | undefined;
  let connectTimeoutS = 5;
  let remoteLifeline = ['lifeline'];
  let noReload = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-reload') { noReload = true; continue; }
    if (a === '--cluster') continue;
    const v = argv[i + 1];
    const flags = ['--config-dir', '--node-name', '--ssh-config', '--connect-timeout', '--remote-lifeline', '--node'];
    if (!flags.includes(a)) return diag('LL_USAGE', { message: `unknown argument "${a}"; ${usage}` }, { found: a });
    if (v === undefined) return diag('LL_USAGE', { message: `${a} needs a value; ${usage}` });
    i++;
    if (a === '--config-dir') configDir = v;
    else if (a === '--node-name') nodeName = v.toLowerCase();
    else if (a === '--ssh-config') configFile = v;
    else if (a === '--remote-lifeline') remoteLifeline = v.split(' ').filter(Boolean);
    else if (a === '--node') only.push(v.toLowerCase());
    else {
      const n = Number(v);
      if (!(n > 0)) return diag('LL_USAGE', { message: `--connect-timeout must be seconds > 0; ${usage}` }, { found: v });
      connectTimeoutS = n;
    }
  }
  return { configDir, nodeName, ssh: { connectTimeoutS, ...(configFile ? { configFile } : {}) }, remoteLifeline, only, noReload };
}

/** The peers to visit: ha.cf's nodes without this one (and without ping nodes), filtered by --node. */
export function peersOf(cfg: LoadedConfig, args: ClusterArgs): string[] {
  const nodes = (cfg.haCf?.nodes ?? []).map(String).filter((n) => n !== args.nodeName);
  return args.only.length ? nodes.filter((n) => args.only.includes(n)) : nodes;
}

export function loadLocal(args: ClusterArgs): Promise<LoadedConfig> {
  return loadConfigDir(args.configDir, { nodeName: args.nodeName });
}
