// The executor's in-memory twin: a manual clock and scripted agents with state per host (state files,
// addresses, promoted flags) that answer each action as the real agent would, so whole-CRM twins need no processes.

import type { DriverClock, Launcher } from './driver.js';
import type { Launched } from './process.js';
import type { Millis, ProcessExit } from './types.js';

/** A clock whose time moves only when told; timers fire in time order (ties in creation order). */
export class ManualClock implements DriverClock {
  private t: Millis;
  private seq = 0;
  private readonly timers = new Map<number, { at: Millis; fn: () => void }>();
  constructor(start: Millis = Date.UTC(2026, 0, 1)) { this.t = start; }
  now(): Millis { return this.t; }
  setTimer(fn: () => void, ms: Millis): unknown { const id = ++this.seq; this.timers.set(id, { at: this.t + Math.max(0, ms), fn }); return id; }
  clearTimer(h: unknown): void { this.timers.delete(h as number); }
  /** Moves time forward by `ms`, running every timer that comes due on the way. */
  advance(ms: Millis): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: Millis; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}

/** The state of one twin host that its agents read and change. */
export class TwinHostState {
  /** Files that exist (Dummy's state files). */
  readonly files = new Set<string>();
  /** IPv4 addresses configured (IPaddr2). */
  readonly addresses = new Set<string>();
  /** Promoted instances (Stateful). */
  readonly promoted = new Set<string>();
  /** Every action run, in order: `instance action` (for assertions on what ran). */
  readonly journal: string[] = [];
}

/** What a scripted agent answers to one action. */
export interface AgentAnswer {
  readonly code: number;
  /** Run time on the twin's clock (default 10 ms). */
  readonly durationMs?: Millis;
  readonly stdout?: string;
  readonly stderr?: string;
  /** Never exits by itself (killed at its timeout). */
  readonly hang?: boolean;
}

/** One invocation as the agent sees it: the action, its environment and the host it runs on. */
export interface AgentCall {
  readonly action: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly host: TwinHostState;
}

/** A scripted agent: behaviour as a function of its call and the host's state. */
export type ScriptedAgent = (call: AgentCall) => AgentAnswer;

const META = (name: string) => `<?xml version="1.0"?>\n<resource-agent name="${name}" version="1.0">\n<version>1.0</version>\n`
  + '<parameters><parameter name="state" unique="1"><content type="string"/></parameter></parameters>\n'
  + '<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/><action name="monitor" timeout="20s" interval="10s"/>'
  + '<action name="meta-data" timeout="5s"/><action name="validate-all" timeout="20s"/></actions>\n</resource-agent>\n';

/** Like ocf:heartbeat:Dummy: a state file (OCF_RESKEY_state or /run/resource-agents/Dummy-INSTANCE.state). */
export function dummyAgent(): ScriptedAgent {
  return ({ action, env, host }) => {
    const inst = env.OCF_RESOURCE_INSTANCE ?? 'default';
    const state = env.OCF_RESKEY_state || `/run/resource-agents/Dummy-${inst}.state`;
    switch (action) {
      case 'start': host.files.add(state); return { code: 0 };
      case 'stop': host.files.delete(state); return { code: 0 };
      case 'monitor': return { code: host.files.has(state) ? 0 : 7 };
      case 'meta-data': return { code: 0, stdout: META('Dummy') };
      case 'validate-all': return { code: 0 };
      default: return { code: 3, stderr: `ocf-exit-reason:${action} not implemented\n` };
    }
  };
}

/** Like ocf:pacemaker:Stateful: a Dummy that can be promoted; monitor answers 8 while promoted. */
export function statefulAgent(): ScriptedAgent {
  const base = dummyAgent();
  return (call) => {
    const inst = call.env.OCF_RESOURCE_INSTANCE ?? 'default';
    const running = base({ ...call, action: 'monitor' }).code === 0;
    switch (call.action) {
      case 'promote': if (!running) return { code: 7 }; call.host.promoted.add(inst); return { code: 0 };
      case 'demote': if (!running) return { code: 7 }; call.host.promoted.delete(inst); return { code: 0 };
      case 'notify': return { code: 0 };
      case 'stop': call.host.promoted.delete(inst); return base(call);
      case 'monitor': return { code: !running ? 7 : call.host.promoted.has(inst) ? 8 : 0 };
      default: return base(call);
    }
  };
}

