// Soak: a Lifeline pair and a heartbeat 3.0.6 pair side by side (own namespaces, same time, same files) while stress-ng loads every core.
// Usage: node --import tsx bench/soak.ts [--seconds 600] [--profile aggr|ka1dt5] [--prefix lld-sk] [--net 10.240] [--subnet-base 160] [--cpus 2]
import { withCluster, startDaemon, heartbeatKind, lifelineKind, type Host, type DaemonKind } from '../src/harness/index.js';
import { repoRoot } from '../src/harness/daemon.js';
import { DUMMYSVC, lifelineHasDaemon, type Profile } from './failover-rig.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}

const HA: Record<Profile, string> = {
  ka1dt5: 'keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\n',
  aggr: 'keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 5\n',
};

/** What one pair's logs showed over the soak. */
interface SoakResult { kind: string; deaths: number; late: number; stalls: number; restarts: number }

/** Counts, in the text both nodes logged during the soak: false deaths, late heartbeats, Lifeline's stall warnings, restarts. */
function count(kind: string, texts: string[]): SoakResult {
  const n = (re: RegExp) => texts.reduce((sum, t) => sum + (t.match(re) ?? []).length, 0);
  return {
    kind,
    deaths: n(/: is dead/g),
    late: n(/Late heartbeat/g),
    stalls: n(/Membership timers ran \d+ ms late/g),
    restarts: n(/Heartbeat restart on node|returning after partition/g),
  };
}

/** Starts a pair of `kind` on NET.subnet with the profile, waits until the VIP is up and both see each other active. */
async function startPair(c: { host(n: string): Host }, kind: DaemonKind, profile: Profile, net: string): Promise<[Host, Host]> {
  const [a, b] = [c.host('nodea'), c.host('nodeb')];
  const cfg = {
    haCf: `${HA[profile]}udpport 694\nbcast eth0\nauto_failback on\nnode nodea nodeb\n`,
    authkeys: 'auth 1\n1 sha1 benchkey\n',
    haresources: `nodea ${net}.100/24/eth0 dummysvc\n`,
    resourceScripts: { dummysvc: DUMMYSVC },
  };
  for (const h of [a, b]) {
    const d = await startDaemon(h, cfg, kind);
    if (d.launcherExit !== null && d.launcherExit !== 0) throw new Error(`${kind.name} on ${h.name} exited ${d.launcherExit}`);
  }
  await b.waitForLog(/Status update for node nodea: status active/, { timeoutMs: 60000 });
  await a.waitForLog(/Status update for node nodeb: status active/, { timeoutMs: 60000 });
  const end = performance.now() + 60000;
  while (!(await a.hasAddress(`${net}.100`))) {
    if (performance.now() > end) throw new Error(`soak: ${kind.name}: VIP never came up on nodea`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return [a, b];
}

async function main(): Promise<number> {
  const seconds = Number(arg('seconds', '600'));
  const profile = arg('profile', 'aggr') as Profile;
  const prefix = arg('prefix', 'lld-sk');
  const net = arg('net', '10.240');
  const base = Number(arg('subnet-base', '160'));
  const cpus = arg('cpus', '2');
  if (!lifelineHasDaemon(repoRoot())) { console.log('lifeline: no daemon (build dist first)'); return 1; }
  const kinds: [string, DaemonKind][] = [['lifeline', lifelineKind()], ['heartbeat', heartbeatKind]];
  const nets = kinds.map((_, i) => `${net}.${base + i}`);
  // Two clusters at once: each pair in its own namespaces and /24; stress-ng in the heartbeat cluster's third host.
  return withCluster({ prefix: `${prefix}l`, networks: [`${nets[0]}.0/24`], hosts: ['nodea', 'nodeb'] }, (cl) =>
    withCluster({ prefix: `${prefix}h`, networks: [`${nets[1]}.0/24`], hosts: ['nodea', 'nodeb', 'load'] }, async (ch) => {
      const pairs = [await startPair(cl, kinds[0]![1], profile, nets[0]!), await startPair(ch, kinds[1]![1], profile, nets[1]!)];
      await new Promise((r) => setTimeout(r, 3000)); // resource scripts settle
      const marks = await Promise.all(pairs.map((p) => Promise.all(p.map((h) => h.logMark()))));
      const started = new Date().toISOString();
      const stress = ch.host('load').spawn(['stress-ng', '--cpu', cpus, '--timeout', `${seconds}s`, '--metrics-brief'], { pipe: true });
      let stressOut = '';
      stress.stdout?.on('data', (d: Buffer) => { stressOut += d.toString(); });
      stress.stderr?.on('data', (d: Buffer) => { stressOut += d.toString(); });
      const load: number[] = [];
      const sampler = setInterval(() => {
        void import('node:fs').then((fs) => load.push(Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0])));
      }, 10000);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      clearInterval(sampler);
      stress.kill('SIGKILL');
      const results: SoakResult[] = [];
      for (const [i, [name]] of kinds.entries()) {
        const [a, b] = pairs[i]!;
        const texts = [(await a.readLog()).slice(marks[i]![0]), (await b.readLog()).slice(marks[i]![1])];
        results.push(count(name, texts));
      }
      console.log(`soak ${seconds} s from ${started}, profile ${profile}, stress-ng --cpu ${cpus}; 1-min load avg min/max ${Math.min(...load)}/${Math.max(...load)}`);
      console.log('| kind | profile | soak s | stress | false deaths ("is dead") | late heartbeats | stall warnings | restarts/partitions |');
      console.log('|---|---|---|---|---|---|---|---|');
      for (const r of results) console.log(`| ${r.kind} | ${profile} | ${seconds} | stress-ng --cpu ${cpus} | ${r.deaths} | ${r.late} | ${r.stalls} | ${r.restarts} |`);
      const bogo = stressOut.split('\n').filter((l) => /cpu\s+\d/.test(l)).join(' ').trim();
      if (bogo) console.log(`stress-ng: ${bogo}`);
      return 0;
    }));
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
