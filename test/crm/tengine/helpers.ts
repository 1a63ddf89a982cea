// Shared by the transition engine tests: seed 003's CIB (committed as seed003.xml) with variants, and the check
// of the twin's live CIBs against the real crm_simulate when it is installed.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compareFile } from '../../../src/io/crm-differential.js';
import type { ControllerTwin } from '../../../src/crm/tengine/twin.js';

export const haveOracle = spawnSync('crm_simulate', ['--version'], { encoding: 'utf8' }).status === 0;

/** Seed 003's configuration; `onFail` replaces the monitor's on-fail, `nodes: 3` adds server3. */
export function seedCib(opts: { onFail?: string; nodes?: number } = {}): string {
  let xml = readFileSync('test/crm/tengine/seed003.xml', 'utf8');
  if (opts.onFail) xml = xml.replace('on-fail="standby"', `on-fail="${opts.onFail}"`);
  if ((opts.nodes ?? 2) >= 3) xml = xml.replace('<node id="2" uname="server2"/>', '<node id="2" uname="server2"/>\n      <node id="3" uname="server3"/>');
  return xml;
}

/** ISO date crm_simulate's -t takes for epoch seconds. */
const isoOf = (sec: number) => new Date(sec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** Every CIB the twin scheduled gives crm_simulate's transition too (`limit` of them, the last ones). */
export async function agreesWithOracle(twin: ControllerTwin, limit = 12): Promise<number> {
  if (!haveOracle) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-tengine-'));
  let n = 0;
  try {
    for (const [i, s] of twin.schedules.slice(-limit).entries()) {
      const f = join(dir, `cib${i}.xml`);
      writeFileSync(f, s.xml);
      const r = await compareFile(`schedule ${i}`, f, s.xml, s.now, isoOf(s.now));
      assert.equal(r.status, 'pass', `${r.detail}\n${s.xml}`);
      n++;
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return n;
}
