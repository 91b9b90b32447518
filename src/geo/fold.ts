// Name folding shared by the index builder and the gazetteer: both sides must fold alike,
// so the committed index records FOLD_VERSION and the loader refuses a stale index.
export const FOLD_VERSION = 1;

// Words that only join parts of a name ("Pul-e-Khumri", "Mazar-i-Sharif", "Khost wa Fereng").
const CONNECTIVES = new Set(['e', 'i', 'ye', 'wa', 'va', 'o']);
// Arabic definite articles written as separate words after hyphen splitting ("Al-Hasakah", "Ar Rubat").
const ARTICLES = new Set(['al', 'el', 'ad', 'ar', 'as', 'ash', 'at', 'az', 'an', 'ed', 'adh', 'ath', 'ul']);

/**
 * Folds a place name to a lookup key: case, diacritics, apostrophes, hyphens/spaces, the Persian
 * connective, Arabic articles, Arabic/Persian letter variants and common transliteration pairs.
 * The result has no spaces, so "Asad Abad" and "Asadabad" meet.
 */
export function foldName(s: string): string {
  let key = folded.get(s);
  if (key === undefined) {
    if (folded.size >= 100_000) folded.clear();
    folded.set(s, (key = fold(s)));
  }
  return key;
}
// Folding is pure and the same names recur in every report: keep what was folded.
const folded = new Map<string, string>();

function fold(s: string): string {
  const t = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ʿʾ'’‘`´ʼ]/g, '')
    // Arabic/Persian letter variants: Arabic yeh/kaf/teh marbuta/alef forms → Persian/plain.
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/[\u200c\u200d\u200e\u200f\ufeff\u064b-\u065f\u0640]/g, '')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/đ/g, 'd')
    .replace(/ı/g, 'i');
  const words = t.split(/[\s\-‐‑–—_.,/()]+/).filter(Boolean);
  const kept = words.filter((w, i) => {
    const inner = i > 0 && i < words.length - 1;
    if (inner && CONNECTIVES.has(w)) return false;
    // An article only before another word: a lone "As" stays a name.
    if (i < words.length - 1 && ARTICLES.has(w)) return false;
    return true;
  });
  return transliterate(kept.join(''));
}

// Transliteration pairs, longest first; Latin only (Arabic script passes through).
const PAIRS: [string, string][] = [['ou', 'u'], ['ee', 'i'], ['oo', 'u'], ['dj', 'j'], ['ch', 'sh'], ['kh', 'x'], ['o', 'u'], ['e', 'i'], ['y', 'i'], ['q', 'k']];

function transliterate(t: string): string {
  for (const [from, to] of PAIRS) t = t.replaceAll(from, to);
  return t.replace(/(.)\1+/gu, '$1');
}

const ASCII_RUN = /^[A-Za-z0-9']*/;

/**
 * A prefix of the key of every text that begins with s, whatever follows it ("kabul" for
 * "Kabul", "Kabul province", "Kabul's"); '' when that cannot be told. Only the leading run of
 * ASCII letters, digits and apostrophes counts: folding acts on each of its characters alone
 * (no decomposition, marks or context-dependent case), and no separator ends the first word
 * inside it, so the joined words begin with it, unless the first word is an article, which
 * the run could still grow into. A transliteration pair may straddle its end: after each
 * pass, a last letter that could begin a pair is not yet settled. Runs of a letter collapse
 * to the same letter whatever follows.
 */
export function keyPrefix(s: string): string {
  let t = (ASCII_RUN.exec(s)?.[0] ?? '').toLowerCase().replaceAll("'", '');
  if ([...ARTICLES].some((a) => a.startsWith(t))) return '';
  for (const [from, to] of PAIRS) {
    t = t.replaceAll(from, to);
    if (from.length === 2 && t.endsWith(from.charAt(0))) t = t.slice(0, -1);
  }
  return t.replace(/(.)\1+/gu, '$1');
}
