// `lifeline cl_status SUB ...`: heartbeat's cl_status (hbstatus, listnodes, nodestatus, nodetype, listhblinks,
// hblinkstatus) with its output text and exit codes, answered from the daemon's control socket.
import { queryStatus } from '../../daemon/client.js';

export const summary = 'heartbeat-compatible cl_status: hbstatus, listnodes, nodestatus, nodetype, listhblinks, hblinkstatus';

// cl_status's exit codes (cl_status.c): OK, NORMAL_FAIL, PARAMETER_ERROR, UNKNOWN_ERROR.
const OK = 0;
const NORMAL_FAIL = 1;
const PARAMETER_ERROR = 11;
const UNKNOWN_ERROR = 13;

const USAGE = 'Usage: cl_status [--run-dir DIR] hbstatus|listnodes|nodestatus NODE|nodetype normal|ping|listhblinks NODE|hblinkstatus NODE LINK [-m]\n';

export async function run(argv: readonly string[]): Promise<number> {
  let runDir = process.env.LIFELINE_RUN_DIR ?? '/var/run/heartbeat';
  let human = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--run-dir' && argv[i + 1] !== undefined) runDir = argv[++i]!;
    else if (a === '-m') human = true;
    else if (a === '-v' || a === '-n') { /* accepted, as cl_status does; plain output */ }
    else args.push(a);
  }
  const [sub, p1, p2] = args;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (!sub) { process.stderr.write(USAGE); return PARAMETER_ERROR; }
  const known = ['hbstatus', 'listnodes', 'nodestatus', 'nodetype', 'listhblinks', 'hblinkstatus'];
  if (!known.includes(sub)) { process.stderr.write(USAGE); return PARAMETER_ERROR; }
  const s = await queryStatus(runDir);
  if (!s) {
    // cl_status cannot sign on: only hbstatus prints something; everything fails with 1.
    if (sub === 'hbstatus') out('Heartbeat is stopped on this machine.');
    else process.stderr.write('cl_status: ERROR: Cannot signon with heartbeat\n');
    return NORMAL_FAIL;
  }
  const node = p1 === undefined ? undefined : s.nodes.find((n) => n.name === p1.toLowerCase());
  switch (sub) {
    case 'hbstatus':
      out('Heartbeat is running on this machine.');
      return OK;
    case 'listnodes':
      if (human) out('The nodes are as follow:');
      for (const n of s.nodes) out(n.name);
      return OK;
    case 'nodestatus':
      if (p1 === undefined) { process.stderr.write('Not enough parameters.\n'); return PARAMETER_ERROR; }
      if (!node) { process.stderr.write('Error. May be due to incorrect node name\n'); return PARAMETER_ERROR; }
      out(human ? `The cluster node ${p1} is ${node.status}` : node.status);
      return node.status === 'active' || node.status === 'up' ? OK : NORMAL_FAIL;
    case 'nodetype':
      if (p1 === undefined) { process.stderr.write('No enough parameter.\n'); return PARAMETER_ERROR; }
      if (!node) { process.stderr.write('Error. May be due to incorrect node name\n'); return PARAMETER_ERROR; }
      out(human ? `The node ${p1}'s type: ${node.type}` : node.type);
      return OK;
    case 'listhblinks':
      if (p1 === undefined) { process.stderr.write('No enough parameter.\n'); return PARAMETER_ERROR; }
      if (!node) { process.stderr.write('cl_status: ERROR: Cannot start heartbeat link interface walk.\n'); return UNKNOWN_ERROR; }
      if (human) out('\tthis node have the following heartbeat links:');
      for (const l of node.links) out(`\t${l.name}`);
      return OK;
    case 'hblinkstatus': {
      if (p1 === undefined || p2 === undefined) { process.stderr.write('No enough parameter.\n'); return PARAMETER_ERROR; }
      const link = node?.links.find((l) => l.name === p2);
      if (!link) { process.stderr.write('cl_status: ERROR: Cannot get heartbeat link status\n'); return UNKNOWN_ERROR; }
      out(human ? `The node ${p1}'s heartbeat link ${p2} is ${link.status}` : link.status);
      return link.status === 'up' ? OK : NORMAL_FAIL;
    }
  }
  return PARAMETER_ERROR;
}
