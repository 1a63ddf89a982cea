// Measures the takeover path after the peer is declared dead (decision, native ip addr add, script start), inside an
// llr- namespace (or --prefix P --net A.B) as the daemon would run. Prints figures. Run as root: node --import tsx bench/resources-takeover.ts [runs]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { millis, nodeName } from '../src/types.js';
import { runProcess } from '../src/io/process.js';
import { defaultAgentContext } from '../src/resources/agents/lookup.js';
import { ResourceDriver } from '../src/resources/driver.js';
import { Rig } from '../test/resources/netns-rig.js';
import { group } from '../test/resources/sim.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : dflt;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
const runs = Number(positional[0] ?? 20);
const inner = positional[1]; // set when re-run inside the namespace: the config directory
const net = arg('net', '10.220');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `min ${s[0]!.toFixed(1)} / median ${q(0.5).toFixed(1)} / p90 ${q(0.9).toFixed(1)} / max ${s[s.length - 1]!.toFixed(1)} ms`;
}

async function measure(dir: string): Promise<void> {
  const decide: number[] = [];
  const vipUp: number[] = [];
  const vipAdded: number[] = [];
  const allUp: number[] = [];
  const release: number[] = [];
  for (let i = 0; i < runs; i++) {
    let firstEffect = 0;
    let vipAt = 0;
    let addedAt = 0;
    const driver = new ResourceDriver({
      config: { me: nodeName('nodeb'), peer: nodeName('nodea'), autoFailback: 'on', stonith: false,
        groups: [group('nodea', `${net}.4.100/24`, 'svc')] },
      agents: defaultAgentContext((l) => {
        if (!vipAt && l.includes('ip -4 addr add')) vipAt = performance.now();
        else if (vipAt && !addedAt && l.includes('INFO: Success')) addedAt = performance.now();
      }, { configDir: dir, ...(process.env.LL_BENCH_NO_BATCH ? { exec: runProcess } : {}) }),
      now: () => millis(performance.now()),
      send: () => {},
      log: (_l, t) => { if (!firstEffect && t.startsWith('Acquiring resource group')) firstEffect = performance.now(); },
    });
    driver.feed({ type: 'comm-up', peerDead: false });
    driver.feed({ type: 'message', from: nodeName('nodea'), msg: { t: 'resource', rscHold: 'local', rtype: 'full', isstable: true } });
    await driver.idle();
    const t0 = performance.now();
    driver.feed({ type: 'peer-dead' });
    await driver.idle();
    const done = performance.now();
    decide.push(firstEffect - t0);
    vipUp.push(vipAt - t0);
    vipAdded.push(addedAt - t0);
    allUp.push(done - t0);
    const r0 = performance.now();
    driver.feed({ type: 'shutdown' });
    await driver.idle();
    release.push(performance.now() - r0);
    driver.close();
  }
  console.log(`takeover after peer-dead, ${runs} runs, measured inside the node's namespace (load average ${load()}):`);
  console.log(`  machine decision (peer-dead → first group action): ${stats(decide)}`);
  console.log(`  peer-dead → ip addr add issued:                     ${stats(vipUp)}`);
  console.log(`  peer-dead → VIP configured (ip addr add done):    ${stats(vipAdded)}`);
  console.log(`  peer-dead → VIP and script both started:            ${stats(allUp)}`);
  console.log(`  graceful release of the group:                      ${stats(release)}`);
  console.log('  reference: heartbeat 3.0.6 spends 138-196 ms from "is dead" to VIP up (peer-failover-times.md)');
}

if (inner) {
  await measure(inner);
} else {
  const rig = new Rig('bench', 4, { prefix: arg('prefix', 'llr'), net });
  const dir = mkdtempSync(join(tmpdir(), 'llr-bench-'));
  try {
    rig.up();
    const ns = rig.node('b', 2);
    mkdirSync(join(dir, 'resource.d'));
    writeFileSync(join(dir, 'resource.d', 'svc'), `#!/bin/sh\ncase "$1" in start) touch '${dir}/on';; stop) rm -f '${dir}/on';; status) [ -f '${dir}/on' ] && echo running || echo stopped;; esac\n`, { mode: 0o755 });
    spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, process.argv[1]!, String(runs), dir, '--net', net], { stdio: 'inherit' });
  } finally {
    rig.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
