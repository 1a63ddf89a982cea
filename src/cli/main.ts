// `lifeline SUBCOMMAND ...`: finds the module of the subcommand and runs it; nothing else lives here.
// A subcommand is a file in ./commands/ named after it (`crm simulate` → crm-simulate.ts) exporting `run` and `summary`.

import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { formatDiagnostic, LifelineError } from '../errors.js';

/** What every command module exports. `run` returns the process exit code. */
export interface CommandModule {
  readonly summary: string;
  run(argv: readonly string[]): Promise<number>;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Lists the available subcommands with their one-line summaries, for `lifeline help`. */
async function listCommands(): Promise<Array<[string, string]>> {
  const files = (await readdir(commandsDir)).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.map'));
  const out: Array<[string, string]> = [];
  for (const f of files.sort()) {
    const mod = (await import(join(commandsDir, f))) as CommandModule;
    out.push([f.replace(/\.(js|ts)$/, '').replace(/-/g, ' '), mod.summary]);
  }
  return out;
}

/** Loads `commands/<a>-<b>` for `lifeline a b ...`, else `commands/<a>`; returns the module and the remaining arguments. */
async function resolve(argv: readonly string[]): Promise<{ mod: CommandModule; rest: readonly string[] } | undefined> {
  const candidates: Array<[string, number]> = [];
  if (argv.length >= 2) candidates.push([`${argv[0]}-${argv[1]}`, 2]);
  if (argv.length >= 1) candidates.push([argv[0]!, 1]);
  for (const [name, used] of candidates) {
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) continue;
    for (const ext of ['js', 'ts']) {
      try {
        const mod = (await import(join(commandsDir, `${name}.${ext}`))) as CommandModule;
        return { mod, rest: argv.slice(used) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
      }
    }
  }
  return undefined;
}

export async function main(argv: readonly string[]): Promise<number> {
  // `lifeline help CMD` and `lifeline CMD --help` print the command's page from help/pages.ts (also its man page).
  if (argv[0] === 'help' && argv.length > 1) return main([...argv.slice(1), '--help']);
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('usage: lifeline COMMAND [ARGS...]\n\ncommands:\n');
    for (const [name, summary] of await listCommands()) process.stdout.write(`  ${name.padEnd(22)} ${summary}\n`);
    return 0;
  }
  const found = await resolve(argv);
  if (!found) {
    process.stderr.write(`lifeline: unknown command "${argv.join(' ')}"; run "lifeline help"\n`);
    return 2;
  }
  const command = argv.slice(0, argv.length - found.rest.length).join(' ');
  // The help pages are loaded only for --help: the daemon process never needs them.
  if (found.rest.some((a) => a === '--help' || a === '-h')) {
    const page = (await import('./help/pages.js')).helpPage(command);
    if (page) {
      process.stdout.write((await import('./help/render.js')).renderHelpText(page, found.mod.summary));
      return 0;
    }
  }
  try {
    return await found.mod.run(found.rest);
  } catch (e) {
    if (e instanceof LifelineError) {
      for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      return 1;
    }
    throw e;
  }
}
