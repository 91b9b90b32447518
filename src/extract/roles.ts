// Roles: who did each predicate's act (agent), to whom or what (patients), and with whose help
// (allies), read off the words around it. Active: the subject acts, the object suffers
// ("Taliban militants attacked a checkpoint"); passive: the subject suffers and "by X" acts
// ("a man was shot dead by unknown gunmen"); a noun takes "by X" and "on X" ("an attack by
// militants on a checkpoint") or the name before it ("a Taliban attack", "Houthi shelling");
// fighting is between two sides ("X clashed with Y", "clashes between X and Y").
import type { Token } from '../core/tokens.js';
import type { Span } from '../core/types.js';
import type { AgentKind, PatientKind } from './lexicon.js';
import type { PlaceMention } from './places.js';
import type { Predicate } from './predicates.js';
import type { ActorMention } from './types.js';

/** Something an act was done to: an actor, or a thing (rules/events/objects.tsv), or a place. */
export interface Participant {
  kind: PatientKind;
  actor: ActorMention | null;
  span: Span;
  /** Token indexes in the sentence. */
  first: number;
  last: number;
}

export interface Roles {
  agent: ActorMention | null;
  /** How the agent was found: the subject, a by-phrase, the name before a noun, a side of a fight. */
  agentFrom: 'subject' | 'by' | 'modifier' | 'between' | null;
  patients: Participant[];
  /** Named helpers of the agent ("backed by Russian aircraft", "alongside X"). */
  allies: ActorMention[];
}

/** What a sentence holds that roles are read from. */
export interface RoleInput {
  tokens: readonly Token[];
  actors: readonly ActorMention[];
  objects: readonly Participant[];
  places: readonly PlaceMention[];
  predicates: readonly Predicate[];
}

const PREPOSITIONS = new Set(['in', 'at', 'on', 'near', 'of', 'from', 'with', 'by', 'to', 'into', 'against', 'between', 'among', 'for', 'towards', 'toward', 'inside', 'outside', 'under', 'during', 'after', 'before', 'following', 'like', 'across', 'through', 'along', 'around', 'behind', 'upon', 'via', 'without', 'targeting', 'alongside', 'including', 'than', 'amid', 'amidst', 'over', 'about']);
/** Words inside a noun phrase before its noun: they do not part a mention from what governs it. */
const NP_WORDS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'some', 'several', 'many', 'few', 'another', 'other', 'its', 'their', 'his', 'her', 'our', 'all', 'both', 'each', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'one', 'dozens', 'hundreds', 'scores', 'tens', 'number', 'group', 'least', 'most', 'more', 'less', 'fewer', 'than', 'up', 'around', 'about', 'nearly', 'almost', 'approximately', 'roughly', 'estimated', 'suspected', 'alleged', 'presumed', 'unknown', 'unidentified', 'armed', 'local', 'rival', 'so-called', 'same', 'further', 'members', 'member', 'elements', 'of', 'allegedly', 'reportedly', "'", '"', '‘', '’', '“', '”', "'s", 'also', 'only', 'just',
]);
/** Words that start a new clause inside a sentence: a subject is looked for in the nearest one. */
const CLAUSE_STARTS = new Set(['after', 'when', 'as', 'while', 'before', 'since', 'because', 'once', 'but', 'following', 'who', 'which', 'whom', 'whose', 'where', 'although', 'though', 'whereas', 'amid', 'during', 'until']);
/** Clauses that are asides about the subject, not clauses of their own ("backed by Russian air power"). */
const ASIDES = new Set(['backed', 'supported', 'aided', 'assisted', 'helped', 'joined', 'accompanied', 'led', 'including', 'along', 'together', 'allied', 'with', 'alongside', 'reportedly', 'allegedly', 'operating', 'acting', 'belonging', 'affiliated', 'linked', 'loyal']);
const DEAD_WORDS = new Set(['dead', 'death', 'deaths']);
const SPEECH = new Set(['said', 'says', 'say', 'denied', 'denies', 'claimed', 'claims', 'reported', 'reports', 'announced', 'confirmed', 'stated', 'added', 'alleged', 'insisted', 'told', 'warned', 'acknowledged', 'admitted']);
/** A mention after these says where, when or why, not to whom. */
const LOCATIVE = new Set(['in', 'near', 'outside', 'inside', 'around', 'across', 'along', 'behind', 'within', 'from', 'during', 'after', 'before', 'following', 'under', 'amid', 'since', 'until', 'for', 'over', 'through', 'via']);
/** Acts aimed at a target: "at X", "on X", "into X", "towards X" name it. */
const AIMED = new Set(['fire', 'shoot', 'attack', 'throw', 'hit', 'shell', 'strike', 'kill', 'ambush', 'explode', 'beat']);
/** Acts that take something from someone: "from X" names who lost it. */
const LOSERS = new Set(['capture', 'retake', 'seize', 'loot']);
const ALLY_BEFORE = new Set(['alongside', 'backed', 'supported', 'aided', 'assisted', 'accompanied', 'joined']);

