// Boundary packs: admin-unit polygons normalised to one shape, a TopoJSON topology with objects
// adm1 and adm2 whose properties are the AdminUnit fields. The shipped Afghanistan pack
// (scripts/build-data.ts) and a user's imported pack (`sitrep geo import`, `sitrep geo fetch`)
// both go through here, so the locator reads one format.
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, quantize } from 'topojson-client';
import { topology as toTopology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import polylabel from 'polylabel';
import { InputError } from '../errors.js';

export interface AdminUnit {
  country: string;
  iso3: string;
  level: 1 | 2;
  name: string;
  pcode: string;
  /** For level 1, the unit itself. */
  admin1: string;
  admin1_code: string;
}

export type UnitFeature = Feature<Polygon | MultiPolygon, AdminUnit>;

/** A pack's topology: objects adm1 and adm2 (either may hold no geometries). */
export type PackTopology = Topology<{ adm1: GeometryCollection<AdminUnit>; adm2: GeometryCollection<AdminUnit> }>;

/** A bad user file: the CLI prints the message and exits 2. */
export class PackError extends InputError {}

// Field names of the usual packs, most specific first: OCHA COD-AB (ADM2_EN, ADM2_PCODE ...),
// HDX/HumData variants (admin2Name_en, admin2Pcode), GADM (NAME_2, GID_2), geoBoundaries
// (shapeName, shapeISO, shapeID), the project's own lower-case renames, and plain "name".
const NAME_FIELDS: Record<1 | 2, string[]> = {
  1: ['ADM1_EN', 'adm1_en', 'admin1Name_en', 'admin1Name', 'ADM1_NAME', 'NAME_1', 'shapeName', 'name_en', 'name', 'NAME'],
  2: ['ADM2_EN', 'adm2_en', 'admin2Name_en', 'admin2Name', 'ADM2_NAME', 'NAME_2', 'shapeName', 'name_en', 'name', 'NAME'],
};
const CODE_FIELDS: Record<1 | 2, string[]> = {
  1: ['ADM1_PCODE', 'adm1_pcode', 'admin1Pcode', 'ADM1_CODE', 'GID_1', 'shapeISO', 'shapeID', 'pcode', 'code', 'id'],
  2: ['ADM2_PCODE', 'adm2_pcode', 'admin2Pcode', 'ADM2_CODE', 'GID_2', 'shapeID', 'pcode', 'code', 'id'],
};
// Parent fields on a district layer (geoBoundaries has none: the parent is found by point-in-polygon).
const PARENT_NAME = ['ADM1_EN', 'adm1_en', 'admin1Name_en', 'admin1Name', 'ADM1_NAME', 'NAME_1'];
const PARENT_CODE = ['ADM1_PCODE', 'adm1_pcode', 'admin1Pcode', 'ADM1_CODE', 'GID_1'];
const COUNTRY_FIELDS = ['shapeGroup', 'ADM0_PCODE', 'adm0_pcode', 'GID_0', 'ISO3', 'iso3', 'ADM0_A3', 'ISO', 'iso'];

export interface RawLayer {
  /** Object name in a TopoJSON file, or "features" for GeoJSON. */
  source: string;
  features: Feature<Polygon | MultiPolygon>[];
  /** Features without polygons (points, lines, empty geometry), left out. */
  skipped: number;
}

/** Parses GeoJSON (FeatureCollection or one Feature) or TopoJSON text into polygon layers. */
export function readLayers(text: string, file: string): RawLayer[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PackError(`${file}: not JSON (expected GeoJSON or TopoJSON)`);
  }
  const obj = data as { type?: string; features?: unknown[]; objects?: Record<string, unknown> };
  const layer = (source: string, fs: Feature[]): RawLayer => {
    const features = fs.map(polygonal).filter((f): f is Feature<Polygon | MultiPolygon> => !!f);
    return { source, features, skipped: fs.length - features.length };
  };
  let layers: RawLayer[];
  if (obj?.type === 'Topology' && obj.objects) {
    const topo = data as Topology;
    layers = Object.keys(topo.objects).map((k) => {
      const out = feature(topo, topo.objects[k]!);
      return layer(k, 'features' in out ? out.features : [out]);
    });
  } else if (obj?.type === 'FeatureCollection' && Array.isArray(obj.features)) {
    layers = [layer('features', obj.features as Feature[])];
  } else if (obj?.type === 'Feature') {
    layers = [layer('features', [data as Feature])];
  } else throw new PackError(`${file}: neither a GeoJSON FeatureCollection nor a TopoJSON Topology`);
  layers = layers.filter((l) => l.features.length);
  if (!layers.length) throw new PackError(`${file}: no polygon features`);
  return layers;
}

