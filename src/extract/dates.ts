// Dates in a sentence, resolved against the publication date, and the report's own dateline.
// chrono-node does the parsing; what it cannot know about news (reports describe the past,
// "last week" means an ACLED week, "a day after X" points at X) comes from rules/dates/*.tsv.
import * as chrono from 'chrono-node';
import type { ParsingContext, ParsingResult } from 'chrono-node';
import type { Config } from '../config.js';
import { readRuleFile } from '../core/rulefiles.js';
import { blank } from '../core/spans.js';
import { PatternSet } from './patternset.js';
import { parseNumber, type FatalityRules } from './fatalities.js';
import type { Span, StageResult } from '../core/types.js';
import type { DateMention } from './types.js';
import { addDays, daysBetween, fromMs, lastDayOfMonth, monthNumber, weekday, ymd } from '../core/days.js';

type RelKind =
  | 'published'
  | 'anchor'
  | 'anchor-n'
  | 'acled-week'
  | 'weekdays-last'
  | 'weekend'
  | 'this-month'
  | 'last-month'
  | 'past-weeks';
const REL_KINDS = new Set<string>([
  'published', 'anchor', 'anchor-n', 'acled-week', 'weekdays-last', 'weekend', 'this-month', 'last-month', 'past-weeks',
]);

interface RelRule { kind: RelKind; re: RegExp; offset: number; precision: 1 | 2 | 3; where: string }
interface MonthPart { re: RegExp; day: number; where: string }
/** The rules, and their patterns searched together: the month parts, then the relative rules, then the non-dates. */
export interface DateRules {
  relative: RelRule[];
  monthParts: MonthPart[];
  nonDates: RegExp[];
  set: PatternSet;
  /** Number words ("two weeks ago"), read with the fatality rules' table. */
  numbers: FatalityRules;
}

