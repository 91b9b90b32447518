// The map of an HTML brief: one inline SVG drawn here, with no browser and nothing fetched, from
// the data sitrep ships (country outlines in data/world, district polygons of the boundary
// packs): the area's districts filled by who holds them on the last day (hatched when
// contested), the period's events as points coloured by type and sized by fatalities, a legend
// and the data credits. Projection: equirectangular, x scaled by the cosine of the middle
// latitude, which keeps a province-sized area true to shape.
import fs from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Config } from '../config.js';
import { ROOT } from '../config.js';
import { loadSideColours } from '../control/claims.js';
import type { Boundaries } from '../geo/boundaries.js';
import { bboxOf, labelPoint } from '../geo/packs.js';
import { EVENT_TYPES } from '../schema/event.js';
import type { EventType } from '../schema/event.js';
import { anchor, esc } from './html.js';

export interface MapPoint {
  event_id: string;
  event_type: string;
  location: string;
  latitude: number;
  longitude: number;
  fatalities: number;
}

export interface MapDistrict {
  /** P-code (or the store's code) of the district. */
  code: string;
  name: string;
  controller: string | null;
  status: string;
}

/** What a brief gives its map: its events with a point, and its districts' control on the last day. */
export interface BriefMap {
  points: MapPoint[];
  districts: MapDistrict[];
  /** Said instead of the map where none is drawn (Markdown, or nothing to place). */
  none: string;
}

type Area = Feature<Polygon | MultiPolygon, { name?: string; pcode?: string; admin1_code?: string }>;

/** The geometry and colours a map is drawn with, read once from data/ and the rules. */
export interface MapData {
  countries: Area[];
  /** District polygons of every boundary pack. */
  districts: Area[];
  sideColours: Map<string, string>;
  credits: string;
}

/** Event-type colours of the brief's map and of the web map (through /api/meta), so the two agree. */
export const TYPE_COLOURS: Record<EventType, string> = {
  Battles: '#c0392b',
  'Explosions/Remote violence': '#e67e22',
  'Violence against civilians': '#8e44ad',
  Protests: '#2980b9',
  Riots: '#16a085',
  'Strategic developments': '#7f8c8d',
};

/** The credits the outlines and boundaries ask for (NOTICE), as the web map shows them. */
export const MAP_CREDITS = 'Districts: OCHA COD-AB, AGCHO · Countries: Natural Earth · Places: GeoNames (CC BY 4.0)';

const WORLD_FILE = path.join(ROOT, 'data', 'world', 'countries.topo.json');

