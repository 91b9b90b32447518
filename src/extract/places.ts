// Place mentions in one sentence: capitalised name sequences (with connectors such as -e-, de, al-),
// cue words around them ("Baghlan province", "the town of X") and ACLED-notes parentheticals
// ("Tuban district (Lahij)"), resolved with the gazetteer in the report's context.
import { wordCharAt } from '../core/tokens.js';
import type { Span, StageResult } from '../core/types.js';
import { MIN_SCORE, foldName, looseMatch, type Candidate, type Gazetteer, type GeoContext, type Match, type Place } from '../geo/gazetteer.js';
import type { Cue, Cues } from '../geo/cues.js';

export interface PlaceMention extends Span {
  place: Place;
  rule: string;
  cue: string | null;
  score: number;
  /** How the gazetteer matched the name (absent for places not looked up by name). */
  match?: Match;
}

// Lower-case words allowed inside a name: Persian connective, Romance/Arabic particles.
// Nouns that end the name of a facility or organisation.
const INSTITUTIONS = /^(?:college|university|school|academy|institute|hospital|clinic|airport|mosque|church|cathedral|temple|shrine|market|stadium|square|street|road|avenue|bridge|prison|jail|camp|base|barracks|ministry|council|court|company|bank|hotel|education|foundation|front|movement|party|brigade|battalion|army|cartel|wing|centre|center|office|station|investigations|commission|directorate|agency)$/;
// Nouns that open the name of a street or square in Romance languages (and French-style English).
const STREETS = /^(?:plaza|placa|praça|praca|place|piazza|avenida|avenue|av|calle|carrera|rua|rue|boulevard|paseo|parque|puente|largo|via)$/;
// Nouns that open the name of a city's neighbourhood ("Colonia San Francisco" of León is no town of Morelos).
const NEIGHBOURHOODS = /^(?:colonia|col|barrio|bairro|fraccionamiento|urbanización|urbanizacion)$/;
// Nouns after a name that make it a part of a town.
const QUARTER_AFTER = /^(?:neighborhood|neighbourhood|neighborhoods|neighbourhoods|community|quarter|suburb|colony|barrio|favela|slum)$/;
const CONNECTORS = new Set(['e', 'i', 'ye', 'de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'du', 'des', 'la', 'le', 'al', 'el', 'ad', 'ar', 'as', 'ash', 'az', 'wa', 'and', 'of', 'y', 'en', 'sur', 'am', 'an', 'der', 'los', 'las', 'les']);
const MAX_WORDS = 6;
// Patterns asked of every span, made once (a literal in a function is a new object per run).
const TITLE_GAP = /^\.?\s+$/;

// Words keep inner hyphens/apostrophes ("Pul-e-Khumri", "Ta'izz"); a trailing possessive is cut.
// A word is a run of letters, marks and digits ([\p{L}\p{M}\d] by code point, as a /u regex
// reads them) and further runs joined by one of ' ’ ʿ - ‐. It is read by character codes, as
// this runs over every sentence (and the whole report for countries): wordCharAt
// (src/core/tokens.ts) asks the regex once per character beyond ASCII.

// Punctuation between two words that ends a run of names; a connector needs none after it.
const RUN_BREAKS = new Set([...'.,;:!?()"“”'].map((c) => c.charCodeAt(0)));
const CONNECTOR_BREAKS = new Set([...'.,;:!?()'].map((c) => c.charCodeAt(0)));

/** Does text between from and to hold one of the characters? (It is read in place: most gaps are one space.) */
function holdsAny(text: string, from: number, to: number, chars: Set<number>): boolean {
  for (let k = from; k < to; k++) if (chars.has(text.charCodeAt(k))) return true;
  return false;
}

const isJoiner = (c: number) => c === 45 || c === 39 || c === 0x2019 || c === 0x2010 || c === 0x2bf;

/**
 * The words of a text: their bounds and whether each is capitalised, in typed arrays that each
 * reading refills (no object, array or string per word). Entries from n on are left over from
 * earlier texts. A reader owns its buffer while it reads the words: findPlaces and findCountries
 * each have their own, and neither is reentered (the gazetteer never calls back into them).
 */
class Words {
  n = 0;
  start = new Int32Array(256);
  end = new Int32Array(256);
  cap = new Uint8Array(256);

  /** Reads the words of text between from and to. */
  read(text: string, from: number, to: number): this {
    let n = 0;
    let i = from;
    while (i < to) {
      let w = wordCharAt(text, i, to);
      if (!w) {
        // The low half of a pair that is no letter is no letter alone either.
        i++;
        continue;
      }
      const start = i;
      // A word holds a '-' only as a joiner.
      let hyphen = false;
      i += w;
      for (;;) {
        while (i < to && (w = wordCharAt(text, i, to))) i += w;
        const c = text.charCodeAt(i);
        if (i + 1 < to && isJoiner(c) && (w = wordCharAt(text, i + 1, to))) {
          hyphen ||= c === 45;
          i += 1 + w;
        } else break;
      }
      let end = i;
      if (end - start >= 2 && text.charCodeAt(end - 1) === 115 && (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 0x2019)) end -= 2;
      if (n === this.start.length) this.grow();
      this.start[n] = start;
      this.end[n] = end;
      // "ul-Shuhada", "al-Asad": an article glued to a capitalised word continues a name.
      // Most words start with a plain ASCII letter or digit, which settles the question at once.
      const c = text.charCodeAt(start);
      this.cap[n] = +(c >= 65 && c <= 90 ? true : ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) && !hyphen ? false : capitalised(text.slice(start, end)));
      n++;
    }
    this.n = n;
    return this;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const [start, end, cap] = [new Int32Array(size), new Int32Array(size), new Uint8Array(size)];
    start.set(this.start);
    end.set(this.end);
    cap.set(this.cap);
    this.start = start;
    this.end = end;
    this.cap = cap;
  }
}

function capitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word) || /^(?:al|el|ul|ud|ad|ar|as|ash|az|an|at|bin|ibn)-\p{Lu}/u.test(word);
}

