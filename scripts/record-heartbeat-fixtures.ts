// `node --import tsx scripts/record-heartbeat-fixtures.ts [--out DIR] [--only sha1,md5,crc]`: records the heartbeat
// 3.0.6 interop fixtures the tests use (test/fixtures/heartbeat-3.0.6) from the real daemon, in namespaces.
//
// Per authentication method (sha1, md5, crc) one two-node run of Debian's heartbeat package: nodeb starts, then nodea, which takes
// its group (VIP + dummysvc); nodea crashes (SIGKILL of every process); nodeb takes over after deadtime; nodea comes
// back and the group fails back (auto_failback on); nodeb stops gracefully. Written: METHOD.pcap (tcpdump on nodea's
// bridge port, so it runs on across the crash), METHOD.jsonl (the same datagrams, one JSON object a line),
// METHOD.nodea.ha-log / METHOD.nodeb.ha-log, METHOD.timeline, and capture.json (config, keys, addresses, uuids).
// Needs root, heartbeat and tcpdump (scripts/install-deps.sh). Namespaces lf-rec-*, addresses 10.201.171.0/24.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCluster, mustRun, startDaemon, type Host } from '../src/harness/index.js';
import { readPcap } from '../src/wire/capture.js';
import { uuidString } from '../src/wire/message.js';

const METHODS = ['sha1', 'md5', 'crc'] as const;
type Method = (typeof METHODS)[number];

/** The recorded cluster. Secrets are Lifeline's own test keys: they protect nothing. */
const PREFIX = 'lf-rec';
const SUBNET = '10.201.171.0/24';
const VIP = '10.201.171.100';
const HA_CF = 'keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\nudpport 694\nbcast eth0\nauto_failback on\nnode nodea\nnode nodeb\n';
const HARESOURCES = `nodea ${VIP}/24/eth0 dummysvc\n`;
const AUTHKEYS: Readonly<Record<Method, string>> = {
  sha1: 'auth 1\n1 sha1 lifeline-fixture-sha1-secret\n',
  md5: 'auth 1\n1 md5 lifeline-fixture-md5-secret\n',
  crc: 'auth 1\n1 crc\n',
};
/** A resource.d script that keeps its state in the host's private /var/run. */
const DUMMYSVC = `#!/bin/sh
case "$1" in
  start) touch /var/run/heartbeat/dummysvc.running ;;
  stop) rm -f /var/run/heartbeat/dummysvc.running ;;
  status) if [ -e /var/run/heartbeat/dummysvc.running ]; then echo running; else echo stopped; fi ;;
esac
exit 0
`;
/** How long each phase runs; the timeouts are generous multiples of deadtime (5 s) and initdead (10 s). */
const SETTLE_MS = 20_000;
const WAIT_MS = 60_000;

function args(): { out: string; only: Method[] } {
  const a = process.argv.slice(2);
  let out = join(process.cwd(), 'test', 'fixtures', 'heartbeat-3.0.6');
  let only: Method[] = [...METHODS];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--out') out = a[++i]!;
    else if (a[i] === '--only') only = a[++i]!.split(',') as Method[];
    else throw new Error(`unknown argument ${a[i]} (usage: record-heartbeat-fixtures.ts [--out DIR] [--only sha1,md5,crc])`);
  }
  return { out, only };
}

