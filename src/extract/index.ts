// The extraction pipeline, wired: Doc -> sentences -> per-sentence facts (tokens, dates,
// counts, actors, places, predicates, frames) -> drafts -> ACLED events. Resources (rules,
// lexicons, gazetteer) are loaded once and passed in; extractDoc itself does no I/O.
import type { Config } from '../config.js';
import type { Gazetteer } from '../geo/gazetteer.js';
import { loadGazetteer } from '../geo/gazetteer.js';
import type { Doc, Sentence, StageResult } from '../core/types.js';
import { checkDeadline, type Deadline } from '../core/deadline.js';
import type { Event } from '../schema/event.js';
import { Event as EventSchema } from '../schema/event.js';
import type { ActorLexicon } from './actors.js';
import { conventionFor, countryName, loadActorLexicon, theatreProvinces } from './actors.js';
import { analyseSentences, type CountryFree } from './analyse.js';
import { toEvent } from './build.js';
import { fillOpponent, preferNamed } from './cast.js';
import { namedCountries, ranked, votedCountries } from './countries.js';
import { loadDateRules, type DateRules } from './dates.js';
import { tell, type DiscourseContext, type Draft, type SentenceAnalysis } from './discourse.js';
import { loadFatalityRules, type FatalityRules } from './fatalities.js';
import type { EventLexicon } from './lexicon.js';
import { loadEventLexicon } from './lexicon.js';
import { mergeDrafts } from './merge.js';
import type { PlaceMention } from './places.js';
import { perpetratorClaim } from './tolls.js';
import type { SegmentRules } from './segment.js';
import { loadSegmentRules, segment } from './segment.js';
import type { ActorMention } from './types.js';
import { redecide } from './discourse.js';

export interface Resources {
  config: Config;
  events: EventLexicon;
  dates: DateRules;
  fatalities: FatalityRules;
  actors: ActorLexicon;
  gazetteer: Gazetteer;
  segment: SegmentRules;
}

export function loadResources(config: Config): Resources {
  const fatalities = loadFatalityRules(config);
  const dates = loadDateRules(config, fatalities);
  const actors = loadActorLexicon(config);
  const gazetteer = loadGazetteer(config.dataDir, config);
  // Countries the actor tables do not list still get their name in generic actors
  // ("Protesters (Kazakhstan)"), from the gazetteer's country table.
  for (const iso2 of gazetteer.countryCodes()) {
    const name = gazetteer.country(iso2)?.country;
    if (name && !actors.countryNames.has(iso2)) actors.countryNames.set(iso2, name);
  }
  return { config, events: loadEventLexicon(config), dates, fatalities, actors, gazetteer, segment: loadSegmentRules(config) };
}

export interface ExtractOptions {
  /** YYYY-MM-DD the report's relative dates resolve against (the CLI falls back to today). */
  published: string;
  source: string;
  /** Give the report up (TimeLimitError) when a stage ends after this. */
  deadline?: Deadline;
}

/** A place matched only approximately (fuzzy or by a spelling class). */
const approximate = (p: PlaceMention): boolean => p.match?.how === 'fuzzy' || p.match?.how === 'loose';

export interface Analysis {
  analyses: SentenceAnalysis[];
  ctx: DiscourseContext;
  actorCounts: Map<string, { n: number; m: ActorMention }>;
}

