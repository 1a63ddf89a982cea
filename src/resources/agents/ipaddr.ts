// Native IPaddr / IPaddr2 / bare-address agent: adds and removes the address with `ip`, announces it with
// gratuitous ARPs (iputils arping, in the background so the address is usable at once); status = address present.

import type { Agent, AgentAction, AgentContext, AgentResult } from './agent.js';
import { parseAddrsJson, parseRoutesJson, planAddress, type IfAddr, type IpSpec } from './ipaddr-spec.js';

/** Gratuitous ARP settings: heartbeat's send_arp defaults for IPaddr2 (5 packets, 200 ms apart). */
export interface ArpOptions {
  readonly count: number;
  readonly intervalMs: number;
}

const DEFAULT_ARP: ArpOptions = { count: 5, intervalMs: 200 };

/** Builds the native agent for one address. `style` decides the `eth0:N` label (IPaddr) or none (IPaddr2). */
export function ipAddrAgent(text: string, spec: IpSpec, style: 'IPaddr' | 'IPaddr2', ctx: AgentContext, arp: ArpOptions = DEFAULT_ARP): Agent {
  const timeoutMs = (o?: { timeoutMs?: number }): number => o?.timeoutMs ?? ctx.defaultTimeoutMs ?? 60_000;
  const tag = `${style}(${style}_${spec.ip})`;

  async function ipJson(args: string[], t: number): Promise<string | undefined> {
    const r = await ctx.exec(['ip', '-j', '-4', ...args], { timeoutMs: t });
    return r.code === 0 ? r.stdout : undefined;
  }
  async function addrs(t: number): Promise<IfAddr[] | undefined> {
    const out = await ipJson(['addr', 'show'], t);
    return out === undefined ? undefined : parseAddrsJson(out);
  }
  const fail = (reason: string, rc = 1, timedOut = false): AgentResult => { ctx.log(`${tag}: ERROR: ${reason}`); return { ok: false, rc, timedOut, reason }; };

  async function run(action: AgentAction, o?: { timeoutMs?: number }): Promise<AgentResult> {
    const t = timeoutMs(o);
    // ResourceManager's line, so that logs read as heartbeat's did (the agent is native, not a script).
    if (action === 'start' || action === 'stop') ctx.log(`ResourceManager: info: Running ${style} ${text.replace(/^IPaddr2?::/, '')} ${action} (native)`);
    const current = await addrs(t);
    if (!current) return fail('cannot list addresses (ip -j addr show failed)');
    const present = current.find((a) => a.local === spec.ip);
    if (action === 'status' || action === 'monitor') {
      ctx.log(`${tag}: INFO: ${present ? 'Running OK' : 'Resource is stopped'}`);
      return { ok: present !== undefined, running: present !== undefined, rc: present ? 0 : 7, timedOut: false };
    }
    if (action === 'stop') {
      if (!present) { ctx.log(`${tag}: INFO: Success`); return { ok: true, rc: 0, timedOut: false }; }
      const argv = ['ip', '-4', 'addr', 'del', `${present.local}/${present.prefixlen}`, 'dev', present.ifname];
      ctx.log(`${tag}: INFO: ${argv.join(' ')}`);
      const r = await ctx.exec(argv, { timeoutMs: t, onLine: (l) => ctx.log(`${tag}: ${l}`) });
      if (r.code !== 0) return fail(`ip addr del failed: ${r.output.trim() || r.spawnError || `rc=${r.code}`}`, r.code, r.timedOut);
      ctx.log(`${tag}: INFO: Success`);
      return { ok: true, rc: 0, timedOut: false };
    }
    // start
    if (present) { ctx.log(`${tag}: INFO: Success`); return { ok: true, rc: 0, timedOut: false }; }
    const routesOut = await ipJson(['route', 'show', 'table', 'main'], t);
    if (routesOut === undefined) return fail('cannot read the routing table (ip -j route show failed)');
    const plan = planAddress(spec, parseRoutesJson(routesOut), current, style);
    if (!plan.ok) return fail(plan.error);
    const p = plan.value;
    if (spec.nic === undefined) ctx.log(`${tag}: INFO: Using calculated nic for ${spec.ip}: ${p.nic}`);
    if (spec.prefix === undefined) ctx.log(`${tag}: INFO: Using calculated netmask for ${spec.ip}: ${p.prefix}`);
    const argv = ['ip', '-4', 'addr', 'add', `${p.ip}/${p.prefix}`, 'brd', p.broadcast, 'dev', p.nic, ...(p.label ? ['label', p.label] : [])];
    ctx.log(`${tag}: INFO: ${argv.join(' ')}`);
    const r = await ctx.exec(argv, { timeoutMs: t, onLine: (l) => ctx.log(`${tag}: ${l}`) });
    if (r.code !== 0) return fail(`ip addr add failed: ${r.output.trim() || r.spawnError || `rc=${r.code}`}`, r.code, r.timedOut);
    // Gratuitous ARPs in the background, like IPaddr's ARP_BACKGROUND=yes: the address is usable at once.
    // iputils arping spaces packets by whole seconds only, so each packet is its own arping, spaced by a timer.
    const arpArgv = ['arping', '-U', '-c', '1', '-w', '1', '-I', p.nic, '-s', p.ip, p.ip];
    ctx.log(`${tag}: INFO: Sending ${arp.count} gratuitous ARPs for ${p.ip} on ${p.nic}, ${arp.intervalMs} ms apart`);
    sendArps(arpArgv, arp);
    ctx.log(`${tag}: INFO: Success`);
    return { ok: true, rc: 0, timedOut: false };
  }

  function sendArps(argv: string[], o: ArpOptions): void {
    let failures = 0;
    for (let k = 0; k < o.count; k++) {
      setTimeout(() => {
        void ctx.exec(argv, { timeoutMs: 3000 }).then((a) => {
          // arping exits 1 in -U mode when nobody answers, which is the normal case.
          if (a.code !== 0 && a.code !== 1 && failures++ === 0) {
            ctx.log(`${tag}: ERROR: Could not send gratuitous arps. rc=${a.code} ${a.spawnError ?? a.output.trim()}`.trimEnd());
          }
        });
      }, k * o.intervalMs).unref();
    }
  }

  return { text, run };
}
