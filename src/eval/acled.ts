// Scores extraction on real ACLED-coded events (../shared/eval/acled/, one ACLED note a row,
// ACLED's coding as gold) with the rules of the reference scorer ../shared/eval/acled.py:
// a row is found when any event is produced; the event that agrees best with the gold is
// scored field by field; every share is of all rows. Kept in step with acled.py.
import { nameMatch, norm, type ScoredEvent } from './score.js';

export interface AcledGold {
  event_date: string;
  time_precision: number;
  event_type: string;
  sub_event_type: string;
  actor1: string | null;
  actor2: string | null;
  country: string;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  fatalities: number;
}

export interface AcledRow {
  id: string;
  text: string;
  published: string;
  source: string;
  gold: AcledGold;
}

/** The fields of an extracted event the scorer reads: score.py's, less the location. */
export type AcledEvent = Omit<ScoredEvent, 'location'>;

export const ACLED_FIELDS = ['event_type', 'sub_event_type', 'admin1', 'admin2', 'date', 'fatalities', 'actor1', 'actor2'] as const;
export type AcledField = (typeof ACLED_FIELDS)[number];

// Official names that differ from ACLED's (same unit): the scorer accepts either.
const SAME_UNIT = [
  ['wardak', 'maidanwardak', 'maidanwardag', 'wardag'],
  ['uruzgan', 'urozgan', 'oruzgan'],
  ['sarepol', 'sarepul', 'saripul'],
  ['nangarhar', 'ningarhar'],
  ['paktia', 'paktya'],
  ['daykundi', 'daikundi'],
  ['panjshir', 'panjsher'],
  ['jowzjan', 'jawzjan', 'jozjan'],
].map((s) => new Set(s));
const GENERIC = /(province|oblast|governorate|state|region|division|department|district|city|muhafazat|wilayat|municipality)/gi;

export function unitMatch(got: unknown, gold: string | null): boolean {
  if (gold === null) return true;
  if (nameMatch(got, [gold])) return true;
  const g = norm(String(got ?? '').replace(GENERIC, ''));
  const a = norm(gold.replace(GENERIC, ''));
  return !!g && (g === a || SAME_UNIT.some((s) => s.has(g) && s.has(a)));
}

/** The part of an actor name compared: before " (" or ":" ("Protesters (India)" -> "protesters"). */
function actorKey(a: unknown): string {
  return norm(String(a ?? '').split(/\s\(|:/)[0]);
}

export function agree(e: AcledEvent, g: AcledGold): Record<AcledField, boolean> {
  const fat = Number(e.fatalities);
  const names = [e.actor1, e.assoc_actor_1, e.actor2, e.assoc_actor_2].map(actorKey);
  const actor = (gold: string | null) => {
    const key = actorKey(gold);
    return !key || names.some((n) => !!n && (key.includes(n) || n.includes(key)));
  };
  return {
    event_type: e.event_type === g.event_type,
    sub_event_type: e.sub_event_type === g.sub_event_type,
    admin1: unitMatch(e.admin1, g.admin1),
    admin2: unitMatch(e.admin2, g.admin2),
    date: String(e.event_date ?? '').slice(0, 10) === g.event_date,
    fatalities: Number.isInteger(fat) && fat === Number(g.fatalities),
    actor1: actor(g.actor1),
    actor2: actor(g.actor2),
  };
}

export interface AcledRowScore {
  row: AcledRow;
  events: AcledEvent[];
  /** The fields of the best-agreeing event; null when no event was produced. */
  best: Record<AcledField, boolean> | null;
}

export function scoreRow(row: AcledRow, events: AcledEvent[]): AcledRowScore {
  let best: Record<AcledField, boolean> | null = null;
  let bestN = -1;
  for (const e of events) {
    const f = agree(e, row.gold);
    const n = ACLED_FIELDS.filter((k) => f[k]).length;
    if (n > bestN) [best, bestN] = [f, n];
  }
  return { row, events, best };
}

export interface AcledSummary {
  rows: number;
  found: number;
  strict: number;
  extra: number;
  field: Record<AcledField, number>;
}

export function summariseAcled(scores: AcledRowScore[]): AcledSummary {
  const n = scores.length || 1;
  const field = Object.fromEntries(ACLED_FIELDS.map((k) => [k, scores.filter((s) => s.best?.[k]).length / n])) as Record<AcledField, number>;
  const strictKeys: AcledField[] = ['event_type', 'sub_event_type', 'admin1', 'date', 'fatalities'];
  return {
    rows: scores.length,
    found: scores.filter((s) => s.best).length / n,
    strict: scores.filter((s) => s.best && strictKeys.every((k) => s.best![k])).length / n,
    extra: scores.reduce((a, s) => a + Math.max(0, s.events.length - 1), 0) / n,
    field,
  };
}

/** One line in acled.py's format. */
export function formatAcled(s: AcledSummary): string {
  const p = (x: number) => x.toFixed(2);
  return `acled ${s.rows} rows: found ${p(s.found)}, strict ${p(s.strict)}, extra events/row ${p(s.extra)}; ` + ACLED_FIELDS.map((k) => `${k} ${p(s.field[k])}`).join(' ');
}

/** What a held-aside part is made of: the rows whose id ends in 7, 8 or 9 are only measured on, never looked at. */
export function heldAside(row: Pick<AcledRow, 'id'>): boolean {
  return /[789]$/.test(row.id);
}
