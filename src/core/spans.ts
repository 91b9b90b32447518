// Blanking spans of text: the words go, the offsets stay, so later matches still point into
// the original text. Used to hide dates from trigger words ("5 March" is no march), names of
// groups from the place finder, and parsed dates from the date parser. Also the whitespace
// tests the stages share.

/** `text`, which starts at offset `base` of the document, with the parts `spans` cover turned to spaces. */
export function blank(text: string, spans: readonly { start: number; end: number }[], base = 0): string {
  let out = text;
  for (const sp of spans) {
    const a = Math.max(sp.start - base, 0);
    const b = Math.min(sp.end - base, text.length);
    if (a < b) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  }
  return out;
}

const SPACE = /\s/;

/** Whether a UTF-16 code unit is one `\s` matches: ASCII by its codes, the rest by the regex itself. */
export function isSpace(c: number): boolean {
  return c < 0x80 ? c === 0x20 || (c >= 0x09 && c <= 0x0d) : SPACE.test(String.fromCharCode(c));
}

/**
 * Whether text.slice(0, end) has more than n whitespace-delimited words. Counts no further than
 * n + 1 and slices nothing: every paragraph and every casualty figure's gap is asked.
 */
export function moreWordsThan(text: string, n: number, end = text.length): boolean {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < end; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord && ++count > n) return true;
    inWord = !space;
  }
  return false;
}
