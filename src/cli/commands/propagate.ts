// `lifeline propagate` (heartbeat's ha_propagate): copies ha.cf, haresources and authkeys to every other node over
// ssh/scp with their modes, has each node run `lifeline check` on them before they replace its own, then reloads.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { formatDiagnostic } from '../../errors.js';
import { loadLocal, parseClusterArgs, peersOf, type ClusterArgs } from '../cluster-nodes.js';
import { scpTo, shQuote, sshError, sshRun } from '../ssh.js';

export const summary = 'ha_propagate: copy ha.cf, haresources and authkeys to every node over ssh, checked there first, then reload';

const USAGE = 'usage: lifeline propagate [--config-dir DIR] [--node-name NAME] [--node NODE]... [--ssh-config FILE] [--connect-timeout S] [--remote-lifeline CMD] [--no-reload]';

/** What happened at one peer, for the report and the exit code. */
export interface PeerOutcome { readonly node: string; readonly ok: boolean; readonly text: string }

async function propagateTo(node: string, files: readonly string[], args: ClusterArgs): Promise<PeerOutcome> {
  const fail = (text: string): PeerOutcome => ({ node, ok: false, text });
  // A private directory beside the target files: the final rename stays on one file system.
  const mk = await sshRun(node, ['mktemp', '-d', join(args.configDir, '.propagate.XXXXXX')], args.ssh);
  if (mk.code === 255) return fail(`not reached (${sshError(mk)}); nothing copied`);
  if (mk.code !== 0) return fail(`cannot make a directory in ${args.configDir} (${sshError(mk)}); nothing copied`);
  const tmp = mk.stdout.trim();
  const cleanup = () => sshRun(node, ['rm', '-rf', tmp], args.ssh);
  const cp = await scpTo(node, files, tmp, args.ssh);
  if (cp.code !== 0) { await cleanup(); return fail(`copy failed (${sshError(cp)}); its files are unchanged`); }
  const check = await sshRun(node, [...args.remoteLifeline, 'check', '--config-dir', tmp, '--node-name', node], args.ssh);
  if (check.code !== 0) {
    await cleanup();
    const errors = check.stdout.split('\n').filter((l) => /ERROR/.test(l)).map((l) => l.trim().replace(`${tmp}/`, `${args.configDir}/`));
    return fail(`refused by lifeline check on ${node}; its files are unchanged:\n    ${(errors.length ? errors : [sshError(check)]).join('\n    ')}`);
  }
  const names = files.map((f) => f.split('/').pop()!);
  const install = names.map((n) => `mv -f ${shQuote(`${tmp}/${n}`)} ${shQuote(join(args.configDir, n))}`).join(' && ') + ` && rmdir ${shQuote(tmp)}`;
  const mv = await sshRun(node, ['sh', '-c', install], args.ssh);
  if (mv.code !== 0) { await cleanup(); return fail(`installing the files failed (${sshError(mv)})`); }
  if (args.noReload) return { node, ok: true, text: `${names.join(', ')} installed (not reloaded: --no-reload)` };
  const reload = await sshRun(node, [...args.remoteLifeline, 'daemon', '--reload'], args.ssh);
  return { node, ok: true, text: `${names.join(', ')} installed, ${reload.code === 0 ? 'daemon reloaded' : 'no daemon running there (files take effect at its start)'}` };
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parseClusterArgs(argv, USAGE);
  if ('code' in args) { process.stderr.write(`${formatDiagnostic(args)}\n`); return 2; }
  const cfg = await loadLocal(args);
  if (!cfg.valid) {
    for (const d of cfg.diagnostics.filter((x) => x.severity === 'error')) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`lifeline propagate: ${args.configDir} does not pass lifeline check here; nothing copied\n`);
    return 1;
  }
  const files = [cfg.files.haCf, cfg.files.haresources, cfg.files.authkeys].filter((f) => existsSync(f));
  const peers = peersOf(cfg, args);
  if (!peers.length) { process.stderr.write('lifeline propagate: no other node in ha.cf\n'); return 1; }
  let ok = true;
  for (const node of peers) {
    const o = await propagateTo(node, files, args);
    ok &&= o.ok;
    process.stdout.write(`${node}: ${o.text}\n`);
  }
  return ok ? 0 : 1;
}
