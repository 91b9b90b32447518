// `sitrep geocode`: src/geo/answer.ts with the places stage's reading of --context (the
// countries a text names).
import type { Gazetteer } from '../geo/gazetteer.js';
import { geocodeQuery as answer, type GeocodeAnswer, type GeocodeOptions } from '../geo/answer.js';
import { findCountries } from '../extract/places.js';

export type { GeocodeAnswer, GeocodeRow } from '../geo/answer.js';

export function geocodeQuery(gaz: Gazetteer, query: string, opts: Omit<GeocodeOptions, 'countriesOf'> = {}): GeocodeAnswer {
  return answer(gaz, query, { ...opts, countriesOf: (text) => findCountries(gaz, text) });
}
