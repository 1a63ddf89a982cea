// `logfacility` reaches syslog: a socat datagram listener stands in for /dev/log inside a host's private /run; every
// logfile line (but debug) arrives there with heartbeat's form and the facility's priority; a missing socket is reported, not fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifelineKind, startDaemon, withCluster, type DaemonKind, type Host } from '../../src/harness/index.js';
import { AUTHKEYS, crashAndMeasure, haCf, lifeline, waitAllActive } from './daemon-fixture.js';

const canRun = process.getuid?.() === 0;
const SOCKET = '/run/lifeline-test-syslog';

/** lifelineKind with --syslog-socket. */
function withSocket(path: string): DaemonKind {
  const k = lifelineKind();
  return { ...k, command: (h: Host) => [...k.command(h), '--syslog-socket', path] };
}

/** Datagrams as socat appended them: `<PRI>Mmm dd hh:mm:ss TAG: MSG`, one after the other. */
function entries(raw: string): { pri: number; tag: string; msg: string }[] {
  return raw.split(/(?=<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d )/).filter((e) => e).map((e) => {
    const m = /^<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d ([^:]+): (.*)$/s.exec(e);
    assert.ok(m, `syslog entry: ${JSON.stringify(e)}`);
    return { pri: Number(m[1]), tag: m[2]!, msg: m[3]! };
  });
}

test('logfacility local3 reaches the syslog socket in heartbeat\'s form; a missing socket is a warning', { skip: canRun ? false : 'needs root', timeout: 60000 }, async () => {
  await withCluster({ prefix: 'lld-sl', networks: ['10.240.101.0/24'], hosts: ['nodea', 'nodeb'] }, async (c) => {
    const [a, b] = [c.host('nodea'), c.host('nodeb')];
    const out = join(a.dirs.log, 'syslog.out');
    a.spawn(['socat', '-u', `UNIX-RECV:${SOCKET}`, `OPEN:${out},creat,append`]);
    const end = Date.now() + 5000;
    while (!existsSync(join(a.dirs.run, SOCKET.replace('/run/', '')))) {
      assert.ok(Date.now() < end, 'socat listens');
      await new Promise((r) => setTimeout(r, 20));
    }
    const cf = haCf('bcast eth0', ['nodea', 'nodeb']);
    const da = await startDaemon(a, { haCf: `logfile ${a.logFile}\nlogfacility local3\n${cf}`, authkeys: AUTHKEYS, haresources: '' }, withSocket(SOCKET));
    await startDaemon(b, { haCf: `logfile ${b.logFile}\nlogfacility daemon\n${cf}`, authkeys: AUTHKEYS, haresources: '' }, withSocket('/run/no-such-syslog'));
    await waitAllActive([a, b]);
    // A start that fails (second instance) with syslog on must end, logger included: its pipe would keep it alive.
    const second = await lifeline(a, ['daemon', '--foreground', '--config-dir', '/etc/ha.d', '--state-dir', '/var/lib/heartbeat',
      '--run-dir', '/var/run/heartbeat', '--node-name', 'nodea', '--syslog-socket', SOCKET]);
    assert.equal(second.code, 1, `${second.code}: ${second.stderr}`);
    await new Promise((r) => setTimeout(r, 5500)); // past the start-up dead time boost
    await crashAndMeasure(b, [a]);
    assert.ok(await da.stop(), 'nodea stops');

    // nodeb had no syslog: it said so in its logfile and ran on.
    assert.match(await b.readLog(), /WARN: syslog: logger for \/run\/no-such-syslog exited \(1\): logger: socket \/run\/no-such-syslog: No such file or directory/);

    const all = entries(readFileSync(out, 'latin1'));
    // Structured events go to syslog only, one entry each beside the log lines they come from.
    const isEvent = (e: { msg: string }): boolean => /^\[\d+\]: \w+: event LL_EV_/.test(e.msg);
    const events = all.filter(isEvent);
    const got = all.filter((e) => !isEvent(e));
    const dead = events.find((e) => /: event LL_EV_NODE_DEAD node=nodeb( |$)/.test(e.msg));
    assert.ok(dead, `no LL_EV_NODE_DEAD event for nodeb among: ${events.map((e) => e.msg).join(' | ')}`);
    assert.match(dead.msg, /^\[\d+\]: WARN: event LL_EV_NODE_DEAD node=nodeb detection_ms=\d+/);
    assert.equal(dead.pri, 19 * 8 + 4, 'local3.warning, as the log line it comes with');
    assert.ok(events.some((e) => /event LL_EV_LINK_UP node=nodeb link=eth0/.test(e.msg)), 'link-up event');
    const fileLines = (await a.readLog()).split('\n').filter((l) => l).map((l) => /^\w{3} \d\d \d\d:\d\d:\d\d nodea lifeline: (.*)$/.exec(l)![1]!);
    // Per process (the refused second instance wrote its warnings too): the same lines, in the same order.
    const byPid = (msgs: string[]) => {
      const m = new Map<string, string[]>();
      for (const x of msgs) { const pid = /^\[(\d+)\]/.exec(x)?.[1] ?? '?'; m.set(pid, [...(m.get(pid) ?? []), x]); }
      return m;
    };
    assert.deepEqual(byPid(got.map((e) => e.msg)), byPid(fileLines), 'syslog got every logfile line, in order, with the same text');
    assert.equal(byPid(fileLines).size, 2, 'the daemon and the refused second instance');
    assert.ok(got.every((e) => e.tag === 'lifeline'));
    const pri = (re: RegExp) => got.find((e) => re.test(e.msg))?.pri;
    assert.equal(pri(/info: Link nodeb:eth0 up\./), 19 * 8 + 6, 'local3.info');
    assert.equal(pri(/WARN: node nodeb: is dead/), 19 * 8 + 4, 'local3.warning');
    assert.match(got.at(-1)!.msg, /^\[\d+\]: info: nodea Heartbeat shutdown complete\.$/);
  });
});
