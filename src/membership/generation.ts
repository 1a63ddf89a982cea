// Who we are on the wire across restarts: our generation (`hg`, one more each start) and our uuid (`srcuuid`),
// in heartbeat's own files. Pure: the daemon reads the files, calls these, writes back (synced) before sending.
import type { Generation } from '../types.js';
import { generation } from '../types.js';
import type { LogLevel } from './types.js';

/** Where heartbeat keeps it; Lifeline uses the same file so a node can switch between the two daemons. */
export const GENERATION_FILE = '/var/lib/heartbeat/hb_generation';

/** The generation to use for this start, the file's new contents and the log lines heartbeat writes about it. */
export interface NextGeneration {
  readonly generation: Generation;
  /** heartbeat's format: the number right-aligned in 15 columns, then a newline (16 bytes). */
  readonly fileText: string;
  readonly logs: readonly { level: LogLevel; text: string }[];
}

/**
 * heartbeat's IncrGeneration: the stored number plus one; with no file, the current time in seconds plus one.
 * A file that does not hold a number also restarts from the time (heartbeat would restart from 1, which peers
 * that knew a bigger generation would drop as a replay until they restart: we do not copy that).
 */
export function nextGeneration(fileText: string | undefined, wallSeconds: number): NextGeneration {
  const logs: { level: LogLevel; text: string }[] = [];
  let previous: number;
  const parsed = fileText !== undefined ? /^\s*(\d{1,15})/.exec(fileText) : null;
  if (fileText === undefined || fileText.length === 0) {
    previous = Math.floor(wallSeconds);
    logs.push({ level: 'warn', text: `No Previous generation - starting at ${previous + 1}` });
  } else if (!parsed) {
    previous = Math.floor(wallSeconds);
    logs.push({ level: 'warn', text: `BROKEN previous generation - starting at ${previous + 1}` });
  } else {
    previous = Number(parsed[1]);
  }
  const next = previous + 1;
  logs.push({ level: 'info', text: `Heartbeat generation: ${next}` });
  return { generation: generation(next), fileText: `${String(next).padStart(15, ' ')}\n`, logs };
}

/** Where heartbeat keeps our uuid: 16 raw bytes. */
export const UUID_FILE = '/var/lib/heartbeat/hb_uuid';

/** The uuid to use, whether the file must be (re)written, and heartbeat's log line when a new one was made. */
export interface NodeUuid {
  readonly uuid: Uint8Array;
  /** The 16 bytes to write to the uuid file, when it had none (or belonged to another node name). */
  readonly write?: Uint8Array;
  /** The node name to record as the uuid's owner (UUID_OWNER_FILE), when it is not recorded yet or changed. */
  readonly writeOwner?: string;
  readonly logs: readonly { level: LogLevel; text: string }[];
}

/** Lifeline's record (beside hb_uuid, in the state directory) of the node name the uuid was made for. */
export const UUID_OWNER_FILE = 'lifeline_uuid_node';

/**
 * heartbeat's uuid handling (hb_uuid.c): a file holding at least 16 bytes gives the uuid; otherwise the `fresh`
 * 16 random bytes the daemon drew become it and are written back. Peers keep addressing us by it (`destuuid`).
 *
 * `owner` adds what heartbeat leaves to the administrator (the seeds: "if you change the hostname, delete
 * /var/lib/heartbeat/hb_uuid and restart"): when the uuid was recorded for another node name, this node was renamed,
 * and peers would take the new name for the old node ("nodename OLD uuid changed to NEW"), so a fresh uuid is made.
 * A uuid with no recorded owner (made by heartbeat) is kept and recorded for the current name.
 */
export function nodeUuid(fileBytes: Uint8Array | undefined, fresh: Uint8Array, owner?: { recorded: string | undefined; name: string }): NodeUuid {
  const record = owner && owner.recorded !== owner.name ? { writeOwner: owner.name } : {};
  if (fileBytes && fileBytes.length >= 16) {
    if (!owner || owner.recorded === undefined || owner.recorded === owner.name) return { uuid: fileBytes.slice(0, 16), ...record, logs: [] };
    const uuid = fresh.slice(0, 16);
    return {
      uuid, write: uuid, ...record,
      logs: [{ level: 'warn', text: `Node name changed from ${owner.recorded} to ${owner.name} since hb_uuid was made: generating a new uuid (peers would take ${owner.name} for ${owner.recorded})` }],
    };
  }
  const uuid = fresh.slice(0, 16);
  return { uuid, write: uuid, ...record, logs: [{ level: 'info', text: 'No uuid found for current node - generating a new uuid.' }] };
}
