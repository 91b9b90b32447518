// Discourse: a report's sentences in order, from their frames to event drafts. One draft per
// frame, place and day; a sentence without a place of its own adds to the events just told
// (a toll, a claim, a denial, what a crowd met, the districts a count of districts stands for);
// dates carry forward within a section. What is carried from sentence to sentence is one
// named state (Discourse), so each step reads it and nothing else.
import type { Place } from '../geo/gazetteer.js';
import type { Span } from '../core/types.js';
import type { Evidence, EventType, SubEventType } from '../schema/event.js';
import { eventTypeOf } from '../schema/event.js';
import { cast, refOf, type ActorRef, type PatientRef } from './cast.js';
import type { Attribution, Certainty } from './certainty.js';
import { combineCertainty } from './certainty.js';
import { decide } from './decide.js';
import { contains, eventPlaces } from './eventplaces.js';
import { featuresOf, type Frame } from './frames.js';
import type { AgentKind, DecisionRow, EventLexicon, Means } from './lexicon.js';
import { listEndsWith, listMatch, MEANS } from './lexicon.js';
import type { PlaceMention } from './places.js';
import type { Cancelled, Predicate } from './predicates.js';
import { agentKindOf } from './roles.js';
import type { Token } from '../core/tokens.js';
import { isNotesTotal, share, tollOf, type Toll } from './tolls.js';
import type { ActorMention, DateMention, FatalityMention } from './types.js';
import type { Sentence } from '../core/types.js';

export interface SentenceAnalysis {
  sentence: Sentence;
  /** Sections are delimited by headings; a date carries forward only within its section. */
  section: number;
  tokens: Token[];
  dates: DateMention[];
  actors: ActorMention[];
  /** Places where an event may have happened (reference points and destinations removed). */
  places: PlaceMention[];
  fatalities: FatalityMention[];
  predicates: Predicate[];
  cancelled: Cancelled[];
  frames: Frame[];
  attribution: Attribution;
}

/** An event before it is written out: the Event is made from this. */
export interface Draft {
  subType: SubEventType;
  eventType: EventType;
  /** The predicate line and the decision row that made it. */
  rule: string;
  date: string;
  precision: 1 | 2 | 3;
  /** Where the date came from: the sentence's own event date, a reporting date ("said on Friday"), the section, or the publication date. */
  dateFrom: 'sentence' | 'reporting' | 'section' | 'published';
  place: Place;
  actor1: ActorRef | null;
  actor2: ActorRef | null;
  assoc1: ActorRef[];
  assoc2: ActorRef[];
  fatalities: number | null;
  fatalitySpan: Span | null;
  certainty: Certainty;
  attribution: Span | null;
  evidence: Evidence[];
  sentences: Sentence[];
  /** Index of the analysis that created the draft. */
  origin: number;
  /** What decided it, kept so that a later sentence or a merge can decide again. */
  acts: Set<string>;
  means: Means;
  meansAll: Set<Means>;
  agent: ActorRef | null;
  agentKind: AgentKind;
  /** A crowd of the scene turned violent (pooled from a later sentence): the event is a riot. */
  violentCrowd?: boolean;
  patients: PatientRef[];
  allies: ActorRef[];
  bystanders: ActorRef[];
  governed: boolean;
  predicateWhere: string;
}

export interface DiscourseContext {
  lex: EventLexicon;
  text: string;
  published: string;
  /** ISO2 of the report's country, for generic actors ("Civilians (X)"). */
  country: string | null;
  countryName: (iso2: string) => string | null;
  /** The report's country as a place: where its events are when it names no place the gazetteer knows. */
  countryPlace: Place | null;
  /** Whether some sentence names a place: if none does, the report is placeless and its events are in its country. */
  placed: boolean;
}

