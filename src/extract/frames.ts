// Frames: the acts of one strong clause told as one event, with who did them, to whom, with
// what. "Taliban militants attacked a checkpoint, killing 2 soldiers" is one frame: acts attack
// and kill, agent the Taliban, patients the checkpoint and the soldiers. A clause after ";",
// "while", "whereas" or "but" may tell another event and gets its own frame.
import type { Token } from '../core/tokens.js';
import { ARMED_INTERS } from '../schema/event.js';
import type { Span } from '../core/types.js';
import { strongerMeans, type Features } from './decide.js';
import { listMatch, type AgentKind, type EventLexicon, type Means, type PatientKind, type SceneFlag } from './lexicon.js';
import type { PlaceMention } from './places.js';
import type { Predicate } from './predicates.js';
import { agentKindOf, clauseAround, offDuty, rolesOf, slotsOf, type Participant, type RoleInput } from './roles.js';
import type { ActorMention } from './types.js';

export interface Frame {
  predicates: Predicate[];
  /** Text offsets of its strong clause. */
  from: number;
  to: number;
  agent: ActorMention | null;
  patients: Participant[];
  allies: ActorMention[];
  acts: Set<string>;
  means: Means;
  /** The words that told the means, if any. */
  meansSpan: Span | null;
  /** Every means the clause names outside actors' names: small arms beside heavy weapons are a ground fight. */
  meansAll: Set<Means>;
  /** Places the frame's acts are done to ("seized the town of X"): the territory changing hands. */
  governed: PlaceMention[];
  /** Whether the agent acts with others (a crowd of civilians) or alone. */
  agentKind: AgentKind;
  /** Actors of the clause that took no role: the likeliest target when none is named ("rockets
   * were fired at Kabul's airport as US forces pressed on", "destroyed the theatre, where a
   * thousand people had been sheltering"). */
  bystanders: ActorMention[];
}

/** Token indexes where strong clauses start: after ";" and before ", while", ", whereas", ", but". */
export function strongClauseStarts(tokens: readonly Token[]): number[] {
  const starts = [0];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === ';') starts.push(k + 1);
    else if ((t.lower === 'while' || t.lower === 'whereas' || t.lower === 'but') && k > 0 && tokens[k - 1]!.text === ',') starts.push(k + 1);
  }
  return starts;
}


const TERRITORY = new Set(['capture', 'retake', 'handover', 'seize']);

/**
 * A place is what the act was done to: its object ("seized the northern city of Kunduz",
 * "took control of the town and port of X") or, in the passive and with "fell", its subject
 * ("Herat fell to", "Kombolcha had fallen"). Only lower-case words may stand between, so
 * "seized Ivan Fedorov, the mayor of Melitopol" is not a capture of Melitopol.
 */
