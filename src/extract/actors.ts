// Actor finding: turns phrases like "Taliban fighters", "Nigerian soldiers", "unidentified gunmen"
// into ACLED-style actors (name, inter code, country). All vocabulary lives in rules/actors/*.tsv;
// this module compiles it once into a token trie so matching is one pass over a sentence's words.
import type { Config } from '../config.js';
import type { Span, StageResult } from '../core/types.js';
import type { ActorMention } from './types.js';
import { readRuleFile, type RuleRow } from '../core/rulefiles.js';

export interface ActorContext {
  /** YYYY-MM-DD of the events, or null. Picks regime periods and dated rows ("Taliban" before/after 15 Aug 2021). */
  date: string | null;
  /** ISO2 of the report's countries, most salient first. */
  countries: string[];
}

interface Pattern {
  /** Normalised (lower-case, accent-free) tokens: the trie path. */
  keys: string[];
  /** Original tokens and whether each must match exactly (acronyms such as US, JeM, FAMa). */
  tokens: string[];
  exact: boolean[];
}

interface Dated {
  appliesIn: Set<string> | null;
  from: string | null;
  to: string | null;
}

type Entry = { where: string } & (
  | ({ kind: 'named'; name: string; inter: number; country: string | null } & Dated)
  | { kind: 'force'; branch: string; country: string | null; bare: boolean; unit: string | null; appliesIn: Set<string> | null }
  | { kind: 'generic'; template: string; inter: number; protest: { template: string; inter: number } | null }
  | { kind: 'ethnic'; label: string; group: string }
  | { kind: 'word' }
  | { kind: 'country'; iso: string; provinces?: string[] }
);

/** A phrase of the lexicon: what it stands for, and how it is written. */
interface Phrase {
  entry: Entry;
  pattern: Pattern;
}

interface TrieNode {
  /** Keyed by the word's id in the lexicon's vocabulary. */
  next: Map<number, TrieNode>;
  entries: Phrase[];
}

interface Trie {
  root: TrieNode;
  /** The root's children indexed by word id: every token asks whether it starts a phrase, and most do not. */
  first: (TrieNode | undefined)[];
}

interface Regime {
  iso: string;
  from: string;
  to: string | null;
  label: string;
  suffix: string | null;
}

