// Assemble: from what each sentence holds (triggers, actors, places, dates, counts) to ACLED
// events. One event per place, day, type and actor pair; sentences without a place of their
// own only add to the events told just before them (a toll, a claim, a denial, the places a
// district count stands for).
import type { Place } from '../geo/gazetteer.js';
import type { SubEventType, EventType, Evidence } from '../schema/event.js';
import { ARMED_INTERS, SUB_EVENT_TYPE_NAMES, eventTypeOf } from '../schema/event.js';
import type { EventRules, TriggerMatch, Suppressed } from './classify.js';
import { listEndsWith, listMatch } from './classify.js';
import type { Attribution, Certainty } from './certainty.js';
import { combineCertainty } from './certainty.js';
import type { PlaceMention } from './places.js';
import type { Sentence, Span } from '../core/types.js';
import type { ActorMention, DateMention, FatalityMention } from './types.js';

export interface SentenceAnalysis {
  sentence: Sentence;
  /** Sections are delimited by headings; a date carries forward only within its section. */
  section: number;
  dates: DateMention[];
  actors: ActorMention[];
  /** Places where an event may have happened (reference points and destinations removed). */
  places: PlaceMention[];
  fatalities: FatalityMention[];
  triggers: TriggerMatch[];
  suppressed: Suppressed[];
  attribution: Attribution;
}

export interface ActorRef {
  name: string;
  inter: number;
  country: string | null;
  span: Span | null;
}

/** An event before it is written out: the CLI's Event is made from this. */
export interface Draft {
  subType: SubEventType;
  eventType: EventType;
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
}

export interface AssembleContext {
  rules: EventRules;
  text: string;
  published: string;
  /** ISO2 of the report's country, for generic actors ("Civilians (X)"). */
  country: string | null;
  countryName: (iso2: string) => string | null;
}

/** Triggers up to this rank in rules/events/triggers.tsv name fighting itself (clashes, captures). */
const FIGHTING_RANK = 25;

function ev(span: Span, role: string): Evidence {
  return { text: span.text, start: span.start, end: span.end, role };
}

function ref(m: ActorMention): ActorRef {
  return { name: m.name, inter: m.inter, country: m.country, span: { start: m.start, end: m.end, text: m.text } };
}

function generic(ctx: AssembleContext, label: string, inter: number, country: string | null = ctx.country): ActorRef {
  const name = country ? ctx.countryName(country) : null;
  return { name: name ? `${label} (${name})` : label, inter, country, span: null };
}

/** Words right before a span, lower-cased, for role cues like "by", "fell to", "blamed". */
function before(text: string, span: Span, chars = 40): string {
  return text.slice(Math.max(0, span.start - chars), span.start).toLowerCase();
}

function after(text: string, span: Span, chars = 40): string {
  return text.slice(span.end, span.end + chars).toLowerCase();
}

