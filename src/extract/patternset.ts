// Many rule patterns searched over the same text. Running each pattern's own scan costs one
// pass per rule; here one pass over the text finds, for every pattern, the offsets where a match
// of it can start, and each pattern is then tried (sticky) at those offsets only. The matches are
// exactly those the pattern's own left-to-right global scan finds: that scan's next match is the
// leftmost offset from where it stands at which the pattern matches, every offset where the
// pattern matches is among the candidates, and a match depends only on where it starts.
//
// The candidates come from each pattern's prefixes: the strings of three characters (folded, as
// below) that every match starts with, worked out from the pattern's syntax by regexpp. The pass
// reads the text's trigrams and looks each up among the prefixes of all the patterns. A pattern
// whose prefixes cannot be listed (a leading \w+, a match that may be shorter than three) scans
// alone; before that, a prefilter (after Russ Cox, "Regular Expression Matching with a Trigram
// Index") leaves it out when the text lacks the trigrams of every literal one of which each of
// its matches holds.

import { RegExpParser, type AST } from '@eslint-community/regexpp';

export class PatternSet {
  /** Sticky copies of the patterns, tried at candidate offsets, and global ones for scanning alone. */
  private readonly sticky: RegExp[];
  private readonly global: RegExp[];
  /** The patterns' prefixes by trigram hash: heads[hash] - 1 is where in `chains` the pairs (trigram, pattern) of that hash start, ended by -1. */
  private readonly heads = new Int32Array(1 << PREFIX_BITS);
  private readonly chains: Int32Array;
  /** Bits of the two-character starts of the prefixes: most offsets fail this test, in a table small enough to stay in cache. */
  private readonly leads = new Uint32Array(1 << (14 - 5));
  /** The patterns without listed prefixes, the prefilter over them and which of them it lets through. */
  private readonly alone: number[];
  private readonly prefilter: Prefilter;
  private readonly aloneActive: boolean[];
  /** The latest text scanned: per pattern, its first candidate (-1: none) in lists of offsets linked by `next`. */
  private text: string | null = null;
  private readonly firstCandidate: Int32Array;
  private readonly lastCandidate: Int32Array;
  private readonly touched: number[] = [];
  private at = new Int32Array(64);
  private next = new Int32Array(64);
  private readonly active: boolean[];
  private possible = false;

  constructor(readonly patterns: readonly RegExp[]) {
    this.sticky = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'y'));
    this.global = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'g'));
    const byHash = new Map<number, number[]>();
    this.alone = [];
    patterns.forEach((p, k) => {
      const listed = prefixes(p);
      if (!listed) return this.alone.push(k);
      for (const gram of listed) {
        this.leads[gram >>> 12]! |= 1 << ((gram >>> 7) & 31);
        const h = prefixHash(gram);
        byHash.set(h, [...(byHash.get(h) ?? []), gram, k]);
      }
    });
    const chains: number[] = [];
    for (const [h, pairs] of byHash) {
      this.heads[h] = chains.length + 1;
      chains.push(...pairs, -1);
    }
    this.chains = Int32Array.from(chains);
    this.prefilter = new Prefilter(this.alone.map((k) => patterns[k]!));
    this.aloneActive = this.alone.map(() => false);
    this.active = patterns.map(() => false);
    this.firstCandidate = new Int32Array(patterns.length).fill(-1);
    this.lastCandidate = new Int32Array(patterns.length);
  }

  /** Whether some pattern can match in the text (false: none does). */
  scan(text: string): boolean {
    if (text === this.text) return this.possible;
    this.text = text;
    const { heads, chains, leads, firstCandidate: first, lastCandidate: last, active } = this;
    for (const k of this.touched) {
      first[k] = -1;
      active[k] = false;
    }
    this.touched.length = 0;
    let n = 0;
    let gram = 0;
    for (let i = 0; i < text.length; i++) {
      gram = ((gram << 7) | fold(text.charCodeAt(i))) & 0x1fffff;
      if (i < 2 || !((leads[gram >>> 12]! >>> ((gram >>> 7) & 31)) & 1)) continue;
      const head = heads[prefixHash(gram)]!;
      if (!head) continue;
      for (let c = head - 1; chains[c]! >= 0; c += 2) {
        if (chains[c] !== gram) continue;
        const k = chains[c + 1]!;
        if (n === this.at.length) this.grow();
        this.at[n] = i - 2;
        this.next[n] = -1;
        if (first[k]! < 0) {
          first[k] = n;
          active[k] = true;
          this.touched.push(k);
        } else this.next[last[k]!] = n;
        last[k] = n++;
      }
    }
    const alone = this.alone.length ? this.prefilter.mark(text, this.aloneActive) : 0;
    if (alone)
      this.alone.forEach((k, j) => {
        if (!this.aloneActive[j]) return;
        active[k] = true;
        this.touched.push(k);
      });
    return (this.possible = n + alone > 0);
  }

  /** Every match of pattern k in text, as its own global scan (matchAll) would give them. */
  matches(k: number, text: string): readonly RegExpExecArray[] {
    this.scan(text);
    // Most patterns are ruled out for most texts: they share one empty answer.
    if (!this.active[k]) return NO_MATCHES;
    const out: RegExpExecArray[] = [];
    if (this.firstCandidate[k]! < 0) {
      // A pattern without listed prefixes scans alone.
      const re = this.global[k]!;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push(m);
        // Past an empty match as matchAll goes: by a whole code point under u.
        if (m[0] === '') re.lastIndex = m.index + (re.unicode && (text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
      }
      return out;
    }
    const re = this.sticky[k]!;
    let from = 0;
    for (let c = this.firstCandidate[k]!; c >= 0; c = this.next[c]!) {
      const at = this.at[c]!;
      if (at < from) continue;
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) continue;
      out.push(m);
      // A listed prefix is three characters long: no match is empty.
      from = at + m[0].length;
    }
    return out;
  }

  private grow(): void {
    const at = new Int32Array(this.at.length * 2);
    at.set(this.at);
    this.at = at;
    const next = new Int32Array(this.next.length * 2);
    next.set(this.next);
    this.next = next;
  }
}

