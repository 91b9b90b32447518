// The extraction pipeline: Doc -> sentences -> per-sentence facts (dates, actors, places,
// counts, triggers) -> drafts -> ACLED events. Resources (rules, lexicons, gazetteer) are
// loaded once and passed in; extractDoc itself does no I/O.
import { hash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Gazetteer } from '../geo/gazetteer.js';
import { loadGazetteer } from '../geo/gazetteer.js';
import type { Event } from '../schema/event.js';
import { ARMED_INTERS, Event as EventSchema, interaction } from '../schema/event.js';
import type { ActorLexicon } from './actors.js';
import { actorHomes, countryName, demonymCountries, findActors, loadActorLexicon, stateForceName } from './actors.js';
import type { AssembleContext, Draft, SentenceAnalysis } from './assemble.js';
import { assemble } from './assemble.js';
import { attributionOf, type Attribution } from './certainty.js';
import type { EventRules } from './classify.js';
import { classify, listMatch, loadEventRules, modalityBefore } from './classify.js';
import type { SentenceFacts, TriggerMatch } from './classify.js';
import { findDates, loadDateRules } from './dates.js';
import { findFatalities, loadFatalityRules } from './fatalities.js';
import { findCountries, findPlaces } from './places.js';
import type { PlaceMention } from './places.js';
import type { SegmentRules } from './segment.js';
import { loadSegmentRules, segment } from './segment.js';
import { blank } from '../core/spans.js';
import type { Doc, Sentence, Span, StageResult } from '../core/types.js';
import type { ActorMention, DateMention, FatalityMention } from './types.js';

export interface Resources {
  config: Config;
  events: EventRules;
  actors: ActorLexicon;
  gazetteer: Gazetteer;
  segment: SegmentRules;
}

export function loadResources(config: Config): Resources {
  loadDateRules(config);
  loadFatalityRules(config);
  const actors = loadActorLexicon(config);
  const gazetteer = loadGazetteer(config.dataDir, config);
  // Countries the actor tables do not list still get their name in generic actors
  // ("Protesters (Kazakhstan)"), from the gazetteer's country table.
  for (const iso2 of gazetteer.countryCodes()) {
    const name = gazetteer.country(iso2)?.country;
    if (name && !actors.countryNames.has(iso2)) actors.countryNames.set(iso2, name);
  }
  return { config, events: loadEventRules(config), actors, gazetteer, segment: loadSegmentRules(config) };
}

export interface ExtractOptions {
  /** YYYY-MM-DD the report's relative dates resolve against (the CLI falls back to today). */
  published: string;
  source: string;
}

