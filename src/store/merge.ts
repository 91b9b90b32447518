// When two reports tell the same event: the rules the store uses to merge them, kept pure
// so they are tested on their own.
import { addDays, daysBetween } from '../core/days.js';
import { foldName } from '../geo/fold.js';
import { haversineKm } from '../geo/nearest.js';
import { TERRITORY_SUB_TYPES } from '../schema/event.js';
import type { Event } from '../schema/event.js';

/**
 * The fields merging looks at; a stored event and a newly extracted one both have them. The
 * province code and the point are read where a candidate brings them (one found by its code).
 */
export type MergeKey = Pick<
  Event,
  'event_date' | 'time_precision' | 'event_type' | 'sub_event_type' | 'actor1' | 'actor2' | 'country' | 'admin1' | 'admin2' | 'admin2_code' | 'location'
> &
  Partial<Pick<Event, 'admin1_code' | 'latitude' | 'longitude'>>;

/** Two points this close are one place whatever their admin names say (a town and its district seat's spelling). */
const NEAR_KM = 5;

function near(a: MergeKey, b: MergeKey): boolean {
  if (a.latitude == null || a.longitude == null || b.latitude == null || b.longitude == null) return false;
  return haversineKm(a.longitude, a.latitude, b.longitude, b.latitude) <= NEAR_KM;
}

/** Days two dates may differ by and still be one event, by ACLED time precision (day, week, month). */
const SLACK_DAYS: Record<number, number> = { 1: 1, 2: 7, 3: 31 };

/** The date window in which a stored event may be the same as this one. */
export function dateWindow(e: Pick<Event, 'event_date' | 'time_precision'>): [string, string] {
  const slack = SLACK_DAYS[e.time_precision] ?? 1;
  return [addDays(e.event_date, -slack), addDays(e.event_date, slack)];
}

// An actor sitrep could not name is no evidence that two events differ.
const UNNAMED = /^(unidentified|unknown)\b/i;

function sameSide(x: string, y: string): boolean {
  return !x || !y || UNNAMED.test(x) || UNNAMED.test(y) || x.toLowerCase() === y.toLowerCase();
}

function actorSet(e: MergeKey): string[] {
  return [e.actor1, e.actor2].filter((a) => a && !UNNAMED.test(a)).map((a) => a.toLowerCase());
}


/**
 * Same place: same district code where both have one; else the same province (by code where
 * both have one, so ACLED's "Sala al-Din" is the geocoder's "Salah al-Din") and the same
 * district name, place name or points within NEAR_KM; one known only to the province is
 * compatible with a place inside it.
 */
function samePlace(a: MergeKey, b: MergeKey): boolean {
  if (a.country !== b.country) return false;
  if (a.admin2_code && b.admin2_code) return a.admin2_code === b.admin2_code;
  const province = a.admin1_code && b.admin1_code ? a.admin1_code === b.admin1_code : foldName(a.admin1) === foldName(b.admin1);
  if (!province) return false;
  if (a.admin2 && b.admin2) return foldName(a.admin2) === foldName(b.admin2) || near(a, b);
  return foldName(a.location) === foldName(b.location) || !a.admin2 !== !b.admin2 || near(a, b);
}

/**
 * Same event: same event type, compatible place, dates within the looser of the two
 * precisions, and actors that do not contradict (the named actors overlap, or one side
 * named none).
 */
export function sameEvent(a: MergeKey, b: MergeKey): boolean {
  if (a.event_type !== b.event_type || !samePlace(a, b)) return false;
  // A place taken and the same place taken back are two events, whoever tells them.
  if ((TERRITORY_SUB_TYPES.has(a.sub_event_type) || TERRITORY_SUB_TYPES.has(b.sub_event_type)) && (a.sub_event_type !== b.sub_event_type || !sameSide(a.actor1, b.actor1))) return false;
  const slack = Math.max(SLACK_DAYS[a.time_precision] ?? 1, SLACK_DAYS[b.time_precision] ?? 1);
  if (Math.abs(daysBetween(a.event_date, b.event_date)) > slack) return false;
  const x = actorSet(a);
  const y = actorSet(b);
  return x.length === 0 || y.length === 0 || x.some((n) => y.includes(n));
}

/**
 * The fatality figure of a merged event: the codebook takes the most conservative credible
 * figure, so the lowest that any source gives; a source that gives none (0) does not count.
 */
export function mergedFatalities(figures: number[]): number {
  const given = figures.filter((n) => n > 0);
  return given.length ? Math.min(...given) : 0;
}

/** A denial or dispute by any source makes the merged event disputed. */
export function mergedCertainty(values: Event['certainty'][]): Event['certainty'] {
  if (values.some((v) => v === 'denied' || v === 'disputed')) return 'disputed';
  return values.includes('reported') ? 'reported' : (values[0] ?? 'reported');
}
