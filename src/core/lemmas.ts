// Base forms of English words, for lexicons written as lemmas ("kill" finds killed, killing,
// kills; "shoot" finds shot). wink-lemmatizer (WordNet's exception lists and suffix rules)
// does the work; answers are kept per word, as a report repeats its words.
import lemmatize from 'wink-lemmatizer';

export interface Lemmas {
  verb: string;
  noun: string;
}

const cache = new Map<string, Lemmas>();

/** The verb and noun lemmas of a lower-case word. */
export function lemmasOf(lower: string): Lemmas {
  let l = cache.get(lower);
  if (!l) {
    // Only words of letters (and inner hyphens) have lemmas: numbers and names pass through.
    const plain = /^[a-z][a-z-]*$/.test(lower);
    l = plain ? { verb: lemmatize.verb(lower), noun: lemmatize.noun(lower) } : { verb: lower, noun: lower };
    // Bound the memo: a stream of reports must not grow it without end.
    if (cache.size > 200_000) cache.clear();
    cache.set(lower, l);
  }
  return l;
}