export interface ActorLexicon {
  /** An id for each normalised word of the tries: a text's words are looked up once, then walked by number. */
  vocab: Map<string, number>;
  /** The same ids for ASCII words, found from the text's characters without making the word's string. */
  ids: WordTable;
  /** Ids of the words the matching asks about by name: the article and the "s" of a possessive. */
  the: number;
  s: number;
  /** Actor phrases (named, force, generic, ethnic). */
  actors: Trie;
  /** Word classes from words.tsv, a trie each (militia words only make ethnic phrases). */
  absorb: Trie;
  place: Trie;
  notbefore: Trie;
  countryLink: Trie;
  protestCue: Trie;
  elsewhere: Trie;
  /** Missions and regions that say which country a report is about (theatres.tsv). */
  theatres: Trie;
  /** Country names and demonyms. */
  countries: Trie;
  countryNames: Map<string, string>;
  /** The form after "Forces of" where it differs ("the United States"). */
  forcesOf: Map<string, string>;
  regimes: Map<string, Regime[]>;
  /** Country conventions for unnamed perpetrators (rules/actors/conventions.tsv). */
  conventions: Convention[];
  /** Longest country phrase, in tokens: bounds the look-back for "Afghan" in "Afghan forces". */
  maxCountryTokens: number;
  /** The tokens of the last few long texts: a report is asked about again and again (see tokensOf). */
  recent: Map<string, Tokens>;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const KIND_RANK = { named: 0, force: 1, ethnic: 2, generic: 3, word: 9, country: 9 } as const;

function normKey(tok: string): string {
  const lc = tok.toLowerCase();
  // Accents are rare in the vocabulary, so only pay for NFD when a token is not plain ASCII.
  return /^[\x00-\x7f]*$/.test(lc) ? lc : lc.normalize('NFD').replace(/\p{M}/gu, '');
}

/** Acronym-like tokens (US, JeM, FAMa, the "U" of U.S.) must match exactly; others ignore case. */
function isExact(tok: string): boolean {
  return /^\p{Lu}$/u.test(tok) || /^.+\p{Lu}/u.test(tok);
}

function compilePattern(text: string): Pattern | null {
  const tokens = text.match(TOKEN) ?? [];
  if (!tokens.length) return null;
  return { keys: tokens.map(normKey), tokens, exact: tokens.map(isExact) };
}

function newNode(): TrieNode {
  return { next: new Map(), entries: [] };
}

function newTrie(): Trie {
  return { root: newNode(), first: [] };
}

function wordId(vocab: Map<string, number>, key: string): number {
  let id = vocab.get(key);
  if (id === undefined) vocab.set(key, (id = vocab.size));
  return id;
}

function insert(vocab: Map<string, number>, trie: Trie, pattern: Pattern, entry: Entry): void {
  let node = trie.root;
  for (const k of pattern.keys) {
    const id = wordId(vocab, k);
    let child = node.next.get(id);
    if (!child) node.next.set(id, (child = newNode()));
    node = child;
  }
  node.entries.push({ entry, pattern });
}

const opt = (s: string | undefined): string | null => (!s || s === '-' ? null : s);
const alts = (s: string | undefined): string[] => (s ?? '').split('|').map((x) => x.trim()).filter(Boolean);
const isoSet = (s: string | undefined): Set<string> | null => (!s || s === '*' || s === '-' ? null : new Set(alts(s)));

function addRows(vocab: Map<string, number>, trie: Trie, rows: RuleRow[], make: (row: RuleRow) => Entry | null, patternsCol = 0): void {
  for (const row of rows) {
    const entry = make(row);
    if (!entry) continue;
    for (const p of alts(row.cols[patternsCol])) {
      const pat = compilePattern(p);
      if (pat) insert(vocab, trie, pat, entry);
    }
  }
}

export function loadActorLexicon(config: Config): ActorLexicon {
  const vocab = new Map<string, number>();
  const lex: Omit<ActorLexicon, 'ids'> = {
    vocab,
    the: wordId(vocab, 'the'),
    s: wordId(vocab, 's'),
    actors: newTrie(),
    absorb: newTrie(),
    place: newTrie(),
    notbefore: newTrie(),
    countryLink: newTrie(),
    protestCue: newTrie(),
    elsewhere: newTrie(),
    theatres: newTrie(),
    countries: newTrie(),
    countryNames: new Map(),
    forcesOf: new Map(),
    regimes: new Map(),
    conventions: [],
    maxCountryTokens: 1,
    recent: new Map(),
  };

  for (const row of readRuleFile(config, 'actors/countries.tsv')) {
    const [iso, name, names, forcesOf] = row.cols;
    if (!iso || !name) continue;
    lex.countryNames.set(iso, name);
    if (opt(forcesOf)) lex.forcesOf.set(iso, forcesOf!);
    for (const p of [name, ...alts(names)]) {
      const pat = compilePattern(p);
      if (!pat) continue;
      insert(lex.vocab, lex.countries, pat, { kind: 'country', iso, where: row.where });
      lex.maxCountryTokens = Math.max(lex.maxCountryTokens, pat.keys.length);
    }
  }

  for (const row of readRuleFile(config, 'actors/theatres.tsv')) {
    const [names, iso, regions] = row.cols;
    if (!names || !iso) continue;
    const provinces = regions && regions !== '-' ? regions.split('|') : [];
    for (const p of alts(names)) {
      const pat = compilePattern(p);
      if (pat) insert(lex.vocab, lex.theatres, pat, { kind: 'country', iso, provinces, where: row.where });
    }
  }

  for (const row of readRuleFile(config, 'actors/conventions.tsv')) {
    const [countries, marks, name, inter] = row.cols;
    if (!countries || !marks || !name || !inter) throw new Error(`${row.where}: expected country, marks, name, inter`);
    lex.conventions.push({ countries: new Set(alts(countries)), marks: new RegExp(marks, 'i'), name, inter: Number(inter), where: row.where });
  }

  for (const row of readRuleFile(config, 'actors/regimes.tsv')) {
    const [iso, from, to, label, suffix] = row.cols;
    if (!iso || !from || !label) continue;
    const list = lex.regimes.get(iso) ?? [];
    list.push({ iso, from, to: opt(to), label, suffix: opt(suffix) });
    lex.regimes.set(iso, list);
  }

  const wordRows = readRuleFile(config, 'actors/words.tsv');
  const classes = { absorb: lex.absorb, place: lex.place, notbefore: lex.notbefore, 'country-link': lex.countryLink, 'protest-cue': lex.protestCue, elsewhere: lex.elsewhere };
  for (const [cls, trie] of Object.entries(classes)) {
    addRows(lex.vocab, trie, wordRows.filter((r) => r.cols[0] === cls), (row) => ({ kind: 'word', where: row.where }), 1);
  }

  addRows(lex.vocab, lex.actors, readRuleFile(config, 'actors/named.tsv'), (row) => {
    const [, name, inter, country, appliesIn, from, to] = row.cols;
    if (!name || !Number(inter)) return null;
    return {
      kind: 'named',
      name,
      inter: Number(inter),
      country: opt(country),
      appliesIn: isoSet(appliesIn),
      from: opt(from),
      to: opt(to),
      where: row.where,
    };
  });

  addRows(lex.vocab, lex.actors, readRuleFile(config, 'actors/forces.tsv'), (row) => {
    const [, branch, country, bare, unit, appliesIn] = row.cols;
    if (!branch) return null;
    return {
      kind: 'force',
      branch,
      country: country === '*' ? null : opt(country),
      bare: bare === 'yes',
      unit: opt(unit),
      appliesIn: isoSet(appliesIn),
      where: row.where,
    };
  });

  addRows(lex.vocab, lex.actors, readRuleFile(config, 'actors/generic.tsv'), (row) => {
    const [, template, inter, , protestTemplate, protestInter] = row.cols;
    if (!template || !Number(inter)) return null;
    const protest = protestTemplate && Number(protestInter) ? { template: protestTemplate, inter: Number(protestInter) } : null;
    return { kind: 'generic', template, inter: Number(inter), protest, where: row.where };
  });

  // Ethnic militias are group word x militia noun ("Fulani" x "gunmen"), expanded here once.
  const militiaWords = wordRows
    .filter((r) => r.cols[0] === 'militia')
    .flatMap((r) => alts(r.cols[1]));
  for (const row of readRuleFile(config, 'actors/ethnic.tsv')) {
    const [patterns, label, group] = row.cols;
    if (!label || !group) continue;
    const entry: Entry = { kind: 'ethnic', label, group, where: row.where };
    for (const p of alts(patterns)) {
      for (const w of militiaWords) {
        const pat = compilePattern(`${p} ${w}`);
        if (pat) insert(lex.vocab, lex.actors, pat, entry);
      }
    }
  }
  for (const trie of [lex.actors, ...Object.values(classes), lex.countries, lex.theatres]) trie.first = Array.from({ length: lex.vocab.size }, (_, id) => trie.root.next.get(id));
  return { ...lex, ids: wordTable(vocab) };
}

/**
 * An open-addressing hash table from a word's characters to its vocabulary id. Hashes are made
 * by hashStep: a token's is summed up while it is scanned, and a probe compares characters.
 */
interface WordTable {
  mask: number;
  hash: Int32Array;
  /** id + 1 of the word in each slot, 0 for an empty slot. */
  slot: Int32Array;
  /** The words by id. */
  words: string[];
}

/** One step of a word's hash, c being a lower-case character code. */
const hashStep = (h: number, c: number): number => (Math.imul(h, 31) + c) | 0;

function wordTable(vocab: Map<string, number>): WordTable {
  let size = 1;
  while (size < 4 * vocab.size) size <<= 1;
  const table: WordTable = { mask: size - 1, hash: new Int32Array(size), slot: new Int32Array(size), words: [] };
  for (const [word, id] of vocab) {
    table.words[id] = word;
    let h = 0;
    for (let k = 0; k < word.length; k++) h = hashStep(h, word.charCodeAt(k));
    let at = h & table.mask;
    while (table.slot[at]) at = (at + 1) & table.mask;
    table.hash[at] = h;
    table.slot[at] = id + 1;
  }
  return table;
}

/** The id of the ASCII word text[from, to) in lower case (h its hash), -1 for a word no phrase has. */
function asciiId(table: WordTable, text: string, from: number, to: number, h: number): number {
  for (let at = h & table.mask; table.slot[at]; at = (at + 1) & table.mask) {
    if (table.hash[at] !== h) continue;
    const id = table.slot[at]! - 1;
    const word = table.words[id]!;
    if (word.length !== to - from) continue;
    let k = 0;
    while (k < word.length && ASCII_KEY[text.charCodeAt(from + k)] === word.charCodeAt(k)) k++;
    if (k === word.length) return id;
  }
  return -1;
}

/** The lower case of each ASCII letter or digit (TOKEN's ASCII characters) by code, 0 for other ASCII characters. */
const ASCII_KEY = Uint8Array.from({ length: 0x80 }, (_, c) => (/[A-Za-z0-9]/.test(String.fromCharCode(c)) ? String.fromCharCode(c).toLowerCase().charCodeAt(0) : 0));

/** How a country's unnamed perpetrators are named when their event bears certain marks. */
export interface Convention {
  countries: ReadonlySet<string>;
  marks: RegExp;
  name: string;
  inter: number;
  where: string;
}

/** The name an unidentified armed group takes in a country whose convention the event's text marks, or null. */
export function conventionFor(lex: ActorLexicon, iso2: string, text: string): { name: string; inter: number; where: string } | null {
  const c = lex.conventions.find((x) => x.countries.has(iso2) && x.marks.test(text));
  return c ? { name: withCountry(lex, c.name, iso2), inter: c.inter, where: c.where } : null;
}

export function countryName(lex: ActorLexicon, iso2: string): string | null {
  return lex.countryNames.get(iso2) ?? null;
}

/**
 * Tokens [lo, hi) of a text's token arrays: a sentence is a range of its report's tokens. A token
 * is its offsets and the id of its normalised form (lower-case, accent-free); its text is read
 * from the text where needed.
 */
interface Tokens {
  start: Int32Array;
  end: Int32Array;
  /** The id in the lexicon's vocabulary, -1 for a word no phrase has. */
  id: Int32Array;
  /** joined(a), worked out on first need (0 not yet, 1 no, 2 yes): the trie walks ask it again and again. */
  joins: Uint8Array;
  lo: number;
  hi: number;
}

// One character of TOKEN's class, for characters outside ASCII (ASCII_KEY tells those).
const WORD_CHAR = new RegExp(TOKEN.source.slice(0, -1), 'uy');

/** The length in code units of the letter or digit at i (not ASCII), 0 when there is none. */
function wordCharAt(text: string, i: number): number {
  WORD_CHAR.lastIndex = i;
  return WORD_CHAR.test(text) ? WORD_CHAR.lastIndex - i : 0;
}

/** TOKEN's matches in text[from, to), scanned by hand: no match arrays, and no strings for ASCII words. */
function tokenize(lex: ActorLexicon, text: string, from: number, to: number): Tokens {
  // A unicode regex scanning from inside a surrogate pair starts at its first half: so does this.
  if (from > 0 && /[\ud800-\udbff]/.test(text[from - 1]!) && /[\udc00-\udfff]/.test(text[from] ?? '')) from -= 1;
  // Tokens are one character or more, with one or more between them: at most half the range, rounded up.
  const cap = (to - from + 1) >> 1;
  const start = new Int32Array(cap);
  const end = new Int32Array(cap);
  const id = new Int32Array(cap);
  let n = 0;
  for (let i = from; i < to; ) {
    const c = text.charCodeAt(i);
    if (c < 0x80 ? !ASCII_KEY[c] : !wordCharAt(text, i)) {
      i += c < 0xd800 || text.codePointAt(i)! <= 0xffff ? 1 : 2; // as the regex, step over a whole character
      continue;
    }
    const first = i;
    let ascii = true;
    let h = 0;
    // Each character is read once: ASCII through the table, others by the regex.
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d < 0x80) {
        if (!ASCII_KEY[d]) break;
        h = hashStep(h, ASCII_KEY[d]!);
        i += 1;
      } else {
        const w = wordCharAt(text, i);
        if (!w) break;
        ascii = false;
        i += w;
      }
    }
    if (i > to) break; // a word cut by the range's end is none of its tokens
    start[n] = first;
    end[n] = i;
    // An ASCII word's normal form is its lower case (normKey returns that as is).
    id[n++] = ascii ? asciiId(lex.ids, text, first, i, h) : (lex.vocab.get(normKey(text.slice(first, i))) ?? -1);
  }
  return { start, end, id, joins: new Uint8Array(n), lo: 0, hi: n };
}

