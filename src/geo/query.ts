// Place queries as people type them: "Taizz, Yemen", "Jaghuri, Ghazni, Afghanistan", "Nawa
// district, Helmand", "As Sukhnah (Homs)", "Sabzi Kar, Balkh", a country by name, ISO2 or ISO3.
// The head is the name looked up; the tail (after commas, or in parentheses) names the units it
// lies in and restricts the answer to them. A tail that is no known unit is said in the notes.
// When the head is found nowhere inside the tail's units, the answer is the narrowest unit the
// query names (geo_precision 2 or 3), with the reason saying so.
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';
import { foldName } from './fold.js';
import { MIN_SCORE, type Candidate, type Gazetteer, type GeoContext, type Place } from './gazetteer.js';

export interface ParsedQuery {
  /** The name to match, without its cue word. */
  head: string;
  /** The name as written, cue word included ("Cape Town", "Kurdistan Region" are names of their own). */
  whole: string;
  /** What the head's cue word says ("Nawa district" → admin2). */
  cue: GeoContext['cue'];
  /** The units named after the head, narrowest first ("Jaghuri, Ghazni, Afghanistan" → Ghazni, Afghanistan). */
  tails: { text: string; name: string; cue: GeoContext['cue'] }[];
}

export interface QueryAnswer {
  /** Ranked candidates inside the query's units, best first; the unit itself when the head is found nowhere there. */
  candidates: Candidate[];
  /** The head when it was not found and the answer is a unit the query names; null otherwise. */
  unresolved: string | null;
  /** What the query said that was not used ("tail \"Xyz\" is no known unit"). */
  notes: string[];
}

/** The words of rules/geo/query_words.tsv: what stands at or near a place ("X Airport", "Western X"). */
export interface QueryWords {
  after: string[];
  before: string[];
}

export function loadQueryWords(config: Config): QueryWords {
  const after: string[] = [];
  const before: string[] = [];
  for (const { cols } of readRuleFile(config, 'geo/query_words.tsv')) {
    const [words = '', pos = ''] = cols;
    (pos === 'before' ? before : after).push(words.toLowerCase());
  }
  // Longest first, so "military base" is dropped whole before "base".
  const byLength = (a: string, b: string) => b.length - a.length;
  return { after: after.sort(byLength), before: before.sort(byLength) };
}

/** A cue word at the end of a name ("Nawa district", "Balkh province"), taken off. */
function withoutCue(gaz: Gazetteer, text: string): { name: string; cue: GeoContext['cue'] } {
  const t = text.trim();
  const words = t.split(/\s+/);
  for (const n of [3, 2, 1]) {
    if (words.length <= n) continue;
    const cue = gaz.cues.after.get(words.slice(-n).join(' ').toLowerCase());
    if (cue) return { name: words.slice(0, -n).join(' '), cue: cue.level === '-' ? null : cue.level };
  }
  // "the city of X", "X city" at the front: a before-cue of two words.
  const lead = words.length > 2 ? gaz.cues.before.get(words.slice(0, 2).join(' ').toLowerCase()) : undefined;
  if (lead) return { name: words.slice(2).join(' '), cue: lead.level === '-' ? null : lead.level };
  return { name: t, cue: null };
}

export function parseQuery(gaz: Gazetteer, query: string): ParsedQuery {
  const q = query.replace(/\s+/g, ' ').trim();
  let head = q;
  const tailTexts: string[] = [];
  // "Place (Admin2, Admin1)" and "Place (Admin1), Country": the parenthetical first, then the rest.
  // q is trimmed with single spaces: the head is the text before "(" without its end spaces, the
  // rest after ")" without its lead ones (absent when empty), each read once (the ReDoS check).
  const paren = /^([^()]*[^()\s])\s*\(([^()]*)\)\s*(\S.*)?$/.exec(q);
  if (paren) {
    head = paren[1] ?? '';
    tailTexts.push(...(paren[2] ?? '').split(/[,;]/));
    tailTexts.push(...(paren[3] ?? '').split(/[,;]/));
  } else {
    const parts = q.split(/[,;]/);
    head = parts[0] ?? '';
    tailTexts.push(...parts.slice(1));
  }
  const h = withoutCue(gaz, head);
  const tails = tailTexts.map((t) => t.trim()).filter(Boolean).map((text) => ({ text, ...withoutCue(gaz, text) }));
  return { head: h.name, whole: head.trim(), cue: h.cue, tails };
}

