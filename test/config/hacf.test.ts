// ha.cf is read as heartbeat 3.0.6 reads it: every directive, its default, its units, and its errors by code and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRECTIVE_NAMES, defaultInitdead, parseHaCf, type HaCf } from '../../src/config/hacf.js';
import type { Diagnostic } from '../../src/errors.js';

const BASE = 'node alpha beta\nbcast eth1\nuse_logd on\nlogfacility none\nauto_failback on\n';
const parse = (extra: string, me = 'alpha') => parseHaCf(BASE + extra, '/etc/ha.d/ha.cf', me);
const ok = (extra: string, me = 'alpha'): HaCf => {
  const r = parse(extra, me);
  assert.ok(r.value, `expected a valid file, got ${JSON.stringify(r.diagnostics.map((d) => d.message))}`);
  return r.value;
};
/** [code, line] of every diagnostic; BASE has 5 lines, so extra text starts at line 6. */
const where = (ds: readonly Diagnostic[]) => ds.map((d) => [d.code, d.location?.line] as const);
const codes = (ds: readonly Diagnostic[]) => ds.map((d) => d.code);

test('a minimal file gets every heartbeat default', () => {
  const c = ok('');
  assert.deepEqual(c.nodes, ['alpha', 'beta']);
  assert.equal(c.keepalive, 1000);
  assert.equal(c.deadtime, 30000);
  assert.equal(c.warntime, 15000, 'warntime defaults to deadtime / 2');
  assert.equal(c.initdead, 30000, 'initdead defaults to deadtime when deadtime > 10 s');
  assert.equal(c.deadping, 30000);
  assert.equal(c.udpport, 694);
  assert.equal(c.baud, 19200);
  assert.equal(c.cluster, 'linux-ha');
  assert.equal(c.hopfudge, 1);
  assert.equal(c.pacemaker, 'off');
  assert.equal(c.autojoin, 'none');
  assert.equal(c.debug, 0);
  assert.equal(c.msgfmt, 'classic');
  assert.equal(c.hbgenmethod, 'file');
  assert.equal(c.uuidfrom, 'file');
  assert.equal(c.realtime, true);
  assert.equal(c.rtprio, undefined);
  assert.equal(c.coredumps, true);
  assert.equal(c.compression, 'zlib');
  assert.equal(c.compressionThreshold, 2);
  assert.equal(c.traditionalCompression, false);
  assert.equal(c.maxRexmitDelay, 250);
  assert.equal(c.memreserve, 6500);
  assert.equal(c.connLogdTime, 60000);
  assert.equal(c.logBadpack, true);
  assert.equal(c.syslogmsgfmt, true, 'heartbeat -D prints syslogmsgfmt true');
  assert.equal(c.recordConfigChanges, true);
  assert.equal(c.recordPengineInputs, true);
  assert.equal(c.enableConfigWrites, true);
  assert.equal(c.useApphbd, false);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.nodes) && Object.isFrozen(c.media), 'the result is immutable');
  assert.deepEqual([...c.explicit.keys()].sort(), ['auto_failback', 'bcast', 'logfacility', 'node', 'use_logd']);
});

test('initdead is derived from deadtime as init_config derives it', () => {
  assert.equal(defaultInitdead(30000), 30000);
  assert.equal(defaultInitdead(10000), 20000, 'deadtime 10 s (not > 10 s) doubles');
  assert.equal(defaultInitdead(6000), 12000);
  assert.equal(defaultInitdead(5000), 12000, 'deadtime under 6 s gives 12 s');
  assert.equal(ok('keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\n').initdead, 12000);
});

test('times take seconds, fractions and milliseconds; each directive sets its field', () => {
  const c = ok('keepalive 500ms\ndeadtime 10\nwarntime 2.5\ninitdead 30\ndeadping 40\nconn_logd_time 500ms\n');
  assert.deepEqual([c.keepalive, c.deadtime, c.warntime, c.initdead, c.deadping, c.connLogdTime], [500, 10000, 2500, 30000, 40000, 500]);
  assert.equal(c.explicit.get('keepalive'), 6);
});

