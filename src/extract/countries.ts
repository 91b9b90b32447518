// The report's countries, most salient first: what names them (country names, demonyms, the
// home countries of named actors: "Taliban" is Afghan), then what its places point at.
import type { ActorLexicon } from './actors.js';
import { actorHomes, demonymCountries, elsewhereCountries, theatreCountries } from './actors.js';
import { blank } from '../core/spans.js';
import type { Gazetteer } from '../geo/gazetteer.js';
import { findCountries, type PlaceMention } from './places.js';

export type Weights = Map<string, number>;

// A match starts where its letters start or where the last one ended (as the leftmost match
// does anyway), not at each letter of a run that is no sponsor: linear (the ReDoS check).
const SPONSOR = /(?:(?<![\p{L}.])|(?<=-(?:led|backed|brokered|supported|sponsored|allied|funded|trained|armed|owned|aligned|controlled)))[\p{L}.]+-(?:led|backed|brokered|supported|sponsored|allied|funded|trained|armed|owned|aligned|controlled)\b/gu;
// SPONSOR's suffix alone: a quick look spares most reports its scan, which tries every letter.
const SPONSOR_SUFFIX = /-(?:led|backed|brokered|supported|sponsored|allied|funded|trained|armed|owned|aligned|controlled)\b/u;

function addWeights(w: Weights, list: string[], weight: number): void {
  list.forEach((c, i) => w.set(c, (w.get(c) ?? 0) + weight * (list.length - i)));
}

export function ranked(w: Weights): string[] {
  return [...w.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

/**
 * What names the report's countries before places are resolved, and whether they are only
 * guessed (from actors' homes and demonyms, no country or theatre named).
 */
export function namedCountries(gazetteer: Gazetteer, actors: ActorLexicon, full: string, published: string): { weights: Weights; guessed: boolean } {
  // "Saudi-led", "Turkey-backed", "Russian-brokered" name a sponsor, not where the report is.
  const sponsorless = SPONSOR_SUFFIX.test(full) ? full.replace(SPONSOR, (m) => ' '.repeat(m.length)) : full;
  // "the US dollar", "the French embassy" (rules/actors/words.tsv, elsewhere) are not where it is.
  const text = blank(sponsorless, elsewhereCountries(actors, sponsorless));
  const w: Weights = new Map();
  const names = findCountries(gazetteer, text);
  const theatres = theatreCountries(actors, text);
  addWeights(w, names, 3);
  addWeights(w, demonymCountries(actors, text), 1);
  addWeights(w, theatres, 2);
  addWeights(w, actorHomes(actors, text, { date: published, countries: [] }), 1);
  return { weights: w, guessed: !names.length && !theatres.length };
}

/** A place firm enough to point at the report's country alone: a province or district, a place with a cue word, or a sizeable town. */
function firm(p: PlaceMention): boolean {
  return p.place.level === 'admin1' || p.place.level === 'admin2' || !!p.cue || p.place.population >= 100_000;
}

/**
 * The countries once places have voted. Places vote for their country when it is one the
 * report names, or when they resolved firmly (a province, a cue word, a big town): a stray
 * homonym abroad must not make its country the report's. Provinces and districts weigh more
 * than towns, which have namesakes; a country that only big towns point at is dropped once a
 * province points elsewhere ("Palma town (Palma, Cabo Delgado)" is not the Spanish Palma).
 */
export function votedCountries(named: Weights, places: readonly PlaceMention[]): string[] {
  const votes: Weights = new Map(named);
  const byUnits = new Set<string>();
  // A match through another language's alternate name ("Christian" for Christian County) is no evidence.
  for (const p of places) {
    if (p.place.level === 'country' || p.match?.how === 'alt' || !(named.has(p.place.iso2) || firm(p))) continue;
    votes.set(p.place.iso2, (votes.get(p.place.iso2) ?? 0) + (p.place.level === 'town' ? 4 : 6));
    if (p.place.level !== 'town') byUnits.add(p.place.iso2);
  }
  if (byUnits.size) for (const c of [...votes.keys()]) if (!named.has(c) && !byUnits.has(c)) votes.delete(c);
  // When nothing else points at a country ("regime forces shelled Fleifel in Idleb"), the places
  // matched by another spelling or small towns are the only evidence there is: they vote, units first.
  if (!votes.size)
    for (const p of places) {
      if (p.place.level === 'country') continue;
      votes.set(p.place.iso2, (votes.get(p.place.iso2) ?? 0) + (p.place.level === 'town' ? 1 : 2) * p.score);
    }
  return ranked(votes);
}