/** The word governing a mention that starts at token `first`: the preposition before its noun phrase, or null. */
export function governor(tokens: readonly Token[], first: number): string | null {
  let k = first - 1;
  let nameFrom = first;
  // "at least", "more than", "up to": quantifiers inside the noun phrase.
  while (k >= 0) {
    const w = tokens[k]!.lower;
    if (w === 'least' && tokens[k - 1]?.lower === 'at') {
      k -= 2;
      continue;
    }
    // A hyphenated modifier is inside the phrase too: "by unidentified motorcycle-riding assailants".
    // So is a name right before a noun: "in Nova Primavera neighborhood", "at Taliban positions"
    // (but not before a determiner: "in Rawalpindi a crowd").
    if (NP_WORDS.has(w) || tokens[k]!.kind === 'n' || (w.includes('-') && /^[a-z]/.test(w)) || (tokens[k]!.cap && k > 0 && k >= nameFrom - 1)) {
      if (tokens[k]!.cap) nameFrom = k;
      // "members of X": "of" inside the phrase; but a real "of" after a noun is kept below.
      if (w === 'of' && !OF_TRANSPARENT.has(tokens[k - 1]?.lower ?? '')) return 'of';
      k--;
      continue;
    }
    // "an airstrike attributed to the LNA", "an attack blamed on X", "claimed by": the agent.
    if ((w === 'to' && AGENT_TO.has(tokens[k - 1]?.lower ?? '')) || (w === 'on' && tokens[k - 1]?.lower === 'blamed')) return 'by';
    if (PREPOSITIONS.has(w)) return w;
    // Up to two plain words between an article and the mention are its modifiers: "by the special
    // purpose police" (once, right before the mention: a verb further left ends the phrase).
    if (k !== first - 1) return null;
    const words = [1, 2].find((n) => ARTICLES.has(tokens[k - n]?.lower ?? '') && tokens.slice(k - n + 1, k + 1).every((t) => /^[a-z]+$/.test(t.text)));
    if (words === undefined) return null;
    k -= words;
  }
  return null;
}
const ARTICLES = new Set(['the', 'a', 'an']);
/** "members of X", "a contingent of X": the phrase is X. */
const OF_TRANSPARENT = new Set(['commando', 'commandos', 'members', 'member', 'elements', 'group', 'groups', 'number', 'dozens', 'hundreds', 'scores', 'tens', 'contingent', 'batch', 'team', 'squad', 'unit', 'units', 'convoy', 'column', 'company', 'battalion', 'brigade', 'detachment', 'patrol', 'fighters', 'militants', 'soldiers', 'troops', 'band', 'gang', 'mob', 'crowd', 'crowds', 'thousands', 'some', 'one', 'two', 'three', 'several', 'many', 'most', 'all']);
const AGENT_TO = new Set(['attributed', 'attributable', 'credited', 'ascribed']);

/** Token indexes where the weak clauses of [from, to) start: at commas, semicolons and subordinators. */
function weakClauseStarts(tokens: readonly Token[], from: number, to: number): number[] {
  const starts = [from];
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.text === ',' || t.text === ';' || t.text === ':') starts.push(k + 1);
    else if (CLAUSE_STARTS.has(t.lower) && k > from) starts.push(k);
    // "denied that Kombolcha had fallen", "said on Saturday that troops had": what was said is a clause of its own.
    else if (t.lower === 'that' && k > from && tokens.slice(Math.max(from, k - 4), k).some((x) => SPEECH.has(x.lower))) starts.push(k);
  }
  return starts;
}

/** The weak clause [start, end) holding token k. */
export function weakClause(tokens: readonly Token[], from: number, to: number, k: number): [number, number] {
  return clauseAround(weakClauseStarts(tokens, from, to), k, from, to);
}

