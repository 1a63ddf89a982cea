// Native IPaddr / IPaddr2 / bare-address agent: adds and removes the address with `ip` (the daemon's ip -batch channel),
// announces it with gratuitous ARPs (iputils arping, in the background so the address is usable at once); status = present.

import { arpingArgv } from '../../io/arp-sender.js';
import type { ProcResult } from '../../io/process.js';
import type { Agent, AgentAction, AgentContext, AgentResult } from './agent.js';
import { parseAddrsJson, parseRoutesJson, planAddress, type IfAddr, type IpSpec, type Route } from './ipaddr-spec.js';

/** Gratuitous ARP settings: heartbeat's send_arp defaults for IPaddr2 (5 packets, 200 ms apart). */
export interface ArpOptions {
  readonly count: number;
  readonly intervalMs: number;
}

const DEFAULT_ARP: ArpOptions = { count: 5, intervalMs: 200 };

/** How long the addresses and routes read by one action may serve the next one (status → start of a takeover). */
const SNAPSHOT_MS = 1000;

/** Builds the native agent for one address. `style` decides the `eth0:N` label (IPaddr) or none (IPaddr2). */
export function ipAddrAgent(text: string, spec: IpSpec, style: 'IPaddr' | 'IPaddr2', ctx: AgentContext, arp: ArpOptions = DEFAULT_ARP): Agent {
  const timeoutMs = (o?: { timeoutMs?: number }): number => o?.timeoutMs ?? ctx.defaultTimeoutMs ?? 60_000;
  const tag = `${style}(${style}_${spec.ip})`;
  ctx.ip?.warm();
  ctx.arp?.warm();
  /** What the last action read, handed once to the next one: heartbeat runs status right before start. */
  let snapshot: { at: number; addrs: IfAddr[]; routes: Route[] | undefined } | undefined;

  function ip(args: string[], t: number): Promise<ProcResult> {
    return ctx.ip ? ctx.ip.run(args, t) : ctx.exec(['ip', '-j', '-4', ...args], { timeoutMs: t });
  }
  /** Addresses (and, when the channel makes it one round trip, routes) as of now, or as the previous action saw them. */
  async function read(t: number, wantRoutes: boolean): Promise<{ addrs: IfAddr[]; routes: Route[] | undefined } | string> {
    const s = snapshot;
    snapshot = undefined;
    if (s && performance.now() - s.at <= SNAPSHOT_MS && (s.routes || !wantRoutes)) return s;
    const routesToo = wantRoutes || ctx.ip?.live === true;
    const [a, r] = await Promise.all([ip(['addr', 'show'], t), routesToo ? ip(['route', 'show', 'table', 'main'], t) : undefined]);
    if (a.code !== 0) return 'cannot list addresses (ip -j addr show failed)';
    if (r && r.code !== 0 && wantRoutes) return 'cannot read the routing table (ip -j route show failed)';
    try {
      return { addrs: parseAddrsJson(a.stdout), routes: r && r.code === 0 ? parseRoutesJson(r.stdout) : undefined };
    } catch (e) {
      return `cannot read ip's answer: ${String(e)}`;
    }
  }
  /** A change (`addr add` / `addr del`), its output logged line by line as the script's would be. */
  async function change(argv: string[], t: number): Promise<ProcResult> {
    ctx.log(`${tag}: INFO: ${argv.join(' ')}`);
    const r = await ip(argv.slice(2), t);
    for (const l of r.output.split('\n')) if (l.trim()) ctx.log(`${tag}: ${l}`);
    return r;
  }
  const fail = (reason: string, rc = 1, timedOut = false): AgentResult => { ctx.log(`${tag}: ERROR: ${reason}`); return { ok: false, rc, timedOut, reason }; };
  const success = (): AgentResult => { ctx.log(`${tag}: INFO: Success`); return { ok: true, rc: 0, timedOut: false }; };

  async function run(action: AgentAction, o?: { timeoutMs?: number }): Promise<AgentResult> {
    const t = timeoutMs(o);
    // ResourceManager's line, so that logs read as heartbeat's did (the agent is native, not a script).
    if (action === 'start' || action === 'stop') ctx.log(`ResourceManager: info: Running ${style} ${text.replace(/^IPaddr2?::/, '')} ${action} (native)`);
    const seen = await read(t, action === 'start');
    if (typeof seen === 'string') return fail(seen);
    const present = seen.addrs.find((a) => a.local === spec.ip);
    if (action === 'status' || action === 'monitor') {
      ctx.log(`${tag}: INFO: ${present ? 'Running OK' : 'Resource is stopped'}`);
      // A start usually follows at once (heartbeat's status-before-start): it may use what was just read.
      if (!present) snapshot = { at: performance.now(), ...seen };
      return { ok: present !== undefined, running: present !== undefined, rc: present ? 0 : 7, timedOut: false };
    }
    if (action === 'stop') {
      if (!present) return success();
      const r = await change(['ip', '-4', 'addr', 'del', `${present.local}/${present.prefixlen}`, 'dev', present.ifname], t);
      if (r.code !== 0) return fail(`ip addr del failed: ${r.output.trim() || r.spawnError || `rc=${r.code}`}`, r.code, r.timedOut);
      return success();
    }
    // start
    if (present) return success();
    const plan = planAddress(spec, seen.routes ?? [], seen.addrs, style);
    if (!plan.ok) return fail(plan.error);
    const p = plan.value;
    if (spec.nic === undefined) ctx.log(`${tag}: INFO: Using calculated nic for ${spec.ip}: ${p.nic}`);
    if (spec.prefix === undefined) ctx.log(`${tag}: INFO: Using calculated netmask for ${spec.ip}: ${p.prefix}`);
    const r = await change(['ip', '-4', 'addr', 'add', `${p.ip}/${p.prefix}`, 'brd', p.broadcast, 'dev', p.nic, ...(p.label ? ['label', p.label] : [])], t);
    if (r.code !== 0) return fail(`ip addr add failed: ${r.output.trim() || r.spawnError || `rc=${r.code}`}`, r.code, r.timedOut);
    // Gratuitous ARPs in the background, like IPaddr's ARP_BACKGROUND=yes: the address is usable at once. The first
    // goes out now through the ARP helper (no fork of the daemon); iputils arping spaces packets by whole seconds only,
    // so each packet is its own arping, spaced by a timer.
    sendArps(p.nic, p.ip, arp);
    ctx.log(`${tag}: INFO: Sending ${arp.count} gratuitous ARPs for ${p.ip} on ${p.nic}, ${arp.intervalMs} ms apart`);
    return success();
  }

  function sendArps(nic: string, addr: string, o: ArpOptions): void {
    let failures = 0;
    const one = (): void => {
      void (ctx.arp ? ctx.arp.send(nic, addr) : ctx.exec(arpingArgv(nic, addr), { timeoutMs: 3000 })).then((a) => {
        // arping exits 1 in -U mode when nobody answers, which is the normal case.
        if (a.code !== 0 && a.code !== 1 && failures++ === 0) {
          ctx.log(`${tag}: ERROR: Could not send gratuitous arps. rc=${a.code} ${a.output.trim()}`.trimEnd());
        }
      });
    };
    one();
    for (let k = 1; k < o.count; k++) setTimeout(one, k * o.intervalMs).unref();
  }

  return { text, run };
}
