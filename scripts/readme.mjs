// Keeps the README's reference sections equal to docs/*.md, their single source: between the lines
// `<!-- BEGIN docs/X.md -->` and `<!-- END docs/X.md -->` the README holds a verbatim copy of that file.
// `node scripts/readme.mjs` rewrites README.md; `--check` exits 1 and names the stale sections instead.
import { readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const readme = readFileSync('README.md', 'utf8');
const stale = [];
const updated = readme.replace(/(<!-- BEGIN (docs\/[\w.-]+\.md) -->\n)([\s\S]*?)(<!-- END \2 -->)/g, (_all, begin, file, body, end) => {
  const want = readFileSync(file, 'utf8').replace(/\n*$/, '\n');
  if (want !== body) stale.push(file);
  return begin + want + end;
});
if (check) {
  if (stale.length) {
    console.error(`README.md is out of date for ${stale.join(', ')}: run node scripts/readme.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync('README.md', updated);
}
