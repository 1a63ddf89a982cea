// Lists the effective value of every ha.cf directive, written or defaulted, for `lifeline check` and its --json output.
// Pure: a HaCf in, rows out; the printing lives in the CLI.

import { formatDuration } from './duration.js';
import type { HaCf } from './hacf-model.js';

/** One directive's effective value as it would be written in ha.cf, and whether it came from the file. */
export interface EffectiveSetting {
  readonly directive: string;
  readonly value: string;
  /** True when the file does not set it and heartbeat's default (or derived value) applies. */
  readonly defaulted: boolean;
  /** Line of the last setting in ha.cf, when written. */
  readonly line?: number;
}

const time = (ms: number): string => (ms % 1000 === 0 ? `${formatDuration(ms)} (${ms} ms)` : `${ms}ms`);
const onoff = (b: boolean): string => (b ? 'on' : 'off');

/** Directive → how to show its value; `undefined` means "not set and no default" (shown as "(unset)"). */
const SHOW: ReadonlyArray<[string, (c: HaCf) => string | undefined]> = [
  ['cluster', (c) => c.cluster],
  ['node', (c) => c.nodes.join(' ')],
  ['keepalive', (c) => time(c.keepalive)],
  ['deadtime', (c) => time(c.deadtime)],
  ['warntime', (c) => time(c.warntime)],
  ['initdead', (c) => time(c.initdead)],
  ['deadping', (c) => time(c.deadping)],
  ['udpport', (c) => String(c.udpport)],
  ['baud', (c) => String(c.baud)],
  ['auto_failback', (c) => c.autoFailback],
  ['pacemaker', (c) => c.pacemaker],
  ['autojoin', (c) => c.autojoin],
  ['hopfudge', (c) => String(c.hopfudge)],
  ['logfile', (c) => c.logfile],
  ['debugfile', (c) => c.debugfile],
  ['logfacility', (c) => c.logfacility],
  ['use_logd', (c) => onoff(c.useLogd)],
  ['conn_logd_time', (c) => time(c.connLogdTime)],
  ['debug', (c) => String(c.debug)],
  ['msgfmt', (c) => c.msgfmt],
  ['hbgenmethod', (c) => c.hbgenmethod],
  ['uuidfrom', (c) => c.uuidfrom],
  ['realtime', (c) => onoff(c.realtime)],
  ['rtprio', (c) => (c.rtprio === undefined ? undefined : String(c.rtprio))],
  ['coredumps', (c) => onoff(c.coredumps)],
  ['coreroot', (c) => c.coreroot],
  ['compression', (c) => c.compression],
  ['compression_threshold', (c) => `${c.compressionThreshold} (KB)`],
  ['traditional_compression', (c) => onoff(c.traditionalCompression)],
  ['max_rexmit_delay', (c) => `${c.maxRexmitDelay} (ms)`],
  ['memreserve', (c) => `${c.memreserve} (KB)`],
  ['log_badpack', (c) => onoff(c.logBadpack)],
  ['syslogmsgfmt', (c) => onoff(c.syslogmsgfmt)],
  ['use_apphbd', (c) => onoff(c.useApphbd)],
  ['record_config_changes', (c) => onoff(c.recordConfigChanges)],
  ['record_pengine_inputs', (c) => onoff(c.recordPengineInputs)],
  ['enable_config_writes', (c) => onoff(c.enableConfigWrites)],
  ['crm_daemon_dir', (c) => c.crmDaemonDir],
  ['crmd_spawns_pengine', (c) => (c.crmdSpawnsPengine === undefined ? undefined : onoff(c.crmdSpawnsPengine))],
  ['quorum_server', (c) => c.quorumServer],
  ['watchdog', (c) => c.watchdog],
  ['env', (c) => (c.env.size ? [...c.env].map(([k, v]) => `${k}=${v}`).join(' ') : undefined)],
];

/** Every scalar directive with its effective value; media, ping nodes, apiauth, respawn and stonith are listed apart. */
export function effectiveSettings(c: HaCf): EffectiveSetting[] {
  return SHOW.map(([directive, show]) => {
    const line = c.explicit.get(directive);
    return { directive, value: show(c) ?? '(unset)', defaulted: line === undefined, ...(line !== undefined ? { line } : {}) };
  });
}
