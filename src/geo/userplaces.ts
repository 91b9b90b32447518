// `sitrep geo import XX.txt`: a GeoNames per-country dump (the 19-column `XX.txt` of
// download.geonames.org/export/dump, every feature class, with alternate names), or an OCHA COD
// populated-places CSV (admin4Name_en/ADM4_PCODE or name/pcode, latitude/longitude, parent
// ADMn_PCODE/ADMn_EN: its own P-codes and names are kept), packed like the
// shipped index (src/geo/packed.ts) into the user's geo directory as one part per country
// (XX.places.tsv.gz, XX.names.tsv.gz, XX.blocks.bin, XX.places.json). The gazetteer adds these
// parts after the shipped one (userParts), so the villages, camps and valleys the shipped
// cities500 leaves out answer with their admin codes.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Config } from '../config.js';
import { FOLD_VERSION } from './fold.js';
import { blocksData, indexName, keepAlt, namesText, PackedPart } from './packed.js';
import { PackError } from './packs.js';
import { rowLine, type Row } from './rows.js';

export interface PlacesResult {
  iso2: string;
  file: string;
  /** Rows kept: populated places and other named features. */
  places: number;
  features: number;
  /** Rows the shipped index already has (cities500: population over 500 or an admin seat). */
  shipped: number;
  names: number;
  bytes: number;
}

interface PartMeta {
  foldVersion: string;
  iso2: string;
  rows: number;
  blocks: Record<string, [number, number]>;
}

const SUFFIX = '.places.json';
/** Seats of admin units down to PPLA4 and the capital: cities500 has them whatever their population. */
const SEAT = /^PPL(A\d?|C)$/;

/** Is this a GeoNames dump (19 tab-separated columns, a numeric geonameid first)? Read off its first line. */
export function isGeoNamesDump(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const first = buf.toString('utf8', 0, n).split('\n')[0] ?? '';
    const f = first.split('\t');
    return f.length === 19 && /^\d+$/.test(f[0] ?? '') && /^[A-Z]{2}$/.test(f[8] ?? '');
  } finally {
    fs.closeSync(fd);
  }
}

/** A place read from a file, with its names (the first is its own). */
interface Read {
  row: Row;
  names: string[];
}

/** Packs a GeoNames country dump or an OCHA COD populated-places CSV into the user's geo directory (replacing that country's earlier import). */
export function importPlaces(config: Config, file: string): PlacesResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PackError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const { read, shipped } = isGeoNamesDump(file) ? readDump(text, file) : { read: readCodCsv(text, file, countryCodes(config)), shipped: 0 };
  const countries = new Set(read.map((r) => r.row.iso2));
  if (countries.size > 1) throw new PackError(`${path.basename(file)} holds ${[...countries].sort().join(', ')}: import one country's file at a time`);
  const iso2 = [...countries][0];
  if (!iso2) throw new PackError(`${path.basename(file)} has no place the shipped index lacks`);
  const rows: Row[] = [];
  const names = new Map<string, Set<string>>();
  const spellings = new Map<string, Map<string, Set<string>>>();
  for (const r of read) {
    const i = rows.push(r.row) - 1;
    r.names.forEach((n, k) => indexName(names, spellings, r.row, i, n, k > 0));
  }
  const features = rows.filter((r) => r.level === 'f').length;
  fs.mkdirSync(config.geoDir, { recursive: true });
  const gz = (s: string) => zlib.gzipSync(Buffer.from(s), { level: 9 });
  const out = (ext: string) => path.join(config.geoDir, `${iso2}.${ext}`);
  const blocks = blocksData(spellings);
  fs.writeFileSync(out('places.tsv.gz'), gz(rows.map(rowLine).join('\n')));
  fs.writeFileSync(out('names.tsv.gz'), gz(namesText(names)));
  fs.writeFileSync(out('blocks.bin'), blocks.bytes);
  const meta: PartMeta = { foldVersion: FOLD_VERSION, iso2, rows: rows.length, blocks: blocks.index };
  fs.writeFileSync(out('places.json'), JSON.stringify(meta) + '\n');
  const bytes = ['places.tsv.gz', 'names.tsv.gz', 'blocks.bin', 'places.json'].reduce((s, e) => s + fs.statSync(out(e)).size, 0);
  return { iso2, file: out('places.json'), places: rows.length - features, features, shipped, names: names.size, bytes };
}

/** ISO2 and ISO3 codes of the shipped country table, to ISO2. */
function countryCodes(config: Config): Map<string, string> {
  const meta = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'geo', 'meta.json'), 'utf8')) as { countries: { iso2: string; iso3: string }[] };
  return new Map(meta.countries.flatMap((c) => [[c.iso2, c.iso2] as const, [c.iso3, c.iso2] as const]));
}

/** The rows of a GeoNames dump the shipped index lacks, and how many it has. */
function readDump(text: string, file: string): { read: Read[]; shipped: number } {
  const read: Read[] = [];
  let shipped = 0;
  const lines = text.split('\n');
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    const f = line.split('\t');
    const [id = '', name = '', ascii = '', alts = '', lat = '', lon = '', fclass = '', fcode = '', cc = '', , c1 = '', c2 = '', , , popText = ''] = f;
    if (f.length !== 19 || !/^\d+$/.test(id) || !/^[A-Z]{2}$/.test(cc) || !Number.isFinite(Number(lat)) || !Number.isFinite(Number(lon)))
      throw new PackError(`${path.basename(file)}:${n + 1}: not a GeoNames dump row (19 tab-separated columns: geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature code, country code, ...)`);
    const pop = Number(popText) || 0;
    // Admin units (class A) are the shipped index's; cities500 already has the big and the seats.
    if (fclass === 'A') continue;
    if (fclass === 'P' && (pop > 500 || SEAT.test(fcode))) {
      shipped++;
      continue;
    }
    const a1 = c1 && c1 !== '00' ? `${cc}.${c1}` : '';
    const a2 = a1 && c2 ? `${a1}.${c2}` : '';
    const row: Row = { level: fclass === 'P' ? 't' : 'f', name, iso2: cc, a1, a2, lat: Number(lat), lon: Number(lon), pop, fcode, id, n1: '', n2: '' };
    read.push({ row, names: [name, ...(ascii && ascii !== name ? [ascii] : []), ...alts.split(',').filter(keepAlt)] });
  }
  return { read, shipped };
}

