// Blanking spans of text: the words go, the offsets stay, so later matches still point into
// the original text. Used to hide dates from trigger words ("5 March" is no march), names of
// groups from the place finder, and parsed dates from the date parser.

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
