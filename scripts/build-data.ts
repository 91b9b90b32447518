// Packs ../shared/data (GeoNames world files + Afghanistan reference geography) into the compact
// index under data/geo that is committed, so a fresh clone geocodes without ../shared.
// Output: places.tsv.gz (one row per place), names.tsv.gz (folded name → place rows),
// blocks.bin (each country's spellings by loose key) and meta.json (src/geo/packed.ts).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Flatbush from 'flatbush';
import { loadConfig, ROOT } from '../src/config.js';
import { readRuleFile } from '../src/core/rulefiles.js';
import { foldName, FOLD_VERSION, unitWordsPattern } from '../src/geo/fold.js';
import { blocksData, indexName, keepAlt, namesText } from '../src/geo/packed.js';
import { rowLine, type Row } from '../src/geo/rows.js';
import { buildBoundaries } from './build-boundaries.js';

const SHARED = process.env.SITREP_SHARED ?? path.join(ROOT, '..', 'shared', 'data');
const OUT = path.join(ROOT, 'data', 'geo');
const WORLD = path.join(SHARED, 'world');
const AFG = path.join(SHARED, 'afghanistan');

const t0 = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

if (!fs.existsSync(WORLD) || !fs.existsSync(AFG)) {
  console.error(`build-data: shared data not found at ${SHARED} (set SITREP_SHARED)`);
  process.exit(1);
}

const rows: Row[] = [];
// folded key → refs ("12" primary name, "12a" alternate name)
const names = new Map<string, Set<string>>();
// country → "loose<TAB>key" → rows: the per-country blocks of spellings
const spellings = new Map<string, Map<string, Set<string>>>();

const addName = (name: string, row: number, alt: boolean): void => indexName(names, spellings, rows[row], row, name, alt);

// Every row padded to `width` columns so callers index without undefined checks.
function readTsv(file: string, width: number): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const f = l.split('\t');
      while (f.length < width) f.push('');
      return f;
    });
}

// Minimal RFC 4180 CSV reader: the Afghanistan tables quote fields that contain commas.
function readCsv<T>(file: string): T[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  const recs: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rec.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field), recs.push(rec), (rec = []), (field = '');
    } else field += c;
  }
  if (field || rec.length) rec.push(field), recs.push(rec);
  const [head = [], ...body] = recs;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])) as T);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
// Generic words in admin names, stripped to index the bare name too ("Kramatorskyi Raion" → "Kramatorskyi").
// "Province of Negros Oriental", "City of Dumaguete": the Philippines write the word first, in English.
const ADMIN_PREFIX = /^(province|région|region|département|departement|préfecture|prefecture|municipio|muḩāfaz̧at|muhafazat|kabupaten|kota|wilayat|provincia|city|municipality)\s+(du |de la |de l'|de l’|des |de |d'|d’|del |di |of the |of )?/iu;
const ADMIN_WORDS =
  /\s*\b(raion|rayon|district|province|provincia|county|municipality|municipio|department|departamento|region|governorate|oblast|state|prefecture|territory|division|zone|woreda|city|muhafazat|mintaqat|wilayat|wilayah|estado|etat|région|département|provinsi|kabupaten|kota|local government area|lga)\b\s*/giu;

// The unit words events leave out ("Departamento de Punilla" is written "Punilla"): the bare name is indexed too.
const UNIT_WORDS = unitWordsPattern(readRuleFile(loadConfig(), 'geo/unit_words.tsv').map((r) => r.cols[0] ?? ''));

function bareNames(name: string, ascii: string): Set<string> {
  const bare = name.replace(ADMIN_PREFIX, '').replace(ADMIN_WORDS, ' ').trim();
  return new Set([name, ascii, bare, name.replace(UNIT_WORDS, ''), ascii.replace(UNIT_WORDS, '')].filter(Boolean));
}

// ---- countries
const countries: { iso2: string; iso3: string; iso: number | null; name: string; capital: string; population: number; neighbours: string[] }[] = [];
for (const c of readTsv(path.join(WORLD, 'countryInfo.txt'), 19)) {
  const [iso2 = '', iso3 = '', isoNum = '', , name = '', cap = '', , pop = ''] = c;
  const neighbours = (c[17] ?? '').split(',').filter(Boolean);
  countries.push({ iso2, iso3, iso: isoNum ? Number(isoNum) : null, name, capital: cap, population: Number(pop) || 0, neighbours });
}
log(`countries: ${countries.length}`);

