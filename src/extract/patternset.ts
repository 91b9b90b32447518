// Many rule patterns searched over the same text. Running each pattern's own scan costs one
// pass per rule; here one pass of their union finds every offset where some pattern can start,
// and each pattern is then tried (sticky) at those offsets only. The matches are exactly those
// the pattern's own left-to-right global scan finds, because a pattern's leftmost match from an
// offset starts where the union matches too, and a match depends only on where it starts.
// A caller may give a looser union of its own (any regex matching at least wherever a pattern
// starts), e.g. one that checks a shared word boundary once instead of in every alternative.
//
// Most texts match few of the patterns or none, so before scanning, a prefilter (after Russ Cox,
// "Regular Expression Matching with a Trigram Index") rules out the patterns that cannot match:
// each pattern has a set of literals one of which every match holds, and a pattern whose
// literals' trigrams are not all in the text is left out of the scan (the union of the others is
// compiled once per such subset), and no scan runs when none is left.

import { RegExpParser, type AST } from '@eslint-community/regexpp';

export class PatternSet {
  /** Sticky copies of the patterns, tried at candidate offsets, and global ones for scanning alone. */
  private readonly sticky: RegExp[];
  private readonly global: RegExp[];
  /** The union, or null when the patterns cannot be joined (other flags, backreferences): then each scans alone. */
  private readonly union: RegExp | null;
  /**
   * Whether the patterns left by the prefilter scan with a union of their own, by their indices
   * (a subset of patterns that join joins too). Not with the caller's union: a subset's own,
   * exact union rejects offsets slower than the caller's looser one (measured), and the caller's
   * made narrower by the subset's, in one regex or as a second test, costs more than it saves.
   */
  private readonly subsetUnions: boolean;
  private readonly subsets = new Map<string, RegExp>();
  private readonly prefilter: Prefilter;
  /** The latest text asked about, which of the patterns can match in it, and what to scan it with. */
  private text: string | null = null;
  private readonly active: boolean[];
  private none = false;
  private scan: RegExp | null = null;

  constructor(
    readonly patterns: readonly RegExp[],
    union?: RegExp,
  ) {
    this.sticky = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'y'));
    this.global = patterns.map((p) => new RegExp(p.source, flagsOf(p) + 'g'));
    const join = joinable(patterns);
    if (union) this.union = lookahead(union.source, flagsOf(union));
    else this.union = join ? unionOf(patterns) : null;
    this.subsetUnions = join && !union;
    this.prefilter = new Prefilter(patterns);
    this.active = patterns.map(() => true);
  }

  /** Offsets (ascending) where at least one pattern matches; null means "anywhere" (no union). */
  starts(text: string): number[] | null {
    this.prepare(text);
    if (this.none) return [];
    const u = this.scan;
    if (!u) return null;
    const out: number[] = [];
    u.lastIndex = 0;
    while (u.test(text)) {
      const at = u.lastIndex;
      out.push(at);
      u.lastIndex = at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
    }
    return out;
  }

  /** Every match of pattern k in text, as its own global scan (matchAll) would give them. */
  matches(k: number, text: string, starts: number[] | null): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    this.prepare(text);
    if (!this.active[k]) return out;
    if (!starts) {
      const re = this.global[k]!;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push(m);
        if (m[0] === '') re.lastIndex = m.index + 1;
      }
      return out;
    }
    const re = this.sticky[k]!;
    let from = 0;
    for (const at of starts) {
      if (at < from) continue;
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) continue;
      out.push(m);
      from = m[0] === '' ? at + 1 : at + m[0].length;
    }
    return out;
  }

  /**
   * Works out which patterns can match in the text, and the union to scan it with: that of those
   * patterns (a pattern left out matches nowhere in the text, so the starts that matter stay).
   */
  private prepare(text: string): void {
    if (text === this.text) return;
    this.text = text;
    const n = this.prefilter.mark(text, this.active);
    this.none = n === 0;
    this.scan = this.union;
    if (this.none || n === this.patterns.length || !this.subsetUnions) return;
    const key = this.active.map(Number).join('');
    let u = this.subsets.get(key);
    if (!u) {
      // Bounded: a long-running process may meet many subsets of a long rule list.
      if (this.subsets.size >= 256) this.subsets.clear();
      u = unionOf(this.patterns.filter((_, k) => this.active[k]));
      this.subsets.set(key, u);
    }
    this.scan = u;
  }
}

/**
 * The union of the patterns as one lookahead: a search then leaves lastIndex at the start it
 * found, so test() reports it without building a match array.
 */
function unionOf(patterns: readonly RegExp[]): RegExp {
  return lookahead(joinSources(patterns), flagsOf(patterns[0]!));
}

/** The patterns' sources as one alternation. */
function joinSources(patterns: readonly RegExp[]): string {
  return patterns.map((p) => `(?:${p.source})`).join('|');
}

/**
 * A \b that every alternative starts with is tested first, outside the lookahead: most offsets
 * fail it at once (same starts: both are zero-width, at the same offset). Hoisting wordRegExp's
 * leading lookbehind so gains nothing (measured), so only \b is.
 */
