// Tells systemd (Type=notify) that the daemon is ready once membership is up ("Comm_now_up"), not merely started,
// so units ordered after lifeline.service start when the cluster is formed. Outside systemd it does nothing.
import { spawn } from 'node:child_process';
import { queryStatus } from '../daemon/client.js';

/**
 * Waits until the daemon's control socket reports communication up, then runs `systemd-notify --ready`.
 * systemd-notify sends on behalf of its parent (this process, the unit's main pid): as root the credentials name
 * the parent, so NotifyAccess=main suffices and the message is not lost when systemd-notify exits at once.
 * Resolves true when the notification was sent; false without NOTIFY_SOCKET or once `stopped()` says so.
 */
export async function notifyReadyWhenUp(runDir: string, stopped: () => boolean, pollMs = 200): Promise<boolean> {
  if (!process.env.NOTIFY_SOCKET) return false;
  for (;;) {
    if (stopped()) return false;
    const s = await queryStatus(runDir, 1000);
    if (s?.commUp) break;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const status = 'membership up';
  return new Promise((res) => {
    const c = spawn('systemd-notify', ['--ready', `--status=${status}`], { stdio: 'ignore' });
    c.on('error', () => res(false));
    c.on('exit', (code) => res(code === 0));
  });
}
