// Word patterns over tokens, the syntax of the lexicons in rules/events/ (rules/README.md):
//   kill            a token whose lower case, verb lemma or noun lemma is "kill"
//   shoot/gun       either word
//   =dead           only that exact form
//   ~3              up to three tokens between (never across , ; : . ( ) ! ?)
//   ^               marks the head word (the first word by default)
// A set of patterns is indexed by the words its patterns start with, so a token asks one
// map per form; matches are found left to right, the longest at each place.
import { lemmasOf } from './lemmas.js';
import type { Token } from './tokens.js';

type Element = { kind: 'word'; words: ReadonlySet<string>; exact: boolean } | { kind: 'gap'; max: number };

/**
 * The regular inflections of a base word ("rape": rapes, raped, raping): the lemmatizer's
 * dictionary misses some ("raped" -> "rap", "airstrikes" unknown), and a lexicon word must
 * still find its own regular forms.
 */
export function inflections(w: string): string[] {
  if (!/^[a-z][a-z-]*[a-z]$/.test(w) || w.length < 3) return [];
  const last = w[w.length - 1]!;
  const stem = last === 'e' ? w.slice(0, -1) : w;
  const out = [w + 's', w + 'es', stem + 'ed', stem + 'ing'];
  if (last === 'y') out.push(w.slice(0, -1) + 'ies', w.slice(0, -1) + 'ied');
  // "stab" -> stabbed, "kidnap" -> kidnapped: a final consonant after one vowel doubles.
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(w)) out.push(w + last + 'ed', w + last + 'ing');
  return out;
}

export interface Phrase<T> {
  elements: Element[];
  /** Index among the word elements of the head. */
  head: number;
  value: T;
  /** "file:line" of the row. */
  where: string;
}

export interface PhraseMatch<T> {
  /** Token indexes: [first, last]. */
  first: number;
  last: number;
  /** Token index of the head word. */
  head: number;
  phrase: Phrase<T>;
}

const NONE: readonly never[] = [];
const BREAKS = new Set([',', ';', ':', '.', '(', ')', '!', '?', '[', ']']);

/** Parses one pattern; throws with the row's place when it is not one. */
export function parsePattern(pattern: string, where: string): { elements: Element[]; head: number } {
  const elements: Element[] = [];
  let head = -1;
  let words = 0;
  for (let part of pattern.trim().split(/\s+/)) {
    if (/^~\d+$/.test(part)) {
      if (!elements.length || elements[elements.length - 1]!.kind === 'gap') throw new Error(`${where}: a gap must follow a word: "${pattern}"`);
      elements.push({ kind: 'gap', max: Number(part.slice(1)) });
      continue;
    }
    if (part.startsWith('^')) {
      if (head >= 0) throw new Error(`${where}: two heads in "${pattern}"`);
      head = words;
      part = part.slice(1);
    }
    const exact = part.startsWith('=');
    if (exact) part = part.slice(1);
    const alts = part.toLowerCase().split('/');
    // A decimal point inside a word is part of it, as the tokenizer reads "14.5mm".
    if (!alts.every((w) => /^[\p{L}\p{N}](?:[\p{L}\p{N}'’-]|\.(?=\p{N}))*$/u.test(w))) throw new Error(`${where}: not a word: "${part}" in "${pattern}"`);
    elements.push({ kind: 'word', words: new Set(exact ? alts : [...alts, ...alts.flatMap(inflections)]), exact });
    words++;
  }
  if (!words) throw new Error(`${where}: empty pattern`);
  if (elements[elements.length - 1]!.kind === 'gap') throw new Error(`${where}: a pattern cannot end with a gap: "${pattern}"`);
  return { elements, head: Math.max(head, 0) };
}

function wordMatches(e: Extract<Element, { kind: 'word' }>, t: Token): boolean {
  if (t.kind === 'p') return false;
  if (e.words.has(t.lower)) return true;
  if (e.exact) return false;
  const l = lemmasOf(t.lower);
  return e.words.has(l.verb) || e.words.has(l.noun);
}

export class PhraseSet<T> {
  private readonly byFirst = new Map<string, Phrase<T>[]>();
  /** First words that must match exactly: asked by the token's own form only. */
  readonly size: number;

  constructor(phrases: Phrase<T>[]) {
    for (const p of phrases) {
      const first = p.elements[0] as Extract<Element, { kind: 'word' }>;
      for (const w of first.words) {
        const key = (first.exact ? '=' : '') + w;
        const list = this.byFirst.get(key) ?? [];
        list.push(p);
        this.byFirst.set(key, list);
      }
    }
    this.size = phrases.length;
  }

  /** Phrases by the lower-case form of the token they may start at: a report repeats its words. */
  private readonly memo = new Map<string, Phrase<T>[]>();

  /** The phrases that may start at token t (by its form and lemmas). */
  private startingAt(t: Token): readonly Phrase<T>[] {
    if (t.kind === 'p') return NONE;
    let out = this.memo.get(t.lower);
    if (!out) {
      out = this.lookup(t);
      if (this.memo.size > 100_000) this.memo.clear();
      this.memo.set(t.lower, out);
    }
    return out;
  }

  private lookup(t: Token): Phrase<T>[] {
    const out: Phrase<T>[] = [];
    const add = (key: string) => {
      const l = this.byFirst.get(key);
      if (l) for (const p of l) if (!out.includes(p)) out.push(p);
    };
    add('=' + t.lower);
    add(t.lower);
    const l = lemmasOf(t.lower);
    if (l.verb !== t.lower) add(l.verb);
    if (l.noun !== t.lower && l.noun !== l.verb) add(l.noun);
    return out;
  }

  /** Where phrase p matches from token i (its last token and head), or null. */
  private matchAt(tokens: readonly Token[], i: number, to: number, p: Phrase<T>): { last: number; head: number } | null {
    let j = i;
    let wordIndex = 0;
    let head = i;
    const els = p.elements;
    for (let k = 0; k < els.length; k++) {
      const e = els[k]!;
      if (e.kind === 'gap') continue;
      const gap = k > 0 && els[k - 1]!.kind === 'gap' ? (els[k - 1] as { max: number }).max : 0;
      let found = -1;
      for (let g = 0; g <= gap && j + g < to; g++) {
        const t = tokens[j + g]!;
        if (wordMatches(e, t)) {
          found = j + g;
          break;
        }
        if (t.kind === 'p' && BREAKS.has(t.text)) break;
      }
      if (found < 0) return null;
      if (wordIndex === p.head) head = found;
      wordIndex++;
      j = found + 1;
    }
    return { last: j - 1, head };
  }

  /** The matches among tokens[from, to), left to right, the longest at each start, none overlapping. */
  find(tokens: readonly Token[], from = 0, to = tokens.length): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    let i = from;
    while (i < to) {
      let best: PhraseMatch<T> | null = null;
      for (const p of this.startingAt(tokens[i]!)) {
        const m = this.matchAt(tokens, i, to, p);
        if (m && (!best || m.last > best.last)) best = { first: i, last: m.last, head: m.head, phrase: p };
      }
      if (best) {
        out.push(best);
        i = best.last + 1;
      } else i++;
    }
    return out;
  }
}
