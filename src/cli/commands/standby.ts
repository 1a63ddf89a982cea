// `lifeline standby [all|foreign|local|failback]` (also the command `hb_standby`): give this node's groups to
// the peer through heartbeat's standby protocol, asked of the running daemon over its control socket.
import { standbyOrTakeover } from './takeover.js';

export const summary = 'hb_standby: hand this node\'s groups (all, foreign, local, failback) to the other node';

export function run(argv: readonly string[]): Promise<number> {
  return standbyOrTakeover('standby', argv);
}
