// Sentences of a Doc: the standard Unicode sentence segmenter (Intl.Segmenter), then
// repair of its one systematic error for news text: breaking after an abbreviation
// followed by a capital ("Gen. Milley", "the U.S. Army"). The abbreviations are data
// (rules/segment/abbreviations.txt) so a user can add their own.
import { loadConfig, type Config } from '../config.js';
import type { Doc, Sentence, StageResult } from '../core/types.js';
import { readRuleFile } from '../core/rulefiles.js';
import { isSpace } from '../core/spans.js';

export interface SegmentRules {
  /** Abbreviation as written (with its period) -> whether it can also end a sentence. */
  abbreviations: Map<string, 'prefix' | 'final'>;
  /** Words that, after a 'final' abbreviation, show a new sentence has begun. */
  openers: Set<string>;
}

export function loadSegmentRules(config: Config): SegmentRules {
  const abbreviations = new Map<string, 'prefix' | 'final'>();
  for (const row of readRuleFile(config, 'segment/abbreviations.txt')) {
    const [abbr, kind] = row.cols;
    if (!abbr) continue;
    if (kind !== 'prefix' && kind !== 'final') throw new Error(`${row.where}: kind must be "prefix" or "final", not "${kind ?? ''}"`);
    abbreviations.set(abbr, kind);
  }
  const openers = new Set(readRuleFile(config, 'segment/sentence-openers.txt').map((r) => r.cols[0] ?? '').filter(Boolean));
  return { abbreviations, openers };
}

let defaultRules: SegmentRules | null = null;
/** The built-in rules plus any in SITREP_RULES, loaded once. */
function builtinRules(): SegmentRules {
  defaultRules ??= loadSegmentRules(loadConfig());
  return defaultRules;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Past about 100,000 characters, one Intl.Segmenter pass slows down with the length of the text
 * (0.03 s for a paragraph of 99 KB, 1.9 s for 198 KB, 8.1 s for 396 KB, measured): a longer
 * block is segmented a window at a time, each window starting again at the last sentence of
 * the one before (which may go on past it). Blocks of a news report are far shorter than a window.
 */
const WINDOW = 50_000;
function* sentencesOf(text: string): Generator<{ segment: string; index: number }> {
  for (let from = 0; from < text.length; ) {
    const to = Math.min(text.length, from + WINDOW);
    const segs = [...segmenter.segment(text.slice(from, to))];
    const keep = to === text.length || segs.length === 1 ? segs.length : segs.length - 1;
    for (const s of segs.slice(0, keep)) yield { segment: s.segment, index: from + s.index };
    from = keep === segs.length ? to : from + segs[keep]!.index;
  }
}

/** Should the break between `prev` and `next` (both trimmed sentence texts) be undone? */
function wrongBreak(prev: string, next: string, rules: SegmentRules): boolean {
  // The last word (what /\S+$/ finds), read from the end: the regex would be tried from every
  // offset of the sentence. Then without brackets or quotes before it: "(Gen." -> "Gen."
  let from = prev.length;
  while (from > 0 && !isSpace(prev.charCodeAt(from - 1))) from--;
  const last = prev.slice(from).replace(/^[("'“‘[]+/, '');
  const kind = rules.abbreviations.get(last);
  if (!kind) return false;
  if (kind === 'prefix') return true;
  const firstWord = /^[A-Za-z]+/.exec(next)?.[0] ?? '';
  return !rules.openers.has(firstWord);
}

// A full stop after a word, then a count opening the next sentence: "... the local hospital. 7
// were detained by police." The Unicode rules see a lower-case word after the number and join them.
const COUNT_OPENS = /((?<![a-z])[a-z]{2,}|\))\.\s+(?=\d[\d,]*\s+[A-Za-z])/g;

/** The segmenter's sentences of a text, split again where a count opens a sentence. */
function* pieces(text: string, rules: SegmentRules): Generator<{ segment: string; index: number }> {
  for (const seg of sentencesOf(text)) {
    let from = 0;
    COUNT_OPENS.lastIndex = 0;
    for (let m = COUNT_OPENS.exec(seg.segment); m; m = COUNT_OPENS.exec(seg.segment)) {
      const word = seg.segment.slice(seg.segment.lastIndexOf(' ', m.index) + 1, m.index + m[1]!.length + 1);
      if (rules.abbreviations.has(word)) continue;
      const cut = m.index + m[0].length;
      yield { segment: seg.segment.slice(from, cut), index: seg.index + from };
      from = cut;
    }
    yield from ? { segment: seg.segment.slice(from), index: seg.index + from } : seg;
  }
}

/** Sentences of the non-heading, non-title blocks, with offsets into doc.text, trimmed. */
export function segment(doc: Doc, rules: SegmentRules = builtinRules()): StageResult<Sentence[]> {
  const sentences: Sentence[] = [];
  doc.blocks.forEach((block, blockIndex) => {
    if (block.heading) return;
    if (doc.title && block.start < doc.title.end && doc.title.start < block.end) return;
    const blockText = doc.text.slice(block.start, block.end);
    let prev: Sentence | null = null;
    for (const seg of pieces(blockText, rules)) {
      const lead = seg.segment.length - seg.segment.trimStart().length;
      const body = seg.segment.trim();
      if (!body) continue;
      const start = block.start + seg.index + lead;
      const end = start + body.length;
      if (prev && wrongBreak(prev.text, body, rules)) {
        prev.end = end;
        prev.text = doc.text.slice(prev.start, end);
        continue;
      }
      prev = { start, end, text: body, index: sentences.length, block: blockIndex };
      sentences.push(prev);
    }
  });
  // A "sentence" longer than any a reporter writes (a run-on list, text without punctuation)
  // is cut at spaces: later stages look back and forth within a sentence, so its length must be bounded.
  const warnings: string[] = [];
  const bounded: Sentence[] = [];
  for (const sent of sentences) {
    if (sent.text.length <= MAX_SENTENCE) {
      bounded.push({ ...sent, index: bounded.length });
      continue;
    }
    warnings.push(`a sentence of ${sent.text.length} characters at offset ${sent.start} was cut into pieces of at most ${MAX_SENTENCE}`);
    let from = sent.start;
    while (from < sent.end) {
      let to = Math.min(sent.end, from + MAX_SENTENCE);
      if (to < sent.end) {
        const space = doc.text.lastIndexOf(' ', to);
        if (space > from) to = space;
      }
      const piece = doc.text.slice(from, to).trim();
      const lead = doc.text.slice(from, to).length - doc.text.slice(from, to).trimStart().length;
      if (piece) bounded.push({ start: from + lead, end: from + lead + piece.length, text: piece, index: bounded.length, block: sent.block });
      from = to;
    }
  }
  return { value: bounded, warnings };
}

/** The longest sentence the later stages see (characters). */
export const MAX_SENTENCE = 1000;