async function until(what: string, f: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const t = performance.now();
  while (!(await f())) {
    if (performance.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => new Date().toISOString().slice(11, 19);

/** One run: returns the uuids heartbeat generated for the nodes (from their hb_uuid files). */
async function record(method: Method, out: string): Promise<Record<string, string>> {
  const c = await createCluster({ prefix: PREFIX, networks: [SUBNET], hosts: ['nodea', 'nodeb'] });
  const timeline: string[] = [];
  const mark = (what: string) => { timeline.push(`${clock()} ${what}`); console.log(`${method}: ${clock()} ${what}`); };
  try {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const pcap = join(c.host('nodea').dirs.log, `${method}.pcap`);
    // tcpdump on nodea's port of the bridge: both directions of nodea's eth0, and it outlives nodea's crash.
    const dump = spawn('ip', ['netns', 'exec', `${PREFIX}-br`, 'tcpdump', '-i', a.link().bridgePort, '-U', '-n', '-Z', 'root', '-w', pcap, 'udp port 694'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let dumpErr = '';
    dump.stderr.on('data', (d: Buffer) => { dumpErr += d.toString(); });
    await until('tcpdump to listen', async () => dumpErr.includes('listening on'), 10_000);
    const cfg = { haCf: HA_CF, authkeys: AUTHKEYS[method], haresources: HARESOURCES, resourceScripts: { dummysvc: DUMMYSVC } };
    // nodeb first, nodea once nodeb heard itself: the start-up order of the log lines is then fixed (nodeb's own
    // link, then nodea's), not a race between two daemons starting in the same second.
    const first = await startDaemon(b, cfg);
    await b.waitForLog(/Link nodeb:eth0 up\./, { timeoutMs: WAIT_MS });
    const started = [await startDaemon(a, cfg), first];
    for (const d of started) if (d.launcherExit !== 0) throw new Error(`heartbeat on ${d.host.name} did not start:\n${readFileSync(d.outputFile, 'utf8')}`);
    const t0 = performance.now();
    mark('started');
    await until('the VIP on nodea', () => a.hasAddress(VIP));
    mark('VIP on nodea');
    await sleep(Math.max(0, SETTLE_MS - (performance.now() - t0)));
    await a.crash();
    mark('nodea crashed');
    await until('the VIP on nodeb', () => b.hasAddress(VIP));
    await b.waitForLog(/mach_down takeover complete for node nodea/, { timeoutMs: WAIT_MS });
    mark('VIP on nodeb');
    const again = await startDaemon(a, cfg);
    if (again.launcherExit !== 0) throw new Error(`heartbeat on nodea did not restart:\n${readFileSync(again.outputFile, 'utf8')}`);
    mark('nodea restarted');
    await until('the VIP back on nodea', async () => (await a.hasAddress(VIP)) && !(await b.hasAddress(VIP)));
    mark('VIP back on nodea');
    await sleep(8000);
    if (!(await started[1]!.stop(60_000))) throw new Error('nodeb did not stop');
    await b.waitForLog(/nodeb Heartbeat shutdown complete\./, { timeoutMs: WAIT_MS });
    mark('nodeb stopped gracefully');
    await sleep(2000);
    const exited = new Promise((r) => dump.once('exit', r));
    dump.kill('SIGINT');
    await exited;
    await again.stop(60_000);

    copyFileSync(pcap, join(out, `${method}.pcap`));
    for (const h of [a, b]) copyFileSync(h.logFile, join(out, `${method}.${h.name}.ha-log`));
    writeFileSync(join(out, `${method}.timeline`), timeline.join('\n') + '\n');
    const cap = readPcap(new Uint8Array(readFileSync(pcap)), pcap);
    if (!cap.ok) throw new Error(cap.error.message);
    writeFileSync(join(out, `${method}.jsonl`), cap.value.datagrams.map((d) => JSON.stringify({
      time: d.time, src: d.src, dst: d.dst, sport: d.sport, dport: d.dport, payload_hex: Buffer.from(d.payload).toString('hex'),
    })).join('\n') + '\n');
    console.log(`${method}: ${cap.value.datagrams.length} datagrams`);
    const uuids: Record<string, string> = {};
    for (const h of [a, b]) uuids[h.name] = uuidString(new Uint8Array(readFileSync(join(h.dirs.lib, 'hb_uuid'))))!;
    return uuids;
  } finally {
    await c.destroy();
  }
}

async function main(): Promise<void> {
  const { out, only } = args();
  mkdirSync(out, { recursive: true });
  const manifestFile = join(out, 'capture.json');
  const old = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) as { uuids?: Record<string, Record<string, string>> } : {};
  const version = (await mustRun(['dpkg-query', '-W', '-f', '${Version}', 'heartbeat'])).trim();
  const uuids: Record<string, Record<string, string>> = { ...(old.uuids ?? {}) };
  for (const m of only) uuids[m] = await record(m, out);
  const hosts = ['nodea', 'nodeb'].map((name, i) => ({ name, address: SUBNET.replace(/0\/24$/, String(i + 1)) }));
  writeFileSync(manifestFile, JSON.stringify({
    about: 'Recorded by scripts/record-heartbeat-fixtures.ts from the real heartbeat; the secrets are test keys.',
    heartbeat: `heartbeat ${version} (Debian package)`,
    recorded: new Date().toISOString().slice(0, 10),
    nodes: hosts, broadcast: SUBNET.replace(/0\/24$/, '255'), vip: VIP,
    haCf: HA_CF, haresources: HARESOURCES, authkeys: AUTHKEYS, uuids,
  }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

await main();
