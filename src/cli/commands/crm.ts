// `crm` (crmsh's command names) on the local daemon: `status` (= crm_mon -1), `resource start|stop|move|clear|
// cleanup|status`, `node standby|online`; `crm configure` lives in crm-configure.ts, `crm simulate` in crm-simulate.ts.
import { hostname } from 'node:os';
import { cibTarget, isFailure, queryCib, type CibTarget } from '../../crm/client/cib-client.js';
import { resourceAction, setStandby, type ActionIo } from '../../crm/client/actions.js';
import { findResource, locate } from '../../crm/client/resources.js';
import { renderMon } from './crm_mon.js';

export const summary = 'crm shell: status, resource start|stop|move|clear|cleanup|status, node standby|online (configure: crm configure)';

const USAGE = `usage: crm [--run-dir DIR] status
       crm resource start|stop|status RSC | move RSC NODE [LIFETIME] | clear RSC [NODE] | cleanup RSC [NODE] | status
       crm node standby|online [NODE]
       crm configure ...   (see crm configure --help)
`;
const IO: ActionIo = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function run(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  let runDir: string | undefined;
  const i = args.findIndex((a) => a === '--run-dir' || a.startsWith('--run-dir='));
  if (i >= 0) { runDir = args[i]!.includes('=') ? args[i]!.slice(10) : args[i + 1]; args.splice(i, args[i]!.includes('=') ? 1 : 2); }
  const target = cibTarget(process.env, runDir);
  const [level, verb, ...rest] = args;
  switch (level) {
    case 'status': {
      const r = await renderMon(target, { xml: false, inactive: false, failcounts: false, byNode: false });
      if (r.err) IO.err(r.err);
      process.stdout.write(r.text);
      return r.rc;
    }
    case 'resource': return resource(target, verb, rest);
    case 'node': {
      if (verb !== 'standby' && verb !== 'online') break;
      return setStandby(IO, target, rest[0] ?? hostname().toLowerCase(), verb === 'standby');
    }
    default: break;
  }
  process.stderr.write(level ? `crm: unknown command "${args.join(' ')}"\n${USAGE}` : USAGE);
  return level ? 2 : 0;
}

async function resource(target: CibTarget, verb: string | undefined, rest: readonly string[]): Promise<number> {
  const [rsc, node, lifetime] = rest;
  switch (verb) {
    case 'start': case 'stop': case 'cleanup': case 'clear':
      if (!rsc) break;
      return resourceAction(IO, target, verb, rsc, node);
    case 'move': case 'migrate':
      if (!rsc || !node) break;
      // crmsh takes a lifetime as a duration (PT1H); crm_resource --lifetime the same.
      return resourceAction(IO, target, 'move', rsc, node, lifetime);
    case 'ban':
      if (!rsc) break;
      return resourceAction(IO, target, 'ban', rsc, node, lifetime);
    case 'status': case 'show': case undefined: {
      if (!rsc) {
        const r = await renderMon(target, { xml: false, inactive: true, failcounts: false, byNode: false });
        if (r.err) { IO.err(r.err); return r.rc; }
        const text = r.text.split('\n');
        const from = text.indexOf('Full List of Resources:');
        process.stdout.write(`${text.slice(from + 1).filter((l) => l.startsWith('  ')).join('\n')}\n`);
        return 0;
      }
      const cib = await queryCib(target);
      if (isFailure(cib)) { IO.err(`Error performing operation: ${cib.error}`); return cib.rc; }
      const e = findResource(cib, rsc);
      if (!e) { IO.err(`Resource '${rsc}' not found`); return 105; }
      const where = locate(cib, e);
      if (where.length === 0) IO.out(`resource ${rsc} is NOT running`);
      for (const n of where) IO.out(`resource ${rsc} is running on: ${n}`);
      return 0;
    }
    default: break;
  }
  process.stderr.write(USAGE);
  return 2;
}
