// The executor of `crm on` (Pacemaker's execd): pure core, class invocations, rc mapping, history and
// failure accounting, the process adapter and driver, and the in-memory twin. Import from here.
export * from './types.js';
export * from './rc.js';
export { invocationFor, metaParams, defaultInvocationConfig, CRM_FEATURE_SET, type InvocationConfig, type Invocation } from './invocation.js';
export { ExecutorCore, DEFAULT_TIMEOUT_MS, readableMs, exitReasonOf, type Submitted } from './core.js';
export { NodeHistory, opDigest, expectedRcOf, isFailure, INFINITY, PENDING_RC, type HistoryEntry, type Recorded, type FailurePolicy } from './history.js';
export { launchProcess, type Launched, type ArgvWrapper } from './process.js';
export { Executor, processLauncher, realClock, type Launcher, type DriverClock, type ExecutorOptions } from './driver.js';
export { ManualClock, TwinHostState, TwinLauncher, Faults, dummyAgent, statefulAgent, ipAddrAgent, type ScriptedAgent, type AgentAnswer, type AgentCall } from './twin.js';
