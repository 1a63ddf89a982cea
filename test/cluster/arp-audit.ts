// The VIP audit from a client namespace: a broadcast `arping` probe every 20 ms for the whole scenario (arping's
// interval is whole seconds, so 50 of them run staggered 20 ms apart); every reply's MAC and arrival time are kept.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Host } from '../../src/harness/index.js';

export interface ArpReply { readonly at: number; readonly mac: string }

export class ArpAudit {
  readonly replies: ArpReply[] = [];
  private readonly children: ChildProcess[] = [];
  private stopped = false;

  /** Starts probing `vip` from `client` (broadcast mode: a new owner is seen at once, not only the first one). */
  constructor(client: Host, readonly vip: string, readonly intervalMs = 20) {
    const n = Math.round(1000 / intervalMs);
    for (let i = 0; i < n; i++) {
      setTimeout(() => { if (!this.stopped) this.children.push(this.probe(client)); }, i * intervalMs).unref();
    }
  }

  /** Resolves once replies come in (all staggered probes started). */
  async ready(timeoutMs = 5000): Promise<void> {
    const t0 = Date.now();
    while (this.replies.length < 5 || this.children.length < Math.round(1000 / this.intervalMs)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`arp audit: ${this.replies.length} replies from ${this.vip} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private probe(client: Host): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', client.netns, 'stdbuf', '-oL', 'arping', '-b', '-i', '1', '-I', 'eth0', this.vip], { stdio: ['ignore', 'pipe', 'ignore'] });
    let buf = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const m = /reply from \S+ \[([0-9A-Fa-f:]+)\]/.exec(l);
        if (m) this.replies.push({ at: Date.now(), mac: m[1]!.toLowerCase() });
      }
    });
    return child;
  }

  /** The MACs in the order they answered, consecutive repeats collapsed: [a, b] is one clean move. */
  runs(): string[] {
    const out: string[] = [];
    for (const r of this.replies) if (out.at(-1) !== r.mac) out.push(r.mac);
    return out;
  }

  /** Moments two different MACs answered within one probe interval: the VIP answered from two machines. */
  overlaps(): string[] {
    const bad: string[] = [];
    for (let i = 1; i < this.replies.length; i++) {
      const a = this.replies[i - 1]!;
      const b = this.replies[i]!;
      if (a.mac !== b.mac && b.at - a.at < this.intervalMs * 0.75) bad.push(`${a.mac} and ${b.mac} answered ${b.at - a.at} ms apart at ${b.at}`);
    }
    // A MAC that answers again after another took over means both answered during the gap.
    const runs = this.runs();
    const seen = new Set<string>();
    for (const m of runs) { if (seen.has(m)) bad.push(`${m} answered again after another MAC (${runs.join(' -> ')})`); seen.add(m); }
    return bad;
  }

  /** First reply from `mac` at or after `since`. */
  firstFrom(mac: string, since = 0): number | undefined {
    return this.replies.find((r) => r.mac === mac && r.at >= since)?.at;
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  }
}
