// Layout of plain text: title, headings and paragraph blocks, as spans into the text.
// Headings and the title are flagged, not dropped: they are shown to the user but are not
// sentences that report events.
import type { Block, Span } from '../core/types.js';
import { moreWordsThan } from '../core/spans.js';

/** A heading is short: section labels and sub-headlines run to about a dozen words. */
export const HEADING_MAX_WORDS = 12;
/** A question used as a section label ("What triggered the retaliation?") is shorter still. */
const QUESTION_HEADING_MAX_WORDS = 8;
/** A headline directly followed by body text (no blank line) is at most this long. */
const TITLE_MAX_WORDS = 16;
/** A first line set off by a blank line may be a longer headline. */
const TITLE_WITH_BLANK_MAX_WORDS = 25;

const CLOSERS = `["'”’»)\\]]*`;
/** Ends like a sentence (or a lead-in to a list, with a colon). */
const TERMINAL = new RegExp(`[.!?…:;]${CLOSERS}$`);
const QUESTION = new RegExp(`\\?${CLOSERS}$`);
/** Ends like a clause that goes on: a wrapped line. */
const CONTINUES = /[,(\-–—]$/;
const BULLET = /^(?:[-*•–·▪►]|\d{1,2}[.)])\s/;

export function isBullet(line: string): boolean {
  return BULLET.test(line);
}

/** Short, and does not end like a sentence: a section heading, byline or label. */
export function looksLikeHeading(line: string): boolean {
  const s = line.trim();
  if (!s || isBullet(s)) return false;
  if (QUESTION.test(s)) return !moreWordsThan(s, QUESTION_HEADING_MAX_WORDS);
  return !moreWordsThan(s, HEADING_MAX_WORDS) && !TERMINAL.test(s);
}

function looksLikeTitle(line: string, blankAfter: boolean): boolean {
  // Headlines rarely end with a period; one that does is a sentence of the body.
  if (/[.:;,]["'”’)]*$/.test(line)) return false;
  return !moreWordsThan(line, blankAfter ? TITLE_WITH_BLANK_MAX_WORDS : TITLE_MAX_WORDS);
}

interface Line extends Span {
  /** A blank line (or the start of the text) comes before it. */
  paragraphStart: boolean;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let blank = true;
  let pos = 0;
  for (const raw of text.split('\n')) {
    const body = raw.trim();
    if (body) {
      const start = pos + raw.length - raw.trimStart().length;
      out.push({ start, end: start + body.length, text: body, paragraphStart: blank });
    }
    blank = !body;
    pos += raw.length + 1;
  }
  return out;
}

/** A line break inside a paragraph that only wraps a sentence, not one that ends a block. */
function continues(prev: string, next: string): boolean {
  if (TERMINAL.test(prev) || isBullet(next)) return false;
  return CONTINUES.test(prev) || /^[a-z]/.test(next) || moreWordsThan(prev, HEADING_MAX_WORDS);
}

export interface Layout {
  title: Span | null;
  blocks: Block[];
}

/**
 * Each line is a block (reports often put one paragraph per line with no blank lines),
 * except that hard-wrapped lines of one paragraph are joined back together.
 */
export function layoutText(text: string): Layout {
  const ls = lines(text);
  const blocks: Block[] = [];
  let title: Span | null = null;
  ls.forEach((line, i) => {
    const next = ls[i + 1];
    if (i === 0 && next && looksLikeTitle(line.text, next.paragraphStart)) {
      title = { start: line.start, end: line.end, text: line.text };
      blocks.push({ ...title, heading: true });
      return;
    }
    const last = blocks[blocks.length - 1];
    // The title never absorbs the line after it.
    const open = last && !(title && blocks.length === 1);
    if (open && !line.paragraphStart && continues(last.text.slice(last.text.lastIndexOf('\n') + 1), line.text)) {
      last.end = line.end;
      last.text = text.slice(last.start, last.end);
      return;
    }
    blocks.push({ start: line.start, end: line.end, text: line.text, heading: false });
  });
  // A text of one block is the report itself, however short: never a heading.
  if (blocks.length === (title ? 2 : 1)) return { title, blocks };
  for (const b of blocks) {
    if (title && b === blocks[0]) continue;
    b.heading = !b.text.includes('\n') && looksLikeHeading(b.text);
  }
  return { title, blocks };
}