export function loadMapData(config: Config, boundaries: Boundaries): MapData {
  const topo = JSON.parse(fs.readFileSync(WORLD_FILE, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = (feature(topo, topo.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>).features;
  return { countries, districts: boundaries.featureCollection(2).features, sideColours: loadSideColours(config), credits: MAP_CREDITS };
}

const WIDTH = 640;
const MAX_HEIGHT = 520;
const LEGEND_ROW = 16;

type Box = [number, number, number, number];

function rings(g: Polygon | MultiPolygon): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function boxOf(points: Position[]): Box {
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const overlaps = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** The SVG of a brief's map, or null when it has nothing to place. */
export function briefMapSvg(map: BriefMap, data: MapData, caption: string): string | null {
  const codes = new Set(map.districts.map((d) => d.code));
  const shown = data.districts.filter((f) => codes.has(f.properties.pcode ?? ''));
  // The provinces of what is shown are drawn whole, as context.
  const provinces = new Set(shown.map((f) => f.properties.admin1_code));
  const extent = [...map.points.map((p) => [p.longitude, p.latitude]), ...shown.flatMap((f) => rings(f.geometry).flat())];
  if (!extent.length) return null;
  let [w, s, e, n] = boxOf(extent);
  // At least half a degree across, and a margin of a tenth on each side.
  const padX = Math.max(0.25 - (e - w) / 2, 0) + (e - w) * 0.1;
  const padY = Math.max(0.25 - (n - s) / 2, 0) + (n - s) * 0.1;
  [w, s, e, n] = [w - padX, s - padY, e + padX, n + padY];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  let scale = WIDTH / ((e - w) * k);
  let height = (n - s) * scale;
  if (height > MAX_HEIGHT) {
    scale = MAX_HEIGHT / (n - s);
    height = MAX_HEIGHT;
  }
  const width = Math.round((e - w) * k * scale);
  height = Math.round(height);
  const x = (lon: number) => Math.round((lon - w) * k * scale * 10) / 10;
  const y = (lat: number) => Math.round((n - lat) * scale * 10) / 10;
  const d = (g: Polygon | MultiPolygon) => rings(g).map((r) => `M${r.map((p) => `${x(p[0]!)},${y(p[1]!)}`).join('L')}Z`).join('');
  const view: Box = [w, s, e, n];

  const countries = data.countries
    .filter((f) => overlaps(bboxOf(f.geometry), view))
    .map((f) => `<path d="${d(f.geometry)}"><title>${esc(f.properties.name ?? '')}</title></path>`)
    .join('');
  const byCode = new Map(map.districts.map((x) => [x.code, x]));
  const fillOf = (x: MapDistrict | undefined) =>
    !x || x.status === 'unknown' || !x.controller ? 'none' : x.status === 'contested' ? 'url(#contested)' : (data.sideColours.get(x.controller) ?? '#d9d2c3');
  const districts = data.districts
    .filter((f) => provinces.has(f.properties.admin1_code) && overlaps(bboxOf(f.geometry), view))
    .map((f) => {
      const x = byCode.get(f.properties.pcode ?? '');
      const what = x ? `${x.name}: ${x.status === 'unknown' || !x.controller ? 'control unknown' : `${x.status === 'contested' ? 'contested, last taken by' : 'held by'} ${x.controller}`}` : (f.properties.name ?? '');
      return `<path data-code="${esc(f.properties.pcode ?? '')}" fill="${fillOf(x)}" d="${d(f.geometry)}"><title>${esc(what)}</title></path>`;
    })
    .join('');
  // The districts whose control is known are named, at a point inside each.
  const labels = shown
    .map((f) => {
      const [lon, lat] = labelPoint(f.geometry);
      return `<text x="${x(lon)}" y="${y(lat)}">${esc(byCode.get(f.properties.pcode ?? '')?.name ?? f.properties.name ?? '')}</text>`;
    })
    .join('');
  // Larger tolls drawn first, so a small point is never hidden under a large one.
  const points = [...map.points]
    .sort((a, b) => b.fatalities - a.fatalities || a.event_id.localeCompare(b.event_id))
    .map((p) => {
      const r = Math.round(Math.min(12, 4 + Math.sqrt(p.fatalities)) * 10) / 10;
      const colour = TYPE_COLOURS[p.event_type as EventType] ?? '#37474f';
      return `<a href="#event-${anchor(p.event_id)}"><circle data-event="${esc(p.event_id)}" cx="${x(p.longitude)}" cy="${y(p.latitude)}" r="${r}" fill="${colour}"><title>${esc(`${p.event_id}: ${p.event_type}, ${p.location}${p.fatalities ? `, ${p.fatalities} killed` : ''}`)}</title></circle></a>`;
    })
    .join('');

  // Legend: the event types shown, then the control fills used.
  const types = (Object.keys(EVENT_TYPES) as EventType[]).filter((t) => map.points.some((p) => p.event_type === t));
  // Only the fills drawn: a district without a polygon (no boundary pack for it) shows none.
  const drawn = map.districts.filter((x) => shown.some((f) => f.properties.pcode === x.code));
  const held = [...new Set(drawn.filter((x) => x.status !== 'unknown' && x.status !== 'contested' && x.controller).map((x) => x.controller!))].sort();
  const keys: string[] = [
    ...types.map((t) => `<circle cx="6" cy="-4" r="5" fill="${TYPE_COLOURS[t]}"/><text x="16">${esc(t)}</text>`),
    ...held.map((c) => `<rect x="1" y="-9" width="10" height="10" fill="${data.sideColours.get(c) ?? '#d9d2c3'}" stroke="#8a8a8a"/><text x="16">held by ${esc(c)}</text>`),
    ...(drawn.some((x) => x.status === 'contested') ? ['<rect x="1" y="-9" width="10" height="10" fill="url(#contested)" stroke="#8a8a8a"/><text x="16">contested</text>'] : []),
  ];
  const legend = keys.map((k, i) => `<g transform="translate(8,${height + 18 + i * LEGEND_ROW})">${k}</g>`).join('');
  const total = height + 18 + keys.length * LEGEND_ROW + 8;
  return (
    `<figure class="map"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="map of the events and control" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="sans-serif" font-size="11">` +
    `<defs><pattern id="contested" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#666666" stroke-width="1.5"/></pattern>` +
    `<clipPath id="frame"><rect width="${width}" height="${height}"/></clipPath></defs>` +
    `<g clip-path="url(#frame)"><rect width="${width}" height="${height}" fill="#cfdce6"/>` +
    `<g class="countries" fill="#f2efe6" stroke="#8f8f8f" stroke-width="0.7">${countries}</g>` +
    `<g class="districts" stroke="#8a8a8a" stroke-width="0.5">${districts}</g>` +
    `<g class="labels" text-anchor="middle" fill="#222222" stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="bold">${labels}</g>` +
    `<g class="events" stroke="#ffffff" stroke-width="1" fill-opacity="0.9">${points}</g>` +
    `<text x="${width - 4}" y="${height - 4}" text-anchor="end" font-size="9" fill="#333">${esc(data.credits)}</text></g>` +
    `<g class="legend">${legend}</g></svg>` +
    `<figcaption>${esc(caption)}</figcaption></figure>`
  );
}
