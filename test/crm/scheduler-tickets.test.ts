// Ticket constraints (rsc_ticket) on the project's own two-node CIBs: a primitive, a group and a clone whose ticket
// is unknown, granted, revoked or in standby, with loss-policy stop, freeze and demote; fixed expectations for the
// typical cases, and every combination against crm_simulate where it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseCib } from '../../src/crm/cib.js';
import { schedule, unsupportedFeatures } from '../../src/crm/scheduler.js';
import { formatSummary } from '../../src/crm/scheduler-output.js';
import { ticketCib } from './ticket-cibs.js';

const NOW = 1767225660;
const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;
const norm = (l: string) => l.replace(/^\s*\*?\s*/, '').replace(/\s+/g, ' ').trim();
const cib = ticketCib;

function ours(xml: string): string[] {
  const c = parseCib(xml);
  assert.ok(c.ok, 'CIB parses');
  assert.deepEqual(unsupportedFeatures(c.value), []);
  return formatSummary(schedule(c.value, { now: NOW }).summary).map(norm);
}

function theirs(xml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-ticket-'));
  try {
    const f = join(dir, 'cib.xml');
    writeFileSync(f, xml);
    const r = spawnSync('crm_simulate', ['-s', '-x', f], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => /^\s*\*?\s*(Start|Stop|Move|Recover|Restart|Promote|Demote) /.test(l)).map(norm);
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('a primitive without its ticket does not start; granted, it starts; revoked while running, it stops', () => {
  assert.deepEqual(ours(cib({ kind: 'primitive', ticket: 'unknown', running: false })), []);
  assert.deepEqual(ours(cib({ kind: 'primitive', ticket: 'granted', running: false })), ['Start rsc1 ( node1 )']);
  assert.deepEqual(ours(cib({ kind: 'primitive', ticket: 'revoked', running: true })), ['Stop rsc1 ( node2 ) due to node availability']);
});

test('loss-policy=freeze leaves a running resource where it is when the ticket is revoked, but standby stops it', () => {
  assert.deepEqual(ours(cib({ kind: 'primitive', ticket: 'revoked', loss: 'freeze', running: true })), []);
  assert.deepEqual(ours(cib({ kind: 'primitive', ticket: 'standby', loss: 'freeze', running: true })), ['Stop rsc1 ( node2 ) due to node availability']);
  assert.deepEqual(ours(cib({ kind: 'group', ticket: 'revoked', loss: 'freeze', running: true })), []);
});

test('a revoked ticket stops every member of a group and every clone instance', () => {
  assert.deepEqual(ours(cib({ kind: 'group', ticket: 'revoked', running: true })),
    ['Stop a ( node2 ) due to node availability', 'Stop b ( node2 ) due to node availability']);
  assert.deepEqual(ours(cib({ kind: 'clone', ticket: 'revoked', running: true })),
    ['Stop d:0 ( node1 ) due to node availability', 'Stop d:1 ( node2 ) due to node availability']);
});

test('loss-policy=fence with fencing enabled is refused by name (the scheduler does not fence for tickets yet)', () => {
  const c = parseCib(cib({ kind: 'primitive', ticket: 'revoked', loss: 'fence', running: true, stonith: true }));
  assert.ok(c.ok);
  assert.ok(unsupportedFeatures(c.value).includes('ticket loss-policy=fence (rsc1-dep-ticketA)'), unsupportedFeatures(c.value).join('; '));
});

test('every kind × ticket state × loss-policy × running decides as crm_simulate', { skip: haveOracle ? false : 'crm_simulate not installed' }, () => {
  let n = 0;
  for (const kind of ['primitive', 'group', 'clone'] as const) {
    for (const ticket of ['unknown', 'granted', 'revoked', 'standby'] as const) {
      for (const loss of [undefined, 'stop', 'freeze', 'demote', 'fence'] as const) {
        for (const running of [false, true]) {
          const xml = cib({ kind, ticket, running, ...(loss ? { loss } : {}) });
          assert.deepEqual(ours(xml), theirs(xml), `${kind}, ticket ${ticket}, loss-policy ${loss ?? '(default)'}, ${running ? 'running' : 'stopped'}`);
          n++;
        }
      }
    }
  }
  assert.equal(n, 120);
});