// ---- Afghanistan units (P-codes replace GeoNames' AF admin codes)
interface AfAdm1 { adm1_pcode: string; adm1_en: string; label_lat: string; label_lon: string }
interface AfAdm2 extends AfAdm1 { adm2_pcode: string; adm2_en: string; geonames_admin2: string }
interface AfAlias { level: string; pcode: string; name: string }
interface AfPlace { geonameid: string; name: string; alt_names: string; lat: string; lon: string; feature_code: string; population: string; adm1_pcode: string; adm2_pcode: string }
interface AfLocality { location_en: string; location_da: string; location_ps: string; adm2_pcode: string }
const afAdm1 = readCsv<AfAdm1>(path.join(AFG, 'afg_adm1.csv'));
const afAdm2 = readCsv<AfAdm2>(path.join(AFG, 'afg_adm2.csv'));
const gnAf2ToPcode = new Map<string, string>();
const gnAf1ToPcode = new Map<string, string>();
for (const d of afAdm2)
  for (const g of d.geonames_admin2.split(/[;|]/).filter(Boolean)) {
    gnAf2ToPcode.set(g, d.adm2_pcode);
    gnAf1ToPcode.set(g.split('.').slice(0, 2).join('.'), d.adm1_pcode);
  }

// ---- read cities500 once: seats give admin coordinates
log('reading cities500.txt …');
const cityLines = fs.readFileSync(path.join(WORLD, 'cities500.txt'), 'utf8').split('\n').filter(Boolean);
// The 19 cities500 columns, padded so every field is a string.
const fields = (l: string): string[] => {
  const f = l.split('\t');
  while (f.length < 19) f.push('');
  return f;
};
log(`cities500: ${cityLines.length} rows`);
const seat1 = new Map<string, [number, number]>();
const seat2 = new Map<string, [number, number]>();
const capital = new Map<string, [number, number]>();
for (const l of cityLines) {
  const [, , , , lat = '', lon = '', , fcode = '', cc = '', , c1 = '', c2 = ''] = fields(l);
  const ll: [number, number] = [Number(lat), Number(lon)];
  if (fcode === 'PPLC') capital.set(cc, ll);
  if (fcode === 'PPLA' && !seat1.has(`${cc}.${c1}`)) seat1.set(`${cc}.${c1}`, ll);
  if (fcode === 'PPLA2' && !seat2.has(`${cc}.${c1}.${c2}`)) seat2.set(`${cc}.${c1}.${c2}`, ll);
}

const rowOf = new Map<string, number>(); // "c:AF", "1:UA.05", "2:AF0907"
function push(r: Row, key: string | null): number {
  rows.push(r);
  if (key) rowOf.set(key, rows.length - 1);
  return rows.length - 1;
}

for (const c of countries) {
  const ll = capital.get(c.iso2) ?? [0, 0];
  const i = push({ level: 'c', name: c.name, iso2: c.iso2, a1: '', a2: '', lat: ll[0], lon: ll[1], pop: c.population, fcode: 'PCLI', id: '', n1: '', n2: '' }, `c:${c.iso2}`);
  addName(c.name, i, false);
}

for (const p of afAdm1) {
  const i = push(
    { level: '1', name: p.adm1_en, iso2: 'AF', a1: p.adm1_pcode, a2: '', lat: Number(p.label_lat), lon: Number(p.label_lon), pop: 0, fcode: 'ADM1', id: '', n1: '', n2: '' },
    `1:${p.adm1_pcode}`,
  );
  addName(p.adm1_en, i, false);
}
for (const d of afAdm2) {
  const i = push(
    { level: '2', name: d.adm2_en, iso2: 'AF', a1: d.adm1_pcode, a2: d.adm2_pcode, lat: Number(d.label_lat), lon: Number(d.label_lon), pop: 0, fcode: 'ADM2', id: '', n1: '', n2: '' },
    `2:${d.adm2_pcode}`,
  );
  addName(d.adm2_en, i, false);
}
let afAliases = 0;
for (const a of readCsv<AfAlias>(path.join(AFG, 'afg_admin_aliases.csv'))) {
  const i = rowOf.get(`${a.level === 'adm1' ? '1' : '2'}:${a.pcode}`);
  if (i === undefined) continue;
  addName(a.name, i, true);
  afAliases++;
}
log(`Afghanistan: ${afAdm1.length} provinces, ${afAdm2.length} districts, ${afAliases} aliases`);

