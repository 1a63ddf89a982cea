// Public face of the controller (Pacemaker's crmd): the node machine, the DC's duties, the messages and the
// in-memory whole-CRM twin. The daemon's CRM consumer and the tests import from here.
export { Crmd, type CrmdConfig, type CrmdStatus } from './controller.js';
export { DcDuty, isFailedRecord, type DcHost } from './dc.js';
export { LocalLrm, nodeIdOf, setNodeHistory, setNodeLost, writeMembership, ensureNodes } from './lrm.js';
export { isCrmdMessage, parseTransitionKey, type CrmdEffect, type CrmdEvent, type CrmdMessage, type OpInfo } from './types.js';
export { CrmdTwin, HeapClock, type CrmdTwinOptions, type TwinPacket } from './twin.js';
