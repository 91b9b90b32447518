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
  let t = s
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
  t = kept.join('');
  // Transliteration pairs, longest first; Latin only (Arabic script passes through).
  t = t
    .replace(/ou/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/oo/g, 'u')
    .replace(/dj/g, 'j')
    .replace(/ch/g, 'sh')
    .replace(/kh/g, 'x')
    .replace(/o/g, 'u')
    .replace(/e/g, 'i')
    .replace(/y/g, 'i')
    .replace(/q/g, 'k')
    .replace(/(.)\1+/gu, '$1');
  return t;
}
