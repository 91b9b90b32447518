// Casualty figures in a sentence, coded by the ACLED rules (codebook §4): a number is a death
// count only when a death word governs it ("killed 13", "134 dead", "toll ... risen to 58");
// qualifiers ("at least", "more than", "some") keep the number; a range keeps its low end;
// vague words take the figures in rules/fatalities/numbers.tsv.
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';
import type { Span, StageResult } from '../core/types.js';
import type { FatalityMention } from './types.js';
import { PatternSet } from './patternset.js';
import { moreWordsThan } from '../core/spans.js';

interface Trigger { kind: 'killed' | 'injured' | 'either'; re: RegExp; where: string }
/** An armed group's own outlet: its figures are claims (rules/fatalities/outlets.tsv). */
export interface Outlet {
  re: RegExp;
  /** "... also reported": another source confirms the outlet's figure. */
  also: RegExp;
  /** A word of the ACLED name of the actor it speaks for. */
  actor: string;
  where: string;
}

export interface FatalityRules {
  outlets: Outlet[];
  words: Map<string, number>;
  triggers: Trigger[];
  none: { re: RegExp; where: string }[];
  noneSet: PatternSet;
  qty: RegExp;
  /** Vague quantities ("several", "an unknown number of"): numbers.tsv rows whose reason says vague. */
  vague: Set<string>;
  /** The figure a vague quantity of these victims takes (rules/fatalities/scale.tsv). */
  scale: Map<string, { count: number; where: string }>;
}

const QUALIFIER =
  '(?:at least|more than|over|about|some|around|nearly|almost|up to|as many as|roughly|approximately|an estimated|a total of|at most|fewer than|less than|upwards of|close to|just over|just under|well over|between)';
const LEADING_QUALIFIER = new RegExp(`^${QUALIFIER}\\s+`, 'i');
// Multipliers: "two dozen" = 24, "tens of thousands" = 10,000, "three hundred" = 300.
const MULT: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, dozen: 12, hundreds: 100, thousands: 1000, dozens: 12 };

/** Reads the fatality rule files (with a user's rule directories). */
export function loadFatalityRules(config: Config): FatalityRules {
  const words = new Map<string, number>();
  const vague = new Set<string>();
  for (const r of readRuleFile(config, 'fatalities/numbers.tsv')) {
    const word = (r.cols[0] ?? '').toLowerCase();
    words.set(word, Number(r.cols[1]));
    if (/^vague\b/.test(r.cols[2] ?? '')) vague.add(word);
  }
  const scale = new Map(readRuleFile(config, 'fatalities/scale.tsv').map((r) => [(r.cols[0] ?? '').toLowerCase(), { count: Number(r.cols[1]), where: r.where }]));
  const triggers: Trigger[] = readRuleFile(config, 'fatalities/triggers.tsv').map((r) => {
    const kind = r.cols[0];
    if (kind !== 'killed' && kind !== 'injured' && kind !== 'either') throw new Error(`${r.where}: bad trigger kind`);
    return { kind, re: new RegExp(r.cols[1] ?? '', 'gi'), where: r.where };
  });
  const none = readRuleFile(config, 'fatalities/none.tsv').map((r) => ({ re: new RegExp(r.cols[0] ?? '', 'gi'), where: r.where }));
  const single = [...words.keys()].filter((w) => !w.includes(' ')).sort((a, b) => b.length - a.length);
  const multi = [...words.keys()].filter((w) => w.includes(' ')).map((w) => w.replace(/ /g, '\\s+'));
  const word = `(?:${single.join('|')})\\b`;
  const digits = '\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?';
  const num = `(?:(?:${digits})(?:\\s+(?:million|thousand|hundred))?|${word}(?:(?:\\s+|-)(?:and\\s+|of\\s+)?${word})*)`;
  // A figure, optionally qualified, optionally a range whose low end is kept.
  const qty = new RegExp(
    `\\b(?:${QUALIFIER}\\s+)?(?:${multi.length ? multi.join('|') + '|' : ''}(${num})(?:\\s*(?:-|–|to|and|or)\\s*(?:${num}))?)(?![\\w-]*-year|\\s*(?:km|kilomet|mile|metre|meter|kg|%|per ?cent|am|pm|a\\.m|p\\.m|hours?\\b|minutes?\\b|days?\\b|weeks?\\b|months?\\b|years?\\b|times\\b|th\\b|st\\b|nd\\b|rd\\b))`,
    'gi',
  );
  const outlets = readRuleFile(config, 'fatalities/outlets.tsv').map((r) => {
    const [pattern, actor] = r.cols;
    if (!pattern || !actor) throw new Error(`${r.where}: expected outlet pattern and actor`);
    const re = new RegExp(`\\b(?:${pattern})\\b`, 'i');
    const also = new RegExp(`(?:${re.source})\\s+(?:also|too)\\b|\\balso\\s+(?:\\w+\\s+){0,3}?(?:by\\s+)?(?:${re.source})`, 'i');
    return { re, also, actor, where: r.where };
  });
  return { outlets, words, triggers, none, noneSet: new PatternSet(none.map((n) => n.re)), qty, vague, scale };
}