const FUZZY = /\bfuzzy\(/;
const NAMED_ACTOR = /named\.tsv/;

type Weights = Map<string, number>;

const SPONSOR = /[\p{L}.]+-(?:led|backed|brokered|supported|sponsored|allied|funded|trained|armed|owned|aligned|controlled)\b/gu;
// SPONSOR's suffix alone: a quick look spares most reports its scan, which tries every letter.
const SPONSOR_SUFFIX = /-(?:led|backed|brokered|supported|sponsored|allied|funded|trained|armed|owned|aligned|controlled)\b/u;

/** A place firm enough to point at the report's country alone: a province or district, a place with a cue word, or a sizeable town. */
function firm(p: PlaceMention): boolean {
  return p.place.level === 'admin1' || p.place.level === 'admin2' || !!p.cue || p.place.population >= 100_000;
}

function addWeights(w: Weights, list: string[], weight: number): void {
  list.forEach((c, i) => w.set(c, (w.get(c) ?? 0) + weight * (list.length - i)));
}

function ranked(w: Weights): string[] {
  return [...w.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
}

/**
 * What names the report's countries before places are resolved: country names, demonyms, and
 * the home countries of named actors ("Taliban" is Afghan).
 */
function namedCountries(res: Resources, full: string, published: string): Weights {
  // "Saudi-led", "Turkey-backed", "Russian-brokered" name a sponsor, not where the report is.
  const text = SPONSOR_SUFFIX.test(full) ? full.replace(SPONSOR, (m) => ' '.repeat(m.length)) : full;
  const w: Weights = new Map();
  addWeights(w, findCountries(res.gazetteer, text), 3);
  addWeights(w, demonymCountries(res.actors, text), 1);
  addWeights(w, actorHomes(res.actors, text, { date: published, countries: [] }), 1);
  return w;
}

export interface Analysis {
  analyses: SentenceAnalysis[];
  ctx: AssembleContext;
  actorCounts: Map<string, { n: number; m: ActorMention }>;
}

/** Everything the stages find in each sentence, before assembly (also what `sitrep explain` shows). */
export function analyseDoc(doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Analysis> {
  const text = doc.text;
  const { value: sentences, warnings } = segment(doc, res.segment);
  // Sections start at headings: a date told under one heading does not carry into the next.
  const sectionOf = new Map<number, number>();
  let section = 0;
  doc.blocks.forEach((b, i) => {
    if (b.heading) section++;
    sectionOf.set(i, section);
  });
  const named = namedCountries(res, text, opts.published);
  let countries = ranked(named);
  const fixed = new Map<Sentence, CountryFree>();
  let pass = analyseSentences(res, text, sentences, sectionOf, countries, opts, fixed);
  // The places a report names are the best evidence of where it is: when they point to
  // another country than its names and demonyms do, analyse again with that country first.
  // Places vote for their country when it is one the report names, or when they resolved
  // firmly (a province, a cue word, a big town): a stray homonym abroad must not make its
  // country the report's. Provinces and districts weigh more than towns, which have namesakes;
  // a country that only big towns point at is dropped once a province points elsewhere
  // ("Palma town (Palma, Cabo Delgado)" is not the Spanish Palma).
  const votes: Weights = new Map(named);
  const byUnits = new Set<string>();
  // A match through another language's alternate name ("Christian" for Christian County) is no evidence.
  for (const p of [...pass.analyses.flatMap((a) => a.places), ...pass.qualifiers]) {
    if (p.place.level === 'country' || /\balt\b/.test(p.rule) || !(named.has(p.place.iso2) || firm(p))) continue;
    votes.set(p.place.iso2, (votes.get(p.place.iso2) ?? 0) + (p.place.level === 'town' ? 4 : 6));
    if (p.place.level !== 'town') byUnits.add(p.place.iso2);
  }
  if (byUnits.size) for (const c of [...votes.keys()]) if (!named.has(c) && !byUnits.has(c)) votes.delete(c);
  const better = ranked(votes);
  if (better[0] && better[0] !== countries[0]) {
    countries = better;
    pass = analyseSentences(res, text, sentences, sectionOf, countries, opts, fixed);
  }
  const { analyses, actorCounts } = pass;
  warnings.push(...pass.warnings);
  // A spelling matched only approximately is trusted inside the provinces the report names
  // outright; elsewhere it is a stranger ("Dasht-e-Barchi" in a Kabul report is no village in Kunduz).
  const provinces = new Set(analyses.flatMap((a) => a.places.filter((p) => !FUZZY.test(p.rule) && p.place.admin1_code).map((p) => p.place.admin1_code)));
  if (provinces.size) for (const a of analyses) a.places = a.places.filter((p) => !FUZZY.test(p.rule) || provinces.has(p.place.admin1_code));

  const ctx: AssembleContext = {
    rules: res.events,
    text,
    published: opts.published,
    country: countries[0] ?? null,
    countryName: (iso2) => countryName(res.actors, iso2) ?? res.gazetteer.country(iso2)?.country ?? null,
  };
  return { value: { analyses, ctx, actorCounts }, warnings };
}

export function extractDoc(doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Event[]> {
  const { value: a, warnings } = analyseDoc(doc, res, opts);
  const events = eventsOf(a, doc, res, opts);
  return { value: events.value, warnings: [...warnings, ...events.warnings] };
}

/** The events of an analysed report (for callers that also want the analysis, such as its sentences). */
export function eventsOf(a: Analysis, doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Event[]> {
  const warnings: string[] = [];
  const { analyses, ctx, actorCounts } = a;
  const text = doc.text;
  const drafts = assemble(ctx, analyses);
  fillOpponents(drafts, actorCounts);

  const events: Event[] = [];
  for (const d of drafts) {
    const e = toEvent(d, res, opts, text);
    const parsed = EventSchema.safeParse(e);
    if (parsed.success) events.push(parsed.data);
    else warnings.push(`dropped an event that failed the schema: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return { value: events, warnings };
}

interface Pass {
  analyses: SentenceAnalysis[];
  /** Places named only to say where another is ("(Tadmor, Homs)"): no events, but evidence of the country. */
  qualifiers: PlaceMention[];
  actorCounts: Map<string, { n: number; m: ActorMention }>;
  warnings: string[];
}

/** What a sentence holds whatever the report's countries: found once, reused by a second pass. */
interface CountryFree {
  dates: DateMention[];
  fatalities: FatalityMention[];
  attribution: Attribution;
}

function analyseSentences(res: Resources, text: string, sentences: Sentence[], sectionOf: Map<number, number>, countries: string[], opts: ExtractOptions, fixed: Map<Sentence, CountryFree>): Pass {
  const warnings: string[] = [];
  const analyses: SentenceAnalysis[] = [];
  const qualifiers: PlaceMention[] = [];
  let previous: LazyFacts | null = null;
  const actorCounts = new Map<string, { n: number; m: ActorMention }>();
  // A report names its places again and again: whether a name is a people's is asked once.
  const namesPeople = new Map<string, boolean>();
  // Stage by stage over the report's sentences, not sentence by sentence: a stage's code and
  // data stay warm in the caches over all its sentences (measured: about 15% faster a pass).
  // What does not depend on the report's countries is found once and kept for a second pass.
  const missing = sentences.filter((s) => !fixed.has(s));
  const dates = missing.map((s) => findDates(text, s, opts.published).value);
  const fatalities = missing.map((s) => findFatalities(text, s).value);
  const attributions = missing.map((s) => attributionOf(res.events, text, s));
  missing.forEach((s, i) => fixed.set(s, { dates: dates[i]!, fatalities: fatalities[i]!, attribution: attributions[i]! }));
  const frees = sentences.map((s) => fixed.get(s)!);
  const dateOf = (i: number) => frees[i]!.dates[0]?.date ?? opts.published;
  const actorsOf = sentences.map((s, i) => findActors(res.actors, text, s, { date: dateOf(i), countries }).value);
  const placesOf = sentences.map((s, i) => {
    // Names of groups hold place names ("Islamic State Sahel Province"): the place finder does not see them.
    const named = actorsOf[i]!.filter((m) => NAMED_ACTOR.test(m.rule));
    // The place finder reads nothing outside the sentence: it gets the sentence alone (no copy
    // of the whole report per sentence), and its offsets are moved back into the report.
    const seen = named.length ? blank(s.text, named, s.start) : s.text;
    const placeResult = findPlaces(res.gazetteer, seen, { start: 0, end: seen.length, text: seen }, { countries });
    warnings.push(...placeResult.warnings);
    for (const p of placeResult.value) {
      p.start += s.start;
      p.end += s.start;
    }
    return placeResult.value;
  });
  const classifiedOf = sentences.map((s, i) => {
    const { dates } = frees[i]!;
    const actors = actorsOf[i]!;
    const places = placesOf[i]!;
    actors.push(...countriesActing(res, text, places, actors, dateOf(i), countries));
    actors.sort((a, b) => a.start - b.start);
    for (const a of actors) {
      const c = actorCounts.get(a.name);
      actorCounts.set(a.name, { n: (c?.n ?? 0) + 1, m: a });
    }
    const armed = actors.some((a) => ARMED_INTERS.has(a.inter));
    // "25 March 2020" holds no march.
    const withoutDates = blank(s.text, dates, s.start);
    const facts: LazyFacts = new LazyFacts(res.events, s, actors, withoutDates, previous, {
      place: (t: Span) => places.some((p) => p.place.level !== 'country' && placeGoverned(text, t, p, (w) => !!res.gazetteer.countryCode(w))),
      anyplace: places.some((p) => p.place.level !== 'country'),
      masks: dates,
      armed,
    });
    previous = facts;
    return classify(res.events, text, s, facts).value;
  });
  sentences.forEach((s, i) => {
    const { dates, fatalities, attribution } = frees[i]!;
    const actors = actorsOf[i]!;
    const places = placesOf[i]!;
    const classified = classifiedOf[i]!;
    // An aggregate ("in 2019, 300 people were killed") drops the triggers: looked for only when there are some.
    const aggregate = classified.triggers.length > 0 && !dates.some((d) => d.precision === 1) && listMatch(res.events, 'aggregate', s.text);
    const triggers = aggregate ? [] : classified.triggers;
    const suppressed = classified.suppressed;
    // A word naming a country or its people ("French", "Lebanon") is not a town of that name.
    const people = (p: PlaceMention) => {
      if (p.place.level === 'country') return false;
      let is = namesPeople.get(p.text);
      if (is === undefined) namesPeople.set(p.text, (is = demonymCountries(res.actors, p.text).length > 0));
      return is;
    };
    // A place inside an actor's name ("Islamic State Central Africa Province", "Sinaloa Cartel") is part of the name.
    const inName = (p: PlaceMention) => actors.some((m) => m.start <= p.start && p.end <= m.end && m.end - m.start > p.end - p.start);
    const kept = places.filter((p) => !people(p) && !inName(p) && !excludedPlace(res.events, text, p) && !inside(p, attribution.span) && !modalBetween(res.events, text, triggers, p));
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
    qualifiers.push(...kept.filter((q) => !eventPlaces.some((e) => e.start === q.start) && !agreesElsewhere(q)));
    analyses.push({
      sentence: s,
      section: sectionOf.get(s.block) ?? 0,
      dates,
      actors,
      places: eventPlaces,
      fatalities,
      triggers,
      suppressed,
      attribution,
    });
  });

  return { analyses, qualifiers, actorCounts, warnings };
}

/**
 * What classify asks of a sentence. Whether it names a crowd or civilians takes a word-list
 * search, made only when a rule with a match asks (through a getter, once).
 */
class LazyFacts implements SentenceFacts {
  readonly place: SentenceFacts['place'];
  readonly anyplace: boolean;
  readonly masks: Span[];
  readonly armed: boolean;
  private ownCrowd: boolean | undefined;
  private victims: boolean | undefined;
  private blockAfter: number | undefined;

  constructor(
    private readonly rules: EventRules,
    private readonly sentence: Sentence,
    private readonly actors: ActorMention[],
    /** The sentence with its dates blanked: "25 March 2020" holds no march. */
    private readonly withoutDates: string,
    /** The sentence before's facts, for a crowd named there. */
    private readonly previous: LazyFacts | null,
    known: Pick<SentenceFacts, 'place' | 'anyplace' | 'armed'> & { masks: Span[] },
  ) {
    this.place = known.place;
    this.anyplace = known.anyplace;
    this.masks = known.masks;
    this.armed = known.armed;
  }

  get crowd(): boolean {
    return (this.ownCrowd ??= this.actors.some((a) => a.inter === 5 || a.inter === 6) || !!listMatch(this.rules, 'crowd', this.withoutDates));
  }

  /**
   * A crowd named in the sentence before, in the same paragraph, is still the scene: "Women
   * demonstrated in Kabul. Taliban fighters fired in the air to disperse them."
   */
  get crowdNearby(): boolean {
    return this.crowdBlock() === this.sentence.block;
  }

  get civilians(): boolean {
    return (this.victims ??= this.actors.some((a) => a.inter === 7) || !!listMatch(this.rules, 'victims', this.sentence.text));
  }

  /** The paragraph whose crowd is still the scene after this sentence, or -1. */
  private crowdBlock(): number {
    return (this.blockAfter ??= this.crowd || this.previous?.crowdBlock() === this.sentence.block ? this.sentence.block : -1);
  }
}

/**
 * A country named as the subject of a verb acts through its state: "Turkey opened a base",
 * "Iran fired missiles" are its military (ACLED names states by their forces).
 */
function countriesActing(res: Resources, text: string, places: PlaceMention[], actors: ActorMention[], date: string, countries: string[]): ActorMention[] {
  const out: ActorMention[] = [];
  for (const p of places) {
    if (p.place.level !== 'country' || actors.some((a) => a.start < p.end && p.start < a.end)) continue;
    const next = text.slice(p.end, p.end + 30);
    if (!/^\s+(?:\w+ly\s+)?[a-z]+(?:ed|s)\b/.test(next) || /^\s+(?:and|or|is|was|has|had|as)\b/.test(next)) continue;
    const iso = p.place.iso2;
    out.push({ start: p.start, end: p.end, text: p.text, name: stateForceName(res.actors, iso, 'Military', date), inter: countries[0] && iso !== countries[0] ? 8 : 1, country: iso, rule: `${p.rule} (a country acting)` });
  }
  return out;
}

/** Places named only as a reference point, a destination or a speaker's home are not where events happen. */
function excludedPlace(rules: EventRules, text: string, p: { start: number; end: number }): boolean {
  const cx = placeContexts(rules);
  if (cx.before?.test(text.slice(Math.max(0, p.start - 60), p.start))) return true;
  const tail = text.slice(p.end, p.end + 40);
  return cx.after.some((re) => !!re?.test(tail));
}

/** Whether `p` follows `q` as "q, outside p" / "q (district), near the town of p". */
function appositiveNear(rules: EventRules, text: string, q: Span, p: Span): boolean {
  return !!placeContexts(rules).appositive?.test(text.slice(q.end, p.start));
}

interface PlaceContexts {
  /** Words before a place that make it a reference point: "east of", "from". */
  before: RegExp | null;
  /** Words after it that make it a person, a feature, not a location or a speaker, tried in this order. */
  after: (RegExp | null)[];
  /** "q, outside p": the gap after a place before the place it is near. */
  appositive: RegExp | null;
}

const contextsOf = new WeakMap<EventRules, PlaceContexts>();

/** Word lists of rules/events/lexicon.tsv wrapped in their context, compiled once per rule set (this runs for every place). */
function placeContexts(rules: EventRules): PlaceContexts {
  let cx = contextsOf.get(rules);
  if (!cx) {
    const around = (list: string, before: string, after: string) => {
      const re = rules.lists.get(list);
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
    contextsOf.set(rules, cx);
  }
  return cx;
}

/**
 * Territory is taken of a place: the place is the trigger's object ("seized the northern city
 * of Kunduz", "took control of the town and port of X") or, in the passive and with "fell",
 * its subject ("Herat fell to", "Kombolcha had fallen"). Only lower-case words may stand
 * between, so "seized Ivan Fedorov, the mayor of Melitopol" is not a capture of Melitopol.
 */
function placeGoverned(text: string, t: Span, p: Span, isCountry: (w: string) => boolean): boolean {
  const onlyLowerWords = (gap: string) => {
    // An unknown place followed by its parenthetical units stands in for them: "declared full
    // control of Al Baghuz Fawqani (Abu Kamal, Deir ez-Zor)"; a named crossing, bridge or base
    // on the way is part of what was taken ("the Wesh-Chaman border crossing with Pakistan and
    // the nearby town of Wesh").
    const words = gap
      .replace(/(?:\b[A-Z][\w'’-]*\s+){1,4}(?:(?:town|city|village|district|area)\s+)?\(\s*$/, '')
      .replace(/(?:\b[A-Z][\w'’-]*\s+){1,3}(?=(?:border )?(?:crossing|bridge|airport|airbase|air base|base|checkpoint|camp|port|dam|hill|garrison)\b)/g, '')
      .split(/[\s,()]+/)
      .filter((w) => w && !isCountry(w));
    return words.length <= 12 && words.every((w) => /^[a-z][\w'’-]*$/.test(w));
  };
  const head = text.slice(Math.max(0, t.start - 12), t.start);
  const passive = /\b(?:was|were|been|being|is|are)\s*$/.test(head);
  if (p.start >= t.end) return !passive && onlyLowerWords(text.slice(t.end, p.start));
  if (p.end > t.start) return false;
  const gap = text.slice(p.end, t.start);
  const intransitive = /^(?:fell|fall|fallen|had fallen|has fallen|under)/i.test(t.text);
  return onlyLowerWords(gap) && (passive || /\b(?:had|has|have)\s*$/.test(head) || intransitive || /^[\s,]*$/.test(gap));
}

// The gap between a place and a parenthetical that qualifies it: "As Sukhnah (Tadmor, Homs)",
// "Kankara town (Kankara, Katsina)".
const QUALIFIER_GAP = /^\s*(?:[a-z]+\s+){0,2}\(\s*(?:[^()]*,\s*)?$/;

/**
 * ACLED notes qualify a place with its units in parentheses, "(district, province)": those
 * names say where the place is, they are not places of their own, and the first of them gives
 * the district when the gazetteer does not know the place's.
 */
function withQualifiers(text: string, places: PlaceMention[]): PlaceMention[] {
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

function inside(p: Span, outer: Span | null): boolean {
  return !!outer && p.start >= outer.start && p.end <= outer.end;
}

/** A place after the trigger but inside a clause of intent ("... and will clear the Baghlan province") is not where the event was. */
function modalBetween(rules: EventRules, text: string, triggers: TriggerMatch[], p: Span): boolean {
  const t = triggers[0];
  if (!t || p.start < t.end) return false;
  const cue = modalityBefore(rules.modality, text, t.end, p.start);
  return !!cue && (cue.rule.kind === 'future' || cue.rule.kind === 'intent');
}

/** A battle with one side known: the other is the report's most-mentioned other armed actor. */
function fillOpponents(drafts: Draft[], counts: Map<string, { n: number; m: ActorMention }>): void {
  const armed = [...counts.values()].filter((c) => ARMED_INTERS.has(c.m.inter)).sort((a, b) => b.n - a.n);
  for (const d of drafts) {
    if (d.eventType !== 'Battles' || !d.actor1 || d.actor2) continue;
    const other = armed.find((c) => c.m.name !== d.actor1!.name && !c.m.name.toLowerCase().includes('anti-' + d.actor1!.name.toLowerCase()) && !d.actor1!.name.toLowerCase().includes('anti-' + c.m.name.toLowerCase().split(/[ :(]/)[0]!));
    if (other) d.actor2 = { name: other.m.name, inter: other.m.inter, country: other.m.country, span: null };
  }
}

// ISO3 codes by ISO2, read once per gazetteer: country() builds a whole place each time.
const iso3s = new WeakMap<Gazetteer, Map<string, string>>();

function iso3Of(gazetteer: Gazetteer, iso2: string): string {
  let codes = iso3s.get(gazetteer);
  if (!codes) iso3s.set(gazetteer, (codes = new Map()));
  let iso3 = codes.get(iso2);
  if (iso3 === undefined) codes.set(iso2, (iso3 = gazetteer.country(iso2)?.iso3 ?? iso2));
  return iso3;
}

function toEvent(d: Draft, res: Resources, opts: ExtractOptions, text: string): Event {
  const inter1 = d.actor1?.inter ?? 0;
  const inter2 = d.actor2?.inter ?? 0;
  const iso3 = iso3Of(res.gazetteer, d.place.iso2);
  // One-shot hash: a Hash object per event costs more than the digest.
  const id = hash('sha1', [opts.source, d.date, d.eventType, d.place.admin2_code ?? d.place.admin1_code ?? d.place.location, d.actor1?.name ?? ''].join('|')).slice(0, 8);
  const evidence = dedupeEvidence(d.evidence);
  const confidence = Math.min(
    1,
    0.4 +
      (d.dateFrom === 'sentence' ? 0.2 : d.dateFrom === 'section' ? 0.1 : 0) +
      (d.actor1 ? 0.1 : 0) +
      (d.actor2 ? 0.1 : 0) +
      (d.place.level === 'town' || d.place.level === 'admin2' ? 0.1 : 0) +
      (d.certainty === 'reported' ? 0.1 : d.certainty === 'claimed' ? 0.05 : 0),
  );
  const sentence = d.sentences.map((s) => s.text).join(' ');
  return {
    event_id: `${iso3}${id}`,
    event_date: d.date,
    time_precision: d.precision,
    event_type: d.eventType,
    sub_event_type: d.subType,
    actor1: d.actor1?.name ?? '',
    assoc_actor_1: d.assoc1.map((a) => a.name).join('; '),
    actor2: d.actor2?.name ?? '',
    assoc_actor_2: d.assoc2.map((a) => a.name).join('; '),
    inter1,
    inter2,
    interaction: interaction(inter1, inter2),
    country: d.place.country,
    iso: d.place.iso,
    admin1: d.place.admin1,
    admin2: d.place.admin2,
    location: d.place.location,
    latitude: round4(d.place.latitude),
    longitude: round4(d.place.longitude),
    geo_precision: d.place.geo_precision,
    fatalities: d.fatalities ?? 0,
    source: opts.source,
    notes: notes(d, sentence),
    evidence: evidence.filter((e) => text.slice(e.start, e.end) === e.text),
    attribution: d.attribution?.text ?? null,
    certainty: d.certainty,
    confidence: Math.round(confidence * 100) / 100,
    rule: d.rule,
    admin1_code: d.place.admin1_code,
    admin2_code: d.place.admin2_code,
  };
}

function round4(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e4) / 1e4;
}

/** The evidence in text order, each span and role once (the first told). */
function dedupeEvidence(list: Draft['evidence']): Draft['evidence'] {
  // Sorted first, stably: the copies of one span and role stand together among the evidence of
  // their start, the first told first, so comparing with the kept evidence of that start suffices.
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Draft['evidence'] = [];
  let run = 0;
  for (const e of sorted) {
    if (out.length && out[out.length - 1]!.start !== e.start) run = out.length;
    let copy = false;
    for (let i = run; i < out.length && !copy; i++) copy = out[i]!.end === e.end && out[i]!.role === e.role;
    if (!copy) out.push(e);
  }
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** ACLED-style notes: "On 20 August 2021, <what the report says> (Andarab, Baghlan)." */
function notes(d: Draft, sentence: string): string {
  const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
  const where = [d.place.admin2, d.place.admin1].filter(Boolean).join(', ');
  const fat = d.fatalities === null ? '' : ` ${d.fatalities} ${d.fatalities === 1 ? 'fatality' : 'fatalities'}.`;
  const told = sentence.trim();
  const lead = /^On \d{1,2} [A-Z][a-z]+ \d{4}\b/.test(told) ? '' : `On ${day} ${MONTHS[m - 1]} ${y}: `;
  return `${lead}${told} [${d.place.location}${where ? ` (${where})` : ''}]${fat}`;
}
