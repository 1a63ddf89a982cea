// The fencer of `crm on` (Pacemaker's pacemaker-fenced): device registry, host checks, topology, the pure core,
// the agent interface, the shell with its control requests, and stonith_admin's output. Import from here.
export * from './types.js';
export * from './registry.js';
export * from './topology.js';
export * from './agent.js';
export * from './eligibility.js';
export { FencerCore, type FencerCoreOptions } from './core.js';
export { Fencer, type FencerShellOptions, type FenceControlRequest } from './fencer.js';
export * from './admin.js';
export { fencerConsumer, type FencerConsumer, type FencerHostApi } from './consumer.js';
