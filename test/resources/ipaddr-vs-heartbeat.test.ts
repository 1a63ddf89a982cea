// Differential test: the same haresources address words started by heartbeat's own resource.d/IPaddr and
// IPaddr2 scripts (Debian packages) and by Lifeline's native agent give the same address, prefix, broadcast, label.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpChannel } from '../../src/io/ip-batch.js';
import { netnsExec, runProcess } from '../../src/io/process.js';
import { agentFor, defaultAgentContext, resourceSpecFromWord } from '../../src/resources/agents/lookup.js';
import { canUseNetns, Rig } from './netns-rig.js';

interface Addr { local: string; prefixlen: number; broadcast?: string; label?: string }

function vips(rig: Rig, ns: string): Addr[] {
  const j = JSON.parse(rig.run(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0'])) as Array<{ addr_info: Addr[] }>;
  return j.flatMap((i) => i.addr_info).filter((a) => a.local !== '10.220.6.1')
    .map(({ local, prefixlen, broadcast, label }) => ({ local, prefixlen, ...(broadcast ? { broadcast } : {}), ...(label ? { label } : {}) }))
    .sort((a, b) => a.local.localeCompare(b.local));
}

const cases: Array<[string, string]> = [
  ['IPaddr', '10.220.6.100'],
  ['IPaddr', '10.220.6.101/26'],
  ['IPaddr', '10.220.6.102/24/eth0/10.220.6.127'],
  ['IPaddr', '10.220.6.103/24/10.220.6.63'],
  ['IPaddr', '10.220.6.104/255.255.255.192'],
  ['IPaddr2', '10.220.6.105'],
  ['IPaddr2', '10.220.6.106/25/eth0'],
];

test('heartbeat\'s IPaddr/IPaddr2 scripts and the native agent place the same addresses the same way',
  { skip: (!canUseNetns && 'needs root for network namespaces') || (!existsSync('/etc/ha.d/resource.d/IPaddr') && 'heartbeat not installed') }, async () => {
    const rig = new Rig('dif', 6);
    const rsctmp = mkdtempSync(join(tmpdir(), 'llr-rsctmp-'));
    let channel: IpChannel | undefined;
    try {
      rig.up();
      const a = rig.node('a', 1);
      const exec = netnsExec(a);
      channel = new IpChannel({ netns: a });
      // heartbeat's way: /etc/ha.d/resource.d/<Type> <arg> start, state files in a private HA_RSCTMP.
      const env = { ...process.env, HA_RSCTMP: rsctmp };
      for (const [type, arg] of cases) {
        const r = await exec([`/etc/ha.d/resource.d/${type}`, arg, 'start'], { timeoutMs: 30_000, env });
        assert.equal(r.code, 0, `heartbeat ${type} ${arg} start: ${r.output}`);
        // Checked after each start, so a failure names the script and shows what it printed (seen once under load:
        // 3 of 7 addresses present at the end, every script exited 0).
        const ip = arg.split('/')[0]!;
        assert.ok(vips(rig, a).some((x) => x.local === ip), `heartbeat ${type} ${arg} start exited 0 but ${ip} is not on eth0: ${JSON.stringify(vips(rig, a))}\n${r.output}`);
      }
      const theirs = vips(rig, a);
      for (const [type, arg] of [...cases].reverse()) {
        const r = await exec([`/etc/ha.d/resource.d/${type}`, arg, 'stop'], { timeoutMs: 30_000, env });
        assert.equal(r.code, 0, `heartbeat ${type} ${arg} stop: ${r.output}`);
      }
      assert.deepEqual(vips(rig, a), [], 'heartbeat removed its addresses');

      // The daemon's way: every ip command through one ip -batch child.
      const ctx = defaultAgentContext(() => {}, { exec, ip: channel });
      const agents = cases.map(([type, arg]) => {
        const r = agentFor(resourceSpecFromWord(`${type}::${arg}`), ctx);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      });
      for (const ag of agents) assert.equal((await ag.run('start')).ok, true);
      const ours = vips(rig, a);
      for (const ag of [...agents].reverse()) assert.equal((await ag.run('stop')).ok, true);
      assert.deepEqual(vips(rig, a), []);

      assert.equal(theirs.length, cases.length);
      assert.deepEqual(ours, theirs);
      // Spot-check heartbeat's conventions themselves.
      assert.deepEqual(theirs[0], { local: '10.220.6.100', prefixlen: 24, broadcast: '10.220.6.255', label: 'eth0:0' });
      assert.deepEqual(theirs[1], { local: '10.220.6.101', prefixlen: 26, broadcast: '10.220.6.127', label: 'eth0:1' });
      assert.ok(channel.live, 'the channel stayed up');
    } finally {
      channel?.close();
      rig.cleanup();
      rmSync(rsctmp, { recursive: true, force: true });
      void runProcess; // the runner is what netnsExec wraps
    }
  });