/** Does place p lie in one of the named units? Names count by spelling or by what they resolve to ("North Kivu" = Nord Kivu). */
function within(lookup: (name: string) => readonly Candidate[], p: Place, admins: string[]): boolean {
  const keys = new Set(admins.map(foldName));
  // The place's own name does not vouch for it: "Palma town (Palma, Cabo Delgado)" names the district after the town.
  if ([p.admin1, p.admin2].some((n) => n && keys.has(foldName(n)))) return true;
  // Any reading of the qualifier that holds the place will do: "(Mezam, North-West)" is
  // Cameroon's North-West for Bamenda even where South Africa's is the likelier alone.
  return admins.some((a) => lookup(a).some((c) => c.score >= MIN_SCORE && c.place.level !== 'town' && contains(c.place, p)));
}

function cueLevel(c: Cue | undefined): GeoContext['cue'] {
  return c && c.level !== '-' ? c.level : null;
}

/**
 * Is place `inner` inside place `outer` (same country and the units `outer` defines)? A town's
 * area is its district's for a village; a district "in Kandahar" is read as in the province.
 */
function contains(outer: Place, inner: Place): boolean {
  if (outer.iso2 !== inner.iso2) return false;
  if (outer.level === 'country') return true;
  if (outer.admin1_code !== inner.admin1_code) return false;
  if (outer.level === 'town') return inner.level !== 'town' || !outer.admin2_code || outer.admin2_code === inner.admin2_code;
  return outer.level !== 'admin2' || outer.admin2_code === inner.admin2_code;
}

// Between a name and the unit that holds it: a comma, after the name's cue words ("Tepeji, Hidalgo", "X municipality, Hidalgo").
const APPOSITION_GAP = /^(?:[ \t]+[a-z]+){0,2}[ \t]*,[ \t]*$/;

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

/** A span of capitalised words that may name a place, with the cue words around it. */
interface Raw {
  i: number;
  j: number;
  name: string;
  cue: Cue | null;
  cueText: string | null;
  runLen: number;
  /** Starts at a person marker: a place only when it matches exactly. */
  exact: boolean;
  runStart: number;
  runEnd: number;
  /** Where the name ends inside its first word ("Belgrade" of "Belgrade-Stari Grad"), if it does. */
  cut?: number;
}

