// The ssh/scp adapter of `lifeline propagate` and `lifeline check --cluster`: runs a command on a node, copies
// files to it. BatchMode always (never a password prompt under a script); `--ssh-config` picks keys and hosts.
import { spawn } from 'node:child_process';

export interface SshOptions {
  /** ssh_config file (-F): identity, known hosts, ports, host name mapping. Default: the user's usual config. */
  readonly configFile?: string;
  /** Seconds to wait for the connection (ConnectTimeout). */
  readonly connectTimeoutS: number;
}

export interface SshResult { readonly code: number; readonly stdout: string; readonly stderr: string }

function common(o: SshOptions): string[] {
  return [...(o.configFile ? ['-F', o.configFile] : []), '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${o.connectTimeoutS}`];
}

function runProcess(cmd: string, argv: readonly string[], stdin?: string): Promise<SshResult> {
  return new Promise((res) => {
    const c = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    c.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    c.on('error', (e) => res({ code: 255, stdout, stderr: `${cmd}: ${e.message}` }));
    c.on('close', (code) => res({ code: code ?? 255, stdout, stderr }));
    c.stdin.end(stdin ?? '');
  });
}

/** Quotes a word for the remote shell. */
export function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs `argv` (quoted word by word) on `node`. Exit 255 is ssh's own failure: the node was not reached. */
export function sshRun(node: string, argv: readonly string[], o: SshOptions, stdin?: string): Promise<SshResult> {
  return runProcess('ssh', [...common(o), '--', node, argv.map(shQuote).join(' ')], stdin);
}

/** scp -p: copies local files into a directory on `node`, keeping their modes (authkeys stays 600). */
export function scpTo(node: string, files: readonly string[], remoteDir: string, o: SshOptions): Promise<SshResult> {
  return runProcess('scp', [...common(o), '-p', '-q', '--', ...files, `${node}:${shQuote(remoteDir)}/`]);
}

/** The last line of ssh's complaint, for a one-line report ("ssh: connect to host ... Connection refused"). */
export function sshError(r: SshResult): string {
  return r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${r.code}`;
}