/** What is carried from one sentence to the next. */
interface Discourse {
  section: number;
  /** The last event date told in the section: the date of sentences that name none. */
  carried: DateMention | null;
  /** The drafts the last sentence with events made, and its index. */
  last: Draft[];
  lastOrigin: number;
  /** Places named by a sentence that told no event: the next sentence's event may be there
   * ("... attacked Seytenga town (Seno, Sahel). The government reported 86 civilians killed."). */
  spare: { places: PlaceMention[]; index: number } | null;
  /** Who acted in the sentence before, coded or not: "They" in the next one. */
  actor: { agent: ActorRef; kind: AgentKind; index: number } | null;
}

function ev(span: Span, role: string): Evidence {
  return { text: span.text, start: span.start, end: span.end, role };
}

function genericRef(ctx: DiscourseContext, label: string, inter: number, country: string | null = ctx.country): ActorRef {
  const name = country ? ctx.countryName(country) : null;
  return { name: name ? `${label} (${name})` : label, inter, country, span: null };
}

function before(text: string, span: Span, chars = 40): string {
  return text.slice(Math.max(0, span.start - chars), span.start).toLowerCase();
}

/** Event dates of a sentence: dates next to a reporting verb are when something was said. */
export function splitDates(ctx: DiscourseContext, a: Pick<SentenceAnalysis, 'dates'>): { event: DateMention[]; reporting: DateMention[] } {
  const event: DateMention[] = [];
  const reporting: DateMention[] = [];
  for (const d of a.dates) {
    // "said on Friday", "told reporters late on Monday": the date of the telling. A match begins
    // where its spaces begin (as the leftmost match does anyway), so no run of spaces is scanned
    // from each of its characters: linear (the ReDoS check).
    const bare = before(ctx.text, d, 30).replace(/(?<!\s)\s*(?:(?:late|early)\s+)?on\s*$/, '');
    const head = bare.replace(/(?<!\s)\s+\w+\s*$/, (w) => (/reporters|journalists|media/.test(w) ? '' : w));
    const nearSpeech = listEndsWith(ctx.lex, 'speech', head) || listEndsWith(ctx.lex, 'toll_update', bare);
    (nearSpeech ? reporting : event).push(d);
  }
  return { event, reporting };
}

/** The state forces acting where they belong (they retake ground; anyone else takes it). */
function home(agent: ActorRef | null, place: Place): boolean {
  return !!agent && ((agent.inter === 1 && (!agent.country || agent.country === place.iso2)) || (agent.inter === 8 && agent.country === place.iso2));
}

const CLAIMANT_AFTER = /^\s*(?:[\w-]+\s+){0,2}(?:later\s+)?(?:(?:claimed|took)\s+(?:responsibility|the attack|credit)|said (?:it|they) (?:had )?(?:carried out|launched|conducted|was behind|were behind))/;
const GENERIC_ARMED = /^Unidentified Armed Group\b/;
/** Acts by which another side takes part in an event told just before ("Police intervened", "soldiers fired back"). */
const SCENE_SIDE_ACTS = new Set(['disperse', 'warning', 'fight', 'shoot', 'fire']);

/** The decision for what a draft tells; null when it tells no event the codebook codes. */
function decision(ctx: DiscourseContext, d: Pick<Draft, 'acts' | 'means' | 'meansAll' | 'agentKind' | 'agent' | 'patients' | 'governed' | 'fatalities' | 'violentCrowd'>, place: Place | null): DecisionRow | null {
  return decide(
    ctx.lex,
    featuresOf({
      acts: d.acts,
      means: d.means,
      meansAll: d.meansAll,
      agent: d.agentKind,
      protesters: d.agent?.inter === 6,
      patients: d.patients.map((p) => ({ kind: p.kind, inter: p.ref?.inter ?? null })),
      governed: d.governed,
      killed: (d.fatalities ?? 0) > 0,
      home: !!place && home(d.agent, place),
      violentCrowd: d.violentCrowd,
    }),
  );
}

