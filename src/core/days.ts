// Day arithmetic on YYYY-MM-DD strings, in UTC (no time zones involved). One module for every
// stage: dates in text, publication dates, merge windows, control windows and scoring.

export const DAY_MS = 86_400_000;

/** Milliseconds of the day's start (UTC); NaN for a string that is no date. */
export const toMs = (d: string): number => Date.parse(`${d}T00:00:00Z`);

const YEAR_0 = toMs('0000-01-01');
const YEAR_10000 = Date.UTC(10_000, 0, 1);

export function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** toISOString's date part, worked out in integers (H. Hinnant's days-to-civil) instead of through a Date and its string. */
export function fromMs(ms: number): string {
  // ISO strings of years outside 0-9999 are written otherwise, and NaN throws: those take toISOString.
  if (!(ms >= YEAR_0 && ms < YEAR_10000)) return new Date(ms).toISOString().slice(0, 10);
  const z = Math.floor(ms / DAY_MS) + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153); // months since March
  const m = mp < 10 ? mp + 3 : mp - 9;
  return ymd(era * 400 + yoe + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1);
}

export const addDays = (d: string, n: number): string => fromMs(toMs(d) + n * DAY_MS);

/** Whole days from a to b (negative when b is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((toMs(b) - toMs(a)) / DAY_MS);

/** 0 = Sunday ... 6 = Saturday. */
export const weekday = (d: string): number => new Date(toMs(d)).getUTCDay();

export const lastDayOfMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** True for a real calendar date written YYYY-MM-DD (so 2021-02-30 is false). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return d >= 1 && d <= lastDayOfMonth(y, mo) && mo >= 1 && mo <= 12;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** 1-12 for a month name or its abbreviation ("Aug", "Sept.", "august"); 0 for none. */
export function monthNumber(name: string): number {
  const n = name.toLowerCase().replace('.', '');
  if (n.length < 3) return 0;
  return MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(n.slice(0, 3))) + 1;
}

/** "2021-08-21" as people write it: "21 August 2021". */
export function longDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${day} ${MONTH_NAMES[(m ?? 1) - 1]} ${y}`;
}
