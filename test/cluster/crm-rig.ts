// Shared pieces of the `crm on` namespace tests: control-socket queries (status, CIB), polling, where a resource
// runs (ip addr, Dummy's state file), log excerpts, and the live-CIB differential against crm_simulate.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../src/harness/index.js';
import { controlRequest } from '../../src/daemon/client.js';
import type { StatusSnapshot } from '../../src/daemon/daemon.js';
import { compareFile, type DiffOutcome } from '../../src/io/crm-differential.js';
import { digestOf, versionOf, formatVersion } from '../../src/crm/cib-store/index.js';
import { parseXml } from '../../src/crm/xml-lite.js';

export const canRunCrm = process.getuid?.() === 0 && existsSync('/usr/lib/ocf/resource.d/pacemaker/Dummy') && existsSync('/usr/lib/ocf/resource.d/heartbeat/IPaddr2');
/** The machine is shared and loaded: every bound gets this much slack on top of what deadtime implies. */
export const SLACK_MS = 8000;

export const runDir = (h: Host) => join(h.dirs.run, 'heartbeat');
export const crmOf = async (h: Host) => (await controlRequest(runDir(h), { cmd: 'status' }).catch(() => undefined))?.status as StatusSnapshot | undefined;
export const dummyState = (h: Host, rsc: string) => existsSync(join(h.dirs.run, 'resource-agents', `Dummy-${rsc}.state`));

/** The whole CIB of a host's replica (cibadmin -Q through the control socket), or undefined when it does not answer. */
export async function cibOf(h: Host): Promise<string | undefined> {
  const q = await controlRequest(runDir(h), { cmd: 'cib_query' }, 5000).catch(() => undefined);
  return q?.ok ? String((q as unknown as { xml: string }).xml) : undefined;
}

/** Version ("admin_epoch.epoch.num_updates") and digest of a CIB text. */
export function cibId(xml: string): { version: string; digest: string } {
  const r = parseXml(xml);
  if (!r.ok) return { version: '?', digest: `unparsed:${xml.length}` };
  return { version: formatVersion(versionOf(r.root)), digest: digestOf(r.root) };
}

export async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 150): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { appVipGroup } from '../../src/harness/crm-group.js';

/** The hosts where any part of appVipGroup runs: the VIP configured, or app's state file present. */
export async function groupHolders(hosts: readonly Host[], vip: string): Promise<string[]> {
  const out: string[] = [];
  for (const h of hosts) if ((await h.hasAddress(vip)) || dummyState(h, 'app')) out.push(h.name);
  return out;
}

/** The one host that runs the whole group (and no other host runs any of it), or undefined. */
export async function soleHolder(hosts: readonly Host[], vip: string): Promise<string | undefined> {
  const hs = await groupHolders(hosts, vip);
  const h = hosts.find((x) => x.name === hs[0]);
  return hs.length === 1 && h && (await h.hasAddress(vip)) && dummyState(h, 'app') ? h.name : undefined;
}

/** The lines of each host's log that tell the CRM's story, for a failed test's diagnostics. */
export async function crmLogs(hosts: readonly Host[], lines = 40): Promise<string> {
  const out: string[] = [];
  for (const h of hosts) {
    const l = (await h.readLog().catch(() => '')).split('\n').filter((x) => /crm|Transition|Initiating|CIB|cib|join|DC|quorum|rror|armed|recheck/.test(x));
    out.push(`--- ${h.name}\n${l.slice(-lines).join('\n')}`);
  }
  return out.join('\n');
}

/** crm_simulate's -t form of a time. */
const simDate = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/**
 * Live CIBs saved from the running cluster (every distinct one, by digest and version), each compared with
 * crm_simulate as soon as it is saved (one at a time, in the background, so the scenario is not slowed down).
 */
export class LiveDifferential {
  readonly enabled = spawnSync('crm_simulate', ['--version']).status === 0;
  private readonly seen = new Set<string>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'lifeline-livecib-'));
  private chain: Promise<void> = Promise.resolve();
  readonly outcomes: DiffOutcome[] = [];
  private n = 0;

  /** Saves each host's current CIB (those not seen before) and queues its comparison. */
  async capture(hosts: readonly Host[], label: string): Promise<void> {
    if (!this.enabled) return;
    for (const h of hosts) {
      const xml = await cibOf(h);
      if (!xml || !/<status/.test(xml)) continue;
      const id = cibId(xml);
      const key = `${id.version}/${id.digest}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const at = Date.now(), i = ++this.n;
      const file = join(this.dir, `live${i}.xml`);
      writeFileSync(file, xml);
      const name = `${label} ${h.name} ${id.version}`;
      this.chain = this.chain.then(async () => { this.outcomes.push(await compareFile(name, file, xml, Math.floor(at / 1000), simDate(at))); });
    }
  }

  /** Captures every `everyMs` until `stop()` is called (runs beside the scenario). */
  sample(hosts: readonly Host[], label: () => string, everyMs = 400): { stop: () => Promise<void> } {
    let on = true;
    const loop = (async () => { while (on) { await this.capture(hosts, label()).catch(() => undefined); await sleep(everyMs); } })();
    return { stop: async () => { on = false; await loop; } };
  }

  /** Waits for every queued comparison; returns the counts (and removes the saved files). */
  async finish(): Promise<{ identical: number; different: DiffOutcome[]; skipped: DiffOutcome[] }> {
    await this.chain;
    rmSync(this.dir, { recursive: true, force: true });
    return {
      identical: this.outcomes.filter((o) => o.status === 'pass').length,
      different: this.outcomes.filter((o) => o.status === 'fail'),
      skipped: this.outcomes.filter((o) => o.status === 'skip'),
    };
  }
}
