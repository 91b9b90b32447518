// The gazetteer: the compact index under data/geo (built by scripts/build-data.ts) plus the
// alias table rules/geo/aliases.tsv and the non-place list rules/geo/not_places.txt.
// Lookup folds the name, collects every place with that key (exact, then a strict fuzzy step),
// and ranks them with a prior (level, population, seat) and the report's context.
import fs from 'node:fs';
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import { loadConfig, type Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';
import { foldName, FOLD_VERSION, keyPrefix, looseKey, unitWordsPattern } from './fold.js';
import { loadCues, type Cues } from './cues.js';
import { userParts } from './userplaces.js';
import { PackedIndex, PackedPart } from './packed.js';
import type { Level, Row } from './rows.js';
import { withBoundaries } from './located.js';

export { foldName };

export interface Place {
  country: string;
  iso2: string;
  iso: number | null;
  /** Province/state name; P-code in Afghanistan, GeoNames code ("UA.05") elsewhere. */
  admin1: string;
  admin1_code: string | null;
  /** District name and code; "" / null when unknown. */
  admin2: string;
  admin2_code: string | null;
  /** The named place as the gazetteer spells it. */
  location: string;
  latitude: number;
  longitude: number;
  level: 'country' | 'admin1' | 'admin2' | 'town';
  /** ACLED: 1 town, 2 district/near, 3 province-level. */
  geo_precision: 1 | 2 | 3;
  population: number;
}
export interface Candidate {
  place: Place;
  score: number;
  reason: string;
  /** How a name lookup matched, for callers that weigh it (the reason says the same in words). */
  match?: Match;
}

/** How a name met a place: by its name, an alias, an alternate name (weak: another language's word), or approximately. */
export interface Match {
  how: 'name' | 'alt' | 'alias' | 'loose' | 'fuzzy';
  weak: boolean;
  /** The place lies in a province the context names. */
  inNamedProvince: boolean;
}

/** A match by spelling only approximately (fuzzy, a spelling class) or by a weak alternate name. */
export function looseMatch(m: Match | undefined): boolean {
  return !!m && (m.how === 'fuzzy' || m.how === 'loose' || m.weak);
}
export interface GeoContext {
  /** ISO2 of countries the report names, most salient first. */
  countries?: string[];
  /** Names (or codes) of provinces/states the report mentions. */
  admin1?: string[];
  /** What the text calls the place: "X province" → admin1, "X district" → admin2, "town of X" → town. */
  cue?: 'country' | 'admin1' | 'admin2' | 'town' | null;
  /**
   * ISO2 of a country the query itself names ("Taizz, Yemen"): the loose and fuzzy steps open
   * there for shorter names, as the place is known to lie in it (callers keep only places inside).
   */
  within?: string | null;
  /**
   * The countries are only guessed from who acts (actors' homes, demonyms), none named: a unit
   * or a place with a cue word across the main country's border may well be where the report
   * is ("Israeli forces fired at two Palestinians in southern Qalqiliyah", "Boko Haram looted
   * Kolofata town (Mayo-Sava, Extreme-Nord)").
   */
  guessed?: boolean;
}
export interface Gazetteer {
  /** Ranked candidates for a name, best first; [] when nothing matches. */
  lookup(name: string, ctx?: GeoContext): Candidate[];
  /**
   * Lookup of names in one context (its countries and provinces; the cue comes with each name),
   * for callers that ask many (the places stage): the answers are the gazetteer's own, shared
   * with later askers, so they must be read and never changed.
   */
  lookupIn(ctx: Omit<GeoContext, 'cue'>): (name: string, cue: GeoContext['cue']) => readonly Candidate[];
  country(iso2: string): (Place & { iso3: string }) | null;
  /** ISO2 of every country in the index. */
  countryCodes(): string[];
  /**
   * ISO2 of the countries with a place (not the country itself) of exactly this folded name,
   * alternate name or alias, for a caller with no country to try each in turn.
   */
  countriesWithName(name: string): string[];
  /** ISO2 of the country this name (or alias) denotes, e.g. "Burma" → "MM"; null if none. */
  countryCode(name: string): string | null;
  /** False when no country name or alias can begin with this word, so no span it starts is a country. */
  mayStartCountry(word: string): boolean;
  /** The seat (capital town) of a province or state, by its code ("AF09" → Pul-e-Khumri); null if the index has none. */
  seat(admin1_code: string): Place | null;
  /** True for a word naming a country's people ("Pakistani", "Syrians") that is not itself a country. */
  isDemonym(word: string): boolean;
  /** True for words on the non-place list ("Police", "Friday", "Taliban"). */
  isNotPlace(name: string): boolean;
  /** Cue words (rules/geo/cues.tsv, with the user's rules dirs) used by the places stage. */
  cues: Cues;
}

interface CountryInfo {
  iso2: string;
  iso3: string;
  iso: number | null;
  name: string;
  capital: string;
  population: number;
  /** ISO2 of the countries it borders (GeoNames countryInfo). */
  neighbours?: string[];
}
interface Meta {
  foldVersion: string | number;
  countries: CountryInfo[];
  /** Where each country's block of spellings lies in blocks.bin. */
  blocks?: Record<string, [number, number]>;
}
interface Hit {
  row: number;
  /** name/alt/alias: the folded key; loose: the country's spelling class; fuzzy: edit distance. */
  how: 'name' | 'alt' | 'alias' | 'loose' | 'fuzzy';
  dist: number;
}

const LEVEL: Record<Level, Place['level']> = { c: 'country', '1': 'admin1', '2': 'admin2', t: 'town', l: 'town', f: 'town' };
const PRECISION: Record<Level, 1 | 2 | 3> = { c: 3, '1': 3, '2': 2, t: 1, l: 2, f: 1 };
const SEATS = new Set(['PPLC', 'PPLA', 'PPLA2']);
/** Below this a candidate is reported but flagged weak; callers should not take it as a place. */
export const MIN_SCORE = 0.5;

// Demonym endings: "Pakistani", "Syrian", "Kenyans", "Ukrainian", "Sudanese", "Turkish", "Afghan".
const DEMONYM_ENDINGS: [string, string[]][] = [
  ['ians', ['ia', 'e', '']],
  ['ian', ['ia', 'e', '']],
  ['ans', ['a', '', 'o']],
  ['an', ['a', '', 'o', 'istan']],
  ['ns', ['']],
  ['n', ['']],
  ['is', ['', 'ia']],
  ['i', ['', 'ia', 'a']],
  ['ese', ['', 'o']],
  ['ish', ['ey', '']],
  ['', ['istan']],
];

/** True for a word that names a country's people ("Pakistani") but is not itself a country. */
function isDemonymOf(countryCode: (name: string) => string | null, word: string): boolean {
  if (countryCode(word)) return false;
  for (const [end, restore] of DEMONYM_ENDINGS) {
    if (!word.endsWith(end) || word.length - end.length < 3) continue;
    const stem = word.slice(0, word.length - end.length);
    if (restore.some((r) => countryCode(stem + r))) return true;
  }
  return false;
}

/** Letters NFKD does not decompose, for the plain Latin names written into events. */
const PLAIN_LETTERS: Record<string, string> = { ı: 'i', İ: 'I', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'Ae', đ: 'd', Đ: 'D', ə: 'a', Ə: 'A', ǝ: 'a', ʿ: '', ʾ: '', ʼ: '' };

/** A name in plain Latin letters, as ACLED writes admin units ("Diyarbakır" → Diyarbakir, "Gǝdǝbǝy" → Gadabay). */
export function plainLatin(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ıİłŁøØßæÆđĐəƏǝʿʾʼ]/gu, (c) => PLAIN_LETTERS[c] ?? c)
    .normalize('NFC');
}

