// `crm_standby`: Pacemaker's wrapper around crm_attribute for a node's `standby` attribute, with the same
// defaults its shell script applies (update: forever; query: forever, else reboot, else off; delete: both).
import { opt, parseOpts } from '../../crm/client/args.js';
import { run as attribute } from './crm_attribute.js';
import { hostname } from 'node:os';

export const summary = 'crm_standby: query, enable or disable standby mode of a node (Pacemaker\'s tool)';

const SPECS = [
  opt('query', 'G', ['query', 'get-value']), opt('update', 'v', ['update', 'attr-value'], true), opt('delete', 'D', ['delete', 'delete-attr']),
  opt('node', 'N', ['node', 'uname'], true), opt('lifetime', 'l', 'lifetime', true), opt('quiet', 'q', 'quiet'), opt('id', 'i', ['id', 'attr-id'], true),
  opt('verbose', 'V', 'verbose'), opt('run-dir', undefined, 'run-dir', true),
];

export async function run(argv: readonly string[]): Promise<number> {
  const p = parseOpts(SPECS, argv);
  if (typeof p === 'string') { process.stderr.write(`error: ${p}\n`); return 1; }
  const base = ['-N', p.opts.get('node') ?? hostname().toLowerCase(), '-n', 'standby'];
  if (p.flags.get('quiet')) base.push('-q');
  if (p.opts.has('id')) base.push('-i', p.opts.get('id')!);
  if (p.opts.has('run-dir')) base.push('--run-dir', p.opts.get('run-dir')!);
  const lifetime = p.opts.get('lifetime');
  const op = p.opts.has('update') ? 'u' : p.flags.get('delete') ? 'd' : 'g';
  const args = op === 'u' ? [...base, '-v', p.opts.get('update')!] : op === 'd' ? [...base, '-D'] : [...base, '-G'];
  if (lifetime !== undefined) return attribute([...args, '-l', lifetime], 'crm_attribute');
  if (op === 'u') return attribute([...args, '-l', 'forever'], 'crm_attribute');
  if (op === 'd') {
    await attribute([...args, '-l', 'forever'], 'crm_attribute');
    await attribute([...args, '-l', 'reboot'], 'crm_attribute');
    return 0;
  }
  // Query: the forever entry if there is one (asked silently first, as the script does), else reboot with default off.
  const rc = await attribute([...args, '-l', 'forever'], 'crm_attribute', { out: () => {}, err: () => {} });
  return attribute(rc === 0 ? [...args, '-l', 'forever'] : [...args, '-l', 'reboot', '-d', 'off'], 'crm_attribute');
}