/** Reads the date rule files (with a user's rule directories); number words come from the fatality rules. */
export function loadDateRules(config: Config, numbers: FatalityRules): DateRules {
  const relative: RelRule[] = [];
  for (const r of readRuleFile(config, 'dates/relative.tsv')) {
    const [kind, re, offset, precision] = r.cols;
    if (!kind || !REL_KINDS.has(kind) || !re) throw new Error(`${r.where}: bad relative-date rule`);
    const p = Number(precision);
    relative.push({
      kind: kind as RelKind,
      re: new RegExp(re, 'gi'),
      offset: Number(offset ?? 0),
      precision: p === 2 || p === 3 ? p : 1,
      where: r.where,
    });
  }
  const monthParts = readRuleFile(config, 'dates/monthparts.tsv').map((r) => ({
    re: new RegExp(`\\b(?:${r.cols[0] ?? ''})\\s*${MONTH_RE}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    day: Number(r.cols[1]),
    where: r.where,
  }));
  const nonDates = readRuleFile(config, 'dates/nondates.tsv').map((r) => new RegExp(r.cols[0] ?? '', 'gi'));
  const set = new PatternSet([...monthParts.map((r) => r.re), ...relative.map((r) => r.re), ...nonDates]);
  return { relative, monthParts, nonDates, set, numbers };
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?';

// ---- chrono with a prefer-past refiner ----
// chrono picks the closest date: with a Saturday reference "on Sunday" is tomorrow and
// "on August 30" the coming one. News describes the past, so an uncertain weekday or a
// yearless date that lands after the reference is moved back a week or a year.
const preferPast = {
  refine(context: ParsingContext, results: ParsingResult[]): ParsingResult[] {
    const ref = fromMs(context.reference.instant.getTime());
    for (const r of results) {
      for (const c of r.end ? [r.start, r.end] : [r.start]) {
        const weekdayOnly = c.isCertain('weekday') && !c.isCertain('day');
        // Only a weekday or a yearless date can move: the others need no date worked out.
        if (!weekdayOnly && !(c.isCertain('month') && !c.isCertain('year'))) continue;
        const date = fromMs(c.date().getTime());
        if (date <= ref) continue;
        if (weekdayOnly) {
          const back = addDays(date, -7);
          const [y, m, d] = back.split('-').map(Number) as [number, number, number];
          c.imply('year', y).imply('month', m).imply('day', d);
          r.addTag('chrono:weekday-prefer-past');
        } else if (c.isCertain('month') && !c.isCertain('year')) {
          c.imply('year', Number(date.slice(0, 4)) - 1);
          r.addTag('chrono:yearless-prefer-past');
        }
      }
    }
    return results;
  },
};

function buildParser(): chrono.Chrono {
  const p = chrono.casual.clone();
  // Slash dates day-first ("30/08/2021", "5/8/2020" = 5 August): conflict reporting outside the
  // US writes them so. chrono's en.GB instance has the little-endian slash parser; the rest of
  // en.GB is not used because it drops "August 30".
  const gbSlash = chrono.en.GB.parsers.find((x) => x.constructor.name === 'SlashDateFormatParser');
  const i = p.parsers.findIndex((x) => x.constructor.name === 'SlashDateFormatParser');
  if (gbSlash && i >= 0) p.parsers[i] = gbSlash;
  p.refiners.push(preferPast);
  return p;
}
const parser = buildParser();

// chrono runs every parser over the whole text, and most need a word or a digit a given
// sentence lacks: such a parser finds nothing there, so it is left out. Exact: a parser that
// finds nothing adds no result, and the others' results are sorted by position (stably, in
// parser order) before any refiner sees them. Each test is a superset of what the parser's
// pattern requires (chrono 2.10, English); a parser not listed always runs.
const MONTH_WORD = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;
const DIGIT = /\d/;
const PARSER_NEEDS: Record<string, RegExp> = {
  ENYearMonthDayParser: DIGIT,
  ISOFormatParser: DIGIT,
  SlashDateFormatParser: DIGIT,
  ENSlashMonthFormatParser: DIGIT,
  ENTimeExpressionParser: DIGIT,
  ENMonthNameLittleEndianParser: MONTH_WORD,
  ENMonthNameMiddleEndianParser: MONTH_WORD,
  ENMonthNameParser: MONTH_WORD,
  ENYearMonthNameParser: MONTH_WORD,
  ENWeekdayParser: /sun|mon|tue|wed|thu|fri|sat|weekend|weekday/i,
  ENCasualDateParser: /now|today|tonight|tomorrow|overmorrow|tmr|yesterday|last\s*night/i,
  ENCasualTimeParser: /morning|afternoon|evening|night|midnight|midday|noon/i,
  ENEndOfCurrentMonthParser: /month/i,
  ENTimeUnitWithinFormatParser: /within|in|for/i,
  ENTimeUnitAgoFormatParser: /ago|before|earlier/i,
  ENTimeUnitLaterFormatParser: /later|after|from now|henceforth|forward|out/i,
  ENRelativeDateFormatParser: /this|last|past|next|after/i,
  ENTimeUnitCasualRelativeFormatParser: /this|last|past|next|after|\+|-/,
};
// Each distinct test runs once (five parsers need a digit) and enables the parsers (bits) that need it.
const ALWAYS_RUN = parser.parsers.reduce((mask, p, i) => (PARSER_NEEDS[p.constructor.name] ? mask : mask | (1 << i)), 0);
const NEEDS = [...new Set(Object.values(PARSER_NEEDS))].map((re) => ({
  re,
  parsers: parser.parsers.reduce((mask, p, i) => (PARSER_NEEDS[p.constructor.name] === re ? mask | (1 << i) : mask), 0),
}));
// One parser per set of parsers a text can use, built on first need.
const parsersFor = new Map<number, chrono.Chrono>();

function parseDates(text: string, ref: chrono.ParsingReference): chrono.ParsedResult[] {
  let mask = ALWAYS_RUN;
  for (const n of NEEDS) if (n.re.test(text)) mask |= n.parsers;
  let p = parsersFor.get(mask);
  if (!p) {
    p = parser.clone();
    p.parsers = parser.parsers.filter((_, i) => mask & (1 << i));
    parsersFor.set(mask, p);
  }
  return p.parse(text, ref);
}

// Every date expression chrono or rules/dates/*.tsv can read has a digit, a month or weekday
// name, or one of these words. The digit is looked for alone first: a scan for one character
// is far quicker than for the words, and most sentences with a date have one.
const MAY_HOLD_DATE = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|yester|today|tonight|overnight|night|last|ago|earlier|later|previous|prior|week|month|year|day|morning|evening|afternoon|dawn|dusk|noon|hours?|recent|past|next|this|fortnight|spring|summer|autumn|fall|winter|christmas|eid|ramadan/i;

// What chrono needs to give a date findDates keeps (a day, weekday or month, a range, or an
// "ago"/"later" offset): read from chrono 2.10's English parsers and refiners. Chrono reads a
// bare figure ("12 people") or a time of day alone ("at night") too, but nothing kept comes of
// it, so a sentence has to hold one of these (checked on the dev, held-out and bench corpora:
// every sentence left out gives no kept result):
// - a month or weekday name (also after a figure or a glued "in"/"of"/ordinal: "5May", "inMay"),
//   "weekend", "weekday";
// - a casual day ("now", "today", "last night"...), "month" ("end of the month", "this month");
// - figures joined by a date separator ("30/08/2021", "2021-08-30", "2021 8 30");
// - a range: "to", "-", "until"... before a figure or a time or duration word ("5 to 10" is
//   10 May's 5-10 o'clock to chrono);
// - a duration before "ago", "before", "earlier", "later", "after", or after "after" (up to three
//   whole words between: a word split into pieces matches nothing more, and splitting it every
//   way was cubic in its length).
const MONTH_NAME = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY_NAME = '(?:sun(?:day)?|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|week(?:end|day))';
const TIME_UNIT = '(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mos?|mon|months?|qtr|quarters?|y|yrs?|years?)';
// Only tested, never read: a leading "no letter before" is matched as a character (or the start),
// which irregexp rejects far faster at each offset than a lookbehind (7.2 -> 4.8 ms a pass, measured).
const CHRONO_MAY = new RegExp(
  [
    `(?:^|[^a-z])(?:in|of|st|nd|rd|th)?${MONTH_NAME}(?![a-z])`,
    `(?:^|[^a-z])${WEEKDAY_NAME}(?![a-z])`,
    '\\b(?:now|today|tonight|tomorrow|overmorrow|tmrw?|yesterday|last\\s*night|month)\\b',
    '\\bthis\\s*mos?\\b',
    '(?:last\\s+day|end)\\s+of\\s',
    '\\d\\s*[\\s/.\\-]\\s*\\d',
    '(?:[-–~〜?]|to|until|through|till)\\s*(?:\\d|[+-]|noon|midnight|midday|morning|afternoon|evening|night|(?:this|last|past|next|after|within|in|for|at|from)\\b)',
    `(?:^|[^a-z])${TIME_UNIT}\\s{0,5}(?:ago|before|earlier|later|after)\\b`,
    `\\bafter\\s*(?:(?:about|around)\\s{0,3})?(?:[a-z]+(?![a-z])\\s{0,3}){0,3}?(?:\\d|(?<![a-z])${TIME_UNIT}(?![a-z]))`,
  ].join('|'),
  'i',
);


// A month named alone is a date only when written as one ("in May", "during March 2019"),
// not the noun or verb "march", nor "may".
const MONTH_ALONE_LEADIN = /\b(?:in|during|since|until|till|by|of|throughout|from|through|mid-?)\s*$/i;

/** Date expressions in one sentence, resolved against the publication date (YYYY-MM-DD). anchor: the date of the sentence's main event when known (for "the previous day", "a day after", "hours later"). */
export function findDates(R: DateRules, text: string, sentence: Span, published: string, anchor?: string | null): StageResult<DateMention[]> {
  const warnings: string[] = [];
  const out: DateMention[] = [];
  const s = text.slice(sentence.start, sentence.end);
  // Most sentences hold no date at all; one cheap look spares them the parser.
  if (!DIGIT.test(s) && !MAY_HOLD_DATE.test(s)) return { value: out, warnings };
  let masked = s;
  const push = (start: number, end: number, date: string, precision: 1 | 2 | 3, rule: string): void => {
    masked = blank(masked, [{ start, end }]);
    const written = s.slice(start, end);
    // A report describes the past: nothing after publication unless written with its year.
    if (date > published && !/\b\d{4}\b/.test(written)) {
      warnings.push(`date "${written}" resolves to ${date}, after publication ${published}: ignored`);
      return;
    }
    out.push({ start: sentence.start + start, end: sentence.start + end, text: written, date, precision, rule });
  };

  // Each rule reads the sentence as the rules before it left it (the set scans each version of the text once).
  const matches = (k: number): readonly RegExpExecArray[] => R.set.matches(k, masked);
  const RELATIVE = R.monthParts.length;
  const NON_DATES = RELATIVE + R.relative.length;

  // 1. "<part> <Month> [year]": chrono has no "early May".
  for (const [k, mp] of R.monthParts.entries()) {
    for (const m of matches(k)) {
      const month = monthNumber(m[1]!);
      const pubYear = Number(published.slice(0, 4));
      let year = m[2] ? Number(m[2]) : pubYear;
      if (!m[2] && ymd(year, month, 1) > published) year -= 1;
      const day = mp.day >= 28 ? lastDayOfMonth(year, month) : mp.day;
      push(m.index!, m.index! + m[0].length, ymd(year, month, day), 3, mp.where);
    }
  }

  // 2. Relative expressions from the table.
  for (const [k, rule] of R.relative.entries()) {
    for (const m of matches(RELATIVE + k)) {
      const start = m.index!;
      const end = start + m[0].length;
      const date = resolveRelative(R, rule, m, published, anchor ?? null);
      if (date === undefined) {
        masked = blank(masked, [{ start, end }]);
        warnings.push(`"${m[0]}" is relative to an event whose date is not known: no date given (${rule.where})`);
        continue;
      }
      if (Array.isArray(date)) {
        // Two weekdays in one phrase: split the span at " and ".
        const cut = m[0].toLowerCase().indexOf(' and ');
        date.forEach((d, k) => push(k === 0 ? start : start + cut + 5, k === 0 && cut > 0 ? start + cut : end, d, rule.precision, rule.where));
        continue;
      }
      push(start, end, date, rule.precision, rule.where);
    }
  }

  // 3. Hide what is not a date, then let chrono parse the rest.
  for (const k of R.nonDates.keys()) for (const m of matches(NON_DATES + k)) masked = blank(masked, [{ start: m.index, end: m.index + m[0].length }]);
  // chrono reads only what could give a date kept below (CHRONO_MAY).
  const parsed = CHRONO_MAY.test(masked) ? parseDates(masked, { instant: new Date(`${published}T12:00:00Z`), timezone: 0 }) : [];
  for (const r of parsed) {
    const c = r.start;
    const tags = r.tags();
    const certain = (k: 'day' | 'month' | 'year' | 'weekday'): boolean => c.isCertain(k);
    const start = r.index;
    const end = r.index + r.text.length;
    if (tags.has('result/relativeDate')) {
      // "three days ago" counts back from publication; "a week after the fall of Kabul",
      // "for two weeks", "within six months" have no date we can know.
      if (/\bago\b/i.test(r.text)) {
        const unit = /\bday/i.test(r.text) ? 1 : /\bweek/i.test(r.text) ? 2 : 3;
        push(start, end, fromMs(c.date().getTime()), unit, 'chrono:ago');
      } else if (/\b(?:after|before|later|earlier)\b/i.test(r.text)) {
        warnings.push(`"${r.text}" is relative to an event whose date is not given: no date`);
      }
      continue;
    }
    const date = fromMs(c.date().getTime());
    if (r.end) {
      const endDate = fromMs(r.end.date().getTime());
      const days = daysBetween(date, endDate);
      if (days < 0) continue;
      push(start, end, addDays(date, Math.floor(days / 2)), days <= 10 ? 2 : 3, 'chrono:range');
      continue;
    }
    if (certain('day')) {
      const rule = tags.has('chrono:yearless-prefer-past')
        ? 'chrono:yearless-prefer-past'
        : [...tags].some((t) => t.startsWith('casualReference') || t.includes('Casual'))
          ? 'chrono:casual'
          : 'chrono:explicit';
      push(start, end, date, 1, rule);
    } else if (certain('weekday')) {
      push(start, end, date, 1, tags.has('chrono:weekday-prefer-past') ? 'chrono:weekday-prefer-past' : 'chrono:weekday');
    } else if (certain('month')) {
      const written = s.slice(start, end);
      if (!/^[A-Z]/.test(written.replace(/^(?:in|on|during)\s+/i, ''))) continue;
      if (!certain('year') && !MONTH_ALONE_LEADIN.test(s.slice(0, start))) continue;
      const y = c.get('year')!;
      const m = c.get('month')!;
      let mid = ymd(y, m, 15);
      // "this month" may be read before the 15th: never after publication.
      if (mid > published && published.slice(0, 7) === mid.slice(0, 7)) mid = published;
      push(start, end, mid, 3, 'chrono:month');
    }
    // Times of day alone ("at 10 am") and years alone carry no codable date.
  }

  out.sort((a, b) => a.start - b.start);
  return { value: mergeAdjacent(out, text), warnings };
}

function resolveRelative(R: DateRules, rule: RelRule, m: RegExpMatchArray, published: string, anchor: string | null): string | string[] | undefined {
  const [py, pm] = published.split('-').map(Number) as [number, number];
  switch (rule.kind) {
    case 'published':
      return addDays(published, rule.offset);
    case 'anchor':
      return anchor ? addDays(anchor, rule.offset) : undefined;
    case 'anchor-n': {
      const n = parseNumber(R.numbers, m[1] ?? '');
      return anchor && n !== null ? addDays(anchor, rule.offset * n) : undefined;
    }
    case 'acled-week': {
      // ACLED weeks run Saturday-Friday: go to this week's Saturday, back a week, on to Wednesday.
      const thisSaturday = addDays(published, -((weekday(published) + 1) % 7));
      return addDays(thisSaturday, -7 + 4);
    }
    case 'weekdays-last': {
      // "Thursday last week" in the calendar sense (weeks from Monday): a Tuesday report's
      // "Thursday and Friday last week" are 5 and 4 days back.
      const thisMonday = addDays(published, -((weekday(published) + 6) % 7));
      return [m[1], m[2]]
        .filter((w): w is string => !!w)
        .map((w) => addDays(thisMonday, -7 + ((WEEKDAYS.indexOf(w.toLowerCase()) + 6) % 7)));
    }
    case 'weekend':
      return addDays(published, -(((weekday(published) + 1) % 7) || 7));
    case 'this-month': {
      const mid = ymd(py, pm, 15);
      return mid < published ? mid : addDays(published, -1);
    }
    case 'last-month': {
      const y = pm === 1 ? py - 1 : py;
      const mo = pm === 1 ? 12 : pm - 1;
      return ymd(y, mo, Math.min(rule.offset, lastDayOfMonth(y, mo)));
    }
    case 'past-weeks': {
      const n = parseNumber(R.numbers, m[1] ?? '') ?? 2;
      return addDays(published, -Math.round((n * 7) / 2));
    }
  }
}

// "Thursday—August 19" names one day twice: keep one mention spanning both.
function mergeAdjacent(ms: DateMention[], text: string): DateMention[] {
  const out: DateMention[] = [];
  for (const m of ms) {
    const prev = out[out.length - 1];
    if (prev && prev.date === m.date && /^[\s,—–-]*$/.test(text.slice(prev.end, m.start))) {
      const merged = { ...prev, end: m.end, text: text.slice(prev.start, m.end), precision: Math.min(prev.precision, m.precision) as 1 | 2 | 3 };
      if (m.rule === 'chrono:explicit') merged.rule = m.rule;
      out[out.length - 1] = merged;
    } else out.push(m);
  }
  return out;
}

// ---- the dateline ----
const DATELINE_MARKER = /\b(?:published|posted|updated|date|dated|last updated)\s*(?:on|at)?\s*[:\-–]?\s*/i;

/** A publication date line in a report, if any: "(13 December 2020)" in a title line, "Published: Aug 21, 2021", "21 August 2021 | Kabul", "2021-08-21", an ISO timestamp. Looks only at the first few lines/title and explicit published/dateline markers, not at event dates in the body. */
export function findDateline(text: string): (Span & { date: string }) | null {
  // Only the head of the report: title, byline, dateline. Event dates live in the body.
  let offset = 0;
  const lines: { start: number; line: string }[] = [];
  for (const line of text.split('\n')) {
    if (lines.length >= 5) break;
    if (line.trim()) lines.push({ start: offset, line });
    offset += line.length + 1;
  }
  // Explicit markers anywhere in the first 2,000 characters also count ("Published: ...").
  const head = text.slice(0, 2000);
  const marker = DATELINE_MARKER.exec(head);
  const candidates: { start: number; line: string }[] = [];
  if (marker) candidates.push({ start: marker.index + marker[0].length, line: head.slice(marker.index + marker[0].length).split('\n')[0] ?? '' });
  for (const l of lines) {
    // A line that is itself a narrative sentence ("On 5 May 2020, gunmen ...") is body, not a dateline.
    // (No \s* after "(": [^()]* holds spaces, and the two split a run of them every way.)
    const isDateline =
      /\([^()]*\d{4}\s*\)\s*$/.test(l.line) || // "... (13 December 2020)"
      /^\s*[^a-z]{0,40}\d{4}[^a-z]{0,12}(?:\||$|—|–|-)/.test(l.line) || // "21 August 2021 | Kabul", "2021-08-21"
      /^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(l.line) || // ISO timestamp
      (l.line.length < 60 && /\d{4}/.test(l.line) && !/[.!?]\s*$/.test(l.line.trim()));
    if (isDateline) candidates.push(l);
  }
  for (const c of candidates) {
    const iso = /\b(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/.exec(c.line);
    if (iso) {
      const start = c.start + iso.index;
      return { start, end: start + iso[0].length, text: iso[0], date: `${iso[1]}-${iso[2]}-${iso[3]}` };
    }
    for (const r of chrono.casual.parse(c.line, new Date())) {
      if (!r.start.isCertain('year') || !r.start.isCertain('month') || !r.start.isCertain('day')) continue;
      const start = c.start + r.index;
      const d = r.start;
      return { start, end: start + r.text.length, text: r.text, date: ymd(d.get('year')!, d.get('month')!, d.get('day')!) };
    }
  }
  return null;
}
