// Child process of the kill -9 test: writes CIBs of epoch argv[3]+1, +2, ... to the state dir argv[2] in a loop
// and prints "wrote EPOCH" after each write returns, until it is killed.
import { writeCibFiles, emptyCib } from '../../../src/crm/cib-store/index.js';
import { el, withAttrs, withKids } from '../../../src/crm/cib-store/tree.js';

const dir = process.argv[2]!;
const start = Number(process.argv[3] ?? 0);
const base = emptyCib();
// A few hundred primitives, so a write takes long enough to be killed in the middle of it.
const rscs = Array.from({ length: 300 }, (_, i) => el('primitive', ['id', `r${i}`, 'class', 'ocf', 'provider', 'pacemaker', 'type', 'Dummy'], [
  el('instance_attributes', ['id', `r${i}-params`], [el('nvpair', ['id', `r${i}-state`, 'name', 'state', 'value', `/run/r${i}.state`])]),
]));
const config = withKids(base.kids[0]!, [el('crm_config'), el('nodes'), el('resources', [], rscs), el('constraints')]);
for (let n = 1; ; n++) {
  const cib = withKids(withAttrs(base, { epoch: String(start + n) }), [config, el('status')]);
  await writeCibFiles(dir, cib, { maxBackups: 5 });
  process.stdout.write(`wrote ${start + n}\n`);
}
