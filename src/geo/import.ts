// `sitrep geo import`: a user's boundary pack (OCHA COD-AB or geoBoundaries, GeoJSON or TopoJSON)
// plus an optional alias CSV, normalised (src/geo/packs.ts) and stored in config.geoDir as
// ISO3.topo.json and ISO3.aliases.tsv. Importing one level keeps the other level already stored.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Config } from '../config.js';
import { importedPackFile } from './boundaries.js';
import { foldName } from './fold.js';
import { aliasFile } from './located.js';
import { altNames, buildTopology, detectCountry, detectLevel, fieldsOf, joinParents, normaliseLayer, PackError, readLayers, unitFeatures, type PackTopology, type UnitFeature } from './packs.js';

export interface ImportOptions {
  /** ISO3 (or ISO2); else read from the pack (geoBoundaries shapeGroup, COD ADM0_PCODE). */
  country?: string;
  level?: 1 | 2;
  nameField?: string;
  codeField?: string;
  /** CSV of alias,name-or-pcode rows. */
  aliases?: string;
}

export interface ImportResult {
  iso3: string;
  country: string;
  file: string;
  bytes: number;
  /** Units stored per level after the import (including a level kept from before). */
  adm1: number;
  adm2: number;
  /** Levels this file brought, with the fields read. */
  layers: { level: 1 | 2; source: string; units: number; skipped: number; fields: string[] }[];
  /** Districts left without a province (a district layer with no parent fields and no province layer). */
  orphans: number;
  aliases: number;
}

/** Imported packs are simplified like the shipped one: ~35 m triangles dropped, a 1e5 grid. */
const IMPORTED = { minWeight: 1e-7, quantization: 1e5 };

/** alias, pcode, and where it came from: the pack's alternate-name fields or the user's CSV. */
type AliasRow = [string, string, 'pack' | 'csv'];

interface CountryRow {
  iso2: string;
  iso3: string;
  name: string;
}

function countryTable(config: Config): CountryRow[] {
  const meta = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'geo', 'meta.json'), 'utf8')) as { countries: CountryRow[] };
  return meta.countries;
}

function resolveCountry(code: string, table: CountryRow[]): CountryRow | undefined {
  const c = code.trim().toUpperCase();
  return table.find((r) => r.iso3 === c || r.iso2 === c);
}

function readText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new PackError(`${file}: no such file`);
  }
  if (stat.isDirectory()) throw new PackError(`${file}: is a directory, expected a GeoJSON or TopoJSON file`);
  return fs.readFileSync(file, 'utf8');
}