/** Decides a draft again from what it holds now, and casts its actors by the type decided. */
export function redecide(ctx: DiscourseContext, d: Draft): void {
  const row = decision(ctx, d, d.place);
  if (!row) return;
  d.subType = row.decides;
  d.eventType = eventTypeOf(row.decides);
  d.rule = `${d.predicateWhere} + ${row.where}`;
  recast(ctx, d);
}

function recast(ctx: DiscourseContext, d: Draft): void {
  const c = cast({
    type: d.eventType,
    sub: d.subType,
    agent: d.agent,
    patients: d.patients,
    allies: d.allies,
    bystanders: d.bystanders,
    killed: (d.fatalities ?? 0) > 0,
    generic: (label, inter) => genericRef(ctx, label, inter, d.place.iso2),
  });
  d.actor1 = c.actor1;
  d.actor2 = c.actor2;
  d.assoc1 = c.assoc1;
  d.assoc2 = c.assoc2;
}

/** A frame's own features as a draft holds them. */
function frameParts(f: Frame): Pick<Draft, 'acts' | 'means' | 'meansAll' | 'agent' | 'agentKind' | 'patients' | 'allies' | 'bystanders' | 'governed' | 'predicateWhere'> {
  return {
    acts: new Set(f.acts),
    means: f.means,
    meansAll: new Set(f.meansAll),
    agent: f.agent ? refOf(f.agent) : null,
    agentKind: f.agentKind,
    patients: f.patients.map((p) => ({ kind: p.kind, ref: p.actor ? refOf(p.actor) : null })),
    allies: f.allies.map(refOf),
    bystanders: f.bystanders.map(refOf),
    governed: f.governed.length > 0,
    predicateWhere: f.predicates[0]!.where,
  };
}

/** The type a frame tells alone, without a place (null: none). */
function frameType(ctx: DiscourseContext, f: Frame, toll: number | null): EventType | null {
  const row = decision(ctx, { ...frameParts(f), fatalities: toll }, null);
  return row ? eventTypeOf(row.decides) : null;
}

/** Acts by which forces step into a protest (codebook §1 Protest with intervention). */
const INTERVENTION_ACTS = new Set(['disperse', 'warning', 'arrest']);
const intervenes = (d: Pick<Draft, 'eventType'>, f: Frame): boolean => d.eventType === 'Protests' && [...f.acts].some((x) => INTERVENTION_ACTS.has(x));

const PRONOUN_OPENING = /^(?:(?:later|then|also|and|but)\W+)*(?:they|he|she)\b/i;

