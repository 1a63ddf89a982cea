// `lifeline resource RESOURCE ACTION`: runs one haresources resource's agent by hand, as an administrator runs
// `/etc/ha.d/resource.d/IPaddr 10.0.0.5 start` with heartbeat, to check a resource before trusting failover to it.

import { formatDiagnostic } from '../../errors.js';
import type { AgentAction } from '../../resources/agents/agent.js';
import { agentFor, defaultAgentContext, resourceSpecFromWord } from '../../resources/agents/lookup.js';

export const summary = 'run one resource agent by hand: lifeline resource RESOURCE start|stop|status|monitor';

const USAGE = `usage: lifeline resource [--confdir DIR] [--timeout SECONDS] RESOURCE start|stop|status|monitor
  RESOURCE is written as in haresources: 10.0.0.5/24/eth0, IPaddr2::10.0.0.5/24, OCF::Dummy::d1, httpd, Filesystem::/dev/sdb1::/data::ext4
exit status: 0 done (status/monitor: running), 3 not running, 1 failed, 2 usage error`;

export async function run(argv: readonly string[]): Promise<number> {
  let confdir = '/etc/ha.d';
  let timeoutMs = 60_000;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--confdir' || a === '--timeout') {
      const v = argv[++i];
      if (v === undefined) { process.stderr.write(`lifeline resource: ${a} needs a value\n${USAGE}\n`); return 2; }
      if (a === '--confdir') confdir = v;
      else {
        const n = Number(v);
        if (!(n > 0)) { process.stderr.write(`lifeline resource: bad --timeout "${v}" (expected seconds > 0)\n`); return 2; }
        timeoutMs = n * 1000;
      }
    } else if (a === '-h' || a === '--help') { process.stdout.write(`${USAGE}\n`); return 0; }
    else rest.push(a);
  }
  const [word, action] = rest;
  if (!word || !action || rest.length !== 2 || !['start', 'stop', 'status', 'monitor'].includes(action)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const ctx = defaultAgentContext((line) => process.stdout.write(`${line}\n`), { configDir: confdir });
  const agent = agentFor(resourceSpecFromWord(word), ctx);
  if (!agent.ok) { process.stderr.write(`${formatDiagnostic(agent.error)}\n`); return 1; }
  const r = await agent.value.run(action as AgentAction, { timeoutMs });
  if (action === 'status' || action === 'monitor') {
    process.stdout.write(`${word}: ${r.running ? 'running' : 'not running'}${r.reason ? ` (${r.reason})` : ''}\n`);
    return r.running ? 0 : r.timedOut ? 1 : 3;
  }
  process.stdout.write(`${word} ${action}: ${r.ok ? 'OK' : `FAILED${r.reason ? ` (${r.reason})` : ''}`}\n`);
  return r.ok ? 0 : 1;
}