// ISO3 codes by gazetteer, found once.
const iso3Tables = new WeakMap<Gazetteer, Map<string, string>>();
function iso3Table(gaz: Gazetteer): Map<string, string> {
  let t = iso3Tables.get(gaz);
  if (!t) {
    t = new Map();
    for (const c of gaz.countryCodes()) {
      const iso3 = gaz.country(c)?.iso3;
      if (iso3) t.set(iso3, c);
    }
    iso3Tables.set(gaz, t);
  }
  return t;
}

/** ISO2 of the country a tail names: its name or alias, ISO3 or ISO2, in any case; null if none. */
export function countryOfText(gaz: Gazetteer, text: string): string | null {
  const t = text.trim();
  const byName = gaz.countryCode(t);
  if (byName) return byName;
  const up = t.toUpperCase();
  if (/^[A-Z]{3}$/.test(up)) return iso3Table(gaz).get(up) ?? null;
  if (/^[A-Z]{2}$/.test(up) && gaz.country(up)) return up;
  return null;
}

/** Is place `inner` inside `outer` (a country, admin1 or admin2; a town stands for its district, else its province)? */
export function placeWithin(outer: Place, inner: Place): boolean {
  if (outer.iso2 !== inner.iso2) return false;
  if (outer.level === 'country') return true;
  const sameUnit = (a: string | null, an: string, b: string | null, bn: string) => (a && b ? a === b : !!an && foldName(an) === foldName(bn));
  if (!sameUnit(outer.admin1_code, outer.admin1, inner.admin1_code, inner.admin1)) return false;
  if (outer.level === 'admin2' || (outer.level === 'town' && outer.admin2_code)) return sameUnit(outer.admin2_code, outer.admin2, inner.admin2_code, inner.admin2);
  return true;
}

const LEVEL_WORD: Record<Place['level'], string> = { country: 'country', admin1: 'province', admin2: 'district', town: 'place' };

/** A town as a query's outermost tail ("Rohini, Delhi") must be at least this big. */
const TAIL_TOWN_POP = 100_000;

/** The narrowest unit a tail names inside the region so far; null when it names none. */
function unitOfTail(gaz: Gazetteer, tail: ParsedQuery['tails'][number], region: Place | null, ctx: GeoContext): Candidate | null {
  const iso2 = region?.iso2;
  const cands = gaz
    .lookup(tail.name, { countries: iso2 ? [iso2] : (ctx.countries ?? []), within: iso2 ?? null, cue: tail.cue ?? 'admin1', admin1: ctx.admin1 })
    .filter((c) => c.score >= MIN_SCORE && c.place.level !== 'country' && (!region || placeWithin(region, c.place)));
  const unit = cands.find((c) => c.place.level === 'admin1' || c.place.level === 'admin2');
  // With no country known yet, a tail is a province or district, or a city a reader knows: not
  // any hamlet of that name ("Taizz, Yemen, Asia" is not in Asia, Philippines).
  return unit ?? cands.find((c) => region || c.place.population >= TAIL_TOWN_POP) ?? null;
}

const scoreOf = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Resolves a query in the caller's context (the report's countries; the CLI's --country). With a
 * tail, only places inside the units it names are answered; without one, this is the
 * gazetteer's lookup of the whole text.
 */
