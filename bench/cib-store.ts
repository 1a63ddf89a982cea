// CIB store benchmark: a generated CIB of 1,000 resources on 32 nodes (13 MB with status); time per status
// update and per configuration commit on the DC, update size, replica apply, state-dir write and load.
// Run: npx tsc -p tsconfig.json && node dist/bench/cib-store.js   (figures printed, nothing asserted)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateCib } from '../src/crm/cib-random.js';
import { parseXml } from '../src/crm/xml-lite.js';
import { performChange, applyPatch, digestOf, crmVerifier, writeCibFiles, loadCibFiles, type CibUpdate } from '../src/crm/cib-store/index.js';

const text = generateCib(7, { nodes: 32, resources: 1000 });
const parsed = parseXml(text);
if (!parsed.ok) throw new Error(parsed.reason);
let cib = parsed.root;
const ms = (f: () => void, n: number) => { const a = performance.now(); for (let i = 0; i < n; i++) f(); return (performance.now() - a) / n; };
const row = (what: string, v: number, unit = 'ms') => console.log(`${what.padEnd(52)} ${v.toFixed(2).padStart(10)} ${unit}`);

console.log(`CIB: 1000 resources, 32 nodes, ${(text.length / 1e6).toFixed(1)} MB of XML`);
row('first tree hash (load or full sync, once)', ms(() => digestOf(cib), 1));
let i = 0;
let last: CibUpdate | undefined;
row('status update on the DC (modify node_state)', ms(() => {
  const r = performChange(cib, { req: { cmd: 'cib_modify', section: 'status', xml: `<node_state id="${1 + (i % 32)}" crmd="c${i++}"/>` } }, { origin: 'n1' });
  cib = r.cib; last = r.update;
}, 200));
row('update message size (JSON)', JSON.stringify(last).length, 'bytes');
const before = cib;
const upd = performChange(cib, { req: { cmd: 'cib_modify', section: 'status', xml: '<node_state id="5" crmd="x"/>' } }, { origin: 'n1' }).update!;
row('replica applies one update and checks its hash', ms(() => { const r = applyPatch(before, upd.patch); if (typeof r === 'string' || digestOf(r) !== upd.toDigest) throw new Error('apply'); }, 200));
const validate = crmVerifier();
row('configuration commit on the DC, with crm verify', ms(() => {
  cib = performChange(cib, { req: { cmd: 'cib_modify', section: 'crm_config', xml: `<cluster_property_set id="cib-bootstrap-options"><nvpair id="b-name" name="cluster-name" value="v${i++}"/></cluster_property_set>` } }, { origin: 'n1', validate }).cib;
}, 5));
const dir = mkdtempSync(join(tmpdir(), 'll-cib-bench-'));
try {
  let a = performance.now();
  for (let k = 0; k < 5; k++) await writeCibFiles(dir, cib);
  row('state-dir write (backup, temp, fsync, rename)', (performance.now() - a) / 5);
  a = performance.now();
  await loadCibFiles(dir);
  row('state-dir load and digest check', performance.now() - a);
} finally { rmSync(dir, { recursive: true, force: true }); }
