// `sitrep geo import XX.txt`: a GeoNames per-country dump (the 19-column `XX.txt` of
// download.geonames.org/export/dump, every feature class, with alternate names) packed like the
// shipped index (src/geo/packed.ts) into the user's geo directory as one part per country
// (XX.places.tsv.gz, XX.names.tsv.gz, XX.blocks.bin, XX.places.json). The gazetteer adds these
// parts after the shipped one (userParts), so the villages, camps and valleys the shipped
// cities500 leaves out answer with their admin codes.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
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

/** Packs a GeoNames country dump into the user's geo directory (replacing that country's earlier import). */
export function importPlaces(config: Config, file: string): PlacesResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PackError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const rows: Row[] = [];
  const names = new Map<string, Set<string>>();
  const spellings = new Map<string, Map<string, Set<string>>>();
  const addName = (name: string, i: number, alt: boolean) => indexName(names, spellings, rows[i], i, name, alt);
  const countries = new Set<string>();
  let shipped = 0;
  let features = 0;
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
    countries.add(cc);
    const a1 = c1 && c1 !== '00' ? `${cc}.${c1}` : '';
    const a2 = a1 && c2 ? `${a1}.${c2}` : '';
    if (fclass !== 'P') features++;
    rows.push({ level: fclass === 'P' ? 't' : 'f', name, iso2: cc, a1, a2, lat: Number(lat), lon: Number(lon), pop, fcode, id, n1: '', n2: '' });
    const i = rows.length - 1;
    addName(name, i, false);
    if (ascii && ascii !== name) addName(ascii, i, true);
    for (const a of alts.split(',')) if (keepAlt(a)) addName(a, i, true);
  }
  if (countries.size > 1) throw new PackError(`${path.basename(file)} holds ${[...countries].sort().join(', ')}: import one country's dump (XX.txt) at a time`);
  const iso2 = [...countries][0];
  if (!iso2) throw new PackError(`${path.basename(file)} has no place the shipped index lacks`);
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
