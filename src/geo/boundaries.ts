// Admin-unit polygons and point-in-polygon. Packs are TopoJSON topologies (src/geo/packs.ts):
// the shipped ones under data/geo/boundaries (Afghanistan, built by scripts/build-data.ts) and
// the user's under config.geoDir (`sitrep geo import` / `geo fetch`), which replace the shipped
// pack of their country. Candidate units come from a flatbush index of bounding boxes; the
// point test is @turf/boolean-point-in-polygon.
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import Flatbush from 'flatbush';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Config } from '../config.js';
import { bboxOf, buildTopology, unitFeatures, type AdminUnit, type PackTopology, type UnitFeature } from './packs.js';

export type { AdminUnit };

export interface Located {
  admin1?: AdminUnit;
  admin2?: AdminUnit;
}

export interface Boundaries {
  /** The units of a level, of one country (ISO3, or ISO2) or of every pack. */
  units(level: 1 | 2, iso3?: string): AdminUnit[];
  /** GeoJSON of a level: properties are the AdminUnit fields, geometry Polygon/MultiPolygon in lon/lat. */
  featureCollection(level: 1 | 2, iso3?: string): FeatureCollection<Polygon | MultiPolygon, AdminUnit>;
  /** A TopoJSON topology with objects adm1 and adm2 (properties as above), for the web map to fetch. */
  topology(iso3?: string): object;
  /** The admin units containing the point; null when no pack covers it. */
  locate(lon: number, lat: number): Located | null;
}

/** Where a country's pack lives; imported packs are listed before shipped ones and replace them. */
export interface PackFile {
  iso3: string;
  file: string;
  imported: boolean;
}

const PACK_SUFFIX = '.topo.json';

export const shippedDir = (config: Config) => path.join(config.dataDir, 'geo', 'boundaries');
export const importedPackFile = (config: Config, iso3: string) => path.join(config.geoDir, `${iso3.toUpperCase()}${PACK_SUFFIX}`);

function listDir(dir: string, imported: boolean): PackFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(PACK_SUFFIX))
    .sort()
    .map((n) => ({ iso3: n.slice(0, -PACK_SUFFIX.length).toUpperCase(), file: path.join(dir, n), imported }));
}

/** The packs in effect, one per country (no geometry is read). */
export function packFiles(config: Config): PackFile[] {
  const imported = listDir(config.geoDir, true);
  const own = new Set(imported.map((p) => p.iso3));
  return [...imported, ...listDir(shippedDir(config), false).filter((p) => !own.has(p.iso3))];
}

interface Pack extends PackFile {
  topo: PackTopology;
  adm1: UnitFeature[];
  adm2: UnitFeature[];
}

interface Index {
  packs: Pack[];
  features: UnitFeature[];
  tree: Flatbush | null;
}

function readPack(p: PackFile): Pack {
  let topo: PackTopology;
  try {
    topo = JSON.parse(fs.readFileSync(p.file, 'utf8')) as PackTopology;
  } catch (e) {
    throw new Error(`boundary pack ${p.file} cannot be read: ${(e as Error).message}`);
  }
  return { ...p, topo, adm1: unitFeatures(topo, 1), adm2: unitFeatures(topo, 2) };
}

function buildIndex(files: PackFile[]): Index {
  const packs = files.map(readPack);
  // Districts first: a point's district is found before its province, whose unit then comes
  // from the district's parent fields when the pack has no province layer.
  const features = [...packs.flatMap((p) => p.adm2), ...packs.flatMap((p) => p.adm1)];
  if (!features.length) return { packs, features, tree: null };
  const tree = new Flatbush(features.length);
  for (const f of features) {
    const [x0, y0, x1, y1] = bboxOf(f.geometry);
    tree.add(x0, y0, x1, y1);
  }
  tree.finish();
  return { packs, features, tree };
}

const cache = new Map<string, { stamp: string; index: Index }>();

/** A pack set is identified by its files and their modification times: an import is seen at once. */
function stampOf(files: PackFile[]): string {
  return files.map((f) => `${f.file}@${fs.statSync(f.file).mtimeMs}`).join('|');
}

const copy = (u: AdminUnit): AdminUnit => ({ ...u });

/** Boundaries of the shipped and imported packs; geometry is read on first use and kept. */
export function loadBoundaries(config: Config): Boundaries {
  let index: Index | null = null;
  const get = (): Index => {
    if (index) return index;
    const files = packFiles(config);
    const key = `${config.dataDir}\u0000${config.geoDir}`;
    const stamp = stampOf(files);
    const hit = cache.get(key);
    if (hit && hit.stamp === stamp) return (index = hit.index);
    index = buildIndex(files);
    cache.set(key, { stamp, index });
    return index;
  };
  // An ISO2 code is taken too ("AF" for AFG): callers hold either.
  let iso3Of: Map<string, string> | null = null;
  const toIso3 = (code: string): string => {
    const c = code.toUpperCase();
    if (c.length !== 2) return c;
    iso3Of ??= new Map(
      (JSON.parse(fs.readFileSync(path.join(config.dataDir, 'geo', 'meta.json'), 'utf8')) as { countries: { iso2: string; iso3: string }[] }).countries.map((x) => [x.iso2, x.iso3]),
    );
    return iso3Of.get(c) ?? c;
  };
  const packsOf = (iso3?: string) => {
    const want = iso3 ? toIso3(iso3) : null;
    return get().packs.filter((p) => !want || p.iso3 === want);
  };
  const levelOf = (level: 1 | 2, iso3?: string) => packsOf(iso3).flatMap((p) => (level === 1 ? p.adm1 : p.adm2));
  const merged = new Map<string, PackTopology>();

  return {
    units: (level, iso3) => levelOf(level, iso3).map((f) => copy(f.properties)),
    featureCollection: (level, iso3) => ({
      type: 'FeatureCollection',
      features: levelOf(level, iso3).map((f) => ({ type: 'Feature', properties: copy(f.properties), geometry: f.geometry })),
    }),
    topology(iso3) {
      const packs = packsOf(iso3);
      if (packs.length === 1) return packs[0]!.topo;
      // Several countries: one topology of all, built once (no further simplification).
      const key = packs.map((p) => p.iso3).join(',');
      let t = merged.get(key);
      if (!t) merged.set(key, (t = buildTopology(packs.flatMap((p) => p.adm1), packs.flatMap((p) => p.adm2), { minWeight: 0, quantization: 1e5 })));
      return t;
    },
    locate(lon, lat) {
      const { tree, features } = get();
      if (!tree || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
      const out: Located = {};
      for (const i of tree.search(lon, lat, lon, lat).sort((a, b) => a - b)) {
        const f = features[i]!;
        const level = f.properties.level;
        if ((level === 2 ? out.admin2 : out.admin1) || (level === 1 && out.admin2 && out.admin2.iso3 !== f.properties.iso3)) continue;
        if (!booleanPointInPolygon([lon, lat], f.geometry)) continue;
        if (level === 2) out.admin2 = copy(f.properties);
        else out.admin1 = copy(f.properties);
      }
      const d = out.admin2;
      if (d && !out.admin1 && (d.admin1 || d.admin1_code))
        out.admin1 = { country: d.country, iso3: d.iso3, level: 1, name: d.admin1, pcode: d.admin1_code, admin1: d.admin1, admin1_code: d.admin1_code };
      return out.admin1 || out.admin2 ? out : null;
    },
  };
}
