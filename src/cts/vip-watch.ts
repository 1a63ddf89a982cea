// The client's continuous view of the VIP: arping asks every 50 ms from the client namespace while tcpdump records
// each ARP reply to the client with the kernel's timestamp, so two owners answering one request are caught.

/** arping sends at most once a second: this many of them, started 50 ms apart, ask 20 times a second. */
const ASKERS = 20;
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Host } from '../harness/index.js';
import type { ArpReply } from './audit.js';

/** Parses one line of `tcpdump -l -nn -tt -e arp`; only replies for `vip` addressed to `to` count. */
export function parseArpReply(line: string, vip: string, to: string): { tsMs: number; mac: string } | undefined {
  const m = /^(\d+\.\d+) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), .*Reply (\S+) is-at ([0-9a-f:]{17})/i.exec(line);
  if (!m || m[4] !== vip || m[3]!.toLowerCase() !== to) return undefined;
  return { tsMs: Number(m[1]) * 1000, mac: m[5]!.toLowerCase() };
}

export class VipWatch {
  private readonly replies: ArpReply[] = [];
  private readonly children: ChildProcess[] = [];
  private stopped = false;
  /** Wall clock minus the monotonic clock: turns tcpdump's timestamps into performance.now() time. */
  private readonly offset = Date.now() - performance.now();

  constructor(private readonly client: Host, private readonly vip: string, private readonly clientMac: string) {}

  async start(): Promise<void> {
    const dump = spawn('ip', ['netns', 'exec', this.client.netns, 'tcpdump', '-i', 'eth0', '-l', '-nn', '-tt', '-e', 'arp'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(dump);
    const ready = new Promise<void>((res) => {
      dump.stderr!.on('data', (b: Buffer) => { if (/listening on/.test(b.toString())) res(); });
      setTimeout(res, 3000);
    });
    createInterface({ input: dump.stdout! }).on('line', (l) => {
      const r = parseArpReply(l, this.vip, this.clientMac);
      if (r) this.replies.push({ atMs: r.tsMs - this.offset, mac: r.mac });
      if (this.replies.length > 200_000) this.replies.splice(0, 100_000);
    });
    await ready;
    for (let k = 0; k < ASKERS; k++) {
      this.ask();
      await new Promise((r) => setTimeout(r, 1000 / ASKERS));
    }
  }

  /** One arping in broadcast mode, once a second, restarted should it exit. */
  private ask(): void {
    if (this.stopped) return;
    const a = spawn('ip', ['netns', 'exec', this.client.netns, 'arping', '-b', '-I', 'eth0', this.vip], { stdio: 'ignore' });
    this.children.push(a);
    a.on('exit', () => {
      this.children.splice(this.children.indexOf(a), 1);
      setTimeout(() => this.ask(), 100);
    });
    a.on('error', () => { /* reported by the missing replies */ });
  }

  repliesSince(t: number): ArpReply[] { return this.replies.filter((r) => r.atMs >= t); }

  macsSince(t: number): string[] { return [...new Set(this.repliesSince(t).map((r) => r.mac))]; }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
  }
}
