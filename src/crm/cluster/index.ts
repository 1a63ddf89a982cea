// Public face of the CRM's cluster layer: messaging, election and quorum, and the node machine composing them
// with the CIB replica. The daemon's consumer (consumer.ts) and the in-memory twin drive it.
export { CRM_MSG_TYPE, isCrmMessage, frameFromHa, frameToHa, type CrmFrame, type DataFrame } from './frame.js';
export { stepMessaging, initialMessaging, DEFAULT_MESSAGING_CONFIG, type MessagingConfig, type MessagingState, type MessagingEvent, type MessagingEffect } from './messaging.js';
export { stepElection, initialElection, compareCandidates, compareFeatureSets, winner, CRM_FEATURE_SET, DEFAULT_ELECTION_CONFIG, type ElectionState, type Vote, type ElectionConfig } from './election.js';
export { hasQuorum, type QuorumInput } from './quorum.js';
export { initialCrmNode, stepCrmNode, crmStatus, type CrmNodeConfig, type CrmNodeState, type CrmNodeEvent, type CrmNodeEffect, type CrmStatus } from './node.js';