export function tell(ctx: DiscourseContext, analyses: readonly SentenceAnalysis[]): Draft[] {
  const drafts: Draft[] = [];
  const s: Discourse = { section: -1, carried: null, last: [], lastOrigin: -1, spare: null, actor: null };
  // A report none of whose places the gazetteer knows ("shelling near Kruta Balka", a village
  // no gazetteer holds) still tells its events: they are placed in its country, unlocated.
  const placeless = ctx.countryPlace && !ctx.placed ? ctx.countryPlace : null;
  analyses.forEach((a, index) => {
    if (a.section !== s.section) Object.assign(s, { section: a.section, carried: null, last: [], spare: null, actor: null });
    // A sentence opening with "They" or "He" goes on with who acted in the sentence before.
    const they = PRONOUN_OPENING.test(a.sentence.text) && s.actor?.index === index - 1 ? s.actor : null;
    const acting = a.frames.find((f) => f.agent);
    s.actor = acting?.agent ? { agent: refOf(acting.agent), kind: acting.agentKind, index } : they ? { ...they, index } : null;
    const { event: eventDates, reporting } = splitDates(ctx, a);
    const sentenceToll = tollOf(a.fatalities, a.sentence.text, a.sentence.start);
    // Frames that tell an event the codebook codes.
    const frames = a.frames.filter((f) => frameType(ctx, f, sentenceToll?.count ?? null));
    const main = frames[0];
    const ownPlaces = eventPlaces(a.places);
    let places = ownPlaces;
    // An event placed only in a country waits for the next sentence to say where
    // ("... in eastern Afghanistan" then "... in Achin district"); alone it is not coded.
    const country = a.places.find((p) => p.place.level === 'country' && p.place.iso2 === ctx.country) ?? a.places.find((p) => p.place.level === 'country');
    if (main && places.length === 0 && country) places = [country];
    if (main && placeless) places = [{ start: a.sentence.start, end: a.sentence.start, text: '', place: placeless, rule: 'no place the gazetteer knows: the report\'s country (src/extract/discourse.ts)', cue: null, score: 0 }];
    if (main && places.length === 0 && s.spare && index - s.spare.index <= 2 && s.lastOrigin < s.spare.index) places = s.spare.places;
    if (!main && ownPlaces.length) s.spare = { places: ownPlaces, index };
    // "Supporters who tried to approach the palace were scattered": no place of its own, but
    // it points back at the place of the last events told, where this one happened too.
    const anaphor = main && places.length === 0 && s.last[0] ? listMatch(ctx.lex, 'place_anaphor', a.sentence.text) : null;
    if (main && anaphor && s.last[0] && s.last[0].eventType !== frameType(ctx, main, sentenceToll?.count ?? null) && !intervenes(s.last[0], main)) {
      const start = a.sentence.start + anaphor.index;
      const end = start + anaphor[0].length;
      places = [{ start, end, text: ctx.text.slice(start, end), place: s.last[0].place, rule: 'rules/events/lexicon.tsv (place_anaphor)', cue: null, score: 1 }];
      // The same scene told again: what the last events were done with still holds ("The
      // missiles hit ... Russia said it had targeted a meeting of commanders").
      for (const f of frames) if (f.means === 'none') f.means = s.last[0].means;
    }

    if (!main || places.length === 0) {
      const split = addToLast(ctx, a, ownPlaces, eventDates, s.last, s.lastOrigin === index - 1, frames.length ? frames : a.frames, !!main);
      if (split) {
        drafts.splice(drafts.length - s.last.length, s.last.length, ...split);
        s.last = split;
        s.lastOrigin = index;
      }
      if (eventDates[0]) s.carried = eventDates[0];
      return;
    }

    const dates: { d: DateMention | null; from: Draft['dateFrom'] }[] = [];
    const joined = eventDates.filter((d, i) => i > 0 && d.precision === 1 && eventDates[i - 1]!.precision === 1 && /^\s*(?:,|and|&|,\s*and)\s*$/.test(ctx.text.slice(eventDates[i - 1]!.end, d.start)));
    if (joined.length > 0) {
      // "On Thursday and Friday last week" is two days: one event each.
      const first = eventDates[eventDates.indexOf(joined[0]!) - 1]!;
      for (const d of [first, ...joined]) if (!dates.some((x) => x.d?.date === d.date)) dates.push({ d, from: 'sentence' });
    } else if (eventDates[0]) dates.push({ d: eventDates[0], from: 'sentence' });
    else if (s.carried) dates.push({ d: s.carried, from: 'section' });
    else if (reporting[0]) dates.push({ d: reporting[0], from: 'reporting' });
    else dates.push({ d: null, from: 'published' });
    if (dates[0]?.d && (dates[0].from === 'sentence' || dates[0].from === 'reporting')) s.carried = dates[0].d;

    const batch = sentenceDrafts(ctx, a, index, frames, main, places, dates);
    for (const d of batch) {
      // The next sentence of the same story often leaves out who: "Iran fired missiles at
      // bases hosting US troops ... The missiles struck ... Anbar".
      const prev = s.lastOrigin === index - 1 || (!d.agent && !d.patients.some((p) => p.ref)) ? s.last.find((p) => p.eventType === d.eventType) : undefined;
      if (they && !d.agent) {
        d.agent = they.agent;
        d.agentKind = they.kind;
        redecide(ctx, d);
      }
      if (prev && !d.agent && prev.agent) {
        d.agent = prev.agent;
        d.agentKind = prev.agentKind;
        if (!d.patients.some((p) => p.ref) && prev.patients.some((p) => p.ref)) d.patients.push(...prev.patients.filter((p) => p.ref && p.ref.name !== d.agent?.name));
        redecide(ctx, d);
      }
    }
    drafts.push(...batch);
    s.last = batch;
    s.lastOrigin = index;
  });
  return drafts;
}