/** Lower case without accents or punctuation: the spelling, not the folded key. */
function plain(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Bounded memo: batch runs meet the same names again and again. */
function memo<K, V>(fn: (k: K) => V, max = 50_000): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    // One probe for what was kept (an undefined value is checked again).
    let v = cache.get(k);
    if (v === undefined && !cache.has(k)) {
      if (cache.size >= max) cache.clear();
      cache.set(k, (v = fn(k)));
    }
    return v as V;
  };
}

/** A gazetteer whose lookups are not yet kept: what the boundary packs wrap (src/geo/located.ts). */
export type GazetteerCore = Omit<Gazetteer, 'lookupIn'>;

/** The cues a lookup may come with, in the order of a context's answer tables. */
const CUE_LEVELS: GeoContext['cue'][] = [null, 'country', 'admin1', 'admin2', 'town'];

/**
 * The same name in the same context gives the same answer: answers are kept per context (its
 * countries and provinces), cue and name, so a caller holding a context asks by name and cue.
 * lookup hands out copies to keep; lookupIn the kept answers themselves.
 */
function withSharedAnswers(core: GazetteerCore, max = 50_000): Gazetteer {
  const byContext = new Map<string, Map<string, Candidate[]>[]>();
  let kept = 0;
  function lookupIn(ctx: GeoContext): (name: string, cue: GeoContext['cue']) => Candidate[] {
    const key = `${(ctx.countries ?? []).join(',')}\u0000${(ctx.admin1 ?? []).join(',')}\u0000${ctx.within ?? ''}\u0000${ctx.guessed ? '1' : ''}`;
    let tables = byContext.get(key);
    if (!tables) byContext.set(key, (tables = CUE_LEVELS.map(() => new Map())));
    const answers = tables;
    const asked: GeoContext[] = [];
    return (name, cue) => {
      const c = cue ? CUE_LEVELS.indexOf(cue) : 0;
      const known = answers[c]!;
      let found = known.get(name);
      if (!found) {
        // Bounded: past the limit every context starts afresh.
        if (kept >= max) {
          for (const t of byContext.values()) for (const m of t) m.clear();
          byContext.clear();
          byContext.set(key, answers);
          kept = 0;
        }
        kept++;
        // The context as its key reads: absent lists are empty, and a missing cue is null.
        if (!asked[c]) {
          const [countries = '', admin1 = '', within = '', guessed = ''] = key.split('\u0000');
          asked[c] = { countries: countries ? countries.split(',') : [], admin1: admin1 ? admin1.split(',') : [], cue: cue ?? null, within: within || null, guessed: guessed === '1' };
        }
        known.set(name, (found = core.lookup(name, asked[c])));
      }
      return found;
    };
  }
  return { ...core, lookupIn, lookup: (name, ctx = {}) => lookupIn(ctx)(name, ctx.cue ?? null).map((c) => ({ ...c, place: { ...c.place } })) };
}