test('"2s" is accepted with a warning that heartbeat 3.0.6 rejects it', () => {
  const r = parse('keepalive 2s\n');
  assert.equal(r.value?.keepalive, 2000);
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_TIME_UNIT_EXTENSION', 6]]);
});

test('a bad time is an error naming the text', () => {
  const r = parse('keepalive soon\ndeadtime -3\nwarntime 0\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_BAD_TIME', 6], ['LL_HACF_BAD_TIME', 7], ['LL_HACF_BAD_TIME', 8]]);
  assert.equal(r.diagnostics[0]!.found, 'soon');
  assert.equal(r.value, undefined);
});

test('several names on one node line, commas too; names are lower-cased as heartbeat does', () => {
  const c = ok('node Gamma,delta\n');
  assert.deepEqual(c.nodes, ['alpha', 'beta', 'gamma', 'delta']);
  assert.deepEqual(codes(parse('node beta\n').diagnostics), ['LL_HACF_DUPLICATE_NODE']);
});

test('this node must be among the node names', () => {
  const r = parse('', 'gamma');
  assert.deepEqual(codes(r.diagnostics), ['LL_HACF_NODE_NOT_IN_CONFIG']);
  assert.match(r.diagnostics[0]!.message, /^Current node \[gamma\] not in configuration!/);
  assert.equal(r.diagnostics[0]!.location?.line, 1);
  assert.ok(parse('', 'ALPHA').value, 'uname -n is compared without case');
  const fqdn = parse('', 'alpha.example.com');
  assert.match(fqdn.diagnostics[0]!.expected!, /ha.cf has "alpha", and heartbeat compares whole names/);
  assert.ok(parse('autojoin any\npacemaker on\n', 'gamma').value, 'autojoin any lets an unlisted node in');
});

test('media: bcast on several interfaces, mcast, ucast, serial, ping, ping_group, with the port in effect', () => {
  const c = ok('bcast eth2 eth3\nmcast eth0 239.0.0.1 694 1 0\nmcast6 eth0 ff12::1:2:3:4 694 1 0\nucast eth0 10.0.0.2\nucast eth0 nodeb\nucast6 eth1 fe80::1\nserial /dev/ttyS0 /dev/ttyS1\nping 10.0.0.254\nping6 fe80::fe\nping_group routers 10.0.0.253 10.0.0.252\n');
  assert.deepEqual(c.media.map((m) => [m.kind, m.line]), [['bcast', 2], ['bcast', 6], ['bcast', 6], ['mcast', 7], ['mcast6', 8], ['ucast', 9], ['ucast', 10], ['ucast6', 11], ['serial', 12], ['serial', 12]]);
  assert.deepEqual(c.media[3], { kind: 'mcast', iface: 'eth0', group: '239.0.0.1', port: 694, ttl: 1, loop: 0, line: 7 });
  assert.deepEqual(c.media[6], { kind: 'ucast', iface: 'eth0', host: 'nodeb', port: 694, line: 10 });
  assert.deepEqual(c.media[9], { kind: 'serial', device: '/dev/ttyS1', baud: 19200, line: 12 });
  assert.deepEqual(c.pingNodes.map((p) => [p.kind, p.name, p.hosts.length]), [['ping', '10.0.0.254', 1], ['ping6', 'fe80::fe', 1], ['ping_group', 'routers', 2]]);
});

test('ucast takes one host per line, as heartbeat\'s ucast_parse; the rest is ignored with a warning', () => {
  const r = parse('ucast eth0 10.0.0.2 10.0.0.3\nmcast eth0 239.0.0.1 694 1 0 extra\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_IGNORED_WORDS', 6], ['LL_HACF_IGNORED_WORDS', 7]]);
  assert.deepEqual(r.value?.media.map((m) => m.kind === 'ucast' ? m.host : m.kind), ['bcast', '10.0.0.2', 'mcast']);
});