/** The clause [start, end) of [from, to), cut at `starts` (ascending), that holds token k. */
export function clauseAround(starts: readonly number[], k: number, from: number, to: number): [number, number] {
  let s = from;
  let e = to;
  for (const st of starts) {
    if (st <= k) s = st;
    else {
      e = st;
      break;
    }
  }
  return [s, e];
}

function isAside(tokens: readonly Token[], start: number, end: number): boolean {
  let k = start;
  while (k < end && (tokens[k]!.kind === 'p' || tokens[k]!.lower === 'and')) k++;
  return k < end && ASIDES.has(tokens[k]!.lower);
}

interface Slot {
  first: number;
  last: number;
  actor: ActorMention | null;
  participant: Participant | null;
}

/** Token index range of a span. */
function tokenRange(tokens: readonly Token[], s: Span): [number, number] {
  let first = -1;
  let last = -1;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.end <= s.start) continue;
    if (t.start >= s.end) break;
    if (first < 0) first = k;
    last = k;
  }
  return [first, last];
}

/** The mentions of a sentence that can fill roles, in text order: actors, then things not inside an actor. */
export function slotsOf(input: RoleInput): Slot[] {
  const slots: Slot[] = [];
  for (const a of input.actors) {
    const [first, last] = tokenRange(input.tokens, a);
    if (first >= 0) slots.push({ first, last, actor: a, participant: null });
  }
  for (const o of input.objects) if (!slots.some((s) => s.actor && o.first <= s.last && s.first <= o.last)) slots.push({ first: o.first, last: o.last, actor: null, participant: o });
  return slots.sort((a, b) => a.first - b.first);
}

export function patientKindOf(a: ActorMention): PatientKind {
  // A government's civil authorities (a president, a minister) are no armed target.
  if (a.inter === 7 || CIVIL_AUTHORITY.test(a.name)) return 'civilians';
  if (a.inter === 5 || a.inter === 6) return 'crowd';
  return 'armed';
}

// Words that make a member of the forces a civilian when harmed (codebook §1 VAC: "anyone harmed
// while unarmed and unable to defend themselves is a civilian, including off-duty police").
const OFF_DUTY = new Set(['off-duty', 'retired', 'former', 'ex-', 'unarmed']);

/** Is the mention from token first to last marked off duty ("a former soldier", "a police officer (off-duty)")? */
export function offDuty(tokens: readonly Token[], first: number, last: number): boolean {
  for (let k = Math.max(0, first - 3); k < first; k++) if (OFF_DUTY.has(tokens[k]!.lower) || (tokens[k]!.lower === 'off' && tokens[k + 1]?.lower.replace(/^-/, '') === 'duty')) return true;
  if (tokens[last + 1]?.text !== '(') return false;
  for (let k = last + 2; k < tokens.length && k <= last + 5 && tokens[k]!.text !== ')'; k++) if (tokens[k]!.lower === 'off-duty' || tokens[k]!.lower === 'duty') return true;
  return false;
}

/** An actor as a participant. */
export function asParticipant(tokens: readonly Token[], a: ActorMention): Participant {
  const [first, last] = tokenRange(tokens, a);
  const kind = patientKindOf(a);
  return { kind: kind === 'armed' && offDuty(tokens, first, last) ? 'civilians' : kind, actor: a, span: { start: a.start, end: a.end, text: a.text }, first, last };
}

/** A government's civil side: a president or a minister harmed is no armed target. */
const CIVIL_AUTHORITY = /^Government of\b/;

/** Acts of two sides together: "X clashed with Y", "X and Y signed", "clashes between X and Y". */
const SIDE_CLASSES = new Set(['fight', 'exchange', 'agree']);

/**
 * The target of a firing told after a list of what was fired, "fired mortars, grenade launchers
 * and small arms at the positions": the first mention after "at" or "on" once the list's commas
 * end, if no act comes first.
 */
function targetAfterList(tokens: readonly Token[], slots: readonly Slot[], predicates: readonly Predicate[], from: number, to: number, start: number): Slot[] {
  for (let at = start, n = 0; at < to && n < 8; n++) {
    const [, end] = weakClause(tokens, from, to, at);
    if (predicates.some((q) => q.first >= at && q.first < end)) return [];
    const listed = slots.filter((s) => s.first >= at && s.last < end && s.participant?.kind !== 'weapons');
    // "at the governmental positions": an adjective may stand between "at" and the mention.
    if (listed.length) return tokens.slice(Math.max(at, listed[0]!.first - 3), listed[0]!.first).some((t) => t.lower === 'at' || t.lower === 'on') ? listed : [];
    if (tokens[end - 1]?.text !== ',') return [];
    at = end;
  }
  return [];
}

