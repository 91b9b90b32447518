// Blanking spans of text: the words go, the offsets stay, so later matches still point into
// the original text. Used to hide dates from trigger words ("5 March" is no march), names of
// groups from the place finder, and parsed dates from the date parser. Also the whitespace
// tests the stages share.

/** `text`, which starts at offset `base` of the document, with the parts `spans` cover turned to spaces. */
export function blank(text: string, spans: readonly { start: number; end: number }[], base = 0): string {
  // Pieces joined once: a long report with many spans must not be copied once per span.
  const cuts = spans
    .map((sp) => [Math.max(sp.start - base, 0), Math.min(sp.end - base, text.length)] as const)
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  if (!cuts.length) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of cuts) {
    if (b <= at) continue;
    const from = Math.max(a, at);
    parts.push(text.slice(at, from), ' '.repeat(b - from));
    at = b;
  }
  parts.push(text.slice(at));
  return parts.join('');
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
