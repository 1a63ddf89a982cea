// `lifeline takeover [all|foreign|local|failback]` (also the command `hb_takeover`): ask the peer to hand its
// groups to this node (it goes standby for them), through the running daemon's control socket.
import { controlRequest } from '../../daemon/client.js';

export const summary = 'hb_takeover: take the other node\'s groups (all, foreign, local, failback) onto this node';

const WORDS = ['all', 'foreign', 'local', 'failback'];

/**
 * Shared by `standby` and `takeover`: heartbeat's scripts take one optional word (default all) and exit 1 on a
 * wrong one. The daemon only starts the protocol; the move itself shows in the log and in `cl_status rscstatus`.
 */
export async function standbyOrTakeover(cmd: 'standby' | 'takeover', argv: readonly string[]): Promise<number> {
  const name = cmd === 'standby' ? 'hb_standby' : 'hb_takeover';
  let runDir = process.env.LIFELINE_RUN_DIR ?? '/var/run/heartbeat';
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--run-dir' && argv[i + 1] !== undefined) runDir = argv[++i]!;
    else words.push(a);
  }
  const usage = `usage:\n${name} [all|foreign|local|failback]\n`;
  if (words.length > 1) { process.stderr.write(`${name}: too many arguments\n${usage}`); return 1; }
  const which = words[0] ?? 'all';
  if (which === '--help') { process.stderr.write(usage); return 1; }
  if (!WORDS.includes(which)) { process.stderr.write(`${name}: wrong resources(${which}).\n${usage}`); return 1; }
  const a = await controlRequest(runDir, { cmd, which });
  if (!a) { process.stderr.write(`${name}: no Lifeline daemon answers in ${runDir}\n`); return 1; }
  if (!a.ok) {
    const e = a.error ?? 'refused';
    process.stderr.write(`${name}: ${/^unknown request/.test(e) ? 'this daemon manages no haresources groups' : e}\n`);
    return 1;
  }
  return 0;
}

export function run(argv: readonly string[]): Promise<number> {
  return standbyOrTakeover('takeover', argv);
}
