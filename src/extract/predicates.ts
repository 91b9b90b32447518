// Predicates: what a sentence tells happened (rules/events/predicates.tsv), each with its
// voice, and those cancelled by intent, future, negation, hypothesis or habit
// (rules/events/modality.tsv: "is preparing to retake" and "will clear" are no events).
import { lemmasOf } from '../core/lemmas.js';
import { blank } from '../core/spans.js';
import type { Token } from '../core/tokens.js';
import type { Span } from '../core/types.js';
import type { EventLexicon, ModalityRule, PredicateRow } from './lexicon.js';

export interface Predicate extends Span {
  cls: string;
  means: string | null;
  /** Token indexes (into the sentence's tokens) of the first, last and head word. */
  first: number;
  last: number;
  head: number;
  /** The head is a passive participle ("was killed", "soldiers killed in", "shot by"): its subject suffered the act. */
  passive: boolean;
  /** The head is a noun after an article or possessive ("the march", "an attack", "their deployment"): it has no subject. */
  nominal: boolean;
  row: PredicateRow;
  /** rules/events/predicates.tsv:line */
  where: string;
}

export interface Cancelled extends Predicate {
  by: ModalityRule;
  cue: string;
}

const BE = new Set(['was', 'were', 'is', 'are', 'be', 'been', 'being', 'get', 'got', 'gets', 'getting', "'s"]);
/** Words that may stand between an auxiliary and its participle ("were reportedly killed"). */
const BETWEEN_AUX = new Set(['reportedly', 'allegedly', 'also', 'later', 'then', 'all', 'both', 'each', 'being', 'been', 'fatally', 'seriously', 'critically', 'severely', 'badly', 'slightly', 'mortally', 'brutally', 'reported', 'not', 'never', 'just', 'subsequently', 'eventually', 'apparently', 'initially', 'first', 'again', 'previously']);
/** After a participle with no auxiliary these show its object is missing: "soldiers killed in an attack". */
const AFTER_REDUCED = new Set(['by', 'in', 'near', 'during', 'following', 'after', 'when', 'while', 'as', 'at', ',', '.', ';', ':', ')', 'on', 'inside', 'outside']);
/** Acts told by verbs that take no object: they have no passive ("demonstrators gathered outside"). */
const INTRANSITIVE = new Set(['die', 'fight', 'exchange', 'protest', 'gather', 'riot', 'displace', 'explode', 'move', 'demand']);
/** Before a participle these make it active after all: "had killed", "have shot". */
const PERFECT = new Set(['had', 'has', 'have', 'having']);

/** Can this form be a past participle? "shot", "killed", "taken" yes; "kills", "killing", "attack" no. */
function participle(lower: string): boolean {
  if (lower.endsWith('ing') || lower.endsWith('s')) return false;
  if (lower.endsWith('ed')) return true;
  return lemmasOf(lower).verb !== lower;
}

/** Whether the head at token h is a passive: an auxiliary before, or (reduced) no object after. */
export function isPassive(tokens: readonly Token[], h: number, last: number, cls: string): boolean {
  const t = tokens[h]!;
  if (INTRANSITIVE.has(cls) || !participle(t.lower)) return false;
  // Back to the auxiliary, past adverbs and other participles it governs ("were raped, beaten and robbed").
  for (let k = h - 1; k >= 0 && k >= h - 8; k--) {
    const w = tokens[k]!.lower;
    if (BE.has(w)) return true;
    if (PERFECT.has(w)) return false;
    if (BETWEEN_AUX.has(w) || w.endsWith('ly') || w === ',' || w === 'and' || w === 'or') continue;
    if (tokens[k]!.kind === 'w' && participle(w) && (tokens[k + 1]?.lower === ',' || tokens[k + 1]?.lower === 'and' || tokens[k + 1]?.lower === 'or')) continue;
    break;
  }
  // "2 soldiers killed in an attack", "a man shot by police": no auxiliary, no object. A
  // phrase that holds its object ("opened fire") is active.
  if (last !== h) return false;
  const next = tokens[last + 1];
  const prev = tokens[h - 1];
  if (!prev || PERFECT.has(prev.lower) || prev.kind === 'p') return false;
  // "shot dead at least 25 protesters": a quantifier starts the object.
  if (next?.lower === 'at' && tokens[last + 2]?.lower === 'least') return false;
  // "gunmen shot at a car wash", "troops fired on the crowd": shooting "at" a target is aimed, active.
  if ((cls === 'shoot' || cls === 'fire') && (next?.lower === 'at' || next?.lower === 'on' || next?.lower === 'upon')) return false;
  return !next || AFTER_REDUCED.has(next.lower);
}