/** The frame each event place belongs to: the frame of its own clause; a place in a clause without one goes to the main frame when the main frame's clause names no place. */
function placeFrames(frames: readonly Frame[], places: readonly PlaceMention[], main: Frame): { p: PlaceMention; f: Frame }[] {
  // Every frame of a place's clause was there (an abduction told beside a clash shares its place).
  const own = (p: PlaceMention) => frames.filter((f) => p.start >= f.from && p.end <= f.to);
  const mainHasPlace = places.some((p) => own(p).includes(main));
  const out: { p: PlaceMention; f: Frame }[] = [];
  for (const p of places) {
    const fs = own(p);
    if (fs.length) out.push(...fs.map((f) => ({ p, f })));
    else if (!mainHasPlace) for (const f of frames.filter((x) => x.from === main.from)) out.push({ p, f });
  }
  return out.length ? out : places.flatMap((p) => frames.filter((x) => x.from === main.from).map((f) => ({ p, f })));
}

function sentenceDrafts(ctx: DiscourseContext, a: SentenceAnalysis, index: number, frames: readonly Frame[], main: Frame, places: readonly PlaceMention[], dates: { d: DateMention | null; from: Draft['dateFrom'] }[]): Draft[] {
  const batch: Draft[] = [];
  const pairs = placeFrames(frames, places, main);
  // A toll belongs to the events of its own clause ("shelling killed two in Kherson, while
  // forces repelled attacks near Bakhmut"); one told in a clause without events is shared by
  // the events that have none of their own.
  const inFrame = (x: FatalityMention, f: Frame) => x.start >= f.from && x.end <= f.to;
  const ownToll = (f: Frame) => tollOf(a.fatalities.filter((x) => inFrame(x, f)), a.sentence.text, a.sentence.start);
  const looseToll = tollOf(a.fatalities.filter((x) => !pairs.some((pf) => inFrame(x, pf.f))), a.sentence.text, a.sentence.start);
  const withoutOwn = pairs.filter((x) => !ownToll(x.f));
  // The note's own total ("27 fatalities.") covers the whole sentence.
  const total = a.fatalities.some((x) => x.kind === 'killed' && isNotesTotal(x)) ? tollOf(a.fatalities, a.sentence.text, a.sentence.start) : null;
  const none = a.fatalities.some((x) => x.kind === 'none');
  for (const { p, f } of pairs) {
    const own = total ? null : ownToll(f);
    const k: Toll | null = total ?? own ?? looseToll;
    const n = (total ? pairs.length : own ? pairs.filter((x) => x.f === f).length : withoutOwn.length) * dates.length;
    for (const { d, from } of dates) {
      const parts = frameParts(f);
      const fatalities = k ? share(k.count, n, batch.filter((b) => b.fatalitySpan === k.span).length) : none ? 0 : null;
      const row = decision(ctx, { ...parts, fatalities }, p.place);
      if (!row) continue;
      const evidence: Evidence[] = f.predicates.map((x) => ev(x, 'type'));
      evidence.push(ev(p, 'place'));
      if (d) evidence.push(ev(d, 'date'));
      if (k) evidence.push(ev(k.span, 'count'));
      if (a.attribution.span) evidence.push(ev(a.attribution.span, 'attribution'));
      const draft: Draft = {
        subType: row.decides,
        eventType: eventTypeOf(row.decides),
        rule: `${parts.predicateWhere} + ${row.where}`,
        date: d?.date ?? ctx.published,
        precision: d?.precision ?? 1,
        dateFrom: from,
        place: p.place,
        actor1: null,
        actor2: null,
        assoc1: [],
        assoc2: [],
        fatalities,
        fatalitySpan: k?.span ?? null,
        certainty: a.attribution.certainty,
        attribution: a.attribution.span,
        evidence,
        sentences: [a.sentence],
        origin: index,
        ...parts,
      };
      recast(ctx, draft);
      for (const r of [draft.actor1, draft.actor2]) if (r?.span) evidence.push(ev(r.span, 'actor'));
      batch.push(draft);
    }
  }
  // Strategic developments are not counted for deaths ("ending a war that killed 220,000").
  for (const d of batch) if (d.eventType === 'Strategic developments') d.fatalities = 0;
  return batch;
}

