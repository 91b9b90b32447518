// `sitrep geocode`: one query (plus optional country and context text) to the contract's
// answer shape {query, result, candidates}.
import type { Candidate, Gazetteer } from '../geo/gazetteer.js';
import { findCountries } from '../extract/places.js';

export interface GeocodeAnswer {
  query: string;
  result: ReturnType<typeof row> | null;
  candidates: ReturnType<typeof row>[];
}

function row(c: Candidate) {
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

export function geocodeQuery(gaz: Gazetteer, query: string, opts: { country?: string; context?: string }): GeocodeAnswer {
  const countries = [...(opts.country ? [opts.country.toUpperCase()] : []), ...(opts.context ? findCountries(gaz, opts.context) : [])];
  const candidates = gaz.lookup(query, { countries });
  return { query, result: candidates[0] ? row(candidates[0]) : null, candidates: candidates.slice(0, 5).map(row) };
}
