// Keeps the failover benchmark honest: one quick heartbeat measurement through bench/failover-rig.ts.
// Asserts only sane bounds (detection after the crash and before deadtime + 3 s; VIP on the standby only; no namespaces left).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureFailover } from '../../bench/failover-rig.js';
import { listNamespaces } from '../../src/harness/index.js';

test('one aggressive heartbeat failover is measured: detection within deadtime + 3 s, VIP moves to the standby, rig removed', { timeout: 60000 }, async () => {
  const s = await measureFailover({ kind: 'heartbeat', profile: 'aggr', crash: 'kill', prefix: 'llb-bt', subnet: 250 });
  assert.ok(s.detect > 0 && s.detect < s.deadtimeMs + 3000, `detect ${s.detect} ms outside (0, ${s.deadtimeMs + 3000})`);
  assert.ok(s.vip >= s.detect - 50, `VIP ${s.vip} ms before detection ${s.detect} ms`);
  assert.ok(s.client >= s.vip - 20 && s.client < s.vip + 3000, `client reply ${s.client} ms vs VIP ${s.vip} ms`);
  assert.ok(s.vipOnStandbyOnly, 'VIP must be on the standby and not on the crashed primary');
  const left = (await listNamespaces()).filter((n) => n === 'llb-bt-br' || n.startsWith('llb-bt-node') || n === 'llb-bt-client');
  assert.deepEqual(left, []);
});
