// `lifeline crm configure verify|show|load`: crmsh's configure level over a CIB kept in a file.
// Argument handling and printing only; parsing, checking and XML live in src/crm/lang.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { diag, formatDiagnostic, type Diagnostic } from '../../errors.js';
import {
  cibXml, DEFAULT_AGENT_DIRS, hasErrors, loadCrmText, obscurePasswords, parseCibXml, renderCrm, systemAgentCatalog, verifyConfig,
  type AgentCatalog, type CrmConfig, type LoadMode, type ParsedCib,
} from '../../crm/lang/index.js';
import { parseCib } from '../../crm/cib.js';
import { unsupportedFeatures } from '../../crm/scheduler.js';
import { cibTarget } from '../../crm/client/cib-client.js';
import { liveConfigure } from '../crm-live.js';

/** One line for `lifeline help`. */
export const summary = 'crm shell configure level: show, verify, load, edit, delete, statements, a stdin session with commit, on the running cluster (or --cib FILE)';

const USAGE = `usage:
  crm configure [show [xml] | verify [CRMFILE] | load update|replace CRMFILE | edit | delete ID... | STATEMENT...] [--run-dir DIR]
  crm configure < SESSION   (statements, verify, show, commit, end)
  lifeline crm configure verify [CRMFILE] [--cib CIB.xml] [--ocf-root DIR] [--no-agents]
  lifeline crm configure show [xml] --cib CIB.xml [--no-obscure]
  lifeline crm configure load [update|replace] CRMFILE --cib CIB.xml [--force] [--ocf-root DIR] [--no-agents]
`;

interface Args {
  readonly positional: string[];
  readonly cib?: string;
  readonly ocfRoot?: string;
  readonly noAgents: boolean;
  readonly force: boolean;
  readonly noObscure: boolean;
  readonly runDir?: string;
  readonly live: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const positional: string[] = [];
  let cib: string | undefined;
  let ocfRoot: string | undefined;
  let noAgents = false;
  let force = false;
  let noObscure = false;
  let runDir: string | undefined;
  let live = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      return argv[++i];
    };
    if (a === '--live') live = true;
    else if (a === '--run-dir' || a.startsWith('--run-dir=')) { runDir = value(); if (!runDir) return '--run-dir needs a directory'; } else if (a === '--cib' || a.startsWith('--cib=')) { cib = value(); if (!cib) return '--cib needs a file'; } else if (a === '--ocf-root' || a.startsWith('--ocf-root=')) { ocfRoot = value(); if (!ocfRoot) return '--ocf-root needs a directory'; } else if (a === '--no-agents') noAgents = true;
    else if (a === '--force' || a === '-F') force = true;
    else if (a === '--no-obscure') noObscure = true;
    else if (a.startsWith('-')) return `unknown option "${a}"`;
    else positional.push(a);
  }
  return { positional, live, ...(runDir !== undefined ? { runDir } : {}), ...(cib !== undefined ? { cib } : {}), ...(ocfRoot !== undefined ? { ocfRoot } : {}), noAgents, force, noObscure };
}

function print(ds: readonly Diagnostic[]): void {
  for (const d of ds) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

function readText(file: string): string | Diagnostic {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return diag('LL_IO_READ_FAILED', { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { location: { file } });
  }
}

/** Reads the CIB file; `missingOk` turns an absent file into "no CIB yet" (load creates it). */
function readCib(file: string, missingOk: boolean): ParsedCib | undefined | Diagnostic {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (missingOk && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return diag('LL_IO_READ_FAILED', { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { location: { file } });
  }
  return parseCibXml(text, file);
}

const isDiag = (x: unknown): x is Diagnostic => typeof x === 'object' && x !== null && 'code' in x && 'severity' in x;

function catalogFor(args: Args): AgentCatalog | undefined {
  if (args.noAgents) return undefined;
  return systemAgentCatalog(args.ocfRoot ? { ...DEFAULT_AGENT_DIRS, ocfRoot: args.ocfRoot } : DEFAULT_AGENT_DIRS);
}

/** Runs `crm configure VERB …`; returns 0 when valid/done, 1 on errors, 2 on bad usage. */
export async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`lifeline crm configure: ${args}\n${USAGE}`);
    return 2;
  }
  const [verb, ...rest] = args.positional;
  // The running cluster's CIB (or CIB_file's) is read and committed to, as crmsh does, when asked for: the `crm` bin,
  // --live, --run-dir or CIB_file; `lifeline crm configure` alone stays on files (--cib, or a crm file to verify).
  if (!args.cib && (args.live || args.runDir !== undefined || process.env.CIB_file)) return liveConfigure(cibTarget(process.env, args.runDir), verb, rest, catalogFor(args), args.noObscure);
  switch (verb) {
    case 'verify': return verify(args, rest);
    case 'show': return show(args, rest);
    case 'load': return load(args, rest);
    default:
      process.stderr.write(verb ? `lifeline crm configure: unknown command "${verb}"\n${USAGE}` : USAGE);
      return 2;
  }
}

