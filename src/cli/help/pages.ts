// The one source of every command's help: `lifeline X --help` prints a page from here, and the package build renders
// the same pages as man pages (lifeline(8), cl_status(1), hb_standby(8), hb_takeover(8)), so the two cannot drift.

import { WEB_PAGES } from './pages-web.js';

/** One command's help. The one-line summary is not here: it is the command module's `summary` (also `lifeline help`). */
export interface HelpPage {
  /** The subcommand as typed after `lifeline` (`crm configure`), or the bin's own name for a bin-only page. */
  readonly command: string;
  /** Usage lines, without the leading "usage: ". */
  readonly synopsis: readonly string[];
  /** Paragraphs of plain text. */
  readonly description: readonly string[];
  /** [option as written, what it does]. */
  readonly options?: ReadonlyArray<readonly [string, string]>;
  /** [exit code, meaning]. */
  readonly exit?: ReadonlyArray<readonly [string, string]>;
}

/** An installed program: its name, man section, the subcommand it runs and where it is installed. */
export interface BinPage {
  readonly bin: string;
  readonly section: 1 | 8;
  readonly dir: '/usr/bin' | '/usr/sbin';
  /** The `lifeline` subcommand the bin runs; undefined for `lifeline` itself. */
  readonly command?: string;
}

export const BINS: readonly BinPage[] = [
  { bin: 'lifeline', section: 8, dir: '/usr/sbin' },
  { bin: 'cl_status', section: 1, dir: '/usr/bin', command: 'cl_status' },
  { bin: 'hb_standby', section: 8, dir: '/usr/sbin', command: 'standby' },
  { bin: 'hb_takeover', section: 8, dir: '/usr/sbin', command: 'takeover' },
];

const CONFIG_DIR: readonly [string, string] = ['--config-dir DIR', 'the directory holding ha.cf, haresources and authkeys (default /etc/ha.d)'];
const RUN_DIR: readonly [string, string] = ['--run-dir DIR', 'the run directory of the daemon to ask, holding its control socket (default /var/run/heartbeat)'];
const CIB_FILE_ENV: readonly [string, string] = ['CIB_file=PATH (environment)', 'work on that CIB file instead of the running daemon (Pacemaker\'s convention; written back atomically)'];
const NODE_NAME: readonly [string, string] = ['--node-name NAME', 'act as this node (default: uname -n, lower-cased)'];
const SSH_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['--node NODE', 'only this node (repeatable; default: every node of ha.cf but this one)'],
  ['--ssh-config FILE', 'ssh_config for ssh and scp (-F): keys, known hosts, ports, addresses of the nodes'],
  ['--connect-timeout S', 'give up on a node after S seconds (default 5)'],
];
const GROUP_WORDS = 'WHICH is all (default), foreign (the groups whose preferred node is the other node), local (the groups this node prefers) or failback.';

