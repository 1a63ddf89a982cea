// V8 options the daemon runs with: a 1 MB young generation and no optimizing compiler keep an idle node small.
// One list for every launcher (`lifeline daemon` detaching, the test harness, benchmarks).

/**
 * Measured on an idle 2-node cluster at keepalive 100 ms (docs/bench.md): the young generation otherwise grows to
 * several MB under the steady trickle of heartbeats, and TurboFan's code and the pages of the node binary it
 * touches cost about 5 MB more; the daemon's per-packet work is far too small to gain from optimized code.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--lite-mode'];
