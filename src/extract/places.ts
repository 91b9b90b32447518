// Place mentions in one sentence: capitalised name sequences (with connectors such as -e-, de, al-),
// cue words around them ("Baghlan province", "the town of X") and ACLED-notes parentheticals
// ("Tuban district (Lahij)"), resolved with the gazetteer in the report's context.
import type { Span, StageResult } from './types.js';
import { MIN_SCORE, foldName, type Candidate, type Gazetteer, type GeoContext, type Place } from '../geo/gazetteer.js';
import type { Cue, Cues } from '../geo/cues.js';

export interface PlaceMention extends Span {
  place: Place;
  rule: string;
  cue: string | null;
  score: number;
}

interface Token {
  start: number;
  end: number;
  text: string;
  cap: boolean;
}

// Lower-case words allowed inside a name: Persian connective, Romance/Arabic particles.
// Nouns that end the name of a facility or organisation.
const INSTITUTIONS = /^(?:college|university|school|academy|institute|hospital|clinic|airport|mosque|church|cathedral|temple|shrine|market|stadium|square|street|road|avenue|bridge|prison|jail|camp|base|barracks|ministry|council|court|company|bank|hotel|education|foundation|front|movement|party|brigade|battalion|army|cartel|wing)$/;
const CONNECTORS = new Set(['e', 'i', 'ye', 'de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'du', 'des', 'la', 'le', 'al', 'el', 'ad', 'ar', 'as', 'ash', 'az', 'wa', 'and', 'of', 'y', 'en', 'sur', 'am', 'an', 'der']);
const MAX_WORDS = 6;

// Words keep inner hyphens/apostrophes ("Pul-e-Khumri", "Ta'izz"); a trailing possessive is cut.
// A word is a run of letters, marks and digits ([\p{L}\p{M}\d] by code point, as a /u regex
// reads them) and further runs joined by one of ' ’ ʿ - ‐. It is read by character codes, as
// this runs over every sentence (and the whole report for countries): beyond ASCII the regex
// is asked once per character.
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
/** Word-ness of BMP code units: 0 not yet asked, 1 yes, 2 no. */
const bmpWord = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) bmpWord[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 2;

/** Code units (1 or 2) of the word character at i, within text.slice(0, to); 0 when it is none. */
function wordCharAt(text: string, i: number, to: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return LETTER_OR_MARK.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  // A lone surrogate is no letter either.
  if (!bmpWord[c]) bmpWord[c] = LETTER_OR_MARK.test(String.fromCharCode(c)) ? 1 : 2;
  return bmpWord[c] === 1 ? 1 : 0;
}

// Punctuation between two words that ends a run of names; a connector needs none after it.
const RUN_BREAKS = new Set([...'.,;:!?()"“”'].map((c) => c.charCodeAt(0)));
const CONNECTOR_BREAKS = new Set([...'.,;:!?()'].map((c) => c.charCodeAt(0)));

/** Does text between from and to hold one of the characters? (It is read in place: most gaps are one space.) */
function holdsAny(text: string, from: number, to: number, chars: Set<number>): boolean {
  for (let k = from; k < to; k++) if (chars.has(text.charCodeAt(k))) return true;
  return false;
}

const isJoiner = (c: number) => c === 45 || c === 39 || c === 0x2019 || c === 0x2010 || c === 0x2bf;

function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    let w = wordCharAt(text, i, to);
    if (!w) {
      // The low half of a pair that is no letter is no letter alone either.
      i++;
      continue;
    }
    const start = i;
    i += w;
    for (;;) {
      while (i < to && (w = wordCharAt(text, i, to))) i += w;
      if (i + 1 < to && isJoiner(text.charCodeAt(i)) && (w = wordCharAt(text, i + 1, to))) i += 1 + w;
      else break;
    }
    let end = i;
    if (end - start >= 2 && text.charCodeAt(end - 1) === 115 && (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 0x2019)) end -= 2;
    const word = text.slice(start, end);
    // "ul-Shuhada", "al-Asad": an article glued to a capitalised word continues a name.
    // Most words start with a plain ASCII letter or digit, which settles the question at once.
    const c = word.charCodeAt(0);
    const cap =
      c >= 65 && c <= 90
        ? true
        : ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) && !word.includes('-')
          ? false
          : /^\p{Lu}/u.test(word) || /^(?:al|el|ul|ud|ad|ar|as|ash|az|an|at|bin|ibn)-\p{Lu}/u.test(word);
    out.push({ start, end, text: word, cap });
  }
  return out;
}