/** The value of a figure written in digits or words ("220,000", "9.5 million", "twenty-five", "a dozen", "tens of thousands", "several"); null when it is not one. */
export function parseNumber(rules: FatalityRules, raw: string): number | null {
  const { words } = rules;
  const s = raw.toLowerCase().trim();
  if (words.has(s)) return words.get(s)!;
  const d = /^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|thousand|hundred))?$/.exec(s);
  if (d) return Math.round(Number(d[1]!.replace(/,/g, '')) * (d[2] ? MULT[d[2]]! : 1));
  const tokens = s.split(/[\s-]+/).filter((t) => t !== 'and' && t !== 'of');
  // "a dozen", "a few", "a hundred": the article only says "one of".
  if (tokens.length > 1 && (tokens[0] === 'a' || tokens[0] === 'an')) tokens.shift();
  let total = 0;
  let current = 0;
  for (const t of tokens) {
    const v = MULT[t] ?? words.get(t);
    if (v === undefined) return null;
    if (t in MULT) {
      current = current === 0 ? v : current * v;
      if (v >= 1000) {
        total += current;
        current = 0;
      }
    } else current += v;
  }
  return total + current || (tokens.length ? 0 : null);
}

// Sub-counts of a total already given ("including five children", "among them around 30
// children", "Eleven of the dead") must not compete with the total under the lowest-figure rule.
const SUBSET_WORDS = '(?:including|among them|among whom|of whom|of them|among the dead|mostly|most of them)';
const SUBSET_BEFORE = new RegExp(`\\b${SUBSET_WORDS}\\s*$`, 'i');
// The words these two look for, anywhere in the sentence: without them no figure needs the
// scan of all the text before it.
const SUBSET_WORD = new RegExp(`\\b${SUBSET_WORDS}\\b`, 'i');
const PARTITIVE_AFTER = /^\s+of\s+(?:the|those)\s+(?:dead|killed|victims|wounded|injured|casualties)\b/i;
const TOLL_WORDS = '\\b(?:death toll|toll|number of (?:people |those |civilians |persons )?(?:killed|dead)|fatalities)\\b';
const TOLL_BEFORE = new RegExp(`${TOLL_WORDS}[^.;]{0,160}?\\b(?:risen|rose|climbed|reached|increased|jumped|stands|stood|is|was|of|at)\\s+(?:to\\s+|at\\s+)?$`, 'i');
const TOLL_WORD = new RegExp(TOLL_WORDS, 'i');
// Between a figure and a following death word: a short noun phrase, perhaps an aside
// ("more than 200 civilians, most of them ethnic Amhara, were killed"), and an auxiliary.
const MAX_WORDS_AFTER = 9;
const YEAR_BEFORE = /\b(?:in|since|of|until|by|from|during|January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$/i;
// Another figure between a figure and a death word takes the death word ("Two of the ten attackers").
const FIGURE_WORD = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?)\b/i;
const STOP_AFTER = /[;:]|\b(?:said|says|according|when|while|after|before|because|but|who|which|that)\b/i;
// A death word after a figure names its victims only in passive or adjectival use ("50 people
// killed", "were killed", "134 dead"); gerunds and present tenses make the figure the agent
// ("thousands waited ..., killing"), and so does an object after it ("two gunmen killed three").
const AGENT_FORM = /^(?:kill|kills|killing|wounding|injuring|beat to death|toll|death toll)$/i;
const TRANSITIVE = /^(?:killed|shot dead|executed|beheaded|massacred|slaughtered|murdered|slain|wounded|injured)$/i;
// exec in a loop over one shared pattern: a literal with matchAll builds and copies it for every sentence.
const SINGULAR_PASSIVE = /\b(?:was|has been|had been)\s+((?:\w+\s+){0,3}?)(killed|shot dead|found dead|beheaded|executed|beaten to death|shot to death|stabbed to death|hacked to death|burned to death|wounded|injured|hurt|struck on the head)\b/gi;
// "Assassinated a pastor", "killing a QSD member": one dead (not "a number of", "a group of").
const SINGULAR_ACTIVE = /\b(?:killed|killing|assassinated|assassinating|murdered|murdering|shot dead|executed|beheaded)\s+(?:a|an)\s+(?!(?:number|total|group|few|dozen|handful|unknown|large|series|couple)\b)[a-z]/gi;
// "The body of a man was found", "the dismembered body of a woman was found": one dead.
const BODY_FOUND = /\bbody\s+of\s+(?:a|an|one)\s+(?:[a-z-]+\s+){0,2}?(?:was|has been|had been)\s+(?:\w+\s+){0,2}?(?:found|discovered|recovered)\b/gi;
// "The man died", "the victim later succumbed": one person; "both victims died": two.
const SINGULAR_DIED = /\b(?:the|this)\s+([a-z]+)\s+(?:later\s+|subsequently\s+|also\s+)?(?:died|succumbed)\b(?!\s+down)/gi;
const IRREGULAR_PLURALS = new Set(['men', 'women', 'children', 'people', 'police', 'personnel', 'militia', 'youth']);
const BOTH_DIED = /\bboth\s+(?:[a-z]+\s+){0,2}?(?:died|succumbed|were killed|were shot dead)\b/gi;
const OBJECT_AFTER = /^\s+(?:at least\s+|more than\s+|some\s+|about\s+)?(?:\d|(?:a|an|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|ten|dozens|scores|hundreds|several|many)\b)/i;