export function resolveQuery(gaz: Gazetteer, words: QueryWords, query: string, ctx: GeoContext = {}): QueryAnswer {
  const notes: string[] = [];
  // No letter, no name ("0,-30" is two plain numbers, not a place and its tail).
  if (!/\p{L}/u.test(query)) return { candidates: [], unresolved: null, notes };
  const parsed = parseQuery(gaz, query);
  // The tails from the broadest (last) to the narrowest: the country, then its units.
  let region: Place | null = null;
  let regionWhy = '';
  for (const tail of [...parsed.tails].reverse()) {
    const country = region ? null : countryOfText(gaz, tail.name);
    if (country) {
      region = gaz.country(country);
      regionWhy = `in ${region?.country ?? country} (query)`;
      continue;
    }
    const unit = unitOfTail(gaz, tail, region, ctx);
    if (!unit) {
      notes.push(`"${tail.text}" is no known unit${region ? ` of ${region.location}` : ''}; not used`);
      continue;
    }
    // A town in the tail stands for the district (else the province) it lies in.
    region = unit.place;
    regionWhy = `in ${unit.place.location}${unit.place.level === 'town' ? ` (${unit.place.admin2 || unit.place.admin1})` : ''} (query)`;
  }
  const headCtx: GeoContext = {
    countries: region ? [region.iso2, ...(ctx.countries ?? []).filter((c) => c !== region!.iso2)] : (ctx.countries ?? []),
    admin1: region && region.level !== 'country' ? [region.admin1, ...(ctx.admin1 ?? [])] : ctx.admin1,
    cue: parsed.cue ?? ctx.cue ?? null,
    within: region?.iso2 ?? ctx.within ?? null,
  };
  const inside = (c: Candidate) => !region || placeWithin(region, c.place);
  const note = (c: Candidate, extra = ''): Candidate => ({ ...c, reason: [c.reason, extra, region ? regionWhy : ''].filter(Boolean).join(', ') });
  if (!parsed.head) return { candidates: region ? [{ place: region, score: 1, reason: 'the query names the unit' }] : [], unresolved: null, notes };

  // The name with its cue word may be a name of its own: "Cape Town", "Kurdistan Region".
  if (parsed.whole !== parsed.head) {
    const whole = gaz.lookup(parsed.whole, { ...headCtx, cue: null }).filter((c) => inside(c) && c.score >= MIN_SCORE && /^(name|alias)/.test(c.reason));
    if (whole.length) return { candidates: whole.map((c) => note(c)), unresolved: null, notes };
  }
  let found = gaz.lookup(parsed.head, headCtx).filter(inside);
  if (found.some((c) => c.score >= MIN_SCORE)) return { candidates: found.map((c) => note(c)), unresolved: null, notes };

  // The name with what stands at or near the place dropped: "Donetsk Airport", "Hama - Airbase";
  // "City-Quarter" ("Delhi-Rohini") is the quarter when it lies in the city's province, else the city.
  const parts = nameParts(parsed.head, words);
  const first = (name: string, keep: (c: Candidate) => boolean) => gaz.lookup(name, headCtx).filter((c) => c.score >= MIN_SCORE && inside(c) && keep(c));
  const answer = (cands: Candidate[], why: string): QueryAnswer => ({ candidates: cands.map((c) => note({ ...c, score: scoreOf(c.score - 0.05) }, why)), unresolved: null, notes });
  if (parts.stripped) {
    const got = first(parts.stripped.name, () => true);
    if (got.length) return answer(got, parts.stripped.why);
  }
  if (parts.city) {
    const city = first(parts.city.name, () => true);
    const province = city[0]?.place;
    for (const q of parts.quarters) {
      const got = first(q.name, (c) => !province || (c.place.iso2 === province.iso2 && c.place.admin1_code === province.admin1_code));
      if (got.length) return answer(got, q.why);
    }
    if (city.length) return answer(city, parts.city.why);
  }
  // Found nowhere inside the units the query names: the narrowest of them, said so.
  if (region) {
    const level = region.level === 'town' ? 'place' : LEVEL_WORD[region.level];
    return {
      candidates: [{ place: region, score: 0.6, reason: `"${parsed.head}" not found; the ${level} the query names, ${region.location}` }],
      unresolved: parsed.head,
      notes,
    };
  }
  // No country anywhere (neither the query nor the caller names one): a spelling variant or a
  // lesser place's other name is looked for in each country as if the report were about it
  // ("Garmsir" is Afghanistan's Garmser, "Maidan Shar" its Maydan Shahr).
  if (!ctx.countries?.length) {
    const abroad = inSomeCountry(gaz, parsed.head, headCtx.cue ?? null);
    if (abroad.length) return { candidates: abroad, unresolved: null, notes };
  }
  return { candidates: found, unresolved: null, notes };
}