/**
 * The roles of predicate p among the sentence's mentions, within its strong clause [from, to)
 * (token indexes): what stands in another strong clause ("..., while Y repelled attacks") is
 * no part of this act.
 */
export function rolesOf(input: RoleInput, slots: readonly Slot[], p: Predicate, from: number, to: number): Roles {
  const { tokens, predicates } = input;
  const [, clauseEnd] = weakClause(tokens, from, to, p.head);
  // The next predicate head after p in its clause ends what p's object can be.
  const nextHead = predicates.find((q) => q.first > p.last && q.first < clauseEnd)?.first ?? clauseEnd;
  // The words a pattern spans may hold its object: "shot him dead", "marching students into the bush".
  let after = slots.filter((s) => (s.first > p.last && s.first < nextHead) || (s.first > p.head && s.last < p.last));
  // An object no actor names may start a list: "detained State Counsellor Aung San Suu Kyi,
  // President Win Myint and other leaders". The list goes on after the comma when the next
  // clause opens with a mention and tells no act of its own.
  if (!after.length && !p.passive && !p.nominal && nextHead === clauseEnd && tokens[clauseEnd - 1]?.text === ',') {
    const [, clause2End] = weakClause(tokens, from, to, clauseEnd);
    const listEnd = predicates.find((q) => q.first >= clauseEnd && q.first < clause2End)?.first ?? clause2End;
    const listed = slots.filter((s) => s.first >= clauseEnd && s.last < listEnd);
    if (listed[0]?.first === clauseEnd) after = listed;
    else if (p.cls === 'fire' || p.cls === 'shoot') after = targetAfterList(tokens, slots, predicates, from, to, clauseEnd);
  }
  const allies: ActorMention[] = [];
  let agent: ActorMention | null = null;
  let agentFrom: Roles['agentFrom'] = null;
  const patients: Participant[] = [];
  const participantOf = (s: Slot): Participant => s.participant ?? asParticipant(tokens, s.actor!);

  // "by X" after the head acts, in any voice ("an attack by", "was shot by", "carried out by");
  // so does X after "fell to", "handed over to".
  const toAgent = tokens[p.last]!.lower === 'to' && after[0]?.actor && after[0].first <= p.last + 3 ? after[0] : undefined;
  const byAgent = toAgent ?? after.find((s) => s.actor && governor(tokens, s.first) === 'by');
  // "clashes between X and Y": both sides follow.
  const between = SIDE_CLASSES.has(p.cls) ? after.filter((s) => s.actor && governor(tokens, s.first) === 'between') : [];
  const betweenPair = between.length && (() => {
    const i = after.indexOf(between[0]!);
    const second = after[i + 1];
    return second?.actor && tokens.slice(between[0]!.last + 1, second.first).some((t) => t.lower === 'and') ? [between[0]!, second] : [between[0]!];
  })();
  // The name right before a noun head: "a Taliban attack", "Saudi-led coalition airstrikes".
  // A name that runs into the act's words is its modifier too ("a Russian Shahed drone struck").
  const modifier = slots.find((s) => s.actor && s.first < p.first && ((p.nominal && s.last === p.first - 1) || (s.last >= p.first && s.last < p.last)));

  // Once an aimed act has its direct object, "at X", "on X" after it say where ("assaulted a
  // civilian at a police station").
  let object = false;
  for (const s of after) {
    if (s === byAgent || (betweenPair && betweenPair.includes(s))) continue;
    // A possessor is no party: "the governor's compound" was the target, not the governor.
    if (s.actor && ["'s", '’s'].includes(tokens[s.last + 1]?.lower ?? '') && s.actor.inter === 7) continue;
    const gov = governor(tokens, s.first);
    // What is fired is the means, not the target: "fired small arms at the positions".
    if (!gov && s.participant?.kind === 'weapons' && (p.cls === 'fire' || p.cls === 'shoot')) continue;
    if (object && gov && ['at', 'on', 'into', 'in'].includes(gov)) continue;
    if (!gov && !p.passive && !p.nominal) object = true;
    if (s.actor && gov && ALLY_BEFORE.has(gov)) {
      allies.push(s.actor);
      continue;
    }
    // What stands after "in", "near", "from" says where the act was or came from ("shelling
    // from Houthi positions", "gathered outside a police station"); "at", "on", "into" name a
    // target only of an aimed act ("fired at soldiers", but "gathered at the station").
    // "retook Palmyra from the Islamic State": who lost the place is the other side.
    if (gov === 'from' && LOSERS.has(p.cls) && s.actor) {
      patients.push(participantOf(s));
      continue;
    }
    if (gov && (LOCATIVE.has(gov) || (!AIMED.has(p.cls) && ['at', 'on', 'into', 'towards', 'toward'].includes(gov)))) continue;
    patients.push(participantOf(s));
  }

  if (betweenPair && betweenPair.length) {
    agent = betweenPair[0]!.actor;
    agentFrom = 'between';
    if (betweenPair[1]) patients.unshift(participantOf(betweenPair[1]));
  } else if (byAgent) {
    agent = byAgent.actor;
    agentFrom = 'by';
  }
  // "134 dead", "the deaths of two soldiers": the dead stand right before the word (or after "of").
  const deadWord = p.cls === 'die' && DEAD_WORDS.has(tokens[p.head]!.lower);
  const subject = deadWord ? (slots.find((s) => s.last < p.first && s.last >= p.first - 2) ?? null) : findSubject(tokens, slots, predicates, p, from);
  // Helpers named between the subject and the act: "FAMa, supported by Wagner Group fighters,
  // took control", "troops backed by Macawisley clan militias took".
  if (subject) {
    let last = -2;
    for (const s of slots) {
      if (!s.actor || s.first <= subject.last || s.last >= p.first) continue;
      const byAlly = governor(tokens, s.first) === 'by' && ALLY_BEFORE.has(tokens[s.first - 2]?.lower ?? '');
      if ((byAlly || s.first === last + 1) && !allies.includes(s.actor)) {
        allies.push(s.actor);
        last = s.last;
      }
    }
  }
  // Who "died" suffered it, as in the passive.
  // Civilians who "fled" or "were evacuated" suffered it too; troops who evacuated them did it.
  const suffered = p.cls === 'displace' && subject?.actor?.inter === 7;
  if (p.passive || p.cls === 'die' || suffered) {
    if (subject) patients.unshift(participantOf(subject));
  } else if (!agent && modifier) {
    agent = modifier.actor;
    agentFrom = 'modifier';
  } else if (!agent && subject) {
    if (subject.actor) {
      agent = subject.actor;
      agentFrom = 'subject';
      // "X and Y clashed": the second subject is the other side.
      if (SIDE_CLASSES.has(p.cls)) {
        const other = slots.find((s) => s.actor && s.first > subject.last && s.last < p.first && tokens.slice(subject.last + 1, s.first).some((t) => t.lower === 'and'));
        if (other) patients.unshift(participantOf(other));
      }
    }
  }
  return { agent, agentFrom, patients, allies };
}

