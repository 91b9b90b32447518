// The one tokenizer every extraction stage reads: words (letters, marks and digits, with inner
// hyphens and apostrophes: "Pul-e-Khumri", "Ta'izz", "drive-by"), numbers ("1,500", "82") and
// single punctuation marks, each with its offsets into the document text.

/** w: a word, n: a number written in digits, p: a punctuation mark. */
export type Kind = 'w' | 'n' | 'p';

export interface Token {
  start: number;
  end: number;
  /** The token as written. */
  text: string;
  /** Lower case, for lexicon lookups. */
  lower: string;
  kind: Kind;
  /** Starts with a capital letter (or is a glued article before one: "al-Shabaab"). */
  cap: boolean;
  /** Index in the sentence's token list. */
  i: number;
}

const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
/** Word-ness of BMP code units: 0 not yet asked, 1 yes, 2 no. */
const bmpWord = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) bmpWord[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 2;

/** Code units (1 or 2) of the word character at i (before `to`); 0 when it is none. */
export function wordCharAt(text: string, i: number, to: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return LETTER_OR_MARK.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  // A lone surrogate is no letter either.
  if (!bmpWord[c]) bmpWord[c] = LETTER_OR_MARK.test(String.fromCharCode(c)) ? 1 : 2;
  return bmpWord[c] === 1 ? 1 : 0;
}

const isJoiner = (c: number) => c === 45 || c === 39 || c === 0x2019 || c === 0x2010 || c === 0x2bf;
const isDigit = (c: number) => c >= 48 && c <= 57;
const GLUED_ARTICLE = /^(?:al|el|ul|ud|ad|ar|as|ash|az|an|at|bin|ibn)-\p{Lu}/u;
const UPPER = /^\p{Lu}/u;

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000 || c === 0x202f || c === 0x205f || c === 0xfeff || c === 0x1680;
}

/** The tokens of text between from and to. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    let w = wordCharAt(text, i, to);
    if (!w) {
      if (!isSpaceCode(c)) {
        // A punctuation mark (a surrogate pair stays one token).
        const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
        const s = text.slice(i, i + len);
        out.push({ start: i, end: i + len, text: s, lower: s, kind: 'p', cap: false, i: out.length });
        i += len;
      } else i++;
      continue;
    }
    const start = i;
    i += w;
    for (;;) {
      while (i < to && (w = wordCharAt(text, i, to))) i += w;
      const j = text.charCodeAt(i);
      // Inner joiners, and the separators of a number ("1,500", "9.5").
      if (i + 1 < to && isJoiner(j) && (w = wordCharAt(text, i + 1, to))) i += 1 + w;
      else if (i + 1 < to && (j === 44 || j === 46) && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1)) && isDigit(text.charCodeAt(start))) i += 1;
      else break;
    }
    let end = i;
    // A possessive 's is its own token: "Taliban's" -> "Taliban" "'s".
    if (end - start > 2 && text.charCodeAt(end - 1) === 115 && (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 0x2019)) end -= 2;
    const s = text.slice(start, end);
    let digits = true;
    for (let k = 0; k < s.length && digits; k++) {
      const d = s.charCodeAt(k);
      digits = isDigit(d) || ((d === 44 || d === 46) && k > 0);
    }
    const c0 = s.charCodeAt(0);
    const cap = c0 >= 65 && c0 <= 90 ? true : c0 < 128 ? GLUED_ARTICLE.test(s) : UPPER.test(s) || GLUED_ARTICLE.test(s);
    out.push({ start, end, text: s, lower: s.toLowerCase(), kind: digits ? 'n' : 'w', cap, i: out.length });
    if (end < i) out.push({ start: end, end: i, text: text.slice(end, i), lower: "'s", kind: 'p', cap: false, i: out.length });
  }
  return out;
}

/** The index of the first token that starts at or after `pos` (tokens.length when none does). */
export function tokenAt(tokens: readonly Token[], pos: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
