// Every error and warning Lifeline can report, with its code and message template, in one place.
// Tests assert on codes; administrators read the rendered text, which names the file, line and value.

/** Where in which file a problem was found. `line` is 1-based; absent for whole-file problems. */
export interface Location {
  readonly file: string;
  readonly line?: number;
}

/** One diagnostic: a code from the catalogue below, the rendered message and where it applies. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location?: Location;
  /** The offending text as found in the input, when there is one. */
  readonly found?: string;
  /** What would have been accepted there. */
  readonly expected?: string;
}

/** Renders `file:line: message (found "x", expected y)`, the form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}${d.location.line !== undefined ? `:${d.location.line}` : ''}: ` : '';
  const parts: string[] = [];
  if (d.found !== undefined) parts.push(`found "${d.found}"`);
  if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
  const tail = parts.length ? ` (${parts.join(', ')})` : '';
  return `${where}${d.severity === 'warning' ? 'WARN' : 'ERROR'}: ${d.message}${tail} [${d.code}]`;
}

/** An exception for the shell layers (CLI, daemon start-up) that carries diagnostics; pure code returns them instead. */
export class LifelineError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'LifelineError';
  }
}

/**
 * The catalogue: code → message template. `{name}` placeholders are filled by `diag()`.
 * Each area keeps its codes in its own block below, so the whole list stays readable at a glance.
 */