export function placeGoverned(text: string, t: Span, p: Span, isCountry: (w: string) => boolean): boolean {
  const onlyLowerWords = (gap: string) => {
    // An unknown place followed by its parenthetical units stands in for them: "declared full
    // control of Al Baghuz Fawqani (Abu Kamal, Deir ez-Zor)", "of Paletwa town (Paletwa, Chin)"
    // where only the last unit is known; a named crossing, bridge or base
    // on the way is part of what was taken ("the Wesh-Chaman border crossing with Pakistan and
    // the nearby town of Wesh"). Names start a word ("Qaim" of "al-Qaim" is not one), so a word
    // is read from its start only, not from each capital in it: linear (the ReDoS check).
    const words = gap
      .replace(/(?<![\w'’-])(?:\b[A-Z][\w'’-]*\s+(?:and\s+)?){1,6}(?:(?:towns?|city|cities|villages?|districts?|areas?)\s+)?\(\s*(?:[^(),]*,\s*)?$/, '')
      .replace(/(?<![\w'’-])(?:\b[A-Z][\w'’-]*\s+){1,3}(?=(?:border )?(?:crossing|bridge|airport|airbase|air base|base|checkpoint|camp|port|dam|hill|garrison)\b)/g, '')
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

export interface FrameInput extends RoleInput {
  text: string;
  /** Predicates a modality cue cancelled: their words tell no means either. */
  cancelled: readonly Predicate[];
  lex: EventLexicon;
  isCountry: (w: string) => boolean;
}

/** The things named in a sentence that an act can be done to (rules/events/objects.tsv). */
export function objectsOf(lex: EventLexicon, tokens: readonly Token[], text: string): Participant[] {
  return lex.objects.find(tokens).map((m) => {
    const start = tokens[m.first]!.start;
    const end = tokens[m.last]!.end;
    const kind = m.phrase.value === 'armed' && offDuty(tokens, m.first, m.last) ? 'civilians' : m.phrase.value;
    return { kind, actor: null, span: { start, end, text: text.slice(start, end) }, first: m.first, last: m.last };
  });
}

/** The frames of one sentence: one per strong clause that tells an act. */
export function framesOf(input: FrameInput): Frame[] {
  const { tokens, predicates, lex, text } = input;
  if (!predicates.length) return [];
  const starts = strongClauseStarts(tokens);
  const slots = slotsOf(input);
  const means = lex.means.find(tokens);
  const frames: Frame[] = [];
  const harmed = new Map<Predicate, Participant[]>();
  for (const p of predicates) {
    const [cFirst, cEnd] = clauseAround(starts, p.head, 0, tokens.length);
    const from = tokens[cFirst]!.start;
    const to = tokens[cEnd - 1]!.end;
    let f = frames.find((x) => x.from === from);
    if (!f) {
      f = { predicates: [], from, to, agent: null, patients: [], allies: [], acts: new Set(), means: 'none', meansSpan: null, meansAll: new Set(), governed: [], agentKind: 'none', bystanders: [] };
      frames.push(f);
    }
    f.predicates.push(p);
    f.acts.add(p.cls);
    if (p.means) {
      f.meansAll.add(p.means as Means);
      const stronger = strongerMeans(f.means, p.means as Means);
      if (stronger !== f.means || f.means === 'none') [f.means, f.meansSpan] = [stronger, p];
    }
    const roles = rolesOf(input, slots, p, cFirst, cEnd);
    harmed.set(p, roles.patients);
    // The first act that names its agent names the frame's.
    if (!f.agent && roles.agent) f.agent = roles.agent;
    for (const pt of roles.patients) if (!f.patients.some((x) => x.span.start === pt.span.start) && (!pt.actor || pt.actor !== f.agent)) f.patients.push(pt);
    for (const a of roles.allies) if (!f.allies.includes(a)) f.allies.push(a);
    if (TERRITORY.has(p.cls)) {
      for (const pl of input.places) if (pl.start >= from && pl.end <= to && !f.governed.includes(pl) && placeGoverned(text, p, pl, input.isCountry)) f.governed.push(pl);
    }
  }
  for (const f of frames) {
    // Means words inside another actor's name describe that actor, not the act ("Ukrainian air
    // force commanders" were the target, not aircraft).
    const named = input.actors.filter((a) => a !== f.agent);
    for (const m of means) {
      const at = tokens[m.first]!.start;
      const end = tokens[m.last]!.end;
      if (at < f.from || at >= f.to || named.some((a) => a.start <= at && end <= a.end)) continue;
      // Nor is a weapon the act was done to its means: "destroyed an Afghan military tank".
      if (f.patients.some((p) => !p.actor && p.span.start <= at && end <= p.span.end)) continue;
      // Nor do the words of an act that did not happen ("suspected of preparing rocket attacks").
      if (input.cancelled.some((c) => c.first - m.last >= 0 && c.first - m.last <= 2)) continue;
      if (!input.actors.some((a) => a.start <= at && end <= a.end)) f.meansAll.add(m.phrase.value);
      const stronger = strongerMeans(f.means, m.phrase.value);
      if (stronger !== f.means || f.means === 'none') [f.means, f.meansSpan] = [stronger, { start: at, end, text: text.slice(at, end) }];
    }
  }
  for (const f of frames) dropTopics(f, harmed);
  frames.push(...frames.flatMap((f) => splitHarm(f)));
  // Forces harmed at home or off duty are civilians (codebook §1 VAC), unless the sentence tells a fight.
  const offDutyScene = tokens.length > 0 && listMatch(lex, 'off_duty_scene', text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end)) !== null;
  for (const f of frames) {
    f.patients = f.patients.filter((pt) => (!pt.actor || pt.actor !== f.agent));
    if (offDutyScene && !f.acts.has('fight') && !f.acts.has('exchange')) f.patients = f.patients.map((pt) => (pt.kind === 'armed' && pt.actor ? { ...pt, kind: 'civilians' } : pt));
    f.agentKind = agentKindOf(tokens, f.agent);
    f.bystanders = input.actors.filter((a) => a.start >= f.from && a.end <= f.to && a !== f.agent && (ARMED_INTERS.has(a.inter) || a.inter === 7) && !f.patients.some((p) => p.actor === a) && !f.allies.includes(a));
  }
  return frames;
}

/** Acts that make a crowd's action violent (codebook §1: vandalism, clashes, attacks). */
const VIOLENT_ACTS = new Set(['throw', 'burn', 'destroy', 'attack', 'beat', 'fight', 'loot', 'lynch', 'kill', 'injure', 'shoot', 'riot', 'hit']);
const VIOLENT_MEANS = new Set<Means>(['fire', 'molotov', 'stones']);
const HEAVY: readonly Means[] = ['artillery', 'grenade', 'ied'];

const PROTEST_ACTS = new Set(['protest', 'gather', 'demand']);

/**
 * In a protest's clause, violence or an arrest told in the passive or as a noun and done to no
 * protester is what the crowd protests about, not what it did or suffered ("against an attack
 * on a journalist", "against the arrest of a publisher", "after their crops were destroyed",
 * "for the replacement of a burnt transformer"): it leaves the frame.
 */
function dropTopics(f: Frame, harmed: ReadonlyMap<Predicate, readonly Participant[]>): void {
  if (!f.predicates.some((p) => PROTEST_ACTS.has(p.cls))) return;
  const topics = f.predicates.filter((p) => (VIOLENT_ACTS.has(p.cls) || p.cls === 'arrest' || p.cls === 'abduct') && (p.passive || p.nominal) && !(harmed.get(p) ?? []).some((pt) => pt.kind === 'crowd' || pt.actor?.inter === 6));
  if (!topics.length) return;
  f.predicates = f.predicates.filter((p) => !topics.includes(p));
  f.acts = new Set(f.predicates.map((p) => p.cls));
}

/** Acts against people that are events of their own beside a battle (codebook §0: a shootout
 * with police, then an abduction of civilians, is two events). */
const OWN_HARM = new Set(['abduct', 'rape']);

/**
 * Splits the abductions and rapes of a frame that also tells fighting (an exchange of fire, or
 * acts against armed men) into a frame of their own, with the same agent and the people taken.
 * Returns the new frames; the frame keeps the rest.
 */
function splitHarm(f: Frame): Frame[] {
  const harm = f.predicates.filter((p) => OWN_HARM.has(p.cls));
  if (!harm.length || harm.length === f.predicates.length) return [];
  if (!f.acts.has('fight') && !f.acts.has('exchange') && !f.patients.some((p) => p.kind === 'armed')) return [];
  const people = f.patients.filter((p) => p.kind === 'civilians' || p.kind === 'crowd');
  f.predicates = f.predicates.filter((p) => !harm.includes(p));
  f.acts = new Set(f.predicates.map((p) => p.cls));
  f.patients = f.patients.filter((p) => !people.includes(p));
  return [{ ...f, meansAll: new Set(), predicates: harm, acts: new Set(harm.map((p) => p.cls)), patients: people.map((p) => (p.kind === 'crowd' ? { ...p, kind: 'civilians' } : p)), governed: [], bystanders: [] }];
}

/** What the features are read from: a frame, or the drafts of one event merged. */
export interface FeatureInput {
  acts: ReadonlySet<string>;
  means: Means;
  /** Every means named (outside actors' names). */
  meansAll: ReadonlySet<Means>;
  agent: AgentKind;
  /** The agent is protesters (inter 6). */
  protesters: boolean;
  patients: readonly { kind: PatientKind; inter: number | null }[];
  governed: boolean;
  killed: boolean;
  home: boolean;
  /** A crowd at the scene turned violent, told apart from the event's agent ("Protesters threw stones"). */
  violentCrowd?: boolean;
}

/** The features the decision table reads. */
export function featuresOf(x: FeatureInput): Features {
  const { means, agent, patients } = x;
  // Shots fired into the air harm no one: they are a warning (at a protest, an intervention);
  // so does tear gas or rubber bullets fired, when no live fire is named.
  const harmless = x.acts.has('warning') || (x.meansAll.has('riotgear') && !x.meansAll.has('firearm'));
  const acts = harmless ? new Set([...x.acts].filter((a) => a !== 'fire' && a !== 'shoot')) : x.acts;
  const kinds = new Set<PatientKind>(patients.map((p) => p.kind));
  if (x.governed) kinds.add('place');
  const crowdPatient = patients.some((p) => p.kind === 'crowd');
  const protest = acts.has('protest') || (acts.has('gather') && acts.has('demand')) || x.protesters || patients.some((p) => p.inter === 6) || (agent === 'crowd' && acts.has('demand'));
  const flags = new Set<SceneFlag>();
  if (protest) flags.add('protest');
  // Burning an effigy or a flag is a protest's gesture: a crowd acting only on symbols is not violent.
  const onSymbols = patients.length > 0 && patients.every((p) => p.kind === 'symbol');
  const crowdActs = (agent === 'crowd' && !onSymbols) || (crowdPatient && acts.has('fight'));
  if (x.violentCrowd || acts.has('riot') || (crowdActs && [...acts].some((a) => VIOLENT_ACTS.has(a))) || ((acts.has('block') || agent === 'crowd') && !onSymbols && VIOLENT_MEANS.has(means))) flags.add('violent');
  // Arrests at a protest are an intervention when protesters (or people of the crowd) are taken.
  // "Some members were detained by the police": at a protest, the forces' arrests that name no one else take protesters.
  const arrestsCrowd = patients.some((p) => p.kind === 'crowd' || p.kind === 'civilians') || (agent === 'state' && !patients.length);
  if (acts.has('disperse') || acts.has('warning') || (protest && acts.has('arrest') && arrestsCrowd)) flags.add('intervention');
  if (acts.has('fight') || acts.has('exchange')) flags.add('exchange');
  if (x.meansAll.has('firearm') && HEAVY.some((m) => x.meansAll.has(m))) flags.add('direct');
  if (x.killed) flags.add('killed');
  if (x.home) flags.add('home');
  return { acts, means, agent, patients: kinds, flags };
}
