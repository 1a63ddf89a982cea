// Splits crm configure text into statements of tokens, each token knowing its physical line.
// Handles `\` continuations, `#` comment lines and shell-style quoting the way crmsh's shlex split does.

/** One word of a statement. `quoted` tells `"inf:"` (a value) from `inf:` (a score). */
export interface Token {
  readonly text: string;
  readonly line: number;
  readonly quoted: boolean;
}

/** One logical statement: its tokens and the line it starts on. */
export interface Statement {
  readonly line: number;
  readonly tokens: readonly Token[];
}

/** A lexing problem (an unterminated quote), reported by the parser with its code. */
export interface LexProblem {
  readonly line: number;
  readonly what: string;
}

/**
 * Cuts `text` into statements. A statement ends at a newline not preceded by `\`;
 * a line whose first non-blank character is `#` is a comment, also inside a continued statement.
 */
export function lex(text: string): { statements: Statement[]; problems: LexProblem[] } {
  const statements: Statement[] = [];
  const problems: LexProblem[] = [];
  const lines = text.split(/\r?\n/);
  let current: Token[] = [];
  let startLine = 0;
  let continuing = false;
  let broken = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i]!;
    if (/^\s*#/.test(raw)) {
      // A comment line neither ends nor continues a statement.
      continue;
    }
    let cont = false;
    if (/\\\s*$/.test(raw)) {
      cont = true;
      raw = raw.replace(/\\\s*$/, '');
    }
    if (!continuing) {
      current = [];
      startLine = lineNo;
      broken = false;
    }
    const { tokens, problem } = splitWords(raw, lineNo);
    // A statement with a lexing problem is reported once and dropped, rather than parsed into follow-on errors.
    if (problem) { problems.push({ line: lineNo, what: problem }); broken = true; }
    current.push(...tokens);
    continuing = cont;
    if (!cont && current.length > 0 && !broken) statements.push({ line: startLine, tokens: current });
    if (!cont) current = [];
  }
  if (continuing && current.length > 0 && !broken) statements.push({ line: startLine, tokens: current });
  return { statements, problems };
}

/** Shell-like word split of one physical line: quotes group, a backslash escapes inside double quotes. */
function splitWords(s: string, line: number): { tokens: Token[]; problem?: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let word = '';
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === '"' || c === "'") {
        quoted = true;
        const close = c;
        i++;
        let closed = false;
        while (i < s.length) {
          const d = s[i]!;
          if (d === close) { closed = true; i++; break; }
          if (d === '\\' && close === '"' && i + 1 < s.length) { word += s[i + 1]; i += 2; continue; }
          word += d;
          i++;
        }
        if (!closed) return { tokens, problem: `unterminated ${close} quote` };
      } else {
        word += c;
        i++;
      }
    }
    tokens.push({ text: word, line, quoted });
  }
  return { tokens };
}

/** Writes a value so that `lex` reads it back unchanged; bare when it is a plain word, as crmsh prints. */
export function quoteValue(v: string): string {
  if (/^[\w.-]+$/.test(v)) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