/** The tokens of text[from, to): those of the whole text inside the range, unless a token crosses `from`. */
function tokensOf(lex: ActorLexicon, text: string, from: number, to: number): Tokens {
  // A short text (a place's name) is quicker to scan than to keep.
  if (text.length < 256) return tokenize(lex, text, from, to);
  let whole = lex.recent.get(text);
  if (!whole) {
    if (lex.recent.size >= 4) lex.recent.delete(lex.recent.keys().next().value!);
    lex.recent.set(text, (whole = tokenize(lex, text, 0, text.length)));
  }
  let a = 0;
  let hi = whole.hi;
  while (a < hi) {
    const mid = (a + hi) >> 1;
    if (whole.start[mid]! < from) a = mid + 1;
    else hi = mid;
  }
  // Scanning from inside a word finds its tail as a token of its own: only a fresh scan gives that.
  if (a > 0 && whole.end[a - 1]! > from) return tokenize(lex, text, from, to);
  let b = a;
  while (b < whole.hi && whole.end[b]! <= to) b++;
  // The range shares the whole text's arrays, joins included: joined() looks only at the two tokens and the text.
  return { start: whole.start, end: whole.end, id: whole.id, joins: whole.joins, lo: a, hi: b };
}

/** Whether tokens a and a+1 belong to one phrase: a space, a hyphen, an apostrophe, or the dot of "U.S.". */
function joined(text: string, t: Tokens, a: number): boolean {
  if (!t.joins[a]) t.joins[a] = joinedGap(text, t, a) ? 2 : 1;
  return t.joins[a] === 2;
}

