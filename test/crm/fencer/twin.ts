// Test rig of the fencer: CIBs with stonith: primitives, scripted fence agents that speak the fence-agents stdin
// interface and record what they were told, and a Fencer on the executor twin's manual clock.

import { ManualClock, TwinLauncher, type AgentAnswer } from '../../../src/crm/executor/index.js';
import { Fencer, type FenceRequest, type FenceResult } from '../../../src/crm/fencer/index.js';

/** One stonith primitive of a test CIB. */
export interface Prim {
  readonly id: string;
  readonly agent: string;
  readonly params?: Record<string, string>;
  readonly meta?: Record<string, string>;
}

const nv = (id: string, kv: Record<string, string> = {}) => Object.entries(kv).map(([k, v]) => `<nvpair id="${id}-${k}" name="${k}" value="${v}"/>`).join('');

/** A CIB with these devices, cluster options and <fencing-level>s (`target|index|dev1,dev2`). */
export function cib(prims: readonly Prim[], options: Record<string, string> = {}, levels: readonly string[] = []): string {
  const rsc = prims.map((p) => `<primitive id="${p.id}" class="stonith" type="${p.agent}"><instance_attributes id="${p.id}-ia">${nv(`${p.id}-ia`, p.params)}</instance_attributes>`
    + `${p.meta ? `<meta_attributes id="${p.id}-ma">${nv(`${p.id}-ma`, p.meta)}</meta_attributes>` : ''}</primitive>`).join('');
  const topo = levels.length ? `<fencing-topology>${levels.map((l, i) => { const [t, idx, d] = l.split('|'); return `<fencing-level id="fl${i}" target="${t}" index="${idx}" devices="${d}"/>`; }).join('')}</fencing-topology>` : '';
  return `<cib><configuration><crm_config><cluster_property_set id="cib-bootstrap-options">${nv('cbo', options)}</cluster_property_set></crm_config>`
    + `<nodes/><resources>${rsc}</resources><constraints/>${topo}</configuration><status/></cib>`;
}

/** Metadata of a scripted agent with these actions and a port parameter. */
export function metadata(name: string, actions: readonly string[]): string {
  return `<?xml version="1.0" ?>\n<resource-agent name="${name}" shortdesc="test">\n<parameters><parameter name="port"/><parameter name="ip"/></parameters>\n`
    + `<actions>${actions.map((a) => `<action name="${a}"/>`).join('')}<action name="metadata"/></actions>\n</resource-agent>\n`;
}

/** One call an agent saw: its stdin as key → value, and the time on the fake clock. */
export interface Seen {
  readonly agent: string;
  readonly args: Record<string, string>;
  readonly at: number;
}

/** A scripted agent: `answer` decides each non-metadata call. */
export type Script = (args: Record<string, string>, n: number) => AgentAnswer;

export class FencerRig {
  readonly clock = new ManualClock(Date.UTC(2026, 11, 7, 6, 0, 0));
  readonly t0 = this.clock.now();
  readonly twin = new TwinLauncher(this.clock);
  readonly seen: Seen[] = [];
  readonly logs: string[] = [];
  readonly notified: FenceResult[] = [];
  readonly fencer: Fencer;
  randoms: number[] = [];

  constructor(nodeName = 'node1') {
    this.fencer = new Fencer({
      nodeName, launcher: this.twin, clock: this.clock, log: (l, t) => this.logs.push(`${l}: ${t}`),
      random: (n) => Math.min(n - 1, this.randoms.shift() ?? 0), notify: (r) => this.notified.push(r),
    });
  }

  /** Installs /usr/sbin/NAME answering metadata with `actions` and everything else with `script`. */
  agent(name: string, actions: readonly string[], script: Script): this {
    let n = 0;
    this.twin.install(`/usr/sbin/${name}`, ({ stdin }) => {
      const args = Object.fromEntries((stdin ?? '').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      if (args.action === 'metadata') return { code: 0, stdout: metadata(name, actions) };
      this.seen.push({ agent: name, args, at: this.clock.now() - this.t0 });
      return script(args, n++);
    });
    return this;
  }

  async configure(xml: string): Promise<void> {
    const p = this.fencer.configure(xml);
    for (let i = 0; i < 10; i++) { this.clock.advance(50); await Promise.resolve(); }
    await p;
  }

  /** Submits a request and runs the clock until it is answered (or `maxMs` passed). */
  async fence(req: Partial<FenceRequest> & { target: string }, maxMs = 600_000): Promise<FenceResult & { tookMs: number }> {
    const start = this.clock.now();
    let done: FenceResult | undefined;
    void this.fencer.fence({ action: 'reboot', client: 'pacemaker-controld.1000', origin: 'node1', ...req }).then((r) => { done = r; });
    for (let t = 0; t < maxMs && !done; t += 100) { this.clock.advance(100); await Promise.resolve(); await Promise.resolve(); }
    if (!done) throw new Error(`no result for ${req.target} within ${maxMs} ms`);
    return { ...done, tookMs: done.completedAt - start };
  }

  calls(agent?: string, action?: string): Seen[] {
    return this.seen.filter((s) => (agent === undefined || s.agent === agent) && (action === undefined || s.args.action === action));
  }

  logged(re: RegExp): string[] { return this.logs.filter((l) => re.test(l)); }
}
