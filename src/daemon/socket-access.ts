// Who may talk to the control socket: root, and the haclient group when it exists (heartbeat's API group), so that
// `lifeline web` runs as hacluster without root. Without that group the socket stays root's alone.
import { chmodSync, chownSync, readFileSync } from 'node:fs';

/** The gid of `group` in /etc/group (or the given file's text), undefined when there is no such group. */
export function groupId(group: string, etcGroup?: string): number | undefined {
  let text = etcGroup;
  if (text === undefined) {
    try { text = readFileSync('/etc/group', 'utf8'); } catch { return undefined; }
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === group && /^\d+$/.test(f[2] ?? '')) return Number(f[2]);
  }
  return undefined;
}

/** Gives the socket to group `haclient`, mode 660. Best effort: a failure leaves root's default and says so. */
export function shareControlSocket(path: string, log: (text: string) => void, group = 'haclient'): void {
  const gid = groupId(group);
  if (gid === undefined || process.getuid?.() !== 0) return;
  try {
    chownSync(path, 0, gid);
    chmodSync(path, 0o660);
  } catch (e) {
    log(`control socket ${path}: cannot give it to group ${group} (${(e as NodeJS.ErrnoException).code ?? String(e)}); only root can use it`);
  }
}
