// Who says so, and how sure the report is: "TOLOnews reported", "a former police commander
// said", "according to local sources"; denials by the other side make a claim disputed.
import type { EventLexicon } from './lexicon.js';
import { listMatch } from './lexicon.js';
import type { Span } from '../core/types.js';

export type Certainty = 'reported' | 'claimed' | 'disputed' | 'denied';

// "<speaker> said|reported|told ..." or "according to <speaker>": the speaker phrase is at most
// eight words and does not cross a comma, so it stays a name, not a clause.
const SPEAKER_BEFORE = /(?:^|[,;"“”]\s*|\bas\s+)((?:[\p{L}\p{N}'’.-]+\s+){0,7}?[\p{L}\p{N}'’.-]+)\s+(said|says|reported|reports|told|claimed|confirmed|announced|stated|added|warned)\b/u;
const SPEAKER_AFTER = /\b(according to|citing)\s+((?:[\p{L}\p{N}'’.-]+\s*){1,8}?)(?=[,.;]|$)/u;
const VERB_FIRST = /(?:^|[,"“”]\s*)(said|reported|told)\s+((?:an?|the)\s+(?:[\p{L}\p{N}'’.-]+\s+){0,6}?[\p{L}\p{N}'’.-]+)(?=[,.;]|$)/u;

const SPEECH_VERB = /\s(?:said|says|reported|reports|told|claimed|confirmed|announced|stated|added|warned)\b/;

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
  // The speaker patterns try many word counts at every offset: look for their verbs first, and
  // try each pattern only when those before it found no speaker.
  const after = /\b(?:according to|citing)\s/.test(s) ? SPEAKER_AFTER.exec(s) : null;
  const before = !after && SPEECH_VERB.test(s) ? SPEAKER_BEFORE.exec(s) : null;
  const verbFirst = !after && !before?.[1] && /\b(?:said|reported|told)\s/.test(s) ? VERB_FIRST.exec(s) : null;
  if (after) span = at(after.index, after[0].length);
  else if (before && before[1]) {
    const offset = before.index + before[0].indexOf(before[1]);
    span = at(offset, before[0].length - (offset - before.index));
  } else if (verbFirst) span = at(verbFirst.index + verbFirst[0].indexOf(verbFirst[1]!), verbFirst[0].length - verbFirst[0].indexOf(verbFirst[1]!));
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
