// One geocoding query to the answer shape of `sitrep geocode` and GET /api/geocode: {query,
// result, candidates}, plus `notes` when part of the query was not used. A coordinate pair
// resolves through the boundary packs to the admin units that contain it, or beyond them to
// the nearest town's; a name, with or without a tail ("Taizz, Yemen"), through src/geo/query.ts.
import { MIN_SCORE, type Candidate, type Gazetteer, type Place } from './gazetteer.js';
import { loadConfig } from '../config.js';
import { loadBoundaries, type Boundaries } from './boundaries.js';
import { parseCoordinates, type LatLon } from './coords.js';
import { nearestTown } from './nearest.js';
import { loadQueryWords, resolveQuery, type QueryWords } from './query.js';

/** A place as the answer writes it: the gazetteer's fields, the ISO2 as `iso`, and the score and reason. */
export interface GeocodeRow
  extends Pick<Place, 'country' | 'admin1' | 'admin1_code' | 'admin2' | 'admin2_code' | 'location' | 'latitude' | 'longitude' | 'geo_precision'> {
  iso: string;
  /** The place's level, or "point" for a coordinate query. */
  level: string;
  score: number;
  reason: string;
  /** The name the query gave that was not found, when the answer is a unit the query names ("Sabzi Kar, Balkh" → Balkh). */
  unresolved?: string;
  /** For a coordinate query: the nearest populated place of the index (within 100 km) and how far it is. */
  nearest?: { location: string; latitude: number; longitude: number; population: number; km: number };
}

export interface GeocodeAnswer {
  query: string;
  result: GeocodeRow | null;
  /** The ranked alternatives, best first (the result is the first), with scores and reasons. */
  candidates: GeocodeRow[];
  /** Parts of the query that were not used ("\"Xyz\" is no known unit of Yemen; not used"). */
  notes?: string[];
}

export interface GeocodeOptions {
  /** ISO2 of a country to prefer (the CLI's --country). */
  country?: string;
  /** Text around the place; its countries are found by countriesOf. */
  context?: string;
  /** The countries a text names, most salient first (the places stage's findCountries). */
  countriesOf?: (text: string) => string[];
  boundaries?: Boundaries;
  dataDir?: string;
  words?: QueryWords;
}

function row(c: Candidate): GeocodeRow {
  const p = c.place;
  return {
    country: p.country,
    iso: p.iso2,
    admin1: p.admin1,
    admin1_code: p.admin1_code,
    admin2: p.admin2,
    admin2_code: p.admin2_code,
    location: p.location,
    latitude: p.latitude,
    longitude: p.longitude,
    geo_precision: p.geo_precision,
    level: p.level,
    score: Math.round(c.score * 1000) / 1000,
    reason: c.reason,
  };
}

/** Beyond the boundary packs a point takes the units of the nearest town within this distance. */
const NEAR_KM = 25;
/** How far the nearest populated place of a coordinate answer is looked for. */
const NEAREST_KM = 100;

/** The admin units holding a point (boundary packs), else those of the nearest town; null when neither. */
function pointRow(gaz: Gazetteer, bounds: Boundaries, dataDir: string, pt: LatLon): GeocodeRow | null {
  const point = { latitude: Math.round(pt.lat * 1e4) / 1e4, longitude: Math.round(pt.lon * 1e4) / 1e4, geo_precision: 1 as const, level: 'point' };
  const near = nearestTown(dataDir, pt.lon, pt.lat, NEAREST_KM);
  const nearest = near ? { nearest: { location: near.row.name, latitude: near.row.lat, longitude: near.row.lon, population: near.row.pop, km: Math.round(near.km * 10) / 10 } } : {};
  const loc = bounds.locate(pt.lon, pt.lat);
  const unit = loc?.admin2 ?? loc?.admin1;
  if (loc && unit) {
    const iso2 = gaz.countryCodes().find((c) => gaz.country(c)?.iso3 === unit.iso3) ?? '';
    return {
      country: gaz.country(iso2)?.country ?? unit.country,
      iso: iso2,
      admin1: loc.admin1?.name ?? '',
      admin1_code: loc.admin1?.pcode || null,
      admin2: loc.admin2?.name ?? '',
      admin2_code: loc.admin2?.pcode ?? null,
      location: unit.name,
      ...point,
      score: 1,
      reason: `coordinates inside ${loc.admin2 ? 'district' : 'province'} polygon (${unit.iso3} pack)`,
      ...nearest,
    };
  }
  if (!near || near.km > NEAR_KM) return null;
  const t = near.row;
  const same = (c: Candidate) => c.place.level === 'town' && Math.abs(c.place.latitude - t.lat) < 1e-3 && Math.abs(c.place.longitude - t.lon) < 1e-3;
  const p = gaz.lookup(t.name, { countries: [t.iso2], cue: 'town' }).find(same)?.place;
  return {
    country: p?.country ?? gaz.country(t.iso2)?.country ?? t.iso2,
    iso: t.iso2,
    admin1: p?.admin1 ?? '',
    admin1_code: p?.admin1_code ?? null,
    admin2: p?.admin2 ?? '',
    admin2_code: p?.admin2_code ?? null,
    location: t.name,
    ...point,
    score: Math.round((1 - near.km / (2 * NEAR_KM)) * 1000) / 1000,
    reason: `no boundary pack covers the point; units of the nearest town, ${t.name} (${near.km.toFixed(1)} km)`,
    ...nearest,
  };
}

/** A coordinate query's answer (`geocode --reverse`, GET /api/geocode?lat=&lon=): the units holding the point and the nearest place. */
export function reverseGeocode(gaz: Gazetteer, pt: LatLon, opts: Pick<GeocodeOptions, 'boundaries' | 'dataDir'> = {}, query = `${pt.lat},${pt.lon}`): GeocodeAnswer {
  const r = pointRow(gaz, opts.boundaries ?? loadBoundaries(loadConfig()), opts.dataDir ?? loadConfig().dataDir, pt);
  return { query, result: r, candidates: r ? [r] : [] };
}

const wordsByGazetteer = new WeakMap<Gazetteer, QueryWords>();

export function geocodeQuery(gaz: Gazetteer, query: string, opts: GeocodeOptions = {}): GeocodeAnswer {
  const pt = parseCoordinates(query);
  if (pt) return reverseGeocode(gaz, pt, opts, query);
  const countries = [...(opts.country ? [opts.country.toUpperCase()] : []), ...(opts.context && opts.countriesOf ? opts.countriesOf(opts.context) : [])];
  let words = opts.words ?? wordsByGazetteer.get(gaz);
  if (!words) wordsByGazetteer.set(gaz, (words = loadQueryWords(loadConfig())));
  const a = resolveQuery(gaz, words, query, { countries: [...new Set(countries)] });
  const rows = a.candidates.slice(0, 5).map(row);
  if (rows[0] && a.unresolved) rows[0].unresolved = a.unresolved;
  const best = a.candidates[0];
  // A weak best (a lone alternate name, a loose spelling outside any named unit) is listed, not answered.
  const answer: GeocodeAnswer = { query, result: best && best.score >= MIN_SCORE ? rows[0]! : null, candidates: rows };
  if (a.notes.length) answer.notes = a.notes;
  return answer;
}
