// The per-sentence stages, run stage by stage over a report's sentences (the dates of every
// sentence, then the counts, then the actors...): each stage's code and data stay warm in the
// caches. What does not depend on the report's countries (tokens, dates, counts, attributions)
// is found once and kept for a second pass with other countries.
import type { Gazetteer } from '../geo/gazetteer.js';
import { tokenize, type Token } from '../core/tokens.js';
import type { Sentence, Span } from '../core/types.js';
import { blank } from '../core/spans.js';
import { foldName } from '../geo/fold.js';
import type { ActorLexicon } from './actors.js';
import { countryName, demonymCountries, findActors, stateForceName } from './actors.js';
import { attributionOf, type Attribution } from './certainty.js';
import { findDates, type DateRules } from './dates.js';
import type { SentenceAnalysis } from './discourse.js';
import { appositiveNear, excludedPlace, inside, withQualifiers } from './eventplaces.js';
import { findFatalities, type FatalityRules } from './fatalities.js';
import { framesOf, objectsOf } from './frames.js';
import type { EventLexicon } from './lexicon.js';
import { listMatch } from './lexicon.js';
import { findPlaces, type PlaceMention } from './places.js';
import { findPredicates, modalityBefore, type Predicate } from './predicates.js';
import type { ActorMention, DateMention, FatalityMention } from './types.js';

export interface StageResources {
  events: EventLexicon;
  dates: DateRules;
  fatalities: FatalityRules;
  actors: ActorLexicon;
  gazetteer: Gazetteer;
}

export interface Pass {
  analyses: SentenceAnalysis[];
  /**
   * Places named only to say where another is ("(Tadmor, Homs)", "north of Raqqa province"):
   * no events, but evidence of the country.
   */
  qualifiers: PlaceMention[];
  actorCounts: Map<string, { n: number; m: ActorMention }>;
  warnings: string[];
}

/** What a sentence holds whatever the report's countries: found once, reused by a second pass. */
export interface CountryFree {
  tokens: Token[];
  dates: DateMention[];
  fatalities: FatalityMention[];
  attribution: Attribution;
}

const NAMED_ACTOR = /named\.tsv/;
const SELF_REPORT = /^[\s,]*(?:(?:on|late on|early on|last)\s+\w+\s+)?(?:that\s+)?(?:it|they|its|their|we|our)\b/i;

/** A speaker that reports its own act: "X said on Sunday it had captured", "X said its forces". */
function selfReport(text: string, span: Span | null): boolean {
  return !!span && SELF_REPORT.test(text.slice(span.end, span.end + 40));
}
const DEATH_ACTS = new Set(['kill', 'die', 'injure', 'corpse']);

/** Two spans of one phrase: overlapping, or at most a few words apart with no comma between. */
function near(text: string, a: Span, b: Span): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  const gap = a.end <= b.start ? text.slice(a.end, b.start) : text.slice(b.end, a.start);
  return !/[,;:.]/.test(gap) && gap.trim().split(/\s+/).filter(Boolean).length <= 4;
}
const GENERIC_ARMED = /^Unidentified Armed Group\b/;

/**
 * A country named as the subject of a verb acts through its state: "Turkey opened a base",
 * "Iran fired missiles" are its military (ACLED names states by their forces).
 */
function countriesActing(lex: ActorLexicon, text: string, places: PlaceMention[], actors: ActorMention[], date: string, countries: string[]): ActorMention[] {
  const out: ActorMention[] = [];
  for (const p of places) {
    if (p.place.level !== 'country' || actors.some((a) => a.start < p.end && p.start < a.end)) continue;
    const next = text.slice(p.end, p.end + 30);
    if (!/^\s+(?:\w+ly\s+)?[a-z]+(?:ed|s)\b/.test(next) || /^\s+(?:and|or|is|was|has|had|as)\b/.test(next)) continue;
    const iso = p.place.iso2;
    out.push({ start: p.start, end: p.end, text: p.text, name: stateForceName(lex, iso, 'Military', date), inter: countries[0] && iso !== countries[0] ? 8 : 1, country: iso, rule: `${p.rule} (a country acting)` });
  }
  return out;
}

const AFTER_PERSON = new Set(['in', 'near', 'at', 'on', 'was', 'were', 'who', 'and', 'with', 'during', 'from', 'after', 'while', 'when', 'by', 'for', 'to', 'as', 'had', 'has', 'have', 'is', 'are']);
const BEFORE_PERSON = new Set(['a', 'an', 'the', 'two', 'three', 'four', 'five', 'several', 'many', 'some', 'dozens', 'of']);

