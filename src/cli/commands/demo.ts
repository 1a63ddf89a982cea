// `lifeline demo`: a two-node web-server cluster from examples/web-server in network namespaces on this machine,
// a client polling the VIP, a kill -9 of the owner, the measured failover, the failback, and a full cleanup.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { diag, formatDiagnostic } from '../../errors.js';
import { parseDuration } from '../../config/duration.js';
import { createCluster, lifelineKind, listNamespaces, runSync, startDaemon, type Cluster, type DaemonKind, type HaConfig, type Host } from '../../harness/index.js';
import { repoRoot } from '../../harness/daemon.js';
import { adaptExample, type AdaptedExample } from '../demo/example.js';
import { startDemoWeb, type DemoWeb } from '../demo/web.js';
import { failoverSummary, formatMs, isInterestingLogLine, measureMove, ServingTracker, stamp, type ClientSample } from '../demo/timeline.js';

export const summary = 'build a 2-node web cluster in network namespaces, kill -9 the owner, show failover and failback (root)';

const USAGE = `usage: lifeline demo [--keepalive TIME] [--deadtime TIME] [--poll MS] [--example DIR] [--web PORT|off] [--pause SECONDS]
  Builds the two-node web server of examples/web-server in network namespaces (lle-*, 10.250.0.0/16) on this
  machine, runs 'lifeline daemon' on each node and a tiny web server behind the cluster address, and a client that
  asks the address every --poll ms (default 50) which node answers. Then it kills the owner with kill -9, prints
  the failover time, restarts the node to show the failback, and removes everything. Needs root.
  The standby's status page (lifeline web) is served on http://127.0.0.1:PORT/ (default 7630, another free port
  when it is taken; 0: any free port); on a terminal the demo waits --pause seconds (default 20, Enter: go on) before
  the crash, so the page can be opened first.
  TIME is heartbeat's syntax: 200ms, 2 (seconds). Defaults: keepalive 200ms, deadtime 2.
exit status: 0 the service failed over (and back), 1 it did not or the demo failed, 2 usage error`;

/** Where the demo's daemons write their JSON log inside each host (its private /var/lib/heartbeat). */
const JSON_LOG = 'lifeline-log.json';

/**
 * resource.d script for the first non-address resource: a web server on port 80 answering with the node's name.
 * One Node process serves every request (no fork per request: a forking server collapses under load, each slow
 * answer making the client's next requests pile up). `start` returns once the port listens, as an init script should.
 */