test('each UDP plugin fixes its port at its first line: later udpport only reaches kinds not used yet', () => {
  const r = parse('udpport 700\nucast eth1 10.0.0.2\nbcast eth2\n');
  const ports = r.value!.media.map((m) => [m.kind, 'port' in m ? m.port : 0]);
  assert.deepEqual(ports, [['bcast', 694], ['ucast', 700], ['bcast', 694]], 'bcast was first used with 694 (line 2), ucast with 700');
  assert.deepEqual(codes(r.diagnostics), ['LL_HACF_UDPPORT_AFTER_MEDIA']);
});

test('serial ports share the baud in effect at the first serial line (the plugin reads it once)', () => {
  const r = parse('serial /dev/ttyS0\nbaud 9600\nserial /dev/ttyS1\n');
  assert.deepEqual(r.value?.media.filter((m) => m.kind === 'serial').map((m) => m.kind === 'serial' && m.baud), [19200, 19200]);
  const early = parse('baud 9600\nserial /dev/ttyS0\n').value?.media.find((m) => m.kind === 'serial');
  assert.equal(early?.kind === 'serial' && early.baud, 9600);
});

test('udpport applies to the media after it; after a medium it is only a warning, as in heartbeat', () => {
  const early = parseHaCf('udpport 695\nbcast eth0\nnode a\nuse_logd on\nauto_failback off\n', 'ha.cf', 'a');
  assert.equal(early.value?.media[0]?.kind === 'bcast' && early.value.media[0].port, 695);
  assert.deepEqual(codes(early.diagnostics), []);
  const late = parse('udpport 700\nucast eth1 10.0.0.2\n');
  assert.deepEqual(where(late.diagnostics), [['LL_HACF_UDPPORT_AFTER_MEDIA', 6]]);
  const ports = late.value!.media.map((m) => ('port' in m ? m.port : 0));
  assert.deepEqual(ports, [694, 700], 'the bcast above keeps 694, the first ucast below gets 700');
  assert.equal(late.value!.udpport, 700);
});

test('invalid port, baud and their ordering errors use heartbeat wording', () => {
  const r = parse('udpport 0\nudpport http\nbaud 12345\nserial /dev/ttyS0\nbaud 9600\nbaud 9600\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_BAD_PORT', 6], ['LL_HACF_BAD_PORT', 7], ['LL_HACF_BAD_BAUD', 8], ['LL_HACF_BAUD_AFTER_MEDIA', 10], ['LL_HACF_BAUD_TWICE', 11]]);
  assert.equal(r.diagnostics[0]!.message, 'invalid port [0] specified.');
});

test('mcast lines: every missing or bad field is named', () => {
  const r = parse('mcast eth0 239.0.0.1 694 1\nmcast eth0 10.0.0.1 694 1 0\nmcast eth0 239.0.0.1 99999 1 0\nmcast eth0 239.0.0.1 694 5 0\nmcast eth0 239.0.0.1 694 1 2\nmcast eth0\nmcast\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_MCAST_MISSING', 6], ['LL_HACF_MCAST_BAD', 7], ['LL_HACF_MCAST_BAD', 8], ['LL_HACF_MCAST_BAD', 9], ['LL_HACF_MCAST_BAD', 10], ['LL_HACF_MCAST_MISSING', 11], ['LL_HACF_MEDIUM_NO_IFACE', 12]]);
  assert.equal(r.diagnostics[0]!.message, 'mcast [eth0] missing loop');
  assert.equal(r.diagnostics[1]!.message, 'mcast [eth0] bad addr [10.0.0.1]');
});

test('ucast without a host, serial without a full path, empty ping_group', () => {
  const r = parse('ucast eth0\nserial ttyS0\nping_group lonely\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_UCAST_MISSING_HOST', 6], ['LL_HACF_SERIAL_NOT_PATH', 7], ['LL_HACF_PING_GROUP_EMPTY', 8]]);
  assert.equal(r.diagnostics[0]!.message, 'ucast: [eth0] missing target IP address/hostname');
});