function lookahead(source: string, flags: string): RegExp {
  return new RegExp(`${allStartWith(source, '\\b') ? '\\b' : ''}(?=${uncaptured(source)})`, flags + 'g');
}

/**
 * Whether every match of the source starts with the zero-width `lead`: each top-level
 * alternative opens with it, or with a group (not quantified) whose alternatives all do.
 */
function allStartWith(source: string, lead: string): boolean {
  const alts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const [i, c] of syntax(source)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  alts.push(source.slice(from));
  return alts.every((alt) => {
    if (alt.startsWith(lead)) return true;
    if (!alt.startsWith('(?:')) return false;
    const close = closingParen(alt);
    return close > 0 && !/^[?*+{]/.test(alt.slice(close + 1)) && allStartWith(alt.slice(3, close), lead);
  });
}

/** Index of the parenthesis closing the group that opens source, or -1. */
function closingParen(source: string): number {
  let depth = 0;
  for (const [i, c] of syntax(source)) {
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The characters of a regex source that are syntax, with their index: not escaped, not inside a [class]. */
function* syntax(source: string): Generator<[number, string]> {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else yield [i, c];
  }
}

function flagsOf(re: RegExp): string {
  return re.flags.replace(/[gy]/g, '');
}

/** Patterns join into one alternation when they share flags and hold no backreference (group numbers shift in a union). */
function joinable(patterns: readonly RegExp[]): boolean {
  if (!patterns.length) return false;
  const flags = flagsOf(patterns[0]!);
  if (patterns.some((p) => flagsOf(p) !== flags || /\\[1-9]|\\k</.test(p.source))) return false;
  try {
    new RegExp(joinSources(patterns), flags);
    return true;
  } catch {
    // Named groups repeated across patterns cannot share one expression.
    return false;
  }
}

/**
 * The pattern with its groups made non-capturing: the union only says where a match starts,
 * and each capture would cost a slot in every match it returns. Left alone when it refers back
 * to a group.
 */
export function uncaptured(source: string): string {
  if (/\\[1-9]|\\k</.test(source)) return source;
  let out = '';
  let from = 0;
  for (const [i, c] of syntax(source)) {
    if (c !== '(') continue;
    if (source[i + 1] !== '?') {
      out += `${source.slice(from, i)}(?:`;
      from = i + 1;
    } else if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
      // A named group "(?<name>": drop the name.
      out += `${source.slice(from, i)}(?:`;
      from = source.indexOf('>', i) + 1;
    }
  }
  return out + source.slice(from);
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

/** The trigrams of the latest text, as bits of a hashed set and as a list of the bits set: the sets are mostly asked about one sentence in a row. */
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

/** Past this many literals in all, a text's trigrams are looked up among the literals' rather than each literal's in the text's. */
const INDEXED = 64;

/** Which of some patterns can match in a text, from literals one of which any match of each holds. */
class Prefilter {
  /** Per pattern, its literals' trigram hashes (per literal: their count, then them); null when no literal is known. */
  private readonly needs: (Int32Array | null)[];
  /**
   * For many literals, the literals by their first trigram's hash: heads[hash] - 1 is where in
   * `chains` the pairs (pattern, where in its need) of those literals start, ended by -1.
   */
  private readonly heads: Int32Array | null = null;
  private readonly chains: Int32Array | null = null;

  constructor(patterns: readonly RegExp[]) {
    const literals = patterns.map(requiredLiterals);
    this.needs = literals.map((l) => l && needOf(l));
    if (literals.reduce((n, l) => n + (l?.length ?? 0), 0) <= INDEXED) return;
    const byHead = new Map<number, number[]>();
    this.needs.forEach((need, k) => {
      for (let at = 0; need && at < need.length; at += 1 + need[at]!) {
        const head = need[at + 1]!;
        byHead.set(head, [...(byHead.get(head) ?? []), k, at]);
      }
    });
    this.heads = new Int32Array(1 << GRAM_BITS);
    const chains: number[] = [];
    for (const [head, pairs] of byHead) {
      this.heads[head] = chains.length + 1;
      chains.push(...pairs, -1);
    }
    this.chains = Int32Array.from(chains);
  }

  /** Marks in `active` whether each pattern can match in the text; returns how many can. */
  mark(text: string, active: boolean[]): number {
    readTrigrams(text);
    let n = 0;
    const { needs, heads, chains } = this;
    if (heads && chains) {
      for (let k = 0; k < needs.length; k++) n += Number((active[k] = needs[k] === null));
      for (let j = 0; j < gramCount; j++) {
        const head = heads[gramList[j]!]!;
        if (!head) continue;
        for (let c = head - 1; chains[c]! >= 0; c += 2) {
          const k = chains[c]!;
          if (active[k] || !holds(needs[k]!, chains[c + 1]!)) continue;
          active[k] = true;
          n++;
        }
      }
      return n;
    }
    for (let k = 0; k < needs.length; k++) {
      const need = needs[k] ?? null;
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
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser().parsePattern(re.source, 0, re.source.length, { unicode: re.unicode, unicodeSets: re.flags.includes('v') });
  } catch {
    return null;
  }
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