type Asker = (name: string, cue: GeoContext['cue']) => readonly Candidate[];

const sentenceWords = new Words();
const reportWords = new Words();

export function findPlaces(gaz: Gazetteer, text: string, sentence: Span, ctx: GeoContext): StageResult<PlaceMention[]> {
  return { value: new SentencePlaces(gaz, text, sentence, ctx).mentions(), warnings: [] };
}

// The first word opens the sentence when only white space (as trimStart reads it) comes before it.
const LEADING_SPACE = /\s*/y;

/**
 * The place finder's reading of one sentence. Pass 1 finds spans; pass 2 resolves them, with
 * provinces named in the sentence (parentheticals, "X province") added to the context so
 * "Tuban district (Lahij)" lands in Lahij.
 */
class SentencePlaces {
  private readonly gaz: Gazetteer;
  private readonly text: string;
  private readonly ctx: GeoContext;
  private readonly cues: Cues;
  private readonly afterFirst: Set<string>;
  private readonly beforeFirst: Set<string>;
  private readonly words: Words;
  private readonly n: number;
  /** Words in lower case, for the word lists: only those near capitalised words are asked for. */
  private readonly lowers: string[];
  /** ACLED-notes parentheticals name the admin units of the place before them: "Tuban district (Lahij)". */
  private readonly parens: { start: number; end: number; admins: string[] }[];
  /** Does the first word open the sentence? */
  private readonly opening: boolean;
  /** Both passes ask about the same spans: the gazetteer's lookups by context, taken once. */
  private readonly askers = new Map<GeoContext, Asker>();
  private readonly raws: Raw[] = [];
  /** The context of pass 2. */
  private ctx2: GeoContext;

  constructor(gaz: Gazetteer, text: string, sentence: Span, ctx: GeoContext) {
    this.gaz = gaz;
    this.text = text;
    this.ctx = this.ctx2 = ctx;
    this.cues = gaz.cues;
    ({ afterFirst: this.afterFirst, beforeFirst: this.beforeFirst } = cueFirstWords(gaz.cues));
    this.words = sentenceWords.read(text, sentence.start, sentence.end);
    this.n = this.words.n;
    this.lowers = new Array<string>(this.n);
    const paren = text.indexOf('(', sentence.start);
    this.parens =
      paren >= 0 && paren < sentence.end
        ? [...text.slice(sentence.start, sentence.end).matchAll(/\(([^()]{2,80})\)/g)].map((m) => ({
            start: sentence.start + m.index,
            end: sentence.start + m.index + m[0].length,
            admins: parentheticalAdmins(m[0]),
          }))
        : [];
    LEADING_SPACE.lastIndex = sentence.start;
    LEADING_SPACE.exec(text);
    this.opening = this.n > 0 && LEADING_SPACE.lastIndex === this.words.start[0];
  }