/** Reads, normalises and stores a pack; throws PackError (exit 2) on a file it cannot use. */
export function importPack(config: Config, file: string, opts: ImportOptions = {}): ImportResult {
  const layers = readLayers(readText(file), file);
  const table = countryTable(config);
  const leveled = layers.map((l) => ({ layer: l, level: layers.length === 1 && opts.level ? opts.level : detectLevel(l) }));
  const usable = leveled.filter((x): x is { layer: typeof x.layer; level: 1 | 2 } => (x.level === 1 || x.level === 2) && (!opts.level || x.level === opts.level));
  if (!usable.length) {
    const fields = fieldsOf(layers[0]!).join(', ') || 'none';
    throw new PackError(`${file}: cannot tell the admin level of ${layers.map((l) => l.source).join(', ')}${opts.level ? ` (none is level ${opts.level})` : ''}; fields: ${fields} (use --level 1|2)`);
  }
  const named = opts.country ?? usable.map((x) => detectCountry(x.layer)).find(Boolean) ?? '';
  if (!named) throw new PackError(`${file}: cannot tell the country (no shapeGroup/ADM0_PCODE field); use --country ISO3`);
  const country = resolveCountry(named, table);
  if (!country) throw new PackError(`${file}: unknown country code "${named}"; use --country ISO3`);

  const fresh: Record<1 | 2, UnitFeature[] | null> = { 1: null, 2: null };
  const layerInfo: ImportResult['layers'] = [];
  const alts: AliasRow[] = [];
  for (const { layer, level } of usable) {
    const units = normaliseLayer(layer, { level, country: country.name, iso3: country.iso3, nameField: opts.nameField, codeField: opts.codeField, file });
    fresh[level] = [...(fresh[level] ?? []), ...units];
    layerInfo.push({ level, source: layer.source, units: units.length, skipped: layer.skipped, fields: fieldsOf(layer) });
    for (const [alias, pcode] of altNames(layer, level, units)) alts.push([alias, pcode, 'pack']);
  }

  // The level this file does not bring is kept from the pack already stored for the country.
  const target = importedPackFile(config, country.iso3);
  const old = fs.existsSync(target) ? (JSON.parse(fs.readFileSync(target, 'utf8')) as PackTopology) : null;
  const adm1 = fresh[1] ?? (old ? unitFeatures(old, 1) : []);
  const adm2 = fresh[2] ?? (old ? unitFeatures(old, 2) : []);
  joinParents(adm2, adm1);
  const topo = buildTopology(adm1, adm2, IMPORTED);

  fs.mkdirSync(config.geoDir, { recursive: true });
  const csvRows: AliasRow[] | null = opts.aliases ? readAliases(opts.aliases, [...adm1, ...adm2]).map(([a, c]) => [a, c, 'csv']) : null;
  // Aliases kept from before: the pack's own alternate names of the level not re-imported, and
  // the user's CSV rows unless a new CSV replaces them; only for units still in the pack.
  const codes = new Set([...adm1, ...adm2].map((u) => u.properties.pcode));
  const freshCodes = new Set([...(fresh[1] ?? []), ...(fresh[2] ?? [])].map((u) => u.properties.pcode));
  const kept = readAliasFile(aliasFile(config, country.iso3)).filter(
    ([, pcode, from]) => codes.has(pcode) && (from === 'csv' ? !csvRows : !freshCodes.has(pcode)),
  );
  const aliasRows = [...kept, ...alts, ...(csvRows ?? [])];
  writeAtomic(target, JSON.stringify(topo));
  const aliases = aliasFile(config, country.iso3);
  if (aliasRows.length) writeAtomic(aliases, ['# alias\tpcode\tfrom (pack: its alternate-name fields; csv: --aliases)', ...aliasRows.map((r) => r.join('\t'))].join('\n') + '\n');
  else fs.rmSync(aliases, { force: true });
  return {
    iso3: country.iso3,
    country: country.name,
    file: target,
    bytes: fs.statSync(target).size,
    adm1: adm1.length,
    adm2: adm2.length,
    layers: layerInfo,
    aliases: aliasRows.length,
    orphans: adm2.filter((u) => !u.properties.admin1_code).length,
  };
}

/** Alias CSV rows (alias, then a unit's P-code or name; a header row is allowed) → [alias, pcode]. */
function readAliases(file: string, units: UnitFeature[]): [string, string][] {
  let recs: string[][];
  try {
    recs = parse(readText(file), { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, comment: '#' }) as string[][];
  } catch (e) {
    if (e instanceof PackError) throw e;
    throw new PackError(`${file}: not a CSV file (${(e as Error).message})`);
  }
  const byCode = new Map(units.map((u) => [u.properties.pcode, u.properties.pcode]));
  const byName = new Map<string, string[]>();
  for (const u of units) {
    const k = foldName(u.properties.name);
    byName.set(k, [...(byName.get(k) ?? []), u.properties.pcode]);
  }
  const out: [string, string][] = [];
  recs.forEach((r, i) => {
    const [alias = '', target = ''] = r;
    if (i === 0 && /^alias$/i.test(alias)) return;
    if (!alias || !target) throw new PackError(`${file}:${i + 1}: expected "alias,name-or-pcode"`);
    const codes = byCode.has(target) ? [target] : (byName.get(foldName(target)) ?? []);
    if (!codes.length) throw new PackError(`${file}:${i + 1}: "${target}" is neither a P-code nor a unit name of this pack`);
    for (const c of codes) out.push([alias, c]);
  });
  return out;
}

/** [alias, pcode, from] rows of a stored alias file; none when there is no file. */
function readAliasFile(file: string): AliasRow[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [alias = '', pcode = '', from = 'csv'] = l.split('\t');
      return [alias, pcode, from === 'pack' ? 'pack' : 'csv'];
    });
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