test('no medium at all is heartbeat\'s "No heartbeat media defined"; ping alone only a warning', () => {
  const none = parseHaCf('node a\nuse_logd on\nauto_failback on\n', 'ha.cf', 'a');
  assert.deepEqual(codes(none.diagnostics), ['LL_HACF_NO_MEDIA']);
  const ping = parseHaCf('node a\nping 10.0.0.1\nuse_logd on\nauto_failback on\n', 'ha.cf', 'a');
  assert.deepEqual(codes(ping.diagnostics), ['LL_HACF_ONLY_PING_MEDIA']);
  assert.deepEqual(codes(parseHaCf('bcast eth0\nuse_logd on\nauto_failback on\n', 'ha.cf', 'a').diagnostics), ['LL_HACF_NO_NODES', 'LL_HACF_NODE_NOT_IN_CONFIG'], 'both, as heartbeat logs both');
});

test('an unknown directive is "Illegal directive [X] in FILE", with a suggestion', () => {
  const r = parse('keepalve 2\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_BAD_DIRECTIVE', 6]]);
  assert.equal(r.diagnostics[0]!.message, 'Illegal directive [keepalve] in /etc/ha.d/ha.cf');
  assert.match(r.diagnostics[0]!.expected!, /keepalive/);
  assert.deepEqual(codes(parse('Keepalive 2\n').diagnostics), ['LL_HACF_BAD_DIRECTIVE'], 'directive names are case-sensitive');
});

test('comments anywhere and blank lines are ignored; CRLF files are read', () => {
  const c = ok('# a comment\n\n   \nkeepalive 2 # two seconds\r\ndeadtime 20#tight\n');
  assert.deepEqual([c.keepalive, c.deadtime], [2000, 20000]);
});

test('ALL errors of the file are reported at once, each with its line', () => {
  const r = parseHaCf('nodes a\nkeepalive x\nnode a\nmcast eth0 239.0.0.1 694 1\nudpport -1\ndebug 300\n', 'ha.cf', 'a');
  assert.deepEqual(where(r.diagnostics).filter(([c]) => c !== 'LL_HACF_LEGACY_FAILBACK'),
    [['LL_HACF_BAD_DIRECTIVE', 1], ['LL_HACF_BAD_TIME', 2], ['LL_HACF_MCAST_MISSING', 4], ['LL_HACF_BAD_PORT', 5], ['LL_HACF_BAD_VALUE', 6], ['LL_HACF_NO_MEDIA', undefined]]);
});

test('deadtime must exceed twice keepalive (error), initdead must reach deadtime (error) and 10 s (warning)', () => {
  const tight = parse('keepalive 2\ndeadtime 4\n');
  assert.deepEqual(where(tight.diagnostics), [['LL_HACF_DEADTIME_TOO_SMALL', 7]]);
  assert.equal(tight.diagnostics[0]!.message, 'Dead time [4000] is too small compared to keeplive [2000]');
  const init = parse('deadtime 30\ninitdead 20\n');
  assert.deepEqual(where(init.diagnostics), [['LL_HACF_INITDEAD_LT_DEADTIME', 7]]);
  const small = parse('keepalive 1\ndeadtime 5\nwarntime 3\ninitdead 6\n');
  assert.deepEqual(where(small.diagnostics), [['LL_HACF_INITDEAD_SMALL', 9]]);
  assert.match(small.diagnostics[0]!.message, /^Initial dead time \[6000 ms\] may be too small!.*should be >= deadtime and >= 10 seconds/);
  assert.ok(small.value, 'a warning does not stop start-up');
  assert.deepEqual(where(parse('deadping 1\n').diagnostics), [['LL_HACF_DEADPING_TOO_SMALL', 6]]);
});

