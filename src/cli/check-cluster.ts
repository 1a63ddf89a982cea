// `lifeline check --cluster`: fetches every other node's ha.cf and haresources (and only a digest and the mode
// of its authkeys) over ssh and lists, directive by directive, what differs from this node's files.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { formatDiagnostic } from '../errors.js';
import { compareNodeFiles, describeDifference, type NodeFiles } from '../config/compare.js';
import { loadLocal, parseClusterArgs, peersOf } from './cluster-nodes.js';
import { sshError, sshRun } from './ssh.js';

const USAGE = 'usage: lifeline check --cluster [--config-dir DIR] [--node-name NAME] [--node NODE]... [--ssh-config FILE] [--connect-timeout S]';

/** The remote side: prints each file after a `--- NAME` line; authkeys as `--- authkeys MODE SHA256`. */
function dumpScript(dir: string): string {
  return `d='${dir.replace(/'/g, `'\\''`)}'; for f in ha.cf haresources; do if [ -f "$d/$f" ]; then echo "--- $f"; cat "$d/$f"; echo; fi; done; `
    + `if [ -f "$d/authkeys" ]; then echo "--- authkeys $(stat -c %a "$d/authkeys") $(sha256sum < "$d/authkeys" | cut -d' ' -f1)"; fi`;
}

/** Reads dumpScript's output back into NodeFiles. */
export function parseDump(out: string): NodeFiles {
  const files: { haCf?: string; haresources?: string; authkeysDigest?: string; authkeysMode?: number } = {};
  const parts = out.split(/^--- /m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    const head = nl < 0 ? p : p.slice(0, nl);
    const body = nl < 0 ? '' : p.slice(nl + 1);
    const [name, mode, digest] = head.trim().split(' ');
    if (name === 'ha.cf') files.haCf = body;
    else if (name === 'haresources') files.haresources = body;
    else if (name === 'authkeys') { files.authkeysMode = parseInt(mode ?? '', 8); if (digest) files.authkeysDigest = digest; }
  }
  return files;
}

function localFiles(f: { haCf: string; haresources: string; authkeys: string }): NodeFiles {
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  const out: { haCf?: string; haresources?: string; authkeysDigest?: string; authkeysMode?: number } = {};
  const h = read(f.haCf); if (h !== undefined) out.haCf = h;
  const r = read(f.haresources); if (r !== undefined) out.haresources = r;
  if (existsSync(f.authkeys)) {
    out.authkeysDigest = createHash('sha256').update(readFileSync(f.authkeys)).digest('hex');
    out.authkeysMode = statSync(f.authkeys).mode & 0o777;
  }
  return out;
}

export async function runCheckCluster(argv: readonly string[]): Promise<number> {
  const args = parseClusterArgs(argv, USAGE);
  if ('code' in args) { process.stderr.write(`${formatDiagnostic(args)}\n`); return 2; }
  const cfg = await loadLocal(args);
  const here = localFiles(cfg.files);
  const peers = peersOf(cfg, args);
  const lines = [`Comparing ${args.configDir} of ${args.nodeName} with ${peers.join(', ') || '(no other node)'}:`];
  let same = true;
  for (const node of peers) {
    const r = await sshRun(node, ['sh', '-c', dumpScript(args.configDir)], args.ssh);
    if (r.code !== 0) { same = false; lines.push(`${node}: not reached (${sshError(r)})`); continue; }
    const diffs = compareNodeFiles(here, parseDump(r.stdout));
    if (!diffs.length) { lines.push(`${node}: same ha.cf, haresources and authkeys`); continue; }
    same = false;
    for (const d of diffs) lines.push(`${node}: ${describeDifference(d, node)}`);
  }
  lines.push(same ? 'CONSISTENT: every node has the same configuration.' : 'INCONSISTENT: heartbeat wants these files the same on ALL nodes (lifeline propagate copies them).');
  process.stdout.write(`${lines.join('\n')}\n`);
  return same ? 0 : 1;
}