/**
 * A nationality used as a noun names people of that country: "shot a Palestinian near the
 * wall", "two Afghans were killed". They are civilians unless the sentence says otherwise.
 */
function peopleByNationality(res: StageResources, tokens: readonly Token[], actors: readonly ActorMention[]): ActorMention[] {
  const out: ActorMention[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!t.cap || t.kind !== 'w' || !(BEFORE_PERSON.has(tokens[k - 1]!.lower) || tokens[k - 1]!.kind === 'n')) continue;
    const next = tokens[k + 1];
    if (next && next.kind === 'w' && !AFTER_PERSON.has(next.lower)) continue;
    if (actors.some((a) => a.start <= t.start && t.end <= a.end)) continue;
    const word = t.text.endsWith('s') && !res.gazetteer.isDemonym(t.text) ? t.text.slice(0, -1) : t.text;
    if (!res.gazetteer.isDemonym(word)) continue;
    const iso = demonymCountries(res.actors, word)[0];
    const name = iso ? countryName(res.actors, iso) : null;
    if (!iso || !name) continue;
    out.push({ start: t.start, end: t.end, text: t.text, name: `Civilians (${name})`, inter: 7, country: iso, rule: 'a nationality as a noun (src/extract/analyse.ts)' });
  }
  return out;
}

/**
 * Generic mentions that point back at a named group of the same sentence ("Taliban fighters
 * captured X ... taken by the insurgents") are not a second actor; "militiamen from the CODECO
 * group" is CODECO, standing where the generic words stand.
 */