test('warntime that cannot fire before deadtime, or fires on every packet, is warned about', () => {
  assert.deepEqual(where(parse('deadtime 10\nwarntime 10\n').diagnostics), [['LL_HACF_WARNTIME_NOT_BELOW_DEADTIME', 7]]);
  assert.deepEqual(where(parse('keepalive 2\nwarntime 2\n').diagnostics), [['LL_HACF_WARNTIME_BELOW_KEEPALIVE', 7]]);
});

test('auto_failback on/off/legacy, the old nice_failback, and the legacy default warning', () => {
  const mk = (t: string) => parseHaCf(`node a\nbcast eth0\nuse_logd on\n${t}`, 'ha.cf', 'a');
  assert.equal(mk('auto_failback off\n').value?.autoFailback, 'off');
  assert.equal(mk('auto_failback yes\n').value?.autoFailback, 'on');
  const legacy = mk('');
  assert.equal(legacy.value?.autoFailback, 'legacy');
  assert.deepEqual(codes(legacy.diagnostics), ['LL_HACF_LEGACY_FAILBACK']);
  assert.equal(legacy.diagnostics[0]!.message, "Deprecated 'legacy' auto_failback option selected. Please convert to 'auto_failback on'.");
  assert.deepEqual(codes(mk('pacemaker respawn\n').diagnostics), [], 'no legacy warning when the CRM manages resources');
  const nice = mk('nice_failback on\n');
  assert.equal(nice.value?.autoFailback, 'off');
  assert.deepEqual(codes(nice.diagnostics), ['LL_HACF_NICE_FAILBACK']);
  assert.equal(mk('nice_failback off\n').value?.autoFailback, 'legacy');
  assert.deepEqual(codes(mk('auto_failback sometimes\n').diagnostics), ['LL_HACF_BAD_VALUE', 'LL_HACF_LEGACY_FAILBACK']);
});

test('crm/pacemaker accept on/off/respawn/yes/no, once', () => {
  const mk = (t: string) => parseHaCf(`node a\nbcast eth0\nuse_logd on\nauto_failback on\n${t}`, 'ha.cf', 'a');
  assert.equal(mk('crm on\n').value?.pacemaker, 'on');
  assert.equal(mk('crm yes\n').value?.pacemaker, 'on');
  assert.equal(mk('pacemaker respawn\n').value?.pacemaker, 'respawn');
  assert.equal(mk('pacemaker no\n').value?.pacemaker, 'off');
  assert.equal(mk('crm on\n').value?.explicit.get('pacemaker'), 5, 'crm is recorded as pacemaker');
  assert.deepEqual(codes(mk('crm on\npacemaker on\n').diagnostics), ['LL_HACF_PACEMAKER_TWICE']);
  assert.deepEqual(codes(mk('crm maybe\n').diagnostics), ['LL_HACF_BAD_VALUE']);
});

test('logging: logd is turned on when nothing else is configured; off with no log target is an error', () => {
  const mk = (t: string) => parseHaCf(`node a\nbcast eth0\nauto_failback on\n${t}`, 'ha.cf', 'a');
  assert.equal(mk('').value?.useLogd, true);
  assert.deepEqual(codes(mk('use_logd off\n').diagnostics), ['LL_HACF_NO_LOG']);
  const lf = mk('logfile /var/log/ha-log\nlogfacility local0\ndebugfile /var/log/ha-debug\n');
  assert.deepEqual(codes(lf.diagnostics), ['LL_HACF_LOGD_DISABLED']);
  assert.deepEqual([lf.value?.logfile, lf.value?.logfacility, lf.value?.debugfile, lf.value?.useLogd], ['/var/log/ha-log', 'local0', '/var/log/ha-debug', false]);
  assert.deepEqual(codes(mk('use_logd yes\nlogfile /var/log/ha-log\n').diagnostics), ['LL_HACF_LOGD_AND_FILES']);
  assert.deepEqual(codes(mk('logfacility LOCAL0\n').diagnostics), ['LL_HACF_BAD_VALUE'], 'facility names are lower-case, as libplumb wants');
});

