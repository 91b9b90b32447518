// Name folding shared by the index builder and the gazetteer: both sides must fold alike. The
// rules are data (rules/geo/translit.tsv); the committed index records FOLD_VERSION, a hash of
// them, and the loader refuses an index folded otherwise.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../config.js';

/** One rule line of rules/geo/translit.tsv. */
export interface TranslitRule {
  stage: 'char' | 'drop' | 'article' | 'connective' | 'key' | 'loose';
  from: string;
  to: string;
  /** ISO2 codes the rule is for; empty for every country. */
  countries: string[];
  where: string;
}

export interface Translit {
  rules: TranslitRule[];
  /** Hash of the rules that make keys: an index folded with other rules is stale. */
  version: string;
}

const STAGES = new Set(['char', 'drop', 'article', 'connective', 'key', 'loose']);

/** Reads a translit table (the project's rules/geo/translit.tsv unless told another file). */
export function readTranslit(file = path.join(ROOT, 'rules', 'geo', 'translit.tsv')): Translit {
  const rules: TranslitRule[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [stage = '', from = '', to = '', countries = '*'] = line.split('\t');
      const where = `${path.basename(file)}:${i + 1}`;
      if (!STAGES.has(stage) || !from) throw new Error(`${where}: expected "stage<TAB>from<TAB>to<TAB>countries<TAB>reason" with a known stage`);
      if (stage === 'key' && !/^[a-z]+$/.test(from + (to === '-' ? '' : to))) throw new Error(`${where}: key pairs are lower-case ASCII letters`);
      rules.push({ stage: stage as TranslitRule['stage'], from, to: to === '-' ? '' : to, countries: countries === '*' || !countries ? [] : countries.split(',').map((c) => c.trim()), where });
    });
  const version = crypto
    .createHash('sha256')
    .update(JSON.stringify(rules.map((r) => [r.stage, r.from, r.to, r.countries])))
    .digest('hex')
    .slice(0, 12);
  return { rules, version };
}

/** A class body from the table ("\u064b-\u065f", "ʿʾ'") as a global regex. */
const charClass = (body: string) => new RegExp(`[${body}]`, 'gu');

/** The folding rules compiled once. */
class Folder {
  readonly version: string;
  private readonly chars: [RegExp, string][];
  private readonly articles: Set<string>;
  private readonly connectives: Set<string>;
  readonly pairs: [string, string][];
  private readonly loose: { re: RegExp; to: string; countries: Set<string> }[];
  private readonly looseFor = new Map<string, { re: RegExp; to: string }[]>();

  constructor(t: Translit) {
    this.version = t.version;
    const of = (s: TranslitRule['stage']) => t.rules.filter((r) => r.stage === s);
    this.chars = [...of('drop'), ...of('char')].map((r) => [charClass(r.from), r.to]);
    this.articles = new Set(of('article').map((r) => r.from));
    this.connectives = new Set(of('connective').map((r) => r.from));
    this.pairs = of('key').map((r) => [r.from, r.to]);
    this.loose = of('loose').map((r) => ({ re: new RegExp(r.from, 'gu'), to: r.to, countries: new Set(r.countries) }));
  }

  /** The joined words: case, marks, characters and the dropped words done; no pairs yet. */
  words(s: string): string {
    let t = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    for (const [re, to] of this.chars) t = t.replace(re, to);
    const words = t.split(/[\s\-‐‑–—_.,/()]+/).filter(Boolean);
    return words
      .filter((w, i) => {
        const inner = i > 0 && i < words.length - 1;
        if (inner && this.connectives.has(w)) return false;
        // An article only before another word: a lone "As" stays a name.
        if (i < words.length - 1 && this.articles.has(w)) return false;
        return true;
      })
      .join('');
  }

  key(joined: string): string {
    let t = joined;
    for (const [from, to] of this.pairs) t = t.replaceAll(from, to);
    return t.replace(/(.)\1+/gu, '$1');
  }

  /** The loose rules for keys of one country ('' for rules of every country only). */
  private looseRules(iso2: string): { re: RegExp; to: string }[] {
    let rules = this.looseFor.get(iso2);
    if (!rules) this.looseFor.set(iso2, (rules = this.loose.filter((r) => !r.countries.size || r.countries.has(iso2))));
    return rules;
  }

  looseKey(s: string, iso2: string): string {
    let t = this.words(s);
    for (const { re, to } of this.looseRules(iso2)) t = t.replace(re, to);
    const k = this.key(t);
    // Consonants only; a leading vowel, whichever, stays as "a" ("Ein Issa" = "Ayn Isa", not "Nisa").
    return (/^[aeiouy]/.test(k) ? 'a' : '') + k.replace(/[aeiouy]/g, '').replace(/(.)\1+/gu, '$1');
  }

  isArticle(w: string): boolean {
    return this.articles.has(w);
  }
  articleStarts(t: string): boolean {
    for (const a of this.articles) if (a.startsWith(t)) return true;
    return false;
  }
}

const folder = new Folder(readTranslit());

/** Version of the folding (a hash of rules/geo/translit.tsv): indexes record it. */
export const FOLD_VERSION: string = folder.version;

/**
 * Folds a place name to a lookup key: case, diacritics, apostrophes, hyphens/spaces, the Persian
 * connective, Arabic articles, Arabic/Persian letter variants and common transliteration pairs.
 * The result has no spaces, so "Asad Abad" and "Asadabad" meet.
 */
export function foldName(s: string): string {
  let key = folded.get(s);
  if (key === undefined) {
    if (folded.size >= 100_000) folded.clear();
    folded.set(s, (key = folder.key(folder.words(s))));
  }
  return key;
}
// Folding is pure and the same names recur in every report: keep what was folded.
const folded = new Map<string, string>();

/**
 * The loose key of a name in one country: its spelling class (rules/geo/translit.tsv, stage
 * "loose"), consonants only. Names of one class are spelling variants of each other as often
 * as not: the gazetteer asks it only inside a country it was told, after the strict key.
 */
export function looseKey(s: string, iso2: string): string {
  return folder.looseKey(s, iso2);
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
  if (folder.articleStarts(t)) return '';
  for (const [from, to] of folder.pairs) {
    t = t.replaceAll(from, to);
    if (from.length === 2 && t.endsWith(from.charAt(0))) t = t.slice(0, -1);
  }
  return t.replace(/(.)\1+/gu, '$1');
}

/** One pattern for the unit words of rules/geo/unit_words.tsv, longest first: a prefix before a name, a suffix ("-County") after one. */
export function unitWordsPattern(words: string[]): RegExp {
  const quote = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const byLength = words.filter(Boolean).sort((a, b) => b.length - a.length);
  const prefixes = byLength.filter((w) => !w.startsWith('-')).map((w) => quote(w) + (w.endsWith("'") ? '' : ' '));
  const suffixes = byLength.filter((w) => w.startsWith('-')).map((w) => ' ' + quote(w.slice(1)));
  const parts = [prefixes.length ? `^(?:${prefixes.join('|')})(?=\\S)` : '', suffixes.length ? `(?<=\\S)(?:${suffixes.join('|')})$` : ''].filter(Boolean);
  return parts.length ? new RegExp(parts.join('|'), 'g') : /^(?!)/;
}