/**
 * A sentence without an event place of its own adds to the events just told: the places a
 * count of districts stands for ("The three districts are A, B and C"), a toll, a claim of
 * responsibility, a denial, what else happened at the scene ("Police dispersed them"). Returns
 * the drafts that replace the last ones when the sentence splits them by place.
 */
function addToLast(ctx: DiscourseContext, a: SentenceAnalysis, places: PlaceMention[], told: DateMention[], batch: Draft[], adjacent: boolean, frames: readonly Frame[], decided: boolean): Draft[] | null {
  if (batch.length === 0) return null;
  // Elaboration: the previous sentence told an event at province level; this one names the
  // units inside it. The event is told once per unit.
  if (!decided && adjacent && places.length > 0 && batch.every((d) => d.place.level === 'admin1' || d.place.level === 'country') && places.every((p) => batch.some((d) => contains(d.place, p.place)))) {
    return batch.flatMap((d) =>
      places
        .filter((q) => contains(d.place, q.place))
        .map((p, i, all) => ({
          ...d,
          place: p.place,
          fatalities: d.fatalities === null ? null : share(d.fatalities, all.length, i),
          evidence: [...d.evidence, ev(p, 'place')],
          sentences: [...d.sentences, a.sentence],
        })),
    );
  }
  const k = tollOf(a.fatalities, a.sentence.text, a.sentence.start);
  const notes = a.fatalities.find((f) => f.kind === 'killed' && isNotesTotal(f));
  if (k) {
    batch.forEach((d, i) => {
      if (notes || d.fatalities === null || d.fatalities === 0) {
        d.fatalities = share(k.count, batch.length, i);
        d.fatalitySpan = k.span;
        d.evidence.push(ev(k.span, 'count'));
      }
    });
  } else if (a.fatalities.some((f) => f.kind === 'none')) {
    for (const d of batch) if (d.fatalities === null) d.fatalities = 0;
  }
  const claimant = a.actors.find((m) => CLAIMANT_AFTER.test(ctx.text.slice(m.end, m.end + 60).toLowerCase()) || /\bblam(?:ed|ing)\s+(?:the\s+)?$/.test(before(ctx.text, m)));
  for (const d of batch) {
    // "The toll rose to 58 on Sunday ... A car bomb exploded on Saturday": the later sentence dates the event.
    if (told[0] && frames.length && (d.dateFrom === 'reporting' || d.dateFrom === 'published')) {
      d.date = told[0].date;
      d.precision = told[0].precision;
      d.dateFrom = 'sentence';
      d.evidence.push(ev(told[0], 'date'));
    }
    // What else happened at the scene joins the event when it tells no other kind of event
    // alone ("Police dispersed them", "The victim died"), or tells the fighting the event was
    // part of ("An intense shoot-out broke out"): the same actors at one place and day are one
    // event of the highest type (codebook §0), and the pooled acts are decided again. An act by
    // another actor, or told as another incident ("in another attack"), is not pooled.
    const another = listMatch(ctx.lex, 'another_incident', a.sentence.text);
    for (const f of frames) {
      const alone = frameType(ctx, f, null);
      const otherAgent = !!f.agent && !!d.agent && f.agent.name !== d.agent.name && !d.patients.some((p) => p.ref?.name === f.agent!.name);
      // A demonstration that turns violent at the scene is one riot (codebook §1, Protests vs Riots).
      const escalates = alone === 'Battles' || (alone === 'Riots' && d.eventType === 'Protests');
      // Forces dispersing or detaining the protesters act at the scene of the protest: its intervention.
      const intervention = intervenes(d, f) && !another;
      // "Militants attacked Rio Atari. Two civilians were killed in the attack": people harmed
      // with no one else named as doing it are the victims of an attack on a place.
      const victims = !f.agent && !another && d.patients.every((p) => p.kind === 'place') && f.patients.some((p) => p.kind === 'civilians') && [...f.acts].every((x) => x === 'kill' || x === 'injure' || x === 'attack');
      if (!intervention && !victims && alone && alone !== d.eventType && (!escalates || another || otherAgent)) continue;
      // People fleeing the scene are no party to what they flee ("some officials fled towards the border").
      if ([...f.acts].every((x) => x === 'displace') && !d.acts.has('displace')) continue;
      if (alone === 'Riots' && f.agentKind === 'crowd') d.violentCrowd = true;
      // The forces' shots are theirs, not the crowd's: an intervention adds only its own acts.
      for (const act of f.acts) if (!intervention || INTERVENTION_ACTS.has(act)) d.acts.add(act);
      if (MEANS.indexOf(f.means) < MEANS.indexOf(d.means)) d.means = f.means;
      for (const m of f.meansAll) d.meansAll.add(m);
      for (const p of f.patients) if (p.actor !== f.agent) d.patients.push({ kind: p.kind, ref: p.actor ? refOf(p.actor) : null });
      // "Police arrested 2", "They were arrested": at a protest, those the forces took or "they"
      // are its protesters ("He was arrested" tells of the man the protest is about).
      const taken = f.agentKind === 'state' || /^they\b/i.test(a.sentence.text);
      if (intervention && taken && f.acts.has('arrest') && d.agentKind === 'crowd' && !f.patients.some((p) => p.kind === 'crowd' || p.kind === 'civilians')) d.patients.push({ kind: 'crowd', ref: null });
      if (!d.agent && f.agent) {
        d.agent = refOf(f.agent);
        d.agentKind = agentKindOf(a.tokens, f.agent);
      } else if (f.agent && d.agent && f.agent.name !== d.agent.name && [...f.acts].some((x) => SCENE_SIDE_ACTS.has(x)) && !d.patients.some((p) => p.ref?.name === f.agent!.name)) {
        // Another side acting at the scene ("Police intervened") is the other party.
        d.patients.push({ kind: f.agent.inter === 7 ? 'civilians' : f.agent.inter === 5 || f.agent.inter === 6 ? 'crowd' : 'armed', ref: refOf(f.agent) });
      }
      for (const x of f.predicates) d.evidence.push(ev(x, 'type'));
    }
    // A claim names who acted, also where the event said only "militants" or "gunmen".
    if (claimant && (!d.agent || GENERIC_ARMED.test(d.agent.name)) && d.eventType !== 'Protests' && d.eventType !== 'Riots') {
      d.agent = refOf(claimant);
      d.agentKind = agentKindOf(a.tokens, claimant);
      d.evidence.push(ev(claimant, 'actor'));
    }
    d.certainty = a.attribution.certainty === 'reported' ? d.certainty : combineCertainty(d.certainty, a.attribution.certainty);
    if (!d.sentences.includes(a.sentence) && frames.length) d.sentences.push(a.sentence);
    redecide(ctx, d);
    if (d.eventType === 'Strategic developments') d.fatalities = 0;
  }
  return null;
}
