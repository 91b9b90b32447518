// Validation of dates the user or a batch file gives us (--published, "published" fields).
import { isRealDate } from '../core/days.js';
import { InputError } from '../errors.js';

/** Checks a publication date given by the user; `what` names it in the message (e.g. "--published"). */
export function checkPublished(value: string, what = '--published'): string {
  const s = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new InputError(`${what} "${value}" is not a date in YYYY-MM-DD form (e.g. 2021-08-15)`);
  if (!isRealDate(s)) throw new InputError(`${what} "${value}" is not a real calendar date`);
  return s;
}