/** Like ocf:heartbeat:IPaddr2: needs `ip` (else 6, not configured); the address is on the host or not. */
export function ipAddrAgent(): ScriptedAgent {
  return ({ action, env, host }) => {
    const ip = env.OCF_RESKEY_ip;
    if (action === 'meta-data') return { code: 0, stdout: META('IPaddr2') };
    if (!ip || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return { code: 6, stderr: `ocf-exit-reason:IP address (the ip parameter) is mandatory\n` };
    switch (action) {
      case 'start': host.addresses.add(ip); return { code: 0, durationMs: 40 };
      case 'stop': host.addresses.delete(ip); return { code: 0 };
      case 'monitor': return { code: host.addresses.has(ip) ? 0 : 7 };
      case 'validate-all': return { code: 0 };
      default: return { code: 3 };
    }
  };
}

/** Faults laid over an agent: the next N calls of an action answer differently (hang, an rc, a delay). */
export class Faults {
  private readonly rules: Array<{ action: string; left: number; answer: AgentAnswer }> = [];
  /** The next `times` calls of `action` answer `answer` instead of the agent. */
  inject(action: string, answer: AgentAnswer, times = 1): void { this.rules.push({ action, left: times, answer }); }
  wrap(agent: ScriptedAgent): ScriptedAgent {
    return (call) => {
      const r = this.rules.find((x) => x.action === call.action && x.left > 0);
      if (!r) return agent(call);
      r.left--;
      return r.answer;
    };
  }
}

/** The twin launcher: finds the agent by the argv the core built and answers on the manual clock. */
export class TwinLauncher implements Launcher {
  private readonly agents = new Map<string, ScriptedAgent>();
  private nextPid = 1000;
  constructor(readonly clock: DriverClock, readonly host: TwinHostState = new TwinHostState()) {}

  /** Installs an agent at its path, e.g. `/usr/lib/ocf/resource.d/heartbeat/Dummy` or `/usr/sbin/fence_dummy`. */
  install(path: string, agent: ScriptedAgent): this { this.agents.set(path, agent); return this; }

  launch(argv: readonly string[], env: Readonly<Record<string, string>>, stdin: string | undefined, onExit: (exit: ProcessExit) => void): Launched {
    const path = argv[0] ?? '';
    const agent = this.agents.get(path);
    let done = false;
    const end = (x: ProcessExit) => { if (!done) { done = true; onExit(x); } };
    if (!agent) {
      this.clock.setTimer(() => end({ code: null, signal: null, stdout: '', stderr: '', spawnError: `${path}: No such file or directory` }), 0);
      return { killGroup() {} };
    }
    // Fence agents take their action on stdin, the others as argv[1].
    const action = argv[1] ?? /^action=(.*)$/m.exec(stdin ?? '')?.[1] ?? '';
    this.host.journal.push(`${env.OCF_RESOURCE_INSTANCE ?? path} ${action}`);
    // One call per run, against the host's state (its changes take effect at launch; the answer comes later).
    const a = agent({ action, env, ...(stdin !== undefined ? { stdin } : {}), host: this.host });
    const timer = a.hang ? undefined
      : this.clock.setTimer(() => end({ code: a.code, signal: null, stdout: a.stdout ?? '', stderr: a.stderr ?? '' }), a.durationMs ?? 10);
    return {
      pid: this.nextPid++,
      killGroup: () => {
        if (timer !== undefined) this.clock.clearTimer(timer);
        this.clock.setTimer(() => end({ code: null, signal: 'SIGKILL', stdout: '', stderr: '' }), 0);
      },
    };
  }
}