// The ACLED-notes trailer "N fatalities[, ...][.]" closes its sentence: a head, then to the end
// either nothing or a comma and words, with no full stop but a last one. One end-anchored pattern
// read the rest of the sentence from every "!" or ";" before a stop (quadratic: the ReDoS
// check); the trailer starts at or after the sentence's last inner stop, so heads are sought
// from there, where what follows a head holds no stop but the last.
const NOTES_HEAD = /(?:^|[.;!?]\s+)(\d[\d,]*)\s+fatalit(?:y|ies)\b/gi;

/** The trailer's head (its figure in [1]), or null when the sentence does not end with one. */
function notesTrailer(s: string): RegExpExecArray | null {
  const body = s.trimEnd();
  const end = body.endsWith('.') ? body.length - 1 : body.length;
  NOTES_HEAD.lastIndex = Math.max(0, body.lastIndexOf('.', end - 1));
  for (let m = NOTES_HEAD.exec(s); m; m = NOTES_HEAD.exec(s)) if (s[NOTES_HEAD.lastIndex] === ',' || NOTES_HEAD.lastIndex === end) return m;
  return null;
}

/** Casualty figures in one sentence: deaths, injuries, and statements of none. */
export function findFatalities(R: FatalityRules, text: string, sentence: Span): StageResult<FatalityMention[]> {
  const s = text.slice(sentence.start, sentence.end);
  const out: FatalityMention[] = [];
  const warnings: string[] = [];
  const taken: [number, number][] = [];
  const free = (a: number, b: number): boolean => taken.every(([x, y]) => b <= x || a >= y);
  const add = (a: number, b: number, count: number, kind: FatalityMention['kind'], rule: string): void => {
    taken.push([a, b]);
    out.push({ start: sentence.start + a, end: sentence.start + b, text: s.slice(a, b), count, kind, rule });
  };

  // ACLED-notes trailers: the coder's own total, alone ("134 fatalities.") or closing a sentence
  // the segmenter did not split ("... in the fighting. 27 fatalities.", "184 fatalities, including the attacker.").
  const notes = notesTrailer(s);
  if (notes) {
    const a = notes.index + notes[0].indexOf(notes[1]!);
    add(a, s.trimEnd().length, Number(notes[1]!.replace(/,/g, '')), 'killed', 'notes-total');
    if (!s.slice(0, a).trim()) return { value: out, warnings };
  }
  if (/^\s*fatalities\s+(?:unknown|not coded|not known|unclear)\.?\s*$/i.test(s)) {
    add(s.search(/\S/), s.trimEnd().length, 0, 'none', 'notes-unknown');
    return { value: out, warnings };
  }

  R.none.forEach((n, k) => {
    for (const m of R.noneSet.matches(k, s)) if (free(m.index, m.index + m[0].length)) add(m.index, m.index + m[0].length, 0, 'none', n.where);
  });
  const subsetWord = SUBSET_WORD.test(s);
  const tollWord = TOLL_WORD.test(s);

  // Figures of one list ("1 policeman and 2 civilians were killed") wait for the death word of
  // its last figure, which governs them all (tolls.ts then adds them up).
  let listed: { a: number; b: number; count: number }[] = [];
  // exec, not matchAll: matchAll copies the (long) pattern on every call.
  const qty = R.qty;
  qty.lastIndex = 0;
  for (let m = qty.exec(s); m; m = qty.exec(s)) {
    const a = m.index;
    const b = a + m[0].length;
    if (!free(a, b)) continue;
    if (listed.length && !LIST_GAP.test(s.slice(listed[listed.length - 1]!.b, a))) listed = [];
    const before = s.slice(0, a);
    const after = s.slice(b);
    if ((subsetWord && SUBSET_BEFORE.test(before)) || PARTITIVE_AFTER.test(after)) continue;
    // A year ("On 19 March 2015, a mob ...") is not a figure.
    if (/^(?:1[89]|20)\d\d$/.test(m[0]) && (YEAR_BEFORE.test(before) || /^\s*,/.test(after))) continue;
    const figure = m[1] ?? m[0].replace(LEADING_QUALIFIER, '');
    let count = parseNumber(R, figure);
    if (count === null) continue;
    const word = figure.trim().toLowerCase().replace(/\s+/g, ' ');
    const vague = R.vague.has(word);
    // A figure that is one word of an article or "one" reaches its death word as closely as a vague one.
    const short = vague || word === 'a' || word === 'an' || word === 'one';
    let scaled: string | null = null;
    if (vague) {
      // "several pro-Houthi fighters": the victims say the scale.
      for (const w of after.slice(0, 60).toLowerCase().split(/[^a-z-]+/).filter(Boolean).slice(0, 3)) {
        const sc = R.scale.get(w);
        if (sc) {
          count = sc.count;
          scaled = sc.where;
          break;
        }
      }
    }
    const byRule = (where: string) => (scaled ? `${where} + ${scaled}` : where);

    // "the toll ... has risen to 58"
    if (tollWord && TOLL_BEFORE.test(before)) {
      add(a, b, count, 'killed', 'toll');
      continue;
    }
    // A death or injury word right before the figure: "killing at least 50", "wounding more than 100".
    const left = leftTrigger(before, R.triggers);
    if (left) {
      // "killing and injuring several fighters": some died, how many nobody says (a vague figure, codebook §4).
      const kind = left.kind === 'either' ? 'none' : vague && left.kind === 'injured' && KILLED_AND_BEFORE.test(before.slice(-60)) ? 'killed' : left.kind;
      add(a, b, count, kind, byRule(left.where));
      continue;
    }
    // Or after it, past a short noun phrase: "At least two people were killed", "134 dead". A
    // parenthetical in between is an aside, blanked to keep offsets: "3 policemen (2 according
    // to Taliban sources) were killed".
    const right = rightTrigger(after.includes('(') ? after.replace(ASIDE, (m) => ' '.repeat(m.length)) : after, R.triggers, short && !scaled ? 3 : MAX_WORDS_AFTER);
    if (right) {
      const end = b + right.end;
      const kind = right.kind === 'either' ? 'none' : right.kind;
      for (const l of listed) if (kind === 'killed' || kind === 'injured') add(l.a, l.b, l.count, kind, right.where);
      listed = [];
      add(a, end, count, kind, byRule(right.where));
    } else if (!short && LIST_NEXT.test(after)) listed.push({ a, b, count });
  }

  // "The governor was seized and killed", "she was struck on the head": one person, no figure.
  SINGULAR_PASSIVE.lastIndex = 0;
  for (let m = SINGULAR_PASSIVE.exec(s); m; m = SINGULAR_PASSIVE.exec(s)) {
    const a = m.index;
    const b = a + m[0].length;
    if (!free(a, b) || /\b(?:not|never|reportedly not)\b/i.test(m[1] ?? '') || /\bor\s+$/i.test(m[1] ?? '')) continue;
    if (/\b(?:killed|dead)\s+or\b/i.test(s.slice(b - m[2]!.length, b + 4))) continue;
    // A following "or wounded" makes it a mixed figure; a plural subject is not one person.
    if (/^\s+or\s+(?:wounded|injured|killed)/i.test(s.slice(b))) continue;
    const kind = /killed|dead|beheaded|executed|death/i.test(m[2]!) ? 'killed' : 'injured';
    add(a, b, 1, kind, 'singular-passive');
  }

  SINGULAR_ACTIVE.lastIndex = 0;
  for (let m = SINGULAR_ACTIVE.exec(s); m; m = SINGULAR_ACTIVE.exec(s)) if (free(m.index, m.index + m[0].length - 1)) add(m.index, m.index + m[0].length - 1, 1, 'killed', 'singular-active');

  BODY_FOUND.lastIndex = 0;
  for (let m = BODY_FOUND.exec(s); m; m = BODY_FOUND.exec(s)) if (free(m.index, m.index + m[0].length)) add(m.index, m.index + m[0].length, 1, 'killed', 'body-found');

  SINGULAR_DIED.lastIndex = 0;
  for (let m = SINGULAR_DIED.exec(s); m; m = SINGULAR_DIED.exec(s)) {
    const noun = m[1]!.toLowerCase();
    if ((noun.endsWith('s') && !noun.endsWith('ss')) || IRREGULAR_PLURALS.has(noun) || !free(m.index, m.index + m[0].length)) continue;
    add(m.index, m.index + m[0].length, 1, 'killed', 'singular-died');
  }
  BOTH_DIED.lastIndex = 0;
  for (let m = BOTH_DIED.exec(s); m; m = BOTH_DIED.exec(s)) if (free(m.index, m.index + m[0].length)) add(m.index, m.index + m[0].length, 2, 'killed', 'both-died');

  out.sort((x, y) => x.start - y.start);
  return { value: out, warnings };
}