// ---- world admin1/admin2 (root files: same vintage as cities500)
let n1 = 0;
for (const [code = '', name = '', ascii = ''] of readTsv(path.join(WORLD, 'admin1CodesASCII.txt'), 4)) {
  if (code.startsWith('AF.')) continue;
  const ll = seat1.get(code) ?? [NaN, NaN];
  const i = push({ level: '1', name, iso2: code.slice(0, 2), a1: code, a2: '', lat: ll[0], lon: ll[1], pop: 0, fcode: 'ADM1', id: '', n1: '', n2: '' }, `1:${code}`);
  for (const n of bareNames(name, ascii)) addName(n, i, n !== name);
  n1++;
}
let n2 = 0;
for (const [code = '', name = '', ascii = ''] of readTsv(path.join(WORLD, 'admin2Codes.txt'), 4)) {
  if (code.startsWith('AF.')) continue;
  const ll = seat2.get(code) ?? [NaN, NaN];
  const a1 = code.split('.').slice(0, 2).join('.');
  const i = push({ level: '2', name, iso2: code.slice(0, 2), a1, a2: code, lat: ll[0], lon: ll[1], pop: 0, fcode: 'ADM2', id: '', n1: '', n2: '' }, `2:${code}`);
  for (const n of bareNames(name, ascii)) addName(n, i, n !== name);
  n2++;
}
log(`world admin1: ${n1}, admin2: ${n2}`);

