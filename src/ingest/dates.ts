// Validation of dates the user or a batch file gives us (--published, "published" fields).
import { InputError } from '../errors.js';

/** True for a real calendar date written YYYY-MM-DD (so 2021-02-30 is false). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Checks a publication date given by the user; `what` names it in the message (e.g. "--published"). */
export function checkPublished(value: string, what = '--published'): string {
  const s = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new InputError(`${what} "${value}" is not a date in YYYY-MM-DD form (e.g. 2021-08-15)`);
  if (!isRealDate(s)) throw new InputError(`${what} "${value}" is not a real calendar date`);
  return s;
}
