// Classify: which event triggers a sentence holds, and which of them are cancelled by
// intent, future, negation, hypothesis or habit. Rules are data (rules/events/*.tsv);
// each match keeps the file:line of the rule that made it.
import type { Config } from '../config.js';
import type { SubEventType } from '../schema/event.js';
import { SUB_EVENT_TYPE_NAMES, eventTypeOf } from '../schema/event.js';
import { readRuleFile } from '../core/rulefiles.js';
import { blank } from '../core/spans.js';
import { PatternSet } from './patternset.js';
import type { Span, StageResult } from '../core/types.js';

export type Decides = SubEventType | '@territory';
export type Condition = 'crowd' | 'place' | 'anyplace' | 'civilians' | 'armed';
const CONDITIONS: readonly string[] = ['crowd', 'place', 'anyplace', 'civilians', 'armed'];
/** The sentence-wide conditions as bits ('place' holds or not for each match, so it has none). */
const NEEDS: Record<Condition, number> = { crowd: 1, anyplace: 2, civilians: 4, armed: 8, place: 0 };
/** 'crowd' as a protest rule reads it: a crowd in the sentence or named just before. */
const CROWD_NEARBY = 16;
const FACTS: [number, (f: SentenceFacts) => boolean | undefined][] = [
  [NEEDS.crowd, (f) => f.crowd],
  [NEEDS.anyplace, (f) => f.anyplace],
  [NEEDS.civilians, (f) => f.civilians],
  [NEEDS.armed, (f) => f.armed],
  [CROWD_NEARBY, (f) => f.crowd || f.crowdNearby],
];

export interface TriggerRule {
  rank: number;
  decides: Decides;
  requires: Condition[];
  /** requires as NEEDS bits: checked for every rule of every sentence. */
  needs: number;
  re: RegExp;
  /** Decides a protest type (a dispersal may lean on a crowd named in the sentence before). */
  protest: boolean;
  reason: string;
  where: string;
}

export interface ModalityRule {
  kind: string;
  window: number;
  re: RegExp;
  reason: string;
  where: string;
}

export interface EventRules {
  triggers: TriggerRule[];
  /** The trigger patterns in rule order, searched together. */
  triggerSet: PatternSet;
  modality: ModalityRule[];
  /** Named word lists from rules/events/lexicon.tsv. */
  lists: Map<string, RegExp>;
}

/** Compiles a data pattern so it only matches whole words. */
export function wordRegExp(pattern: string, flags = 'gi'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, `${flags}u`);
}

function compile(pattern: string, where: string): RegExp {
  try {
    return wordRegExp(pattern);
  } catch (e) {
    throw new Error(`${where}: bad pattern: ${(e as Error).message}`);
  }
}

export function loadEventRules(config: Config): EventRules {
  const triggers = readRuleFile(config, 'events/triggers.tsv').map(({ cols, where }) => {
    const [rank, decides, requires, pattern, reason] = cols;
    if (!rank || !decides || !requires || !pattern) throw new Error(`${where}: expected 5 columns`);
    if (decides !== '@territory' && !(SUB_EVENT_TYPE_NAMES as string[]).includes(decides)) {
      throw new Error(`${where}: unknown sub-event type "${decides}"`);
    }
    const conds = requires === '-' ? [] : requires.split(',').map((c) => c.trim());
    for (const c of conds) if (!CONDITIONS.includes(c)) throw new Error(`${where}: unknown condition "${c}"`);
    return {
      rank: Number(rank),
      decides: decides as Decides,
      requires: conds as Condition[],
      needs: (conds as Condition[]).reduce((bits, c) => bits | NEEDS[c], 0),
      re: compile(pattern, where),
      protest: decides !== '@territory' && eventTypeOf(decides as SubEventType) === 'Protests',
      reason: reason ?? '',
      where,
    };
  });
  const modality = readRuleFile(config, 'events/modality.tsv').map(({ cols, where }) => {
    const [kind, window, pattern, reason] = cols;
    if (!kind || !window || !pattern) throw new Error(`${where}: expected 4 columns`);
    return { kind, window: Number(window), re: compile(pattern, where), reason: reason ?? '', where };
  });
  const lists = new Map<string, RegExp>();
  for (const { cols, where } of readRuleFile(config, 'events/lexicon.tsv')) {
    const [name, pattern] = cols;
    if (!name || !pattern) throw new Error(`${where}: expected list name and pattern`);
    // A user's list of the same name extends the built-in one.
    const prev = lists.get(name);
    lists.set(name, compile(prev ? `${prev.source}|${pattern}` : pattern, where));
  }
  triggers.sort((a, b) => a.rank - b.rank);
  const triggerSet = new PatternSet(triggers.map((t) => t.re));
  return { triggers, triggerSet, modality, lists };
}

export interface TriggerMatch extends Span {
  rule: TriggerRule;
}

export interface Suppressed extends Span {
  rule: TriggerRule;
  by: ModalityRule;
  cue: string;
}