const DETERMINERS = new Set(['a', 'an', 'the', 'this', 'that', 'these', 'those', 'its', 'their', 'his', 'her', 'our', 'another', "'s", 'any', 'each', 'every', 'no', 'such']);
const COUNTS = new Set(['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'several', 'multiple', 'numerous', 'many', 'some', 'dozens', 'repeated', 'renewed']);
/** Verbs whose object noun tells the act they do. */
const LIGHT_VERBS = new Set(['carried', 'carry', 'carries', 'carrying', 'out', 'conducted', 'conduct', 'conducts', 'launched', 'launch', 'launches', 'staged', 'stage', 'stages', 'mounted', 'mount', 'held', 'hold', 'holds', 'performed', 'made', 'unleashed', 'executed', 'undertook', 'began', 'started', 'organized', 'organised', 'led', 'did', 'waged', 'claimed']);
/** Words that end a look back for an article: they start another phrase. */
const PHRASE_ENDS = new Set(['was', 'were', 'is', 'are', 'be', 'been', 'has', 'have', 'had', 'and', 'or', 'to', 'who', 'which', 'that']);

/** Whether the phrase starting at token `first` is a noun phrase: an article or possessive within three words before it ("a suspected poison gas attack"). */
export function isNominal(tokens: readonly Token[], first: number, head: number): boolean {
  // A past form ("pulled", "shot") is a verb: "the national strike pulled down the statue".
  if (participle(tokens[head]!.lower) && !tokens[head]!.lower.endsWith('ing')) return false;
  for (let k = first - 1; k >= 0 && k >= first - 4; k--) {
    const t = tokens[k]!;
    // "carried out a drone strike", "launched an attack": the noun is the verb's act, and the
    // verb's subject is its agent.
    // A count is a determiner too: "two Saudi-led coalition air raids were reported".
    if (DETERMINERS.has(t.lower) || COUNTS.has(t.lower) || t.kind === 'n') return !LIGHT_VERBS.has(tokens[k - 1]?.lower ?? '');
    if (t.kind === 'p' || PHRASE_ENDS.has(t.lower)) return false;
  }
  return false;
}

/**
 * The modality cue (if any) standing in the words just before `at`, inside the same clause.
 * Clauses end at ; : and sentence ends, and at "but"/"while"/"although", so a cue in one
 * clause does not cancel the next.
 */
export function modalityBefore(rules: ModalityRule[], text: string, from: number, at: number, masks: readonly Span[] = [], cls: string | null = null): { rule: ModalityRule; cue: string } | null {
  let head = blank(text.slice(from, at), masks, from);
  const lower = head.toLowerCase();
  let cut = Math.max(head.lastIndexOf(';'), head.lastIndexOf(':'));
  for (const w of CLAUSE_WORDS) {
    const i = lower.lastIndexOf(w);
    // The clause word opens the next clause's window: "after the riots" can be read as background.
    if (i >= 0) cut = Math.max(cut, i);
  }
  if (cut >= 0) head = head.slice(cut + 1);
  const words: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(head); m; m = WORD.exec(head)) words.push(m.index);
  let windowStart = -1;
  let windowText = '';
  for (const rule of rules) {
    if (cls && rule.spares.has(cls)) continue;
    const first = words[Math.max(0, words.length - rule.window)];
    if (first === undefined) continue;
    if (first !== windowStart) {
      windowStart = first;
      windowText = head.slice(first);
    }
    rule.re.lastIndex = 0;
    const m = rule.re.exec(windowText);
    // A finite verb between cue and trigger starts another predicate: in "supporters who tried
    // to approach the palace were scattered", the trying is the supporters', the scattering happened.
    if (!m) continue;
    const between = windowText.slice(m.index + m[0].length);
    // A topic runs through relative clauses ("against the death of a man who was shot") but
    // ends at a main verb ("a rally against the farm laws broke through the barricades and clashed").
    if (rule.through ? !mainVerbIn(between) : !FINITE_BETWEEN.test(between)) return { rule, cue: m[0] };
  }
  return null;
}
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
/** Before a past form, these make it part of a relative or passive clause, not a main verb. */
const BEFORE_NON_MAIN = new Set(['who', 'which', 'that', 'was', 'were', 'been', 'being', 'is', 'are', 'had', 'has', 'have', 'a', 'an', 'the', 'of', 'to']);
/** After a past form, these make it a participle ("activists accused of", "people killed in"). */
const AFTER_PARTICIPLE = new Set(['of', 'by', 'with', 'for', 'to', 'in', 'at', 'on', 'as', 'from', 'during']);

/** Whether a stretch of text holds a main verb in the past: a past form standing after its subject. */
function mainVerbIn(text: string): boolean {
  const words = text.toLowerCase().match(WORD) ?? [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const past = (w.endsWith('ed') && w.length > 4) || (!w.endsWith('s') && !w.endsWith('ing') && lemmasOf(w).verb !== w);
    if (past && !BEFORE_NON_MAIN.has(words[i - 1]!) && !AFTER_PARTICIPLE.has(words[i + 1] ?? '')) return true;
  }
  return false;
}
const CLAUSE_WORDS = [' but ', ' while ', ' although ', ' whereas ', ' after ', ' before ', ' when '];
const FINITE_BETWEEN = /\b(?:was|were|is|are|has been|have been|had been)\b/i;

/**
 * The predicates of one sentence, in text order, and those a modality cue cancelled. Tokens
 * inside `masks` (dates, place names: "5 March" holds no march) are no predicates.
 */
export function findPredicates(lex: EventLexicon, text: string, sentence: Span, tokens: readonly Token[], masks: readonly Span[]): { predicates: Predicate[]; cancelled: Cancelled[] } {
  const predicates: Predicate[] = [];
  const cancelled: Cancelled[] = [];
  // A question reports nothing.
  if (sentence.text.trimEnd().endsWith('?')) return { predicates, cancelled };
  const masked = (t: Token) => masks.some((m) => t.start < m.end && m.start < t.end);
  for (const m of lex.predicates.find(tokens)) {
    const head = tokens[m.head]!;
    if (masked(head)) continue;
    const first = tokens[m.first]!;
    const last = tokens[m.last]!;
    const p: Predicate = {
      start: first.start,
      end: last.end,
      text: text.slice(first.start, last.end),
      cls: m.phrase.value.cls,
      means: m.phrase.value.means,
      first: m.first,
      last: m.last,
      head: m.head,
      passive: isPassive(tokens, m.head, m.last, m.phrase.value.cls),
      nominal: isNominal(tokens, m.first, m.head),
      row: m.phrase.value,
      where: m.phrase.where,
    };
    const modal = modalityBefore(lex.modality, text, sentence.start, first.start, masks, p.cls);
    if (modal) cancelled.push({ ...p, by: modal.rule, cue: modal.cue });
    else predicates.push(p);
  }
  return { predicates, cancelled };
}
