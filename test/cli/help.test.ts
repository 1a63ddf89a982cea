// Every command has one help page: `--help` prints it, `lifeline help CMD` too, and no command is left without one
// (a new command file without a page fails here, so the man pages can never miss a command).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PAGES, helpPage } from '../../src/cli/help/pages.js';
import { markdownToRoff, markdownSections, renderHelpText } from '../../src/cli/help/render.js';
import { repoRoot } from '../../src/harness/daemon.js';

const root = repoRoot();
const lifeline = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'lifeline.js'), ...args], { encoding: 'utf8' });

test('every command file has a help page and every page a command file', () => {
  const commands = readdirSync(join(root, 'src', 'cli', 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '').replace(/-/g, ' '));
  assert.deepEqual(commands.filter((c) => !helpPage(c)), [], 'commands without a help page');
  assert.deepEqual(PAGES.map((p) => p.command.replace(/-/g, ' ')).filter((c) => !commands.includes(c)), [], 'pages without a command');
});

test('lifeline CMD --help and lifeline help CMD print the page, exit 0', () => {
  const a = lifeline('keygen', '--help');
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /^usage: lifeline keygen /);
  assert.match(a.stdout, /--force +replace an existing file/);
  assert.match(a.stdout, /exit status:\n {2}0 {3}written/);
  const b = lifeline('help', 'keygen');
  assert.equal(b.stdout, a.stdout);
  const c = lifeline('crm', 'configure', '--help');
  assert.match(c.stdout, /^usage: lifeline crm configure verify/);
});

test('the help text is the page: options and exit codes come out in order', () => {
  const page = helpPage('status')!;
  const text = renderHelpText(page, 'SUMMARY');
  assert.equal(text.split('\n')[0], `usage: ${page.synopsis[0]}`);
  assert.ok(text.indexOf('--json') < text.indexOf('--run-dir'));
});

test('docs markdown becomes roff: headings, tables through tbl, code kept literal, a # inside a code block is no heading', () => {
  const md = '#### haresources\n\n```\n# comment\nnode1 10.0.0.5\n```\n\n- one `group` per line\n\n| A | B |\n|---|---|\n| `x` | y\\|z |\n\n#### authkeys\n\nnext';
  const cut = markdownSections(md, ['haresources']);
  assert.ok(!cut.includes('authkeys') && cut.includes('# comment'));
  const roff = markdownToRoff(cut);
  assert.match(roff, /^\.SS haresources$/m);
  assert.match(roff, /^# comment$/m);
  assert.match(roff, /^\.IP \\\(bu 2\none \\fBgroup\\fR per line$/m);
  assert.match(roff, /^\.TS\n/m);
  assert.match(roff, /y\|z/);
});