/** What classify asks of a sentence; a caller may give the costly ones as getters (read only if asked). */
export interface SentenceFacts {
  crowd: boolean;
  /** A crowd named in the sentence before (same paragraph): enough for a protest's dispersal, not for a riot. */
  crowdNearby?: boolean;
  /** Whether a trigger at this span has an event place as its object or subject. */
  place: (trigger: Span) => boolean;
  anyplace: boolean;
  civilians: boolean;
  armed: boolean;
  /** Spans (dates) whose words are not modality cues: "May" the month is not "may". */
  masks?: Span[];
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const CLAUSE_WORDS = [' but ', ' while ', ' although ', ' whereas ', ' after ', ' before ', ' when '];
const FINITE_BETWEEN = /\b(?:was|were|is|are|has been|have been|had been)\b/i;

/**
 * The modality cue (if any) standing in the words just before `at`, inside the same clause.
 * Clauses end at ; : and sentence ends, and at "but"/"while"/"although", so a cue in one
 * clause does not cancel the next.
 */
export function modalityBefore(rules: ModalityRule[], text: string, from: number, at: number, masks: Span[] = []): { rule: ModalityRule; cue: string } | null {
  let head = blank(text.slice(from, at), masks, from);
  const lower = head.toLowerCase();
  let cut = Math.max(head.lastIndexOf(';'), head.lastIndexOf(':'));
  for (const w of CLAUSE_WORDS) {
    const i = lower.lastIndexOf(w);
    if (i >= 0) cut = Math.max(cut, i + w.length - 1);
  }
  if (cut >= 0) head = head.slice(cut + 1);
  // Where each word starts (only the offsets: this runs for every trigger).
  const words: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(head); m; m = WORD.exec(head)) words.push(m.index);
  let windowStart = -1;
  let windowText = '';
  for (const rule of rules) {
    const first = words[Math.max(0, words.length - rule.window)];
    if (first === undefined) continue;
    // Rules with the same window read the same text.
    if (first !== windowStart) {
      windowStart = first;
      windowText = head.slice(first);
    }
    rule.re.lastIndex = 0;
    const m = rule.re.exec(windowText);
    // A finite verb between cue and trigger starts another predicate: in "supporters who tried
    // to approach the palace were scattered", the trying is the supporters', the scattering happened.
    if (m && !FINITE_BETWEEN.test(windowText.slice(m.index + m[0].length))) return { rule, cue: m[0] };
  }
  return null;
}

/**
 * Every trigger in the sentence whose conditions hold, best (lowest rank) first, and those a
 * modality cue cancelled. Overlapping matches of lower-ranked rules are dropped.
 */
export function classify(rules: EventRules, text: string, sentence: Span, facts: SentenceFacts): StageResult<{ triggers: TriggerMatch[]; suppressed: Suppressed[] }> {
  const triggers: TriggerMatch[] = [];
  const suppressed: Suppressed[] = [];
  // Dates are no triggers: "5 March in Kabul" holds no march.
  const s = blank(sentence.text, facts.masks ?? [], sentence.start);
  if (s.trimEnd().endsWith('?')) return { value: { triggers, suppressed }, warnings: [] };
  if (!rules.triggerSet.scan(s)) return { value: { triggers, suppressed }, warnings: [] };
  // The conditions that hold for the whole sentence, as bits ('place' is checked per match),
  // each read when a rule with a match first asks: a crowd or civilians may cost a word-list search.
  let known = 0;
  let held = 0;
  const meets = (rule: TriggerRule): boolean => {
    const needs = rule.protest && rule.needs & NEEDS.crowd ? (rule.needs & ~NEEDS.crowd) | CROWD_NEARBY : rule.needs;
    for (const [bit, read] of FACTS) {
      if (!(needs & bit & ~known)) continue;
      known |= bit;
      if (read(facts)) held |= bit;
    }
    return !(needs & ~held);
  };
  rules.triggers.forEach((rule, k) => {
    const matches = rules.triggerSet.matches(k, s);
    if (!matches.length || !meets(rule)) return;
    for (const m of matches) {
      const start = sentence.start + m.index;
      const end = start + m[0].length;
      if (triggers.some((t) => t.start < end && start < t.end)) continue;
      if (rule.requires.includes('place') && !facts.place({ start, end, text: m[0] })) continue;
      const modal = modalityBefore(rules.modality, text, sentence.start, start, facts.masks);
      const span = { start, end, text: text.slice(start, end) };
      if (modal) suppressed.push({ ...span, rule, by: modal.rule, cue: modal.cue });
      else triggers.push({ ...span, rule });
    }
  });
  triggers.sort((a, b) => a.rule.rank - b.rule.rank || a.start - b.start);
  return { value: { triggers, suppressed }, warnings: [] };
}

/**
 * Whether a named word list matches the text (lists from rules/events/lexicon.tsv): its first
 * match. One list's regex finds it faster than a PatternSet of all the lists, whose pass over
 * the text costs more than these word alternations' own scans (measured).
 */
export function listMatch(rules: EventRules, list: string, text: string): RegExpExecArray | null {
  const re = rules.lists.get(list);
  if (!re) throw new Error(`rules/events/lexicon.tsv has no list "${list}"`);
  re.lastIndex = 0;
  return re.exec(text);
}

const anchored = new Map<RegExp, RegExp>();

/** Whether the text ends with a word of a named list ("... said" before "on Friday"). */
export function listEndsWith(rules: EventRules, list: string, text: string): boolean {
  const re = rules.lists.get(list);
  if (!re) throw new Error(`rules/events/lexicon.tsv has no list "${list}"`);
  let end = anchored.get(re);
  if (!end) anchored.set(re, (end = new RegExp(`(?:${re.source})\\s*$`, 'iu')));
  return end.test(text);
}