function withoutAnaphora(text: string, actors: ActorMention[]): ActorMention[] {
  const named = (n: ActorMention) => (n.inter === 2 || n.inter === 3 || n.inter === 4) && !GENERIC_ARMED.test(n.name);
  const out: ActorMention[] = [];
  for (let i = 0; i < actors.length; i++) {
    const m = actors[i]!;
    // "forces loyal to the government": whom they are loyal to is part of their name, no second actor.
    const follower = actors[i + 1];
    if (/\bloyal to$/i.test(m.text) && follower?.inter === 1 && /^\s+$/.test(text.slice(m.end, follower.start))) {
      out.push({ ...m, end: follower.end, text: text.slice(m.start, follower.end) });
      i++;
      continue;
    }
    if (!GENERIC_ARMED.test(m.name)) {
      out.push(m);
      continue;
    }
    if (actors.slice(0, i).some(named)) continue;
    const next = actors[i + 1];
    if (next && named(next) && /^\s+(?:from|of|belonging to|linked to|loyal to|affiliated with)\s+(?:the\s+)?$/i.test(text.slice(m.end, next.start))) {
      out.push({ ...next, start: m.start, end: next.end, text: text.slice(m.start, next.end) });
      i++;
      continue;
    }
    out.push(m);
  }
  // "ADF militants (Islamic State Central Africa Province)": a group named again in brackets is one actor.
  return out.filter((m, i) => !(i > 0 && named(m) && named(out[i - 1]!) && /^\s*\(\s*$/.test(text.slice(out[i - 1]!.end, m.start))));
}

const COMMON_ACTOR = /(?:forces|generic)\.tsv/;
const INSTITUTION_WORDS = /^(?:government|police|army|military|navy|air force|gendarmerie|national guard|security forces)$/i;

/**
 * A common word capitalised inside a longer name is no actor: "the Government Science
 * Secondary School", "Police Commissioner Ahmed". A force or generic word written with a
 * capital and followed by another capitalised word names an institution or a person.
 */
function inInstitution(tokens: readonly Token[], a: ActorMention): boolean {
  // A title before a name is the state acting through that person ("President Filipe Nyusi").
  const word = a.text.replace(/^the /i, '');
  if (!COMMON_ACTOR.test(a.rule) || !/^\p{Lu}/u.test(word) || !INSTITUTION_WORDS.test(word)) return false;
  const k = tokens.findIndex((t) => t.start >= a.end);
  const next = tokens[k];
  return !!next && next.start === a.end + 1 && next.cap && next.kind === 'w' && k > 0 && tokens[0]!.start !== a.start;
}

/** A place after the first predicate but inside a clause of intent ("... and will clear the Baghlan province") is not where the event was. */
function modalBetween(lex: EventLexicon, text: string, predicates: readonly Predicate[], p: Span): boolean {
  const t = predicates[0];
  if (!t || p.start < t.end) return false;
  const cue = modalityBefore(lex.modality, text, t.end, p.start);
  return !!cue && (cue.rule.kind === 'future' || cue.rule.kind === 'intent');
}

export function analyseSentences(res: StageResources, text: string, sentences: Sentence[], sectionOf: Map<number, number>, geo: { countries: string[]; admin1: string[]; guessed?: boolean }, published: string, fixed: Map<Sentence, CountryFree>): Pass {
  const { countries } = geo;
  const warnings: string[] = [];
  const analyses: SentenceAnalysis[] = [];
  const qualifiers: PlaceMention[] = [];
  const actorCounts = new Map<string, { n: number; m: ActorMention }>();
  // A report names its places again and again: whether a name is a people's is asked once.
  const namesPeople = new Map<string, boolean>();
  const missing = sentences.filter((s) => !fixed.has(s));
  const tokens = missing.map((s) => tokenize(text, s.start, s.end));
  const dates = missing.map((s) => findDates(res.dates, text, s, published).value);
  const fatalities = missing.map((s) => findFatalities(res.fatalities, text, s).value);
  const attributions = missing.map((s) => attributionOf(res.events, text, s));
  missing.forEach((s, i) => fixed.set(s, { tokens: tokens[i]!, dates: dates[i]!, fatalities: fatalities[i]!, attribution: attributions[i]! }));
  const frees = sentences.map((s) => fixed.get(s)!);
  const dateOf = (i: number) => frees[i]!.dates[0]?.date ?? published;
  const actorsOf = sentences.map((s, i) => findActors(res.actors, text, s, { date: dateOf(i), countries }).value);
  const placesOf = sentences.map((s, i) => {
    // Names of groups hold place names ("Islamic State Sahel Province"): the place finder does not see them.
    const named = actorsOf[i]!.filter((m) => NAMED_ACTOR.test(m.rule));
    // The place finder reads nothing outside the sentence: it gets the sentence alone, and its
    // offsets are moved back into the report.
    const seen = named.length ? blank(s.text, named, s.start) : s.text;
    const placeResult = findPlaces(res.gazetteer, seen, { start: 0, end: seen.length, text: seen }, geo);
    warnings.push(...placeResult.warnings);
    for (const p of placeResult.value) {
      p.start += s.start;
      p.end += s.start;
    }
    // In a theatre's provinces ("the OSCE SMM observed ... near Lozove"), a village of the same
    // name elsewhere in the country is a homonym, not the place: the event is left unlocated.
    if (geo.admin1.length) return placeResult.value.filter((p) => p.place.level !== 'town' || p.cue !== null || p.place.population >= 100_000 || p.place.iso2 !== countries[0] || p.match?.inNamedProvince === true);
    return placeResult.value;
  });
  sameNameSamePlace(placesOf);
  sentences.forEach((s, i) => {
    const { tokens: toks, dates: ds, fatalities: fs, attribution } = frees[i]!;
    const places = placesOf[i]!;
    const found = actorsOf[i]!;
    found.push(...countriesActing(res.actors, text, places, found, dateOf(i), countries));
    found.push(...peopleByNationality(res, toks, found));
    found.sort((a, b) => a.start - b.start);
    for (const a of found) {
      const c = actorCounts.get(a.name);
      actorCounts.set(a.name, { n: (c?.n ?? 0) + 1, m: a });
    }
    const actors = withoutAnaphora(text, found.filter((a) => !inInstitution(toks, a)));
    // Dates, place names and the names of groups hold no predicates: "5 March" is no march,
    // the "National Liberation Army" no liberation.
    // A word before the head of a force's name is no act either ("Riot police" did not riot);
    // a crowd's words still tell what it did ("rioting youths").
    const modifiers = found
      .filter((m) => !NAMED_ACTOR.test(m.rule) && m.inter !== 5 && m.inter !== 6 && m.text.includes(' '))
      .map((m) => {
        const text = m.text.slice(0, m.text.lastIndexOf(' '));
        return { start: m.start, end: m.start + text.length, text };
      });
    const { predicates: told, cancelled } = findPredicates(res.events, text, s, toks, [...ds, ...places, ...found.filter((m) => NAMED_ACTOR.test(m.rule)), ...modifiers]);
    // An aggregate ("in 2019, 300 people were killed") tells no event: looked for only when there are predicates.
    const aggregate = told.length > 0 && !ds.some((d) => d.precision === 1) && listMatch(res.events, 'aggregate', s.text);
    const predicates = aggregate ? [] : told;
    // A figure told with an act that did not happen, or is only a protest's topic ("against the
    // death of a man", "accused of killing 3"), is no toll.
    const figures = cancelled.length ? fs.filter((f) => !cancelled.some((c) => DEATH_ACTS.has(c.cls) && near(text, c, f))) : fs;
    // A word naming a country or its people ("French", "Lebanon") is not a town of that name.
    const people = (p: PlaceMention) => {
      if (p.place.level === 'country') return false;
      let is = namesPeople.get(p.text);
      if (is === undefined) namesPeople.set(p.text, (is = demonymCountries(res.actors, p.text).length > 0));
      return is;
    };
    // A place inside an actor's name ("Islamic State Central Africa Province", "Sinaloa Cartel") is part of the name.
    const inName = (p: PlaceMention) => found.some((m) => m.start <= p.start && p.end <= m.end && m.end - m.start > p.end - p.start);
    const named = places.filter((p) => !people(p) && !inName(p));
    // A landmark ("north of Raqqa province", "20 km from Kabul") is not where it happened, but it
    // is in the country where it happened.
    const landmarks = named.filter((p) => excludedPlace(res.events, text, p));
    const kept = named.filter((p) => !landmarks.includes(p) && !inside(p, attribution.span) && !modalBetween(res.events, text, predicates, p));
    // "in Dihdadi district, outside Mazar-i-Sharif": the place named outright is where it was;
    // the one after it only says where that is.
    const eventPlaces = withQualifiers(
      text,
      kept.filter((p) => !kept.some((q) => q.end <= p.start && appositiveNear(res.events, text, q, p))),
    );
    // A qualifier votes for its country unless one of its readings holds the place it qualifies
    // there ("Bamenda (Mezam, North-West)": Cameroon's North-West, not South Africa's); when
    // none does, the qualifier is the better witness ("Palma town (Palma, Cabo Delgado)").
    const agreesElsewhere = (q: PlaceMention) =>
      q.place.level !== 'country' &&
      eventPlaces.some((e) => e.place.iso2 !== q.place.iso2 && res.gazetteer.lookup(q.text, { cue: 'admin1' }).some((c) => c.place.iso2 === e.place.iso2 && c.place.admin1_code === e.place.admin1_code));
    qualifiers.push(...kept.filter((q) => !eventPlaces.some((e) => e.start === q.start) && !agreesElsewhere(q)), ...landmarks);
    const frames = framesOf({
      text,
      lex: res.events,
      tokens: toks,
      // Who says so is no party to what is said ("Ethiopian Prime Minister Abiy Ahmed said"),
      // unless it says it did it ("Tigrayan forces said on Sunday they had captured").
      actors: selfReport(text, attribution.span) ? actors : actors.filter((a) => !inside(a, attribution.span)),
      objects: objectsOf(res.events, toks, text),
      places: eventPlaces,
      predicates,
      cancelled,
      isCountry: (w) => !!res.gazetteer.countryCode(w),
    });
    analyses.push({
      sentence: s,
      section: sectionOf.get(s.block) ?? 0,
      tokens: toks,
      dates: ds,
      actors,
      places: eventPlaces,
      fatalities: figures,
      predicates,
      cancelled,
      frames,
      attribution,
    });
  });
  return { analyses, qualifiers, actorCounts, warnings };
}

/**
 * One name is one place in a report: "in El Salto, Jalisco" first, then "a former councilman of
 * El Salto" is the same town, not Durango's. A later mention of a name takes the place its first
 * mention resolved to (when both are the same kind of unit).
 */
function sameNameSamePlace(placesOf: PlaceMention[][]): void {
  const first = new Map<string, PlaceMention>();
  for (const places of placesOf)
    for (const p of places) {
      const key = foldName(p.text);
      const prev = first.get(key);
      if (!prev) first.set(key, p);
      else if (prev.place.level === p.place.level && (prev.place.iso2 !== p.place.iso2 || prev.place.admin1_code !== p.place.admin1_code)) {
        p.place = { ...prev.place };
        p.rule += '; as first named in the report';
      }
    }
}
