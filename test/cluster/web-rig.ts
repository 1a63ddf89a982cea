// What the web namespace test does on a host: start `lifeline web` as hacluster, ask it with curl (answers with
// status and JSON), make a token file and a TLS certificate, and a chromium that runs inside the host's namespace.
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Host } from '../../src/harness/index.js';
import { repoRoot } from '../../src/harness/daemon.js';
import { groupId } from '../../src/daemon/socket-access.js';

export const TOKEN = 'hw-test-token-0123456789abcdef';

/** uid of hacluster and gid of haclient (the packaged web's user), from the machine's files. */
export function hacluster(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('hacluster:'));
  const gid = groupId('haclient');
  if (!line || gid === undefined) throw new Error('web test: user hacluster and group haclient are needed (Debian\'s pacemaker/cluster-glue)');
  return { uid: Number(line.split(':')[2]), gid };
}

/** A directory of the host's tree for the web's files: token (600, hacluster's), cert and key. */
export async function webFiles(h: Host, addresses: readonly string[]): Promise<{ dir: string; token: string; cert: string; key: string }> {
  const { uid, gid } = hacluster();
  const dir = join(h.dirs.root, 'web');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const token = join(dir, 'token');
  writeFileSync(token, `${TOKEN}\n`, { mode: 0o600 });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = await h.execNet(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', `/CN=${h.hostname}`, '-addext', `subjectAltName=${addresses.map((a) => `IP:${a}`).join(',')}`]);
  if (r.code !== 0) throw new Error(`openssl: ${r.stderr}`);
  for (const f of [token, cert, key]) { chownSync(f, uid, gid); chmodSync(f, 0o600); }
  chmodSync(cert, 0o644);
  return { dir, token, cert, key };
}

/** Starts `lifeline web ARGS` on the host as hacluster:haclient; its output goes to `<dir>/web-<n>.out`. */
export function startWeb(h: Host, args: readonly string[], out: string): ChildProcess {
  return h.spawn(['setpriv', '--reuid=hacluster', '--regid=haclient', '--init-groups', '--',
    process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), 'web', ...args], { outputFile: out });
}

/** Runs `lifeline web ARGS` to its end (for the refusals at start); as hacluster. */
export function runWeb(h: Host, args: readonly string[]) {
  return h.exec(['setpriv', '--reuid=hacluster', '--regid=haclient', '--init-groups', '--',
    process.execPath, join(repoRoot(), 'bin', 'lifeline.js'), 'web', ...args], { timeoutMs: 15000 });
}

export interface Answer { status: number; body: string; json: unknown }

/** One HTTP(S) request from inside the host (curl -k: the test's own certificate). */
export async function curl(h: Host, url: string, opts: { method?: string; headers?: Record<string, string>; data?: string; dataFile?: string; pathAsIs?: boolean } = {}): Promise<Answer> {
  const argv = ['curl', '-sk', '--max-time', '10', '-o', '-', '-w', '\n%{http_code}', '-X', opts.method ?? 'GET'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) argv.push('-H', `${k}: ${v}`);
  if (opts.data !== undefined) argv.push('--data-binary', opts.data);
  if (opts.dataFile !== undefined) argv.push('--data-binary', `@${opts.dataFile}`);
  if (opts.pathAsIs) argv.push('--path-as-is');
  argv.push(url);
  const r = await h.execNet(argv, { timeoutMs: 15000 });
  const nl = r.stdout.lastIndexOf('\n');
  const body = r.stdout.slice(0, nl);
  let json: unknown;
  try { json = JSON.parse(body); } catch { json = undefined; }
  return { status: Number(r.stdout.slice(nl + 1)), body, json };
}

/** An executable that runs chromium inside the host's network namespace (playwright launches it over a pipe). */
export function chromiumInHost(h: Host, dir: string): string {
  const f = join(dir, 'chromium-in-netns');
  writeFileSync(f, `#!/bin/sh\nexec ip netns exec '${h.netns}' /usr/bin/chromium "$@"\n`, { mode: 0o755 });
  return f;
}

/**
 * A load of `rate` requests/s for `seconds` from inside the host against `url` (node's fetch, one request every
 * 1/rate s, not waiting for answers); prints {sent, byStatus}.
 */
export async function load(h: Host, url: string, rate: number, seconds: number): Promise<{ sent: number; byStatus: Record<string, number> }> {
  const script = `const by={};let sent=0,done=0;const n=${rate * seconds};const t0=Date.now();
const tick=()=>{const due=Math.min(n,Math.floor((Date.now()-t0)*${rate}/1000));
while(sent<due){sent++;fetch(${JSON.stringify(url)}).then(r=>{by[r.status]=(by[r.status]||0)+1;return r.arrayBuffer();},()=>{by.error=(by.error||0)+1;}).finally(()=>{if(++done===n)console.log(JSON.stringify({sent,byStatus:by}));});}
if(sent<n)setTimeout(tick,5);};tick();`;
  const r = await h.execNet([process.execPath, '-e', script], { timeoutMs: (seconds + 20) * 1000 });
  if (r.code !== 0) throw new Error(`load: ${r.stderr}`);
  return JSON.parse(r.stdout) as { sent: number; byStatus: Record<string, number> };
}