/** Loads the index (sync). Throws with a hint when data/geo is missing or was built with another folding. */
export function loadGazetteer(dataDir: string, config: Config = loadConfig()): Gazetteer {
  const dir = path.join(dataDir, 'geo');
  const metaFile = path.join(dir, 'meta.json');
  if (!fs.existsSync(metaFile)) throw new Error(`geo index not found in ${dir}: run npm run build:data`);
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Meta;
  if (meta.foldVersion !== FOLD_VERSION)
    throw new Error(`geo index in ${dir} was built with name folding v${meta.foldVersion}, code has v${FOLD_VERSION}: run npm run build:data`);

  // Rows and names stay bytes until a lookup reads them (load time and memory).
  const shipped = new PackedPart(dir, 0, meta.blocks ?? {});
  // The places the user imported (`sitrep geo import XX.txt`) are parts after the shipped one.
  const index = new PackedIndex([shipped, ...userParts(config, shipped.rowCount)]);
  const rows = index;
  const isCountryRow = (i: number): boolean => index.isCountryRow(i);
  let seatRows: Map<string, number> | null = null;
  const byCode = new Map<string, number>(); // "c:AF", "1:UA.05", "2:AF0907"
  // Admin rows come first in the file; towns ('t', 'l') need no code index. Their codes are read
  // off the lines (level, name, country, admin1, admin2), not parsed into rows.
  for (let i = 0; i < index.rowCount; i++) {
    const level = index.levelOf(i);
    if (level === 't') break;
    const l = index.line(i)!;
    const t2 = l.indexOf('\t', l.indexOf('\t') + 1);
    const t3 = l.indexOf('\t', t2 + 1);
    if (level === 'c') byCode.set(`c:${l.slice(t2 + 1, t3)}`, i);
    else if (level === '1') byCode.set(`1:${l.slice(t3 + 1, l.indexOf('\t', t3 + 1))}`, i);
    else if (level === '2') {
      const t4 = l.indexOf('\t', t3 + 1);
      byCode.set(`2:${l.slice(t4 + 1, l.indexOf('\t', t4 + 1))}`, i);
    }
  }
  const countries = new Map(meta.countries.map((c) => [c.iso2, c]));

  const aliases = new Map<string, number[]>();
  for (const { cols, where } of readRuleFile(config, 'geo/aliases.tsv')) {
    const [name = '', target = ''] = cols;
    const targets = target.split(',').map((t) => {
      const code = t.trim();
      // "town:SY:Tadmur": the largest town of that name in that country.
      const town = /^town:([A-Z]{2}):(.+)$/.exec(code);
      const row = town ? largestTown(town[1] ?? '', town[2] ?? '') : byCode.get(/^[A-Z]{2}$/.test(code) ? `c:${code}` : /^AF\d{4}$/.test(code) || code.split('.').length === 3 ? `2:${code}` : `1:${code}`);
      if (row === undefined) throw new Error(`${where}: unknown geo alias target ${code}`);
      return row;
    });
    const key = foldName(name);
    aliases.set(key, [...(aliases.get(key) ?? []), ...targets]);
  }
  function largestTown(iso2: string, name: string): number | undefined {
    let best: number | undefined;
    for (const { row } of index.refs(foldName(name))) {
      const r = rows.at(row);
      if (r?.level === 't' && r.iso2 === iso2 && (best === undefined || (rows.at(best)?.pop ?? 0) < r.pop)) best = row;
    }
    return best;
  }
  const notPlaces = new Set(readRuleFile(config, 'geo/not_places.txt').map((r) => foldName(r.cols[0] ?? '')));
  // Names written into events for units GeoNames spells otherwise ("Southern Darfur" → "South Darfur").
  const shownNames = new Map(readRuleFile(config, 'geo/admin_names.tsv').map((r) => [r.cols[0] ?? '', r.cols[1] ?? '']));
  // "Departamento de Punilla", "Province of Lanao del Sur": GeoNames' unit prefix is no part of the
  // name people write; nor are its letters beyond plain Latin.
  const unitWords = unitWordsPattern(readRuleFile(config, 'geo/unit_words.tsv').map((r) => r.cols[0] ?? ''));
  const shown = (r: Row, code: string) => shownNames.get(code) || plainLatin(r.name.replace(unitWords, ''));
  // Countries as ACLED writes them (rules/actors/countries.tsv: "Palestine", "Democratic Republic
  // of Congo"), not GeoNames' "Palestinian Territory".
  const countryNames = new Map(readRuleFile(config, 'actors/countries.tsv').map((r) => [r.cols[0] ?? '', r.cols[1] ?? '']));

  /**
   * Tiny homonyms and IEC village names only add noise to a loose or fuzzy match in a report;
   * a query that names the country asks for its villages. A country is never reached so
   * (demonyms would).
   */
  function spellingTarget(r: Row | undefined, main: string, within: boolean): r is Row {
    return !!r && r.iso2 === main && r.level !== 'c' && (within || (r.level !== 'l' && (r.level !== 't' || r.pop >= 1000 || r.iso2 === 'AF')));
  }

  function hits(key: string, name: string, ctx: GeoContext, acronym: boolean): Hit[] {
    const out: Hit[] = [];
    for (const row of aliases.get(key) ?? []) out.push({ row, how: 'alias', dist: 0 });
    // An acronym ("IS", "OLA") is a place only through the alias table ("US", "DRC").
    if (acronym) return out;
    for (const { row, alt } of index.refs(key)) out.push({ row, how: alt ? 'alt' : 'name', dist: 0 });
    const within = ctx.within ?? null;
    const main = within ?? ctx.countries?.[0];
    // The loose and fuzzy steps are for spelling variants of places in the report's main country
    // (or the country the query names) only: "Khidir" in an Afghan report is Khadir, not Iraq's
    // Al-Khidir. Short keys are too close to ordinary words and names ("Ghani" ~ Ghazni, "There"
    // ~ Terry), so they go fuzzy only with a cue word ("Khidir district") or a named country.
    // A name that is a famous place elsewhere ("Kabul, Pakistan") is that place misplaced, not a
    // spelling of some village of the main country (Qabula).
    const settled = (h: Hit) => {
      const r = rows.at(h.row);
      return r?.iso2 === main || (!!r && h.how === 'name' && famous(r));
    };
    if (!main || key.length < (within ? 4 : ctx.cue ? 5 : 6) || /[^a-z]/.test(key) || out.some(settled)) return out;
    const blocks = index.blocks(main);
    // The spelling class (rules/geo/translit.tsv, stage loose): "Saraqab" ~ Saraqib, "Teftnaz" ~ Taftanaz.
    const lk = looseKey(name, main);
    if (lk.length >= (within ? 3 : 4))
      for (const b of blocks)
        for (const [k, refs] of b.loose(lk)) {
          const d = distance(k, key);
          // A class shares consonants only: the vowels may differ in one place, in two in a long name.
          if (d > (key.length >= 9 ? 2 : 1)) continue;
          for (const row of refs) if (spellingTarget(rows.at(row), main, !!within)) out.push({ row, how: 'loose', dist: d });
        }
    // One letter off across a whole named country is mostly another village ("Kirni" ~ Khadki):
    // with a query's country the fuzzy step needs a province too.
    if (out.some((h) => h.how === 'loose') || (within && !ctx.admin1?.length)) return out;
    const maxD = key.length >= 11 ? 2 : 1;
    for (let len = key.length - maxD; len <= key.length + maxD; len++) {
      // The fuzzy step never leaves the main country: its own keys, by first letter and length.
      for (const b of blocks)
        for (const [k, refs] of b.bucket(key, len)) {
          const d = distance(k, key);
          if (d > maxD) continue;
          for (const row of refs) if (spellingTarget(rows.at(row), main, !!within)) out.push({ row, how: 'fuzzy', dist: d });
        }
    }
    return out;
  }

  function admin1Of(r: Row): Row | undefined {
    return r.level === '1' ? r : rows.at(byCode.get(`1:${r.a1}`) ?? -1);
  }

  function toPlace(r: Row): Place {
    const c = countries.get(r.iso2);
    const a1 = r.level === 'c' ? undefined : admin1Of(r);
    const a2 = r.level === 't' || r.level === 'l' || r.level === '2' ? rows.at(byCode.get(`2:${r.a2}`) ?? -1) : undefined;
    const country = countryNames.get(r.iso2) || (c?.name ?? r.iso2);
    return {
      country,
      iso2: r.iso2,
      iso: c?.iso ?? null,
      // A place of an imported gazetteer may carry its own P-codes and names (n1, n2).
      admin1: a1 ? shown(a1, a1.a1) : r.n1,
      admin1_code: a1 ? a1.a1 : r.n1 ? r.a1 : null,
      admin2: a2 ? shown(a2, a2.a2) : r.n2,
      admin2_code: a2 ? a2.a2 : r.n2 ? r.a2 : null,
      location: r.level === 'c' ? country : r.level === '1' ? shown(r, r.a1) : r.level === '2' ? shown(r, r.a2) : r.name,
      latitude: r.lat,
      longitude: r.lon,
      level: LEVEL[r.level],
      geo_precision: PRECISION[r.level],
      population: r.pop,
    };
  }

  function prior(r: Row): number {
    switch (r.level) {
      case 'c':
        return 0.95;
      case '1':
        return 0.85;
      case '2':
        return 0.7;
      case 'l':
        return 0.4;
      case 'f':
        return 0.45;
      case 't':
        // A seat outranks the unit of the same name: "Kunduz" alone is the city (ACLED practice).
        return Math.min(0.45 + 0.07 * Math.log10(r.pop + 1), 0.9) + (SEATS.has(r.fcode) ? 0.15 : 0);
    }
  }

  /** Places a reader knows without context: countries, provinces/states, capitals, big cities. */
  function famous(r: Row): boolean {
    return r.level === 'c' || r.level === '1' || r.fcode === 'PPLC' || (r.level === 't' && r.pop >= 1_000_000);
  }

  function lookupUncached(name: string, ctx: GeoContext = {}): Candidate[] {
    const key = foldName(name);
    if (key.length < 2) return [];
    if (notPlaces.has(key) && !ctx.cue) return [];
    const ctxCountries = ctx.countries ?? [];
    const ctxAdmin1 = new Set((ctx.admin1 ?? []).map((a) => foldName(a)));
    const acronym = /^[A-Z.]{2,6}$/.test(name.trim());
    const best = new Map<number, Candidate & { how: Hit['how']; fcode: string; weak: boolean; inNamedProvince: boolean }>();
    // "Somali" in a Somali report is the people, not Ethiopia's Somali region: a demonym is a
    // place only by its exact name in the main country.
    const demonym = isDemonym(name.trim());
    const found = cachedHits(key, name, demonym ? { ...ctx, countries: [], within: null } : ctx, acronym).filter(
      (h) => !demonym || (h.how === 'name' && rows.at(h.row)?.iso2 === ctxCountries[0]),
    );
    const famousNamed = found.some((h) => h.how === 'name' && famous(rows.at(h.row) ?? ({} as Row)));
    // With no country to go by, a reader takes the famous place over a small town abroad:
    // "Veracruz" is Mexico's state, not a Brazilian seat of 27,000 of the same folded name.
    const famousIn = ctxCountries.length ? null : new Set(found.filter((h) => h.how === 'name' && famous(rows.at(h.row) ?? ({} as Row))).map((h) => rows.at(h.row)?.iso2));
    for (const h of found) {
      const r = rows.at(h.row);
      if (!r) continue;
      // A loose match is reported as a fuzzy one of its kind, so callers that distrust fuzzy matches distrust it too.
      const why: string[] = [h.how === 'fuzzy' ? `fuzzy(${h.dist})` : h.how === 'loose' ? `fuzzy(spelling ${h.dist})` : h.how];
      let s = prior(r);
      let weakAlt = false;
      let inNamedProvince = false;
      const ci = ctxCountries.indexOf(r.iso2);
      if (h.how === 'alias') s += 0.1;
      // The spelling as written beats a homonym that only folds the same ("Pervomaisk" over
      // Pervomaysk, "Brasileia" over Brasília).
      if ((h.how === 'name' || h.how === 'alt') && plain(name) === plain(r.name)) (s += 0.08), why.push('same spelling');
      if (h.how === 'fuzzy') s -= 0.15 + 0.05 * h.dist;
      if (famousIn?.size && !famous(r) && r.pop < 100_000 && !famousIn.has(r.iso2)) (s -= 0.1), why.push('a famous namesake elsewhere');
      if (h.how === 'loose') s -= 0.12 + 0.03 * Math.min(h.dist, 4);
      if (h.how === 'alt') {
        // Alternate names of lesser places are mostly other languages' words or names ("Day",
        // "Koran" for Klang, "Kabul" for Cabool, Missouri): weak when short, outside the main
        // country, or beside a famous place of that very name.
        // Outside the main country an alternate name of a town or district is another language's
        // word ("Green" for Green County, "Christian" for Christian County): never taken.
        if (!famous(r) && (r.level === 't' || r.level === '2') && ci !== 0 && ctxCountries.length) continue;
        const lesser = !famous(r) && r.level === 't';
        // With no country to go by, a sizeable town's other spelling is its exonym ("Patras" for Pátra).
        const abroad = ci !== 0 && (ctxCountries.length > 0 || r.pop < 100_000);
        const weak = lesser && (key.length < 5 || abroad || (r.pop < 100_000 && famousNamed));
        // Without a cue word ("Day village") a weak alternate is never taken as the place.
        if (weak && !ctx.cue) continue;
        s -= weak ? 0.3 : 0.05;
        if (weak) why.push('weak alternate');
        weakAlt = weak;
      }
      // Away from the main country a one-word name must be the place's own spelling: folding makes
      // "Zone" meet Zunyi and "Meitei" meet Mitte, which is fine for Pol-e Hesar at home only.
      // A province or district of another country the report names is no ordinary word: its
      // English spelling stands ("Gadabay" for Gǝdǝbǝy in a report naming Armenia first).
      if (ci !== 0 && r.level !== 'c' && !(ci > 0 && (r.level === '1' || r.level === '2')) && h.how === 'name' && !/\s/.test(name.trim()) && plain(name) !== plain(r.name)) continue;
      // The main country counts most; a country named once (a foreign actor, a demonym) is weak context.
      if (ci >= 0) (s += ci === 0 ? 0.3 : ci === 1 ? 0.2 : 0.12), why.push(ci === 0 ? 'in main country' : 'in report country');
      else if (ctxCountries.length && r.level !== 'c') {
        // Outside every report country only a famous place stands (Kabul named in a report about
        // US forces), or, when the countries are a guess, a unit or a place with a cue word just
        // across the border.
        const exact = h.how !== 'fuzzy' && h.how !== 'loose' && h.how !== 'alt';
        const across = ctx.guessed && (r.level === '1' || r.level === '2' || !!ctx.cue) && !!countries.get(ctxCountries[0] ?? '')?.neighbours?.includes(r.iso2);
        s -= exact && (famous(r) || across) ? 0.15 : 0.6;
        why.push('outside report countries');
      }
      if (ctxAdmin1.size) {
        const a1 = admin1Of(r);
        if (a1 && (ctxAdmin1.has(foldName(a1.name)) || ctxAdmin1.has(foldName(a1.a1)) || aliasHits(ctxAdmin1, a1))) {
          s += 0.2;
          why.push('in named province');
          inNamedProvince = true;
        }
      }
      if (ctx.cue) {
        if (ctx.cue === LEVEL[r.level]) (s += 0.25), why.push(`cue ${ctx.cue}`);
        else if (ctx.cue !== 'town' || r.level !== '2') s -= 0.15;
        // "X city" may name the district of the same name when GeoNames lacks the town.
      }
      const prev = best.get(h.row);
      if (!prev || prev.score < s) best.set(h.row, { place: toPlace(r), score: s, reason: why.join(', '), how: h.how, fcode: r.fcode, weak: weakAlt, inNamedProvince });
    }
    let cands = [...best.values()];
    // "Mexico" is the country before it is an alternate name of its capital.
    if (cands.some((c) => c.place.level === 'country' && (c.how === 'name' || c.how === 'alias'))) cands = cands.filter((c) => c.place.level === 'country' || c.how !== 'alt');
    // A province whose name is not its capital's: "Baghlan" is the province, not the town
    // Baghlan-e-Jadid; Kunduz, Herat, Ghazni (capitals sharing the name) and big cities (Lagos) stay cities.
    // A town named after another province of its country gives way too: "Hidalgo" is the Mexican
    // state before the town of Hidalgo, Nuevo León.
    if (ctx.cue !== 'town')
      for (const c of cands) {
        if (c.place.level !== 'town' || c.how === 'fuzzy' || c.how === 'loose') continue;
        const unit = cands.find((u) => u.place.level === 'admin1' && u.place.iso2 === c.place.iso2 && u.how !== 'fuzzy' && u.how !== 'loose');
        if (unit && c.fcode !== 'PPLA' && c.fcode !== 'PPLC' && c.place.population < 500_000 && c.score >= unit.score) {
          c.score = unit.score - 0.01;
          c.reason += ', province of that name';
        }
      }
    // An outside place does not stand against a real in-country match (by name or alias).
    if (ctxCountries.length && cands.some((c) => ctxCountries.includes(c.place.iso2) && (c.how === 'name' || c.how === 'alias') && c.score >= MIN_SCORE))
      for (const c of cands) if (!ctxCountries.includes(c.place.iso2)) c.score = Math.min(c.score, MIN_SCORE - 0.01);
    return cands
      .map(({ place, score, reason, how, weak, inNamedProvince }) => ({ place, score: Math.round(score * 1000) / 1000, reason, match: { how, weak, inNamedProvince } }))
      .sort((a, b) => b.score - a.score || b.place.population - a.place.population);
  }

  // A context province named by an alias ("Gezira") still counts.
  function aliasHits(ctxAdmin1: Set<string>, a1: Row): boolean {
    const a1Row = byCode.get(`1:${a1.a1}`);
    for (const k of ctxAdmin1) if (aliases.get(k)?.includes(a1Row ?? -1)) return true;
    return false;
  }

  // Kept by the name as written: the same names come back, and one probe spares the folding.
  const countryCode = memo((name: string) => countryCodeOfKey(foldName(name)));
  // A city spelled so is no demonym: "Chennai" folds like "China" + "i".
  const isDemonym = memo(
    (word: string) =>
      isDemonymOf(countryCode, word) &&
      !index.refs(foldName(word)).some(({ row }) => {
        const r = rows.at(row);
        return !!r && r.level === 't' && r.pop >= 100_000 && plain(r.name) === plain(word);
      }),
  );
  const hitsUncached = hits;
  const hitsCache = memo((k: string) => {
    const [key = '', name = '', main = '', within = '', cue = '', acronym = '', named = ''] = k.split('\u0000');
    return hitsUncached(key, name, { countries: main ? [main] : [], within: within || null, cue: (cue || null) as GeoContext['cue'], admin1: named ? [named] : [] }, acronym === '1');
  });
  const cachedHits = (key: string, name: string, ctx: GeoContext, acronym: boolean): Hit[] =>
    hitsCache([key, name, ctx.countries?.[0] ?? '', ctx.within ?? '', ctx.cue ?? '', acronym ? '1' : '', ctx.within && ctx.admin1?.length ? '1' : ''].join('\u0000'));

  // A word that can start a country's name leaves a key prefix that some country key has
  // (keyPrefix in src/geo/fold.ts): the keys with that prefix are a range of the sorted names.
  let aliasCountryKeys: string[] | null = null;
  function countryKeyStarts(prefix: string): boolean {
    aliasCountryKeys ??= [...aliases].filter(([, targets]) => targets.some(isCountryRow)).map(([k]) => k);
    if (aliasCountryKeys.some((k) => k.startsWith(prefix))) return true;
    // A short prefix opens a long range: past a thousand keys the answer is "may be". The
    // level is read off the row's line, as parsing would cache rows no lookup asked for.
    let seen = 0;
    for (const l of index.namesFrom(prefix)) {
      if (++seen > 1024) return true;
      if (l.slice(l.indexOf('\t') + 1).split(',').some((ref) => isCountryRow(parseInt(ref, 10)))) return true;
    }
    return false;
  }
  const mayStartCountry = memo((word: string) => {
    const prefix = keyPrefix(word);
    return !prefix || countryKeyStarts(prefix);
  });

  // Boundary packs add districts found by point and the user's imported units (src/geo/located.ts).
  const core = withBoundaries({
    lookup: lookupUncached,
    countryCodes: () => [...countries.keys()],
    countriesWithName(name) {
      const key = foldName(name);
      const found = new Set<string>();
      for (const row of [...(aliases.get(key) ?? []), ...index.refs(key).map((h) => h.row)]) {
        const r = rows.at(row);
        if (r && r.level !== 'c') found.add(r.iso2);
      }
      return [...found];
    },
    country(iso2) {
      const row = rows.at(byCode.get(`c:${iso2.toUpperCase()}`) ?? -1);
      const c = countries.get(iso2.toUpperCase());
      return row && c ? { ...toPlace(row), iso3: c.iso3 } : null;
    },
    countryCode,
    mayStartCountry,
    seat(admin1_code) {
      const row = seats().get(admin1_code);
      return row === undefined ? null : toPlace(rows.at(row)!);
    },
    isDemonym,
    isNotPlace: (name) => notPlaces.has(foldName(name)),
    cues: loadCues(config),
  }, { ...config, dataDir });
  return withSharedAnswers(core);

  // Seats by admin1 code, found once on first use: the towns GeoNames marks as a first-order
  // seat (PPLA), or the national capital (PPLC) for its own province.
  function seats(): Map<string, number> {
    if (seatRows) return seatRows;
    seatRows = new Map();
    for (let i = 0; i < index.rowCount; i++) {
      if (index.levelOf(i) !== 't') continue;
      const l = index.line(i)!;
      if (!l.includes('\tPPLA\t') && !l.includes('\tPPLC\t')) continue;
      const r = rows.at(i)!;
      if (r.level === 't' && r.a1 && (r.fcode === 'PPLC' || !seatRows.has(r.a1))) seatRows.set(r.a1, i);
    }
    return seatRows;
  }

  function countryCodeOfKey(key: string): string | null {
    for (const row of aliases.get(key) ?? []) if (isCountryRow(row)) return rows.at(row)!.iso2;
    for (const { row } of index.refs(key)) if (isCountryRow(row)) return rows.at(row)!.iso2;
    return null;
  }
}
