// npm run eval:geo — place-lookup accuracy on test/fixtures/geo/places.tsv (see src/geo/evalset.ts).
import path from 'node:path';
import { loadConfig, ROOT } from '../src/config.js';
import { loadGazetteer } from '../src/geo/gazetteer.js';
import { evalGeo, readGeoCases, type Tally } from '../src/geo/evalset.js';
import { loadQueryWords } from '../src/geo/query.js';

const config = loadConfig();
// The index lives mostly in buffers (external memory), its parsed parts in the heap: count both.
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const heap0 = used();
const t0 = performance.now();
const gaz = loadGazetteer(config.dataDir, config);
const loadMs = performance.now() - t0;
const memMb = (used() - heap0) / 1e6;
// The fuzzy index is built on the first spelling that needs it, once per process: time it apart.
const t1 = performance.now();
gaz.lookup('Qqzzyx Abad', { countries: ['AF'] });
const fuzzyMs = performance.now() - t1;
const cases = readGeoCases(path.join(ROOT, 'test', 'fixtures', 'geo', 'places.tsv'));
const r = evalGeo(gaz, cases, loadQueryWords(config));
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const line = (name: string, t: Tally) =>
  `${name.padEnd(12)} n=${t.n}  country ${pct(t.country, t.n)}  admin1 ${pct(t.admin1, t.n)}  admin2 ${pct(t.admin2, t.admin2N)} (of ${t.admin2N})`;
for (const m of r.misses) console.log(`MISS ${m}`);
for (const w of r.traps.wrong) console.log(`TRAP ANSWERED ${w}`);
console.log(line('Afghanistan', r.afghanistan));
console.log(line('elsewhere', r.elsewhere));
console.log(`traps        n=${r.traps.n}  no match ${pct(r.traps.unanswered, r.traps.n)}`);
console.log('by country:');
for (const [iso2, t] of [...r.byCountry].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) console.log(`  ${line(iso2, t)}`);
console.log(`index memory after load ${memMb.toFixed(0)} MB (heap + buffers); load ${loadMs.toFixed(0)} ms, fuzzy index ${fuzzyMs.toFixed(0)} ms once, then lookup ${r.msPerQuery.toFixed(2)} ms/query (${cases.length} distinct queries, none repeated)`);
