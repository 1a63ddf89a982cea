// Help pages of the observing commands (`lifeline events`, `lifeline web`), kept beside pages.ts so the
// command list there stays short; pages.ts appends these to PAGES.
import type { HelpPage } from './pages.js';

const RUN_DIR: readonly [string, string] = ['--run-dir DIR', 'the run directory of the daemon to ask, holding its control socket (default /var/run/heartbeat)'];

export const WEB_PAGES: readonly HelpPage[] = [
  {
    command: 'events',
    synopsis: ['lifeline events [--follow] [--json] [--since N] [--run-dir DIR]'],
    description: [
      'Prints the daemon\'s ring of recent cluster events, oldest first: node and link changes, late heartbeats, dropped packets by reason, takeovers with their detection and takeover durations, administrative commands, resource operations and configuration reloads. Each event has a stable code (LL_EV_NODE_DEAD, LL_EV_TAKEOVER_DONE, ...) and a sequence number.',
      'The ring holds the last 2000 events; older ones fall off. With --follow the command keeps asking for new events (every 250 ms) until interrupted.',
    ],
    options: [['--follow, -f', 'keep printing new events'], ['--json', 'one JSON object per line'], ['--since N', 'only events after sequence number N'], RUN_DIR],
    exit: [['0', 'printed'], ['1', 'no daemon runs with that run directory'], ['2', 'usage error']],
  },
];