/**
 * The subject of p: in the nearest weak clause before its head that has one (skipping asides),
 * the first mention no preposition governs and no other predicate's head stands before.
 */
function findSubject(tokens: readonly Token[], slots: readonly Slot[], predicates: readonly Predicate[], p: Predicate, from: number): Slot | null {
  // A noun after an article has no subject: "journalists covering the march" did not march.
  if (p.nominal) return null;
  const starts = weakClauseStarts(tokens, from, p.first);
  const own = starts[starts.length - 1]!;
  // The clause's own opener ("after protesters stormed") is a conjunction, not the subject's preposition.
  const inClause = (start: number, end: number) => {
    const firstHead = predicates.find((q) => q !== p && q.first >= start && q.first < end)?.first ?? end;
    const opener = tokens[start]?.lower;
    return slots.find((s) => s.first >= start && s.last < end && s.first <= firstHead && (!governor(tokens, s.first) || (governor(tokens, s.first) === opener && SUBORDINATORS.has(opener ?? '')))) ?? null;
  };
  // "the victim died and police officers arrested four": a name between "and" and the act,
  // right before it, is the act's own subject, not an object of the act before.
  const prev = predicates.filter((q) => q !== p && q.first >= own && q.first < p.first).pop();
  if (prev) {
    const own2 = slots.filter((s) => s.first > prev.last && s.last < p.first && !governor(tokens, s.first)).pop();
    const between = own2 ? tokens.slice(own2.last + 1, p.first) : [];
    if (own2 && between.length <= 1 && between.every((t) => t.kind !== 'p') && tokens.slice(prev.last + 1, own2.first).some((t) => t.lower === 'and')) return own2;
  }
  const mine = inClause(own, p.first);
  if (mine) return mine;
  // "gunmen surrounded the house where he had been held and fought soldiers": an act after
  // "and" shares the subject of the act it is coordinated with, past any relative clause.
  if (['and', 'then', 'or'].includes(tokens[p.first - 1]?.lower ?? '')) {
    const coordinated = predicates.filter((q) => q !== p && q.first < p.first && q.first >= from && !RELATIVES.has(tokens[weakClause(tokens, from, p.first, q.head)[0]]?.lower ?? '')).pop();
    if (coordinated) return findSubject(tokens, slots, predicates, coordinated, from);
  }
  const opener = tokens[own]?.lower ?? '';
  // A subordinate clause ("when three explosions struck ...") has its own subject or none.
  if (SUBORDINATORS.has(opener)) return null;
  // A clause with words of its own before the act has a subject no actor names ("and a
  // helicopter later fired"); one without ("..., killing two", "and then fired") shares the
  // subject of the act before it.
  if (!RELATIVES.has(opener)) {
    const words = tokens.slice(own, p.first).filter((t) => t.kind !== 'p' && !LINKS.has(t.lower) && !t.lower.endsWith('ly'));
    if (words.length) return null;
    // The act borrowed from is a main clause's: in "a missile struck as people waited to be
    // evacuated, killing 50", the killing is the missile's, not the waiting people's.
    const before = predicates.filter((q) => q !== p && q.first < own && q.first >= from && !DEPENDENT_OPENERS.has(tokens[weakClause(tokens, from, p.first, q.head)[0]]?.lower ?? '')).pop();
    if (before) return findSubject(tokens, slots, predicates, before, from);
  }
  // A relative clause ("militants who attacked") and a clause after an aside take the subject
  // of the nearest clause before that is no aside or phrase of place and time.
  for (let c = starts.length - 2; c >= 0; c--) {
    const start = starts[c]!;
    const end = starts[c + 1]!;
    if (isAside(tokens, start, end) || PREPOSITIONS.has(tokens[start]?.lower ?? '')) continue;
    const s = inClause(start, end);
    if (s) return s;
  }
  return null;
}

