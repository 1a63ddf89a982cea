// Builds every man page the package installs from the help pages (commands and bins) and from the docs' reference
// sections (the three /etc/ha.d files): pure, so the package build and the tests render the same text.

import { BINS, PAGES, helpPage, type BinPage } from './pages.js';
import { manBody, manHeader, markdownSections, markdownToRoff, roffEscape } from './render.js';

export interface ManPage {
  /** Path below /usr/share/man, e.g. man8/lifeline.8 (gzip is the package's business). */
  readonly path: string;
  readonly text: string;
}

export interface ManInputs {
  readonly version: string;
  /** The date printed in the page footer (YYYY-MM-DD), from the release, so two builds give the same bytes. */
  readonly date: string;
  /** One-line summaries by command, from the command modules (`lifeline help` shows the same). */
  readonly summaries: ReadonlyMap<string, string>;
  /** docs/config.md, the reference of ha.cf, haresources and authkeys. */
  readonly configDoc: string;
  /** The bins to write pages for (the package's, from bin/); default the lifeline/heartbeat ones of BINS. */
  readonly bins?: readonly BinPage[];
}

/** The /etc/ha.d file pages: which sections of docs/config.md make each. */
const FILE_PAGES: ReadonlyArray<{ name: string; title: string; sections: readonly string[] }> = [
  { name: 'ha.cf', title: 'Lifeline and heartbeat cluster configuration', sections: ['ha.cf syntax', 'Times', 'ha.cf directives'] },
  { name: 'haresources', title: 'resource groups of a heartbeat-style cluster', sections: ['haresources'] },
  { name: 'authkeys', title: 'the key that signs cluster messages', sections: ['authkeys'] },
];

const SEE_ALSO = '.SH SEE ALSO\n\\fBlifeline\\fR(8), \\fBha.cf\\fR(5), \\fBharesources\\fR(5), \\fBauthkeys\\fR(5), \\fBcl_status\\fR(1), '
  + '\\fBhb_standby\\fR(8), \\fBhb_takeover\\fR(8), /usr/share/doc/lifeline/\n';

/** tbl must run on pages with tables: the first line says so to man. */
function withPreprocessor(text: string): string {
  return text.includes('\n.TS\n') ? `'\\" t\n${text}` : text;
}

export function manPages(inp: ManInputs): ManPage[] {
  const summary = (c: string) => inp.summaries.get(c) ?? inp.summaries.get(c.replace(/-/g, ' ')) ?? '';
  const out: ManPage[] = [];
  for (const b of inp.bins ?? BINS) {
    if (b.command === undefined) {
      const subs = [...PAGES].sort((a, z) => a.command.localeCompare(z.command));
      out.push({
        path: `man${b.section}/${b.bin}.${b.section}`,
        text: manHeader(b.bin, b.section, inp.date, inp.version, 'high-availability cluster manager, successor of heartbeat')
          + '.SH SYNOPSIS\n.B lifeline\n.I COMMAND\n[\\fIARGS\\fR...]\n.br\n.B lifeline help\n[\\fICOMMAND\\fR]\n'
          + '.SH DESCRIPTION\nLifeline reads heartbeat\'s /etc/ha.d files (\\fBha.cf\\fR(5), \\fBharesources\\fR(5), \\fBauthkeys\\fR(5)), '
          + 'speaks heartbeat 3.0.6\'s wire protocol and moves resource groups to a surviving node when one fails. '
          + 'The service runs as \\fBlifeline.service\\fR (also known to systemd as heartbeat.service). '
          + 'Every command prints the text of its section below with \\fB\\-\\-help\\fR.\n'
          + '.SH COMMANDS\n' + subs.map((p) => manBody(p, summary(p.command), true)).join('')
          + '.SH FILES\n.TP\n.B /etc/ha.d/ha.cf, /etc/ha.d/haresources, /etc/ha.d/authkeys\nthe configuration\n'
          + '.TP\n.B /etc/ha.d/resource.d/\nresource scripts run by haresources groups\n'
          + '.TP\n.B /var/run/heartbeat/\npid file and control socket of the daemon\n'
          + '.TP\n.B /var/lib/heartbeat/\npersistent state (node uuid, generation)\n'
          + SEE_ALSO,
      });
    } else {
      const page = helpPage(b.command)!;
      out.push({
        path: `man${b.section}/${b.bin}.${b.section}`,
        text: manHeader(b.bin, b.section, inp.date, inp.version, summary(b.command).replace(/^[a-z_]+: /, '')) + manBody(page, summary(b.command), false) + SEE_ALSO,
      });
    }
  }
  for (const f of FILE_PAGES) {
    const body = markdownToRoff(markdownSections(inp.configDoc, f.sections))
      // The docs' headings are the page's sections; the page's own name heading would repeat NAME.
      .replace(new RegExp(`^\\.S[HS] ${roffEscape(f.name).replace(/\./g, '\\.')}\\n`, 'm'), '');
    out.push({ path: `man5/${f.name}.5`, text: withPreprocessor(manHeader(f.name, 5, inp.date, inp.version, f.title) + '.SH DESCRIPTION\n' + body + SEE_ALSO) });
  }
  return out;
}
