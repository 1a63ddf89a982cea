// The demo's status page: `lifeline web` on this machine's loopback address, reading one node's control socket, so
// the user's browser can watch the failover; the one process of the demo outside its namespaces (loopback only).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../harness/daemon.js';

export interface DemoWeb {
  readonly url: string;
  readonly stop: () => void;
}

/** The web's user as the package runs it (hacluster:haclient) when the machine has them; else undefined (root). */
function webUser(): string[] {
  const passwd = (() => { try { return readFileSync('/etc/passwd', 'utf8'); } catch { return ''; } })();
  const group = (() => { try { return readFileSync('/etc/group', 'utf8'); } catch { return ''; } })();
  const has = (text: string, name: string): boolean => text.split('\n').some((l) => l.startsWith(`${name}:`));
  return has(passwd, 'hacluster') && has(group, 'haclient') ? ['setpriv', '--reuid=hacluster', '--regid=haclient', '--init-groups', '--'] : [];
}

/**
 * Starts `lifeline web --listen 127.0.0.1:PORT --run-dir RUNDIR` (PORT 0: any free port) and resolves with the URL it
 * serves once it says so; rejects with its own words when it cannot listen (a port in use) or within 15 s.
 */
export function startDemoWeb(port: number, runDir: string): Promise<DemoWeb> {
  const argv = [...webUser(), process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), 'web', '--listen', `127.0.0.1:${port}`, '--run-dir', runDir];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): void => { if (child.exitCode === null) child.kill('SIGTERM'); };
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => { stop(); reject(new Error(`lifeline web did not start within 15 s${said ? `: ${said.trim()}` : ''}`)); }, 15000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /serving (https?:\/\/\S+)/.exec(l);
      if (m) { clearTimeout(timer); resolve({ url: m[1]!, stop }); }
    });
    child.stderr!.on('data', (d: Buffer) => { said += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`lifeline web exited (${code}): ${said.trim()}`)); });
  });
}
