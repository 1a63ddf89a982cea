// `crm configure ...` on the running cluster (or CIB_file): show, verify, load, edit ($EDITOR), delete, one-shot
// statements and a session read from stdin (statements, verify, show, commit); every commit verified and epoch-checked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../errors.js';
import { hasErrors, loadCrmText, obscurePasswords, renderCrm, serialize, configurationElement, type AgentCatalog, type CrmConfig, type LoadMode } from '../crm/lang/index.js';
import { commitConfig, deleteObjects, readLive, verifyProposed, type LiveConfig } from '../crm/client/configure.js';
import type { CibTarget } from '../crm/client/cib-client.js';
import type { ActionIo } from '../crm/client/actions.js';

const STATEMENTS = new Set(['primitive', 'group', 'clone', 'location', 'colocation', 'collocation', 'order', 'property', 'rsc_defaults', 'op_defaults', 'node']);
const IO: ActionIo = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

/** One statement from argv: `key=value with spaces` quoted again, as the shell took the quotes away. */
function statementOf(argv: readonly string[]): string {
  return argv.map((a) => {
    if (!/\s/.test(a)) return a;
    const eq = a.indexOf('=');
    return eq > 0 ? `${a.slice(0, eq + 1)}"${a.slice(eq + 1).replace(/"/g, '\\"')}"` : `"${a.replace(/"/g, '\\"')}"`;
  }).join(' ');
}

async function base(target: CibTarget): Promise<LiveConfig | number> {
  const b = await readLive(target);
  if ('rc' in b) { IO.err(`ERROR: cannot read the CIB: ${b.error}`); return b.rc; }
  for (const d of b.parsed.diagnostics) IO.err(formatDiagnostic(d));
  return b;
}

/** Runs `crm configure VERB ARGS` live; `catalog` checks agent parameters. */
export async function liveConfigure(target: CibTarget, verb: string | undefined, rest: readonly string[], catalog: AgentCatalog | undefined, noObscure: boolean): Promise<number> {
  if (verb !== undefined && !STATEMENTS.has(verb) && !['show', 'verify', 'commit', 'load', 'edit', 'delete'].includes(verb)) {
    IO.err(`ERROR: configure: unknown command "${verb}"`);
    return 2;
  }
  const b = await base(target);
  if (typeof b === 'number') return b;
  const show = (c: CrmConfig, xml: boolean) => process.stdout.write(xml ? serialize(configurationElement(c), '') : renderCrm(c, noObscure ? {} : { obscure: obscurePasswords }));
  const update = (text: string, file: string, mode: LoadMode = 'update') => loadCrmText(b.parsed.config, text, { file, mode, baseFile: b.name });
  switch (verb) {
    case undefined: return session(target, b, catalog, noObscure);
    case 'show': show(b.parsed.config, rest[0] === 'xml'); return 0;
    case 'verify': {
      let config = b.parsed.config;
      const diags: Diagnostic[] = [];
      if (rest[0]) { const r = update(readFileSync(rest[0], 'utf8'), rest[0]); config = r.config; diags.push(...r.diagnostics); }
      diags.push(...verifyProposed(config, rest[0] ?? b.name, catalog));
      for (const d of diags) IO.err(formatDiagnostic(d));
      return hasErrors(diags) ? 1 : 0;
    }
    case 'commit': IO.out('INFO: nothing to commit (statements on the command line commit at once; `crm configure` reads a session from stdin)'); return 0;
    case 'load': {
      const mode: LoadMode = rest[0] === 'replace' ? 'replace' : 'update';
      const file = rest[0] === 'update' || rest[0] === 'replace' ? rest[1] : rest[0];
      if (!file) { IO.err('usage: crm configure load update|replace FILE'); return 2; }
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
      const r = update(text, file === '-' ? '<stdin>' : file, mode);
      return commitConfig(IO, target, b, r.config, r.diagnostics, file, catalog);
    }
    case 'edit': {
      const dir = mkdtempSync(join(tmpdir(), 'crm-edit-'));
      try {
        const file = join(dir, 'cib.crm');
        writeFileSync(file, renderCrm(b.parsed.config, {}));
        const editor = process.env.EDITOR || process.env.VISUAL || 'vi';
        const ed = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
        if (ed.status !== 0) { IO.err(`ERROR: ${editor} exited with ${ed.status ?? ed.signal}: nothing committed`); return 1; }
        const r = update(readFileSync(file, 'utf8'), file, 'replace');
        return commitConfig(IO, target, b, r.config, r.diagnostics, file, catalog);
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }
    case 'delete': {
      const d = deleteObjects(b.parsed.config, rest);
      if (d.missing.length) { IO.err(`ERROR: object ${d.missing.join(', ')} does not exist`); return 1; }
      return commitConfig(IO, target, b, d.config, [], 'crm configure delete', catalog);
    }
    default:
      if (!STATEMENTS.has(verb)) { IO.err(`ERROR: configure: unknown command "${verb}"`); return 2; }
      {
        const r = update(statementOf([verb, ...rest]), '<command line>');
        return commitConfig(IO, target, b, r.config, r.diagnostics, '<command line>', catalog);
      }
  }
}

/**
 * A configure session from stdin: statement lines are staged (continuations with `\`), `verify` and `show` look at the
 * staged configuration, `commit` commits it (line numbers in errors are stdin's), `end`/`quit` stops.
 */
async function session(target: CibTarget, b0: LiveConfig, catalog: AgentCatalog | undefined, noObscure: boolean): Promise<number> {
  const lines = readFileSync(0, 'utf8').split('\n');
  let b = b0;
  const staged = lines.map(() => '');
  let pending = false;
  let rc = 0;
  const stagedConfig = () => loadCrmText(b.parsed.config, staged.join('\n'), { file: '<stdin>', mode: 'update', baseFile: b.name });
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!}`;
    const words = text.trim().split(/\s+/);
    const cmd = words[0] ?? '';
    if (cmd === '' || cmd.startsWith('#')) continue;
    if (STATEMENTS.has(cmd)) { for (let k = start; k <= i; k++) staged[k] = lines[k]!; pending = true; continue; }
    if (cmd === 'verify') {
      const r = stagedConfig();
      const diags = [...r.diagnostics, ...verifyProposed(r.config, '<stdin>', catalog)];
      for (const d of diags) IO.err(formatDiagnostic(d));
      if (hasErrors(diags)) rc = 1;
    } else if (cmd === 'show') {
      const r = stagedConfig();
      process.stdout.write(words[1] === 'xml' ? serialize(configurationElement(r.config), '') : renderCrm(r.config, noObscure ? {} : { obscure: obscurePasswords }));
    } else if (cmd === 'commit') {
      if (!pending) { IO.out('INFO: nothing to commit'); continue; }
      const r = stagedConfig();
      const c = await commitConfig(IO, target, b, r.config, r.diagnostics, '<stdin>', catalog);
      if (c !== 0) return c;
      const nb = await base(target);
      if (typeof nb === 'number') return nb;
      b = nb;
      staged.fill('');
      pending = false;
    } else if (['end', 'quit', 'exit', 'up', 'bye'].includes(cmd)) break;
    else { IO.err(`<stdin>:${start + 1}: ERROR: unknown command "${cmd}"`); rc = 1; }
  }
  if (pending) { IO.err('WARNING: the session ended with changes that were not committed (say "commit")'); rc = rc || 1; }
  return rc;
}