const NO_MATCHES: readonly RegExpExecArray[] = Object.freeze([]);

function flagsOf(re: RegExp): string {
  return re.flags.replace(/[gy]/g, '');
}

// ---- prefixes ----

/** Bits of the prefix table's hash. */
const PREFIX_BITS = 12;
/** The most prefixes a pattern is listed with (alternations and optional parts multiply them). */
const MAX_PREFIXES = 256;
/** How many expansion steps a pattern may take, and how deep they may nest, before it is given up (nested optional parts multiply them; a repeated part that may match empty never ends). */
const MAX_STEPS = 20_000;
const MAX_DEPTH = 100;

function prefixHash(gram: number): number {
  return Math.imul(gram, 0x9e3779b1) >>> (32 - PREFIX_BITS);
}

/**
 * The prefixes of a pattern: every trigram (three folded codes, 7 bits each, as the scan reads
 * them) that a match of it can start with, or null when they cannot be listed.
 */
export function prefixes(re: RegExp): number[] | null {
  const pattern = parsed(re);
  const found = pattern && startsOf([{ type: 'Group', alternatives: pattern.alternatives } as AST.Group], 3, re, { steps: 0 });
  return found ? [...found] : null;
}

/** The pattern's syntax tree, or null when regexpp cannot read it (it is then left to scan alone). */
function parsed(re: RegExp): AST.Pattern | null {
  try {
    return new RegExpParser().parsePattern(re.source, 0, re.source.length, { unicode: re.unicode, unicodeSets: re.flags.includes('v') });
  } catch {
    return null;
  }
}

/**
 * The codes (folded; 127 for any code unit outside ASCII) one character of the pattern can match
 * as a single code unit of the text, or null when too many to list or when it may match a
 * character of two code units (outside the BMP, under u).
 */
function codesOf(node: AST.Element, re: RegExp): Set<number> | null {
  const out = new Set<number>();
  const range = (lo: number, hi: number): boolean => {
    if (re.unicode && hi > 0xffff) return false;
    if (Math.min(hi, 126) - lo > 64) return false;
    // Under i a letter also matches its other case, which folds the same.
    for (let c = lo; c <= Math.min(hi, 126); c++) out.add(fold(c));
    if (hi >= 127) {
      out.add(127);
      // Under iu U+017F and U+212A match s and k: they are listed as those.
      if (re.ignoreCase) for (const c of [0x17f, 0x212a]) if (c >= lo && c <= hi) out.add(fold(c));
    }
    return true;
  };
  const one = (e: AST.Node): boolean => {
    switch (e.type) {
      case 'Character':
        return range(e.value, e.value);
      case 'CharacterClassRange':
        return range(e.min.value, e.max.value);
      case 'CharacterSet':
        if (e.kind === 'digit' && !e.negate) return range(48, 57);
        if (e.kind === 'space' && !e.negate) {
          // \s: ASCII whitespace and some outside ASCII, all in the BMP.
          [9, 10, 11, 12, 13, 32].forEach((c) => out.add(c));
          out.add(127);
          return true;
        }
        return false;
      case 'CharacterClass':
        return !e.negate && e.elements.every(one);
      default:
        return false;
    }
  };
  return one(node) ? out : null;
}

/**
 * The first n codes of every match of the elements, as trigrams (n <= 3; each code shifted in as
 * the scan does), or null when they cannot be listed.
 */