/** A feature with area: Polygon and MultiPolygon as they are, a GeometryCollection's polygons as one MultiPolygon; else null. */
function polygonal(f: Feature): Feature<Polygon | MultiPolygon> | null {
  const g = f?.geometry;
  if (g?.type === 'Polygon' || g?.type === 'MultiPolygon') return f as Feature<Polygon | MultiPolygon>;
  if (g?.type !== 'GeometryCollection') return null;
  const parts = g.geometries.flatMap((x) => (x.type === 'Polygon' ? [x.coordinates] : x.type === 'MultiPolygon' ? x.coordinates : []));
  return parts.length ? { ...f, geometry: { type: 'MultiPolygon', coordinates: parts } } : null;
}

/** Field names present on a layer's features, in first-seen order. */
export function fieldsOf(layer: RawLayer): string[] {
  const seen = new Set<string>();
  for (const f of layer.features.slice(0, 50)) for (const k of Object.keys(f.properties ?? {})) seen.add(k);
  return [...seen];
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** The first candidate field that every feature fills (exact name, then case-insensitive). */
function pick(layer: RawLayer, fields: string[], candidates: string[]): string | undefined {
  const filled = (f: string) => layer.features.every((x) => str(x.properties?.[f]) !== '');
  for (const c of candidates) if (fields.includes(c) && filled(c)) return c;
  for (const c of candidates) {
    const f = fields.find((x) => x.toLowerCase() === c.toLowerCase());
    if (f && filled(f)) return f;
  }
  return undefined;
}

/** Level of a layer from its fields: a district layer carries ADM2 fields or geoBoundaries' shapeType ADM2. */
export function detectLevel(layer: RawLayer): 1 | 2 | null {
  const fields = fieldsOf(layer);
  const shapeType = str(layer.features[0]?.properties?.shapeType).toUpperCase();
  if (shapeType === 'ADM1') return 1;
  if (shapeType === 'ADM2') return 2;
  if (fields.some((f) => /^(adm2|admin2|name_2|gid_2)/i.test(f))) return 2;
  if (fields.some((f) => /^(adm1|admin1|name_1|gid_1)/i.test(f))) return 1;
  if (/adm(in)?_?2/i.test(layer.source)) return 2;
  if (/adm(in)?_?1/i.test(layer.source)) return 1;
  return null;
}

/** Country code a layer names (geoBoundaries shapeGroup "AFG", COD ADM0_PCODE "AF", else the ISO2 prefix all its P-codes share), or ''. */
export function detectCountry(layer: RawLayer): string {
  const fields = fieldsOf(layer);
  const f = pick(layer, fields, COUNTRY_FIELDS);
  if (f) return str(layer.features[0]?.properties?.[f]).toUpperCase();
  for (const level of [2, 1] as const) {
    const code = pick(layer, fields, CODE_FIELDS[level]);
    const prefixes = new Set(layer.features.map((x) => /^([A-Z]{2})\d+$/.exec(str(x.properties?.[code ?? '']))?.[1] ?? ''));
    const [only] = prefixes;
    if (code && prefixes.size === 1 && only) return only;
  }
  return '';
}

export interface NormaliseOptions {
  level: 1 | 2;
  country: string;
  iso3: string;
  nameField?: string;
  codeField?: string;
  file: string;
}

/** Features with AdminUnit properties; the parent of a district is left '' when the layer lacks it. */
export function normaliseLayer(layer: RawLayer, o: NormaliseOptions): UnitFeature[] {
  const fields = fieldsOf(layer);
  const have = fields.length ? fields.join(', ') : 'none';
  const nameField = o.nameField ?? pick(layer, fields, NAME_FIELDS[o.level]);
  if (!nameField || !fields.includes(nameField))
    throw new PackError(`${o.file}: no ${o.nameField ? `field "${o.nameField}"` : 'name field'} found for level ${o.level}; fields: ${have} (use --name-field)`);
  const codeField = o.codeField ?? pick(layer, fields, CODE_FIELDS[o.level]);
  if (o.codeField && !fields.includes(o.codeField)) throw new PackError(`${o.file}: no field "${o.codeField}"; fields: ${have}`);
  const parentName = o.level === 2 ? pick(layer, fields, PARENT_NAME) : undefined;
  const parentCode = o.level === 2 ? pick(layer, fields, PARENT_CODE) : undefined;
  return layer.features.map((f, i) => {
    const p = f.properties ?? {};
    const name = str(p[nameField]);
    // Without a code field the unit is keyed by country, level and position: stable for one file.
    const pcode = (codeField && str(p[codeField])) || `${o.iso3}-ADM${o.level}-${i + 1}`;
    const unit: AdminUnit =
      o.level === 1
        ? { country: o.country, iso3: o.iso3, level: 1, name, pcode, admin1: name, admin1_code: pcode }
        : { country: o.country, iso3: o.iso3, level: 2, name, pcode, admin1: parentName ? str(p[parentName]) : '', admin1_code: parentCode ? str(p[parentCode]) : '' };
    return { type: 'Feature', properties: unit, geometry: f.geometry };
  });
}

/** Alternate names a layer carries (COD-AB ADM2ALT1EN/ADM2ALT2EN, lists such as alt_en) as [alias, pcode] rows. */
export function altNames(layer: RawLayer, level: 1 | 2, units: UnitFeature[]): [string, string][] {
  const re = new RegExp(`^(adm${level}_?alt\\d*_?en|alt_en|alt_names?)$`, 'i');
  const fields = fieldsOf(layer).filter((f) => re.test(f));
  const out: [string, string][] = [];
  layer.features.forEach((f, i) => {
    const u = units[i]?.properties;
    if (!u) return;
    const vals = fields.flatMap((k) => {
      const v = f.properties?.[k];
      return Array.isArray(v) ? v.map(str) : str(v).split(/[;|]/).map((x) => x.trim());
    });
    for (const v of new Set(vals)) if (v && v !== u.name) out.push([v, u.pcode]);
  });
  return out;
}

/** A point inside the unit (pole of inaccessibility of its largest part), for labels and parent joins. */
export function labelPoint(g: Polygon | MultiPolygon): [number, number] {
  const parts: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: Position[][] = parts[0] ?? [];
  let bestArea = -1;
  for (const rings of parts) {
    const a = Math.abs(ringArea(rings[0] ?? []));
    if (a > bestArea) (bestArea = a), (best = rings);
  }
  const span = bboxOf(g);
  const p = polylabel(best as [number, number][][], Math.max(span[2] - span[0], span[3] - span[1]) / 200 || 1e-4);
  return [p[0], p[1]];
}

function ringArea(r: Position[]): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += ((r[j]?.[0] ?? 0) - (r[i]?.[0] ?? 0)) * ((r[j]?.[1] ?? 0) + (r[i]?.[1] ?? 0));
  return s / 2;
}