test('autojoin other/any needs the CRM (heartbeat r1_style_valid)', () => {
  assert.deepEqual(codes(parse('autojoin other\n').diagnostics), ['LL_HACF_AUTOJOIN_R1']);
  assert.equal(parse('autojoin ANY\npacemaker on\n').value?.autojoin, 'any');
});

test('every other directive parses, validates and sets its field', () => {
  const c = ok([
    'cluster prod', 'hopfudge 3', 'debug 2', 'msgfmt netstring', 'hbgenmethod time', 'uuidfrom nodename', 'realtime off',
    'rtprio 5', 'coredumps no', 'coreroot /var/lib/heartbeat/cores', 'compression bz2', 'compression_threshold 8',
    'traditional_compression yes', 'max_rexmit_delay 100', 'memreserve 8000', 'log_badpack false', 'syslogmsgfmt false',
    'use_apphbd no', 'record_config_changes off', 'record_pengine_inputs off', 'enable_config_writes off',
    'crm_daemon_dir /usr/lib/pacemaker', 'crmd_spawns_pengine off', 'env FOO=bar BAZ=1', 'conn_logd_time 30',
    'apiauth ipfail uid=hacluster', 'apiauth ping gid=haclient uid=root,alice',
  ].join('\n') + '\n');
  assert.deepEqual(
    [c.cluster, c.hopfudge, c.debug, c.msgfmt, c.hbgenmethod, c.uuidfrom, c.realtime, c.rtprio, c.coredumps, c.coreroot, c.compression,
      c.compressionThreshold, c.traditionalCompression, c.maxRexmitDelay, c.memreserve, c.logBadpack, c.syslogmsgfmt, c.useApphbd,
      c.recordConfigChanges, c.recordPengineInputs, c.enableConfigWrites, c.crmDaemonDir, c.crmdSpawnsPengine, c.connLogdTime],
    ['prod', 3, 2, 'netstring', 'time', 'nodename', false, 5, false, '/var/lib/heartbeat/cores', 'bz2', 8, true, 100, 8000, false, false, false,
      false, false, false, '/usr/lib/pacemaker', false, 30000]);
  assert.deepEqual([...c.env], [['FOO', 'bar'], ['BAZ', '1']]);
  assert.deepEqual(c.apiauth.map((a) => [a.client, a.uids, a.gids]), [['ipfail', ['hacluster'], []], ['ping', ['root', 'alice'], ['haclient']]]);
});

test('bad values of the simple directives are errors with what was expected', () => {
  const r = parse(['hopfudge 256', 'debug -1', 'msgfmt xml', 'hbgenmethod clock', 'uuidfrom mac', 'realtime perhaps', 'rtprio 0',
    'compression lzma', 'compression_threshold 0', 'max_rexmit_delay 0', 'memreserve 0', 'env =x', 'autojoin all'].join('\n') + '\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_BAD_VALUE', 6], ['LL_HACF_BAD_VALUE', 7], ['LL_HACF_BAD_VALUE', 8], ['LL_HACF_BAD_VALUE', 9],
    ['LL_HACF_BAD_VALUE', 10], ['LL_HACF_BAD_VALUE', 11], ['LL_HACF_BAD_VALUE', 12], ['LL_HACF_BAD_VALUE', 13], ['LL_HACF_BAD_VALUE', 14],
    ['LL_HACF_BAD_VALUE', 15], ['LL_HACF_BAD_VALUE', 16], ['LL_HACF_BAD_ENV', 17], ['LL_HACF_BAD_VALUE', 18]]);
  assert.equal(r.diagnostics[0]!.expected, 'an integer from 0 to 255');
});