/** The first header of the CSV that matches, case and separators aside. */
function column(header: string[], ...wanted: RegExp[]): string | undefined {
  for (const w of wanted) {
    const hit = header.find((h) => w.test(h.replace(/[\s_-]/g, '').toLowerCase()));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * An OCHA COD populated-places table (HDX "Populated places" CSVs): the deepest named level
 * (admin4Name_en/ADM4_EN ... or name/featurename) with its P-code, the point, and the parent
 * ADM1/ADM2 P-codes and names, which the places keep as their own units.
 */
function readCodCsv(text: string, file: string, countries: Map<string, string>): Read[] {
  let recs: Record<string, string>[];
  try {
    recs = parse(text.replace(/^\ufeff/, ''), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  } catch (e) {
    throw new PackError(`${path.basename(file)}: not a CSV: ${(e as Error).message}`);
  }
  const header = Object.keys(recs[0] ?? {});
  const name = column(header, /^admin4name(en)?$/, /^adm4(name)?en$/, /^admin3name(en)?$/, /^adm3(name)?en$/, /^(name|nameen|featurename|pplname|placename|locationname)$/);
  const code = column(header, /^admin4pcode$/, /^adm4pcode$/, /^admin3pcode$/, /^adm3pcode$/, /^(pcode|ppcode|locationpcode)$/);
  const lat = column(header, /^(latitude|lat|y|latdd)$/);
  const lon = column(header, /^(longitude|lon|long|lng|x|londd)$/);
  if (!name || !lat || !lon)
    throw new PackError(`${path.basename(file)}: expected a GeoNames dump (XX.txt) or a COD populated-places CSV with a name (admin4Name_en, ADM4_EN, name), latitude and longitude columns; found ${header.join(', ') || 'none'}`);
  const alts = header.filter((h) => /^(admin4|adm4|admin3|adm3)?alt(name)?\d*(en)?$/i.test(h.replace(/[\s_-]/g, '')));
  const [p1, n1, p2, n2, p0] = [
    column(header, /^admin1pcode$/, /^adm1pcode$/),
    column(header, /^admin1name(en)?$/, /^adm1(name)?en$/),
    column(header, /^admin2pcode$/, /^adm2pcode$/),
    column(header, /^admin2name(en)?$/, /^adm2(name)?en$/),
    column(header, /^admin0pcode$/, /^adm0pcode$/, /^(iso2|iso3|countrycode)$/),
  ];
  return recs.map((r, k) => {
    const at = `${path.basename(file)}:${k + 2}`;
    const [y, x] = [Number(r[lat]), Number(r[lon])];
    if (!r[name]?.trim() || !Number.isFinite(y) || !Number.isFinite(x) || Math.abs(y) > 90 || Math.abs(x) > 180 || r[lat]?.trim() === '' || r[lon]?.trim() === '')
      throw new PackError(`${at}: expected a name and a point (latitude -90..90, longitude -180..180)`);
    const pcode = code ? (r[code] ?? '') : '';
    // The country: ADM0_PCODE, else the letters every OCHA P-code starts with.
    const cc = (p0 && r[p0]) || pcode.slice(0, 2) || (p1 && r[p1]?.slice(0, 2)) || '';
    const iso2 = countries.get(cc.toUpperCase());
    if (!iso2) throw new PackError(`${at}: no country: give ADM0_PCODE (ISO2/ISO3) or P-codes that start with one`);
    const row: Row = { level: 't', name: r[name]!.trim(), iso2, a1: (p1 && r[p1]) || '', a2: (p2 && r[p2]) || '', lat: y, lon: x, pop: 0, fcode: 'COD', id: pcode, n1: (n1 && r[n1]) || '', n2: (n2 && r[n2]) || '' };
    return { row, names: [row.name, ...alts.map((h) => r[h] ?? '').filter(keepAlt)] };
  });
}

/** The countries whose places the user imported, with their row counts. */
export function importedPlaces(config: Config): { iso2: string; rows: number; file: string }[] {
  if (!fs.existsSync(config.geoDir)) return [];
  return fs
    .readdirSync(config.geoDir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => {
      const meta = JSON.parse(fs.readFileSync(path.join(config.geoDir, f), 'utf8')) as PartMeta;
      return { iso2: meta.iso2, rows: meta.rows, file: path.join(config.geoDir, f) };
    });
}

/** The imported places as index parts numbered from `base` on; a part folded otherwise is refused. */
export function userParts(config: Config, base: number): PackedPart[] {
  const parts: PackedPart[] = [];
  for (const p of importedPlaces(config)) {
    const meta = JSON.parse(fs.readFileSync(p.file, 'utf8')) as PartMeta;
    if (meta.foldVersion !== FOLD_VERSION) throw new Error(`imported places ${p.file} were folded with v${meta.foldVersion}, code has v${FOLD_VERSION}: import the dump again`);
    const part = new PackedPart(config.geoDir, base, meta.blocks, `${meta.iso2}.`);
    parts.push(part);
    base += part.rowCount;
  }
  return parts;
}