function joinedGap(text: string, t: Tokens, a: number): boolean {
  const from = t.end[a]!;
  const to = t.start[a + 1]!;
  if (to - from === 1 && text.charCodeAt(from) === 0x20) return true; // most gaps: one space
  const gap = text.slice(from, to);
  if (gap.length > 3) return false;
  if (/^[ \t]+$|^[ \t]*\r?\n[ \t]*$/.test(gap)) return true;
  if (/^[ \t]*[-\u2010-\u2014][ \t]*$/.test(gap)) return true;
  if (/^['\u2019]$/.test(gap)) return true;
  return /^\.[ \t]?$/.test(gap) && t.end[a]! - t.start[a]! === 1;
}

/** Token i as written. */
function tokenText(text: string, t: Tokens, i: number): string {
  return text.slice(t.start[i], t.end[i]);
}

/** Token i is the "s" of a possessive ("army's"). */
function possessive(lex: ActorLexicon, text: string, t: Tokens, i: number): boolean {
  return t.id[i] === lex.s && i > t.lo && /^['\u2019]$/.test(text.slice(t.end[i - 1], t.start[i]));
}

interface Hit {
  entry: Entry;
  end: number; // token index after the match
}

/** Token i is written `word`. */
function written(text: string, t: Tokens, i: number, word: string): boolean {
  return t.end[i]! - t.start[i]! === word.length && text.startsWith(word, t.start[i]);
}

/** All trie matches starting at token i, shortest first. */
const NO_HITS: readonly Hit[] = [];

/** Whether the tokens from i are written as the pattern must be (acronyms exactly). */
function fits(text: string, t: Tokens, i: number, pattern: Pattern): boolean {
  for (let k = 0; k < pattern.exact.length; k++) if (pattern.exact[k] && !written(text, t, i + k, pattern.tokens[k]!)) return false;
  return true;
}

/** The first of a node's phrases (found from token i) that fits the text, or null. */
function firstFitting(node: TrieNode, text: string, t: Tokens, i: number): Phrase | null {
  for (const p of node.entries) if (fits(text, t, i, p.pattern)) return p;
  return null;
}

function matchAt(trie: Trie, text: string, t: Tokens, i: number): readonly Hit[] {
  const id = t.id[i]!;
  let node = id >= 0 ? trie.first[id] : undefined;
  // Most words start no phrase, and many phrase starts ("the") end none: they cost no array.
  if (!node) return NO_HITS;
  let hits: Hit[] | null = null;
  for (let j = i; ; ) {
    for (const { entry, pattern } of node.entries) if (fits(text, t, i, pattern)) (hits ??= []).push({ entry, end: j + 1 });
    if (++j >= t.hi) break;
    node = node.next.get(t.id[j]!);
    if (!node || !joined(text, t, j - 1)) break;
  }
  return hits ?? NO_HITS;
}

/** The longest phrase of the trie at token i (the first listed of that length), or null: matchAt's longest hit, without the hits. */
function longest(trie: Trie, text: string, t: Tokens, i: number): Phrase | null {
  const id = t.id[i]!;
  let node = id >= 0 ? trie.first[id] : undefined;
  let best: Phrase | null = null;
  for (let j = i; node; ) {
    best = firstFitting(node, text, t, i) ?? best;
    if (++j >= t.hi) break;
    node = node.next.get(t.id[j]!);
    if (node && !joined(text, t, j - 1)) break;
  }
  return best;
}

/** The first phrase of the trie that is tokens [i, end) exactly, or null. */
function phraseTo(trie: Trie, text: string, t: Tokens, i: number, end: number): Phrase | null {
  const id = t.id[i]!;
  let node = id >= 0 ? trie.first[id] : undefined;
  for (let j = i + 1; node && j < end; j++) {
    node = node.next.get(t.id[j]!);
    if (node && !joined(text, t, j - 1)) return null;
  }
  return node ? firstFitting(node, text, t, i) : null;
}

/** The end of the longest phrase of a word class (its trie) at token i, or null. */
function wordAt(words: Trie, text: string, t: Tokens, i: number): number | null {
  const p = longest(words, text, t, i);
  return p ? i + p.pattern.keys.length : null;
}

/** Token i has a digit (\d: ASCII only). */
function hasDigit(text: string, t: Tokens, i: number): boolean {
  for (let k = t.start[i]!; k < t.end[i]!; k++) if (text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) return true;
  return false;
}

/** A country phrase ending right before token i ("Afghan" forces, "Afghanistan's" army): [start token, iso]. */
function countryBefore(lex: ActorLexicon, text: string, t: Tokens, i: number): [number, string] | null {
  let end = i;
  // A weapon's model between the country and the noun: "Russian Kh-22 missile", "Israeli F-16 jets".
  if (end > t.lo + 1 && hasDigit(text, t, end - 1)) {
    end -= 1;
    if (end > t.lo + 1 && /^[A-Za-z]{1,3}$/.test(tokenText(text, t, end - 1)) && /^[-\s]?$/.test(text.slice(t.end[end - 1] ?? 0, t.start[end] ?? 0))) end -= 1;
  }
  if (end > t.lo && possessive(lex, text, t, end - 1)) end -= 1;
  else if (end > t.lo && !joined(text, t, end - 1)) return null;
  for (let k = Math.min(lex.maxCountryTokens, end - t.lo); k >= 1; k--) {
    const p = phraseTo(lex.countries, text, t, end - k, end);
    if (p?.entry.kind === 'country') return [end - k, p.entry.iso];
  }
  return null;
}

/** "of Mali", "from the Democratic Republic of Congo" right after token i-1: [end token, iso]. */
function countryAfter(lex: ActorLexicon, text: string, t: Tokens, i: number): [number, string] | null {
  if (i >= t.hi || !joined(text, t, i - 1)) return null;
  const link = wordAt(lex.countryLink, text, t, i);
  if (link === null || link >= t.hi || !joined(text, t, link - 1)) return null;
  let at = link;
  if (t.id[at] === lex.the && at + 1 < t.hi && joined(text, t, at)) at += 1;
  let best: [number, string] | null = null;
  for (const h of matchAt(lex.countries, text, t, at)) {
    if (h.entry.kind === 'country') best = [h.end, h.entry.iso];
  }
  return best;
}

function regimeOf(lex: ActorLexicon, iso: string, date: string | null): Regime | null {
  const list = lex.regimes.get(iso) ?? [];
  if (date === null) return list.find((r) => r.to === null) ?? list[list.length - 1] ?? null;
  return list.find((r) => date >= r.from && (r.to === null || date < r.to)) ?? null;
}

function validOn(d: Dated, ctx: ActorContext): boolean {
  // A row for some countries holds where the report is, not wherever one of them is named
  // ("Taliban" is the TTP in a Pakistani report, not in an Afghan one that names Pakistan).
  if (d.appliesIn && !(ctx.countries[0] && d.appliesIn.has(ctx.countries[0]))) return false;
  if (ctx.date === null) return d.to === null;
  return (d.from === null || ctx.date >= d.from) && (d.to === null || ctx.date < d.to);
}

interface Candidate {
  from: number; // token range
  to: number;
  /** Its row: name and inter code are worked out for the candidates that win only (mentionOf). */
  entry: Extract<Entry, { kind: 'named' | 'force' | 'generic' | 'ethnic' }>;
  country: string | null;
  /** Length in characters: the longest phrase wins. */
  span: number;
  rank: number;
  /** Lower is more specific: a row for the report's main country beats one for any country. */
  specificity: number;
}

function withCountry(lex: ActorLexicon, template: string, iso: string | null): string {
  const name = iso ? countryName(lex, iso) : null;
  // (?<!\s): the match starts where its spaces start, not at each of them (the ReDoS check).
  return name ? template.replace('{country}', name) : template.replace(/(?<!\s)\s*\(\{country\}\)/, '').replace('{country}', '');
}

/** "Military Forces of Mali (2021-)", "Government of Afghanistan (2021-)": a state's branch, named for the date. */
export function stateForceName(lex: ActorLexicon, iso: string, branch: string, date: string | null, unit: string | null = null): string {
  const cname = lex.forcesOf.get(iso) ?? countryName(lex, iso) ?? iso;
  const regime = regimeOf(lex, iso, date);
  return [`${branch === 'Government' ? 'Government' : `${branch} Forces`} of ${cname}${regime ? ` (${regime.label})` : ''}`, regime?.suffix, unit].filter(Boolean).join(' ');
}

function specificityOf(appliesIn: Set<string> | null, ctx: ActorContext): number {
  if (!appliesIn) return 2;
  return ctx.countries[0] && appliesIn.has(ctx.countries[0]) ? 0 : 1;
}

/** A state force outside its own country is "External/Other forces" (codebook 3: inter 8). */
function stateInter(inter: number, country: string | null, ctx: ActorContext): number {
  return inter === 1 && country && ctx.countries[0] && country !== ctx.countries[0] ? 8 : inter;
}

export function findActors(lex: ActorLexicon, text: string, sentence: Span, ctx: ActorContext): StageResult<ActorMention[]> {
  const warnings: string[] = [];
  const t = tokensOf(lex, text, sentence.start, sentence.end);
  const won = winners(t, candidatesOf(lex, text, t, ctx, warnings));
  // Only crowd words ask whether the sentence is about a demonstration, and only when they win.
  const protest = won.some((c) => c.entry.kind === 'generic' && c.entry.protest) && aboutProtest(lex, text, t);
  return { value: won.map((c) => mentionOf(lex, text, t, c, ctx, protest)), warnings };
}

/** A winning candidate as a mention, named for its country and the date. */
function mentionOf(lex: ActorLexicon, text: string, t: Tokens, c: Candidate, ctx: ActorContext, protest: boolean): ActorMention {
  const e = c.entry;
  let name: string;
  let inter: number;
  if (e.kind === 'named') {
    name = withCountry(lex, e.name, ctx.countries[0] ?? null);
    inter = stateInter(e.inter, e.country, ctx);
  } else if (e.kind === 'force') {
    name = stateForceName(lex, c.country!, e.branch, ctx.date, e.unit);
    inter = stateInter(1, c.country, ctx);
  } else if (e.kind === 'generic') {
    // Crowd words in a sentence about a demonstration are protesters.
    const as = protest && e.protest ? e.protest : e;
    name = withCountry(lex, as.template, c.country);
    inter = as.inter;
  } else {
    name = withCountry(lex, `${e.label} ${e.group} ({country})`, c.country);
    inter = 4;
  }
  const start = t.start[c.from]!;
  const end = t.end[c.to - 1]!;
  return { start, end, text: text.slice(start, end), name, inter, country: c.country, rule: e.where };
}

/** Whether a protest cue stands in the tokens. */
function aboutProtest(lex: ActorLexicon, text: string, t: Tokens): boolean {
  for (let k = t.lo; k < t.hi; k++) if (wordAt(lex.protestCue, text, t, k) !== null) return true;
  return false;
}

/** A headline: no word of four letters or more starts in lower case. */
function titleCase(text: string, t: Tokens): boolean {
  for (let k = t.lo; k < t.hi; k++) if (t.end[k]! - t.start[k]! >= 4 && /^\p{Ll}/u.test(tokenText(text, t, k))) return false;
  return true;
}

/**
 * The countries of the actors findActors finds in the text, each once, in order of first mention:
 * the same search without the actors' names and the warnings.
 */
export function actorHomes(lex: ActorLexicon, text: string, ctx: ActorContext): string[] {
  const t = tokensOf(lex, text, 0, text.length);
  const homes = winners(t, candidatesOf(lex, text, t, ctx, null)).map((c) => c.country);
  return [...new Set(homes.filter((c): c is string => !!c))];
}

/** Every actor phrase in tokens t, overlapping ones included. Says what it cannot place in `warnings`, if given. */
function candidatesOf(lex: ActorLexicon, text: string, t: Tokens, ctx: ActorContext, warnings: string[] | null): Candidate[] {
  const home = ctx.countries[0] ?? null;
  const candidates: Candidate[] = [];
  const add = (from: number, to: number, entry: Candidate['entry'], country: string | null, specificity: number): void => {
    candidates.push({ from, to, entry, country, span: t.end[to - 1]! - t.start[from]!, rank: KIND_RANK[entry.kind], specificity });
  };

  for (let i = t.lo; i < t.hi; i++) {
    for (const hit of matchAt(lex.actors, text, t, i)) {
      const e = hit.entry;
      let from = i;
      let to = hit.end;
      const placeAfter = to < t.hi && joined(text, t, to - 1) && wordAt(lex.place, text, t, to) !== null;

      if (e.kind === 'named') {
        if (!validOn(e, ctx)) continue;
        // Absorb "fighters", "group" ... (also after a possessive: "the Taliban's fighters").
        for (let n = 0; n < 2 && to < t.hi; n++) {
          let at = to;
          if (possessive(lex, text, t, at)) at += 1;
          else if (!joined(text, t, to - 1)) break;
          if (at >= t.hi || (at > to && !joined(text, t, at - 1))) break;
          const w = wordAt(lex.absorb, text, t, at);
          if (w === null) break;
          to = w;
        }
        add(from, to, e, e.name.includes('{country}') ? home : e.country, specificityOf(e.appliesIn, ctx));
      } else if (e.kind === 'force') {
        if (e.appliesIn && !ctx.countries.some((c) => e.appliesIn!.has(c))) continue;
        if (placeAfter) continue;
        let country = e.country;
        const before = countryBefore(lex, text, t, from);
        if (before && (!country || before[1] === country)) {
          from = before[0];
          country = before[1];
        } else if (!country) {
          const after = countryAfter(lex, text, t, to);
          if (after) {
            to = after[0];
            country = after[1];
          } else if (e.bare && home) {
            // Mid-sentence capitals before "Army" mean a proper name we do not know ("Kachin
            // Independence Army"), unless the sentence is in title case (a headline).
            if (/^\p{Lu}/u.test(tokenText(text, t, i)) && i > t.lo && joined(text, t, i - 1) && /^\p{Lu}/u.test(tokenText(text, t, i - 1)) && t.id[i - 1] !== lex.the && !titleCase(text, t)) continue;
            country = home;
          } else {
            if (e.bare) warnings?.push(`actor "${text.slice(t.start[i], t.end[hit.end - 1])}" has no country (no report country known)`);
            continue;
          }
        }
        if (from > t.lo && joined(text, t, from - 1) && wordAt(lex.notbefore, text, t, from - 1) !== null) continue;
        if (warnings && !regimeOf(lex, country!, ctx.date)) warnings.push(`no regime period for ${country} on ${ctx.date ?? 'an unknown date'} (rules/actors/regimes.tsv)`);
        add(from, to, e, country, specificityOf(e.appliesIn, ctx));
      } else if (e.kind === 'generic' || e.kind === 'ethnic') {
        if (placeAfter) continue;
        let country = home;
        const before = countryBefore(lex, text, t, from);
        if (before) {
          from = before[0];
          country = before[1];
        }
        if (!country) warnings?.push(`actor "${text.slice(t.start[i], t.end[hit.end - 1])}" has no country (no report country known)`);
        add(from, to, e, country, 2);
      }
    }
  }

  return candidates;
}

/** The candidates that do not overlap, in text order. */
function winners(t: Tokens, candidates: Candidate[]): Candidate[] {
  if (candidates.length < 2) return candidates; // most sentences: nothing to resolve
  // Longest phrase wins; on equal spans a named group beats a generic word, and a row for the
  // report's country beats a row for anywhere.
  candidates.sort((a, b) => b.span - a.span || a.rank - b.rank || a.specificity - b.specificity || a.from - b.from);
  const taken = new Uint8Array(t.hi - t.lo);
  const value: Candidate[] = [];
  for (const c of candidates) {
    let free = true;
    for (let k = c.from; k < c.to && free; k++) if (taken[k - t.lo]) free = false;
    if (!free) continue;
    for (let k = c.from; k < c.to; k++) taken[k - t.lo] = 1;
    value.push(c);
  }
  // Winners share no token, so none start together.
  return value.sort((a, b) => a.from - b.from);
}

/** The country phrases of a trie in the text, left to right, longest first where they overlap: [first token, token after, iso, provinces]. */
function* countryPhrases(trie: Trie, t: Tokens, text: string): Generator<[number, number, string, readonly string[]]> {
  for (let i = t.lo; i < t.hi; ) {
    const p = longest(trie, text, t, i);
    if (p?.entry.kind === 'country') {
      yield [i, i + p.pattern.keys.length, p.entry.iso, p.entry.provinces ?? []];
      i += p.pattern.keys.length;
    } else i++;
  }
}

/**
 * Country names and demonyms that say what a thing is, not where the report is ("the US
 * dollar", "the Turkish embassy", "British nationals"): their spans, to be left out of the
 * report's countries.
 */
export function elsewhereCountries(lex: ActorLexicon, text: string): Span[] {
  const t = tokensOf(lex, text, 0, text.length);
  const out: Span[] = [];
  for (const [i, next] of countryPhrases(lex.countries, t, text)) {
    if (next < t.hi && joined(text, t, next - 1) && wordAt(lex.elsewhere, text, t, next) !== null) out.push({ start: t.start[i]!, end: t.end[next - 1]!, text: text.slice(t.start[i]!, t.end[next - 1]!) });
  }
  return out;
}

/** ISO2 of the countries named or referred to by demonym in the text, most frequent first. */
export function demonymCountries(lex: ActorLexicon, text: string): string[] {
  return countriesBy(lex, lex.countries, text);
}

/** ISO2 of the countries whose missions or regions the text names ("OSCE SMM", "Donbas"), most frequent first. */
export function theatreCountries(lex: ActorLexicon, text: string): string[] {
  return countriesBy(lex, lex.theatres, text);
}

/** The provinces that the missions or regions the text names work in ("the OSCE SMM" observed along the Donbas front: Donetsk, Luhansk). */
export function theatreProvinces(lex: ActorLexicon, text: string): string[] {
  const out = new Set<string>();
  for (const [, , , provinces] of countryPhrases(lex.theatres, tokensOf(lex, text, 0, text.length), text)) for (const p of provinces) out.add(p);
  return [...out];
}

function countriesBy(lex: ActorLexicon, trie: Trie, text: string): string[] {
  const counts = new Map<string, number>();
  for (const [, , iso] of countryPhrases(trie, tokensOf(lex, text, 0, text.length), text)) counts.set(iso, (counts.get(iso) ?? 0) + 1);
  // Map iteration order is first occurrence, and the sort is stable, so ties keep text order.
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([iso]) => iso);
}