const SPEAKER_TAIL = /^['’]?s?\s*(?:\w+\s+){0,2}(?:spokes(?:man|woman|person)|officials?|ministry|statement|news agency|media|radio|sources?|commander said|said|says|told|denied|condemned|confirmed|blamed|accused|warned|called)\b/;
const AGENT_BEFORE = /(?:\bby|\bfell to|\bfallen to|\bhanded over to|\bclaimed by|\bcontrol of|\bto)\s+(?:the\s+)?$/;
const CLAIMANT_AFTER = /^\s*(?:[\w-]+\s+){0,2}(?:later\s+)?(?:(?:claimed|took)\s+(?:responsibility|the attack|credit)|said (?:it|they) (?:had )?(?:carried out|launched|conducted|was behind|were behind))/;

/** Actor roles in one sentence around its trigger: who acted, who was acted upon. */
export function actorRoles(text: string, actors: ActorMention[], trigger: Span, from: number): { agents: ActorMention[]; patients: ActorMention[]; claimants: ActorMention[] } {
  const cued: ActorMention[] = [];
  const before_: ActorMention[] = [];
  const patients: ActorMention[] = [];
  const claimants: ActorMention[] = [];
  for (const m of actors) {
    const b = before(text, m);
    const a = after(text, m);
    if (CLAIMANT_AFTER.test(a) || /\bblam(?:ed|ing)\s+(?:the\s+)?$/.test(b)) {
      claimants.push(m);
      continue;
    }
    if (/\baccording to\s+(?:the\s+)?$/.test(b)) continue;
    // "X said on Sunday they had captured ..." makes X the speaker and the agent.
    if (SPEAKER_TAIL.test(a) && !/^\s*(?:said|says|claimed|announced|confirmed)\s+(?:[\w-]+\s+){0,4}?(?:that\s+)?(?:it|they)\s+(?:had|has|have)\b/.test(after(text, m, 80))) continue;
    // "fell to X", "seized by X", "under the control of X": X acted, if it follows the trigger closely.
    if (m.start >= trigger.end && m.start - trigger.end < 30 && AGENT_BEFORE.test(b)) cued.push(m);
    else if (m.start <= trigger.start) before_.push(m);
    else patients.push(m);
  }
  if (cued.length) return { agents: cued, patients: [...before_, ...patients], claimants };
  // Of the actors before the trigger, the subject of the trigger's own clause acts: clauses
  // split at commas and subordinators, skipping asides ("backed by Russian air power").
  const clauses = weakClauseStarts(text, from, trigger.start);
  for (const start of clauses) {
    const inClause = before_.filter((m) => m.start >= start);
    if (inClause.length) {
      const first = inClause[0]!;
      return { agents: [first, ...before_.filter((m) => m !== first)], patients, claimants };
    }
  }
  return { agents: before_, patients, claimants };
}

const CLAUSE_SPLIT = /,|;|\b(?:after|when|as|while|before|since|because|once|but|and then)\b/g;
const ASIDE = /^\s*(?:backed|supported|aided|assisted|helped|joined|accompanied|led|including|along with|together with|allied|with the help of|with support)/i;

/** Clause starts before `to`, nearest first, leaving out asides. */
function weakClauseStarts(text: string, from: number, to: number): number[] {
  const head = text.slice(from, to);
  const starts = [0];
  CLAUSE_SPLIT.lastIndex = 0;
  for (let m = CLAUSE_SPLIT.exec(head); m; m = CLAUSE_SPLIT.exec(head)) starts.push(m.index + m[0].length);
  return starts
    .filter((st, i) => !ASIDE.test(head.slice(st, starts[i + 1] ?? head.length)))
    .reverse()
    .map((st) => from + st);
}

function pickDifferent(list: ActorMention[], not: ActorRef | null): ActorMention | undefined {
  return list.find((m) => !not || m.name !== not.name);
}

/** Fills actor1/actor2 by the conventions of the event type. */
/**
 * Drops generic mentions that point back at a named group of the same sentence ("Taliban
 * fighters captured X ... taken by the insurgents"): they are not a second actor.
 */
function withoutAnaphora(text: string, actors: ActorMention[]): ActorMention[] {
  const named = (n: ActorMention) => (n.inter === 2 || n.inter === 3 || n.inter === 4) && !GENERIC_ARMED.test(n.name);
  const out: ActorMention[] = [];
  for (let i = 0; i < actors.length; i++) {
    const m = actors[i]!;
    if (!GENERIC_ARMED.test(m.name)) {
      out.push(m);
      continue;
    }
    if (actors.slice(0, i).some(named)) continue;
    // "Militiamen from the CODECO group", "a suicide bomber from IS-K": the group named next is
    // the actor, standing where the generic words stand.
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
const GENERIC_ARMED = /^Unidentified Armed Group\b/;
const CIVIL_AUTHORITY = /^Government of\b/;

type Cast = Pick<Draft, 'actor1' | 'actor2' | 'assoc1' | 'assoc2'>;

function castActors(ctx: AssembleContext, a: SentenceAnalysis, bounds: number[], trigger: TriggerMatch, sub: SubEventType): Cast {
  const type = eventTypeOf(sub);
  // Actors of another strong clause ("..., while Ukrainian forces repelled attacks") are not this event's.
  const [from, to] = clauseAround(a.sentence, bounds, trigger.start);
  const own = a.actors.filter((m) => m.start >= from && m.end <= to);
  const { agents, patients, claimants } = actorRoles(ctx.text, withoutAnaphora(ctx.text, own), trigger, from);
  // A head of state named in passing ("the residence of President X") is not who acted when an
  // armed force is named too.
  const armedAll = agents.filter((m) => ARMED_INTERS.has(m.inter));
  const armedAgents = armedAll.some((m) => !CIVIL_AUTHORITY.test(m.name)) ? armedAll.filter((m) => !CIVIL_AUTHORITY.test(m.name)) : armedAll;
  const armedPatients = patients.filter((m) => ARMED_INTERS.has(m.inter));
  const civ = a.actors.find((m) => m.inter === 7);
  const crowd = a.actors.find((m) => m.inter === 6 || m.inter === 5);
  let actor1: ActorRef | null = null;
  let actor2: ActorRef | null = null;
  const assoc1: ActorRef[] = [];
  const assoc2: ActorRef[] = [];
  const firstArmed = armedAgents[0] ?? claimants.find((m) => ARMED_INTERS.has(m.inter));
  switch (type) {
    case 'Protests': {
      actor1 = crowd && crowd.inter === 6 ? ref(crowd) : generic(ctx, 'Protesters', 6);
      if (sub !== 'Peaceful protest') {
        const force = firstArmed ?? armedPatients[0];
        actor2 = force ? ref(force) : null;
      }
      break;
    }
    case 'Riots': {
      actor1 = generic(ctx, 'Rioters', 5);
      if (sub === 'Mob violence') actor2 = civ ? ref(civ) : generic(ctx, 'Civilians', 7);
      else {
        const force = armedPatients[0] ?? armedAgents[0];
        actor2 = force ? ref(force) : null;
      }
      break;
    }
    case 'Violence against civilians': {
      actor1 = firstArmed ? ref(firstArmed) : generic(ctx, 'Unidentified Armed Group', 3);
      actor2 = civ ? ref(civ) : generic(ctx, 'Civilians', 7);
      break;
    }
    case 'Explosions/Remote violence': {
      actor1 = firstArmed ? ref(firstArmed) : null;
      // A politician named beside the scene ("a rally in support of Prime Minister X") is not the target.
      const forces = (list: ActorMention[]) => list.filter((m) => !CIVIL_AUTHORITY.test(m.name));
      const target = pickDifferent(forces(armedPatients), actor1) ?? pickDifferent(forces(armedAgents.slice(1)), actor1);
      if (target) actor2 = ref(target);
      else if (civ) actor2 = ref(civ);
      else if (crowd) actor2 = ref(crowd);
      // Deaths with no armed target named are civilians' (ACLED codes the victims of a vague target so).
      else if (a.fatalities.some((f) => f.kind === 'killed' && f.count > 0)) actor2 = generic(ctx, 'Civilians', 7);
      break;
    }
    default: {
      // "Fighting broke out between A and B": with no one before the trigger, the sides follow it.
      const lead = firstArmed ?? agents[0] ?? (type === 'Battles' ? armedPatients[0] : undefined);
      actor1 = lead ? ref(lead) : null;
      const other = pickDifferent(armedPatients, actor1) ?? pickDifferent(armedAgents.slice(1), actor1) ?? pickDifferent(patients, actor1);
      actor2 = other ? ref(other) : null;
    }
  }
  // Allies in the action ("FAMa, supported by Wagner fighters") are associated actors (codebook §3).
  if (type === 'Battles' || type === 'Explosions/Remote violence' || type === 'Strategic developments') {
    const named = (list: ActorMention[], not: (ActorRef | null)[]) =>
      list.filter((m, i) => ARMED_INTERS.has(m.inter) && !not.some((r) => r?.name === m.name) && list.findIndex((x) => x.name === m.name) === i).map(ref);
    assoc1.push(...named(agents, [actor1, actor2]));
    assoc2.push(...named(patients, [actor1, actor2, ...assoc1]));
  }
  return { actor1, actor2, assoc1, assoc2 };
}

function armedAgent(text: string, a: SentenceAnalysis, t: TriggerMatch): boolean {
  const agent = actorRoles(text, a.actors, t, a.sentence.start).agents[0];
  return !!agent && ARMED_INTERS.has(agent.inter);
}

/** After the trigger stand civilians and no armed side ("ambushed vehicles carrying women and children"). */
function civiliansOnlyVictims(text: string, a: SentenceAnalysis, t: TriggerMatch): boolean {
  const { patients } = actorRoles(text, a.actors, t, a.sentence.start);
  return patients.some((m) => m.inter === 7) && !patients.some((m) => ARMED_INTERS.has(m.inter)) && a.fatalities.some((f) => f.kind === 'killed' && f.count > 0);
}

/** Sub-type of a territorial trigger: state forces retaking ground at home, or anyone else taking it. */
function territorySubType(actor1: ActorRef | null, place: Place): SubEventType {
  const stateAtHome = actor1 && ((actor1.inter === 1 && !actor1.country) || ((actor1.inter === 1 || actor1.inter === 8) && actor1.country === place.iso2));
  if (stateAtHome) return 'Government regains territory';
  return 'Non-state actor overtakes territory';
}

function unitKey(p: Place): string {
  return p.admin2_code ?? (p.level === 'town' ? `${p.iso2}:${p.admin1_code}:${p.location}` : p.admin1_code ?? `${p.iso2}:${p.location}`);
}

/** True when `outer` is an admin unit that contains `inner`. */
function contains(outer: Place, inner: Place): boolean {
  if (outer === inner) return false;
  if (outer.level === 'country') return inner.level !== 'country' && inner.iso2 === outer.iso2;
  if (outer.level === 'admin1') return inner.level !== 'admin1' && inner.level !== 'country' && !!outer.admin1_code && inner.admin1_code === outer.admin1_code;
  if (outer.level === 'admin2') return inner.level === 'town' && !!outer.admin2_code && inner.admin2_code === outer.admin2_code;
  return false;
}

/** Event places of a sentence: one per unit, the most specific of each containment chain. */
export function eventPlaces(places: PlaceMention[]): PlaceMention[] {
  const seen = new Map<string, PlaceMention>();
  // "Gimbi woreda, West Wellega zone": a town whose district the gazetteer lacks takes the
  // district the same sentence names in its province.
  places = places.map((p) => {
    if (p.place.level !== 'town' || p.place.admin2_code) return p;
    const unit = places.find((q) => q.place.level === 'admin2' && q.place.admin1_code === p.place.admin1_code && q.place.iso2 === p.place.iso2);
    return unit ? { ...p, place: { ...p.place, admin2: unit.place.admin2, admin2_code: unit.place.admin2_code } } : p;
  });
  for (const p of places) {
    if (p.place.level === 'country') continue;
    const key = unitKey(p.place);
    const prev = seen.get(key);
    // Of two names for one district, keep the town (more precise) over the unit.
    if (!prev || (prev.place.level !== 'town' && p.place.level === 'town')) seen.set(key, p);
  }
  const list = [...seen.values()];
  return list.filter((p) => !list.some((q) => contains(p.place, q.place)));
}

/** Event dates of a sentence: dates next to a reporting verb are when something was said. */
export function splitDates(ctx: AssembleContext, a: SentenceAnalysis): { event: DateMention[]; reporting: DateMention[] } {
  const event: DateMention[] = [];
  const reporting: DateMention[] = [];
  for (const d of a.dates) {
    // "said on Friday", "told reporters late on Monday": the date of the telling.
    const bare = before(ctx.text, d, 30).replace(/\s*(?:(?:late|early)\s+)?on\s*$/, '');
    const head = bare.replace(/\s+\w+\s*$/, (w) => (/reporters|journalists|media/.test(w) ? '' : w));
    const nearSpeech = listEndsWith(ctx.rules, 'speech', head) || listEndsWith(ctx.rules, 'toll_update', bare);
    (nearSpeech ? reporting : event).push(d);
  }
  return { event, reporting };
}

function hierarchyIndex(sub: SubEventType): number {
  return SUB_EVENT_TYPE_NAMES.indexOf(sub);
}

function killed(a: SentenceAnalysis): { count: number; span: Span } | null {
  const all = a.fatalities.filter((f) => f.kind === 'killed');
  // The coder's own total ("134 fatalities.") stands over the figures quoted before it.
  const total = all.find(isNotesTotal);
  if (total) return { count: total.count, span: total };
  const self = all.find((f) => SELF_DETONATION.test(f.text));
  const counts = all.filter((f) => f !== self).sort((x, y) => x.start - y.start);
  if (!counts.length) return self ? { count: self.count, span: self } : null;
  // "killing three women and six children" adds up; figures from different sources
  // ("61, while doctors reported more than 100") conflict, and the lowest stands (codebook §4).
  const listed = counts.every((f, i) => i === 0 || /^\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,|and|,\s*and)\s+$/.test(a.sentence.text.slice(counts[i - 1]!.end - a.sentence.start, f.start - a.sentence.start)));
  const base = listed ? counts.reduce((n, f) => n + f.count, 0) : Math.min(...counts.map((f) => f.count));
  const span = listed ? counts[0]! : counts.reduce((lo, f) => (f.count < lo.count ? f : lo));
  // "A suicide bomber blew himself up ..., killing 10": the bomber is counted too (codebook §4).
  const included = /including (?:the |both |two |three )?(?:suicide )?(?:bombers?|attackers?)/i.test(a.sentence.text);
  return { count: base + (self && !included ? self.count : 0), span };
}
const SELF_DETONATION = /\bblew (?:themselves|himself|herself) up\b/i;

function isNotesTotal(f: FatalityMention): boolean {
  return f.rule === 'notes-total';
}

/** Splits a count evenly over n events; the remainder goes to the first (codebook §4). */
function share(count: number, n: number, i: number): number {
  const base = Math.floor(count / n);
  return i === 0 ? count - base * (n - 1) : base;
}

export function assemble(ctx: AssembleContext, analyses: SentenceAnalysis[]): Draft[] {
  const drafts: Draft[] = [];
  let section = -1;
  let carried: DateMention | null = null;
  let lastBatch: Draft[] = [];
  let lastBatchOrigin = -1;
  // Places named by a sentence that told no event: the next sentence's event may be there
  // ("... attacked Seytenga town (Seno, Sahel). The government reported 86 civilians killed.").
  let spare: { places: PlaceMention[]; index: number } | null = null;

  analyses.forEach((a, index) => {
    if (a.section !== section) {
      section = a.section;
      carried = null;
      lastBatch = [];
      spare = null;
    }
    const { event: eventDates, reporting } = splitDates(ctx, a);
    // Fighting "with air support" or "amid shelling" is one battle (codebook: explosions within an
    // ongoing battle merge into it): a battle trigger in the sentence outranks remote violence.
    const battle = a.triggers.find((t) => t.rule.rank <= FIGHTING_RANK && (t.rule.decides === '@territory' || eventTypeOf(t.rule.decides) === 'Battles'));
    // A crowd's violence needs the crowd to act: when an armed force stormed a sit-in, the
    // protesters suffered it (the next trigger, lethal force or dispersal, tells what happened).
    const triggers = a.triggers.filter((t, i) => !(i === 0 && t.rule.decides === 'Violent demonstration' && armedAgent(ctx.text, a, t)));
    const first = triggers[0];
    const main = first && battle && first.rule.decides !== '@territory' && eventTypeOf(first.rule.decides) === 'Explosions/Remote violence' && first.rule.decides !== 'Suicide bomb' ? battle : first;
    const ownPlaces = eventPlaces(a.places);
    let places = ownPlaces;
    // An event placed only in a country waits for the next sentence to say where
    // ("... in eastern Afghanistan" then "... in Achin district"); alone it is not coded.
    const country = a.places.find((p) => p.place.level === 'country' && p.place.iso2 === ctx.country) ?? a.places.find((p) => p.place.level === 'country');
    if (main && places.length === 0 && country) places = [country];
    if (main && places.length === 0 && spare && index - spare.index <= 2 && lastBatchOrigin < spare.index) places = spare.places;
    if (!main && ownPlaces.length) spare = { places: ownPlaces, index };
    // "Supporters who tried to approach the palace were scattered": no place of its own, but
    // it points back at the place of the last events told, where this one happened too.
    const anaphor = main && places.length === 0 && lastBatch[0] ? listMatch(ctx.rules, 'place_anaphor', a.sentence.text) : null;
    if (main && anaphor && lastBatch[0] && lastBatch[0].eventType !== eventTypeOf(main.rule.decides === '@territory' ? 'Armed clash' : main.rule.decides)) {
      const start = a.sentence.start + anaphor.index;
      const end = start + anaphor[0].length;
      places = [{ start, end, text: ctx.text.slice(start, end), place: lastBatch[0].place, rule: 'rules/events/lexicon.tsv (place_anaphor)', cue: null, score: 1 }];
      upgradeSubTypes(a, lastBatch);
    }

    if (!main || places.length === 0) {
      const split = enrich(ctx, a, ownPlaces, eventDates, lastBatch, lastBatchOrigin === index - 1, main);
      if (split) {
        drafts.splice(drafts.length - lastBatch.length, lastBatch.length, ...split);
        lastBatch = split;
        lastBatchOrigin = index;
      }
      if (eventDates[0]) carried = eventDates[0];
      return;
    }

    const dates: { d: DateMention | null; from: Draft['dateFrom'] }[] = [];
    const joined = eventDates.filter((d, i) => i > 0 && d.precision === 1 && eventDates[i - 1]!.precision === 1 && /^\s*(?:,|and|&|,\s*and)\s*$/.test(ctx.text.slice(eventDates[i - 1]!.end, d.start)));
    if (joined.length > 0) {
      // "On Thursday and Friday last week" is two days: one event each.
      const first = eventDates[eventDates.indexOf(joined[0]!) - 1]!;
      for (const d of [first, ...joined]) if (!dates.some((x) => x.d?.date === d.date)) dates.push({ d, from: 'sentence' });
    } else if (eventDates[0]) dates.push({ d: eventDates[0], from: 'sentence' });
    else if (carried) dates.push({ d: carried, from: 'section' });
    else if (reporting[0]) dates.push({ d: reporting[0], from: 'reporting' });
    else dates.push({ d: null, from: 'published' });
    if (dates[0]?.d && (dates[0].from === 'sentence' || dates[0].from === 'reporting')) carried = dates[0].d;

    const batch: Draft[] = [];
    // What the loops below ask for each place, trigger and date is found once per sentence. The
    // drafts of one cast share its refs and lists: later steps replace a draft's actors, never edit them.
    const bounds = strongClauseStarts(a.sentence);
    const casts = new Map<TriggerMatch, Map<SubEventType, Cast>>();
    const cast = (t: TriggerMatch, sub: SubEventType): Cast => {
      let bySub = casts.get(t);
      if (!bySub) casts.set(t, (bySub = new Map()));
      let c = bySub.get(sub);
      if (!c) bySub.set(sub, (c = castActors(ctx, a, bounds, t, sub)));
      return c;
    };
    const pairs = placeTriggers(a, bounds, places, main);
    // A toll belongs to the events of its own clause ("shelling killed two in Kherson, while
    // forces repelled attacks near Bakhmut"); one told in a clause without events is shared by
    // the events that have none of their own.
    const clauseOf = (t: TriggerMatch) => clauseAround(a.sentence, bounds, t.start);
    const inClause = (f: FatalityMention, t: TriggerMatch) => {
      const [from, to] = clauseOf(t);
      return f.start >= from && f.end <= to;
    };
    const ownToll = (t: TriggerMatch) => killed({ ...a, fatalities: a.fatalities.filter((f) => inClause(f, t)) });
    const looseToll = killed({ ...a, fatalities: a.fatalities.filter((f) => !pairs.some((x) => inClause(f, x.t))) });
    const withoutOwn = pairs.filter((x) => !ownToll(x.t));
    // The note's own total ("27 fatalities.") covers the whole sentence.
    const total = a.fatalities.some((f) => f.kind === 'killed' && isNotesTotal(f)) ? killed(a) : null;
    pairs.forEach(({ p, t: main }) => {
      const own = total ? null : ownToll(main);
      const k = total ?? own ?? looseToll;
      const n = (total ? pairs.length : own ? pairs.filter((x) => clauseOf(x.t)[0] === clauseOf(main)[0]).length : withoutOwn.length) * dates.length;
      dates.forEach(({ d, from }) => {
        let sub: SubEventType;
        const cast0 = cast(main, main.rule.decides === '@territory' ? 'Non-state actor overtakes territory' : main.rule.decides);
        if (main.rule.decides === '@territory') sub = territorySubType(cast0.actor1, p.place);
        else sub = main.rule.decides;
        // People carried off with deaths or killed is an attack (codebook: Attack vs Abduction).
        if (sub === 'Abduction/forced disappearance' && k && k.count > 0) sub = 'Attack';
        // An ambush or raid whose only victims are civilians is violence against civilians.
        if (sub === 'Armed clash' && civiliansOnlyVictims(ctx.text, a, main)) sub = 'Attack';
        // Killing armed people is fighting, not violence against civilians.
        if (sub === 'Attack' && !a.actors.some((m) => m.inter === 7) && !listMatch(ctx.rules, 'victims', a.sentence.text) && cast0.actor1 && a.actors.filter((m) => ARMED_INTERS.has(m.inter)).length > 1) sub = 'Armed clash';
        const actors = sub === main.rule.decides || main.rule.decides === '@territory' ? cast0 : cast(main, sub);
        const evidence: Evidence[] = [ev(main, 'type'), ev(p, 'place')];
        if (d) evidence.push(ev(d, 'date'));
        for (const r of [actors.actor1, actors.actor2]) if (r?.span) evidence.push(ev(r.span, 'actor'));
        if (k) evidence.push(ev(k.span, 'count'));
        if (a.attribution.span) evidence.push(ev(a.attribution.span, 'attribution'));
        batch.push({
          subType: sub,
          eventType: eventTypeOf(sub),
          rule: main.rule.where,
          date: d?.date ?? ctx.published,
          precision: d?.precision ?? 1,
          dateFrom: from,
          place: p.place,
          ...actors,
          fatalities: k ? share(k.count, n, batch.filter((b) => b.fatalitySpan === k.span).length) : a.fatalities.some((f) => f.kind === 'none') ? 0 : null,
          fatalitySpan: k?.span ?? null,
          certainty: a.attribution.certainty,
          attribution: a.attribution.span,
          evidence,
          sentences: [a.sentence],
          origin: index,
        });
      });
    });
    for (const d of batch) {
      // Strategic developments are not counted for deaths ("ending a war that killed 220,000").
      if (d.eventType === 'Strategic developments') d.fatalities = 0;
      // The next sentence of the same story often leaves out who: "Iran fired missiles at
      // bases hosting US troops ... The missiles struck ... Anbar".
      const prev = lastBatchOrigin === index - 1 || (!d.actor1 && !d.actor2) ? lastBatch.find((p) => p.eventType === d.eventType) : undefined;
      if (prev) {
        d.actor1 ??= prev.actor1;
        if (!d.actor2 && prev.actor2 && prev.actor2.name !== d.actor1?.name) d.actor2 = prev.actor2;
      }
    }
    drafts.push(...batch);
    lastBatch = batch;
    lastBatchOrigin = index;
  });
  const merged = mergeDrafts(drafts.filter((d) => d.place.level !== 'country'));
  // A device or shell whose owner no sentence names is an unidentified armed group's (ACLED);
  // an aircraft's is not guessed.
  for (const d of merged) {
    if (d.eventType === 'Explosions/Remote violence' && !d.actor1 && d.subType !== 'Air/drone strike' && d.subType !== 'Chemical weapon') {
      d.actor1 = generic(ctx, 'Unidentified Armed Group', 3, d.place.iso2);
    }
  }
  return merged;
}

// Strong clause breaks: what stands on either side may be two different events.
const CLAUSE_BREAK = /;|,?\s+(?:while|whereas|but)\s+/g;

/**
 * Which trigger each event place belongs to: the best trigger of its own clause ("Shelling
 * killed two in Kherson, while rebels stormed a base in Izium"); a place in a clause without
 * a trigger belongs to the main trigger only when the main trigger's clause names no place.
 */
function strongClauseStarts(s: Span): number[] {
  const bounds = [s.start];
  // Every break holds one of these: most sentences have none and need no scan.
  if (!s.text.includes(';') && !s.text.includes('while') && !s.text.includes('whereas') && !s.text.includes('but')) return bounds;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(s.text); m; m = CLAUSE_BREAK.exec(s.text)) bounds.push(s.start + m.index + m[0].length);
  return bounds;
}

/** The strong clause of a sentence that holds `pos`, as [start, end), from the sentence's strongClauseStarts. */
function clauseAround(s: Span, bounds: number[], pos: number): [number, number] {
  const i = bounds.filter((b) => b <= pos).length - 1;
  return [bounds[i] ?? s.start, bounds[i + 1] ?? s.end];
}

function typeOf(t: TriggerMatch): EventType {
  return t.rule.decides === '@territory' ? 'Battles' : eventTypeOf(t.rule.decides);
}

function placeTriggers(a: SentenceAnalysis, bounds: number[], places: PlaceMention[], main: TriggerMatch): { p: PlaceMention; t: TriggerMatch }[] {
  if (bounds.length === 1) return places.map((p) => ({ p, t: main }));
  const clause = (pos: number) => bounds.filter((b) => b <= pos).length - 1;
  const mainClause = clause(main.start);
  const mainHasPlace = places.some((p) => clause(p.start) === mainClause);
  const out: { p: PlaceMention; t: TriggerMatch }[] = [];
  for (const p of places) {
    let own = a.triggers.find((t) => clause(t.start) === clause(p.start));
    // "Demonstrators poured into the streets of Tel Aviv ...; police used water cannon": the
    // intervention told in the next clause is of the same protest.
    if (own && own !== main && typeOf(own) === typeOf(main) && main.rule.rank < own.rule.rank) own = main;
    if (own) out.push({ p, t: own });
    else if (!mainHasPlace) out.push({ p, t: main });
  }
  return out.length ? out : places.map((p) => ({ p, t: main }));
}

/**
 * A sentence without a place of its own adds to the events just told: the places a count of
 * districts stands for ("The three districts are A, B and C"), a toll, a claim of
 * responsibility, a denial, or a more precise sub-type of the same event type. `places` and
 * `told` are the sentence's eventPlaces and event dates (splitDates).
 */
function enrich(ctx: AssembleContext, a: SentenceAnalysis, places: PlaceMention[], told: DateMention[], batch: Draft[], adjacent: boolean, trigger: TriggerMatch | undefined): Draft[] | null {
  if (batch.length === 0) return null;
  // Elaboration: the previous sentence told an event at province level; this one names the
  // units inside it. The event is told once per unit.
  if (!trigger && adjacent && places.length > 0 && batch.every((d) => d.place.level === 'admin1' || d.place.level === 'country') && places.every((p) => batch.some((d) => contains(d.place, p.place)))) {
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
  const k = killed(a);
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
  // The claimant is read only when an event is still without a named actor: most sentences
  // here add a toll or a date, and roles read the words around every actor.
  let claimant: ActorMention | null | undefined;
  const claimantOf = (): ActorMention | null => {
    if (claimant !== undefined) return claimant;
    const { claimants, agents } = actorRoles(ctx.text, a.actors, trigger ?? a.sentence, a.sentence.start);
    return (claimant = claimants.find((m) => ARMED_INTERS.has(m.inter)) ?? (trigger ? agents.find((m) => ARMED_INTERS.has(m.inter)) : undefined) ?? null);
  };
  const civilian = a.actors.find((m) => m.inter === 7);
  for (const d of batch) {
    // "The toll rose to 58 on Sunday ... A car bomb exploded on Saturday": the later sentence dates the event.
    if (told[0] && trigger && trigger.rule.decides !== '@territory' && eventTypeOf(trigger.rule.decides) === d.eventType && (d.dateFrom === 'reporting' || d.dateFrom === 'published')) {
      d.date = told[0].date;
      d.precision = told[0].precision;
      d.dateFrom = 'sentence';
      d.evidence.push(ev(told[0], 'date'));
    }
    if (d.eventType === 'Explosions/Remote violence' && !d.actor2 && k && (civilian || listMatch(ctx.rules, 'victims', a.sentence.text))) {
      d.actor2 = civilian ? ref(civilian) : generic(ctx, 'Civilians', 7, d.place.iso2);
    }
    // A claim names who acted, also where the event said only "militants" or "gunmen".
    const by = (!d.actor1 || GENERIC_ARMED.test(d.actor1.name)) && d.eventType !== 'Protests' && d.eventType !== 'Riots' ? claimantOf() : null;
    if (by) {
      d.actor1 = ref(by);
      d.evidence.push(ev(by, 'actor'));
    }
    d.certainty = a.attribution.certainty === 'reported' ? d.certainty : combineCertainty(d.certainty, a.attribution.certainty);
  }
  upgradeSubTypes(a, batch);
  return null;
}

/** Later sentences of the same event may make its sub-type more precise ("marching students into the bush"). */
function upgradeSubTypes(a: SentenceAnalysis, batch: Draft[]): void {
  for (const d of batch) {
    for (const t of a.triggers) {
      if (t.rule.decides === '@territory') continue;
      const sub = t.rule.decides;
      // An "attack" that harmed no one but carried people off is an abduction (codebook §1).
      const abductionOnly = sub === 'Abduction/forced disappearance' && d.subType === 'Attack' && !d.fatalities;
      if (eventTypeOf(sub) === d.eventType && (abductionOnly || hierarchyIndex(sub) < hierarchyIndex(d.subType))) {
        d.subType = sub;
        d.rule = t.rule.where;
        d.evidence.push(ev(t, 'type'));
        // "Taliban fighters fired in the air to disperse them": who intervened is the other side.
        const force = d.eventType === 'Protests' && !d.actor2 ? a.actors.find((m) => ARMED_INTERS.has(m.inter)) : undefined;
        if (force) {
          d.actor2 = ref(force);
          d.evidence.push(ev(force, 'actor'));
        }
      }
    }
  }
}

/** A protest that turns violent the same day at the same place is one Riots event (codebook §1). */
const CROWD_TYPES = new Set<EventType>(['Protests', 'Riots']);

function sameEvent(a: Draft, b: Draft): boolean {
  const sameType = a.eventType === b.eventType || (CROWD_TYPES.has(a.eventType) && CROWD_TYPES.has(b.eventType));
  if (!sameType || a.date !== b.date) return false;
  if (unitKey(a.place) === unitKey(b.place) || contains(a.place, b.place) || contains(b.place, a.place)) return true;
  // A place whose district is unknown and a district of its province: the same event told twice.
  return a.place.iso2 === b.place.iso2 && !!a.place.admin1_code && a.place.admin1_code === b.place.admin1_code && !a.place.admin2_code !== !b.place.admin2_code;
}

/** The same event told by several sentences of one report becomes one event. */
function mergeDrafts(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  for (const d of drafts) {
    const prev = out.find((o) => sameEvent(o, d));
    if (!prev) {
      out.push(d);
      continue;
    }
    if (prev.eventType === 'Protests' && d.eventType === 'Riots') {
      // The crowd turned violent: the event is the riot, with whoever intervened.
      prev.eventType = 'Riots';
      prev.subType = d.subType;
      prev.rule = d.rule;
      prev.actor1 = d.actor1;
      prev.actor2 = prev.actor2 ?? d.actor2;
    } else if (prev.eventType === d.eventType && hierarchyIndex(d.subType) < hierarchyIndex(prev.subType)) {
      prev.subType = d.subType;
      prev.rule = d.rule;
    }
    prev.actor1 ??= d.actor1;
    prev.actor2 ??= d.actor2 && d.actor2.name !== prev.actor1?.name ? d.actor2 : null;
    if (d.fatalities !== null) prev.fatalities = prev.fatalities === null || prev.fatalities === 0 ? d.fatalities : d.fatalities > 0 ? Math.min(prev.fatalities, d.fatalities) : prev.fatalities;
    prev.certainty = combineCertainty(prev.certainty, d.certainty);
    prev.attribution ??= d.attribution;
    if (contains(prev.place, d.place) || (!prev.place.admin2_code && d.place.admin2_code) || (prev.place.level !== 'town' && d.place.level === 'town' && unitKey(prev.place) === unitKey(d.place))) prev.place = d.place;
    prev.evidence.push(...d.evidence);
    for (const s of d.sentences) if (!prev.sentences.includes(s)) prev.sentences.push(s);
  }
  return out;
}
