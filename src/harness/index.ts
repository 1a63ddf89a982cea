// The namespace test harness: clusters of hosts in Linux network namespaces, daemons on them, faults.
// Used by tests, `lifeline demo` and the benchmarks; import from here.
export { createCluster, withCluster, Cluster, Host, type ClusterSpec, type HostSpec, type HostLink, type HostDirs, type NetemSpec, type SpawnOnHostOptions } from './cluster.js';
export { startDaemon, writeHaConfig, heartbeatKind, lifelineKind, type DaemonKind, type HaConfig, type RunningDaemon } from './daemon.js';
export { sweepStale, listNamespaces, namespacePids, crashNamespace, isAlive, processState, waitStopped, HARNESS_TMP } from './netns.js';
export { readLog, logSize, waitForLine, type LogMatch, type WaitOptions } from './log.js';
export { run, mustRun, runSync, type ExecResult, type RunOptions } from './run.js';
export { startBmc, Bmc, type BmcCredentials, type BmcEvent } from './bmc.js';
export { kindOf, handCommand, rscstatus, recordingScript, type Impl, type RecordingScriptOptions } from './ha-commands.js';