function startsOf(elements: AST.Element[], n: number, re: RegExp, budget: { steps: number }, depth = 0): Set<number> | null {
  if (n === 0) return new Set([0]);
  // A match that may end here is shorter than the prefix: nothing to list.
  if (!elements.length || ++budget.steps > MAX_STEPS || depth > MAX_DEPTH) return null;
  const [head, ...rest] = elements as [AST.Element, ...AST.Element[]];
  const out = new Set<number>();
  const add = (found: Set<number> | null, shift = 0): boolean => {
    if (!found) return false;
    for (const x of found) out.add(x | shift);
    return out.size <= MAX_PREFIXES;
  };
  switch (head.type) {
    case 'Assertion':
      // Zero-width: it looks, it does not consume.
      return startsOf(rest, n, re, budget, depth + 1);
    case 'Group':
    case 'CapturingGroup':
      for (const alt of head.alternatives) if (!add(startsOf([...alt.elements, ...rest], n, re, budget, depth + 1))) return null;
      return out;
    case 'Quantifier': {
      if (head.max === 0) return startsOf(rest, n, re, budget, depth + 1);
      const again = head.max > 1 ? [{ ...head, min: Math.max(0, head.min - 1), max: head.max - 1 }] : [];
      if (!add(startsOf([head.element, ...again, ...rest], n, re, budget, depth + 1))) return null;
      if (head.min === 0 && !add(startsOf(rest, n, re, budget, depth + 1))) return null;
      return out;
    }
    default: {
      const codes = codesOf(head, re);
      if (!codes) return null;
      const tails = startsOf(rest, n - 1, re, budget, depth + 1);
      if (!tails) return null;
      for (const c of codes) if (!add(tails, c << (7 * (n - 1)))) return null;
      return out;
    }
  }
}

// The prefilter. Text and literals are compared by fold(): a literal character is an ASCII one
// (below DEL) of the pattern, lower-cased, and a text character matched by it folds to the same
// code under any flags: without i it is the same character; under i without u, only ASCII
// characters canonicalize to ASCII ones; under iu, the only others folding to ASCII are U+017F
// (s) and U+212A (k), which fold() maps so. So a literal in a match is a literal in the folded
// text, and all its trigrams are there.

/** Bits of the hashed trigram set of a text. */
const GRAM_BITS = 14;

/** The code a text or literal character is compared by; 127 (never in a literal) for the rest. */
function fold(c: number): number {
  if (c < 127) return c >= 65 && c <= 90 ? c + 32 : c;
  return c === 0x17f ? 115 : c === 0x212a ? 107 : 127;
}

/** Where a trigram (three folded codes, 7 bits each) lands in the hashed set. */
function gramHash(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - GRAM_BITS);
}

/** The trigrams of the latest text, as bits of a hashed set (and the list of the bits set, to clear them): the sets are mostly asked about one sentence in a row. */
const grams = new Uint32Array(1 << (GRAM_BITS - 5));
let gramList = new Int32Array(256);
let gramCount = 0;
let gramsText: string | null = null;

function readTrigrams(text: string): void {
  if (text === gramsText) return;
  gramsText = text;
  for (let j = 0; j < gramCount; j++) grams[gramList[j]! >>> 5] = 0;
  gramCount = 0;
  if (gramList.length < text.length) gramList = new Int32Array(text.length);
  let key = 0;
  for (let i = 0; i < text.length; i++) {
    key = ((key << 7) | fold(text.charCodeAt(i))) & 0x1fffff;
    if (i < 2) continue;
    const h = gramHash(key);
    const word = grams[h >>> 5]!;
    const bit = 1 << (h & 31);
    if (word & bit) continue;
    grams[h >>> 5] = word | bit;
    gramList[gramCount++] = h;
  }
}

/** Whether the latest text holds every trigram of a literal, given as its count of hashes at `at`, then those. */
function holds(need: Int32Array, at: number): boolean {
  const end = at + 1 + need[at]!;
  for (let j = at + 1; j < end; j++) if (!((grams[need[j]! >>> 5]! >>> (need[j]! & 31)) & 1)) return false;
  return true;
}

/** Which of some patterns can match in a text, from literals one of which any match of each holds. */
class Prefilter {
  /** Per pattern, its literals' trigram hashes (per literal: their count, then them); null when no literal is known. */
  private readonly needs: (Int32Array | null)[];

  constructor(patterns: readonly RegExp[]) {
    this.needs = patterns.map((p) => {
      const literals = requiredLiterals(p);
      return literals && needOf(literals);
    });
  }

  /** Marks in `active` whether each pattern can match in the text; returns how many can. */
  mark(text: string, active: boolean[]): number {
    readTrigrams(text);
    let n = 0;
    for (let k = 0; k < this.needs.length; k++) {
      const need = this.needs[k] ?? null;
      let can = need === null;
      if (need) for (let at = 0; !can && at < need.length; at += 1 + need[at]!) can = holds(need, at);
      active[k] = can;
      if (can) n++;
    }
    return n;
  }
}

