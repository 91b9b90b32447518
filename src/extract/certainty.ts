// Who says so, and how sure the report is: "TOLOnews reported", "a former police commander
// said", "according to local sources"; denials by the other side make a claim disputed.
import type { EventLexicon } from './lexicon.js';
import { listMatch } from './lexicon.js';
import { isSpace } from '../core/spans.js';
import type { Span } from '../core/types.js';

export type Certainty = 'reported' | 'claimed' | 'disputed' | 'denied';

// "<speaker> said|reported|told ..." or "according to <speaker>": the speaker phrase is at most
// eight words and does not cross a comma, so it stays a name, not a clause. Both are read word by
// word (a pattern trying every word count at every offset backtracks without bound on some inputs).
const SPEECH_VERBS = new Set(['said', 'says', 'reported', 'reports', 'told', 'claimed', 'confirmed', 'announced', 'stated', 'added', 'warned']);
// "air raids were reported on X": a passive speech verb has no speaker before it.
const PASSIVE_AUX = new Set(['was', 'were', 'is', 'are', 'be', 'been', 'being']);
const SPEECH_AT = /\b(?:said|says|reported|reports|told|claimed|confirmed|announced|stated|added|warned)\b/g;
const ACCORDING_AT = /\b(?:according to|citing)\s/g;
const VERB_FIRST = /(?:^|[,"“”]\s*)(said|reported|told)\s+((?:an?|the)\s+(?:[\p{L}\p{N}'’.-]+\s+){0,6}?[\p{L}\p{N}'’.-]*[\p{L}\p{N}'’-])(?=[,.;]|$)/u;
const SPEAKER_WORD_CHAR = /[\p{L}\p{N}'’.-]/u;
const STARTS_AFTER = new Set([',', ';', '"', '“', '”']);

/** Length of the speaker-word character ending right before i (2 for a surrogate pair), or 0. */
function wordCharBefore(s: string, i: number): number {
  if (i <= 0) return 0;
  const lo = s.charCodeAt(i - 1);
  const pair = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? 2 : 1;
  return SPEAKER_WORD_CHAR.test(s.slice(i - pair, i)) ? pair : 0;
}

function spaceStart(s: string, i: number): number {
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  return i;
}

/** May a speaker phrase start at i: the text's start, after , ; or a quote (and spaces), or after "as"? */
function speakerMayStart(s: string, i: number): boolean {
  const j = spaceStart(s, i);
  if (j === 0) return true;
  if (STARTS_AFTER.has(s[j - 1]!)) return true;
  return j < i && j >= 2 && s.slice(j - 2, j) === 'as' && (j === 2 || !/\w/.test(s[j - 3]!));
}

/** "<speaker> said": [phrase start, verb end] with the leftmost phrase start, as a lazy pattern would find it. */
function speakerBefore(s: string): [number, number] | null {
  let best: [number, number] | null = null;
  for (const m of s.matchAll(SPEECH_AT)) {
    if (!SPEECH_VERBS.has(m[0])) continue;
    let i = spaceStart(s, m.index);
    if (i === m.index) continue;
    let start = -1;
    for (let words = 0; words < 8; words++) {
      const end = i;
      for (let w = wordCharBefore(s, i); w; w = wordCharBefore(s, i)) i -= w;
      if (i === end) break;
      if (words === 0 && PASSIVE_AUX.has(s.slice(i, end).toLowerCase())) break;
      if (speakerMayStart(s, i)) start = i;
      const before = spaceStart(s, i);
      if (before === i) break;
      i = before;
    }
    if (start >= 0 && (!best || start < best[0])) best = [start, m.index + m[0].length];
  }
  return best;
}

/** "according to <speaker>" up to a comma, stop or semicolon within eight words: [cue start, phrase end]. */
function speakerAfter(s: string): [number, number] | null {
  for (const m of s.matchAll(ACCORDING_AT)) {
    let i = m.index + m[0].length;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    let last = -1;
    for (let words = 0; words < 8 && i < s.length; words++) {
      const from = i;
      while (i < s.length && SPEAKER_WORD_CHAR.test(s[i]!) && !(s[i] === '.' && (i + 1 === s.length || isSpace(s.charCodeAt(i + 1))))) i++;
      if (i === from) break;
      last = i;
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (i === s.length || s[i] === ',' || s[i] === '.' || s[i] === ';') return [m.index, last];
    }
  }
  return null;
}

export interface Attribution {
  span: Span | null;
  certainty: Certainty;
}

/** The attribution of one sentence and its certainty, from the sentence alone. */
export function attributionOf(rules: EventLexicon, text: string, sentence: Span): Attribution {
  const s = sentence.text;
  let span: Span | null = null;
  const at = (idx: number, len: number): Span => {
    const start = sentence.start + idx;
    return { start, end: start + len, text: text.slice(start, start + len) };
  };
  const after = speakerAfter(s);
  const before = after ? null : speakerBefore(s);
  const verbFirst = after || before || !/\b(?:said|reported|told)\s/.test(s) ? null : VERB_FIRST.exec(s);
  if (after) span = at(after[0], after[1] - after[0]);
  else if (before) span = at(before[0], before[1] - before[0]);
  else if (verbFirst) span = at(verbFirst.index + verbFirst[0].indexOf(verbFirst[1]!), verbFirst[0].length - verbFirst[0].indexOf(verbFirst[1]!));
  else {
    const hedge = listMatch(rules, 'reportedly', s);
    if (hedge) span = at(hedge.index, hedge[0].length);
  }
  let certainty: Certainty = 'reported';
  if (listMatch(rules, 'denial', s)) certainty = 'denied';
  else if (listMatch(rules, 'claim', s)) certainty = 'claimed';
  return { span, certainty };
}

/** Combines what several sentences say of one event: a claim met by a denial is disputed. */
export function combineCertainty(a: Certainty, b: Certainty): Certainty {
  if (a === b) return a;
  const set = new Set([a, b]);
  if (set.has('denied') || set.has('disputed')) return 'disputed';
  if (set.has('claimed')) return 'claimed';
  return 'reported';
}
