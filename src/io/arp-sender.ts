// A long-lived shell helper that sends gratuitous ARPs (iputils arping) when asked by one line on its stdin, so the
// daemon never forks itself on the takeover path; one arping process per packet from the daemon if the helper is gone.

import { spawn, type ChildProcess } from 'node:child_process';
import { runProcess, type Exec } from './process.js';

/** The helper's loop: each `ID NIC IP` line forks one arping in the background and answers `ID RC` when it ends. */
const LOOP = 'while read -r id nic ip; do ( arping -U -c 1 -w 1 -I "$nic" -s "$ip" "$ip" >/dev/null 2>&1; echo "$id $?" ) & done';
const SAFE_WORD = /^[A-Za-z0-9_.:-]+$/;

export interface ArpSenderOptions {
  /** Network namespace to run in (tests); the daemon runs in its own. */
  readonly netns?: string;
  /** Runs arping directly when the helper cannot be used. */
  readonly fallback?: Exec;
}

/** The argv of one gratuitous ARP for `ip` on `nic`, as heartbeat's send_arp sends it (one packet, 1 s wait at most). */
export function arpingArgv(nic: string, ip: string): string[] {
  return ['arping', '-U', '-c', '1', '-w', '1', '-I', nic, '-s', ip, ip];
}

export class ArpSender {
  private child: ChildProcess | undefined;
  private buf = '';
  private next = 1;
  private readonly waiting = new Map<number, (rc: number) => void>();
  private closed = false;
  private readonly fallback: Exec;

  constructor(private readonly o: ArpSenderOptions = {}) {
    this.fallback = o.fallback ?? runProcess;
  }

  /** Starts the helper now, so the first takeover does not fork the daemon. */
  warm(): void { this.ensure(); }

  /** Sends one gratuitous ARP; resolves with arping's exit code (1 = nobody answered, the normal case in -U mode). */
  send(nic: string, ip: string): Promise<{ code: number; output: string }> {
    const c = SAFE_WORD.test(nic) && SAFE_WORD.test(ip) ? this.ensure() : undefined;
    const id = this.next++;
    if (c?.stdin?.writable) {
      return new Promise((resolve) => {
        this.waiting.set(id, (code) => resolve({ code, output: '' }));
        c.stdin!.write(`${id} ${nic} ${ip}\n`);
      });
    }
    const argv = arpingArgv(nic, ip);
    return this.fallback(this.o.netns ? ['ip', 'netns', 'exec', this.o.netns, ...argv] : argv, { timeoutMs: 3000 });
  }

  close(): void {
    this.closed = true;
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private ensure(): ChildProcess | undefined {
    if (this.child || this.closed) return this.child;
    const argv = [...(this.o.netns ? ['ip', 'netns', 'exec', this.o.netns] : []), 'sh', '-c', LOOP];
    const env = { ...process.env, PATH: `/usr/sbin:/sbin:/usr/bin:/bin:${process.env.PATH ?? ''}` };
    const c = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'], env });
    this.child = c;
    c.unref();
    (c.stdin as unknown as { unref?: () => void }).unref?.();
    (c.stdout as unknown as { unref?: () => void }).unref?.();
    c.stdin!.on('error', () => { /* reported through exit */ });
    c.stdout!.setEncoding('utf8');
    c.stdout!.on('data', (t: string) => {
      this.buf += t;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const [id, rc] = this.buf.slice(0, nl).split(' ').map(Number);
        this.buf = this.buf.slice(nl + 1);
        const w = this.waiting.get(id!);
        this.waiting.delete(id!);
        w?.(rc ?? -1);
      }
    });
    const gone = (): void => {
      if (this.child !== c) return;
      this.child = undefined;
      for (const w of this.waiting.values()) w(-1);
      this.waiting.clear();
    };
    c.on('error', gone);
    c.on('exit', gone);
    return c;
  }
}

let shared: ArpSender | undefined;
/** The daemon's one helper (every agent context of the process shares it). */
export function sharedArpSender(): ArpSender {
  shared ??= new ArpSender();
  return shared;
}
