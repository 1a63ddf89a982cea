// Public face of the CIB store: the pure core (versions, operations, updates, the replica state machine,
// validation) and the state-dir adapter. Other modules import from here rather than from the files behind it.
export { compareVersions, olderConfiguration, formatVersion, bumpVersion, versionOf, newestOffer, type CibVersion, type VersionOffer } from './version.js';
export { CIB_RC, type CibAnswer, type CibChange, type CibUpdate, type CibMessage, type CibEffect, type ElemPatch, type KidPatch } from './types.js';
export { applyRequest, mergeInto, type OpOutcome } from './ops.js';
export { selectXpath, parseXpath } from './xpath.js';
export { diffTrees, applyPatch, configurationChanged } from './patch.js';
export { performChange, performEdit, digestOf, versionAnswer, type Performed, type PerformOptions } from './store.js';
export { crmVerifier, refusal, NOT_REFUSED, PROPOSED_FILE, type CibValidator } from './validate.js';
export {
  stepReplica, initialReplica, emptyCib, isCibMessage, DEFAULT_REPLICA_CONFIG,
  type ReplicaState, type ReplicaEvent, type ReplicaConfig, type JoinState, type Step,
} from './replica.js';
export { printXml, unformatted, onDiskDigest, treeHash, sameTree, SECTIONS } from './tree.js';
export {
  loadCibFiles, writeCibFiles, readVerified, listBackups, prepareForDisk, ctimeString, CibWriter,
  DEFAULT_CIB_DIR, DEFAULT_MAX_BACKUPS, CIB_FILE, type DiskCib, type LoadResult, type WriteResult,
} from './disk.js';
