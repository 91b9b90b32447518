// A per-report time limit on extraction. It is checked between the stages (segmentation, each
// pass of the sentence analysis, the events, the claims): each stage is linear in the text and
// a report is at most MAX_REPORT_CHARS, so a report runs over its limit by at most one stage.
import { TimeLimitError } from '../errors.js';

/** Seconds one report's extraction may take by default (a 5 MB report takes about 20). */
export const DEFAULT_TIME_LIMIT = 60;

export interface Deadline {
  /** Date.now() past which the report is given up. */
  at: number;
  /** The limit, for the message. */
  seconds: number;
}

/** The deadline of a report started now; none for a limit of 0 (or none given). */
export const deadlineIn = (seconds: number | undefined): Deadline | undefined => (seconds ? { at: Date.now() + seconds * 1000, seconds } : undefined);

/** Throws TimeLimitError once the deadline has passed. */
export function checkDeadline(d: Deadline | undefined): void {
  if (d && Date.now() > d.at) throw new TimeLimitError(`extraction ran over the time limit of ${d.seconds} s a report may take; split the report or raise the limit (--time-limit)`);
}
