// Event places: of the places a sentence names, those where something happened. Places named
// only as a reference point ("north of Panjshir"), a destination ("moving toward Khinjan"), a
// speaker's home ("Bano's former police chief"), a qualifier ("As Sukhnah (Tadmor, Homs)") or
// a place "near" another named outright are set aside; of a containment chain, the most
// specific stands.
import type { Place } from '../geo/gazetteer.js';
import type { Span } from '../core/types.js';
import type { EventLexicon } from './lexicon.js';
import type { PlaceMention } from './places.js';
import { foldName, looseKey } from '../geo/fold.js';

export function unitKey(p: Place): string {
  return p.admin2_code ?? (p.level === 'town' ? `${p.iso2}:${p.admin1_code}:${p.location}` : p.admin1_code ?? `${p.iso2}:${p.location}`);
}

/** True when `outer` is an admin unit that contains `inner`. */
export function contains(outer: Place, inner: Place): boolean {
  if (outer === inner) return false;
  if (outer.level === 'country') return inner.level !== 'country' && inner.iso2 === outer.iso2;
  if (outer.level === 'admin1') return inner.level !== 'admin1' && inner.level !== 'country' && !!outer.admin1_code && inner.admin1_code === outer.admin1_code;
  if (outer.level === 'admin2') return inner.level === 'town' && !!outer.admin2_code && inner.admin2_code === outer.admin2_code;
  return false;
}

/** Event places of a sentence: one per unit, the most specific of each containment chain. */
export function eventPlaces(places: readonly PlaceMention[]): PlaceMention[] {
  const seen = new Map<string, PlaceMention>();
  // "Gimbi woreda, West Wellega zone": a town whose district the gazetteer lacks takes the
  // district the same sentence names in its province.
  const withUnits = places.map((p) => {
    if (p.place.level !== 'town' || p.place.admin2_code) return p;
    const unit = places.find((q) => q.place.level === 'admin2' && q.place.admin1_code === p.place.admin1_code && q.place.iso2 === p.place.iso2);
    return unit ? { ...p, place: { ...p.place, admin2: unit.place.admin2, admin2_code: unit.place.admin2_code } } : p;
  });
  for (const p of withUnits) {
    if (p.place.level === 'country') continue;
    const key = unitKey(p.place);
    const prev = seen.get(key);
    // Of two names for one district, keep the town (more precise) over the unit.
    if (!prev || (prev.place.level !== 'town' && p.place.level === 'town')) seen.set(key, p);
  }
  const list = [...seen.values()];
  return list.filter((p) => !list.some((q) => contains(p.place, q.place) || (standsForProvince(p) && inProvinceOf(q, p))));
}

/** Is q a district or another town of p's province (not p's province itself, nor a town standing for it)? */
function inProvinceOf(q: PlaceMention, p: PlaceMention): boolean {
  return q !== p && (q.place.level === 'admin2' || q.place.level === 'town') && !standsForProvince(q) && q.place.iso2 === p.place.iso2 && q.place.admin1_code === p.place.admin1_code;
}

/**
 * A town written like its province's name and without a cue word ("Sharan town in Aleppo
 * countryside", "Kushk district, Herat") stands for the province when the sentence also names
 * a place inside it; "Herat city" keeps its cue and stays the city.
 */
function standsForProvince(p: PlaceMention): boolean {
  const { level, admin1, iso2 } = p.place;
  return level === 'town' && !p.cue && !!admin1 && (foldName(p.text) === foldName(admin1) || looseKey(p.text, iso2) === looseKey(admin1, iso2));
}

interface PlaceContexts {
  /** Words before a place that make it a reference point: "east of", "from". */
  before: RegExp | null;
  /** Words after it that make it a person, a feature, not a location or a speaker, tried in this order. */
  after: (RegExp | null)[];
  /** "q, outside p": the gap after a place before the place it is near. */
  appositive: RegExp | null;
}

const contextsOf = new WeakMap<EventLexicon, PlaceContexts>();

/** Word lists of rules/events/lexicon.tsv wrapped in their context, compiled once per lexicon (this runs for every place). */
function placeContexts(lex: EventLexicon): PlaceContexts {
  let cx = contextsOf.get(lex);
  if (!cx) {
    const around = (list: string, before: string, after: string) => {
      const re = lex.lists.get(list);
      return re ? new RegExp(`${before}(?:${re.source})${after}`, 'iu') : null;
    };
    cx = {
      before: around('not_location_before', '', '\\s+(?:(?:the|a|an)\\s+)?(?:(?:city|town|village|province|district|region)\\s+of\\s+)?$'),
      after: [
        around('person_after_possessive', "^['’]s?\\s+(?:\\w+\\s+)?", ''),
        around('natural_feature_after', '^\\s+', ''),
        around('not_location_after', '^\\s+', ''),
        around('speech_after', '^,?\\s+(?:has\\s+|had\\s+|also\\s+|later\\s+)?', ''),
      ],
      appositive: around('weak_place_before', '^\\s*(?:[a-z]+\\s*)?,\\s*', '\\s+(?:(?:the|a|an)\\s+)?(?:(?:city|town|village)\\s+of\\s+)?$'),
    };
    contextsOf.set(lex, cx);
  }
  return cx;
}

/** Places named only as a reference point, a destination or a speaker's home are not where events happen. */
export function excludedPlace(lex: EventLexicon, text: string, p: Span): boolean {
  const cx = placeContexts(lex);
  if (cx.before?.test(text.slice(Math.max(0, p.start - 60), p.start))) return true;
  const tail = text.slice(p.end, p.end + 40);
  return cx.after.some((re) => !!re?.test(tail));
}

/** Whether `p` follows `q` as "q, outside p" / "q (district), near the town of p". */
export function appositiveNear(lex: EventLexicon, text: string, q: Span, p: Span): boolean {
  return !!placeContexts(lex).appositive?.test(text.slice(q.end, p.start));
}

// The gap between a place and a parenthetical that qualifies it: "As Sukhnah (Tadmor, Homs)",
// "Kankara town (Kankara, Katsina)".
// Spaces after "(" are matched once, by [^()]* or by the last \s* (two patterns splitting a run
// of them every way was quadratic: the ReDoS check).
const QUALIFIER_GAP = /^\s*(?:[a-z]+\s+){0,2}\((?:[^()]*,)?\s*$/;

/**
 * ACLED notes qualify a place with its units in parentheses, "(district, province)": those
 * names say where the place is, they are not places of their own, and the first of them gives
 * the district when the gazetteer does not know the place's.
 */
export function withQualifiers(text: string, places: readonly PlaceMention[]): PlaceMention[] {
  const out: PlaceMention[] = [];
  const used = new Set<PlaceMention>();
  for (const p of places) {
    if (used.has(p)) continue;
    const quals = places.filter((q) => q !== p && q.start >= p.end && QUALIFIER_GAP.test(text.slice(p.end, q.start)));
    quals.forEach((q) => used.add(q));
    const district = quals.find((q) => q.place.level === 'admin2' || q.place.level === 'town');
    const needs = p.place.level === 'town' && !p.place.admin2_code && district && district.place.admin1_code === p.place.admin1_code;
    out.push(needs ? { ...p, place: { ...p.place, admin2: district.place.admin2 || district.place.location, admin2_code: district.place.admin2_code } } : p);
  }
  return out;
}

export function inside(p: Span, outer: Span | null): boolean {
  return !!outer && p.start >= outer.start && p.end <= outer.end;
}
