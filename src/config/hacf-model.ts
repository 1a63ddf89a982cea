// The typed, immutable form of /etc/ha.d/ha.cf with every default filled in, as heartbeat 3.0.6 would run it.
// Produced by parseHaCf (src/config/hacf.ts); read by the membership machine, the transports and `lifeline check`.

import type { Millis, NodeName } from '../types.js';

/** auto_failback: `on` moves a group back to its preferred node, `off` leaves it where it runs, `legacy` is pre-1.0. */
export type AutoFailback = 'on' | 'off' | 'legacy';

/** The `pacemaker`/`crm` directive: off, on (= yes = respawn in effect), or heartbeat's special start modes. */
export type PacemakerMode = 'off' | 'on' | 'respawn' | 'minimal' | 'manual' | 'valgrind' | 'ccm-only';

/** autojoin: whether nodes not listed in `node` lines may join. */
export type AutoJoin = 'none' | 'other' | 'any';

/**
 * One heartbeat communication path. `port`/`baud` are what heartbeat would use: each plugin (bcast, ucast, serial)
 * reads udpport/baud once, at the first line of its kind, so later lines of that kind share it.
 */
export type Medium =
  | { readonly kind: 'bcast'; readonly iface: string; readonly port: number; readonly line: number }
  | { readonly kind: 'ucast'; readonly iface: string; readonly host: string; readonly port: number; readonly line: number }
  | { readonly kind: 'ucast6'; readonly iface: string; readonly host: string; readonly port: number; readonly line: number }
  | { readonly kind: 'mcast'; readonly iface: string; readonly group: string; readonly port: number; readonly ttl: number; readonly loop: 0 | 1; readonly line: number }
  | { readonly kind: 'mcast6'; readonly iface: string; readonly group: string; readonly port: number; readonly hops: number; readonly loop: 0 | 1; readonly line: number }
  | { readonly kind: 'serial'; readonly device: string; readonly baud: number; readonly line: number };

/** A ping node (`ping HOST`, `ping6 HOST`) or ping group (`ping_group NAME HOST...`): a pseudo-member that answers ICMP. */
export interface PingNode {
  readonly kind: 'ping' | 'ping6' | 'ping_group';
  /** The host for ping/ping6; the group name for ping_group. */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly line: number;
}

/** `apiauth CLIENT uid=a,b gid=c`: who may connect to the API as CLIENT. */
export interface ApiAuth {
  readonly client: string;
  readonly uids: readonly string[];
  readonly gids: readonly string[];
  readonly line: number;
}

/** `respawn USER /path args` (or `failfast`, which reboots the node when the child dies). */
export interface ClientChild {
  readonly user: string;
  readonly command: string;
  readonly failfast: boolean;
  readonly line: number;
}

/** `stonith TYPE FILE` or `stonith_host HOST TYPE PARAMS...` (heartbeat release-1 fencing). */
export interface StonithConfig {
  readonly kind: 'stonith' | 'stonith_host';
  /** `*` or the host this stonith_host line applies to; undefined for `stonith`. */
  readonly host?: string;
  readonly type: string;
  /** Config file (stonith) or parameter text (stonith_host). */
  readonly params: string;
  readonly line: number;
}

/** The effective ha.cf. Durations are milliseconds; every field has its heartbeat default when not written. */
export interface HaCf {
  /** The file the configuration came from (for messages). */
  readonly file: string;
  /** `node` names, lower-cased as heartbeat does (g_strdown), in order of appearance. */
  readonly nodes: readonly NodeName[];
  readonly media: readonly Medium[];
  readonly pingNodes: readonly PingNode[];
  /** keepalive: interval between heartbeats. Default 1 s. */
  readonly keepalive: Millis;
  /** deadtime: silence after which a node is declared dead. Default 30 s. */
  readonly deadtime: Millis;
  /** warntime: silence after which a "late heartbeat" is logged. Default deadtime / 2. */
  readonly warntime: Millis;
  /** initdead: deadtime used right after start-up. Default deadtime if > 10 s, else 12 s if deadtime < 6 s, else 2 × deadtime. */
  readonly initdead: Millis;
  /** deadping: deadtime for ping nodes. Default deadtime. */
  readonly deadping: Millis;
  /** udpport: the last value set (media carry the port in effect on their own line). Default 694 (ha-cluster). */
  readonly udpport: number;
  /** baud: serial speed. Default 19200. */
  readonly baud: number;
  readonly autoFailback: AutoFailback;
  readonly pacemaker: PacemakerMode;
  readonly autojoin: AutoJoin;
  /** cluster: the cluster name. Default "linux-ha". */
  readonly cluster: string;
  /** hopfudge: hops beyond the node count a message may travel (serial rings). Default 1. */
  readonly hopfudge: number;
  readonly logfile?: string;
  readonly debugfile?: string;
  /** logfacility: a syslog facility name, or "none". Unset means no syslog. */
  readonly logfacility?: string;
  /** use_logd: log through the logging daemon. Default: yes when no logfile/debugfile/logfacility is set, else no. */
  readonly useLogd: boolean;
  /** conn_logd_time: interval between reconnection attempts to logd. Default 60 s. */
  readonly connLogdTime: Millis;
  readonly debug: number;
  readonly msgfmt: 'classic' | 'netstring';
  readonly hbgenmethod: 'file' | 'time';
  readonly uuidfrom: 'file' | 'nodename';
  readonly realtime: boolean;
  /** rtprio: SCHED_FIFO priority; undefined means heartbeat's default (halfway between min and max). */
  readonly rtprio?: number;
  readonly coredumps: boolean;
  readonly coreroot?: string;
  readonly compression: string;
  /** compression_threshold in KB. Default 2. */
  readonly compressionThreshold: number;
  readonly traditionalCompression: boolean;
  /** max_rexmit_delay in ms. Default 250. */
  readonly maxRexmitDelay: Millis;
  /** memreserve in KB. Default 6500. */
  readonly memreserve: number;
  readonly logBadpack: boolean;
  readonly syslogmsgfmt: boolean;
  readonly useApphbd: boolean;
  readonly recordConfigChanges: boolean;
  readonly recordPengineInputs: boolean;
  readonly enableConfigWrites: boolean;
  readonly crmDaemonDir?: string;
  readonly crmdSpawnsPengine?: boolean;
  readonly quorumServer?: string;
  readonly watchdog?: string;
  /** env NAME=VALUE: exported as HA_NAME to respawned clients. */
  readonly env: ReadonlyMap<string, string>;
  readonly apiauth: readonly ApiAuth[];
  readonly clients: readonly ClientChild[];
  readonly stonith: readonly StonithConfig[];
  /** Directive name → line of its last setting. A directive absent here has its default value. */
  readonly explicit: ReadonlyMap<string, number>;
}