function leftTrigger(before: string, triggers: Trigger[]): Trigger | null {
  // The trigger must end right before the figure (allowing "of" and "the"; a comma ends it).
  const tail = before.slice(-60);
  let best: Trigger | null = null;
  let bestLen = -1;
  for (const t of triggers) {
    // exec in a loop, not matchAll: this runs for every figure, and matchAll copies the pattern each time.
    t.re.lastIndex = 0;
    for (let m = t.re.exec(tail); m; m = t.re.exec(tail)) {
      if (m[0] === '') t.re.lastIndex++;
      const gap = tail.slice(m.index + m[0].length);
      if (!/^\s*(?:of\s+)?(?:the\s+)?$/i.test(gap)) continue;
      // Nouns and adjectives ("dead", "toll", "bodies") do not govern a following number.
      if (/^(?:dead|died|dies|dying|toll|death toll|fatalit|bodies|lifeless|perished|injuries|hurt)/i.test(m[0])) continue;
      if (m[0].length > bestLen) {
        best = t;
        bestLen = m[0].length;
      }
    }
  }
  return best;
}

// "killing and injuring", "killed and wounded" right before a figure.
const KILLED_AND_BEFORE = /\b(?:killing|killed|kill)\s+and\s+(?:injuring|wounding|injured|wounded)\s+(?:of\s+)?(?:the\s+)?$/i;

