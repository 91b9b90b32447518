// The nearest town to a point, for coordinates no boundary pack covers: the towns of the packed
// index (data/geo/places.tsv.gz) in a flatbush index, read on first use.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Flatbush from 'flatbush';
import { parseRow, type Row } from './rows.js';

export interface NearTown {
  row: Row;
  km: number;
}

const EARTH_KM = 6371;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

const loaded = new Map<string, { towns: Row[]; tree: Flatbush }>();

function load(dataDir: string): { towns: Row[]; tree: Flatbush } {
  let hit = loaded.get(dataDir);
  if (hit) return hit;
  const towns = zlib
    .gunzipSync(fs.readFileSync(path.join(dataDir, 'geo', 'places.tsv.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('t\t'))
    .map(parseRow)
    .filter((r) => Number.isFinite(r.lat) && Number.isFinite(r.lon));
  const tree = new Flatbush(towns.length);
  for (const t of towns) tree.add(t.lon, t.lat, t.lon, t.lat);
  tree.finish();
  loaded.set(dataDir, (hit = { towns, tree }));
  return hit;
}

/** The closest town within maxKm of the point, or null. */
export function nearestTown(dataDir: string, lon: number, lat: number, maxKm: number): NearTown | null {
  const { towns, tree } = load(dataDir);
  // flatbush measures in degrees: take a few nearest by that and decide by great-circle distance.
  const deg = maxKm / (111.32 * Math.max(Math.cos(rad(lat)), 0.05));
  let best: NearTown | null = null;
  for (const i of tree.neighbors(lon, lat, 8, deg)) {
    const t = towns[i]!;
    const km = haversineKm(lon, lat, t.lon, t.lat);
    if (km <= maxKm && (!best || km < best.km)) best = { row: t, km };
  }
  return best;
}
