// Five `lifeline daemon`s on bcast: 25 % of one node's packets lost for 15 s are asked for and retransmitted, no one is
// declared dead; packets replayed from before a restart, signed with another cluster's key or from an unknown node are dropped and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAuthkeys } from '../../src/config/authkeys.js';
import { withCluster, type Host } from '../../src/harness/index.js';
import { decodeVerified, sign } from '../../src/wire/auth.js';
import { getString, setString, type HaMessage } from '../../src/wire/message.js';
import { AUTHKEYS, haCf, lifeline, startLifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;
const NODES = ['nodea', 'nodeb', 'nodec', 'noded', 'nodee'];
const NET = '10.240.100';

/** A listener on the cluster's port that prints every datagram (hex) and broadcasts every hex line it reads. */
const SPY = `const s=require('dgram').createSocket({type:'udp4',reuseAddr:true});
s.on('message',(m)=>process.stdout.write(m.toString('hex')+'\\n'));
s.bind(694,'0.0.0.0',()=>{s.setBroadcast(true);require('readline').createInterface({input:process.stdin})
.on('line',(l)=>s.send(Buffer.from(l,'hex'),694,'${NET}.255'));});`;

type Counters = Record<string, number>;
async function countersOf(h: Host): Promise<Counters> {
  const r = await lifeline(h, ['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { counters: Counters }).counters;
}

async function until(what: string, f: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('five Lifeline daemons on bcast: 25 % loss on one node repaired by retransmission without a false death; bad packets dropped and counted', { skip: canRun ? false : 'needs root', timeout: 120000 }, async (t) => {
  await withCluster({ prefix: 'lld-5n', networks: [`${NET}.0/24`], hosts: [...NODES, 'spy'] }, async (c) => {
    const hosts = NODES.map((n) => c.host(n));
    const [a, b, nc] = [hosts[0]!, hosts[1]!, hosts[2]!];
    const debugOf = (h: Host) => join(h.dirs.log, 'ha-debug');
    for (const h of hosts) await startLifeline(h, `${haCf('bcast eth0', NODES)}debugfile ${debugOf(h)}\n`);

    const spy = c.host('spy').spawn([process.execPath, '-e', SPY], { pipe: true });
    const heard: Buffer[] = [];
    createInterface({ input: spy.stdout! }).on('line', (l) => heard.push(Buffer.from(l, 'hex')));
    await waitAllActive(hosts, 30000);

    // 25 % of nodec's outgoing packets vanish for 15 s; the four others must ask for the gaps and get them.
    await nc.netem({ lossPct: 25 });
    await new Promise((r) => setTimeout(r, 15000));
    await nc.clearNetem();
    await new Promise((r) => setTimeout(r, 1500));
    for (const h of hosts) {
      const log = await h.readLog();
      assert.doesNotMatch(log, /is dead|Irretrievably lost|lost a lot of packets/, `${h.name}: no death, nothing lost for good:\n${log}`);
      if (h === nc) continue;
      assert.match(log, /WARN: \d+ lost packet\(s\) for \[nodec\] \[\d+:\d+\]/, `${h.name} saw the gaps`);
      assert.match(log, /info: No pkts missing from nodec!/, `${h.name} had them filled`);
      assert.match(await h.readLog(debugOf(h)), /debug: Requesting retransmission of pkt \d+ from nodec/, `${h.name} asked`);
    }
    const answered = (await nc.readLog(debugOf(nc))).match(/debug: Retransmitting pkt \d+/g) ?? [];
    const [ca, cc] = [await countersOf(a), await countersOf(nc)];
    t.diagnostic(`nodec retransmitted ${cc.rexmitsSent} packets (${answered.length} log lines); nodea lost ${ca.lostPackets} and asked ${ca.rexmitRequestsSent} times`);
    assert.ok(answered.length > 0 && cc.rexmitsSent! > 0 && ca.rexmitRequestsSent! > 0 && ca.lostPackets! > 0);

    // Bad packets, from the spy: another cluster's key, an unknown node, and (after nodeb restarts) a replay.
    const keys = parseAuthkeys(AUTHKEYS, 'authkeys').value!;
    const foreignKeys = parseAuthkeys('auth 1\n1 sha1 some-other-cluster\n', 'authkeys').value!;
    const oldStatus = heard.map((p) => decodeVerified(p, keys)).find((v) => v.ok && getString(v.value.packet.message, 't') === 'status' && getString(v.value.packet.message, 'src') === 'nodeb');
    assert.ok(oldStatus?.ok, 'the spy heard nodeb');
    const msg: HaMessage = oldStatus.value.packet.message;
    const oldBytes = sign(msg, keys);
    const foreign = sign(msg, foreignKeys);
    const stranger = sign(setString(msg, 'src', 'nodez'), keys);
    assert.ok(oldBytes.ok && foreign.ok && stranger.ok);
    const before = await countersOf(a);
    const markA = await a.logMark();
    spy.stdin!.write(`${Buffer.from(foreign.value.bytes).toString('hex')}\n${Buffer.from(stranger.value.bytes).toString('hex')}\n`);
    await until('foreign and unknown packets counted', async () => {
      const k = await countersOf(a);
      return (k['bad.LL_WIRE_AUTH_BAD_DIGEST'] ?? 0) > (before['bad.LL_WIRE_AUTH_BAD_DIGEST'] ?? 0) && k['dropped.unknown-node']! > before['dropped.unknown-node']!;
    });
    assert.match((await a.readLog()).slice(markA), /process_status_message: bad node \[nodez\] in message/);

    await b.crash();
    await startLifeline(b, `${haCf('bcast eth0', NODES)}debugfile ${debugOf(b)}\n`);
    await a.waitForLog(/Heartbeat restart on node nodeb/, { since: markA });
    await a.waitForLog(/Status update for node nodeb: status active/, { since: markA });
    spy.stdin!.write(`${Buffer.from(oldBytes.value.bytes).toString('hex')}\n`);
    await until('the replay counted', async () => (await countersOf(a))['dropped.replay']! > before['dropped.replay']!);
    assert.match((await a.readLog()).slice(markA), /ERROR: should_drop_message: attempted replay attack \[nodeb\]\? \[gen = \d+, curgen = \d+\]/);
    for (const h of hosts) assert.equal((await lifeline(h, ['cl_status', 'nodestatus', 'nodeb'])).stdout, 'active\n', `${h.name} still sees nodeb active`);
    spy.kill();
  });
});