/** A figure's noun and the list word before the next figure: "1 policeman and 2", "6 commandos, 5" (tolls.ts adds such figures up). */
export const LIST_GAP = /^\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,|and|,\s*and)\s+$/;
const LIST_NEXT = /^\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,|and|,\s*and)\s+\d/;

// A parenthetical: an aside between a figure and the word that governs it.
const ASIDE = /\([^()]*\)/g;

function rightTrigger(after: string, triggers: Trigger[], maxWords: number): { kind: Trigger['kind']; where: string; end: number } | null {
  let best: { kind: Trigger['kind']; where: string; end: number; start: number; len: number } | null = null;
  for (const t of triggers) {
    // Only a trigger's first match after the figure can govern it.
    t.re.lastIndex = 0;
    const m = t.re.exec(after);
    if (!m) continue;
    // A match that starts later, or as early but no longer, cannot win: its gap need not be read.
    if (best && (m.index > best.start || (m.index === best.start && m[0].length <= best.len))) continue;
    if (moreWordsThan(after, maxWords, m.index)) continue;
    const gap = after.slice(0, m.index);
    if (STOP_AFTER.test(gap) || /^\s*,/.test(gap) || /\b(?:not|never)\b/i.test(gap)) continue;
    if (/\d/.test(gap) || FIGURE_WORD.test(gap)) continue;
    if (AGENT_FORM.test(m[0]) || (TRANSITIVE.test(m[0]) && OBJECT_AFTER.test(after.slice(m.index + m[0].length)))) continue;
    if (!best || m.index < best.start || (m.index === best.start && m[0].length > best.len)) {
      best = { kind: t.kind, where: t.where, end: m.index + m[0].length, start: m.index, len: m[0].length };
    }
  }
  return best;
}
