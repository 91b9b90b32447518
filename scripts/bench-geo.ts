// Geocoder timings on one core: index load, the fuzzy pools' one-off build, lookup latency over a
// few thousand distinct mixed queries (exact names, variant spellings, misses; each asked once,
// so the lookup memo does not hide the work, then all asked again to show the memo), and
// locate() over random points. Prints a table and a JSON line; writes nothing. A user's
// imported packs are left out (an empty geo dir) so runs compare.
//   node dist/scripts/bench-geo.js [--queries 4000 --points 20000 --seed 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.js';
import { loadBoundaries } from '../src/geo/boundaries.js';
import { loadGazetteer, MIN_SCORE, type GeoContext } from '../src/geo/gazetteer.js';
import { parseRow, type Row } from '../src/geo/rows.js';

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '4000' },
    points: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
  },
});
const nQueries = Number(args.queries);
const nPoints = Number(args.points);
const seed = Number(args.seed);
if (!Number.isInteger(nQueries) || nQueries < 100 || !Number.isInteger(nPoints) || nPoints < 100) throw new Error('--queries and --points must be integers >= 100');

// mulberry32: a seeded generator so every run asks the same queries.
let state = seed >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const config: Config = { ...loadConfig(), geoDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-geo-')) };

// Memory of the loaded index: what loading adds to the heap and to buffers outside it (the
// packed rows and names), after a collection when node runs with --expose-gc.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const mem0 = process.memoryUsage();
let t0 = process.hrtime.bigint();
const gaz = loadGazetteer(config.dataDir, config);
const loadMs = ms(t0);
gc?.();
const mem1 = process.memoryUsage();
const memory = { heapMB: (mem1.heapUsed - mem0.heapUsed) / 1e6, externalMB: (mem1.external - mem0.external) / 1e6, rssMB: (mem1.rss - mem0.rss) / 1e6 };
t0 = process.hrtime.bigint();
gaz.lookup('Qqzzyx Abad', { countries: ['AF'] });
const fuzzyBuildMs = ms(t0);

// Query mix from the packed rows themselves: admin units, towns and Afghan localities.
const rows: Row[] = zlib
  .gunzipSync(fs.readFileSync(path.join(config.dataDir, 'geo', 'places.tsv.gz')))
  .toString('utf8')
  .split('\n')
  .map(parseRow)
  .filter((r) => r.level !== 'c' && /^[\p{Script=Latin}\s'\-]+$/u.test(r.name) && r.name.length >= 4 && (r.level !== 't' || r.pop >= 1000));
const VARIANTS: [RegExp, string][] = [
  [/ou/g, 'u'],
  [/u/g, 'o'],
  [/ee/g, 'i'],
  [/i/g, 'e'],
  [/kh/gi, 'x'],
  [/q/g, 'k'],
  [/j/g, 'dj'],
  [/sh/g, 'ch'],
  [/-/g, ' '],
  [/ /g, '-'],
];
function variant(name: string): string {
  const [re, to] = pick(VARIANTS);
  const v = name.replace(re, to);
  if (v !== name) return v;
  // No pair applies: drop one inner letter, the typo a fuzzy step must forgive.
  const i = 1 + Math.floor(rand() * (name.length - 2));
  return name.slice(0, i) + name.slice(i + 1);
}
function miss(): string {
  const letters = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let s = '';
  for (let i = 0, n = 6 + Math.floor(rand() * 5); i < n; i++) s += i % 2 ? pick([...vowels]) : pick([...letters]);
  return s[0]!.toUpperCase() + s.slice(1) + 'q';
}

type Kind = 'exact' | 'variant' | 'miss';
const queries: { q: string; ctx: GeoContext; kind: Kind }[] = [];
const seen = new Set<string>();
while (queries.length < nQueries) {
  const roll = rand();
  const r = pick(rows);
  const kind: Kind = roll < 0.4 ? 'exact' : roll < 0.8 ? 'variant' : 'miss';
  const q = kind === 'exact' ? r.name : kind === 'variant' ? variant(r.name) : miss();
  // Half the queries come with the report's country, as the extractor asks them.
  const ctx: GeoContext = rand() < 0.5 ? { countries: [kind === 'miss' ? pick(['AF', 'SY', 'NG', 'UA']) : r.iso2] } : {};
  const key = `${q}|${ctx.countries ?? ''}`;
  if (seen.has(key)) continue;
  seen.add(key);
  queries.push({ q, ctx, kind });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const lat: Record<Kind | 'all', number[]> = { exact: [], variant: [], miss: [], all: [] };
const answered: Record<Kind, number> = { exact: 0, variant: 0, miss: 0 };
for (const { q, ctx, kind } of queries) {
  const t = process.hrtime.bigint();
  const c = gaz.lookup(q, ctx);
  const d = ms(t);
  lat[kind].push(d);
  lat.all.push(d);
  if (c.some((x) => x.score >= MIN_SCORE)) answered[kind]++;
}
const repeat: number[] = [];
for (const { q, ctx } of queries) {
  const t = process.hrtime.bigint();
  gaz.lookup(q, ctx);
  repeat.push(ms(t));
}

// locate(): random points, three in four over Afghanistan (the shipped pack), the rest anywhere.
t0 = process.hrtime.bigint();
const bounds = loadBoundaries(config);
bounds.locate(69.18, 34.52);
const boundsLoadMs = ms(t0);
const locLat: number[] = [];
let inside = 0;
for (let i = 0; i < nPoints; i++) {
  const [lon, lat2] = rand() < 0.75 ? [60.5 + rand() * 14.5, 29.4 + rand() * 9.1] : [-180 + rand() * 360, -60 + rand() * 135];
  const t = process.hrtime.bigint();
  if (bounds.locate(lon, lat2)?.admin2) inside++;
  locLat.push(ms(t));
}

// Afghan queries (names and variants) with and without an imported pack for Afghanistan (the shipped file, copied into a
// user geo dir): what the precedence of imported units costs per lookup, after its one-off load.
const afRows = rows.filter((r) => r.iso2 === 'AF');
const afQueries: { q: string; ctx: GeoContext }[] = [];
const afSeen = new Set<string>();
while (afQueries.length < 1000) {
  const r = pick(afRows);
  const q = rand() < 0.5 ? r.name : variant(r.name);
  if (!afSeen.has(q)) afSeen.add(q), afQueries.push({ q, ctx: { countries: ['AF'] } });
}
const importedConfig: Config = { ...config, geoDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-geo-')) };
fs.copyFileSync(path.join(config.dataDir, 'geo', 'boundaries', 'AFG.topo.json'), path.join(importedConfig.geoDir, 'AFG.topo.json'));
const timeAf = (g: typeof gaz): number[] =>
  afQueries.map(({ q, ctx }) => {
    const t = process.hrtime.bigint();
    g.lookup(q, ctx);
    return ms(t);
  });
const gazFresh = loadGazetteer(config.dataDir, config);
gazFresh.lookup('Qqzzyx Abad', { countries: ['AF'] });
const afShipped = timeAf(gazFresh);
const gazImported = loadGazetteer(config.dataDir, importedConfig);
t0 = process.hrtime.bigint();
gazImported.lookup('Kabul', { countries: ['AF'] });
const importedFirstMs = ms(t0);
gazImported.lookup('Qqzzyx Abad', { countries: ['AF'] });
const afImported = timeAf(gazImported);

const packBytes = fs.readdirSync(path.join(config.dataDir, 'geo', 'boundaries')).reduce((n, f) => n + fs.statSync(path.join(config.dataDir, 'geo', 'boundaries', f)).size, 0);
const table: [string, number, number, number][] = [
  ...(['exact', 'variant', 'miss', 'all'] as const).map((k): [string, number, number, number] => [`lookup ${k}`, lat[k].length, pct(lat[k], 50), pct(lat[k], 99)]),
  ['lookup repeated (memo)', repeat.length, pct(repeat, 50), pct(repeat, 99)],
  ['locate()', locLat.length, pct(locLat, 50), pct(locLat, 99)],
  ['AF lookup, shipped', afShipped.length, pct(afShipped, 50), pct(afShipped, 99)],
  ['AF lookup, imported pack', afImported.length, pct(afImported, 50), pct(afImported, 99)],
];
console.log(`geocoder bench, seed ${seed}, node ${process.version}, one core`);
console.log(`index load ${loadMs.toFixed(0)} ms; fuzzy pools built once ${fuzzyBuildMs.toFixed(0)} ms; boundaries load ${boundsLoadMs.toFixed(0)} ms (${(packBytes / 1e3).toFixed(0)} KB shipped)`);
console.log(`index memory: heap +${memory.heapMB.toFixed(0)} MB, buffers +${memory.externalMB.toFixed(0)} MB, rss +${memory.rssMB.toFixed(0)} MB${gc ? '' : ' (run node --expose-gc for exact figures)'}`);
console.log(`${''.padEnd(24)}${'n'.padStart(7)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`);
for (const [name, n, p50, p99] of table) console.log(`${name.padEnd(24)}${String(n).padStart(7)}${p50.toFixed(4).padStart(10)}${p99.toFixed(4).padStart(10)}`);
console.log(`imported pack: first lookup (loads the pack, builds its name table) ${importedFirstMs.toFixed(0)} ms`);
console.log(`answered (score >= ${MIN_SCORE}): exact ${answered.exact}/${lat.exact.length}, variant ${answered.variant}/${lat.variant.length}, miss ${answered.miss}/${lat.miss.length}; points in a district: ${inside}/${nPoints}`);
console.log(
  JSON.stringify({
    bench: 'geo',
    seed,
    node: process.version,
    indexLoadMs: loadMs,
    indexMemoryMB: memory,
    fuzzyBuildMs,
    boundariesLoadMs: boundsLoadMs,
    boundariesBytes: packBytes,
    lookup: Object.fromEntries((['exact', 'variant', 'miss', 'all'] as const).map((k) => [k, { n: lat[k].length, p50Ms: pct(lat[k], 50), p99Ms: pct(lat[k], 99) }])),
    lookupRepeated: { n: repeat.length, p50Ms: pct(repeat, 50), p99Ms: pct(repeat, 99) },
    locate: { n: locLat.length, p50Ms: pct(locLat, 50), p99Ms: pct(locLat, 99), inDistrict: inside },
    afLookupShipped: { n: afShipped.length, p50Ms: pct(afShipped, 50), p99Ms: pct(afShipped, 99) },
    afLookupImported: { n: afImported.length, p50Ms: pct(afImported, 50), p99Ms: pct(afImported, 99), firstLookupMs: importedFirstMs },
    answered,
  }),
);
for (const d of [config.geoDir, importedConfig.geoDir]) fs.rmSync(d, { recursive: true, force: true });