export function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of parts)
    for (const [x = 0, y = 0] of rings[0] ?? []) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/** Districts without a parent take the province whose polygon holds their label point. */
export function joinParents(adm2: UnitFeature[], adm1: UnitFeature[]): void {
  const boxes = adm1.map((f) => bboxOf(f.geometry));
  for (const d of adm2) {
    const u = d.properties;
    const byCode = u.admin1_code && adm1.find((p) => p.properties.pcode === u.admin1_code);
    if (byCode) {
      u.admin1 ||= byCode.properties.name;
      continue;
    }
    const byName = u.admin1 && adm1.find((p) => p.properties.name === u.admin1);
    if (byName) {
      u.admin1_code ||= byName.properties.pcode;
      continue;
    }
    if (u.admin1 || u.admin1_code) continue;
    const [x, y] = labelPoint(d.geometry);
    const i = boxes.findIndex((b, k) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && booleanPointInPolygon([x, y], adm1[k]!.geometry));
    const p = adm1[i];
    if (p) (u.admin1 = p.properties.name), (u.admin1_code = p.properties.pcode);
  }
}

export interface TopologyOptions {
  /** Simplification threshold: planar triangle area in square degrees (1e-7 is about 35 m x 35 m). */
  minWeight: number;
  /** Grid the coordinates snap to (1e5 steps across the pack's extent). */
  quantization: number;
}

/** One topology for both levels: shared borders are stored once, simplified alike, quantized. */
export function buildTopology(adm1: UnitFeature[], adm2: UnitFeature[], o: TopologyOptions): PackTopology {
  const fc = (features: UnitFeature[]): FeatureCollection<Polygon | MultiPolygon, AdminUnit> => ({ type: 'FeatureCollection', features });
  // Arcs are found on a fine grid; presimplify works in degrees (it drops the transform), so the
  // simplified topology is quantized again at the end.
  let topo = toTopology({ adm1: fc(adm1), adm2: fc(adm2) }, 1e7) as unknown as PackTopology;
  topo = quantize(simplify(presimplify(topo), o.minWeight), o.quantization);
  // topojson-server leaves an empty layer as a bare GeometryCollection without geometries.
  for (const k of ['adm1', 'adm2'] as const) topo.objects[k] = { type: 'GeometryCollection', geometries: topo.objects[k]?.geometries ?? [] };
  return topo;
}

/** The features of one level of a pack topology. */
export function unitFeatures(topo: PackTopology, level: 1 | 2): UnitFeature[] {
  const obj = topo.objects[level === 1 ? 'adm1' : 'adm2'];
  if (!obj?.geometries?.length) return [];
  const fc = feature(topo, obj) as FeatureCollection<Polygon | MultiPolygon, AdminUnit>;
  return fc.features.filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
}