test('whole-line directives: apiauth, respawn, failfast, stonith, stonith_host', () => {
  const good = parse('respawn hacluster /usr/lib/heartbeat/ipfail\nfailfast hacluster /usr/lib/heartbeat/ccm\nstonith baytech /etc/ha.d/conf/stonith.baytech\nstonith_host * baytech 10.0.0.3 mylogin mysecretpassword\nwatchdog /dev/watchdog\nquorum_server q.example.com\n');
  assert.ok(good.value);
  assert.deepEqual(good.value.clients.map((c) => [c.user, c.command, c.failfast]), [['hacluster', '/usr/lib/heartbeat/ipfail', false], ['hacluster', '/usr/lib/heartbeat/ccm', true]]);
  assert.deepEqual(good.value.stonith.map((s) => [s.kind, s.host, s.type]), [['stonith', undefined, 'baytech'], ['stonith_host', '*', 'baytech']]);
  assert.equal(good.value.watchdog, '/dev/watchdog');
  assert.ok(codes(good.diagnostics).every((c) => c === 'LL_HACF_IGNORED'), 'Lifeline says which of these it does not act on');
  const bad = parse('apiauth ipfail\napiauth x uid=a uid=b\napiauth x foo\napiauth ping gid=a\napiauth ping gid=b\nrespawn hacluster ipfail\nrespawn\nstonith\nstonith_host *\nwatchdog /dev/a\nwatchdog /dev/b\n');
  assert.deepEqual(where(bad.diagnostics).filter(([c]) => c !== 'LL_HACF_IGNORED'), [['LL_HACF_BAD_APIAUTH', 6], ['LL_HACF_BAD_APIAUTH', 7], ['LL_HACF_BAD_APIAUTH', 8],
    ['LL_HACF_DUPLICATE_APIAUTH', 10], ['LL_HACF_BAD_CLIENT_CHILD', 11], ['LL_HACF_BAD_CLIENT_CHILD', 12], ['LL_HACF_BAD_STONITH', 13], ['LL_HACF_BAD_STONITH', 14], ['LL_HACF_WATCHDOG_TWICE', 16]]);
});

test('"udp" is heartbeat\'s old name for bcast; a directive without value is ignored with a warning', () => {
  const r = parse('udp eth2\nkeepalive\n');
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_UDP_ALIAS', 6], ['LL_HACF_NO_VALUE', 7]]);
  assert.deepEqual(r.value?.media.map((m) => m.kind === 'bcast' && m.iface), ['eth1', 'eth2']);
  assert.equal(r.value?.keepalive, 1000);
});

test('a value given twice: the last wins, with a warning', () => {
  const r = parse('keepalive 1\nkeepalive 2 3\n');
  assert.equal(r.value?.keepalive, 3000);
  assert.deepEqual(where(r.diagnostics), [['LL_HACF_REPEATED_VALUE', 7], ['LL_HACF_REPEATED_VALUE', 7]]);
});

test('the directive table lists what heartbeat 3.0.6 accepts', () => {
  for (const d of ['cluster', 'node', 'hopfudge', 'keepalive', 'deadtime', 'deadping', 'initdead', 'warntime', 'watchdog', 'baud',
    'udpport', 'logfacility', 'logfile', 'debugfile', 'nice_failback', 'auto_failback', 'rtprio', 'hbgenmethod', 'realtime', 'debug',
    'msgfmt', 'use_logd', 'conn_logd_time', 'use_apphbd', 'log_badpack', 'syslogmsgfmt', 'coredumps', 'coreroot', 'crm', 'pacemaker',
    'crm_daemon_dir', 'crmd_spawns_pengine', 'autojoin', 'uuidfrom', 'compression', 'compression_threshold', 'traditional_compression',
    'env', 'max_rexmit_delay', 'record_config_changes', 'record_pengine_inputs', 'enable_config_writes', 'memreserve', 'quorum_server',
    'stonith', 'stonith_host', 'apiauth', 'respawn', 'failfast', 'bcast', 'mcast', 'mcast6', 'ucast', 'ucast6', 'serial', 'ping', 'ping6',
    'ping_group']) {
    assert.ok(DIRECTIVE_NAMES.includes(d), d);
  }
  assert.ok(!DIRECTIVE_NAMES.includes('hbaping'), 'hbaping is not installed with Debian heartbeat: Illegal directive there too');
});
