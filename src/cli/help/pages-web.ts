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
  {
    command: 'web',
    synopsis: ['lifeline web [--listen HOST:PORT] [--token-file FILE] [--tls-cert FILE --tls-key FILE] [--run-dir DIR]'],
    description: [
      'Serves a live status page (nodes, links, resource groups and where they run, recent warnings, a failover timeline with detection and takeover durations), a JSON API under /api/v1/ with an event stream, and /metrics in the Prometheus text format. It runs as a process of its own that asks the local daemon over its control socket; it never acts on the system itself.',
      'Read-only pages are served without login on a loopback listener only. Actions (standby, takeover) need TLS and the token of --token-file (one line of at least 16 characters, mode 600 or 400: refused when others may read it, as authkeys). A listener on any other address needs TLS and the token for every request; lifeline web refuses to start otherwise. docs/web.md describes the API, the metrics and the security rules.',
    ],
    options: [
      ['--listen HOST:PORT', 'the address to listen on (default 127.0.0.1:7630, as Hawk)'],
      ['--token-file FILE', 'the API token (Authorization: Bearer TOKEN, or a browser\'s login with the token as password)'],
      ['--tls-cert FILE, --tls-key FILE', 'serve HTTPS with this PEM certificate and key'],
      RUN_DIR,
    ],
    exit: [['0', 'stopped by SIGTERM or SIGINT'], ['1', 'refused to start (listener without TLS or token, bad token file, port taken)'], ['2', 'usage error']],
  },
];