/** Does place p lie in one of the named units? Names count by spelling or by what they resolve to ("North Kivu" = Nord Kivu). */
function within(lookup: Lookup, p: Place, admins: string[], ctx: GeoContext): boolean {
  const keys = new Set(admins.map(foldName));
  // The place's own name does not vouch for it: "Palma town (Palma, Cabo Delgado)" names the district after the town.
  if ([p.admin1, p.admin2].some((n) => n && keys.has(foldName(n)))) return true;
  // Any reading of the qualifier that holds the place will do: "(Mezam, North-West)" is
  // Cameroon's North-West for Bamenda even where South Africa's is the likelier alone.
  return admins.some((a) => lookup(a, ctx, 'admin1').some((c) => c.score >= MIN_SCORE && c.place.level !== 'town' && contains(c.place, p)));
}

type Lookup = (name: string, ctx: GeoContext, cue: GeoContext['cue']) => Candidate[];

function cueLevel(c: Cue | undefined): GeoContext['cue'] {
  return c && c.level !== '-' ? c.level : null;
}

/** Is place `inner` inside place `outer` (same country and the units `outer` defines)? */
function contains(outer: Place, inner: Place): boolean {
  if (outer.iso2 !== inner.iso2) return false;
  if (outer.level === 'country') return true;
  if (outer.admin1_code !== inner.admin1_code) return false;
  return outer.level !== 'admin2' || outer.admin2_code === inner.admin2_code;
}

// Words between "X area of" and the place that contains X ("the Dasht-e-Barchi area of western Kabul").
const SIDE_WORDS = new Set(['northern', 'southern', 'eastern', 'western', 'central', 'north', 'south', 'east', 'west', 'the', 'downtown', 'rural', 'greater']);

/** Names inside parentheses, e.g. "(Jammu district, Jammu and Kashmir)": they constrain the places before them. */
function parentheticalAdmins(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/\(([^()]{2,80})\)/g))
    for (const part of (m[1] ?? '').split(/[,;]/)) {
      const name = part.replace(/\b(province|district|region|state|governorate|oblast|county|cercle|department|zone)\b/gi, '').trim();
      if (/^\p{Lu}/u.test(name)) out.push(name);
    }
  return out;
}

// The first words of the cues of several words: a word that is none of them starts no such cue,
// as words hold no spaces. Found once per cue table.
const firstWords = new WeakMap<Cues, { afterFirst: Set<string>; beforeFirst: Set<string> }>();
function cueFirstWords(cues: Cues): { afterFirst: Set<string>; beforeFirst: Set<string> } {
  let found = firstWords.get(cues);
  if (!found) {
    const first = (m: Map<string, Cue>) => new Set([...m.keys()].filter((k) => k.includes(' ')).map((k) => k.slice(0, k.indexOf(' '))));
    firstWords.set(cues, (found = { afterFirst: first(cues.after), beforeFirst: first(cues.before) }));
  }
  return found;
}