/**
 * The name looked up with each country that has it (exactly, as a name, other name or alias) in
 * turn as the report's: the best answer of each, best first, marked down as no country was
 * named. One country alone is answered; where several have the name, the best leads only with
 * a clear lead. Spelling variants are not sought abroad: across every country the loose and
 * fuzzy steps found the right country for one answer in four (ACLED places without the country).
 */
function inSomeCountry(gaz: Gazetteer, name: string, cue: GeoContext['cue']): Candidate[] {
  const best: Candidate[] = [];
  for (const iso2 of gaz.countriesWithName(name)) {
    const c = gaz.lookup(name, { countries: [iso2], cue }).find((x) => x.place.iso2 === iso2 && x.score >= MIN_SCORE);
    if (c) best.push(c);
  }
  best.sort((a, b) => b.score - a.score);
  const [first, second] = best;
  if (!first) return [];
  const clear = !second || first.score - second.score >= 0.1;
  const why = best.length === 1 ? 'no country named; the only country with the name' : `no country named; best of ${best.length} countries`;
  return best.map((c, i) => ({ ...c, score: scoreOf(c.score - 0.3 - (i === 0 && clear ? 0 : 0.5)), reason: `${c.reason.replace(', in main country', '')}, ${why}` }));
}

/** A part of a name and what was dropped to get it. */
export interface NamePart {
  name: string;
  why: string;
}

/**
 * Shorter names a place name may be found by: with words for what stands at or near a place
 * dropped ("Donetsk Airport" → Donetsk) and trailing numbers ("Zolote-5"); and the city and
 * quarters of "City - Quarter" and "City-Quarter" ("Delhi-Rohini": Delhi, Rohini).
 */
export function nameParts(name: string, words: QueryWords): { stripped: NamePart | null; city: NamePart | null; quarters: NamePart[] } {
  // The lookbehinds start a match where its run starts (as the leftmost match does anyway), not
  // at each character of a run that is not at the end: linear (the ReDoS check).
  const clean = (n: string) => n.replace(/^[\s\-–—,.]+|(?<![\s\-–—,.])[\s\-–—,.]+$/g, '');
  const strip = (n: string): { name: string; dropped: string[] } => {
    let t = clean(n);
    const dropped: string[] = [];
    for (let changed = true; changed; ) {
      changed = false;
      const low = t.toLowerCase();
      const num = /(?<![\s\-–—#])[\s\-–—#]*(?<!\d)\d+(?:\s*\/\s*\d+)?$/.exec(t);
      if (num && num.index > 0) {
        dropped.push(num[0].trim().replace(/^[-–—#\s]+/, ''));
        t = clean(t.slice(0, num.index));
        changed = true;
        continue;
      }
      for (const w of words.after)
        if (low.endsWith(` ${w}`) || low.endsWith(`-${w}`)) {
          dropped.push(w);
          t = clean(t.slice(0, t.length - w.length - 1));
          changed = true;
          break;
        }
      if (changed) continue;
      for (const w of words.before)
        if (low.startsWith(`${w} `)) {
          dropped.push(w);
          t = clean(t.slice(w.length + 1));
          changed = true;
          break;
        }
    }
    return { name: t, dropped };
  };
  const usable = (n: string) => n.length >= 3 && foldName(n).length >= 3 && foldName(n) !== foldName(name);
  const whole = strip(name);
  const stripped = whole.dropped.length && usable(whole.name) ? { name: whole.name, why: `"${whole.dropped.join(' ')}" dropped` } : null;
  // "Hama - Airbase", "Ar-Raqqa - Tishrine": spaced dashes part a place from what is there;
  // "Delhi-Rohini": a hyphen before a capital parts a city from its quarter.
  const spaced = whole.name.split(/(?<!\s)\s+[-–—]\s+/);
  const pieces = spaced.length > 1 ? spaced : whole.name.split(/-(?=\p{Lu})/u);
  if (pieces.length < 2) return { stripped, city: null, quarters: [] };
  const why = `part of "${name}"`;
  const [head = '', ...rest] = pieces.map((p) => strip(p).name);
  return {
    stripped,
    city: usable(head) ? { name: head, why } : null,
    quarters: rest.filter(usable).map((q) => ({ name: q, why })),
  };
}