/** Words that open a clause without being its subject. */
const LINKS = new Set(['and', 'or', 'then', 'also', 'later', 'subsequently', 'eventually', 'reportedly', 'allegedly', 'had', 'has', 'have', 'was', 'were', 'is', 'are', 'been', 'be', 'not', 'too', 'again', 'further', 'both', 'all']);
const RELATIVES = new Set(['who', 'which', 'whom', 'whose', 'where']);

const SUBORDINATORS = new Set(['that', 'after', 'when', 'while', 'before', 'since', 'because', 'once', 'although', 'though', 'whereas', 'until', 'following', 'amid', 'during']);
/**
 * Openers of clauses that depend on another: their acts lend no subject to a later participle.
 * What was said ("said that X attacked, killing two") is the report's main act: "that" is not one.
 */
const DEPENDENT_OPENERS = new Set([...RELATIVES, ...SUBORDINATORS, 'as'].filter((w) => w !== 'that'));

/** A civilian actor acting with others: "villagers", "a group of residents", "about 50 people". */
export function plural(tokens: readonly Token[], a: ActorMention): boolean {
  const [first, last] = tokenRange(tokens, a);
  if (first < 0) return false;
  const headWord = tokens[last]!.lower;
  if (['people', 'men', 'women', 'children', 'youths', 'locals', 'villagers', 'residents', 'crowd', 'crowds', 'mob', 'mobs', 'group'].includes(headWord)) return true;
  if (headWord.endsWith('s') && !headWord.endsWith('ss')) return true;
  const before = tokens.slice(Math.max(0, first - 3), first).map((t) => t.lower);
  return before.some((w) => ['group', 'dozens', 'hundreds', 'scores', 'crowd', 'several', 'many'].includes(w));
}

/** The kind of an acting actor, as the decision table reads it. */
export function agentKindOf(tokens: readonly Token[], a: ActorMention | null): AgentKind {
  if (!a) return 'none';
  switch (a.inter) {
    case 1:
      return 'state';
    case 2:
      return 'rebel';
    case 3:
      return 'militia';
    case 4:
      return 'identity';
    case 5:
    case 6:
      return 'crowd';
    case 7:
      return plural(tokens, a) ? 'crowd' : 'civilian';
    default:
      return 'external';
  }
}
