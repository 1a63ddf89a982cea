// The validation hook of the CIB store: a configuration change must pass `crm configure verify` (src/crm/lang)
// before it reaches the running CIB; the refusal lists every error with the resource id it names.
import { formatDiagnostic, type Diagnostic } from '../../errors.js';
import { parseCibXml, verifyConfig, hasErrors, type AgentCatalog } from '../lang/index.js';
import type { XEl } from '../xml-lite.js';
import { printXml, withKids } from './tree.js';

/** Checks a whole CIB; returns its diagnostics (errors and warnings). Plugged into the store as `validate`. */
export type CibValidator = (cib: XEl) => Diagnostic[];

/** The name diagnostics give the candidate CIB, so an error reads `cib (proposed):12: ERROR: ip: ...`. */
export const PROPOSED_FILE = 'cib (proposed)';

/** crm verify over the configuration of `cib`, with the installed agents when a catalog is given. */
export function crmVerifier(catalog?: AgentCatalog): CibValidator {
  return (cib) => {
    // Only the configuration is verified: the status section (megabytes on a large cluster) is the cluster's own.
    const parsed = parseCibXml(printXml(withKids(cib, cib.kids.filter((k) => k.tagName !== 'status'))), PROPOSED_FILE);
    return [...parsed.diagnostics, ...verifyConfig(parsed.config, { file: PROPOSED_FILE, ...(catalog ? { catalog } : {}) })];
  };
}

/**
 * Errors of `crm verify` that describe what the cluster will do rather than a broken configuration: Pacemaker's
 * CIB accepts such a change (crm_verify reports it, the scheduler starts nothing), so the store does too.
 */
export const NOT_REFUSED: ReadonlySet<string> = new Set(['LL_CRM_NO_STONITH']);

/** The refusal text for a change whose diagnostics hold errors, or undefined when it may go in. */
export function refusal(diags: readonly Diagnostic[]): string | undefined {
  const errors = diags.filter((d) => d.severity === 'error' && !NOT_REFUSED.has(d.code));
  if (!hasErrors(errors)) return undefined;
  return `Update does not conform to the configured schema: the change does not verify, the running CIB is unchanged\n` +
    errors.map(formatDiagnostic).join('\n');
}
