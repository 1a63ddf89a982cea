// Finds the adapter for a haresources resource the way heartbeat's ResourceManager does: IPaddr/IPaddr2 and bare
// addresses natively, `OCF::agent::instance` through OCF_ROOT, anything else as resource.d then init.d script.

import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceSpec } from '../../config/haresources-model.js';
import { diag, type Diagnostic } from '../../errors.js';
import { sharedArpSender } from '../../io/arp-sender.js';
import { sharedIpChannel } from '../../io/ip-batch.js';
import { runProcess } from '../../io/process.js';
import { err, ok, type Result } from '../../types.js';
import type { Agent, AgentContext } from './agent.js';
import { ipAddrAgent, type ArpOptions } from './ipaddr.js';
import { parseIpSpec } from './ipaddr-spec.js';
import { ocfAgent, parseOcfInstance } from './ocf.js';
import { scriptAgent } from './script.js';

/**
 * The production context: /etc/ha.d, /etc/init.d, /usr/lib/ocf, commands run directly, `ip` through the process's
 * one `ip -batch` channel and ARPs through its one helper. A context given another `exec` (a namespace) gets neither
 * unless it passes its own `ip` / `arp`.
 */
export function defaultAgentContext(log: (line: string) => void, overrides: Partial<AgentContext> = {}): AgentContext {
  const ip = overrides.exec === undefined ? { ip: sharedIpChannel(), arp: sharedArpSender() } : {};
  return { configDir: '/etc/ha.d', initDir: '/etc/init.d', ocfRoot: '/usr/lib/ocf', exec: runProcess, log, ...ip, ...overrides };
}

function isExecutableFile(p: string): boolean {
  try { return statSync(p).isFile() && (accessSync(p, constants.X_OK), true); } catch { return false; }
}

/** ResourceManager's scriptpath: resource.d first, then init.d. */
export function findScript(name: string, ctx: AgentContext): string | undefined {
  if (name.includes('/')) return undefined;
  return [join(ctx.configDir, 'resource.d', name), join(ctx.initDir, name)].find(isExecutableFile);
}

/** The OCF wrapper's `ls $OCF_AGENTS/*\/<agent> | head -1`: the first provider (by name) that has the agent. */
export function findOcfAgent(agentType: string, ocfRoot: string): string | undefined {
  const base = join(ocfRoot, 'resource.d');
  let providers: string[] = [];
  try { providers = readdirSync(base).sort(); } catch { return undefined; }
  return providers.map((p) => join(base, p, agentType)).find(isExecutableFile);
}

/**
 * How ResourceManager reads one haresources word at run time (canonname/resource2script/resource2arg): a word
 * spelled like an address is `IPaddr::word`; otherwise `Type::arg1::arg2`. The config parser validates more.
 */
export function resourceSpecFromWord(word: string): ResourceSpec {
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/.test(word)) return { type: 'IPaddr', args: [word], text: word };
  const [type = '', ...args] = word.split('::');
  return { type, args, text: word };
}

/** Builds the agent for one resource, or a diagnostic naming what could not be found. */
export function agentFor(spec: ResourceSpec, ctx: AgentContext, opts: { arp?: ArpOptions } = {}): Result<Agent, Diagnostic> {
  const type = spec.type;
  if (type === 'IPaddr' || type === 'IPaddr2') {
    const p = parseIpSpec(spec.args[0] ?? '');
    if (!p.ok) return p;
    return ok(ipAddrAgent(spec.text, p.value, type, ctx, opts.arp));
  }
  if (type === 'OCF') {
    const [agentType, instance, ...extra] = spec.args;
    if (!agentType || !instance) return err(diag('LL_RES_OCF_USAGE', { value: spec.text }, { found: spec.text, expected: 'OCF::agent::instance' }));
    const script = findOcfAgent(agentType, ctx.ocfRoot);
    if (!script) return err(diag('LL_RES_OCF_AGENT_NOT_FOUND', { agent: agentType, root: ctx.ocfRoot }, { found: agentType }));
    let params: Record<string, string> = {};
    try { params = parseOcfInstance(readFileSync(join(ctx.configDir, 'conf', 'OCF', agentType, instance), 'utf8')); } catch { /* parameters may come inline */ }
    // Lifeline extension: further `::name=value` words are parameters too.
    for (const kv of extra) {
      const i = kv.indexOf('=');
      if (i > 0) Object.assign(params, parseOcfInstance(`${kv.slice(0, i)}=${kv.slice(i + 1)}`));
    }
    return ok(ocfAgent(spec.text, script, agentType, instance, params, ctx));
  }
  const path = findScript(type, ctx);
  if (!path) {
    return err(diag('LL_RES_SCRIPT_NOT_FOUND', { script: type, dirs: `${join(ctx.configDir, 'resource.d')} and ${ctx.initDir}` }, { found: spec.text }));
  }
  return ok(scriptAgent(spec.text, path, spec.args, ctx));
}