  mentions(): PlaceMention[] {
    this.findSpans();
    const { ctx, raws, text } = this;
    if (!raws.length) return [];
    const named = ctx.admin1 ? [...ctx.admin1] : [];
    for (const p of this.parens) named.push(...p.admins);
    for (const r of raws) if (cueLevel(r.cue ?? undefined) === 'admin1') named.push(r.name);
    // With nothing named, the second pass asks in the first pass's context (and gets its answers).
    if (named.length) this.ctx2 = { ...ctx, admin1: named };
    const settled = this.appositions();
    const out: PlaceMention[] = [];
    const seen = new Set<string>();
    for (const r of raws) {
      const res = settled.get(r) ?? this.resolve(r, this.ctx2, true);
      if (!res) continue;
      const p = res.place;
      const id = `${p.level}|${p.iso2}|${p.admin1_code}|${p.admin2_code}|${p.location}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const start = this.words.start[r.i]!;
      const end = r.cut ?? this.words.end[r.j - 1]!;
      // The gazetteer's answers are shared: the mention gets its own place.
      out.push({ start, end, text: text.slice(start, end), place: { ...p }, rule: `gazetteer: ${res.reason}${r.cue ? ` (${r.cue.where})` : ''}`, cue: r.cueText, score: res.score, ...(res.match ? { match: res.match } : {}) });
    }
    return out;
  }

  /**
   * "in Acatlan, Hidalgo", "in Mineral Chico municipality, Hidalgo": a name, a comma, then a
   * province or district is the place inside that unit, the way addresses are written. The unit is
   * read as the unit (not Chihuahua's town of Guerrero), and a namesake of the place elsewhere
   * gives way to the one inside it. A list ("in Kabul, Herat and Balkh") has no place inside the
   * next name, and is left as it is.
   */
  private appositions(): Map<Raw, Candidate> {
    const settled = new Map<Raw, Candidate>();
    const { raws, text, words } = this;
    for (let k = 0; k + 1 < raws.length; k++) {
      const r = raws[k]!;
      const unit = raws[k + 1]!;
      const gap = text.slice(words.end[r.j - 1]!, words.start[unit.i]!);
      if (gap.length > 40 || !APPOSITION_GAP.test(gap)) continue;
      const outer = this.unitNamed(unit.name);
      if (!outer) continue;
      const best = this.resolve(r, this.ctx2, true);
      const inside =
        best && contains(outer.place, best.place)
          ? best
          : this.lookup(r.name, { ...this.ctx2, admin1: [outer.place.admin1] }, cueLevel(r.cue ?? undefined)).find((x) => x.score >= MIN_SCORE && contains(outer.place, x.place));
      if (!inside) continue;
      settled.set(r, inside);
      settled.set(unit, outer);
    }
    return settled;
  }

  /** The province or district a name is read as, after a comma; a city that is a province of its own ("Ciudad de Mexico") is that province. */
  private unitNamed(name: string): Candidate | null {
    const found = this.lookup(name, this.ctx2, 'admin1').filter((c) => c.score >= MIN_SCORE);
    const unit = found.find((c) => c.place.level === 'admin1' || c.place.level === 'admin2');
    if (unit) return unit;
    return found[0] ? this.provinceOfCity(found[0].place) : null;
  }

  /**
   * The province a city is of its own ("Mexico City"), if it is one: named alike and in no
   * district (Farah city is in Farah district, a part of Farah province).
   */
  private provinceOfCity(city: Place): Candidate | null {
    if (city.level !== 'town' || !city.admin1 || city.admin2_code || foldName(city.location) !== foldName(city.admin1)) return null;
    return this.lookup(city.admin1, this.ctx2, 'admin1').find((c) => c.place.level === 'admin1' && c.place.admin1_code === city.admin1_code) ?? null;
  }

  private lower(i: number): string {
    return i < 0 || i >= this.n ? '' : (this.lowers[i] ??= this.text.slice(this.words.start[i], this.words.end[i]).toLowerCase());
  }

  /** The words from one to another (as far as there are words), joined by spaces. */
  private wordsText(from: number, to: number): string {
    const { start, end } = this.words;
    let out = '';
    for (let x = from; x < to && x < this.n; x++) out += (x > from ? ' ' : '') + this.text.slice(start[x], end[x]);
    return out;
  }

  private lookup(name: string, c: GeoContext, cue: GeoContext['cue']): readonly Candidate[] {
    let ask = this.askers.get(c);
    if (!ask) this.askers.set(c, (ask = this.gaz.lookupIn(c)));
    return ask(name, cue);
  }

  /** The cue of three words starting at word j ("Local Government Area"), if any. */
  private threeWordCue(j: number): Cue | undefined {
    const first = this.lower(j);
    return this.afterFirst.has(first) ? this.cues.after.get(`${first} ${this.lower(j + 1)} ${this.lower(j + 2)}`) : undefined;
  }

  private cueBefore(i: number): Cue | null {
    return this.beforeFirst.has(this.lower(i - 2)) ? (this.cues.before.get(`${this.lower(i - 2)} ${this.lower(i - 1)}`) ?? null) : null;
  }

  private personWord(i: number): 'title' | 'first' | null {
    return this.cues.persons.get(this.lower(i)) ?? null;
  }

  /** A title right before word i ("President Ashraf Ghani", "commander Qassem Soleimani", "Mr. Saleh"). */
  private afterTitle(i: number): boolean {
    return i > 0 && this.personWord(i - 1) === 'title' && TITLE_GAP.test(this.text.slice(this.words.end[i - 1], this.words.start[i]));
  }

  /** Pass 1: the longest resolving spans of each run of capitalised words. */
  private findSpans(): void {
    const { text, gaz, cues, n, raws } = this;
    const { start, end, cap } = this.words;
    let i = 0;
    while (i < n) {
      if (!cap[i]) {
        i++;
        continue;
      }
      // A run of capitalised words joined by connectors; a cue word ends it, unless the run and
      // the cue word make one name ("United States", "Islamic State").
      let j = i + 1;
      while (j < n && j - i < MAX_WORDS) {
        if (holdsAny(text, end[j - 1]!, start[j]!, RUN_BREAKS)) break;
        if (cap[j]) {
          const cueHere = cues.after.has(this.lower(j)) || this.threeWordCue(j) !== undefined; // "Local Government Area"
          if (!cueHere) {
            j++;
            continue;
          }
          const joined = text.slice(start[i], end[j]);
          if (gaz.countryCode(joined) || gaz.isNotPlace(joined)) {
            j++;
            continue;
          }
        }
        // One or two connectors: "Qala-e-Zal", "Chilpancingo de los Bravo".
        const two = CONNECTORS.has(this.lower(j + 1)) && !cap[j + 1] && !holdsAny(text, end[j]!, start[j + 1]!, CONNECTOR_BREAKS) ? 1 : 0;
        const next = j + 1 + two;
        if (CONNECTORS.has(this.lower(j)) && next < n && cap[next] && !holdsAny(text, end[next - 1]!, start[next]!, CONNECTOR_BREAKS)) j = next + 1;
        else break;
      }
      if (this.afterTitle(i)) {
        i = j;
        continue;
      }
      // Inside the run, take the longest sub-span from the left that resolves, then continue after it.
      const runStart = i;
      const runEnd = j;
      const threeAfter = this.threeWordCue(j);
      const after = threeAfter ?? this.cues.after.get(this.lower(j));
      const afterText = after ? this.wordsText(j, j + (threeAfter ? 3 : 1)) : null;
      let k = i;
      while (k < j) {
        if (!cap[k]) {
          k++;
          continue;
        }
        // From a title or a given name on, the run is a person ("Hassan Ali Khaire") unless a
        // longer span from there is itself a place ("Mohammad Agha", "Sayed Abad").
        const person = this.personWord(k) !== null;
        // A demonym names a people, unless a unit word follows it alone ("Somali region", "Afar zone").
        const unitAfter = j === k + 1 && (after?.level === 'admin1' || after?.level === 'admin2');
        if (!person && !unitAfter && gaz.isDemonym(text.slice(start[k], end[k]))) {
          k++;
          continue;
        }
        const before = k === i ? this.cueBefore(k) : null;
        let taken = 0;
        for (let e = j; e > k + (person ? 1 : 0); e--) {
          if (CONNECTORS.has(this.lower(e - 1))) continue;
          const cue = e === j ? (after ?? before) : before;
          const cueText = e === j && after ? afterText : before ? `${this.lower(k - 2)} ${this.lower(k - 1)}` : null;
          const r: Raw = { i: k, j: e, name: text.slice(start[k], end[e - 1]), cue, cueText, runLen: this.segmentLength(k, e, runStart, runEnd), exact: person, runStart, runEnd };
          if (this.resolve(r, this.ctx, false)) {
            raws.push(r);
            taken = e - k;
            break;
          }
        }
        if (person && !taken) break;
        // "Belgrade-Stari Grad", "Zagreb-Tresnjevka": a city joined to its quarter's name is the
        // city; two places joined ("the Abuja-Kaduna train") are a route, not where it was.
        if (!taken && !person && k === i) {
          const word = text.slice(start[k], end[k]);
          const dash = word.indexOf('-');
          const rest = word.slice(dash + 1).split('-')[0]!;
          if (dash > 2 && /^\p{Lu}/u.test(rest)) {
            const r: Raw = { i: k, j: k + 1, name: word.slice(0, dash), cue: null, cueText: null, runLen: 1, exact: false, runStart, runEnd, cut: start[k]! + dash };
            const found = this.resolve(r, this.ctx, false);
            const route = () => {
              const other = this.resolve({ ...r, name: rest }, this.ctx, false)?.place;
              return !!other && (other.level !== 'town' || other.population >= 100_000);
            };
            if (found && found.place.level === 'town' && found.place.population >= 100_000 && !route()) raws.push(r);
          }
        }
        k += taken || 1;
      }
      i = j;
    }
  }

  /**
   * "Imam Sahib and Qala-e-Zal" is two names unless the whole resolves ("Jammu and Kashmir"):
   * a span that fills its side of an "and" is not a part of a longer name.
   */
  private segmentLength(from: number, to: number, runStart: number, runEnd: number): number {
    if (from === runStart && to === runEnd) return runEnd - runStart;
    let a = from;
    while (a > runStart && this.lower(a - 1) !== 'and') a--;
    let b = to;
    while (b < runEnd && this.lower(b) !== 'and') b++;
    return b - a;
  }

  // Loops, not some/find: asked of every span, they need no closure per span.
  private inParens(pos: number): boolean {
    for (const p of this.parens) if (pos > p.start && pos < p.end) return true;
    return false;
  }

  /** The parenthetical that qualifies a name: the next one, within a short phrase ("X area of Y district (Z)"). */
  private qualifier(pos: number): { admins: string[] } | undefined {
    for (const p of this.parens) if (p.start > pos && p.start - pos <= 60 && !/[.;]/.test(this.text.slice(pos, p.start))) return p;
    return undefined;
  }

  private resolve(r: Raw, c: GeoContext, final: boolean): Candidate | null {
    const name = r.name;
    const at = this.words.start[r.i]!;
    const parenthetical = this.inParens(at);
    // A bare name in a parenthetical is a province/state ("(Lahij)"), not the town of that name.
    const cue = cueLevel(r.cue ?? undefined) ?? (parenthetical ? 'admin1' : null);
    if (!cue && this.gaz.isNotPlace(name)) return null;
    // The name with its cue word may be a name of its own: "Kurdistan Region", "West Wellega Zone".
    const withCue = r.cueText ? this.lookup(`${name} ${r.cueText}`, c, cue).find((x) => x.match?.how === 'name' || x.match?.how === 'alias') : undefined;
    const best = withCue && withCue.score >= MIN_SCORE ? withCue : this.lookup(name, c, cue)[0];
    if (!best || best.score < MIN_SCORE) return null;
    const loose = looseMatch(best.match);
    // A span that starts at a person marker is a place only when it matches exactly.
    if (r.exact && loose) return null;
    // Outside the units the sentence's parenthetical names, a match is a homonym ("Ar Rubat" of Lahij ≠ Marbat of Shabwah).
    // A parenthetical whose names resolve to no unit ("(UP)", "(J&K)" when unknown) says nothing either way.
    const q = parenthetical ? undefined : this.qualifier(at);
    const units = final && q ? q.admins.filter((a) => this.lookup(a, c, 'admin1').some((x) => x.score >= MIN_SCORE && x.place.level !== 'town')) : [];
    if (units.length && !within((a) => this.lookup(a, c, 'admin1'), best.place, units)) return null;
    // "X area of Y", "X district in Y": X lies in Y. A namesake elsewhere gives way to the X
    // inside Y ("Arghandab district in Kandahar" is Kandahar's, not Zabul's); with "of", an X
    // that has none there is no place ("Dasht-e-Barchi area of western Kabul" is no village in Kunduz).
    if (final) {
      const outer = this.containerOf(r);
      if (outer && !contains(outer, best.place)) {
        const inOuter = this.lookup(name, { ...c, admin1: [outer.admin1] }, cue).filter((x) => x.score >= MIN_SCORE);
        // A city that is a province of its own holds its boroughs ("the Cuauhtemoc area of Mexico City").
        const wider = this.provinceOfCity(outer)?.place;
        const inside = inOuter.find((x) => contains(outer, x.place)) ?? (wider && inOuter.find((x) => contains(wider, x.place)));
        if (inside) return inside;
        if (outer.joiner === 'of') return null;
      }
    }
    // A part of a longer capitalised run ("Hamid" of "Hamid Karzai") must be a unit or a sizeable town, matched exactly.
    const partial = r.j - r.i < r.runLen && !r.cue;
    // Inside the name of a facility, after other words ("Shehu Shagari College of Education"),
    // a place name is part of the name; at its start it says where ("Kabul University").
    if (partial && r.i > r.runStart && INSTITUTIONS.test(this.lower(r.runEnd - 1))) return null;
    // At its start, only a name matched as spelt says where ("Penal and Criminal Investigations" is no Piñal).
    if ((loose || best.match?.how === 'alt') && r.j < r.runEnd && INSTITUTIONS.test(this.lower(r.runEnd - 1))) return null;
    // Streets and squares named after people put the noun first: "Plaza de Bolívar", "Avenue Habib Bourguiba".
    if (partial && this.afterStreetNoun(r)) return null;
    if (NEIGHBOURHOODS.test(this.lower(r.runStart)) && r.runEnd - r.runStart > 1) return null;
    // "Sao Geraldo neighborhood", "the Linha community": a part of a town, whose name is no town elsewhere.
    if (r.j === r.runEnd && QUARTER_AFTER.test(this.lower(r.runEnd))) return null;
    if (partial && (loose || best.score < 0.9 || (best.place.level === 'town' && best.place.population < 50000))) return null;
    // With a cue word the whole run is the name: a part of it matched only by another spelling
    // or language's name is none ("Rio" of "the village of Rio Atari" is no Rio de Janeiro).
    if (r.cue && r.j - r.i < r.runLen && (loose || best.match?.how === 'alt')) return null;
    // A lone word opening the sentence is often an ordinary capitalised word ("Meanwhile", "There").
    const first = r.i === 0 && r.j - r.i === 1 && this.opening;
    if (first && !r.cue && (loose || best.score < 0.8)) return null;
    return best;
  }

  /** Is a street or square noun before the span, in its run ("Bogotá's Plaza de Bolívar")? */
  private afterStreetNoun(r: Raw): boolean {
    for (let k = r.i - 1; k >= r.runStart && k >= r.i - 3; k--) if (STREETS.test(this.lower(k))) return true;
    return false;
  }

  /**
   * The place named after "X area of [western] Y" or "X district in Y", resolved, if any. A name
   * without its own cue may be followed by the rest of its name, a parenthetical and then the cue:
   * "the Taqchi (Taqcha) area of Pashtun Zarghun", "the Qaisar Kuhadanak of Farah city".
   */
  private containerOf(r: Raw): (Place & { joiner: string }) | null {
    let m = r.j + (r.cueText?.split(' ').length ?? 0);
    if (!r.cue) {
      const { start, cap } = this.words;
      for (let k = 0; k < 3 && m < this.n && (this.inParens(start[m]!) || (cap[m] && !this.raws.some((x) => x.i === m))); k++) m++;
      if (this.cues.after.has(this.lower(m))) m++;
    }
    const joiner = this.lower(m);
    if (joiner !== 'of' && joiner !== 'in') return null;
    m++;
    while (SIDE_WORDS.has(this.lower(m))) m++;
    const inner = this.raws.find((x) => x.i === m);
    if (!inner || inner === r) return null;
    let place = this.resolve({ ...inner, cue: null, cueText: null, runLen: inner.j - inner.i }, this.ctx2, false)?.place;
    // "Mexico City" without its cue is a country.
    if (place?.level === 'country' && inner.cue?.level === 'town') place = this.resolve(inner, this.ctx2, false)?.place;
    return place ? { ...place, joiner } : null;
  }
}

/** ISO2 of the countries a text names (names and aliases), most mentioned first, then by first mention. */
export function findCountries(gaz: Gazetteer, text: string): string[] {
  const { start, end, cap, n: words } = reportWords.read(text, 0, text.length);
  const counts = new Map<string, { n: number; first: number }>();
  for (let i = 0; i < words; i++) {
    // Most capitalised words begin no country's name: one question turns them away.
    if (!cap[i] || !gaz.mayStartCountry(text.slice(start[i], end[i]))) continue;
    // Longest name of up to 5 words starting here ("Democratic Republic of the Congo").
    for (let n = Math.min(5, words - i); n >= 1; n--) {
      if (!cap[i + n - 1]) continue;
      const code = gaz.countryCode(text.slice(start[i], end[i + n - 1]));
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