// ---- towns: the curated Afghanistan list (P-codes by point-in-polygon) overrides cities500 rows
const afPlaces = new Map(readCsv<AfPlace>(path.join(AFG, 'afg_places_geonames.csv')).map((p) => [p.geonameid, p]));
const townRow = new Map<string, number>(); // geonameid → row
const unitPop = new Map<number, number>(); // admin row → population of its towns, for missing seat coordinates
const unitLL = new Map<number, [number, number, number]>(); // admin row → Σlat·w, Σlon·w, Σw
let nAlt = 0;
for (const l of cityLines) {
  const [id = '', name = '', ascii = '', alts = '', lat = '', lon = '', , fcode = '', cc = '', , c1 = '', c2 = '', , , popText = ''] = fields(l);
  const pop = Number(popText) || 0;
  let a1 = '';
  let a2 = '';
  const af = afPlaces.get(id);
  if (cc === 'AF') {
    if (af) (a1 = af.adm1_pcode), (a2 = af.adm2_pcode);
    else {
      a2 = gnAf2ToPcode.get(`AF.${c1}.${c2}`) ?? '';
      a1 = a2 ? a2.slice(0, 4) : (gnAf1ToPcode.get(`AF.${c1}`) ?? '');
    }
  } else {
    if (c1 && c1 !== '00' && rowOf.has(`1:${cc}.${c1}`)) a1 = `${cc}.${c1}`;
    if (a1 && c2 && rowOf.has(`2:${a1}.${c2}`)) a2 = `${a1}.${c2}`;
  }
  const i = push({ level: 't', name, iso2: cc, a1, a2, lat: round4(Number(lat)), lon: round4(Number(lon)), pop, fcode, id: '', n1: '', n2: '' }, null);
  townRow.set(id, i);
  addName(name, i, false);
  if (ascii !== name) addName(ascii, i, true);
  if (af?.alt_names) for (const a of af.alt_names.split(/[;|]/)) addName(a, i, true);
  for (const a of alts.split(',')) if (keepAlt(a)) addName(a, i, true), nAlt++;
  for (const key of [`1:${a1}`, `2:${a2}`]) {
    const u = rowOf.get(key);
    if (u === undefined) continue;
    const w = Math.max(pop, 1);
    const acc = unitLL.get(u) ?? [0, 0, 0];
    unitLL.set(u, [acc[0] + Number(lat) * w, acc[1] + Number(lon) * w, acc[2] + w]);
    unitPop.set(u, (unitPop.get(u) ?? 0) + pop);
  }
}
log(`towns: ${cityLines.length}, Latin alternates kept: ${nAlt}`);
// ---- the newer, smaller dump (cities15000 of 2025): names given since the 2023 dump (renamings,
// new transliterations) join the same place; places it has that cities500 lacks join as towns.
// Their admin codes are of the 2025 admin files, which reassigned some (README: Vietnam's 2025
// merger): a code counts where both files name the unit alike, else a new town takes the units
// of the nearest cities500 town of its country (within 30 km), else none.
const unitKeys = (file: string) => new Map(readTsv(file, 4).map(([code = '', , ascii = '']) => [code, foldName(ascii.replace(ADMIN_WORDS, ' '))]));
const NEW = path.join(WORLD, 'current-2025-11');
const [old1, new1, old2, new2] = [path.join(WORLD, 'admin1CodesASCII.txt'), path.join(NEW, 'admin1CodesASCII.txt'), path.join(WORLD, 'admin2Codes.txt'), path.join(NEW, 'admin2Codes.txt')].map(unitKeys);
const sameUnit = (code: string, was = old1, is = new1) => !!was?.get(code) && was.get(code) === is?.get(code);
const oldTowns = rows.map((r, i) => [r, i] as const).filter(([r]) => r.level === 't' && r.a1);
const near = new Flatbush(oldTowns.length);
for (const [r] of oldTowns) near.add(r.lon, r.lat, r.lon, r.lat);
near.finish();
let nNewAlt = 0;
let nNewTowns = 0;
for (const l of fs.readFileSync(path.join(NEW, 'cities15000.txt'), 'utf8').split('\n').filter(Boolean)) {
  const [id = '', name = '', ascii = '', alts = '', latText = '', lonText = '', , fcode = '', cc = '', , c1 = '', c2 = '', , , popText = ''] = fields(l);
  let i = townRow.get(id);
  if (i === undefined) {
    if (cc === 'AF') continue; // Afghanistan's towns are the curated list's, with P-codes
    const [lat, lon] = [round4(Number(latText)), round4(Number(lonText))];
    const [hit] = near.neighbors(lon, lat, 1, 0.3, (k) => oldTowns[k]![0].iso2 === cc);
    const by = hit === undefined ? undefined : oldTowns[hit]![0];
    const [k1, k2] = [`${cc}.${c1}`, `${cc}.${c1}.${c2}`];
    const [a1, a2] = sameUnit(k2, old2, new2) ? [k1, k2] : sameUnit(k1) ? [k1, by?.a1 === k1 ? by.a2 : ''] : [by?.a1 ?? '', by?.a2 ?? ''];
    i = push({ level: 't', name, iso2: cc, a1, a2, lat, lon, pop: Number(popText) || 0, fcode, id: '', n1: '', n2: '' }, null);
    townRow.set(id, i);
    addName(name, i, false);
    nNewTowns++;
  } else addName(name, i, true);
  if (ascii !== name) addName(ascii, i, true);
  for (const a of alts.split(',')) if (keepAlt(a)) addName(a, i, true), nNewAlt++;
}
log(`cities15000 (2025): ${nNewTowns} towns cities500 lacks, ${nNewAlt} Latin alternates (old and new)`);

// The curated AF towns missing from cities500 (population under 500) still count.
const seenIds = new Set(cityLines.map((l) => l.slice(0, l.indexOf('\t'))));
for (const p of afPlaces.values()) {
  if (seenIds.has(p.geonameid)) continue;
  const i = push(
    { level: 't', name: p.name, iso2: 'AF', a1: p.adm1_pcode, a2: p.adm2_pcode, lat: Number(p.lat), lon: Number(p.lon), pop: Number(p.population) || 0, fcode: p.feature_code, id: '', n1: '', n2: '' },
    null,
  );
  addName(p.name, i, false);
  for (const a of p.alt_names.split(/[;|]/).filter(Boolean)) addName(a, i, true);
}

