// Scores the gazetteer on a place-lookup test set (test/fixtures/geo/places.tsv): accuracy at
// country, admin1 and admin2 on the Afghan rows and on the rest, the share of traps left
// unanswered, and the lookup time per query.
import fs from 'node:fs';
import { foldName, MIN_SCORE, type Gazetteer, type GeoContext } from './gazetteer.js';
import { resolveQuery, type QueryWords } from './query.js';

export interface GeoCase {
  query: string;
  countries: string[];
  iso2: string | null;
  admin1: string | null;
  admin2: string | null;
  note: string;
  line: number;
}

export interface Tally {
  n: number;
  country: number;
  admin1: number;
  /** Rows with an expected admin2 and how many got it. */
  admin2N: number;
  admin2: number;
}

export interface GeoEvalResult {
  afghanistan: Tally;
  elsewhere: Tally;
  /** The same tallies by expected country (ISO2). */
  byCountry: Map<string, Tally>;
  traps: { n: number; unanswered: number; wrong: string[] };
  misses: string[];
  msPerQuery: number;
}

export function readGeoCases(file: string): GeoCase[] {
  const dash = (s: string | undefined) => (!s || s === '-' ? null : s);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => ({ l, line: i + 1 }))
    .filter(({ l }) => l.trim() && !l.startsWith('#'))
    .map(({ l, line }) => {
      const [query = '', ctx = '', iso2, admin1, admin2, note = ''] = l.split('\t');
      return { query, countries: dash(ctx)?.split(',') ?? [], iso2: dash(iso2), admin1: dash(admin1), admin2: dash(admin2), note, line };
    });
}

const tally = (): Tally => ({ n: 0, country: 0, admin1: 0, admin2N: 0, admin2: 0 });

/** A query with a tail ("Taizz, Yemen", "Andarab (Baghlan)") is the form `sitrep geocode` reads, not a name. */
const QUERY_FORM = /[,(]/;

/** Scores the set; rows written as query forms go through the geocode resolver (`words`: its query words). */
export function evalGeo(gaz: Gazetteer, cases: GeoCase[], words: QueryWords): GeoEvalResult {
  const res: GeoEvalResult = { afghanistan: tally(), elsewhere: tally(), byCountry: new Map(), traps: { n: 0, unanswered: 0, wrong: [] }, misses: [], msPerQuery: 0 };
  const t0 = performance.now();
  for (const c of cases) {
    // "Bankass cercle": a trailing cue word is what the places stage would pass as the cue.
    const parts = c.query.split(' ');
    const cueWord = parts.length > 1 ? gaz.cues.after.get((parts[parts.length - 1] ?? '').toLowerCase()) : undefined;
    const name = cueWord ? parts.slice(0, -1).join(' ') : c.query;
    const ctx: GeoContext = { countries: c.countries, cue: cueWord && cueWord.level !== '-' ? cueWord.level : null };
    const form = QUERY_FORM.test(c.query);
    const found = form ? resolveQuery(gaz, words, c.query, { countries: c.countries }).candidates : gaz.lookup(name, ctx);
    const best = found.find((x) => x.score >= MIN_SCORE);
    // A query form whose head is not found answers the country its tail names: no place.
    const p = form && best?.place.level === 'country' && !c.iso2 ? undefined : best?.place;
    const got = p ? `${p.location}/${p.admin2_code ?? ''}/${p.admin1}(${p.admin1_code})/${p.iso2}` : 'nothing';
    if (!c.iso2) {
      res.traps.n++;
      if (!p) res.traps.unanswered++;
      else res.traps.wrong.push(`line ${c.line} ${c.query} [${c.countries}] → ${got}`);
      continue;
    }
    let byCountry = res.byCountry.get(c.iso2);
    if (!byCountry) res.byCountry.set(c.iso2, (byCountry = tally()));
    const okCountry = p?.iso2 === c.iso2;
    const okAdmin1 = okCountry && (!c.admin1 || p.admin1_code === c.admin1 || foldName(p.admin1) === foldName(c.admin1));
    const okAdmin2 = okAdmin1 && (!c.admin2 || p.admin2_code === c.admin2);
    for (const t of [c.iso2 === 'AF' ? res.afghanistan : res.elsewhere, byCountry]) {
      t.n++;
      if (okCountry) t.country++;
      if (okAdmin1) t.admin1++;
      if (c.admin2) t.admin2N++;
      if (c.admin2 && okAdmin2) t.admin2++;
    }
    if (!okAdmin2) res.misses.push(`line ${c.line} ${c.query} [${c.countries}] want ${c.iso2}/${c.admin1 ?? '*'}/${c.admin2 ?? '*'} got ${got}`);
  }
  res.msPerQuery = (performance.now() - t0) / Math.max(cases.length, 1);
  return res;
}