function webServerScript(): string {
  const server = "require('http').createServer((q,s)=>{s.setHeader('Connection','close');s.end(require('os').hostname()+'\\n')}).listen(80)";
  return `#!/bin/sh
# lifeline demo: a tiny web server on port 80 that answers every request with this node's name (uname -n).
PIDF=/var/run/lifeline-demo-httpd.pid
running() { [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; }
listening() { ss -ltn 2>/dev/null | grep -q ':80 '; }
case "$1" in
  start) running && exit 0
    '${process.execPath}' -e "${server}" </dev/null >/dev/null 2>&1 &
    echo $! > $PIDF
    # Ready when the port listens: 30 s at most (Node starts in ~50 ms; much longer on a loaded machine).
    i=0; while [ $i -lt 3000 ]; do listening && exit 0; running || exit 1; sleep 0.01; i=$((i + 1)); done
    exit 1 ;;
  stop) running && kill "$(cat $PIDF)"; rm -f $PIDF ;;
  status) if running; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
}

const NOOP_SCRIPT = '#!/bin/sh\n# lifeline demo: stands in for a service of the example that the demo does not run.\nS=/var/run/lifeline-demo-$(basename $0).on\ncase "$1" in start) touch $S;; stop) rm -f $S;; status) [ -e $S ] && echo running || echo stopped;; esac\nexit 0\n';

/** The client: one HTTP GET every interval (they overlap), one JSON line per answer or failure. */
const POLLER = `const http = require('http');
const [url, iv, to] = process.argv.slice(1);
setInterval(() => {
  const r = http.get(url, { agent: false, timeout: Number(to) }, (res) => {
    let b = ''; res.on('data', (d) => { b += d; });
    res.on('end', () => console.log(JSON.stringify({ at: Date.now(), server: b.trim() })));
    res.on('error', (e) => console.log(JSON.stringify({ at: Date.now(), error: e.code || e.message })));
  });
  r.on('timeout', () => r.destroy(new Error('timeout')));
  r.on('error', (e) => console.log(JSON.stringify({ at: Date.now(), error: e.code || e.message })));
}, Number(iv));`;

interface Options {
  keepaliveMs: number;
  deadtimeMs: number;
  pollMs: number;
  example: string;
  prefix: string;
  net: number;
  /** Port of the status page on 127.0.0.1; undefined: no page. */
  webPort: number | undefined;
  pauseS: number;
}

function parseArgs(argv: readonly string[]): Options | string {
  const o: Options = { keepaliveMs: 200, deadtimeMs: 2000, pollMs: 50, example: join(repoRoot(), 'examples', 'web-server'), prefix: 'lle', net: 1,
    webPort: 7630, pauseS: process.stdin.isTTY ? 20 : 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '-h' || a === '--help') return 'help';
    if (!['--keepalive', '--deadtime', '--poll', '--example', '--prefix', '--net', '--web', '--pause'].includes(a)) return `unknown option "${a}"`;
    if (v === undefined) return `${a} needs a value`;
    i++;
    if (a === '--keepalive' || a === '--deadtime') {
      const d = parseDuration(v);
      if (!d || d.ms <= 0) return `bad ${a} "${v}" (expected a heartbeat time: 200ms, 2)`;
      if (a === '--keepalive') o.keepaliveMs = d.ms; else o.deadtimeMs = d.ms;
    } else if (a === '--poll') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 10 || n > 1000) return `bad --poll "${v}" (expected milliseconds, 10-1000)`;
      o.pollMs = n;
    } else if (a === '--web') {
      const n = Number(v);
      if (v !== 'off' && !(Number.isInteger(n) && n >= 0 && n <= 65535)) return `bad --web "${v}" (expected a port 0-65535 or off)`;
      o.webPort = v === 'off' ? undefined : n;
    } else if (a === '--pause') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 600) return `bad --pause "${v}" (expected seconds, 0-600)`;
      o.pauseS = n;
    } else if (a === '--example') o.example = v;
    else if (a === '--prefix') {
      // For tests that run beside a demo: still inside the demo's lle namespace range.
      if (!/^lle(-[a-z0-9]{1,8})?$/.test(v)) return `bad --prefix "${v}" (expected lle or lle-NAME)`;
      o.prefix = v;
    } else {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 250) return `bad --net "${v}" (expected the third octet 1-250 of 10.250.N.0/24)`;
      o.net = n;
    }
  }
  if (o.deadtimeMs <= 2 * o.keepaliveMs) return `deadtime ${o.deadtimeMs} ms must be more than twice keepalive ${o.keepaliveMs} ms (as heartbeat requires)`;
  return o;
}

/** Lifeline's daemon with a JSON log in the host's private state dir (millisecond timestamps for the report). */
function demoKind(): DaemonKind {
  const base = lifelineKind();
  return { ...base, command: (h) => [...base.command(h), '--json-log', `/var/lib/heartbeat/${JSON_LOG}`] };
}

/** Follows the JSON logs of the node hosts: prints the interesting lines live, remembers every line. */
class LogFollower {
  private readonly offsets = new Map<Host, number>();
  readonly lines: { host: Host; at: number; text: string }[] = [];
  constructor(private readonly hosts: readonly Host[], private readonly print: (at: number, text: string) => void) {}

  poll(): void {
    const fresh: { host: Host; at: number; text: string }[] = [];
    for (const h of this.hosts) {
      const file = join(h.dirs.lib, JSON_LOG);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      let off = this.offsets.get(h) ?? 0;
      if (text.length < off) off = 0;
      const end = text.lastIndexOf('\n') + 1;
      for (const l of text.slice(off, end).split('\n')) {
        if (!l) continue;
        try {
          const j = JSON.parse(l) as { ts: string; text: string; level: string };
          const at = Date.parse(j.ts);
          this.lines.push({ host: h, at, text: j.text });
          fresh.push({ host: h, at, text: j.text });
        } catch { /* a line being written */ }
      }
      this.offsets.set(h, Math.max(off, end));
    }
    // Two files polled one after the other: print what both said since the last poll in time order.
    fresh.sort((a, b) => a.at - b.at);
    for (const l of fresh) if (isInterestingLogLine(l.text)) this.print(l.at, `${l.host.hostname} log: ${l.text}`);
  }

  find(host: Host, re: RegExp, since: number): { at: number; text: string } | undefined {
    this.poll();
    return this.lines.find((l) => l.host === host && l.at >= since && re.test(l.text));
  }
}

async function until<T>(what: string, timeoutMs: number, f: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out after ${formatMs(timeoutMs)} waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What each node holds and last said: printed when the demo fails, so the failure explains itself. */
async function stateReport(logs: LogFollower, hosts: readonly Host[], vips: readonly string[], tail = 15): Promise<string> {
  logs.poll();
  const out = [`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`];
  for (const h of hosts) {
    const held = [];
    for (const v of vips) if (await h.hasAddress(v).catch(() => false)) held.push(v);
    const web = (await h.exec(['sh', '-c', 'ss -ltn | grep -q ":80 "']).catch(() => ({ code: 1 }))).code === 0;
    out.push(`${h.hostname}: addresses ${held.join(' ') || 'none of the VIPs'}; web server ${web ? 'listens on port 80' : 'not listening'}; last log lines:`);
    for (const l of logs.lines.filter((x) => x.host === h).slice(-tail)) out.push(`  ${new Date(l.at).toISOString().slice(11, 23)} ${l.text}`);
  }
  return `${out.join('\n')}\n\n`;
}

/** Starts the standby's status page (another free port when PORT is taken); a page that cannot start is only said. */
async function showPage(port: number, runDir: string, node: string, say: (text: string) => void): Promise<DemoWeb | undefined> {
  for (const p of port === 0 ? [0] : [port, 0]) {
    try {
      const web = await startDemoWeb(p, runDir);
      say(`status page of ${node}: ${web.url} (lifeline web on this machine's loopback address; open it in a browser to watch the failover)`);
      return web;
    } catch (e) {
      say(`status page on 127.0.0.1:${p} not started: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/** Waits SECONDS, or until Enter on the terminal. */
async function pause(seconds: number, say: (text: string) => void): Promise<void> {
  say(`the crash comes in ${seconds} s (press Enter to go on now)`);
  const rl = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, seconds * 1000);
    rl.once('line', () => { clearTimeout(t); resolve(); });
  });
  rl.close();
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function run(argv: readonly string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o === 'help') { process.stdout.write(`${USAGE}\n`); return 0; }
  if (typeof o === 'string') { process.stderr.write(`lifeline demo: ${o}\n${USAGE}\n`); return 2; }
  if (process.getuid?.() !== 0) { process.stderr.write(`${formatDiagnostic(diag('LL_DEMO_NOT_ROOT'))}\n`); return 1; }
  for (const tool of ['ip', 'arping', 'ss', 'unshare']) {
    if (runSync(['sh', '-c', `command -v ${tool}`]).code !== 0) {
      process.stderr.write(`lifeline demo: "${tool}" is not installed; run: bash scripts/install-deps.sh\n`);
      return 1;
    }
  }
  let files;
  try {
    files = { haCf: readFileSync(join(o.example, 'ha.cf'), 'utf8'), haresources: readFileSync(join(o.example, 'haresources'), 'utf8'), authkeys: readFileSync(join(o.example, 'authkeys'), 'utf8') };
  } catch (e) {
    process.stderr.write(`${formatDiagnostic(diag('LL_IO_READ_FAILED', { file: o.example, reason: (e as Error).message }))}\n`);
    return 1;
  }
  const timing = { keepaliveMs: o.keepaliveMs, deadtimeMs: o.deadtimeMs, warntimeMs: Math.round(o.deadtimeMs / 2), initdeadMs: o.deadtimeMs };
  const adapted = adaptExample(files, timing, { base: '10.250', firstNet: o.net }, o.example);
  if (!adapted.ok) { process.stderr.write(`${formatDiagnostic(adapted.error)}\n`); return 1; }
  const ex = adapted.value;
  if (ex.vips.length === 0) { process.stderr.write(`lifeline demo: ${o.example}/haresources has no IP address for the client to ask\n`); return 1; }

  const t0 = Date.now();
  const say = (text: string, at = Date.now()): void => { process.stdout.write(`${stamp(at, t0)} ${text}\n`); };
  const [n1, n2] = ex.nodes as [AdaptedExample['nodes'][0], AdaptedExample['nodes'][0]];
  const vip = ex.vips[0]!;
  const used = new Set([...ex.vips.map((v) => Number(v.split('.')[3])), 1, 2]);
  const clientOctet = [100, 200, 250].find((x) => !used.has(x)) ?? 254;

  process.stdout.write(`Lifeline demo: a two-node web server cluster, built in network namespaces on this machine.\n`);
  process.stdout.write(`Configuration: ${o.example} (ha.cf, haresources, authkeys), adapted to run here:\n`);
  process.stdout.write(`  nodes ${n1.name} and ${n2.name} (namespaces ${o.prefix}-${n1.host}, ${o.prefix}-${n2.host}), client in ${o.prefix}-client\n`);
  for (const c of ex.changes) process.stdout.write(`  ${c}\n`);
  process.stdout.write(`  ${ex.scripts[0] ?? 'the service'} → a tiny web server (one Node process) on port 80 that answers with the node's name\n`);
  process.stdout.write(`  cluster address (VIP): ${vip}; auto_failback ${ex.autoFailback}\n\n`);

  const scripts: Record<string, string> = {};
  ex.scripts.forEach((s, i) => { scripts[s] = i === 0 ? webServerScript() : NOOP_SCRIPT; });
  const cfg: HaConfig = { ...ex.files, resourceScripts: scripts };
  const kind = demoKind();
  let cluster: Cluster | undefined;
  let poller: ChildProcess | undefined;
  let follow: NodeJS.Timeout | undefined;
  let explain: (() => Promise<void>) | undefined;
  let web: DemoWeb | undefined;
  // The harness's own handler (installed by createCluster, after this one) tears the cluster down and re-raises.
  const onInterrupt = (): void => {
    process.stdout.write('\ninterrupted: cleaning up (killing the daemons, deleting the namespaces)\n');
    if (!cluster) process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  let code = 1;
  try {
    say(`building namespaces and links (${ex.networks.join(', ')})`);
    cluster = await createCluster({
      prefix: o.prefix, networks: ex.networks,
      hosts: [{ name: n1.host, hostname: n1.name }, { name: n2.host, hostname: n2.name }, { name: 'client', networks: [0], octet: clientOctet }],
    });
    const c = cluster;
    const [h1, h2, cl] = [c.host(n1.host), c.host(n2.host), c.host('client')];
    const logs = new LogFollower([h1, h2], (at, text) => say(text, at));
    follow = setInterval(() => logs.poll(), 25);
    explain = async () => { process.stdout.write(await stateReport(logs, [h1, h2], ex.vips)); };

    say(`starting lifeline daemon on ${n1.name}; alone, it takes its resource group after initdead (${formatMs(timing.initdeadMs)})`);
    await startDaemon(h1, cfg, kind);
    await until(`${vip} on ${n1.name}`, timing.initdeadMs + 20000, () => h1.hasAddress(vip));
    await until(`the web server on ${n1.name}`, 10000, async () => (await h1.exec(['sh', '-c', 'ss -ltn | grep -q ":80 "'])).code === 0 || undefined);
    say(`${n1.name} holds ${vip} and its web server runs`);
    const t2 = Date.now();
    say(`starting lifeline daemon on ${n2.name} (the standby)`);
    await startDaemon(h2, cfg, kind);
    await until(`${n2.name} to see ${n1.name} active`, 20000, () => logs.find(h2, new RegExp(`Status update for node ${esc(n1.name)}: status active`), t2 - 1000));
    say(`${n2.name} sees ${n1.name} active; now the two agree on who holds what (heartbeat's resource handshake, about 10 s)`);
    await until(`${n2.name} to learn what ${n1.name} holds`, 20000, () => logs.find(h2, /remote resource transition completed|Initial resource acquisition complete|resource transition completed/, t2 - 1000));
    say(`the cluster is formed: ${n1.name} serves, ${n2.name} stands by`);

    // The client asks the VIP; every answer is a sample, every change of who answers is printed.
    const samples: ClientSample[] = [];
    const tracker = new ServingTracker(Math.max(150, 3 * o.pollMs));
    const url = `http://${vip}/`;
    poller = cl.spawn([process.execPath, '-e', POLLER, url, String(o.pollMs), String(Math.max(300, 6 * o.pollMs))], { pipe: true });
    createInterface({ input: poller.stdout! }).on('line', (l) => {
      let j: { at: number; server?: string; error?: string };
      try { j = JSON.parse(l) as typeof j; } catch { return; }
      const s: ClientSample = j.server !== undefined && j.server !== '' ? { at: j.at, server: j.server } : { at: j.at };
      samples.push(s);
      const ch = tracker.feed(s);
      if (ch) say(ch.to ? `client: ${url} answered by ${ch.to}` : `client: ${url} does not answer (${j.error ?? 'no reply'})`, ch.at);
    });
    say(`client ${cl.address()} asks ${url} every ${o.pollMs} ms`);
    await until(`an answer from ${n1.name}`, 10000, () => samples.find((s) => s.server === n1.name));
    if (o.webPort !== undefined) web = await showPage(o.webPort, join(h2.dirs.run, 'heartbeat'), n2.name, say);
    if (web && o.pauseS > 0) await pause(o.pauseS, say);
    await new Promise((r) => setTimeout(r, 1500));

    const crashAt = Date.now();
    say(`CRASH: kill -9 of every process of ${n1.name} (its lifeline daemon and web server); its VIP goes with it`);
    await h1.crash();
    await until(`an answer from ${n2.name}`, o.deadtimeMs + 20000, () => samples.find((s) => s.at >= crashAt && s.server === n2.name)).catch(() => undefined);
    const dead = logs.find(h2, new RegExp(`node ${esc(n1.name)}: is dead`), crashAt);
    const fo = measureMove(samples, { causeAt: crashAt, oldNode: n1.name, newNode: n2.name, ...(dead ? { deadAt: dead.at } : {}) });
    const fs = failoverSummary(fo, { oldNode: n1.name, newNode: n2.name, deadtimeMs: o.deadtimeMs });
    process.stdout.write(`\n${fs.lines.join('\n')}\n\n`);
    if (!fs.ok) { await explain(); return (code = 1); }
    code = 0;

    if (ex.autoFailback === 'on') {
      await new Promise((r) => setTimeout(r, 1000));
      const restartAt = Date.now();
      say(`restarting lifeline daemon on ${n1.name}; with auto_failback on, ${n2.name} hands the group back`);
      await startDaemon(h1, cfg, kind);
      const back = await until(`an answer from ${n1.name} again`, timing.initdeadMs + 40000, () => samples.find((s) => s.at >= restartAt && s.server === n1.name)).catch(() => undefined);
      const fb = measureMove(samples, { causeAt: restartAt, oldNode: n2.name, newNode: n1.name });
      if (!back || fb.serviceBackMs === undefined) {
        process.stdout.write(`\nFAILBACK DID NOT HAPPEN: ${n1.name} did not serve again after its restart` +
          ` (waited ${formatMs(timing.initdeadMs + 40000)} for an answer from it)\n`);
        await explain();
        code = 1;
      } else {
        await new Promise((r) => setTimeout(r, 500));
        process.stdout.write(`\nFailback: ${n1.name} serves again ${formatMs(fb.serviceBackMs)} after its daemon restarted` +
          `${fb.gapMs !== undefined ? `; the client got no answer for ${formatMs(fb.gapMs)} during the hand-over` : ''}\n\n`);
      }
    } else {
      say(`auto_failback is ${ex.autoFailback} in the example: ${n2.name} keeps the group; no failback to show`);
    }
    return code;
  } catch (e) {
    process.stderr.write(`lifeline demo: ${(e as Error).message}\n`);
    await explain?.().catch(() => undefined);
    return (code = 1);
  } finally {
    if (follow) clearInterval(follow);
    poller?.kill('SIGKILL');
    web?.stop();
    if (cluster) {
      say('cleaning up: killing every process of the demo and deleting its namespaces');
      await cluster.destroy();
      const mine = new Set(cluster.namespaces());
      const left = listNamespaces().filter((n) => mine.has(n));
      say(left.length === 0 ? `done: no ${o.prefix}-* namespace left` : `WARNING: namespaces left: ${left.join(' ')}`);
    }
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
}
