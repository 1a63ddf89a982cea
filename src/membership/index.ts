// Public face of the membership layer: configuration, the pure `step` machine, its events, effects and queries.
// Everything the daemon and the resource layer need is re-exported here; the files behind it may change.
export type { AutoJoin, MembershipConfig, MembershipConfigInput } from './config.js';
export { membershipConfig } from './config.js';
export type { DropReason, LinkStatus, LogLevel, MembershipEffect, MembershipEvent, NodeStatus, StepResult } from './types.js';
export type { HistoryEntry, LinkTrack, MembershipCounters, MembershipState, PeerTrack, RexmitRequest } from './machine.js';
export { ACK_MSG_DIV, FLOWCONTROL_LIMIT, MAX_REXMIT_BATCH, initialState, linkStatus, liveNodes, nodeGeneration, nodeStatus, step } from './machine.js';
export { F, MsgType, PROTOCOL_VERSION } from './messages.js';
export type { NextGeneration, NodeUuid } from './generation.js';
export { GENERATION_FILE, UUID_FILE, UUID_OWNER_FILE, nextGeneration, nodeUuid } from './generation.js';
export type { Identity } from './from-hacf.js';
export { mediumName, membershipInputFromHaCf } from './from-hacf.js';
