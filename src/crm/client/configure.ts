// crm's configure level on the live CIB (or CIB_file): read it with its version, verify a proposed configuration
// with the checks of `crm configure verify`, and commit it as one cib_replace based on the version read.
import { diag, formatDiagnostic, type Diagnostic } from '../../errors.js';
import {
  cibXml, configurationElement, hasErrors, parseCibXml, serialize, verifyConfig, type AgentCatalog, type CrmConfig, type ParsedCib,
} from '../lang/index.js';
import { parseCib } from '../cib.js';
import { unsupportedFeatures } from '../scheduler.js';
import { printXml, versionOf, formatVersion, CIB_RC, type CibVersion } from '../cib-store/index.js';
import { cibRequest, isFailure, queryCib, type CibTarget } from './cib-client.js';
import type { ActionIo } from './actions.js';

/** The CIB as read for an edit: its configuration in the crm model and the version it had. */
export interface LiveConfig { readonly parsed: ParsedCib; readonly version: CibVersion; readonly name: string }

/** Reads the CIB of `target`; a failure is its exit code and message. */
export async function readLive(target: CibTarget): Promise<LiveConfig | { rc: number; error: string }> {
  const cib = await queryCib(target);
  if (isFailure(cib)) return { rc: cib.rc, error: cib.error };
  const name = 'file' in target ? target.file : 'cib';
  const noStatus = { ...cib, kids: cib.kids.filter((k) => k.tagName !== 'status') };
  return { parsed: parseCibXml(printXml(noStatus), name), version: versionOf(cib), name };
}

/** Errors for every feature the scheduler refuses (the list `crm simulate` uses), so verify never passes them. */
export function schedulerRefusals(config: CrmConfig, file: string): Diagnostic[] {
  const cib = parseCib(cibXml(config), file);
  if (!cib.ok) return [];
  return unsupportedFeatures(cib.value, { configurationOnly: true }).map((feature) => diag('LL_SCHED_UNSUPPORTED', { file, feature }, { location: { file } }));
}

/** crm configure verify of a configuration: the language's checks and the scheduler's refusals. */
export function verifyProposed(config: CrmConfig, file: string, catalog?: AgentCatalog): Diagnostic[] {
  return [...verifyConfig(config, { file, ...(catalog ? { catalog } : {}) }), ...schedulerRefusals(config, file)];
}

/**
 * Commits `next` over the configuration read in `base`: refused (1, nothing sent) when it does not verify, the
 * errors printed with their file and line; refused by the CIB (103) when someone committed since `base` was read.
 */
export async function commitConfig(io: ActionIo, target: CibTarget, base: LiveConfig, next: CrmConfig, pre: readonly Diagnostic[], file: string, catalog?: AgentCatalog): Promise<number> {
  const diags = [...pre, ...verifyProposed(next, file, catalog)];
  for (const d of diags) io.err(formatDiagnostic(d));
  if (hasErrors(diags)) { io.err('ERROR: the configuration does not verify: not committed, the cluster is unchanged'); return 1; }
  const xml = serialize(configurationElement(next), '');
  const a = await cibRequest(target, { cmd: 'cib_replace', section: 'configuration', xml }, base.version);
  if (!a.ok) {
    io.err(a.rc === CIB_RC.OLD ? `ERROR: conflict: ${a.error}` : `ERROR: commit refused: ${a.error}`);
    return a.rc;
  }
  if ('epoch' in a) io.out(`INFO: committed: CIB version ${formatVersion(base.version)} -> ${formatVersion({ adminEpoch: a.adminEpoch, epoch: a.epoch, numUpdates: a.numUpdates })}`);
  return 0;
}

/** The configuration without the objects of these ids (resources, constraints, option sets); the ids not found. */
export function deleteObjects(config: CrmConfig, ids: readonly string[]): { config: CrmConfig; missing: string[] } {
  const want = new Set(ids);
  const seen = new Set<string>();
  const keep = <T extends { readonly id: string }>(xs: readonly T[]) => xs.filter((x) => { if (want.has(x.id)) { seen.add(x.id); return false; } return true; });
  const options = config.options.filter((o) => { if (want.has(o.set.id)) { seen.add(o.set.id); return false; } return true; });
  const next: CrmConfig = { ...config, resources: keep(config.resources), constraints: keep(config.constraints), options };
  return { config: next, missing: ids.filter((i) => !seen.has(i)) };
}
