// Public face of the crm configure language: crm text ⇄ model ⇄ CIB XML, verify, load, crm_resource edits.
// Other modules import from here rather than from the files behind it.

export * from './model.js';
export { lex, quoteValue, type Token, type Statement } from './lexer.js';
export { parseCrm, UNSUPPORTED_STATEMENTS, OP_ATTRIBUTES, AGENT_CLASSES, type ParseResult, type ParseOptions } from './parse.js';
export { configurationElement, cibXml, serialize, NEW_CIB_ATTRIBUTES, type XmlElement } from './to-xml.js';
export { parseCibXml, type ParsedCib } from './from-xml.js';
export { renderCrm, agentName, obscurePasswords, type RenderOptions } from './render.js';
export { verifyConfig, hasErrors, UNSUPPORTED_FEATURES, RESOURCE_META, CLUSTER_PROPERTIES, type VerifyOptions } from './verify.js';
export {
  systemAgentCatalog, staticAgentCatalog, parseAgentMetadata, agentKey, DEFAULT_AGENT_DIRS,
  type AgentCatalog, type AgentInfo, type AgentParameter, type AgentAction, type AgentDirs,
} from './agents.js';
export { loadCrmText, configIds, moveResource, banResource, clearResource, type LoadMode } from './load.js';
export { normaliseScore, displayScore, scoreValue, durationMs, parseBoolean, INFINITY_SCORE } from './values.js';
export { IdAllocator, isValidId, sanitizeId } from './ids.js';