export const PAGES: readonly HelpPage[] = [
  {
    command: 'check',
    synopsis: ['lifeline check [--config-dir DIR] [--node-name NAME] [--json]', 'lifeline check --cluster [--config-dir DIR] [--node-name NAME] [--node NODE]... [--ssh-config FILE] [--connect-timeout S]'],
    description: [
      'Reads ha.cf, haresources and authkeys as heartbeat 3.0.6 does at start-up and prints the effective configuration, defaults marked, then every error and warning with file, line and a stable code.',
      'With --cluster it compares this node\'s files with every other node\'s, fetched over ssh, and lists each directive that differs with its line on both sides. Of authkeys only a sha256 digest and the mode leave the node.',
    ],
    options: [CONFIG_DIR, NODE_NAME, ['--json', 'print the report as JSON (authkeys secrets are never printed)'], ['--cluster', 'compare with the other nodes over ssh'], ...SSH_OPTIONS],
    exit: [['0', 'the configuration is valid (--cluster: the same on every node)'], ['1', 'it is not (--cluster: a node differs or was not reached)'], ['2', 'usage error']],
  },
  {
    command: 'cl_status',
    synopsis: ['cl_status [--run-dir DIR] hbstatus|listnodes|nodestatus NODE|nodetype normal|ping|listhblinks NODE|hblinkstatus NODE LINK|rscstatus [-m]'],
    description: ['Asks the running daemon about cluster membership and resources, with heartbeat\'s cl_status words and output.'],
    options: [RUN_DIR, ['-m', 'with human-readable text (as heartbeat\'s -m)']],
    exit: [['0', 'answered'], ['1', 'the daemon does not run or the node/link is unknown']],
  },
  {
    command: 'cibadmin',
    synopsis: ['cibadmin -Q [-o SECTION | --xpath XPATH]', 'cibadmin -R|-M|-C|-D [-o SECTION] [-x FILE | -X XML] (XML on stdin otherwise)', 'cibadmin -D --xpath XPATH'],
    description: ['Reads and changes the CIB as XML, as Pacemaker\'s cibadmin: query, replace, modify (merge by tag and id), create, delete. Changes go through the DC of the running cluster; an update based on an older CIB is refused.'],
    options: [['-o, --scope SECTION', 'configuration, nodes, resources, constraints, crm_config, rsc_defaults, op_defaults or status'], ['-x, --xml-file FILE', 'the XML input'], ['-X, --xml-text XML', 'the XML input as an argument'], ['-A, --xpath XPATH', 'the element to query or delete'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['65', 'the input is not XML'], ['78', 'the result does not verify'], ['102', 'no daemon answered'], ['103', 'based on an older CIB'], ['105', 'no such section or object'], ['108', 'the object already exists']],
  },
  {
    command: 'crm_attribute',
    synopsis: ['crm_attribute [-t crm_config|rsc_defaults|op_defaults|nodes|status] [-N NODE] [-l reboot|forever] -n NAME (-v VALUE | -G [-q] [-d DEFAULT] | -D)'],
    description: ['Sets, queries or deletes a cluster option (crm_config), a resource or operation default, or a node attribute (nodes: permanent, status: until reboot), with Pacemaker\'s nvpair ids and output lines (scope=S  name=N value=V).'],
    options: [['-t, --type TYPE', 'where the attribute lives (default crm_config, or nodes with -N)'], ['-n, --name NAME', 'the attribute'], ['-v, --update VALUE', 'set it'], ['-G, --query', 'print it'], ['-D, --delete', 'delete it'], ['-N, --node NODE', 'the node of a node attribute'], ['-l, --lifetime L', 'reboot (status) or forever (nodes)'], ['-q, --quiet', 'print only the value'], ['-d, --default V', 'the value printed when it is not set'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['64', 'usage error'], ['105', 'no such attribute or node']],
  },
  {
    command: 'crm_resource',
    synopsis: ['crm_resource -M|-B -r RSC [-N NODE] [--lifetime DURATION]', 'crm_resource -U -r RSC [-N NODE]', 'crm_resource -W -r RSC | -L | -C -r RSC [-N NODE]', 'crm_resource -r RSC [--meta] -p NAME -v VALUE | -g NAME | -d NAME'],
    description: ['Moves (-M: cli-prefer-RSC, score INFINITY), bans (-B: cli-ban-RSC-on-NODE, -INFINITY) and clears (-U) a resource, locates (-W) and lists (-L) resources, cleans up their history and fail counts (-C), and sets, prints or deletes their parameters and meta attributes, as Pacemaker\'s crm_resource.'],
    options: [['-r, --resource RSC', 'the resource'], ['-N, --node NODE', 'the node'], ['-u, --lifetime DURATION', 'ISO 8601 duration of a move or ban (PT1H)'], ['-m, --meta', '-p/-g/-d act on meta attributes'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['64', 'usage error'], ['105', 'no such resource or node'], ['108', 'the resource already runs on that node']],
  },
  {
    command: 'crm_mon',
    synopsis: ['crm_mon -1 [-r] [-f] [-n] [--output-as text|xml]', 'crm_mon [-i INTERVAL] [-r] [-f] [-n]', 'crm_mon -s'],
    description: ['Shows the cluster as Pacemaker 2.1.5\'s crm_mon does (Cluster Summary with the DC and quorum, Node List, resources, Migration Summary, Failed Resource Actions), from the local daemon (its CIB and crm_status) or CIB_file. Without -1 the view is redrawn every interval until Ctrl-C.'],
    options: [['-1, --one-shot', 'print once and exit'], ['-i, --interval T', 'refresh interval of the live view (default 5s)'], ['-r, --inactive', 'list inactive resources too'], ['-f, --failcounts', 'the Migration Summary (fail counts)'], ['-n, --group-by-node', 'resources under the node they run on'], ['--output-as xml', 'Pacemaker\'s XML (api-version 2.25)'], ['-s, --simple-status', 'one line (CLUSTER OK/WARN/CRIT)'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'shown'], ['64', 'usage error'], ['102', 'no daemon answered']],
  },
  {
    command: 'crm_failcount',
    synopsis: ['crm_failcount -G [-q] -r RSC [-N NODE] [-n OPERATION [-I INTERVAL]]', 'crm_failcount -D -r RSC [-N NODE] [-n OPERATION [-I INTERVAL]]'],
    description: ['Prints a resource\'s fail count on a node (the sum over its operations, or one operation\'s), or clears it with crm_resource --cleanup so the DC probes the resource again, as Pacemaker\'s crm_failcount.'],
    options: [['-G, --query', 'print the fail count (scope=status  name=fail-count-RSC value=N)'], ['-D, --delete', 'clear the failures (crm_resource -C)'], ['-r, --resource RSC', 'the resource'], ['-N, --node NODE', 'the node (default this one)'], ['-n, --operation OP', 'one operation only'], ['-I, --interval T', 'that operation\'s interval'], ['-q, --quiet', 'print only the value'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['64', 'usage error'], ['105', 'no such resource or node']],
  },
  {
    command: 'crm_standby',
    synopsis: ['crm_standby [-N NODE] (-v on|off | -G [-q] | -D) [-l reboot|forever]'],
    description: ['Puts a node in standby or back online through its standby attribute, with the defaults of Pacemaker\'s crm_standby (update: forever; query: forever, else reboot, else off; delete: both).'],
    options: [['-N, --node NODE', 'the node (default this one)'], ['-v, --update on|off', 'set standby'], ['-G, --query', 'print it'], ['-D, --delete', 'remove it'], ['-l, --lifetime L', 'reboot or forever'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['105', 'no such node']],
  },
  {
    command: 'crm_ticket',
    synopsis: ['crm_ticket [-t TICKET] (-l | -L | -w | -q | -c)', 'crm_ticket -t TICKET (-g | -r) --force', 'crm_ticket -t TICKET (-s | -a | -G ATTR [-d DEFAULT] | -S ATTR -v VALUE | -D ATTR | -C [--force])'],
    description: ['Shows and changes the tickets of this cluster site in the CIB\'s status section, as Pacemaker 2.1.5\'s crm_ticket: a resource that depends on a ticket through rsc_ticket runs only while the ticket is granted and not in standby. Granting and revoking print Pacemaker\'s warning and need --force.'],
    options: [['-t, --ticket ID', 'the ticket'], ['-l, --info', 'one line per ticket: granted or revoked, [standby], last-granted'], ['-L, --details', 'every attribute of the ticket state'], ['-w, --raw', 'ticket ids only'], ['-q, --query-xml', 'the ticket_state XML'], ['-c, --constraints', 'the rsc_ticket constraints of the ticket'], ['-g, --grant', 'grant the ticket (with --force)'], ['-r, --revoke', 'revoke it (with --force): triggers the loss-policy'], ['-s, --standby', 'dependent resources stop without triggering the loss-policy'], ['-a, --activate', 'end standby'], ['-G, --get-attr A', 'print an attribute (-d: default)'], ['-S, --set-attr A', 'set an attribute (with -v VALUE)'], ['-D, --delete-attr A', 'delete an attribute'], ['-C, --cleanup', 'forget the ticket\'s state (a granted one needs --force)'], ['-f, --force', 'do it'], RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['4', 'refused without --force'], ['64', 'usage error'], ['105', 'no such ticket or attribute']],
  },
  {
    command: 'crm_verify',
    synopsis: ['crm_verify -L [-V]', 'crm_verify -x FILE [-V]'],
    description: ['Checks the running cluster\'s CIB (-L) or a CIB file (-x) with the checks of lifeline crm configure verify.'],
    options: [['-L, --live-check', 'the running cluster\'s CIB (or CIB_file)'], ['-x, --xml-file FILE', 'a CIB file'], ['-V, --verbose', 'print warnings too'], RUN_DIR],
    exit: [['0', 'valid'], ['78', 'errors found'], ['102', 'no daemon answered']],
  },
  {
    command: 'crm',
    synopsis: ['crm status', 'crm resource start|stop|status RSC | move RSC NODE [LIFETIME] | clear RSC [NODE] | cleanup RSC [NODE]', 'crm node standby|online [NODE]', 'crm configure ...'],
    description: ['The crm shell\'s levels on the local daemon (or CIB_file): status is crm_mon -1; resource and node change the CIB as crm_resource and crm_standby do (start/stop set target-role); configure is described under crm configure.'],
    options: [RUN_DIR, CIB_FILE_ENV],
    exit: [['0', 'done'], ['2', 'usage error'], ['102', 'no daemon answered'], ['105', 'no such resource or node']],
  },
  {
    command: 'crm import-haresources',
    synopsis: ['lifeline crm import-haresources [HARESOURCES] [--config-dir DIR] [--resource-d DIR] [--init-d DIR] > config.crm'],
    description: [
      'Prints the crm configure text of an haresources file, the step heartbeat administrators took when they switched to crm on: a group per line (a single resource stays a primitive), IPaddr/IPaddr2 as ocf:heartbeat:IPaddr/IPaddr2 (ip, cidr_netmask, nic, broadcast from heartbeat\'s ADDR/PREFIX/IFACE/BROADCAST), Filesystem::DEV::DIR::TYPE as ocf:heartbeat:Filesystem, resource.d scripts as heartbeat: primitives with their ::arguments as 1, 2, ..., /etc/init.d scripts as lsb:, each with a monitor; the preferred node as a location of 100; resource-stickiness from auto_failback; stonith-enabled=false when ha.cf has no stonith line and no-quorum-policy=ignore for two nodes, as heartbeat behaved. Check and commit it with crm configure.',
    ],
    options: [['HARESOURCES', 'the file (default DIR/haresources)'], CONFIG_DIR, ['--resource-d DIR', 'heartbeat\'s scripts (default DIR/resource.d)'], ['--init-d DIR', 'init scripts (default /etc/init.d)']],
    exit: [['0', 'printed'], ['1', 'a file is unreadable or wrong, or a resource could not be imported (named on stderr)'], ['2', 'usage error']],
  },
  {
    command: 'crm configure',
    synopsis: [
      'lifeline crm configure verify [CRMFILE] [--cib CIB.xml] [--ocf-root DIR] [--no-agents]',
      'lifeline crm configure show [xml] --cib CIB.xml [--no-obscure]',
      'lifeline crm configure load [update|replace] CRMFILE --cib CIB.xml [--force] [--ocf-root DIR] [--no-agents]',
      'crm configure show [xml] | verify [CRMFILE] | load update|replace CRMFILE | edit | delete ID... | STATEMENT... [--run-dir DIR]',
      'crm configure < SESSION   (statements, verify, show, commit, end)',
    ],
    description: [
      'Reads and writes the cluster configuration in the crm shell\'s configure language, translated to and from CIB XML.',
      'Without --cib it works on the running cluster (or CIB_file): every commit (load, edit with $EDITOR, delete, a statement such as primitive/group/location/colocation/order/property/rsc_defaults, a session\'s commit) is verified first and refused with line-numbered errors, the cluster untouched; a commit based on a CIB someone changed meanwhile is refused as a conflict naming both versions (exit 103).',
    ],
    options: [
      ['--run-dir DIR', 'the daemon to ask (default /var/run/heartbeat)'],
      ['--live', 'work on the running cluster (the crm bin always does; --run-dir and CIB_file imply it)'],
      ['--cib CIB.xml', 'the CIB file to read or update'],
      ['--ocf-root DIR', 'where OCF agents are looked up for parameter checks (default /usr/lib/ocf)'],
      ['--no-agents', 'do not check parameters against the agents\' metadata'],
      ['--no-obscure', 'show secrets in clear'],
      ['--force', 'load even when verification warns'],
    ],
  },
  {
    command: 'crm exec-op',
    synopsis: ['lifeline crm exec-op CLASS:PROVIDER:TYPE OP [name=value...] [--interval TIME] [--timeout TIME] [--resource ID] [--meta name=value] [--ocf-root DIR] [--node NAME] [--quiet]'],
    description: [
      'Runs one operation of a resource agent exactly as the CRM\'s executor runs it on this node: OCF_ROOT, OCF_RESOURCE_INSTANCE, OCF_RESKEY_<name> for each name=value, OCF_RESKEY_CRM_meta_* with the interval and timeout in milliseconds; the agent\'s process group is killed at the timeout. Classes: ocf, lsb/service (monitor runs status), systemd, stonith (fence agents read name=value lines on stdin).',
      'The agent\'s stdout (meta-data XML) goes to stdout; execd\'s log lines and a one-line result go to stderr. With --interval the first run of the recurring operation is made once.',
    ],
    options: [
      ['--interval TIME', 'the operation\'s interval (OCF_RESKEY_CRM_meta_interval; default 0)'],
      ['--timeout TIME', 'kill the agent after TIME (default 20s); the result is "Timed Out", rc 1'],
      ['--resource ID', 'resource id passed as OCF_RESOURCE_INSTANCE (default the agent type)'],
      ['--meta name=value', 'a meta attribute, passed as OCF_RESKEY_CRM_meta_<name>'],
      ['--ocf-root DIR', 'where OCF agents live (default /usr/lib/ocf)'],
      ['--node NAME', 'this node\'s name for OCF_RESKEY_CRM_meta_on_node (default the hostname)'],
      ['--quiet, -q', 'no log lines on stderr'],
    ],
    exit: [['0-9', 'the OCF rc of the operation (0 ok, 7 not running, 8 running promoted, ...)'], ['1', 'also: timed out or killed'], ['2', 'also: usage error']],
  },
  {
    command: 'stonith_admin',
    synopsis: ['lifeline stonith_admin {--list-registered | --list-installed | --list NODE | --reboot NODE | --fence NODE | --unfence NODE | --confirm NODE | --history NODE|*} [--timeout S] [--delay S] [--verbose] [--quiet] [--run-dir DIR]'],
    description: [
      'Pacemaker 2.1.5\'s stonith_admin against the fencer of the daemon running with "crm on" (its control socket\'s fence_* requests): the same options, text output and exit codes.',
      'Lists end with "N fence devices found"; --history prints the latest successful fencing of NODE (every event with --verbose, * for all nodes); a failed request prints "Couldn\'t fence NODE: Timer expired" (or "No such device", "Error").',
    ],
    options: [
      ['--list-registered, -L', 'the devices the fencer has registered from the CIB'],
      ['--list-installed, -I', 'fence agents (fence_*) and cluster-glue plugin types installed on this machine'],
      ['--list NODE, -l', 'the devices that can fence NODE (after their pcmk_host_check ran)'],
      ['--reboot NODE, -B', 'fence NODE with reboot'],
      ['--fence NODE, -F, --off', 'fence NODE with off'],
      ['--unfence NODE, -U, --on', 'turn NODE on (unfence)'],
      ['--confirm NODE, -C', 'tell the cluster NODE was powered off by hand ("a human" fenced it)'],
      ['--history NODE, -H', 'fencing history of NODE, or * for every node'],
      ['--timeout S, -t', 'per-device timeout in seconds (default 120)'],
      ['--delay S, -y', 'delay before the first device runs, in seconds (-1: no pcmk_delay_* either)'],
      ['--verbose, -V', 'every history event'],
      ['--quiet, -q', 'history: only the time of the latest fencing, in seconds'],
      ['--run-dir DIR', 'the daemon\'s run directory (default /var/run/heartbeat)'],
    ],
    exit: [['0', 'done'], ['1', 'the agent failed'], ['64', 'usage error'], ['102', 'no daemon answers'], ['105', 'no device can fence the node'], ['124', 'timed out']],
  },
  {
    command: 'crm simulate',
    synopsis: ['lifeline crm simulate --xml-file CIB [--show-scores] [--json] [--date TIME]'],
    description: ['Runs the scheduler on a CIB offline, as Pacemaker\'s crm_simulate does, and prints the cluster state and the transition it would run.'],
    options: [['--xml-file CIB', 'the CIB to schedule'], ['--show-scores', 'print allocation scores'], ['--json', 'machine-readable output'], ['--date TIME', 'evaluate rules at this time']],
  },
  {
    command: 'daemon',
    synopsis: ['lifeline daemon [--config-dir DIR] [--state-dir DIR] [--run-dir DIR] [--node-name NAME] [--json-log FILE] [--syslog-socket PATH] [--foreground | --stop | --reload]'],
    description: [
      'Runs the cluster daemon: membership over the ha.cf media, then the haresources groups (or the CRM with "crm on"). Without --foreground it detaches and returns once the daemon wrote its pid file.',
      'Under systemd (lifeline.service) it runs with --foreground and tells systemd it is ready once its media are open and its membership has started; SIGTERM stops every resource in reverse order before the daemon exits.',
    ],
    options: [
      CONFIG_DIR,
      ['--state-dir DIR', 'persistent state, as heartbeat\'s /var/lib/heartbeat (default)'],
      ['--run-dir DIR', 'pid file and control socket (default /var/run/heartbeat)'],
      NODE_NAME,
      ['--json-log FILE', 'also write every log line as JSON to FILE'],
      ['--syslog-socket PATH', 'the syslog socket for logfacility (default /dev/log)'],
      ['--foreground', 'do not detach (systemd, tests)'],
      ['--stop, -k', 'stop the running daemon as heartbeat -k does, waiting until its resources are stopped'],
      ['--reload, -r', 'make the running daemon reread its configuration (SIGHUP)'],
    ],
    exit: [['0', 'started or stopped'], ['1', 'already running / not running'], ['6', 'configuration refused']],
  },
  {
    command: 'demo',
    synopsis: ['lifeline demo [--keepalive TIME] [--deadtime TIME] [--poll MS] [--example DIR]'],
    description: ['Builds a two-node web-server cluster in network namespaces on this machine, kills the serving node, prints the measured failover and failback, and removes everything. Needs root.'],
    options: [['--keepalive TIME', 'keepalive of the demo cluster (default 200ms)'], ['--deadtime TIME', 'deadtime (default 2s)'], ['--poll MS', 'how often the client asks (default 50)'], ['--example DIR', 'the example configuration to run']],
  },
  {
    command: 'resource',
    synopsis: ['lifeline resource [--confdir DIR] [--timeout SECONDS] RESOURCE start|stop|status|monitor'],
    description: ['Runs one haresources resource\'s agent by hand, as /etc/ha.d/resource.d/IPaddr 10.0.0.5 start is run with heartbeat. RESOURCE is written as in haresources: 10.0.0.5/24/eth0, IPaddr2::10.0.0.5/24, OCF::Dummy::d1, httpd.'],
    options: [['--confdir DIR', 'where resource.d is (default /etc/ha.d)'], ['--timeout SECONDS', 'give up after this long (default 60)']],
    exit: [['0', 'done (status/monitor: running)'], ['1', 'failed'], ['2', 'usage error'], ['3', 'not running']],
  },
  {
    command: 'standby',
    synopsis: ['lifeline standby [all|foreign|local|failback]', 'hb_standby [all|foreign|local|failback]'],
    description: ['Hands this node\'s resource groups to the other node through heartbeat\'s standby protocol. ' + GROUP_WORDS],
    exit: [['0', 'the request was sent'], ['1', 'the daemon does not run or the word is wrong']],
  },
  {
    command: 'takeover',
    synopsis: ['lifeline takeover [all|foreign|local|failback]', 'hb_takeover [all|foreign|local|failback]'],
    description: ['Takes the resource groups from the other node to this one. ' + GROUP_WORDS],
    exit: [['0', 'the request was sent'], ['1', 'the daemon does not run or the word is wrong']],
  },
  {
    command: 'status',
    synopsis: ['lifeline status [--json] [--run-dir DIR]'],
    description: ['Shows nodes, links and resource groups of the running daemon.'],
    options: [['--json', 'machine-readable output'], RUN_DIR],
    exit: [['0', 'the daemon answered'], ['1', 'no daemon runs with that run directory'], ['2', 'usage error']],
  },
  {
    command: 'version',
    synopsis: ['lifeline version'],
    description: ['Prints the Lifeline version and the heartbeat wire protocol it speaks.'],
  },
  {
    command: 'wire-dump',
    synopsis: ['lifeline wire-dump --authkeys FILE CAPTURE...'],
    description: ['Decodes captured heartbeat packets (raw UDP payloads) and checks their signatures against authkeys.'],
    options: [['--authkeys FILE', 'the authkeys file to check signatures with']],
  },
  {
    command: 'advise',
    synopsis: ['lifeline advise [--run-dir DIR] [--margin F] [--json]'],
    description: [
      'The daemon measures every silence between two packets from each node on each link (outages that declared a node or link dead excepted). lifeline advise prints their distribution and derives, as heartbeat\'s FAQ 10 asks for heavily loaded systems: deadtime above the p99.99 silence times the margin and a quarter above the worst silence seen (with fewer than 10000 silences, the worst one with twice the margin), warntime above p99.9 times the margin but below deadtime, initdead twice deadtime and at least 10 s; keepalive is kept.',
      'It then says what the current settings risk (silences that reached deadtime: false failovers) or cost (seconds every failover waits longer than needed).',
    ],
    options: [RUN_DIR, ['--margin F', 'safety factor over the measured silence (default 2, at least 1)'], ['--json', 'the histograms and the advice as JSON']],
    exit: [['0', 'advice printed'], ['1', 'no daemon runs'], ['2', 'usage error']],
  },
  {
    command: 'propagate',
    synopsis: ['lifeline propagate [--config-dir DIR] [--node-name NAME] [--node NODE]... [--ssh-config FILE] [--connect-timeout S] [--remote-lifeline CMD] [--no-reload]'],
    description: [
      'Copies ha.cf, haresources and authkeys to every other node of ha.cf with scp, keeping their modes, as heartbeat\'s ha_propagate did. The files land in a private directory on the node first and replace its own only when lifeline check passes there, as that node; then its daemon rereads them (lifeline daemon --reload).',
      'Nothing is copied when the files do not pass lifeline check here. A node that cannot be reached or refuses the files is reported and keeps its own; the other nodes are still served.',
    ],
    options: [CONFIG_DIR, NODE_NAME, ...SSH_OPTIONS, ['--remote-lifeline CMD', 'the lifeline command on the nodes (default lifeline)'], ['--no-reload', 'install the files but do not reload the daemons']],
    exit: [['0', 'every node has the files'], ['1', 'a node was not reached or refused them, or the files are invalid here'], ['2', 'usage error']],
  },
  {
    command: 'keygen',
    synopsis: ['lifeline keygen [--config-dir DIR] [--method sha1|sha256] [--index N] [--force] [--output FILE]'],
    description: [
      'Writes authkeys with a strong random key (32 bytes from the kernel\'s random source, as hex) and mode 600, replacing the shell recipe of heartbeat\'s Getting Started guide. sha1 (default) is understood by heartbeat 3.0.6; sha256 is a Lifeline extension for clusters without heartbeat nodes. Copy the same file to every node (lifeline propagate).',
      'An existing file is never overwritten without --force.',
    ],
    options: [
      CONFIG_DIR,
      ['--method sha1|sha256', 'signature method (default sha1)'],
      ['--index N', 'key number written in "auth N" (1-15, default 1)'],
      ['--force', 'replace an existing file'],
      ['--output FILE', 'write FILE instead of DIR/authkeys ("-" prints the file on standard output)'],
    ],
    exit: [['0', 'written'], ['1', 'the file exists (no --force) or cannot be written'], ['2', 'usage error']],
  },
  ...WEB_PAGES,
];

/** The page of a subcommand, or undefined; `wire-dump` and `wire dump` are the same command, as for main.ts. */
export function helpPage(command: string): HelpPage | undefined {
  const key = (c: string) => c.replace(/-/g, ' ');
  return PAGES.find((p) => key(p.command) === key(command));
}