/**
 * Literals (folded, at least three characters long) as one array to test a trigram set against:
 * per literal, the count of its distinct trigram hashes, then those.
 */
function needOf(literals: string[]): Int32Array {
  const out: number[] = [];
  for (const literal of literals) {
    const hashes = new Set<number>();
    for (let i = 2; i < literal.length; i++) hashes.add(gramHash((literal.charCodeAt(i - 2) << 14) | (literal.charCodeAt(i - 1) << 7) | literal.charCodeAt(i)));
    out.push(hashes.size, ...hashes);
  }
  return Int32Array.from(out);
}

/**
 * What is known of the strings a piece of pattern matches, folded: exactly one of `exact`, and
 * some string of `need` within (null: not known, or too many to list).
 */
interface Known {
  exact: string[] | null;
  need: string[] | null;
}

/** The most strings an exact set is kept with (cross products of alternations grow fast). */
const MAX_EXACT = 32;
const UNKNOWN: Known = { exact: null, need: null };
const EMPTY: Known = { exact: [''], need: null };

/**
 * Literals one of which every match of the pattern holds (folded, three characters or more), or
 * null when there is no such set (a pattern that cannot be parsed has none either).
 */
export function requiredLiterals(re: RegExp): string[] | null {
  const pattern = parsed(re);
  if (!pattern) return null;
  const literals = need(alternation(pattern.alternatives));
  return literals && minimal(literals);
}

function known(node: AST.Element): Known {
  switch (node.type) {
    case 'Character':
      return node.value < 127 ? { exact: [String.fromCharCode(fold(node.value))], need: null } : UNKNOWN;
    case 'Assertion':
      // Zero-width: what a lookaround looks at is not part of the match.
      return EMPTY;
    case 'Group':
    case 'CapturingGroup':
      return alternation(node.alternatives);
    case 'Quantifier': {
      if (node.max === 0) return EMPTY;
      const inner = known(node.element);
      if (node.min === 0) return { exact: node.max === 1 && inner.exact ? unique([...inner.exact, '']) : null, need: null };
      return { exact: node.max === 1 ? inner.exact : null, need: need(inner) };
    }
    default:
      // Character classes and sets, backreferences.
      return UNKNOWN;
  }
}

/** One of the alternatives matches: exactly one of their exact strings, and one of their needs. */
function alternation(alternatives: AST.Alternative[]): Known {
  const all = alternatives.map(sequence);
  const exact = all.every((k) => k.exact) ? unique(all.flatMap((k) => k.exact!)) : null;
  const needs = all.map(need);
  return { exact: exact && exact.length <= MAX_EXACT ? exact : null, need: needs.every((n) => n) ? unique(needs.flatMap((n) => n!)) : null };
}

/**
 * A concatenation: exact strings of neighbouring elements are joined while their product stays
 * small; any run of them so joined, and any element's need, is a need of the whole.
 */
function sequence(alternative: AST.Alternative): Known {
  const candidates: string[][] = [];
  let run = [''];
  let whole = true;
  for (const element of alternative.elements) {
    const k = known(element);
    if (k.need) candidates.push(k.need);
    const joined = k.exact && run.length * k.exact.length <= MAX_EXACT ? run.flatMap((a) => k.exact!.map((b) => a + b)) : null;
    if (joined) {
      run = unique(joined);
      continue;
    }
    whole = false;
    candidates.push(run);
    run = k.exact ?? [''];
  }
  candidates.push(run);
  return { exact: whole ? run : null, need: best(candidates) };
}

/** The most selective need known, counting the exact strings too. */
function need(k: Known): string[] | null {
  return best(k.exact ? [k.exact, ...(k.need ? [k.need] : [])] : k.need ? [k.need] : []);
}

/**
 * Of sets of literals, the one least likely to be found in a text that does not match (guessed:
 * a literal one character longer is taken as four times rarer), among those the trigram set can
 * test: every literal three characters or more.
 */
function best(sets: string[][]): string[] | null {
  let out: string[] | null = null;
  let odds = Infinity;
  for (const set of sets) {
    if (!set.length || set.some((s) => s.length < 3)) continue;
    const o = set.reduce((sum, s) => sum + 4 ** -s.length, 0);
    if (o < odds) [out, odds] = [set, o];
  }
  return out;
}

/** The literals without those holding another: "drone" is found wherever "drones" is. */
function minimal(literals: string[]): string[] {
  const set = unique(literals);
  return set.filter((s) => !set.some((t) => t !== s && s.includes(t)));
}

function unique(strings: string[]): string[] {
  return [...new Set(strings)];
}