export function findPlaces(gaz: Gazetteer, text: string, sentence: Span, ctx: GeoContext): StageResult<PlaceMention[]> {
  const warnings: string[] = [];
  // Both passes ask about the same spans: each question goes to the gazetteer once per sentence,
  // filed under its context (the sentence's one or two) and cue.
  const asked = new Map<GeoContext, Map<string, Candidate[]>>();
  const lookup: Lookup = (name, c, cue) => {
    let answers = asked.get(c);
    if (!answers) asked.set(c, (answers = new Map()));
    const key = `${cue ?? ''}\u0000${name}`;
    let found = answers.get(key);
    if (!found) answers.set(key, (found = gaz.lookup(name, { ...c, cue })));
    return found;
  };
  const CUES = gaz.cues;
  const toks = tokenize(text, sentence.start, sentence.end);
  const sentenceText = text.slice(sentence.start, sentence.end);
  // Words in lower case, for the word lists: only those near capitalised words are asked for.
  const lowers: string[] = new Array<string>(toks.length);
  const lower = (i: number): string => (i < 0 || i >= toks.length ? '' : (lowers[i] ??= toks[i]?.text.toLowerCase() ?? ''));
  const firstWordStart = sentence.start + (sentenceText.length - sentenceText.trimStart().length);
  // ACLED-notes parentheticals name the admin units of the place before them: "Tuban district (Lahij)".
  const parens = (sentenceText.includes('(') ? [...sentenceText.matchAll(/\(([^()]{2,80})\)/g)] : []).map((m) => ({
    start: sentence.start + m.index,
    end: sentence.start + m.index + m[0].length,
    admins: parentheticalAdmins(m[0]),
  }));
  const inParens = (pos: number) => parens.some((p) => pos > p.start && pos < p.end);
  // The parenthetical that qualifies a name: the next one, within a short phrase ("X area of Y district (Z)").
  const qualifier = (pos: number) => parens.find((p) => p.start > pos && p.start - pos <= 60 && !/[.;]/.test(text.slice(pos, p.start)));
  const parenAdmins = parens.flatMap((p) => p.admins);

  const { afterFirst, beforeFirst } = cueFirstWords(CUES);
  // Cue after a span: one or three words ("district", "Local Government Area").
  function cueAfter(j: number): [Cue, number] | null {
    const three = afterFirst.has(lower(j)) ? CUES.after.get(`${lower(j)} ${lower(j + 1)} ${lower(j + 2)}`) : undefined;
    if (three) return [three, 3];
    const one = CUES.after.get(lower(j));
    return one ? [one, 1] : null;
  }
  function cueBefore(i: number): Cue | null {
    return beforeFirst.has(lower(i - 2)) ? (CUES.before.get(`${lower(i - 2)} ${lower(i - 1)}`) ?? null) : null;
  }

  const PERSONS = CUES.persons;
  const personWord = (i: number) => PERSONS.get(lower(i)) ?? null;
  // A title right before a run ("President Ashraf Ghani", "commander Qassem Soleimani", "Mr. Saleh").
  const afterTitle = (i: number) => i > 0 && personWord(i - 1) === 'title' && /^\.?\s+$/.test(text.slice(toks[i - 1]?.end ?? 0, toks[i]?.start ?? 0));

  // Pass 1 finds spans; pass 2 resolves them, with provinces named in the sentence (parentheticals,
  // "X province") added to the context so "Tuban district (Lahij)" lands in Lahij.
  interface Raw { i: number; j: number; cue: Cue | null; cueText: string | null; runLen: number; exact?: boolean; runStart: number; runEnd: number }
  const raws: Raw[] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i];
    if (!t?.cap) {
      i++;
      continue;
    }
    // A run of capitalised words joined by connectors; a cue word ends it, unless the run and
    // the cue word make one name ("United States", "Islamic State").
    let j = i + 1;
    while (j < toks.length && j - i < MAX_WORDS) {
      const tj = toks[j];
      const prev = toks[j - 1];
      if (!tj || !prev || holdsAny(text, prev.end, tj.start, RUN_BREAKS)) break;
      const joined = () => text.slice(t.start, tj.end);
      const cueHere = CUES.after.has(lower(j)) || (cueAfter(j)?.[1] ?? 0) > 1; // "Local Government Area"
      if (tj.cap && (!cueHere || gaz.countryCode(joined()) || gaz.isNotPlace(joined()))) j++;
      else if (CONNECTORS.has(lower(j)) && toks[j + 1]?.cap && !holdsAny(text, tj.end, toks[j + 1]?.start ?? tj.end, CONNECTOR_BREAKS)) j += 2;
      else break;
    }
    if (afterTitle(i)) {
      i = j;
      continue;
    }
    // "Imam Sahib and Qala-e-Zal" is two names unless the whole resolves ("Jammu and Kashmir"):
    // a span that fills its side of an "and" is not a part of a longer name.
    const runStart = i;
    const runEnd = j;
    const segmentLength = (from: number, to: number): number => {
      if (from === runStart && to === runEnd) return runEnd - runStart;
      let a = from;
      while (a > runStart && lower(a - 1) !== 'and') a--;
      let b = to;
      while (b < runEnd && lower(b) !== 'and') b++;
      return b - a;
    };
    // Inside the run, take the longest sub-span from the left that resolves, then continue after it.
    let k = i;
    while (k < j) {
      if (!toks[k]?.cap) {
        k++;
        continue;
      }
      // From a title or a given name on, the run is a person ("Hassan Ali Khaire") unless a
      // longer span from there is itself a place ("Mohammad Agha", "Sayed Abad").
      const person = personWord(k) !== null;
      if (!person && gaz.isDemonym(toks[k]?.text ?? '')) {
        k++;
        continue;
      }
      let taken = 0;
      for (let e = j; e > k + (person ? 1 : 0); e--) {
        if (CONNECTORS.has(lower(e - 1))) continue;
        const after = e === j ? cueAfter(e) : null;
        const before = k === i ? cueBefore(k) : null;
        raws.push({ i: k, j: e, cue: after?.[0] ?? before, cueText: after ? toks.slice(e, e + after[1]).map((x) => x.text).join(' ') : before ? `${lower(k - 2)} ${lower(k - 1)}` : null, runLen: segmentLength(k, e), exact: person, runStart, runEnd });
        const r = raws[raws.length - 1];
        if (r && resolve(r, ctx, false)) {
          taken = e - k;
          break;
        }
        raws.pop();
      }
      if (person && !taken) break;
      k += taken || 1;
    }
    i = j;
  }

  const named = [...(ctx.admin1 ?? []), ...parenAdmins];
  for (const r of raws) if (cueLevel(r.cue ?? undefined) === 'admin1') named.push(spanText(r));
  // With nothing named, the second pass asks in the first pass's context (and gets its answers).
  const ctx2: GeoContext = named.length ? { ...ctx, admin1: named } : ctx;

  function spanText(r: Raw): string {
    return text.slice(toks[r.i]?.start ?? 0, toks[r.j - 1]?.end ?? 0);
  }
  function resolve(r: Raw, c: GeoContext, final: boolean): { place: Place; score: number; reason: string } | null {
    const name = spanText(r);
    const parenthetical = inParens(toks[r.i]?.start ?? 0);
    // A bare name in a parenthetical is a province/state ("(Lahij)"), not the town of that name.
    const cue = cueLevel(r.cue ?? undefined) ?? (parenthetical ? 'admin1' : null);
    if (!cue && gaz.isNotPlace(name)) return null;
    // The name with its cue word may be a name of its own: "Kurdistan Region", "West Wellega Zone".
    const withCue = r.cueText ? lookup(`${name} ${r.cueText}`, c, cue).find((x) => /^(name|alias)/.test(x.reason)) : undefined;
    const best = withCue && withCue.score >= MIN_SCORE ? withCue : lookup(name, c, cue)[0];
    if (!best || best.score < MIN_SCORE) return null;
    const loose = /fuzzy|weak alternate/.test(best.reason);
    // A span that starts at a person marker is a place only when it matches exactly.
    if (r.exact && loose) return null;
    // Outside the units the sentence's parenthetical names, a match is a homonym ("Ar Rubat" of Lahij ≠ Marbat of Shabwah).
    const q = parenthetical ? undefined : qualifier(toks[r.i]?.start ?? 0);
    if (final && q?.admins.length && !within(lookup, best.place, q.admins, c)) return null;
    // "X area of Y", "X district in Y": X lies in Y. A namesake elsewhere gives way to the X
    // inside Y ("Arghandab district in Kandahar" is Kandahar's, not Zabul's); with "of", an X
    // that has none there is no place ("Dasht-e-Barchi area of western Kabul" is no village in Kunduz).
    if (final && r.cue) {
      const outer = containerOf(r);
      if (outer && !contains(outer, best.place)) {
        const inside = lookup(name, { ...c, admin1: [outer.admin1] }, cue).find((x) => x.score >= MIN_SCORE && contains(outer, x.place));
        if (inside) return inside;
        if (outer.joiner === 'of') return null;
      }
    }
    // A part of a longer capitalised run ("Hamid" of "Hamid Karzai") must be a unit or a sizeable town, matched exactly.
    const partial = r.j - r.i < r.runLen && !r.cue;
    // Inside the name of a facility, after other words ("Shehu Shagari College of Education"),
    // a place name is part of the name; at its start it says where ("Kabul University").
    if (partial && r.i > r.runStart && INSTITUTIONS.test(lower(r.runEnd - 1))) return null;
    if (partial && (loose || best.score < 0.9 || (best.place.level === 'town' && best.place.population < 50000))) return null;
    // A lone word opening the sentence is often an ordinary capitalised word ("Meanwhile", "There").
    const first = toks[r.i]?.start === toks[0]?.start && r.j - r.i === 1 && toks[0]?.start === firstWordStart;
    if (first && !r.cue && (loose || best.score < 0.8)) return null;
    return best;
  }
  /** The place named after "X area of [western] Y" or "X district in Y", resolved, if any. */
  function containerOf(r: Raw): (Place & { joiner: string }) | null {
    let m = r.j + (r.cueText?.split(' ').length ?? 0);
    const joiner = lower(m);
    if (joiner !== 'of' && joiner !== 'in') return null;
    m++;
    while (SIDE_WORDS.has(lower(m))) m++;
    const inner = raws.find((x) => x.i === m);
    if (!inner || inner === r) return null;
    const place = resolve({ ...inner, cue: null, cueText: null }, ctx2, false)?.place;
    return place ? { ...place, joiner } : null;
  }

  const out: PlaceMention[] = [];
  const seen = new Set<string>();
  for (const r of raws) {
    const res = resolve(r, ctx2, true);
    if (!res) continue;
    const p = res.place;
    const id = `${p.level}|${p.iso2}|${p.admin1_code}|${p.admin2_code}|${p.location}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const start = toks[r.i]?.start ?? 0;
    const end = toks[r.j - 1]?.end ?? 0;
    out.push({ start, end, text: text.slice(start, end), place: p, rule: `gazetteer: ${res.reason}${r.cue ? ` (${r.cue.where})` : ''}`, cue: r.cueText, score: res.score });
  }
  return { value: out, warnings };
}

/** ISO2 of the countries a text names (names and aliases), most mentioned first, then by first mention. */
export function findCountries(gaz: Gazetteer, text: string): string[] {
  const toks = tokenize(text, 0, text.length);
  const counts = new Map<string, { n: number; first: number }>();
  for (let i = 0; i < toks.length; i++) {
    // Most capitalised words begin no country's name: one question turns them away.
    if (!toks[i]?.cap || !gaz.mayStartCountry(toks[i]?.text ?? '')) continue;
    // Longest name of up to 5 words starting here ("Democratic Republic of the Congo").
    for (let n = Math.min(5, toks.length - i); n >= 1; n--) {
      const last = toks[i + n - 1];
      const first = toks[i];
      if (!first || !last || !last.cap) continue;
      const code = gaz.countryCode(text.slice(first.start, last.end));
      if (!code) continue;
      const c = counts.get(code) ?? { n: 0, first: i };
      c.n++;
      counts.set(code, c);
      i += n - 1;
      break;
    }
  }
  return [...counts].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first).map(([code]) => code);
}