export const CODES = {
  // --- general ---
  LL_IO_READ_FAILED: 'cannot read {file}: {reason}',
  LL_USAGE: '{message}',

  // --- io: transports (src/io) ---
  LL_IO_NO_INTERFACE: 'interface {ifname} does not exist or has no IPv4 address',
  LL_IO_NO_BROADCAST: 'interface {ifname} has no broadcast address, so bcast would send nowhere (configure one: ip addr add {address}/{prefixLen} brd + dev {ifname})',
  LL_IO_BIND_FAILED: 'cannot bind {medium} on {ifname} to {address}:{port}: {reason}',
  LL_IO_BAD_PORT: 'invalid port [{port}] specified',
  LL_IO_BAD_MCAST_GROUP: '[{group}] is not an IPv4 multicast address',
  LL_IO_BAD_TTL: 'invalid multicast ttl [{ttl}]',
  LL_IO_BAD_UCAST_HOST: 'ucast host [{host}] is not an IPv4 address (resolve host names before opening the medium)',
  LL_IO_SERIAL_NOT_ABSOLUTE: 'Serial port not full pathname [{device}]',
  LL_IO_SERIAL_BAD_BAUD: 'invalid baud rate [{baud}]',
  LL_IO_SERIAL_OPEN_FAILED: 'cannot open serial port {device}: {reason}',

  // --- config: ha.cf, haresources, authkeys (src/config) ---
  LL_AUTHKEYS_PERMISSIONS: 'Bad permissions on keyfile [{file}], 600 recommended: mode {mode} lets other users read or change the cluster secret and forge messages',
  LL_AUTHKEYS_BAD_AUTH_LINE: 'Invalid auth line in authkeys',
  LL_AUTHKEYS_BAD_KEY_LINE: 'Invalid key line in authkeys',
  LL_AUTHKEYS_BAD_INDEX: 'Invalid authnum [{index}] in authkeys',
  LL_AUTHKEYS_BAD_METHOD: 'Invalid authtype [{method}]',
  LL_AUTHKEYS_KEY_REQUIRED: 'Auth method [{method}] requires a key',
  LL_AUTHKEYS_KEY_UNUSED: "Auth method [{method}] doesn't use a key",
  LL_AUTHKEYS_TRAILING_TEXT: 'text after the secret is ignored (heartbeat reads only the first word)',
  LL_AUTHKEYS_DUPLICATE_INDEX: 'key index {index} defined twice; the last definition wins',
  LL_AUTHKEYS_NOT_HEARTBEAT: 'auth method {method} is a Lifeline extension: heartbeat 3.0.6 peers cannot verify it',
  LL_AUTHKEYS_NO_AUTH: 'no "auth N" line: no key selected to sign messages',
  LL_AUTHKEYS_KEY_NOT_FOUND: 'Auth Key [{index}] not found in keyfile',
  LL_AUTHKEYS_CRC_INSECURE: 'crc authentication only detects corruption: any host on the network can forge messages',
  // ha.cf (src/config/hacf.ts): heartbeat 3.0.6's own wording where it has one
  LL_HACF_BAD_DIRECTIVE: 'Illegal directive [{directive}] in {file}',
  LL_HACF_BAD_VALUE: 'Invalid {directive} directive [{value}]',
  LL_HACF_BAD_TIME: '{directive} time [{value}] is invalid',
  LL_HACF_TIME_UNIT_EXTENSION: 'time [{value}] uses the unit "{unit}", which heartbeat 3.0.6 rejects (its get_msec knows only a bare number of seconds, ms and us)',
  LL_HACF_NO_VALUE: 'directive [{directive}] has no value and is ignored',
  LL_HACF_REPEATED_VALUE: '{directive} set more than once; the last value [{value}] wins',
  LL_HACF_IGNORED_WORDS: 'text after the {directive} arguments is ignored, as heartbeat ignores it',
  LL_HACF_UDP_ALIAS: "directive 'udp' replaced by 'bcast'",
  LL_HACF_BAD_PORT: 'invalid port [{value}] specified.',
  LL_HACF_UDPPORT_AFTER_MEDIA: 'udpport setting must precede media statements: bcast/ucast media of a kind already used keep port {port}',
  LL_HACF_BAD_BAUD: 'invalid baudrate [{value}] specified.',
  LL_HACF_BAUD_TWICE: 'Baudrate multiply specified.',
  LL_HACF_BAUD_AFTER_MEDIA: 'baudrate setting must precede media statements: serial ports above this line keep {baud} baud',
  LL_HACF_WATCHDOG_TWICE: 'Watchdog device multiply specified.',
  LL_HACF_PACEMAKER_TWICE: 'pacemaker/crm directive used multiple times!',
  LL_HACF_NICE_FAILBACK: 'nice_failback flag is obsolete. Use auto_failback {on, off, legacy} instead; "{text}" has been interpreted as "auto_failback {mode}"',
  LL_HACF_MCAST_MISSING: 'mcast [{iface}] missing {what}',
  LL_HACF_MCAST_BAD: 'mcast [{iface}] bad {what} [{value}]',
  LL_HACF_MEDIUM_NO_IFACE: '{kind} line names no interface',
  LL_HACF_UCAST_MISSING_HOST: 'ucast: [{iface}] missing target IP address/hostname',
  LL_HACF_SERIAL_NOT_PATH: 'Serial port not full pathname [{device}] in config file',
  LL_HACF_PING_GROUP_EMPTY: 'ping_group [{name}] lists no hosts',
  LL_HACF_TOO_MANY_MEDIA: 'Too many media specified (> {max})',
  LL_HACF_BAD_APIAUTH: 'Invalid apiauth directive [{text}]',
  LL_HACF_DUPLICATE_APIAUTH: 'Duplicate apiauth directive for API client {client}: [{text}]',
  LL_HACF_BAD_CLIENT_CHILD: 'Invalid {directive} directive [{text}]: {reason}',
  LL_HACF_BAD_STONITH: 'Invalid {directive} directive [{text}]: {reason}',
  LL_STONITH_NOT_INSTALLED: 'ha.cf configures STONITH but cluster-glue\'s stonith command is not installed',
  LL_STONITH_BAD_TYPE: 'Invalid Stonith type [{type}]',
  LL_STONITH_BAD_CONFIG_FILE: 'Invalid Stonith config file [{file}]',
  LL_STONITH_BAD_PARAMS: 'Invalid Stonith configuration parameter [{text}] for {type}',
  LL_STONITH_RESETS_ITSELF: 'on {node} this {type} device resets {node} itself, never its peer',
  LL_STONITH_LAST_WINS: 'several stonith lines apply to {node}: only the last (line {line}) is used, as in heartbeat',
  LL_HACF_BAD_ENV: 'env: invalid nvpair({value})',
  LL_HACF_IGNORED: '{directive} is accepted for heartbeat compatibility but Lifeline does not act on it',
  LL_HACF_NO_MEDIA: 'No heartbeat media defined',
  LL_HACF_ONLY_PING_MEDIA: 'only ping media are defined: cluster nodes cannot hear each other',
  LL_HACF_NO_NODES: 'no nodes defined',
  LL_HACF_TOO_MANY_NODES: 'too many nodes (more than {max})',
  LL_HACF_DUPLICATE_NODE: 'node [{node}] is declared twice',
  LL_HACF_NODE_NOT_IN_CONFIG: "Current node [{node}] not in configuration! By default, cluster nodes are named by `uname -n` and must be declared with a 'node' directive in the ha.cf file.",
  LL_HACF_DEADTIME_TOO_SMALL: 'Dead time [{deadtime}] is too small compared to keeplive [{keepalive}]',
  LL_HACF_INITDEAD_LT_DEADTIME: 'Initial dead time [{initdead}] is smaller than deadtime [{deadtime}]',
  LL_HACF_INITDEAD_SMALL: 'Initial dead time [{initdead} ms] may be too small! Initial dead time accounts for slow network startup time. It should be >= deadtime and >= 10 seconds',
  LL_HACF_DEADPING_TOO_SMALL: 'Ping dead time [{deadping}] is too small compared to keeplive [{keepalive}]',
  LL_HACF_WARNTIME_NOT_BELOW_DEADTIME: 'warntime [{warntime} ms] is not below deadtime [{deadtime} ms]: no "late heartbeat" warning can come before a node is declared dead',
  LL_HACF_WARNTIME_BELOW_KEEPALIVE: 'warntime [{warntime} ms] is not above keepalive [{keepalive} ms]: every heartbeat would be reported late',
  LL_HACF_LEGACY_FAILBACK: "Deprecated 'legacy' auto_failback option selected. Please convert to 'auto_failback on'.",
  LL_HACF_LOGD_DISABLED: 'Logging daemon is disabled --enabling logging daemon is recommended',
  LL_HACF_LOGD_AND_FILES: 'logd is enabled but {what} is still configured in ha.cf: logd decides where messages go',
  LL_HACF_NO_LOG: 'No log entry found in ha.cf and use_logd is set to off',
  LL_HACF_AUTOJOIN_R1: 'R1 style resource management conflicts with autojoin set: unset autojoin or enable crm',
  // OS-dependent ha.cf checks (src/config/load.ts)
  LL_HACF_IFACE_MISSING: 'IP interface [{iface}] does not exist{where}',
  LL_HACF_HOST_UNRESOLVED: '{kind}: cannot resolve host [{host}]{where}',

  // haresources (src/config/haresources.ts)
  LL_HARES_BAD_NODENAME: 'Bad nodename in {file} [{node}]',
  LL_HARES_BAD_ADDRESS: 'invalid IPv4 address [{value}] in {resource}',
  LL_HARES_BAD_PREFIX: 'invalid netmask [{value}] in {resource}',
  LL_HARES_BAD_BROADCAST: 'invalid broadcast address [{value}] in {resource}',
  LL_HARES_BAD_RESOURCE: 'malformed resource [{resource}]: {reason}',
  LL_HARES_NO_RESOURCES: 'resource group for node [{node}] lists no resources',
  LL_HARES_DUPLICATE_RESOURCE: 'resource [{resource}] already appears in the group on line {first}: two groups would fight over it',
  LL_HARES_CONTINUATION_AT_EOF: 'the last line ends with "\\" but nothing follows',
  LL_HARES_UNUSED_WITH_CRM: 'File {file} exists. This file is not used because pacemaker is enabled',
  LL_HARES_SCRIPT_NOT_FOUND: 'resource script [{script}] not found in {dirs}: heartbeat cannot start this group',
  LL_HARES_MISSING: 'Cannot open resources file [{file}]: no resource groups are managed, this node runs membership only',

  // administrator mistakes found by `lifeline check` (src/config/advice.ts)
  LL_CHECK_MEDIUM_ON_VIP_IFACE: 'heartbeat medium "{medium}" uses {iface}, which also carries the service address {vip}: a busy or failing service network then kills the heartbeat too (use a dedicated NIC or cable)',
  LL_CHECK_MEDIA_ONE_IFACE: 'every heartbeat medium runs over {iface}: one NIC, cable or switch failure cuts all paths and both nodes take over (add a second, independent medium)',
  LL_CHECK_CRC_SHARED_NETWORK: 'authkeys uses crc while heartbeats travel over {medium}, a network other hosts can reach: anyone there can forge cluster messages',
  LL_CHECK_DEADTIME_ADVICE: 'deadtime [{deadtime} ms] is less than 1.5 x warntime [{warntime} ms]: the FAQ advises setting warntime to the longest gap seen under load and deadtime to 1.5-2 times that',
  LL_CHECK_CRM_TWO_NODE: 'crm on with two nodes ({a}, {b}): quorum follows the two_node rule, so when one node dies the other keeps quorum and takes over, but after a cold start it waits until it has seen its peer once (wait_for_all), and when the heartbeat links break both nodes keep quorum; without fencing both then run the resources',
  LL_CHECK_UCAST_TO_VIP: 'ucast target [{host}] is the service address of a resource group: heartbeats must go to the fixed address of the peer',
  LL_CHECK_NODE_NOT_HOSTNAME: 'this machine is named [{hostname}] (uname -n) but was checked as [{node}]',

  // --- wire: codec and authentication (src/wire) ---
  LL_WIRE_TOO_LARGE: 'packet of {size} bytes is larger than heartbeat\'s MAXMSG ({max} bytes)',
  LL_WIRE_EMPTY: 'empty packet',
  LL_WIRE_NO_START: 'packet does not start a heartbeat message at byte {offset}',
  LL_WIRE_NO_END: 'message starting at byte {offset} has no end marker before the end of its data',
  LL_WIRE_BAD_LENGTH: 'bad netstring length at byte {offset}',
  LL_WIRE_LENGTH_OVERRUN: 'netstring at byte {offset} declares {length} bytes but only {available} remain',
  LL_WIRE_NO_COMMA: 'netstring at byte {offset} is not closed by ","',
  LL_WIRE_BAD_TYPE: 'field at byte {offset} has no valid type prefix "(0)".."(5)"',
  LL_WIRE_BAD_FIELD: 'field at byte {offset} is not "name=value"',
  LL_WIRE_BAD_UTF8: 'text at byte {offset} is not valid UTF-8',
  LL_WIRE_NUL_IN_STRING: 'text at byte {offset} contains a NUL byte',
  LL_WIRE_TOO_DEEP: 'messages nested deeper than {max} levels at byte {offset}',
  LL_WIRE_BAD_LIST: 'list field at byte {offset} is malformed',
  LL_WIRE_NESTED_TRAILING: 'nested message at byte {offset} is followed by stray bytes inside its field',
  LL_WIRE_TRAILING_BYTES: '{count} stray bytes after the end of the message at byte {offset}',
  LL_WIRE_BAD_BASE64: 'binary field at byte {offset} is not valid base64',
  LL_WIRE_INVALID_MESSAGE: 'cannot encode field "{name}": {reason}',
  LL_WIRE_AUTH_MISSING: 'message carries no {part} authentication',
  LL_WIRE_AUTH_MALFORMED: '{part} authentication string is not "N DIGEST"',
  LL_WIRE_AUTH_UNKNOWN_KEY: 'message is signed with key {index}, which authkeys does not define',
  LL_WIRE_AUTH_BAD_DIGEST: '{part} digest does not match key {index} ({method})',
  LL_WIRE_COMPRESSION_UNSUPPORTED: 'compression algorithm "{algorithm}" is not supported (only zlib)',
  LL_WIRE_DECOMPRESS_FAILED: 'compressed field "{name}" does not decompress: {reason}',
  LL_WIRE_BAD_HEADER: 'field "{name}" is {problem}',
  LL_CAPTURE_BAD_FORMAT: 'not a pcap capture or JSON-lines capture: {reason}',
  LL_CAPTURE_TRUNCATED: 'capture record {record} is truncated',
  LL_CAPTURE_BAD_LINE: 'bad capture line: {reason}',

  // --- membership (src/membership) ---
  LL_MEMBERSHIP_BAD_TIMING: '{name} [{value}] must be a positive time',
  LL_MEMBERSHIP_DEADTIME_TOO_SMALL: 'Dead time [{deadtime}] is too small compared to keeplive [{keepalive}]',
  LL_MEMBERSHIP_WARNTIME_TOO_BIG: 'warntime [{warntime} ms] is not below deadtime [{deadtime} ms]: no warning can come before a death',
  LL_MEMBERSHIP_INITDEAD_TOO_SMALL: 'Initial dead time [{initdead} ms] may be too small! should be >= deadtime and >= 10 seconds',
  LL_MEMBERSHIP_BAD_UUID: 'node uuid must be 16 bytes, got {length}',
  LL_MEMBERSHIP_SELF_NOT_IN_NODES: 'Current node [{node}] not in configuration!',
  LL_MEMBERSHIP_NO_MEDIA: 'No heartbeat media defined',

  // --- daemon (src/daemon) ---
  LL_DAEMON_ALREADY_RUNNING: 'another daemon (pid {pid}) already runs with run directory {dir}',
  LL_DAEMON_NOT_RUNNING: 'no daemon runs with run directory {dir}',
  LL_DAEMON_MEDIUM_UNSUPPORTED: 'medium {kind} is not supported by the Lifeline daemon yet',

  // --- resources (src/resources) ---
  LL_RES_BAD_IPADDR: 'bad IPaddr {what} in resource "{value}"',
  LL_RES_SCRIPT_NOT_FOUND: 'Cannot locate resource script {script} (looked in {dirs})',
  LL_RES_OCF_AGENT_NOT_FOUND: 'OCF resource agent {agent} not found under {root}/resource.d',
  LL_RES_OCF_USAGE: 'OCF resource "{value}" must be written OCF::agent::instance',

  // --- demo (src/cli/commands/demo.ts, src/cli/demo) ---
  LL_DEMO_NOT_ROOT: 'lifeline demo needs root: it creates network namespaces (run it with sudo)',
  LL_DEMO_EXAMPLE: 'cannot adapt the example configuration for the demo: {reason}',

  // --- crm: configuration language, CIB, scheduler (src/crm) ---
  LL_CIB_BAD_XML: '{file} is not a usable CIB: {reason}',
  // CIB store (src/crm/cib-store): the state dir's cib.xml, cib.xml.sig and cib-N.raw backups
  LL_CIB_CORRUPT: '{file} is corrupt ({reason}): it will NOT be used',
  LL_CIB_NO_DIGEST: 'No on-disk digest present at {file}: {cib} is used unverified',
  LL_CIB_BACKUP_USED: 'Continuing with last valid configuration archive: {file} (version {version})',
  LL_CIB_WRITE_FAILED: 'cannot write the CIB to {dir}: {reason}',
  LL_SCHED_UNSUPPORTED: '{file} uses a feature the scheduler does not support yet: {feature}',
  // crm configure language (src/crm/lang): parsing crm text, reading/writing CIB XML, verify.
  LL_CRM_SYNTAX: '{what}',
  LL_CRM_UNKNOWN_KEYWORD: 'unknown statement keyword "{keyword}"',
  LL_CRM_MISSING_COLON: '{what} must be followed by ":"',
  LL_CRM_BAD_SCORE: 'bad score "{score}"',
  LL_CRM_BAD_VALUE: '{what}: bad value "{value}" for {name}',
  LL_CRM_DUPLICATE_ID: 'duplicate id "{id}" (first defined {first})',
  LL_CRM_UNKNOWN_RESOURCE: '{what} refers to resource "{rsc}", which is not defined',
  LL_CRM_BAD_MEMBER: '{what}: resource "{rsc}" cannot be used here: {reason}',
  LL_CRM_UNKNOWN_NODE: '{what} names node "{node}", which is not a configured node',
  LL_CRM_OP_NO_INTERVAL: '{rsc}: op {op} has no interval',
  LL_CRM_DUPLICATE_OP: '{rsc}: op {op} with interval {interval} is defined twice',
  LL_CRM_UNKNOWN_AGENT: '{rsc}: resource agent {agent} is not installed',
  LL_CRM_MISSING_PARAM: '{rsc}: required parameter "{param}" of {agent} is not defined',
  LL_CRM_UNKNOWN_PARAM: '{rsc}: parameter "{param}" is not known to {agent}',
  LL_CRM_UNKNOWN_META: '{what}: unknown meta attribute "{name}"{hint}',
  LL_CRM_UNKNOWN_OP_ATTR: '{rsc}: op {op} attribute "{name}" is not an operation attribute and is passed to the agent as a parameter{hint}',
  LL_CRM_LEGACY_SPELLING: '{what}: "{written}" is heartbeat 2\'s spelling, read as "{read}" as Pacemaker 1.0 did; write "{read}"',
  LL_CRM_UNKNOWN_PROPERTY: '{set}: unknown cluster property "{name}"',
  LL_CRM_OBSOLETE_PROPERTY: '{set}: property "{name}" is obsolete; {instead}',
  LL_CRM_NO_MONITOR: '{rsc}: no monitor operation, so a failure of the resource will not be noticed',
  LL_CRM_NO_STONITH: 'stonith-enabled is true (the default) but no stonith resource is defined: Pacemaker starts no resource; define one or set property stonith-enabled=false',
  LL_CRM_TIMEOUT_BELOW_ADVISED: '{rsc}: {which} timeout {timeout} for {op} is smaller than the advised {advised}',
  LL_CRM_UNSUPPORTED: '{what} is not supported by Lifeline\'s scheduler',
  LL_CRM_XML: 'CIB XML: {what}',
  LL_KEYGEN_EXISTS: '{file} exists: not overwritten without --force (the cluster\'s nodes must keep sharing one key)',
  LL_KEYGEN_WRITE: 'cannot write {file}: {reason}',
  LL_MONITORS_UNKNOWN_RESOURCE: 'resource "{resource}" is in no haresources group (write it as in haresources)',
  LL_MONITORS_BAD_OPTION: 'unknown option "{option}" (expected interval=, timeout=, restarts=)',
  LL_MONITORS_BAD_VALUE: '{option}: bad value "{value}" (expected {expected})',
  LL_MONITORS_DUPLICATE: 'resource "{resource}" is monitored twice (first at line {first})',

} as const satisfies Record<string, string>;

export type Code = keyof typeof CODES;

/** Builds a diagnostic from a catalogue code, filling `{placeholders}` from `vars`. */
export function diag(
  code: Code,
  vars: Record<string, string | number> = {},
  extra: { severity?: 'error' | 'warning'; location?: Location; found?: string; expected?: string } = {},
): Diagnostic {
  const message = CODES[code].replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
  return { code, severity: extra.severity ?? 'error', message, ...(extra.location ? { location: extra.location } : {}),
    ...(extra.found !== undefined ? { found: extra.found } : {}), ...(extra.expected !== undefined ? { expected: extra.expected } : {}) };
}
