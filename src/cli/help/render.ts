// Renders a help page two ways from the same data: plain text for `--help`, roff for the man pages the package
// installs. Markdown from docs/ (the ha.cf, haresources and authkeys references) becomes roff here too.

import type { HelpPage } from './pages.js';

/** `lifeline X --help`: usage, summary, description, options, exit status. */
export function renderHelpText(page: HelpPage, summary: string): string {
  const out: string[] = page.synopsis.map((s, i) => `${i === 0 ? 'usage: ' : '       '}${s}`);
  out.push('', `${summary}`, '');
  for (const p of page.description) out.push(...wrap(p, 78), '');
  if (page.options?.length) {
    out.push('options:');
    const w = Math.min(24, Math.max(...page.options.map(([o]) => o.length)));
    for (const [o, t] of page.options) out.push(o.length > w ? `  ${o}\n  ${' '.repeat(w)}  ${t}` : `  ${o.padEnd(w)}  ${t}`);
    out.push('');
  }
  if (page.exit?.length) {
    out.push('exit status:');
    for (const [c, t] of page.exit) out.push(`  ${c.padEnd(3)} ${t}`);
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Escapes text for roff: backslashes, and a leading dot or quote that roff would take for a request. */
export function roffEscape(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/, '\\&$1');
}

/** The header of a man page. `date` is fixed by the caller (the package version's date) so builds are reproducible. */
export function manHeader(name: string, section: number, date: string, version: string, title: string): string {
  return `.TH ${name.toUpperCase().replace(/-/g, '\\-')} ${section} "${date}" "lifeline ${version}" "${section === 5 ? 'File Formats' : section === 8 ? 'System Administration' : 'User Commands'}"\n`
    + `.SH NAME\n${roffEscape(name)} \\- ${roffEscape(title)}\n`;
}

/** One command page's body in roff (SYNOPSIS .. EXIT STATUS), at the given heading level (.SH or .SS). */
export function manBody(page: HelpPage, summary: string, sub: boolean): string {
  const h = (t: string) => (sub ? `.TP\n.B ${t}\n` : `.SH ${t.toUpperCase()}\n`);
  const out: string[] = [];
  if (sub) out.push(`.SS ${roffEscape(`lifeline ${page.command}`)}\n${roffEscape(summary)}\n`);
  else out.push(h('Synopsis'));
  for (const s of page.synopsis) out.push(`.nf\n.B ${roffEscape(s)}\n.fi\n`);
  if (!sub) out.push(h('Description'));
  for (const p of [...(sub ? [] : [summary]), ...page.description]) out.push(`.PP\n${roffEscape(p)}\n`);
  if (page.options?.length) {
    out.push(sub ? '.PP\nOptions:\n' : h('Options'));
    for (const [o, t] of page.options) out.push(`.TP\n.B ${roffEscape(o)}\n${roffEscape(t)}\n`);
  }
  if (page.exit?.length) {
    out.push(sub ? '.PP\nExit status:\n' : h('Exit status'));
    for (const [c, t] of page.exit) out.push(`.TP\n.B ${c}\n${roffEscape(t)}\n`);
  }
  return out.join('');
}

/** Inline markdown (`code`, **bold**) to roff fonts. */
function inline(s: string): string {
  return roffEscape(s).replace(/`([^`]+)`/g, '\\fB$1\\fR').replace(/\*\*([^*]+)\*\*/g, '\\fB$1\\fR');
}

/** The markdown of docs/ (headings, paragraphs, lists, tables, code blocks) as roff; tables go through tbl. */
export function markdownToRoff(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('```')) {
      out.push('.PP\n.nf\n.RS');
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) out.push(roffEscape(lines[i]!));
      out.push('.RE\n.fi');
    } else if (/^#{1,6} /.test(l)) {
      const level = l.indexOf(' ');
      out.push(`${level <= 3 ? '.SH' : '.SS'} ${inline(l.slice(level + 1)).replace(/"/g, '')}`);
    } else if (l.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
        const cells = lines[i]!.replace(/^\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
        if (!cells.every((c) => /^:?-+:?$/.test(c))) rows.push(cells);
      }
      i--;
      const n = Math.max(...rows.map((r) => r.length));
      out.push('.na\n.TS\nallbox tab(\x01);', `${Array(n).fill('lx').join(' ').replace(/^lx/, 'l')}.`);
      rows.forEach((r, k) => out.push(r.map((c) => `T{\n${k === 0 ? `\\fB${inline(c)}\\fR` : inline(c)}\nT}`).join('\x01')));
      out.push('.TE\n.ad');
    } else if (/^\s*- /.test(l)) {
      out.push(`.IP \\(bu 2\n${inline(l.replace(/^\s*- /, ''))}`);
    } else if (l.trim() === '') {
      out.push('.PP');
    } else out.push(inline(l.trimStart()));
  }
  return out.join('\n').replace(/(\.PP\n)+/g, '.PP\n') + '\n';
}

/** Cuts the sections named by their heading text out of a markdown file: each from its heading to the next of the same or higher level. */
export function markdownSections(md: string, headings: readonly string[]): string {
  const lines = md.split('\n');
  const out: string[] = [];
  for (const want of headings) {
    const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '') === want);
    if (start < 0) throw new Error(`markdown section "${want}" not found`);
    const level = lines[start]!.indexOf(' ');
    let end = start + 1;
    while (end < lines.length && !(/^#{1,6} /.test(lines[end]!) && lines[end]!.indexOf(' ') <= level && !inFence(lines, end))) end++;
    out.push(...lines.slice(start, end));
  }
  return out.join('\n');
}

/** Whether line k lies inside a ``` block (a `# comment` in a code sample is no heading). */
function inFence(lines: readonly string[], k: number): boolean {
  let open = false;
  for (let i = 0; i < k; i++) if (lines[i]!.startsWith('```')) open = !open;
  return open;
}
