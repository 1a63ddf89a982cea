// One change of the CIB on the DC: conflict check against the editor's base version, the operation, the
// version bump Pacemaker applies, validation, and the ordered update every replica will apply.
import type { XEl } from '../xml-lite.js';
import { applyRequest } from './ops.js';
import { configurationChanged, diffTrees } from './patch.js';
import { sameTree, treeHash, withAttrs } from './tree.js';
import { CIB_RC, type CibAnswer, type CibChange, type CibUpdate } from './types.js';
import { refusal, type CibValidator } from './validate.js';
import { bumpVersion, formatVersion, olderConfiguration, versionOf, type CibVersion } from './version.js';

/** The hash replicas compare to know they hold the same CIB (treeHash: cheap after a change, shared subtrees are not rehashed). */
export function digestOf(cib: XEl): string {
  return treeHash(cib);
}

/** The answer to a successful change: the version the CIB is at now. */
export function versionAnswer(v: CibVersion): CibAnswer {
  return { ok: true, adminEpoch: v.adminEpoch, epoch: v.epoch, numUpdates: v.numUpdates };
}

/** What performing a change gives: the new CIB and its update (none when nothing changed or for a query), and the answer. */
export interface Performed {
  readonly cib: XEl;
  readonly update?: CibUpdate;
  readonly answer: CibAnswer;
}

/** Options of `performChange`. */
export interface PerformOptions {
  /** Node the request came from (recorded in the update for the log). */
  readonly origin: string;
  /** Configuration check; without one any well-formed change goes in. */
  readonly validate?: CibValidator;
}

/** Performs one change on the current CIB. Pure; a refusal leaves `cib` as it was (returned unchanged). */
export function performChange(cib: XEl, change: CibChange, opts: PerformOptions): Performed {
  const cur = versionOf(cib);
  if (change.req.cmd !== 'cib_query' && change.base && olderConfiguration(change.base, cur)) {
    return { cib, answer: { ok: false, rc: CIB_RC.OLD,
      error: `Update was older than existing configuration: the edit was made on CIB version ${formatVersion(change.base)}, ` +
        `the cluster's CIB is now ${formatVersion(cur)} (the configuration was changed meanwhile); re-read the CIB and edit again` } };
  }
  const out = applyRequest(cib, change.req);
  if (!out.ok) return { cib, answer: { ok: false, rc: out.rc, error: out.error } };
  if (out.xml !== undefined) return { cib, answer: { ok: true, xml: out.xml } };
  if (out.cib === cib || sameTree(out.cib, cib)) return { cib, answer: versionAnswer(cur) };
  const configChanged = configurationChanged(cib, out.cib);
  if (configChanged && opts.validate) {
    const why = refusal(opts.validate(out.cib));
    if (why) return { cib, answer: { ok: false, rc: CIB_RC.CONFIG, error: why } };
  }
  const to = bumpVersion(versionOf(out.cib), configChanged);
  const next = withAttrs(out.cib, { admin_epoch: String(to.adminEpoch), epoch: String(to.epoch), num_updates: String(to.numUpdates) });
  const update: CibUpdate = {
    from: cur, to, fromDigest: digestOf(cib), toDigest: digestOf(next), configChanged,
    patch: diffTrees(cib, next) ?? {}, origin: opts.origin, op: change.req.cmd,
  };
  return { cib: next, update, answer: versionAnswer(to) };
}

/**
 * The DC's own change of the CIB (status writes, node entries, `<cib>` attributes): `edit` maps the current CIB to
 * the next one, versioned and diffed as a client change is, with no validation (the controller writes facts).
 */
export function performEdit(cib: XEl, edit: (cib: XEl) => XEl, origin: string, op: string): Performed {
  const out = edit(cib);
  const cur = versionOf(cib);
  if (out === cib || sameTree(out, cib)) return { cib, answer: versionAnswer(cur) };
  const configChanged = configurationChanged(cib, out);
  const to = bumpVersion(cur, configChanged);
  const next = withAttrs(out, { admin_epoch: String(to.adminEpoch), epoch: String(to.epoch), num_updates: String(to.numUpdates) });
  const update: CibUpdate = { from: cur, to, fromDigest: digestOf(cib), toDigest: digestOf(next), configChanged, patch: diffTrees(cib, next) ?? {}, origin, op };
  return { cib: next, update, answer: versionAnswer(to) };
}