/** Everything the stages find in each sentence, before the discourse (also what `sitrep explain` shows). */
export function analyseDoc(doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Analysis> {
  const text = doc.text;
  const { value: sentences, warnings } = segment(doc, res.segment);
  checkDeadline(opts.deadline);
  // Sections start at headings: a date told under one heading does not carry into the next.
  const sectionOf = new Map<number, number>();
  let section = 0;
  doc.blocks.forEach((b, i) => {
    if (b.heading) section++;
    sectionOf.set(i, section);
  });
  const { weights: named, guessed } = namedCountries(res.gazetteer, res.actors, text, opts.published);
  let countries = ranked(named);
  // A mission or region the report names may say which provinces it is in (rules/actors/theatres.tsv).
  const admin1 = theatreProvinces(res.actors, text);
  const fixed = new Map<Sentence, CountryFree>();
  let pass = analyseSentences(res, text, sentences, sectionOf, { countries, admin1, guessed }, opts.published, fixed);
  checkDeadline(opts.deadline);
  // The places a report names are the best evidence of where it is: when they point to
  // another country than its names and demonyms do, analyse again with that country first.
  const better = votedCountries(named, [...pass.analyses.flatMap((a) => a.places), ...pass.qualifiers]);
  if (better[0] && better[0] !== countries[0]) {
    countries = better;
    pass = analyseSentences(res, text, sentences, sectionOf, { countries, admin1 }, opts.published, fixed);
    checkDeadline(opts.deadline);
  }
  const { analyses, actorCounts } = pass;
  warnings.push(...pass.warnings);
  // A spelling matched only approximately is trusted inside the provinces the report names
  // outright; elsewhere it is a stranger ("Dasht-e-Barchi" in a Kabul report is no village in Kunduz).
  const provinces = new Set(analyses.flatMap((a) => a.places.filter((p) => !approximate(p) && p.place.admin1_code).map((p) => p.place.admin1_code)));
  if (provinces.size) for (const a of analyses) a.places = a.places.filter((p) => !approximate(p) || provinces.has(p.place.admin1_code));

  const ctx: DiscourseContext = {
    lex: res.events,
    text,
    published: opts.published,
    country: countries[0] ?? null,
    countryName: (iso2) => countryName(res.actors, iso2) ?? res.gazetteer.country(iso2)?.country ?? null,
    countryPlace: countries[0] ? res.gazetteer.country(countries[0]) : null,
    placed: analyses.some((a) => a.places.length > 0),
  };
  return { value: { analyses, ctx, actorCounts }, warnings };
}

export function extractDoc(doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Event[]> {
  const { value: a, warnings } = analyseDoc(doc, res, opts);
  const events = eventsOf(a, doc, res, opts);
  return { value: events.value, warnings: [...warnings, ...events.warnings] };
}

const GENERIC_ARMED_NAME = 'Unidentified Armed Group';

/** The drafts of an analysed report: told sentence by sentence, then merged where one event was told twice. */
export function draftsOf(a: Analysis, res: Pick<Resources, 'fatalities' | 'actors'>, source: string): Draft[] {
  const { analyses, ctx, actorCounts } = a;
  // An event told only "in Afghanistan" is coded where another sentence places it, or not at all;
  // a report that places nothing (discourse.ts, placeless) keeps its events in its country.
  const drafts = mergeDrafts(
    tell(ctx, analyses).filter((d) => d.place.level !== 'country' || !ctx.placed),
    (d) => redecide(ctx, d),
  );
  for (const d of drafts) {
    // A device or shell whose owner no sentence names is an unidentified armed group's (ACLED);
    // an aircraft's is not guessed.
    if (d.eventType === 'Explosions/Remote violence' && !d.actor1 && d.subType !== 'Air/drone strike' && d.subType !== 'Chemical weapon') {
      const name = ctx.countryName(d.place.iso2);
      d.actor1 = { name: name ? `${GENERIC_ARMED_NAME} (${name})` : GENERIC_ARMED_NAME, inter: 3, country: d.place.iso2, span: null };
    }
    preferNamed(d, actorCounts);
    fillOpponent(d, d.eventType, actorCounts);
    // Unnamed perpetrators take the name the country's convention gives events with these marks.
    if (d.actor1 && d.actor1.name.startsWith(GENERIC_ARMED_NAME)) {
      const c = conventionFor(res.actors, d.place.iso2, d.sentences.map((s) => s.text).join(' '));
      if (c) {
        d.actor1 = { ...d.actor1, name: c.name, inter: c.inter };
        d.rule += ` + ${c.where}`;
      }
    }
    // A toll only the perpetrator's own outlet gives is a claim: 0 until confirmed.
    const tollSentence = d.fatalitySpan ? (d.sentences.find((s) => s.start <= d.fatalitySpan!.start && d.fatalitySpan!.end <= s.end)?.text ?? null) : null;
    const claim = d.fatalities ? perpetratorClaim(res.fatalities.outlets, source, ctx.text, d.actor1?.name ?? null, tollSentence, d.fatalities) : null;
    if (claim) {
      d.fatalities = 0;
      d.rule += ` + ${claim.where}`;
    }
  }
  return drafts;
}

/** The events of an analysed report (for callers that also want the analysis, such as its sentences). */
export function eventsOf(a: Analysis, doc: Doc, res: Resources, opts: ExtractOptions): StageResult<Event[]> {
  const warnings: string[] = [];
  const events: Event[] = [];
  for (const d of draftsOf(a, res, opts.source)) {
    checkDeadline(opts.deadline);
    const e = toEvent(d, res.gazetteer, opts.source, doc.text);
    const parsed = EventSchema.safeParse(e);
    if (parsed.success) events.push(parsed.data);
    else warnings.push(`dropped an event that failed the schema: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return { value: events, warnings };
}