/** verify [CRMFILE]: checks the CIB, or the crm text (loaded over the CIB when --cib is given). */
async function verify(args: Args, rest: string[]): Promise<number> {
  if (rest.length > 1 || (rest.length === 0 && !args.cib)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const diags: Diagnostic[] = [];
  let base: ParsedCib | undefined;
  if (args.cib) {
    const c = readCib(args.cib, rest.length === 1);
    if (isDiag(c)) { print([c]); return 1; }
    base = c;
    if (base) diags.push(...base.diagnostics);
  }
  let config: CrmConfig = base?.config ?? { nodes: [], resources: [], constraints: [], options: [] };
  let file = args.cib ?? '';
  if (rest.length === 1) {
    file = rest[0]!;
    const text = readText(file);
    if (isDiag(text)) { print([text]); return 1; }
    const r = loadCrmText(base?.config, text, { file, mode: 'update', ...(args.cib ? { baseFile: args.cib } : {}) });
    diags.push(...r.diagnostics);
    config = r.config;
  }
  const catalog = catalogFor(args);
  diags.push(...verifyConfig(config, { file, ...(catalog ? { catalog } : {}) }));
  diags.push(...schedulerRefusals(config, file));
  print(diags);
  return hasErrors(diags) ? 1 : 0;
}

/** Errors for every configuration feature the scheduler refuses: the same list `crm simulate` and the scheduler
 *  use (unsupportedFeatures), so verify never accepts what the scheduler would decide wrongly. */
function schedulerRefusals(config: CrmConfig, file: string): Diagnostic[] {
  const cib = parseCib(cibXml(config), file);
  if (!cib.ok) return []; // verifyConfig has already reported what makes the XML unusable
  return unsupportedFeatures(cib.value, { configurationOnly: true })
    .map((feature) => diag('LL_SCHED_UNSUPPORTED', { file, feature }, { location: { file } }));
}

/** show [xml]: prints the CIB's configuration as crm text (passwords obscured, as crmsh does) or as XML. */
async function show(args: Args, rest: string[]): Promise<number> {
  if (!args.cib || rest.length > 1 || (rest.length === 1 && rest[0] !== 'xml')) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (rest[0] === 'xml') {
    const text = readText(args.cib);
    if (isDiag(text)) { print([text]); return 1; }
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  const c = readCib(args.cib, false);
  if (isDiag(c) || !c) { if (c) print([c]); return 1; }
  print(c.diagnostics);
  process.stdout.write(renderCrm(c.config, args.noObscure ? {} : { obscure: obscurePasswords }));
  return c.diagnostics.some((d) => d.code === 'LL_CRM_XML') ? 1 : 0;
}

/**
 * load [update|replace] CRMFILE: parses the crm text, merges it into the CIB (creating the file if absent),
 * verifies the result and writes it only if there is no error (like crmsh's commit; --force writes anyway).
 */
async function load(args: Args, rest: string[]): Promise<number> {
  let mode: LoadMode = 'update';
  let files = rest;
  if (rest[0] === 'update' || rest[0] === 'replace') {
    mode = rest[0];
    files = rest.slice(1);
  }
  if (!args.cib || files.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = files[0]!;
  const text = readText(file);
  if (isDiag(text)) { print([text]); return 1; }
  const existing = readCib(args.cib, true);
  if (isDiag(existing)) { print([existing]); return 1; }
  const diags: Diagnostic[] = [...(existing?.diagnostics ?? [])];
  if (diags.some((d) => d.code === 'LL_CRM_XML')) {
    // Not even --force overwrites a CIB that could not be read: its configuration would be lost.
    print(diags);
    process.stderr.write(`lifeline crm configure load: ${args.cib} is not a readable CIB; not changed\n`);
    return 1;
  }
  const r = loadCrmText(existing?.config, text, { file, mode, baseFile: args.cib });
  diags.push(...r.diagnostics);
  const catalog = catalogFor(args);
  diags.push(...verifyConfig(r.config, { file, ...(catalog ? { catalog } : {}) }));
  print(diags);
  if (hasErrors(diags) && !args.force) {
    process.stderr.write(`lifeline crm configure load: ${args.cib} not changed because of the errors above (--force writes it anyway)\n`);
    return 1;
  }
  const attrs = existing ? bumpEpoch(existing.cibAttributes) : undefined;
  const xml = cibXml(r.config, attrs, existing?.statusXml);
  const tmp = `${args.cib}.tmp-${process.pid}`;
  writeFileSync(tmp, xml);
  renameSync(tmp, args.cib);
  return hasErrors(diags) ? 1 : 0;
}

/** A committed change bumps `epoch` and resets `num_updates`, as the CIB manager does on a replace. */
function bumpEpoch(attrs: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const out = attrs.map(([k, v]): [string, string] => [k, v]);
  const e = out.find(([k]) => k === 'epoch');
  if (e) e[1] = String((Number(e[1]) || 0) + 1);
  else out.push(['epoch', '1']);
  const n = out.find(([k]) => k === 'num_updates');
  if (n) n[1] = '0';
  return out;
}