// Admin units without a seat town: population-weighted mean of their towns.
for (const [u, [sl, so, w]] of unitLL) {
  const r = rows[u];
  if (r && Number.isNaN(r.lat)) (r.lat = sl / w), (r.lon = so / w);
}
for (const [u, p] of unitPop) {
  const r = rows[u];
  if (r && r.level !== 'c') r.pop = p;
}
// Units with neither a seat nor a town of their own stand at their parent's point (a district at
// its province's, a province at the capital), not at 0,0.
let parented = 0;
for (const r of rows) {
  if ((r.level !== '1' && r.level !== '2') || Number.isFinite(r.lat)) continue;
  const parent = r.level === '2' ? rows[rowOf.get(`1:${r.a1}`) ?? -1] : undefined;
  const ll = parent && Number.isFinite(parent.lat) ? [parent.lat, parent.lon] : capital.get(r.iso2);
  if (ll) (r.lat = ll[0]!), (r.lon = ll[1]!), parented++;
}
log(`admin units placed at their parent's point: ${parented}`);

// ---- IEC 2019 localities: name → district, no coordinates (district label point stands in)
let nLoc = 0;
const locSeen = new Set<string>();
for (const l of readCsv<AfLocality>(path.join(AFG, 'afg_localities_iec2019.csv'))) {
  const dist = rows[rowOf.get(`2:${l.adm2_pcode}`) ?? -1];
  if (!dist || !l.location_en) continue;
  const k = `${foldName(l.location_en)}|${l.adm2_pcode}`;
  if (locSeen.has(k)) continue;
  locSeen.add(k);
  const i = push({ level: 'l', name: l.location_en, iso2: 'AF', a1: dist.a1, a2: dist.a2, lat: dist.lat, lon: dist.lon, pop: 0, fcode: 'IEC', id: '', n1: '', n2: '' }, null);
  addName(l.location_en, i, false);
  // "Soryan village": the bare name is what reports write (no IEC name is only a generic word).
  const bare = l.location_en.replace(/\s+(village|school|mosque|clinic)$/i, '');
  if (bare !== l.location_en && bare.length >= 3) addName(bare, i, false);
  for (const a of [l.location_da, l.location_ps]) if (a) addName(a, i, true);
  nLoc++;
}
log(`IEC localities: ${nLoc}`);

// ---- write
fs.mkdirSync(OUT, { recursive: true });
const placesTsv = rows.map(rowLine).join('\n');
// Sorted by the bytes of key+TAB so the loader binary-searches the lines without building a map.
const gz = (s: string) => zlib.gzipSync(Buffer.from(s), { level: 9 });
fs.writeFileSync(path.join(OUT, 'places.tsv.gz'), gz(placesTsv));
fs.writeFileSync(path.join(OUT, 'names.tsv.gz'), gz(namesText(names)));
const blocks = blocksData(spellings);
fs.writeFileSync(path.join(OUT, 'blocks.bin'), blocks.bytes);
fs.writeFileSync(
  path.join(OUT, 'meta.json'),
  JSON.stringify({ foldVersion: FOLD_VERSION, built: new Date().toISOString().slice(0, 10), rows: rows.length, names: names.size, countries, blocks: blocks.index }, null, 0) + '\n',
);
let bytes = 0;
for (const f of fs.readdirSync(OUT)) bytes += fs.statSync(path.join(OUT, f)).size;
log(`wrote ${rows.length} places, ${names.size} name keys to ${path.relative(ROOT, OUT)} (${(bytes / 1e6).toFixed(1)} MB)`);

// ---- boundaries: Afghanistan's polygons for point-in-polygon and the web map
const afg = countries.find((c) => c.iso2 === 'AF');
if (!afg) throw new Error('build-data: Afghanistan missing from countryInfo.txt');
const b = buildBoundaries(AFG, path.join(OUT, 'boundaries'), afg);
log(`boundaries: ${b.adm1} provinces, ${b.adm2} districts to ${path.relative(ROOT, b.file)} (${(b.bytes / 1e3).toFixed(0)} KB)`);
